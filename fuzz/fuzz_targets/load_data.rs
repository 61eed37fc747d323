//! Loading a dataset from arbitrary bytes and checking it against the embedded plan.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(dataset) = plan_rules::Dataset::from_json(&text) {
        let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
        let answer = plan_rules::ffi::validate_dataset(&plan, &dataset);
        assert_eq!(answer.errors + answer.warnings, answer.diagnostics.len());
        let _ = dataset.content_hash();
    }
});
