//! The embedded plan on the synthetic sample: golden reports, every status somewhere, determinism.
//! Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change (then review the diff).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::collections::BTreeSet;
use std::path::PathBuf;

use plan_rules::{
    Dataset, EvaluateOptions, Grade, Plan, Report, SAMPLE_DATA_JSON, Status, evaluate,
};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

fn report(as_of: &str, trail: bool) -> Report {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let data = Dataset::from_json(SAMPLE_DATA_JSON).unwrap();
    evaluate(
        &plan,
        &data,
        as_of.parse().unwrap(),
        EvaluateOptions::default().with_trail(trail),
    )
}

fn check_golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {}\n  actual:   {}",
            first + 1,
            expected.lines().nth(first).unwrap_or(""),
            actual.lines().nth(first).unwrap_or("")
        );
    }
}

#[test]
fn golden_final_report_with_trails() {
    check_golden(
        "xicheng-sample-2020-12-31.json",
        &report("2020-12-31", true).to_json(),
    );
}

#[test]
fn golden_mid_term_and_early_reports() {
    check_golden(
        "xicheng-sample-2018-12-31.notrail.json",
        &report("2018-12-31", false).to_json(),
    );
    check_golden(
        "xicheng-sample-2016-06-30.notrail.json",
        &report("2016-06-30", false).to_json(),
    );
}

#[test]
fn the_sample_produces_every_status_and_grade() {
    let mut seen: BTreeSet<(Status, Option<Grade>)> = BTreeSet::new();
    for as_of in ["2016-06-30", "2018-12-31", "2020-12-31"] {
        for r in report(as_of, false).results {
            seen.insert((r.status, r.grade));
            for p in r.parts {
                seen.insert((p.status, p.grade));
            }
        }
    }
    for want in [
        (Status::Met, None),
        (Status::NotMet, None),
        (Status::OnTrack, None),
        (Status::OffTrack, Some(Grade::Accelerate)),
        (Status::OffTrack, Some(Grade::Insufficient)),
        (Status::OffTrack, Some(Grade::Regressing)),
        (Status::NotAssessable, None),
    ] {
        assert!(seen.contains(&want), "the sample never produces {want:?}");
    }
}

#[test]
fn the_mid_term_verdicts() {
    let r = report("2018-12-31", false);
    let s = |id: &str| {
        let x = r.result(id).unwrap();
        (x.status, x.grade)
    };
    assert_eq!(s("A1"), (Status::OnTrack, None));
    assert_eq!(s("A2"), (Status::OffTrack, Some(Grade::Insufficient)));
    assert_eq!(s("A3"), (Status::OffTrack, Some(Grade::Accelerate)));
    assert_eq!(s("B3"), (Status::OffTrack, Some(Grade::Regressing)));
    assert_eq!(s("F1"), (Status::OffTrack, Some(Grade::Accelerate)));
    let f = report("2020-12-31", false);
    assert_eq!(
        f.result("A3").unwrap().observed.unwrap().to_string(),
        "99.96"
    );
    assert_eq!(f.result("A3").unwrap().status, Status::NotMet);
    assert_eq!(
        f.result("A7").unwrap().reason.as_ref().unwrap().code,
        "missing_value"
    );
    // The every-year floors of the previous period (line 23): S100 opened in 2018 without a key
    // teacher of district level, and a failed year is final at once.
    assert_eq!(s("R1"), (Status::OnTrack, None));
    assert_eq!(s("R2"), (Status::NotMet, None));
    assert_eq!(f.result("R1").unwrap().status, Status::Met);
    assert_eq!(f.result("R2").unwrap().status, Status::NotMet);
    // Recorded judgements (made up): met, on track before the deadline, not met at the end; a
    // progress verdict is no final verdict once the deadline has come; no judgement, no verdict.
    let recorded = |r: &Report, id: &str| {
        let x = r.result(id).unwrap();
        (x.status, x.judgement.is_some())
    };
    assert_eq!(recorded(&r, "C9.1"), (Status::Met, true));
    assert_eq!(recorded(&r, "C7.7"), (Status::OnTrack, true));
    assert_eq!(recorded(&r, "C10.1"), (Status::NotAssessable, false));
    assert_eq!(recorded(&f, "C9.1"), (Status::Met, true));
    assert_eq!(recorded(&f, "C10.1"), (Status::NotMet, true));
    assert_eq!(f.result("C7.7").unwrap().status, Status::NotAssessable);
    assert_eq!(
        f.result("C11.1").unwrap().reason.as_ref().unwrap().code,
        "qualitative"
    );
    let b2 = f.result("B2").unwrap();
    assert_eq!(
        b2.culprits.iter().map(|c| &*c.id).collect::<Vec<_>>(),
        vec!["P11"]
    );
}

#[test]
fn same_input_same_bytes() {
    let a = report("2018-12-31", true).to_json();
    let b = report("2018-12-31", true).to_json();
    assert_eq!(a, b);
    assert!(a.ends_with("}\n"));
}

#[test]
fn the_report_records_what_reproduces_it() {
    let r = report("2020-12-31", false);
    assert_eq!(r.engine.name, "plan-rules");
    assert_eq!(r.engine.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        r.plan.content_hash,
        Plan::xicheng_2016_2020().unwrap().content_hash()
    );
    assert_eq!(
        r.data.content_hash,
        Dataset::from_json(SAMPLE_DATA_JSON).unwrap().content_hash()
    );
    assert!(r.data.synthetic);
    assert_eq!(r.summary.total, 70);
    assert!(
        r.diagnostics.is_empty(),
        "the sample is clean: {:?}",
        r.diagnostics
    );
}
