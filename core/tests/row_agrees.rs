//! Row verdicts never drift from `evaluate()`: for random single-record datasets (edge values,
//! missing and invalid values, random attributes), every row-judgeable target's row verdict is
//! the conclusion `evaluate()` reaches on the dataset holding that record alone, through the one
//! mapping `RowVerdict::agrees_with`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use plan_rules::Plan;
use plan_rules::dataset::RawValue;
use plan_rules::row::{RowRules, RowValue, RowVerdict};
use proptest::prelude::*;
mod common;

use std::sync::OnceLock;

use common::alone::Alone;

use serde_json::Value;

/// The raw values a field may get, as JSON text (`None`: the field is absent): edge values
/// around the thresholds of the plans used here, impossible ones and ones of the wrong type.
const RAW: &[Option<&str>] = &[
    None,
    Some("null"),
    Some("-1"),
    Some("0"),
    Some("1"),
    Some("2"),
    Some("3"),
    Some("14"),
    Some("15"),
    Some("26"),
    Some("27"),
    Some("33"),
    Some("34"),
    Some("89"),
    Some("90"),
    Some("99"),
    Some("100"),
    Some("101"),
    Some("499"),
    Some("500"),
    Some("1999"),
    Some("2000"),
    Some("-0"),
    Some("0.5"),
    Some("1.0"),
    Some("14.99"),
    Some("99.5"),
    Some("\"99.95\""),
    Some("\"100.00\""),
    Some("\"2\""),
    Some("1e2"),
    Some("true"),
    Some("false"),
    Some("\"abc\""),
    Some("\"planned\""),
    Some("\"completed\""),
    Some("\"in_use\""),
    Some("\"full\""),
    Some("\"none\""),
    Some("\"bogus\""),
    Some("5.5"),
    Some("5.49"),
    Some("46"),
    Some("46.01"),
    Some("49"),
    Some("50"),
    Some("51"),
    Some("57"),
    Some("58"),
    Some("-0.5"),
    Some("-1.5"),
];

const VERDICTS: [RowVerdict; 5] = [
    RowVerdict::Met,
    RowVerdict::NotMet,
    RowVerdict::Missing,
    RowVerdict::Invalid,
    RowVerdict::NotApplicable,
];

/// Attribute values tried, besides the attribute's allowed ones: absent and one nobody allows.
const OTHER_LABELS: &[Option<&str>] = &[None, Some("college")];

/// A raw JSON value as a dataset holds it.
fn raw(text: &str) -> RawValue {
    match serde_json::from_str::<Value>(text).unwrap() {
        Value::Null => RawValue::Null,
        Value::Bool(b) => RawValue::Bool(b),
        Value::String(s) => RawValue::Text(s),
        Value::Number(_) => RawValue::Number(text.to_string()),
        other => panic!("{other}"),
    }
}

/// One kind of record of a plan and its row rules.
struct Kind {
    kind: Option<String>,
    rules: RowRules,
}

/// The plans made ready to evaluate one record alone, with their record kinds (made once): the
/// embedded Xicheng plan and the vectors' plan of row cases.
fn plans() -> &'static [(String, Alone, Vec<Kind>)] {
    static PLANS: OnceLock<Vec<(String, Alone, Vec<Kind>)>> = OnceLock::new();
    PLANS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let rows_plan = read("tests/vectors/rows/plans/row-kinds.json");
        let bounds_plan = read("tests/vectors/rows/plans/row-bounds.json");
        [
            ("xicheng", Plan::xicheng_2016_2020().unwrap()),
            ("row-kinds", Plan::from_json(&rows_plan).unwrap()),
            ("row-bounds", Plan::from_json(&bounds_plan).unwrap()),
        ]
        .into_iter()
        .map(|(name, plan)| {
            let alone = Alone::new(&plan);
            let kinds = kinds(&alone.plan);
            (name.to_string(), alone, kinds)
        })
        .collect()
    })
}

/// A plan's record kinds with their compiled row rules (the district series as `None`).
fn kinds(plan: &Plan) -> Vec<Kind> {
    let mut out = vec![Kind {
        kind: None,
        rules: RowRules::for_series(plan),
    }];
    for k in plan.dictionary.entity_kinds.keys() {
        out.push(Kind {
            kind: Some(k.clone()),
            rules: RowRules::for_entity_kind(plan, k),
        });
    }
    out.retain(|k| !k.rules.targets().is_empty());
    out
}

/// Judges one random record both ways; the disagreements, described.
fn disagreements(
    alone: &Alone,
    k: &Kind,
    picks: &[usize],
    labels: &[usize],
    seen: &mut [[bool; 5]],
) -> Vec<String> {
    let (kind, rules, plan) = (k.kind.as_deref(), &k.rules, &alone.plan);
    let mut row = vec![RowValue::Missing; rules.fields().len()];
    let mut present = Vec::new();
    for (f, name) in rules.fields().iter().enumerate() {
        if let Some(text) = RAW[picks[f] % RAW.len()] {
            row[f] = rules.read(f, &raw(text));
            present.push((name.clone(), text.to_string()));
        }
    }
    let mut attrs = Vec::new();
    let mut given = Vec::new();
    for (a, name) in rules.attributes().iter().enumerate() {
        let allowed: Vec<Option<&str>> = kind
            .and_then(|k| plan.dictionary.entity_kinds.get(k))
            .and_then(|s| s.attributes.get(name))
            .map(|s| s.allowed.iter().map(|v| Some(v.as_str())).collect())
            .unwrap_or_default();
        let choices: Vec<Option<&str>> = allowed
            .into_iter()
            .chain(OTHER_LABELS.iter().copied())
            .collect();
        let label = choices[labels[a] % choices.len()];
        attrs.push(label);
        if let Some(l) = label {
            given.push((name.clone(), serde_json::to_string(l).unwrap()));
        }
    }
    let mut verdicts = vec![RowVerdict::Missing; rules.targets().len()];
    rules.judge(&row, &attrs, &mut verdicts);
    let (report, text) = alone.report(kind, &present, &given);
    let mut out = Vec::new();
    for ((t, v), s) in rules.targets().iter().zip(&verdicts).zip(seen.iter_mut()) {
        s[*v as usize] = true;
        let result = t
            .result_in(&report)
            .unwrap_or_else(|| panic!("no result for {}", t.id));
        // The mapping is strict: one verdict per conclusion, two only for `no_data` (nothing
        // to read: every value missing, or the record filtered out).
        let agreeing = VERDICTS.iter().filter(|w| w.agrees_with(result)).count();
        let no_data = result.reason.as_ref().is_some_and(|r| r.code == "no_data");
        assert_eq!(agreeing, if no_data { 2 } else { 1 }, "{}: {text}", t.id);
        if !v.agrees_with(result) {
            out.push(format!(
                "{}: row verdict {} but evaluate() gives {} ({:?}) on {text}",
                t.id,
                v.as_str(),
                result.status.as_str(),
                result.reason.as_ref().map(|r| r.code)
            ));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn row_verdicts_agree_with_evaluate(
        picks in proptest::collection::vec(0usize..1000, 24),
        labels in proptest::collection::vec(0usize..1000, 4),
    ) {
        let mut seen = vec![[false; 5]; 64];
        for (name, alone, kinds) in plans() {
            for k in kinds {
                let found = disagreements(alone, k, &picks, &labels, &mut seen);
                prop_assert!(found.is_empty(), "{name} {:?}:\n{}", k.kind, found.join("\n"));
            }
        }
    }
}

/// The targets with an attribute filter: the only ones a record can be outside of.
const FILTERED: &[&str] = &["A6.1", "SR", "SF"];

/// A deterministic sweep over the same space reaches every verdict each target can give, so
/// the agreement is tested on each kind of conclusion, not left to chance.
#[test]
fn the_sweep_reaches_every_verdict() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as usize
    };
    for (name, alone, kinds) in plans() {
        for k in kinds {
            let rules = &k.rules;
            let mut seen = vec![[false; 5]; rules.targets().len()];
            for _ in 0..1500 {
                let picks: Vec<usize> = (0..rules.fields().len()).map(|_| next()).collect();
                let labels: Vec<usize> = (0..rules.attributes().len()).map(|_| next()).collect();
                let found = disagreements(alone, k, &picks, &labels, &mut seen);
                assert!(
                    found.is_empty(),
                    "{name} {:?}:\n{}",
                    k.kind,
                    found.join("\n")
                );
            }
            for (t, s) in rules.targets().iter().zip(&seen) {
                for v in [
                    RowVerdict::Met,
                    RowVerdict::NotMet,
                    RowVerdict::Missing,
                    RowVerdict::Invalid,
                ] {
                    assert!(s[v as usize], "{name} {}: no {} verdict", t.id, v.as_str());
                }
                assert_eq!(
                    s[RowVerdict::NotApplicable as usize],
                    FILTERED.contains(&t.id.as_str()),
                    "{name} {}: not_applicable",
                    t.id
                );
            }
        }
    }
}
