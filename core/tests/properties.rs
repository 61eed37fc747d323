//! Properties over generated rule sets and data (proptest): evaluation is deterministic, never
//! panics, never reports `met` without data, and a rate's status never gets worse when only its
//! numerator grows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::{Dataset, Plan, Status, evaluate};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON scalar a careless or hostile form could send.
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..10_000).prop_map(|n| json!(n)),
        "-?[0-9]{1,30}(\\.[0-9]{0,30})?".prop_map(Value::String),
        "[a-z]{0,6}".prop_map(Value::String),
        Just(json!("1e400")),
        Just(json!("-0")),
    ]
}

fn year_key() -> impl Strategy<Value = String> {
    prop_oneof![(2010i32..2024).prop_map(|y| y.to_string()), "[0-9x]{0,5}"]
}

fn values() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(year_key(), scalar(), 0..6).prop_map(|m| json!({ "values": m }))
}

fn dataset() -> impl Strategy<Value = Value> {
    let series_names = prop_oneof![
        Just("num"),
        Just("den"),
        Just("bases"),
        Just("flow"),
        Just("years"),
        Just("money_a"),
        Just("money_b"),
        Just("share"),
        Just("other")
    ];
    let series =
        proptest::collection::btree_map(series_names.prop_map(str::to_string), values(), 0..8);
    let record = proptest::collection::btree_map(
        prop_oneof![
            Just("eligible"),
            Just("passed"),
            Just("active"),
            Just("teachers"),
            Just("state"),
            Just("x")
        ]
        .prop_map(str::to_string),
        scalar(),
        0..5,
    );
    let entity = (
        prop_oneof![Just("school"), Just("project"), Just("alien")],
        prop_oneof![Just("A"), Just("B"), Just("P1"), Just("P2"), Just("P9")],
        proptest::collection::btree_map(year_key(), record, 0..4),
        proptest::option::of(2014i32..2022),
    )
        .prop_map(|(kind, id, records, from)| {
            let mut e = json!({"kind": kind, "id": id, "records": records, "attributes": {"level": "primary"}});
            if let Some(f) = from {
                e["active_from"] = json!(f);
            }
            e
        });
    (series, proptest::collection::vec(entity, 0..6))
        .prop_map(|(s, e)| json!({"series": s, "entities": e}))
}

fn all_kinds_plan() -> Plan {
    let count = json!({"type": "count", "measure": {"from": "series", "series": "bases"}, "target": "100", "unit": "bases"});
    let cumulative = json!({"type": "count", "measure": {"from": "series", "series": "flow", "over_time": "cumulative"}, "target": "50", "unit": "persons"});
    let approx = json!({"type": "approximate_count", "measure": {"from": "series", "series": "flow"}, "nominal": "30", "lower": "27", "upper": "33", "unit": "persons", "above_band": "met"});
    let duration = json!({"type": "duration", "measure": {"from": "series", "series": "years"}, "target_years": "15"});
    let coverage = json!({"type": "coverage", "entity_kind": "school", "condition": {"test": "is_true", "field": "active"}});
    let school_rate = json!({"type": "rate", "numerator": {"from": "entity_sum", "entity_kind": "school", "field": "passed"}, "denominator": {"from": "entity_sum", "entity_kind": "school", "field": "eligible"}, "target_percent": "100"});
    let growth = json!({"type": "growth_comparison", "subject": {"from": "series", "series": "money_a"}, "benchmark": {"from": "series", "series": "money_b"}, "mode": "year_over_year"});
    let milestones = json!({"type": "milestones", "entity_kind": "project", "state_field": "state", "required_state": "in_use", "items": [{"id": "P1", "name": {"zh": "一", "en": "one"}}, {"id": "P2", "name": {"zh": "二", "en": "two"}}]});
    let all_of = json!({"type": "all_of", "parts": [{"id": "a", "title": {"zh": "a", "en": "a"}, "rule": count.clone()}, {"id": "b", "title": {"zh": "b", "en": "b"}, "rule": coverage.clone()}]});
    let mut never = target("N", rate_rule("100"));
    never["missing_data"] = json!("never_skip");
    let mut skip_all = target("S", coverage.clone());
    skip_all["missing_data"] = json!("skip_if_all");
    plan(vec![
        target("R", rate_rule("100")),
        target("C", count),
        target("U", cumulative),
        target("X", approx),
        target("D", duration),
        target("V", coverage),
        target("Q", school_rate),
        target("G", growth),
        target("M", milestones),
        target("A", all_of),
        never,
        skip_all,
    ])
}

fn as_of() -> impl Strategy<Value = String> {
    (2014i32..2023, 1u8..13, 1u8..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn evaluation_is_deterministic_and_total(data in dataset(), date in as_of()) {
        let plan = all_kinds_plan();
        let data: Dataset = match Dataset::from_json(&data.to_string()) { Ok(d) => d, Err(_) => return Ok(()) };
        let a = evaluate(&plan, &data, date.parse().unwrap(), Default::default()).to_json();
        let b = evaluate(&plan, &data, date.parse().unwrap(), Default::default()).to_json();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn nothing_is_met_without_data(data in dataset(), date in as_of()) {
        let plan = all_kinds_plan();
        let Ok(data) = Dataset::from_json(&data.to_string()) else { return Ok(()) };
        let report = evaluate(&plan, &data, date.parse().unwrap(), Default::default());
        for r in report.results.iter().flat_map(|r| std::iter::once(r).chain(r.parts.iter())) {
            if r.status == Status::Met {
                // A met verdict always rests on an observed value read from the data.
                prop_assert!(r.observed.is_some() || !r.parts.is_empty() || r.kind == "growth_comparison", "{} met without an observed value", r.id);
                let trail = r.trail.as_ref().unwrap();
                if r.parts.is_empty() {
                    prop_assert!(trail.inputs.iter().any(|i| i.value.is_some()), "{} met with no value read", r.id);
                }
            }
        }
    }

    #[test]
    fn a_growing_numerator_never_worsens_a_rate(den in 1u32..5000, a in 0u32..5000, b in 0u32..5000,
                                                base_num in 0u32..5000, year in 2016i32..2021, date in as_of()) {
        let (lo, hi) = (a.min(b).min(den), a.max(b).min(den));
        let base_num = base_num.min(den);
        let status = |n: u32| {
            let d = series(&[("num", &[(2015, &base_num.to_string()), (year, &n.to_string())]), ("den", &[(2015, &den.to_string()), (year, &den.to_string())])]);
            let r = one(rate_rule("100"), d, &date);
            rank(r.status, r.grade)
        };
        prop_assert!(status(hi) >= status(lo));
    }

    #[test]
    fn arbitrary_text_never_panics_the_loaders(text in "\\PC{0,200}") {
        let _ = Plan::from_json(&text);
        let _ = Dataset::from_json(&text);
        let _ = plan_rules::ffi::evaluate_json(&text);
        let _ = plan_rules::audit_log::verify(&text);
    }

    #[test]
    fn decimal_text_round_trips_exactly(int in "[1-9][0-9]{0,13}", frac in "[0-9]{0,13}[1-9]") {
        let text = format!("{int}.{frac}");
        let n = plan_rules::number::parse_decimal(&text).unwrap();
        prop_assert_eq!(n.to_string(), text);
    }
}

/// Orders verdicts from worst to best; `not_assessable` sorts with the worst so that a change
/// into it would be caught as a worsening too.
fn rank(s: Status, g: Option<plan_rules::Grade>) -> u8 {
    use plan_rules::Grade::*;
    match (s, g) {
        (Status::NotAssessable, _) => 0,
        (Status::NotMet, _) => 1,
        (Status::OffTrack, Some(Regressing)) => 2,
        (Status::OffTrack, Some(Insufficient)) => 3,
        (Status::OffTrack, _) => 4,
        (Status::OnTrack, _) => 5,
        (Status::Met, _) => 6,
    }
}
