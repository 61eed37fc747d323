//! The shared conformance vectors (tests/vectors/): the Rust runner. The Python and Node runners
//! read the same folder; a case added there runs in all three. Set UPDATE_VECTORS=1 to write the
//! expected reports after an intended change (then review the diff).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::{Path, PathBuf};

use plan_rules::ffi::evaluate_json;
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A case's plan or data: inline JSON, or a path relative to the repository root.
fn resolve(v: &Value) -> Value {
    match v {
        Value::String(path) => {
            let text = std::fs::read_to_string(root().join(path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            serde_json::from_str(&text).unwrap()
        }
        other => other.clone(),
    }
}

fn run_case(path: &Path, update: bool) -> Result<(), String> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut request = json!({"plan": resolve(&case["plan"]), "data": resolve(&case["data"]), "as_of": case["as_of"]});
    if let Some(options) = case.get("options") {
        request["options"] = options.clone();
    }
    let result = evaluate_json(&request.to_string());
    match &case["expected"] {
        Value::Object(o) if o.contains_key("error") => {
            let want = &o["error"];
            let err = match result {
                Ok(_) => return Err("expected an error, got a report".into()),
                Err(e) => e,
            };
            if want["code"] != err.code {
                return Err(format!(
                    "error code {} != expected {}",
                    err.code, want["code"]
                ));
            }
            if let Some(p) = want["path"].as_str()
                && err.path.as_deref() != Some(p)
            {
                return Err(format!("error path {:?} != expected {p:?}", err.path));
            }
            Ok(())
        }
        Value::String(expected_file) => {
            let report = result.map_err(|e| format!("unexpected error: {}", e.to_json()))?;
            let expected_path = root().join("tests/vectors").join(expected_file);
            if update {
                std::fs::write(&expected_path, &report).unwrap();
            } else {
                let expected = std::fs::read_to_string(&expected_path)
                    .map_err(|e| format!("{}: {e}", expected_path.display()))?;
                if expected != report {
                    return Err(format!("report differs from {expected_file}"));
                }
            }
            let parsed: Value = serde_json::from_str(&report).unwrap();
            for (id, want) in case["checks"].as_object().into_iter().flatten() {
                if id == "$diagnostics" {
                    let codes: Vec<&str> = parsed["diagnostics"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d["code"].as_str().unwrap())
                        .collect();
                    for code in want.as_array().unwrap() {
                        if !codes.contains(&code.as_str().unwrap()) {
                            return Err(format!("diagnostic {code} missing from {codes:?}"));
                        }
                    }
                    continue;
                }
                let r = parsed["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["id"] == *id)
                    .ok_or(format!("no result {id}"))?;
                let got = json!([r["status"], r["grade"]]);
                if &got != want {
                    return Err(format!("{id}: got {got}, hand-checked verdict is {want}"));
                }
            }
            Ok(())
        }
        other => Err(format!("bad expected field {other}")),
    }
}

#[test]
fn every_vector() {
    let update = std::env::var_os("UPDATE_VECTORS").is_some();
    let dir = root().join("tests/vectors/cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 80, "only {} vectors", paths.len());
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            run_case(p, update)
                .err()
                .map(|e| format!("{}: {e}", p.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors fail:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
