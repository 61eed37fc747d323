//! The fuzz targets on stable: the same check functions as `cargo fuzz` runs (fuzz/checks.rs),
//! applied to the inputs the fuzzers found (fuzz/regressions/TARGET/), to the spec files that seed
//! them, and to a bounded stream of generated inputs (arbitrary bytes and JSON-shaped text).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::PathBuf;

use proptest::prelude::*;

#[path = "../../fuzz/checks.rs"]
mod checks;

fn files(target: &str) -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("fuzz/regressions").join(target))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
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

#[test]
fn kept_inputs_and_seeds() {
    for (target, check) in [
        ("load_plan", checks::load_plan as fn(&[u8])),
        ("load_data", checks::load_data),
        ("evaluate", checks::evaluate_data),
    ] {
        let inputs = files(target);
        assert!(!inputs.is_empty());
        for p in inputs {
            check(&std::fs::read(&p).unwrap());
        }
    }
}

/// JSON-shaped text that reaches past the parser: the sample's series and fields with
/// arbitrary values.
fn json_like() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        Just("lifelong_learning_bases"),
        Just("preschool_enrolled_hukou"),
        Just("preschool_children_hukou"),
        Just("education_appropriation"),
        Just("recurring_fiscal_revenue"),
        Just("certification_points"),
    ];
    let value = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        "-?[0-9]{1,32}(\\.[0-9]{1,32})?(e-?[0-9]{1,3})?",
        "\"[0-9a-z.-]{0,12}\"",
    ];
    let year = prop_oneof![(2014i32..2022).prop_map(|y| y.to_string()), "[0-9]{0,5}"];
    proptest::collection::vec((field, year, value), 0..12).prop_map(|cells| {
        let body: Vec<String> = cells
            .iter()
            .map(|(f, y, v)| format!("\"{f}\": {{\"values\": {{\"{y}\": {v}}}}}"))
            .collect();
        format!("{{\"series\": {{{}}}}}", body.join(", "))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn bounded_pass_over_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        checks::load_plan(&bytes);
        checks::load_data(&bytes);
        checks::evaluate_data(&bytes);
    }

    #[test]
    fn bounded_pass_over_json_shaped_data(text in json_like()) {
        checks::load_data(text.as_bytes());
        checks::evaluate_data(text.as_bytes());
    }
}
