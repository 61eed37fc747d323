//! Row rules never drop a target without a word: every target one record cannot decide is
//! listed by `RowRules::left_out` with a typed reason, and a selection that names one is refused
//! with `not_row_judgeable`, naming the target and the reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;

use common::{plan, target};
use plan_rules::Plan;
use plan_rules::error::RequestError;
use plan_rules::ffi::FfiError;
use plan_rules::row::{LeftOutReason, RowRules};
use serde_json::{Value, json};

fn left_out(rules: &RowRules) -> Vec<(&str, &str)> {
    rules
        .left_out()
        .iter()
        .map(|l| (l.id.as_str(), l.reason.code()))
        .collect()
}

/// The Xicheng rule set's qualitative targets (the body's commitments of sections 5 and 6), in
/// plan order.
const QUALITATIVE: [&str; 51] = [
    "C1.1", "C1.2", "C1.3", "C3.1", "C3.2", "C3.3", "C4.1", "C5.1", "C5.2", "C6.1", "C6.2", "C6.3",
    "C6.4", "C6.5", "C6.6", "C7.1", "C7.2", "C7.3", "C7.4", "C7.5", "C7.6", "C7.7", "C7.8", "C8.1",
    "C8.2", "C8.3", "C8.4", "C8.5", "C8.6", "C8.7", "C9.1", "C9.2", "C10.1", "C10.2", "C10.3",
    "C11.1", "C11.2", "C11.3", "C11.4", "C12.1", "C12.2", "C12.3", "C12.4", "C12.5", "C12.6",
    "D1.1", "D2.1", "D2.2", "D3.1", "D3.2", "D3.3",
];

fn ids(rules: &RowRules) -> Vec<&str> {
    rules.targets().iter().map(|t| t.id.as_str()).collect()
}

fn series(name: &str) -> Value {
    json!({"from": "series", "series": name})
}

fn school(field: &str) -> Value {
    json!({"from": "entity_sum", "entity_kind": "school", "field": field})
}

fn count(measure: Value, unit: &str) -> Value {
    json!({"type": "count", "measure": measure, "target": "100", "unit": unit})
}

/// A rule set of twenty targets, one of them a band written with `over_time: cumulative`
/// (the target that used to vanish from the row rules).
fn twenty() -> Plan {
    let mut targets: Vec<Value> = (1..20)
        .map(|i| target(&format!("C{i}"), count(series("bases"), "bases")))
        .collect();
    targets.insert(
        7,
        target(
            "BAND",
            json!({"type": "approximate_count",
                   "measure": {"from": "series", "series": "flow", "over_time": "cumulative"},
                   "nominal": "30", "lower": "27", "upper": "33", "unit": "persons", "above_band": "met"}),
        ),
    );
    plan(targets)
}

#[test]
fn a_cumulative_band_is_listed_with_its_reason_in_both_languages() {
    let p = twenty();
    assert_eq!(p.targets.len(), 20);
    let rules = RowRules::for_series(&p);
    assert_eq!(rules.targets().len(), 19);
    assert!(!ids(&rules).contains(&"BAND"));
    let [band] = rules.left_out() else {
        panic!("{:?}", rules.left_out())
    };
    assert_eq!(band.id, "BAND");
    assert_eq!(band.kind, "approximate_count");
    assert_eq!(
        band.reason,
        LeftOutReason::CumulativeOverTime {
            measure: "flow".into()
        }
    );
    assert_eq!(band.reason.code(), "cumulative_over_time");
    let m = band.message();
    assert_eq!(
        m.en,
        "it reads `flow` summed over the years since the plan began (`over_time: cumulative`), \
         and one record holds one year"
    );
    assert_eq!(
        m.zh,
        "它读取`flow`自规划首年起的逐年累计值（`over_time: cumulative`），而一条记录只有一年的数据"
    );
    assert_eq!(
        serde_json::to_value(band).unwrap(),
        json!({"id": "BAND", "kind": "approximate_count", "reason": "cumulative_over_time",
               "message_zh": m.zh, "message_en": m.en})
    );
}

#[test]
fn the_embedded_plan_lists_what_each_kind_of_record_leaves_out() {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let district = RowRules::for_series(&plan);
    assert_eq!(ids(&district), ["A1", "A2", "A3", "A8.1", "B1"]);
    assert_eq!(
        left_out(&district)[..14],
        [
            ("A4.1", "entity_records"),
            ("A4.2", "cumulative_over_time"),
            ("A5.1", "cumulative_over_time"),
            ("A5.2", "cumulative_over_time"),
            ("A5.3", "cumulative_over_time"),
            ("A6.1", "entity_records"),
            ("A6.2", "entity_records"),
            ("A7", "entity_records"),
            ("A8.2/community", "entity_records"),
            ("A8.2/inservice", "entity_records"),
            ("B2", "entity_records"),
            ("B3/schools", "entity_records"),
            ("B3/teachers", "entity_records"),
            ("B3/students", "entity_records"),
        ]
    );
    // The body's commitments without a number: no record of any kind decides them.
    let qualitative: Vec<(&str, &str)> = QUALITATIVE
        .iter()
        .map(|id| (*id, "not_row_judgeable_kind"))
        .collect();
    assert_eq!(left_out(&district)[14..65], qualitative[..]);
    assert_eq!(
        left_out(&district)[65..],
        [
            ("F1", "needs_several_years"),
            ("R1", "needs_several_years"),
            ("R2", "entity_records"),
        ]
    );
    let c11 = &district.left_out()[14];
    assert_eq!(
        (c11.kind, c11.message().en.as_str()),
        (
            "qualitative",
            "a `qualitative` rule is not judged on one record"
        )
    );
    let f1 = &district.left_out()[65];
    assert_eq!(
        (f1.kind, f1.message().en.as_str(), f1.message().zh.as_str()),
        (
            "growth_comparison",
            "it compares growth over several years, and one record holds one year",
            "它比较多个年份的增长，而一条记录只有一年的数据"
        )
    );
    let b2 = &district.left_out()[10];
    assert_eq!(
        b2.message().en,
        "it reads `project` records, not the district series"
    );

    let schools = RowRules::compile(&plan, Some("school")).unwrap();
    assert_eq!(
        left_out(&schools)[..12],
        [
            ("A1", "district_series"),
            ("A2", "district_series"),
            ("A3", "district_series"),
            ("A4.2", "district_series"),
            ("A5.1", "district_series"),
            ("A5.2", "district_series"),
            ("A5.3", "district_series"),
            ("A8.1", "district_series"),
            ("A8.2/community", "other_entity_kind"),
            ("A8.2/inservice", "other_entity_kind"),
            ("B1", "district_series"),
            ("B2", "other_entity_kind"),
        ]
    );
    assert_eq!(left_out(&schools)[12..63], qualitative[..]);
    assert_eq!(
        left_out(&schools)[63..],
        [
            ("F1", "district_series"),
            ("R1", "district_series"),
            ("R2", "needs_several_years"),
        ]
    );
    assert_eq!(
        schools.left_out()[8].message().en,
        "it reads `street` records, not `school` records"
    );
    assert_eq!(
        schools.left_out()[8].message().zh,
        "它读取`street`的记录，而非`school`的记录"
    );
    assert_eq!(
        schools.left_out()[0].message().en,
        "it reads the district series, not `school` records"
    );
    // Every target of the plan is either judged or listed, for every kind of record.
    for kind in [None, Some("school"), Some("street"), Some("project")] {
        let rules = RowRules::compile(&plan, kind).unwrap();
        assert_eq!(
            rules.targets().len() + rules.left_out().len(),
            plan.targets.len() + 3, // A8.2 and B3 count by their five parts
            "{kind:?}"
        );
    }
}

#[test]
fn rates_over_two_populations_and_all_of_parts() {
    let filtered = |f: &str, levels: &[&str]| {
        json!({"from": "entity_sum", "entity_kind": "school", "field": f,
               "filter": [{"attribute": "level", "one_of": levels}]})
    };
    let p = plan(vec![
        target(
            "MIX",
            json!({"type": "rate", "numerator": filtered("passed", &["primary"]),
                   "denominator": filtered("eligible", &["primary", "secondary"]), "target_percent": "90"}),
        ),
        target(
            "ALL",
            json!({"type": "all_of", "parts": [
                {"id": "now", "title": {"zh": "当年", "en": "this year"},
                 "rule": {"type": "rate", "numerator": school("passed"), "denominator": school("eligible"), "target_percent": "100"}},
                {"id": "since", "title": {"zh": "累计", "en": "so far"},
                 "rule": count(json!({"from": "entity_sum", "entity_kind": "school", "field": "teachers", "over_time": "cumulative"}), "persons")}
            ]}),
        ),
        target(
            "G",
            json!({"type": "growth_comparison", "subject": series("money_a"), "benchmark": series("money_b"), "mode": "cumulative"}),
        ),
    ]);
    let rules = RowRules::compile(&p, Some("school")).unwrap();
    assert_eq!(ids(&rules), ["ALL/now"]);
    assert_eq!(
        left_out(&rules),
        [
            ("MIX", "different_filters"),
            ("ALL/since", "cumulative_over_time"),
            ("G", "district_series"),
        ]
    );
    assert_eq!(
        rules.left_out()[0].message().en,
        "its numerator and denominator sum different populations (different filters), which \
         one record cannot stand for"
    );
    assert_eq!(
        rules.left_out()[1].message().en,
        "it reads `school.teachers` summed over the years since the plan began (`over_time: \
         cumulative`), and one record holds one year"
    );
    // The filter of the left-out rate is not one the rules read, nor are its fields.
    assert!(rules.attributes().is_empty());
    assert_eq!(rules.fields(), ["passed", "eligible"]);

    // Naming the all-of whose part is left out is refused, naming the part.
    let e = RowRules::compile_selected(&p, Some("school"), &["ALL"]).unwrap_err();
    assert_eq!(
        e,
        RequestError::NotRowJudgeable {
            target: "ALL/since".into(),
            path: "/targets/0".into(),
            reason: "cumulative_over_time",
            message: rules.left_out()[1].message().en,
        }
    );
    // Its judgeable part alone may be named.
    let now = RowRules::compile_selected(&p, Some("school"), &["ALL/now"]).unwrap();
    assert_eq!(ids(&now), ["ALL/now"]);
    let e = RowRules::compile_selected(&p, Some("school"), &["ALL/now", "MIX"]).unwrap_err();
    assert_eq!(e.code(), "not_row_judgeable");
    assert_eq!(
        e.to_string(),
        "target `MIX` (at `/targets/1`) cannot be judged on one record (different_filters): its \
         numerator and denominator sum different populations (different filters), which one \
         record cannot stand for"
    );
}

#[test]
fn a_selection_keeps_the_rules_order_and_only_what_its_targets_read() {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let all = RowRules::compile(&plan, Some("school")).unwrap();
    let some = RowRules::compile_selected(&plan, Some("school"), &["A7", "A6.1", "A6.1"]).unwrap();
    assert_eq!(ids(&some), ["A6.1", "A7"]);
    assert_eq!(
        some.fields(),
        [
            "health_test_passed",
            "health_test_eligible",
            "students",
            "teachers_foreign_affairs",
            "teachers"
        ]
    );
    assert_eq!(some.attributes(), ["level"]);
    assert_eq!(some.left_out(), all.left_out());
    // An all-of whose parts are all judgeable names its parts.
    let b3 = RowRules::compile_selected(&plan, Some("school"), &["B3"]).unwrap();
    assert_eq!(ids(&b3), ["B3/schools", "B3/teachers", "B3/students"]);
    // The selected rules judge as the full rules do.
    let record = [("health_test_eligible", 200), ("health_test_passed", 199)];
    let judge = |rules: &RowRules| {
        let mut row = vec![plan_rules::row::RowValue::Missing; rules.fields().len()];
        for (f, v) in record {
            if let Some(i) = rules.field_index(f) {
                row[i] = plan_rules::row::RowValue::Int(v);
            }
        }
        let attrs = vec![Some("primary"); rules.attributes().len()];
        let mut out = vec![plan_rules::row::RowVerdict::Missing; rules.targets().len()];
        rules.judge(&row, &attrs, &mut out);
        rules
            .targets()
            .iter()
            .map(|t| t.id.clone())
            .zip(out)
            .collect::<Vec<_>>()
    };
    let full = judge(&all);
    for (id, v) in judge(&some) {
        assert!(full.contains(&(id.clone(), v)), "{id}: {v:?}");
    }
}

#[test]
fn a_selection_naming_a_left_out_target_is_refused() {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let e = RowRules::compile_selected(&plan, Some("school"), &["A6.1", "A8.2"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "target `A8.2/community` (at `/targets/1`) cannot be judged on one record \
         (other_entity_kind): it reads `street` records, not `school` records"
    );
    let f = FfiError::from(e);
    assert_eq!(
        (
            f.kind,
            f.code.as_str(),
            f.path.as_deref(),
            f.target.as_deref()
        ),
        (
            "request",
            "not_row_judgeable",
            Some("/targets/1"),
            Some("A8.2/community")
        )
    );
    assert_eq!(f.errors.len(), 1);
    assert_eq!(f.errors[0].code, "not_row_judgeable");

    let e = RowRules::compile_selected(&plan, None, &["F1"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "target `F1` (at `/targets/0`) cannot be judged on one record (needs_several_years): it \
         compares growth over several years, and one record holds one year"
    );
    let e = RowRules::compile_selected(&plan, None, &["A1", "Z9"]).unwrap_err();
    assert_eq!(e.code(), "unknown_target");
    assert_eq!(e.to_string(), "target `Z9` is not in the plan");
    let e = RowRules::compile_selected::<&str>(&plan, None, &[]).unwrap_err();
    assert_eq!(e.code(), "invalid_request");
    assert_eq!(
        e.to_string(),
        "request is invalid at `/targets`: the selection names no target (leave it out to judge \
         every row-judgeable target)"
    );
    // An unknown kind is refused before the selection is read.
    let e = RowRules::compile_selected(&plan, Some("hospital"), &["F1"]).unwrap_err();
    assert_eq!(e.code(), "invalid_request");
}
