//! The rate rule: every boundary of "达到 N%".
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

#[test]
fn exactly_at_the_target_is_met() {
    let r = one(
        rate_rule("100"),
        series(&[("num", &[(2020, "2000")]), ("den", &[(2020, "2000")])]),
        "2020-12-31",
    );
    assert_eq!(status(&r), (Status::Met, None));
    assert_eq!(num(r.observed), "100");
    assert_eq!(num(r.gap), "0");
    assert_eq!(num(r.progress), "100");
    assert_eq!(r.observed_year, Some(2020));
}

#[test]
fn full_value_comparison_99_95_does_not_reach_100() {
    let r = one(
        rate_rule("100"),
        series(&[("num", &[(2020, "1999")]), ("den", &[(2020, "2000")])]),
        "2020-12-31",
    );
    assert_eq!(status(&r), (Status::NotMet, None));
    assert_eq!(num(r.observed), "99.95");
    assert_eq!(num(r.gap), "0.05");
}

#[test]
fn rounded_value_comparison_rounds_half_even_first() {
    let mut t = target("T", rate_rule("100"));
    t["comparison"] = json!({"method": "rounded_value", "decimals": 1});
    // 99.95 rounds half-even to 100.0 at one place: met.
    let r = one_with(
        t.clone(),
        series(&[("num", &[(2020, "1999")]), ("den", &[(2020, "2000")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::Met);
    // 99.85 rounds half-even to 99.8 (not 99.9): not met against 99.9.
    let mut t2 = target("T", rate_rule("99.9"));
    t2["comparison"] = json!({"method": "rounded_value", "decimals": 1});
    let r = one_with(
        t2,
        series(&[("num", &[(2020, "1997")]), ("den", &[(2020, "2000")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotMet);
    let trail = r.trail.unwrap();
    assert!(
        trail
            .steps
            .iter()
            .any(|s| s.op == "round" && s.result == "99.8")
    );
}

#[test]
fn one_unit_below_is_not_met() {
    let r = one(
        rate_rule("90"),
        series(&[("num", &[(2020, "89")]), ("den", &[(2020, "100")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotMet);
    let r = one(
        rate_rule("90"),
        series(&[("num", &[(2020, "90")]), ("den", &[(2020, "100")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::Met);
}

#[test]
fn zero_denominator_is_not_assessable() {
    let r = one(
        rate_rule("100"),
        series(&[("num", &[(2020, "0")]), ("den", &[(2020, "0")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotAssessable);
    assert_eq!(reason(&r), "zero_denominator");
}

#[test]
fn numerator_above_denominator_is_not_assessable() {
    let r = one(
        rate_rule("100"),
        series(&[("num", &[(2020, "11")]), ("den", &[(2020, "10")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotAssessable);
    assert_eq!(reason(&r), "numerator_exceeds_denominator");
}

#[test]
fn missing_denominator_is_not_assessable_never_met() {
    let r = one(
        rate_rule("100"),
        series(&[("num", &[(2020, "10")])]),
        "2020-12-31",
    );
    assert_eq!(r.status, Status::NotAssessable);
    assert_eq!(reason(&r), "missing_value");
    let r = one(rate_rule("100"), json!({}), "2020-12-31");
    assert_eq!(reason(&r), "no_data");
}

#[test]
fn explicit_null_in_the_latest_year_is_missing_not_skipped() {
    let d = json!({"series": {"num": {"values": {"2019": 10, "2020": null}}, "den": {"values": {"2019": 10, "2020": 10}}}});
    let r = one(rate_rule("100"), d, "2020-12-31");
    assert_eq!(r.status, Status::NotAssessable);
    assert_eq!(reason(&r), "missing_value");
}

#[test]
fn never_skip_counts_missing_as_zero() {
    let mut t = target("T", rate_rule("100"));
    t["missing_data"] = json!("never_skip");
    let r = one_with(t, series(&[("den", &[(2020, "10")])]), "2020-12-31");
    assert_eq!(r.status, Status::NotMet);
    assert_eq!(num(r.observed), "0");
}

#[test]
fn deadline_day_and_the_day_after() {
    let d = series(&[
        ("num", &[(2015, "50"), (2019, "80"), (2020, "90")]),
        ("den", &[(2015, "100"), (2019, "100"), (2020, "100")]),
    ]);
    // The day before the deadline: 2020 is not yet visible; 2019 gives a trajectory.
    let r = one(rate_rule("100"), d.clone(), "2020-12-30");
    assert_eq!(r.observed_year, Some(2019));
    assert!(matches!(r.status, Status::OnTrack | Status::OffTrack));
    // The deadline day: final judgement with 2020.
    let r = one(rate_rule("100"), d.clone(), "2020-12-31");
    assert_eq!((r.status, r.observed_year), (Status::NotMet, Some(2020)));
    // The day after: the same.
    let r = one(rate_rule("100"), d, "2021-01-01");
    assert_eq!((r.status, r.observed_year), (Status::NotMet, Some(2020)));
}

#[test]
fn data_after_the_deadline_does_not_count() {
    let mut t = target("T", rate_rule("100"));
    t["deadline"] = json!("2018-12-31");
    let d = series(&[
        ("num", &[(2015, "50"), (2018, "90"), (2019, "100")]),
        ("den", &[(2015, "100"), (2018, "100"), (2019, "100")]),
    ]);
    let r = one_with(t, d, "2020-12-31");
    assert_eq!((r.status, r.observed_year), (Status::NotMet, Some(2018)));
}

fn trajectory_case(latest: &str) -> plan_rules::TargetResult {
    // Baseline 50% in 2015, target 100% by 2020; latest observation in 2018.
    let d = series(&[
        ("num", &[(2015, "50"), (2018, latest)]),
        ("den", &[(2015, "100"), (2018, "100")]),
    ]);
    one(rate_rule("100"), d, "2019-06-30")
}

#[test]
fn trajectory_grades_follow_the_cagr_ratio() {
    // Required CAGR: 2^(1/5) - 1 = 14.87%. Observed over 3 years.
    let on = trajectory_case("76"); // (1.52)^(1/3)-1 = 14.98% -> R ~ 1.007
    assert_eq!(status(&on), (Status::OnTrack, None));
    assert_eq!(
        on.trajectory.unwrap().method,
        plan_rules::report::TrajectoryMethod::Cagr
    );
    let acc = trajectory_case("68"); // 10.79% -> R ~ 0.726
    assert_eq!(status(&acc), (Status::OffTrack, Some(Grade::Accelerate)));
    let ins = trajectory_case("55"); // 3.23% -> R ~ 0.217
    assert_eq!(status(&ins), (Status::OffTrack, Some(Grade::Insufficient)));
    let flat = trajectory_case("50"); // 0 -> R = 0 -> insufficient
    assert_eq!(status(&flat), (Status::OffTrack, Some(Grade::Insufficient)));
    assert_eq!(num(flat.trajectory.unwrap().r), "0");
    let down = trajectory_case("45"); // negative -> regressing
    assert_eq!(status(&down), (Status::OffTrack, Some(Grade::Regressing)));
}

#[test]
fn r_boundaries_are_inclusive_where_the_method_says() {
    use plan_rules::trajectory::classify;
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(classify(d("0.95")), None);
    assert_eq!(classify(d("0.949999")), Some(Grade::Accelerate));
    assert_eq!(classify(d("0.6")), Some(Grade::Accelerate));
    assert_eq!(classify(d("0.599999")), Some(Grade::Insufficient));
    assert_eq!(classify(d("0")), Some(Grade::Insufficient));
    assert_eq!(classify(d("-0.000001")), Some(Grade::Regressing));
}

#[test]
fn zero_baseline_uses_the_straight_line() {
    let d = series(&[
        ("num", &[(2015, "0"), (2018, "60")]),
        ("den", &[(2015, "100"), (2018, "100")]),
    ]);
    let r = one(rate_rule("100"), d, "2018-12-31");
    let t = r.trajectory.unwrap();
    assert_eq!(t.method, plan_rules::report::TrajectoryMethod::Linear);
    // observed 20 per year, required 20 per year: R = 1.
    assert_eq!(num(t.r), "1");
    assert_eq!(r.status, Status::OnTrack);
}

#[test]
fn baseline_already_at_target_then_falling_is_regressing() {
    let d = series(&[
        ("num", &[(2015, "100"), (2017, "98")]),
        ("den", &[(2015, "100"), (2017, "100")]),
    ]);
    let r = one(rate_rule("100"), d, "2018-01-01");
    assert_eq!(status(&r), (Status::OffTrack, Some(Grade::Regressing)));
    assert_eq!(
        r.trajectory.unwrap().method,
        plan_rules::report::TrajectoryMethod::BaselineAtTarget
    );
}

#[test]
fn only_the_baseline_is_not_enough_for_a_trend() {
    let d = series(&[("num", &[(2015, "50")]), ("den", &[(2015, "100")])]);
    let r = one(rate_rule("100"), d, "2016-06-30");
    assert_eq!(reason(&r), "insufficient_data_points");
    assert_eq!(num(r.observed), "50");
}

#[test]
fn a_met_baseline_is_met() {
    let d = series(&[("num", &[(2015, "100")]), ("den", &[(2015, "100")])]);
    assert_eq!(one(rate_rule("100"), d, "2016-06-30").status, Status::Met);
}

#[test]
fn missing_baseline_is_not_assessable() {
    let d = series(&[("num", &[(2018, "50")]), ("den", &[(2018, "100")])]);
    let r = one(rate_rule("100"), d, "2018-12-31");
    assert_eq!(reason(&r), "missing_baseline");
}

#[test]
fn entity_sums_with_a_filtered_population_name_schools_below() {
    let rule = json!({"type": "rate",
        "numerator": {"from": "entity_sum", "entity_kind": "school", "field": "passed", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]},
        "denominator": {"from": "entity_sum", "entity_kind": "school", "field": "eligible", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]},
        "target_percent": "100"});
    let d = json!({"entities": [
        {"kind": "school", "id": "A", "attributes": {"level": "primary"}, "records": {"2020": {"eligible": 100, "passed": 100}}},
        {"kind": "school", "id": "B", "name": "School B", "attributes": {"level": "secondary"}, "records": {"2020": {"eligible": 50, "passed": 45}}},
        {"kind": "school", "id": "C", "attributes": {"level": "special"}, "records": {"2020": {"eligible": 10, "passed": 0}}}
    ]});
    let r = one(rule, d, "2020-12-31");
    assert_eq!(r.status, Status::NotMet);
    // (100 + 45) / (100 + 50): the special school is filtered out.
    assert_eq!(num(r.observed), "96.66666666666666666666666667");
    assert_eq!(r.culprits.len(), 1);
    assert_eq!(&*r.culprits[0].id, "B");
    assert_eq!(r.culprits[0].problem, "below_target");
    let trail = r.trail.unwrap();
    assert_eq!(trail.inputs.len(), 4);
    let ratio = trail.steps.iter().find(|s| s.op == "ratio").unwrap();
    assert_eq!(ratio.expr, "2020: 145 ÷ 150 × 100");
    assert!(!ratio.exact);
}
