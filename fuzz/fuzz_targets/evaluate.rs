//! Evaluating arbitrary data against the embedded plan at several as-of dates: deterministic,
//! never a panic, and never `met` without an observed value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use plan_rules::{Dataset, EvaluateOptions, Plan, Status, evaluate};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(dataset) = Dataset::from_json(&text) else { return };
    let plan = Plan::xicheng_2016_2020().unwrap();
    for as_of in ["2016-06-30", "2018-12-31", "2020-12-31", "2021-01-01"] {
        let date = as_of.parse().unwrap();
        let a = evaluate(&plan, &dataset, date, EvaluateOptions { trail: true });
        let b = evaluate(&plan, &dataset, date, EvaluateOptions { trail: true });
        assert_eq!(a, b);
        for r in &a.results {
            if r.status == Status::Met && r.parts.is_empty() && r.kind != "growth_comparison" {
                assert!(r.observed.is_some(), "{} met without an observed value", r.id);
            }
        }
        let _ = a.to_json();
    }
    // The JSON entry layer takes the same data as a request.
    let _ = plan_rules::ffi::evaluate_json(&format!("{{\"data\": {text}, \"as_of\": \"2019-12-31\"}}"));
});
