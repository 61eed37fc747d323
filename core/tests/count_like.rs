//! Count, approximate count and duration rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::{Grade, Status};
use serde_json::json;

fn count(target: &str) -> serde_json::Value {
    json!({"type": "count", "measure": {"from": "series", "series": "bases"}, "target": target, "unit": "bases"})
}

#[test]
fn count_reaches_n_inclusively() {
    let d = series(&[("bases", &[(2015, "60"), (2020, "100")])]);
    assert_eq!(one(count("100"), d, "2020-12-31").status, Status::Met);
    let d = series(&[("bases", &[(2015, "60"), (2020, "99")])]);
    let r = one(count("100"), d, "2020-12-31");
    assert_eq!(r.status, Status::NotMet);
    assert_eq!(num(r.gap), "1");
    assert_eq!(r.unit.as_deref(), Some("bases"));
}

#[test]
fn fractional_or_negative_counts_make_the_target_not_assessable_with_a_diagnostic() {
    let d = series(&[("bases", &[(2015, "60"), (2020, "99.5")])]);
    let p = plan(vec![target("T", count("100"))]);
    let report = run(&p, &data(d), "2020-12-31");
    let r = &report.results[0];
    assert_eq!((r.status, reason(r)), (Status::NotAssessable, "bad_data"));
    let diag = &report.diagnostics[r.diagnostics[0]];
    assert_eq!(diag.code.as_str(), "fractional_count");
    assert_eq!(diag.path, "/series/bases/values/2020");
    assert_eq!(diag.period, Some(2020));
    assert!(r.explanation.en.contains("/series/bases/values/2020"));

    let d = series(&[("bases", &[(2015, "-1"), (2020, "100")])]);
    let report = run(&p, &data(d), "2019-12-31");
    assert_eq!(report.diagnostics[0].code.as_str(), "negative_value");
}

#[test]
fn cumulative_counts_sum_the_plan_years() {
    let rule = json!({"type": "count", "measure": {"from": "series", "series": "flow", "over_time": "cumulative"}, "target": "50", "unit": "persons"});
    let d = series(&[(
        "flow",
        &[
            (2016, "10"),
            (2017, "10"),
            (2018, "10"),
            (2019, "10"),
            (2020, "10"),
        ],
    )]);
    let r = one(rule.clone(), d, "2020-12-31");
    assert_eq!((r.status, num(r.observed)), (Status::Met, "50".into()));
    // At mid-term: 30 of 50 after 3 of 5 years, from a zero baseline: straight line, R = 1.
    let d = series(&[("flow", &[(2016, "10"), (2017, "10"), (2018, "10")])]);
    let r = one(rule.clone(), d, "2018-12-31");
    assert_eq!(r.status, Status::OnTrack);
    assert_eq!(num(r.trajectory.unwrap().r), "1");
    assert_eq!(num(r.baseline.map(|b| b.value)), "0");
    // A gap year is missing under skip_if_any.
    let d = series(&[("flow", &[(2016, "10"), (2018, "10")])]);
    let r = one(rule, d, "2018-12-31");
    assert_eq!(reason(&r), "missing_value");
}

fn approx(above: &str) -> serde_json::Value {
    json!({"type": "approximate_count", "measure": {"from": "series", "series": "flow"}, "nominal": "30", "lower": "27", "upper": "33", "unit": "persons", "above_band": above})
}

#[test]
fn approximate_band_edges() {
    let at = |v: &str, above: &str| {
        one(
            approx(above),
            series(&[("flow", &[(2020, v)])]),
            "2020-12-31",
        )
    };
    assert_eq!(at("26", "met").status, Status::NotMet);
    let r = at("27", "met");
    assert_eq!(r.status, Status::Met);
    assert!(r.approximate);
    assert_eq!(r.band.as_ref().unwrap().position, Some("within"));
    assert_eq!(at("33", "not_met").status, Status::Met);
    let r = at("34", "met");
    assert_eq!(
        (r.status, r.band.as_ref().unwrap().position),
        (Status::Met, Some("above"))
    );
    assert_eq!(at("34", "not_met").status, Status::NotMet);
    assert_eq!(num(at("26", "met").target), "27");
}

#[test]
fn duration_in_years() {
    let rule = json!({"type": "duration", "measure": {"from": "series", "series": "years"}, "target_years": "15"});
    let r = one(
        rule.clone(),
        series(&[("years", &[(2015, "12"), (2020, "15")])]),
        "2020-12-31",
    );
    assert_eq!((r.status, r.unit.as_deref()), (Status::Met, Some("years")));
    let r = one(
        rule.clone(),
        series(&[("years", &[(2015, "12"), (2020, "14")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotMet);
    // Flat at mid-term: R = 0, insufficient.
    let r = one(
        rule,
        series(&[("years", &[(2015, "12"), (2018, "12")])]),
        "2018-12-31",
    );
    assert_eq!(status(&r), (Status::OffTrack, Some(Grade::Insufficient)));
}
