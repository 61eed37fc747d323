//! A rate over one entity kind is judged in one pass when no trail is recorded (its two sums
//! and the entities below it together), and through the measures one by one when a trail is:
//! both give the same results, whatever the data (missing, bad, zero, a numerator above its
//! denominator, an unknown attribute, an entity active later), filter and missing-data policy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::batch::{Column, EntityTable, Labels, add_entity_table};
use plan_rules::{Dataset, EvaluateOptions, Plan, Status, TargetResult, evaluate};
use proptest::prelude::*;
use serde_json::{Value, json};

/// School rates: without and with a filter, each missing-data policy, both directions.
fn rates_plan() -> Plan {
    let rate = |filter: Option<Value>, op: Option<&str>| {
        let mut num = json!({"from": "entity_sum", "entity_kind": "school", "field": "passed"});
        let mut den = json!({"from": "entity_sum", "entity_kind": "school", "field": "eligible"});
        if let Some(f) = filter {
            num["filter"] = f.clone();
            den["filter"] = f;
        }
        let mut rule =
            json!({"type": "rate", "numerator": num, "denominator": den, "target_percent": "90"});
        if let Some(op) = op {
            rule["op"] = json!(op);
        }
        rule
    };
    let primary = json!([{"attribute": "level", "one_of": ["primary", "special"]}]);
    let mut targets = Vec::new();
    for (i, policy) in [None, Some("skip_if_all"), Some("never_skip")]
        .into_iter()
        .enumerate()
    {
        for (j, (filter, op)) in [
            (None, None),
            (Some(primary.clone()), None),
            (None, Some("<=")),
        ]
        .into_iter()
        .enumerate()
        {
            let mut t = target(&format!("R{i}{j}"), rate(filter, op));
            if let Some(p) = policy {
                t["missing_data"] = json!(p);
            }
            targets.push(t);
        }
    }
    let mut every = target(
        "E",
        json!({"type": "every_year", "rule": rate(Some(primary), None)}),
    );
    every["missing_data"] = json!("skip_if_all");
    targets.push(every);
    plan(targets)
}

/// A cell: missing, a small count, a negative (bad) count.
fn cell() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        1 => Just(None),
        12 => (0i64..12).prop_map(Some),
        1 => (-3i64..0).prop_map(Some),
    ]
}

/// Up to 40 schools over 2015-2020, as a table: some rows left out, a level (or none) each.
fn schools() -> impl Strategy<Value = Dataset> {
    let school = (
        prop_oneof![
            Just(Some("primary")),
            Just(Some("secondary")),
            Just(Some("special")),
            Just(None)
        ],
        proptest::option::of(2016i32..2021),
        proptest::collection::vec((any::<bool>(), cell(), cell()), 6),
    );
    // Whether the data may hold missing and bad cells: a rate with any is not assessable (but
    // under `never_skip`), so most data holds none, to reach the schools below the rate.
    let noise =
        prop_oneof![4 => Just((false, false)), 1 => Just((true, false)), 1 => Just((true, true))];
    (proptest::collection::vec(school, 0..40), noise).prop_map(|(schools, (missing, bad))| {
        let keep = |c: Option<i64>| match c {
            None if !missing => Some(0),
            Some(v) if v < 0 && !bad => Some(-v),
            c => c,
        };
        let mut t = EntityTable {
            kind: "school".into(),
            ..EntityTable::default()
        };
        let (mut ids, mut levels, mut from) = (Vec::new(), Vec::new(), Vec::new());
        let (mut passed, mut eligible) = (Vec::new(), Vec::new());
        for (i, (level, active_from, years)) in schools.into_iter().enumerate() {
            for (y, (present, p, e)) in years.into_iter().enumerate() {
                if !present {
                    continue;
                }
                ids.push(Some(format!("S{i}")));
                levels.push(level);
                from.push(active_from);
                t.years.push(2015 + y as i32);
                passed.push(keep(p));
                eligible.push(keep(e));
            }
        }
        let ints = |v: Vec<Option<i64>>| {
            let missing = v.iter().map(Option::is_none).collect();
            Column::ints(
                v.into_iter().map(|x| x.unwrap_or(0)).collect(),
                Some(missing),
            )
        };
        t.ids = Labels::from_texts(ids);
        t.attributes = vec![("level".into(), Labels::from_texts(levels))];
        t.active_from = Some(from);
        t.fields = vec![
            ("passed".into(), ints(passed)),
            ("eligible".into(), ints(eligible)),
        ];
        let mut data = Dataset::default();
        add_entity_table(&mut data, t).unwrap();
        data
    })
}

fn without_trails(mut r: TargetResult) -> TargetResult {
    r.trail = None;
    r.parts = r.parts.into_iter().map(without_trails).collect();
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn one_pass_judges_as_the_measures_do(data in schools(), year in 2016i32..2022) {
        let plan = rates_plan();
        let as_of = format!("{year}-12-31").parse().unwrap();
        let with = evaluate(&plan, &data, as_of, EvaluateOptions::default());
        let without = evaluate(&plan, &data, as_of, EvaluateOptions::default().with_trail(false));
        prop_assert_eq!(&with.diagnostics, &without.diagnostics);
        for (a, b) in with.results.into_iter().zip(without.results) {
            prop_assert_eq!(without_trails(a), b);
        }
    }
}

/// The property's plan and data reach what it is about: rates met, not met with schools below,
/// not assessable for bad or missing data.
#[test]
fn the_property_reaches_each_outcome() {
    let plan = rates_plan();
    let runner_data = |cells: &[(Option<i64>, Option<i64>)]| {
        let n = cells.len();
        let t = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts((0..n).map(|i| Some(format!("S{i}")))),
            years: vec![2020; n],
            attributes: vec![("level".into(), Labels::from_texts(vec![Some("primary"); n]))],
            fields: vec![
                (
                    "passed".into(),
                    Column::ints(
                        cells.iter().map(|c| c.0.unwrap_or(0)).collect(),
                        Some(cells.iter().map(|c| c.0.is_none()).collect()),
                    ),
                ),
                (
                    "eligible".into(),
                    Column::ints(
                        cells.iter().map(|c| c.1.unwrap_or(0)).collect(),
                        Some(cells.iter().map(|c| c.1.is_none()).collect()),
                    ),
                ),
            ],
            ..EntityTable::default()
        };
        let mut data = Dataset::default();
        add_entity_table(&mut data, t).unwrap();
        data
    };
    let as_of = "2020-12-31".parse().unwrap();
    let judge = |cells: &[(Option<i64>, Option<i64>)]| {
        let data = runner_data(cells);
        let r = evaluate(
            &plan,
            &data,
            as_of,
            EvaluateOptions::default().with_trail(false),
        );
        r.result("R00").unwrap().clone()
    };
    assert_eq!(
        judge(&[(Some(10), Some(10)), (Some(9), Some(10))]).status,
        Status::Met
    );
    let below = judge(&[(Some(10), Some(10)), (Some(5), Some(10))]);
    assert_eq!(below.status, Status::NotMet);
    assert_eq!(
        below.culprits.iter().map(|c| &*c.id).collect::<Vec<_>>(),
        ["S1"]
    );
    assert_eq!(judge(&[(Some(-1), Some(10))]).status, Status::NotAssessable);
    assert_eq!(judge(&[(None, Some(10))]).status, Status::NotAssessable);
}
