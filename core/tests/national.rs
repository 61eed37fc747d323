//! The second real rule set: the main indicators of the national 14th Five-Year Plan outline
//! (2021-2025), on its synthetic sample. Golden reports and renderings, and the verdict on each
//! indicator worked out by hand from the sample (spec/README.md, the national rule set).
//! Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change (then review the diff).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::PathBuf;

use plan_rules::plan::Obligation;
use plan_rules::render::{Language, markdown, table};
use plan_rules::report::Basis;
use plan_rules::{Dataset, EvaluateOptions, Grade, Plan, Report, Status, evaluate};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn report(as_of: &str, trail: bool) -> Report {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let plan = Plan::from_json(&read("spec/plans/china-national-14th-fyp-2021-2025.json")).unwrap();
    let data = Dataset::from_json(&read(
        "spec/samples/china-national-14th-fyp-2021-2025-sample.json",
    ))
    .unwrap();
    evaluate(
        &plan,
        &data,
        as_of.parse().unwrap(),
        EvaluateOptions::default().with_trail(trail),
    )
}

fn check_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert!(expected == actual, "{name} differs from its golden file");
}

#[test]
fn golden_reports_and_renderings() {
    let r = report("2025-03-31", true);
    check_golden("national-14th-sample-2025-03-31.json", &r.to_json());
    check_golden(
        "national-14th-sample-2025-03-31.md",
        &markdown(&r, Language::Both),
    );
    check_golden(
        "national-14th-sample-2025-03-31.txt",
        &table(&r, Language::Both, false),
    );
    check_golden(
        "national-14th-sample-2024-12-31.notrail.json",
        &report("2024-12-31", false).to_json(),
    );
}

#[test]
fn each_indicator_gets_the_verdict_worked_out_by_hand() {
    use Grade::*;
    use Status::*;
    let r = report("2025-03-31", false);
    let expected: &[(&str, Status, Option<Grade>)] = &[
        ("N1", OnTrack, None),
        ("N2", OffTrack, Some(Accelerate)),
        ("N3", Met, None),
        ("N4", OnTrack, None),
        ("N4A", NotAssessable, None),
        ("N5", OnTrack, None),
        ("N6", OffTrack, Some(Accelerate)),
        ("N7", OnTrack, None),
        ("N8", NotMet, None),
        ("N9", OffTrack, Some(Insufficient)),
        ("N10", Met, None),
        ("N11", OnTrack, None),
        ("N12", NotAssessable, None),
        ("N13", Met, None),
        ("N14", OffTrack, Some(Insufficient)),
        ("N15", OnTrack, None),
        ("N16", OffTrack, Some(Regressing)),
        ("N17", Met, None),
        ("N18", OnTrack, None),
        ("N19", OnTrack, None),
        ("N20", OnTrack, None),
    ];
    assert_eq!(r.results.len(), expected.len());
    for (id, status, grade) in expected {
        let got = r.result(id).unwrap();
        assert_eq!((got.status, got.grade), (*status, *grade), "{id}");
    }
    // The every-year bound names its failing year; the recorded judgement is marked as such.
    let n8 = r.result("N8").unwrap();
    let failed: Vec<&str> = n8.culprits.iter().map(|c| &*c.id).collect();
    assert_eq!(failed, ["2022"]);
    assert_eq!(r.result("N1").unwrap().basis, Basis::Recorded);
    assert_eq!(r.result("N3").unwrap().basis, Basis::Computed);
    // 8 binding and 13 indicative indicators, counted apart.
    let by: Vec<(Obligation, usize)> = r
        .summary
        .by_obligation
        .iter()
        .map(|o| (o.obligation, o.total))
        .collect();
    assert_eq!(by, [(Obligation::Binding, 8), (Obligation::Indicative, 13)]);
    // Before the judgement is dated, the qualitative target has no verdict.
    let early = report("2024-12-31", false);
    let n1 = early.result("N1").unwrap();
    assert_eq!(n1.status, NotAssessable);
    assert_eq!(n1.reason.as_ref().unwrap().code, "qualitative");
}

#[test]
fn the_audit_log_keeps_the_recorded_judgement() {
    let r = report("2025-03-31", false);
    let line = plan_rules::audit_log::append("", &r, "2025-04-01T08:00:00Z").unwrap();
    let judgement = r.result("N1").unwrap().judgement.as_ref().unwrap();
    assert!(
        line.contains(&format!("\"by\":\"{}\"", judgement.by)),
        "{line}"
    );
    assert!(line.contains("\"basis\":\"recorded\""));
    let verified = plan_rules::audit_log::verify(&line);
    assert!(verified.ok && verified.verified == 1, "{verified:?}");
}
