//! The audit log: any alteration, removal, insertion, reordering or truncation is found, and the
//! first bad line is named.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use plan_rules::audit_log::{LogProblemKind, append, verify};
use plan_rules::{Dataset, Plan, evaluate};

fn log_of(n: usize) -> String {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let report = evaluate(
        &plan,
        &Dataset::default(),
        "2018-12-31".parse().unwrap(),
        Default::default(),
    );
    let mut log = String::new();
    for i in 0..n {
        let line = append(&log, &report, &format!("2026-11-28T00:00:{i:02}Z")).unwrap();
        log.push_str(&line);
    }
    log
}

fn lines(log: &str) -> Vec<String> {
    log.lines().map(str::to_string).collect()
}

fn join(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn problem(log: &str) -> (usize, LogProblemKind) {
    let p = verify(log).problem.expect("a problem");
    (p.line, p.kind)
}

#[test]
fn a_good_log_verifies() {
    let log = log_of(4);
    let v = verify(&log);
    assert!(v.ok);
    assert_eq!(v.verified, 4);
    assert!(v.head.starts_with("sha256:"));
    assert!(verify("").ok);
}

#[test]
fn altering_any_line_is_found_at_that_line() {
    let log = log_of(4);
    for i in 0..4 {
        let mut l = lines(&log);
        l[i] = l[i].replace("\"as_of\":\"2018-12-31\"", "\"as_of\":\"2019-12-31\"");
        assert_eq!(problem(&join(&l)), (i + 1, LogProblemKind::Altered));
    }
}

#[test]
fn removing_a_line_is_found_at_the_gap() {
    let mut l = lines(&log_of(4));
    l.remove(1);
    assert_eq!(problem(&join(&l)), (2, LogProblemKind::Removed));
    // Removing the first line.
    let mut l = lines(&log_of(3));
    l.remove(0);
    assert_eq!(problem(&join(&l)), (1, LogProblemKind::Removed));
}

#[test]
fn reordering_lines_is_found() {
    let mut l = lines(&log_of(4));
    l.swap(1, 2);
    assert_eq!(problem(&join(&l)), (2, LogProblemKind::Reordered));
}

#[test]
fn inserting_or_duplicating_a_line_is_found() {
    let mut l = lines(&log_of(3));
    let copy = l[0].clone();
    l.insert(1, copy);
    assert_eq!(problem(&join(&l)), (2, LogProblemKind::Reordered));
    // A line from another log with the right number breaks the chain.
    let other = lines(&log_of(2));
    let mut l = lines(&log_of(3));
    l[1] = other[1].replace("00:00:01", "00:00:09");
    // Altered content (the timestamp) is caught by the hash first.
    assert_eq!(problem(&join(&l)), (2, LogProblemKind::Altered));
}

#[test]
fn a_truncated_last_line_is_reported_and_the_rest_still_verifies() {
    let log = log_of(3);
    let cut = &log[..log.len() - 40];
    let v = verify(cut);
    assert!(!v.ok);
    let p = v.problem.unwrap();
    assert_eq!((p.line, p.kind), (3, LogProblemKind::Truncated));
    assert_eq!(v.verified, 2);
    // Garbage in the middle is malformed, not truncated.
    let mut l = lines(&log);
    l[1] = "{not json".into();
    assert_eq!(problem(&join(&l)), (2, LogProblemKind::Malformed));
}

#[test]
fn nothing_is_appended_to_a_damaged_log() {
    let mut l = lines(&log_of(2));
    l.remove(0);
    let plan = Plan::xicheng_2016_2020().unwrap();
    let report = evaluate(
        &plan,
        &Dataset::default(),
        "2018-12-31".parse().unwrap(),
        Default::default(),
    );
    let err = append(&join(&l), &report, "t").unwrap_err();
    assert_eq!(err.code(), "audit_log_damaged");
}
