//! Coverage and milestones: populations, culprits, counts and missing data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::Status;
use serde_json::{Value, json};

fn cover() -> Value {
    json!({"type": "coverage", "entity_kind": "school", "condition": {"test": "is_true", "field": "active"}})
}

fn schools(values: &[(&str, Option<bool>)]) -> Value {
    let entities: Vec<Value> = values
        .iter()
        .map(|(id, v)| {
            let rec = match v {
                Some(b) => json!({"eligible": 1, "active": b}),
                None => json!({"eligible": 1}),
            };
            json!({"kind": "school", "id": id, "records": {"2020": rec}})
        })
        .collect();
    json!({ "entities": entities })
}

#[test]
fn every_entity_met_is_met() {
    let r = one(
        cover(),
        schools(&[("A", Some(true)), ("B", Some(true))]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::Met);
    let c = r.counts.unwrap();
    assert_eq!((c.population, c.met, c.unmet, c.missing), (2, 2, 0, 0));
}

#[test]
fn unmet_entities_are_named() {
    let r = one(
        cover(),
        schools(&[("A", Some(true)), ("B", Some(false)), ("C", Some(true))]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotMet);
    assert_eq!(
        r.culprits
            .iter()
            .map(|c| (&*c.id, c.problem))
            .collect::<Vec<_>>(),
        vec![("B", "unmet")]
    );
    assert_eq!(num(r.observed), "66.66666666666666666666666667");
}

#[test]
fn missing_data_strategies() {
    let d = schools(&[("A", Some(true)), ("B", None)]);
    let r = one(cover(), d.clone(), "2020-12-31");
    assert_eq!(
        (r.status, reason(&r)),
        (Status::NotAssessable, "missing_value")
    );
    let c = r.counts.unwrap();
    assert_eq!((c.met, c.missing), (1, 1));
    assert_eq!(r.culprits[0].problem, "missing");

    let mut t = target("T", cover());
    t["missing_data"] = json!("skip_if_all");
    let r = one_with(t.clone(), d.clone(), "2020-12-31");
    assert_eq!(r.status, Status::Met, "B is left out of the population");
    // Nobody reports the field at all: there is no data for the year.
    let r = one_with(t, schools(&[("A", None), ("B", None)]), "2020-12-31");
    assert_eq!(reason(&r), "no_data");

    let mut t = target("T", cover());
    t["missing_data"] = json!("never_skip");
    let r = one_with(t, d, "2020-12-31");
    assert_eq!((r.status, num(r.observed)), (Status::NotMet, "50".into()));
}

#[test]
fn an_empty_population_is_never_met() {
    let d = json!({"entities": [{"kind": "school", "id": "A", "active_from": 2021, "records": {"2020": {"active": true}}}]});
    let r = one(cover(), d, "2020-12-31");
    assert_eq!(
        (r.status, reason(&r)),
        (Status::NotAssessable, "empty_population")
    );
}

#[test]
fn inactive_entities_are_outside_the_population() {
    let d = json!({"entities": [
        {"kind": "school", "id": "A", "records": {"2020": {"active": true}}},
        {"kind": "school", "id": "OLD", "active_until": 2019, "records": {"2019": {"active": false}}}
    ]});
    assert_eq!(one(cover(), d, "2020-12-31").status, Status::Met);
}

#[test]
fn ratio_conditions_per_entity() {
    let rule = json!({"type": "coverage", "entity_kind": "school", "condition": {"test": "ratio_at_least", "numerator": "passed", "denominator": "eligible", "percent": "90"}});
    let d = json!({"entities": [
        {"kind": "school", "id": "A", "records": {"2020": {"eligible": 10, "passed": 9}}},
        {"kind": "school", "id": "B", "records": {"2020": {"eligible": 10, "passed": 8}}}
    ]});
    let r = one(rule, d, "2020-12-31");
    assert_eq!(r.status, Status::NotMet);
    assert_eq!(&*r.culprits[0].id, "B");
    assert!(r.culprits[0].en().contains("80%"));
}

fn milestones() -> Value {
    json!({"type": "milestones", "entity_kind": "project", "state_field": "state", "required_state": "in_use",
           "items": [{"id": "P1", "name": {"zh": "一", "en": "one"}}, {"id": "P2", "name": {"zh": "二", "en": "two"}}]})
}

fn projects(states: &[(&str, &str)]) -> Value {
    let e: Vec<Value> = states
        .iter()
        .map(|(id, s)| json!({"kind": "project", "id": id, "records": {"2020": {"state": s}}}))
        .collect();
    json!({ "entities": e })
}

#[test]
fn milestones_met_when_every_item_reaches_the_state() {
    let r = one(
        milestones(),
        projects(&[("P1", "in_use"), ("P2", "in_use")]),
        "2020-12-31",
    );
    assert_eq!(
        (r.status, num(r.observed), num(r.target)),
        (Status::Met, "2".into(), "2".into())
    );
}

#[test]
fn milestones_name_the_items_still_missing() {
    let r = one(
        milestones(),
        projects(&[("P1", "in_use"), ("P2", "building")]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotMet);
    assert_eq!(&*r.culprits[0].id, "P2");
    assert!(r.culprits[0].en().contains("building"));
    // An item with no record: missing under skip_if_any, not reached under never_skip.
    let r = one(milestones(), projects(&[("P1", "in_use")]), "2020-12-31");
    assert_eq!(reason(&r), "missing_value");
    let mut t = target("T", milestones());
    t["missing_data"] = json!("never_skip");
    let r = one_with(t, projects(&[("P1", "in_use")]), "2020-12-31");
    assert_eq!(r.status, Status::NotMet);
    assert_eq!(r.culprits[0].problem, "missing");
}

#[test]
fn unknown_items_and_bad_states_make_milestones_not_assessable() {
    let p = plan(vec![target("T", milestones())]);
    let report = run(
        &p,
        &data(projects(&[
            ("P1", "in_use"),
            ("P2", "in_use"),
            ("P9", "in_use"),
        ])),
        "2020-12-31",
    );
    assert_eq!(reason(&report.results[0]), "bad_data");
    assert_eq!(report.diagnostics[0].code.as_str(), "unknown_entity");
    assert_eq!(report.diagnostics[0].entity.as_deref(), Some("P9"));
    let report = run(
        &p,
        &data(projects(&[("P1", "in_use"), ("P2", "opened")])),
        "2020-12-31",
    );
    assert_eq!(reason(&report.results[0]), "bad_data");
    assert_eq!(report.diagnostics[0].code.as_str(), "invalid_state");
}

#[test]
fn an_entity_without_the_filtered_attribute_is_missing_not_silently_dropped() {
    let rule = json!({"type": "coverage", "entity_kind": "school", "filter": [{"attribute": "level", "one_of": ["primary"]}],
                      "condition": {"test": "is_true", "field": "active"}});
    let d = json!({"entities": [
        {"kind": "school", "id": "A", "attributes": {"level": "primary"}, "records": {"2020": {"active": true}}},
        {"kind": "school", "id": "NOLEVEL", "records": {"2020": {"active": false}}},
        {"kind": "school", "id": "S", "attributes": {"level": "special"}, "records": {"2020": {"active": false}}}
    ]});
    let r = one(rule, d, "2020-12-31");
    assert_eq!(
        (r.status, reason(&r)),
        (Status::NotAssessable, "missing_value")
    );
    let c = r.counts.unwrap();
    assert_eq!((c.population, c.met, c.missing), (2, 1, 1));
    assert_eq!(&*r.culprits[0].id, "NOLEVEL");
    let rate = json!({"type": "rate",
        "numerator": {"from": "entity_sum", "entity_kind": "school", "field": "passed", "filter": [{"attribute": "level", "one_of": ["primary"]}]},
        "denominator": {"from": "entity_sum", "entity_kind": "school", "field": "eligible", "filter": [{"attribute": "level", "one_of": ["primary"]}]},
        "target_percent": "100"});
    let d = json!({"entities": [
        {"kind": "school", "id": "A", "attributes": {"level": "primary"}, "records": {"2020": {"eligible": 10, "passed": 10}}},
        {"kind": "school", "id": "NOLEVEL", "records": {"2020": {"eligible": 10, "passed": 1}}}
    ]});
    assert_eq!(reason(&one(rate, d, "2020-12-31")), "missing_value");
}
