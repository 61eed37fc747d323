//! Loading a rule set from arbitrary bytes: a typed error or a plan, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(plan) = plan_rules::Plan::from_json(&text) {
        // A plan that loads evaluates on no data, and hashes, without panicking.
        let _ = plan.content_hash();
        let report = plan_rules::evaluate(&plan, &plan_rules::Dataset::default(), "2020-12-31".parse().unwrap(), Default::default());
        let _ = report.to_json();
    }
});
