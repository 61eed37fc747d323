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

/// The exact text of a top-level member of a case (numbers digit for digit, and nesting as deep
/// as a case needs to test the engine's limit), found by scanning rather than parsing.
fn member_text<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let b = text.as_bytes();
    let mut i = 0;
    let ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let string_end = |mut i: usize| {
        i += 1;
        while b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    };
    let value_end = |mut i: usize| {
        let mut depth = 0usize;
        loop {
            match b[i] {
                b'"' => i = string_end(i),
                b'{' | b'[' => {
                    depth += 1;
                    i += 1
                }
                b'}' | b']' => {
                    depth -= 1;
                    i += 1
                }
                b',' if depth == 0 => return i,
                _ => i += 1,
            }
            if depth == 0 && (i >= b.len() || matches!(b[i], b',' | b'}')) {
                return i;
            }
        }
    };
    ws(&mut i);
    i += 1;
    loop {
        ws(&mut i);
        if b[i] == b'}' {
            return None;
        }
        let end = string_end(i);
        let key = &text[i + 1..end - 1];
        i = end;
        ws(&mut i);
        i += 1;
        ws(&mut i);
        let start = i;
        i = value_end(i);
        if key == name {
            return Some(text[start..i].trim_end());
        }
        ws(&mut i);
        if b[i] == b',' {
            i += 1;
        }
    }
}

/// A case's plan or data as JSON text: inline, or a file named from the repository root.
fn resolve(case_text: &str, key: &str) -> String {
    let raw = member_text(case_text, key).unwrap_or("null");
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(path) => {
            std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
        }
        None => raw.to_string(),
    }
}

fn run_case(path: &Path, update: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut request = format!(
        r#"{{"plan": {}, "data": {}, "as_of": {}"#,
        resolve(&text, "plan"),
        resolve(&text, "data"),
        member_text(&text, "as_of").unwrap()
    );
    if let Some(options) = member_text(&text, "options") {
        request.push_str(&format!(r#", "options": {options}"#));
    }
    request.push('}');
    let result = evaluate_json(&request);
    // The rest of the case (expected, checks) is shallow: read with its data left out.
    let shallow = text.replacen(member_text(&text, "data").unwrap(), "null", 1);
    let case: Value = serde_json::from_str(&shallow).unwrap();
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
                if id == "$warnings" {
                    // What a draft leaves out, in order: code, pointer and target.
                    let plan = plan_rules::Plan::from_json(&resolve(&text, "plan")).unwrap();
                    let got: Vec<Value> = plan
                        .warnings()
                        .iter()
                        .map(|w| json!({"code": w.code, "path": w.path, "target": w.target}))
                        .collect();
                    if Value::Array(got.clone()) != *want {
                        return Err(format!("warnings {got:?}, decided by hand {want}"));
                    }
                    if parsed["plan"]["status"] != "draft" {
                        return Err("a draft's report does not say it is a draft".into());
                    }
                    continue;
                }
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
