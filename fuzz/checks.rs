//! The fuzz targets' bodies, shared: `cargo fuzz` runs them under libFuzzer (fuzz_targets/), and
//! `core/tests/fuzz_regressions.rs` runs the very same functions on stable, on the kept
//! regression inputs and as a bounded generative test (proptest) in every `cargo test`.

use std::sync::OnceLock;

use plan_rules::{Dataset, EvaluateOptions, Plan, Status, evaluate};

/// The embedded plan, loaded once per process (loading it is most of a run otherwise).
fn xicheng() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| Plan::xicheng_2016_2020().unwrap())
}

/// Loading a rule set from arbitrary bytes: a typed error or a plan that evaluates and hashes.
pub fn load_plan(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(plan) = Plan::from_json(&text) {
        let _ = plan.content_hash();
        let report = evaluate(
            &plan,
            &Dataset::default(),
            "2020-12-31".parse().unwrap(),
            EvaluateOptions::default(),
        );
        let _ = report.to_json();
    }
}

/// Loading a dataset from arbitrary bytes and checking it against the embedded plan.
pub fn load_data(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(dataset) = Dataset::from_json(&text) {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let answer = plan_rules::ffi::validate_dataset(&plan, &dataset);
        assert_eq!(answer.errors + answer.warnings, answer.diagnostics.len());
        let _ = dataset.content_hash();
    }
}

/// Evaluating arbitrary data against the embedded plan at several as-of dates: deterministic,
/// and never `met` without an observed value (a qualitative target: without a recorded
/// judgement).
pub fn evaluate_data(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(dataset) = Dataset::from_json(&text) else {
        return;
    };
    let plan = xicheng();
    for as_of in ["2016-06-30", "2018-12-31", "2020-12-31", "2021-01-01"] {
        let date = as_of.parse().unwrap();
        let a = evaluate(
            plan,
            &dataset,
            date,
            EvaluateOptions::default().with_trail(true),
        );
        let b = evaluate(
            plan,
            &dataset,
            date,
            EvaluateOptions::default().with_trail(true),
        );
        assert_eq!(a, b);
        for r in &a.results {
            if r.status == Status::Met && r.parts.is_empty() && r.kind == "qualitative" {
                assert!(
                    r.judgement.is_some(),
                    "{} met without a recorded judgement",
                    r.id
                );
            } else if r.status == Status::Met && r.parts.is_empty() && r.kind != "growth_comparison"
            {
                assert!(
                    r.observed.is_some(),
                    "{} met without an observed value",
                    r.id
                );
            }
        }
        let _ = a.to_json();
    }
    let _ =
        plan_rules::ffi::evaluate_json(&format!("{{\"data\": {text}, \"as_of\": \"2019-12-31\"}}"));
}
