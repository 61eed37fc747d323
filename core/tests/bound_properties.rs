//! Properties of the bounds, changes and every-year rules of plan indicator tables (proptest):
//! a value never gets a better status by moving the wrong way, whichever way the bound points; an
//! every-year bound is never met before its last year is due, and one failed year decides it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::{Grade, Status};
use proptest::prelude::*;
use serde_json::{Value, json};

const OPS: [&str; 4] = [">=", ">", "<=", "<"];

fn value_rule(op: &str, limit: u32) -> Value {
    json!({"type": "value", "measure": {"from": "series", "series": "money_a"}, "op": op,
           "limit": limit.to_string(), "unit": "10k CNY"})
}

fn change_rule(op: &str, amount: i32, method: &str) -> Value {
    json!({"type": "change", "measure": {"from": "series", "series": "money_a"}, "method": method,
           "op": op, "amount": amount.to_string()})
}

/// Orders verdicts from worst to best; `not_assessable` with the worst.
fn rank(s: Status, g: Option<Grade>) -> u8 {
    match (s, g) {
        (Status::NotAssessable, _) => 0,
        (Status::NotMet, _) => 1,
        (Status::OffTrack, Some(Grade::Regressing)) => 2,
        (Status::OffTrack, Some(Grade::Insufficient)) => 3,
        (Status::OffTrack, _) => 4,
        (Status::OnTrack, _) => 5,
        (Status::Met, _) => 6,
    }
}

fn as_of() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("2017-12-31"),
        Just("2018-12-31"),
        Just("2019-06-30"),
        Just("2020-12-31")
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_level_never_gains_by_moving_the_wrong_way(op in 0usize..4, limit in 1u32..200,
            base in 1u32..200, a in 1u32..200, b in 1u32..200, year in 2016i32..2021, date in as_of()) {
        let op = OPS[op];
        let (lo, hi) = (a.min(b), a.max(b));
        let status = |v: u32| {
            let d = series(&[("money_a", &[(2015, &base.to_string()), (year, &v.to_string())])]);
            let r = one(value_rule(op, limit), d, date);
            rank(r.status, r.grade)
        };
        let (better, worse) = if op.starts_with('>') { (hi, lo) } else { (lo, hi) };
        prop_assert!(status(better) >= status(worse), "{op} {limit}: {better} vs {worse}");
    }

    #[test]
    fn a_change_never_gains_by_moving_the_wrong_way(op in 0usize..4, amount in -50i32..50,
            method in prop_oneof![Just("absolute"), Just("relative"), Just("annual_rate")],
            base in 1u32..200, a in 1u32..200, b in 1u32..200, year in 2016i32..2021, date in as_of()) {
        let op = OPS[op];
        let (lo, hi) = (a.min(b), a.max(b));
        let status = |v: u32| {
            let d = series(&[("money_a", &[(2015, &base.to_string()), (year, &v.to_string())])]);
            let r = one(change_rule(op, amount, method), d, date);
            rank(r.status, r.grade)
        };
        let (better, worse) = if op.starts_with('>') { (hi, lo) } else { (lo, hi) };
        prop_assert!(status(better) >= status(worse), "{method} {op} {amount}: {better} vs {worse}");
    }

    #[test]
    fn every_year_is_decided_by_its_due_years(op in 0usize..4, limit in 1u32..100,
            values in proptest::collection::vec(proptest::option::of(1u32..100), 5), date in as_of()) {
        let op = OPS[op];
        let points: Vec<(i32, String)> = values.iter().enumerate()
            .filter_map(|(i, v)| v.map(|v| (2016 + i as i32, v.to_string())))
            .collect();
        let refs: Vec<(i32, &str)> = points.iter().map(|(y, v)| (*y, v.as_str())).collect();
        let d = series(&[("money_a", &refs)]);
        let r = one(json!({"type": "every_year", "rule": value_rule(op, limit)}), d, date);
        let last_due = match date { "2017-12-31" => 2017, "2018-12-31" | "2019-06-30" => 2018, _ => 2020 };
        let holds = |v: u32| match op {
            ">=" => v >= limit, ">" => v > limit, "<=" => v <= limit, _ => v < limit,
        };
        let due: Vec<Option<u32>> = values[..(last_due - 2015) as usize].to_vec();
        let failed: Vec<String> = due.iter().enumerate()
            .filter(|(_, v)| v.is_some_and(|v| !holds(v)))
            .map(|(i, _)| (2016 + i).to_string())
            .collect();
        let culprits: Vec<String> = r.culprits.iter().map(|c| c.id.to_string()).collect();
        prop_assert_eq!(&culprits, &failed);
        let expected = if !failed.is_empty() {
            Status::NotMet
        } else if due.iter().any(Option::is_none) {
            Status::NotAssessable
        } else if last_due == 2020 {
            Status::Met
        } else {
            Status::OnTrack
        };
        prop_assert_eq!(r.status, expected);
    }
}
