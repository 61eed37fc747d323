//! Inputs the fuzzers found (kept under fuzz/regressions/TARGET/) and the spec files that seed
//! them, run through the same checks as the fuzz targets on every `cargo test`, on stable.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::PathBuf;

use plan_rules::{Dataset, EvaluateOptions, Plan, Status, evaluate};

fn files(target: &str) -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("fuzz/regressions").join(target))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
                .collect()
        })
        .unwrap_or_default();
    let seeds = if target == "load_plan" {
        "spec/plans"
    } else {
        "spec/samples"
    };
    out.extend(
        std::fs::read_dir(root.join(seeds))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json")),
    );
    out.sort();
    out
}

fn text(p: &PathBuf) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

#[test]
fn load_plan_inputs() {
    let inputs = files("load_plan");
    assert!(!inputs.is_empty());
    for p in inputs {
        if let Ok(plan) = Plan::from_json(&text(&p)) {
            let report = evaluate(
                &plan,
                &Dataset::default(),
                "2020-12-31".parse().unwrap(),
                Default::default(),
            );
            let _ = report.to_json();
        }
    }
}

#[test]
fn load_data_and_evaluate_inputs() {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let mut inputs = files("load_data");
    inputs.extend(files("evaluate"));
    for p in inputs {
        let Ok(data) = Dataset::from_json(&text(&p)) else {
            continue;
        };
        let answer = plan_rules::ffi::validate_dataset(&plan, &data);
        assert_eq!(answer.errors + answer.warnings, answer.diagnostics.len());
        for as_of in ["2016-06-30", "2018-12-31", "2020-12-31", "2021-01-01"] {
            let date = as_of.parse().unwrap();
            let a = evaluate(&plan, &data, date, EvaluateOptions { trail: true });
            assert_eq!(
                a,
                evaluate(&plan, &data, date, EvaluateOptions { trail: true }),
                "{}",
                p.display()
            );
            for r in &a.results {
                if r.status == Status::Met && r.parts.is_empty() && r.kind != "growth_comparison" {
                    assert!(
                        r.observed.is_some(),
                        "{}: {} met without an observed value",
                        p.display(),
                        r.id
                    );
                }
            }
        }
    }
}
