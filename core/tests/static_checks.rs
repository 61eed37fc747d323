//! Static checks on load: each problem a typed error naming the target.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::{Plan, SpecError};
use serde_json::json;

fn errors(v: serde_json::Value) -> Vec<SpecError> {
    match Plan::from_json(&v.to_string()) {
        Ok(_) => panic!("plan was accepted"),
        Err(e) => e.iter().cloned().collect(),
    }
}

fn codes(v: serde_json::Value) -> Vec<(String, Option<String>)> {
    errors(v)
        .iter()
        .map(|e| (e.code().to_string(), e.target().map(str::to_string)))
        .collect()
}

#[test]
fn the_embedded_plan_passes() {
    let plan = Plan::xicheng_2016_2020().unwrap();
    assert_eq!(plan.targets.len(), 70);
    assert_eq!(plan.period.start.to_string(), "2016-01-01");
    assert_eq!(plan.period.end.to_string(), "2020-12-31");
}

#[test]
fn duplicate_ids() {
    let v = plan_value(vec![
        target("A", rate_rule("100")),
        target("A", rate_rule("90")),
    ]);
    assert_eq!(codes(v), vec![("duplicate_id".into(), Some("A".into()))]);
}

#[test]
fn unknown_kinds_name_the_target_and_path() {
    let v = plan_value(vec![
        target("A", rate_rule("100")),
        target("B", json!({"type": "ratio"})),
    ]);
    let e = errors(v);
    assert_eq!(e[0].code(), "unknown_kind");
    assert_eq!(e[0].target(), Some("B"));
    assert_eq!(e[0].path(), Some("/targets/1/rule/type"));
    assert!(e[0].to_string().contains("`ratio`"));
}

#[test]
fn unit_mismatches() {
    let rule = json!({"type": "count", "measure": {"from": "series", "series": "bases"}, "target": "10", "unit": "persons"});
    assert_eq!(
        codes(plan_value(vec![target("C", rule)])),
        vec![("unit_mismatch".into(), Some("C".into()))]
    );
    let rule = json!({"type": "duration", "measure": {"from": "series", "series": "bases"}, "target_years": "10"});
    assert_eq!(
        codes(plan_value(vec![target("D", rule)]))[0].0,
        "unit_mismatch"
    );
}

#[test]
fn a_rate_whose_parts_differ_in_unit() {
    let rule = json!({"type": "rate", "numerator": {"from": "series", "series": "num"}, "denominator": {"from": "series", "series": "bases"}, "target_percent": "100"});
    let e = errors(plan_value(vec![target("R", rule)]));
    assert_eq!(e[0].code(), "rate_unit_mismatch");
    assert_eq!(e[0].target(), Some("R"));
}

#[test]
fn deadlines_outside_the_period() {
    let mut t = target("X", rate_rule("100"));
    t["deadline"] = json!("2021-01-01");
    assert_eq!(
        codes(plan_value(vec![t])),
        vec![("deadline_outside_period".into(), Some("X".into()))]
    );
    let mut t = target("Y", rate_rule("100"));
    t["deadline"] = json!("2015-12-31");
    assert!(
        codes(plan_value(vec![t]))
            .iter()
            .any(|c| c.0 == "deadline_outside_period")
    );
}

#[test]
fn unknown_references_and_impossible_values() {
    let rule = json!({"type": "count", "measure": {"from": "series", "series": "nope"}, "target": "1", "unit": "x"});
    assert_eq!(
        codes(plan_value(vec![target("U", rule)]))[0].0,
        "unknown_reference"
    );
    let band = json!({"type": "approximate_count", "measure": {"from": "series", "series": "flow"}, "nominal": "30", "lower": "33", "upper": "27", "unit": "persons", "above_band": "met"});
    assert_eq!(
        codes(plan_value(vec![target("B", band)]))[0],
        ("invalid_rule".into(), Some("B".into()))
    );
    assert_eq!(
        codes(plan_value(vec![target("P", rate_rule("101"))]))[0].0,
        "invalid_rule"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let mut late = target("L", rate_rule("100"));
    late["deadline"] = json!("2030-01-01");
    let v = plan_value(vec![
        target("A", rate_rule("100")),
        target("A", rate_rule("100")),
        late,
    ]);
    let c = codes(v);
    assert_eq!(c.len(), 2);
}

#[test]
fn shape_errors_carry_a_json_pointer_and_the_target() {
    let mut t = target("S", rate_rule("100"));
    t["importance"] = json!("very");
    let e = errors(plan_value(vec![target("A", rate_rule("100")), t]));
    assert_eq!(e[0].code(), "invalid_shape");
    assert_eq!(e[0].path(), Some("/targets/1/importance"));
    assert_eq!(e[0].target(), Some("S"));
    let mut t = target("S", rate_rule("100"));
    t["surprise"] = json!(1);
    assert_eq!(errors(plan_value(vec![t]))[0].code(), "invalid_shape");
}

#[test]
fn syntax_errors_give_line_and_column() {
    let e = Plan::from_json("{\n  \"id\": ,\n}").unwrap_err();
    match e.first() {
        SpecError::Syntax { line, column, .. } => assert_eq!((*line, *column), (2, 9)),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(e.first().code(), "invalid_json");
    assert_eq!(
        Plan::from_json("[]").unwrap_err().first().code(),
        "invalid_shape"
    );
    assert_eq!(
        Plan::from_json("").unwrap_err().first().code(),
        "invalid_json"
    );
}

#[test]
fn the_canonical_hash_ignores_formatting() {
    let a = Plan::from_json(&plan_value(vec![target("A", rate_rule("100"))]).to_string()).unwrap();
    let text =
        serde_json::to_string_pretty(&plan_value(vec![target("A", rate_rule("100.0"))])).unwrap();
    let b = Plan::from_json(&text).unwrap();
    assert_eq!(a.content_hash(), b.content_hash());
    let c = Plan::from_json(&plan_value(vec![target("A", rate_rule("99"))]).to_string()).unwrap();
    assert_ne!(a.content_hash(), c.content_hash());
}
