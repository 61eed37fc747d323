//! Growth comparison and all-of rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::{Grade, Status};
use serde_json::{Value, json};

fn growth(mode: &str) -> Value {
    json!({"type": "growth_comparison", "subject": {"from": "series", "series": "money_a"}, "benchmark": {"from": "series", "series": "money_b"}, "mode": mode})
}

fn money(a: &[(i32, &str)], b: &[(i32, &str)]) -> Value {
    series(&[("money_a", a), ("money_b", b)])
}

const A_OK: &[(i32, &str)] = &[
    (2015, "100"),
    (2016, "110"),
    (2017, "121"),
    (2018, "133.1"),
    (2019, "146.41"),
    (2020, "161.051"),
];
const B_OK: &[(i32, &str)] = &[
    (2015, "100"),
    (2016, "105"),
    (2017, "110.25"),
    (2018, "115.7625"),
    (2019, "121.550625"),
    (2020, "127.62815625"),
];

#[test]
fn faster_growth_every_year_is_met_at_the_deadline_and_on_track_before() {
    assert_eq!(
        one(growth("year_over_year"), money(A_OK, B_OK), "2020-12-31").status,
        Status::Met
    );
    assert_eq!(
        one(growth("year_over_year"), money(A_OK, B_OK), "2018-12-31").status,
        Status::OnTrack
    );
    assert_eq!(
        one(growth("cumulative"), money(A_OK, B_OK), "2020-12-31").status,
        Status::Met
    );
}

#[test]
fn one_slower_year_fails_and_is_named() {
    let a = &[(2015, "100"), (2016, "110"), (2017, "112"), (2018, "130")];
    let b = &[
        (2015, "100"),
        (2016, "105"),
        (2017, "110.25"),
        (2018, "115"),
    ];
    let r = one(growth("year_over_year"), money(a, b), "2018-12-31");
    // 2016→2017: 1.82% against 5%: R = 0.363636 -> insufficient.
    assert_eq!(status(&r), (Status::OffTrack, Some(Grade::Insufficient)));
    assert_eq!(
        r.culprits.iter().map(|c| &*c.id).collect::<Vec<_>>(),
        vec!["2016-2017"]
    );
    assert_eq!(num(r.trajectory.unwrap().r), "0.363636");
    let mut full_a = a.to_vec();
    full_a.extend([(2019, "150"), (2020, "170")]);
    let mut full_b = b.to_vec();
    full_b.extend([(2019, "120"), (2020, "125")]);
    assert_eq!(
        one(
            growth("year_over_year"),
            money(&full_a, &full_b),
            "2020-12-31"
        )
        .status,
        Status::NotMet
    );
}

#[test]
fn equal_growth_is_not_higher_unless_not_strict() {
    let a = &[(2015, "100"), (2016, "105")];
    let b = &[(2015, "200"), (2016, "210")];
    assert_eq!(
        one(growth("year_over_year"), money(a, b), "2016-12-31").status,
        Status::OffTrack
    );
    let mut rule = growth("year_over_year");
    rule["strict"] = json!(false);
    assert_eq!(one(rule, money(a, b), "2016-12-31").status, Status::OnTrack);
}

#[test]
fn growth_needs_two_years_and_a_positive_base() {
    let r = one(
        growth("year_over_year"),
        money(&[(2015, "100")], &[(2015, "100")]),
        "2016-12-31",
    );
    assert_eq!(reason(&r), "insufficient_data_points");
    let r = one(
        growth("year_over_year"),
        money(
            &[(2015, "0"), (2016, "10")],
            &[(2015, "100"), (2016, "110")],
        ),
        "2016-12-31",
    );
    assert_eq!(reason(&r), "non_positive_base");
}

#[test]
fn missing_final_year_is_not_assessable_but_a_known_failure_still_fails() {
    let a = &[
        (2015, "100"),
        (2016, "110"),
        (2017, "121"),
        (2018, "133.1"),
        (2019, "146.41"),
    ];
    let b = &[
        (2015, "100"),
        (2016, "105"),
        (2017, "110.25"),
        (2018, "115.7625"),
        (2019, "121.550625"),
        (2020, "127"),
    ];
    let r = one(growth("year_over_year"), money(a, b), "2020-12-31");
    assert_eq!(reason(&r), "missing_value");
    let a2 = &[
        (2015, "100"),
        (2016, "100"),
        (2017, "121"),
        (2018, "133.1"),
        (2019, "146.41"),
    ];
    assert_eq!(
        one(growth("year_over_year"), money(a2, b), "2020-12-31").status,
        Status::NotMet
    );
}

fn all_of(parts: Vec<(&str, Value)>) -> Value {
    let parts: Vec<Value> = parts
        .into_iter()
        .map(|(id, rule)| json!({"id": id, "title": {"zh": id, "en": id}, "rule": rule}))
        .collect();
    json!({"type": "all_of", "parts": parts})
}

fn count(series_name: &str, unit: &str, target: &str) -> Value {
    json!({"type": "count", "measure": {"from": "series", "series": series_name}, "target": target, "unit": unit})
}

#[test]
fn all_of_is_met_only_when_every_part_is() {
    let rule = all_of(vec![
        ("a", count("bases", "bases", "10")),
        ("b", count("flow", "persons", "10")),
    ]);
    let both = series(&[("bases", &[(2020, "10")]), ("flow", &[(2020, "10")])]);
    let r = one(rule.clone(), both, "2020-12-31");
    assert_eq!(r.status, Status::Met);
    assert_eq!(
        r.parts.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["T/a", "T/b"]
    );
    let one_short = series(&[("bases", &[(2020, "10")]), ("flow", &[(2020, "9")])]);
    assert_eq!(
        one(rule.clone(), one_short, "2020-12-31").status,
        Status::NotMet
    );
    let one_missing = series(&[("bases", &[(2020, "10")])]);
    let r = one(rule, one_missing, "2020-12-31");
    assert_eq!(
        (r.status, reason(&r)),
        (Status::NotAssessable, "part_not_assessable")
    );
}

#[test]
fn all_of_takes_the_worst_part() {
    let rule = all_of(vec![
        ("a", count("bases", "bases", "100")),
        ("b", count("flow", "persons", "100")),
        ("c", count("years", "years", "100")),
    ]);
    // a on track, b regressing, c not assessable (no data) -> off track, regressing.
    let d = series(&[
        ("bases", &[(2015, "10"), (2018, "80")]),
        ("flow", &[(2015, "50"), (2018, "40")]),
    ]);
    let r = one(rule, d, "2018-12-31");
    assert_eq!(status(&r), (Status::OffTrack, Some(Grade::Regressing)));
    let parts: Vec<_> = r.parts.iter().map(|p| p.status).collect();
    assert_eq!(
        parts,
        vec![Status::OnTrack, Status::OffTrack, Status::NotAssessable]
    );
}
