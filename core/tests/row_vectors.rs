//! The shared row vectors (tests/vectors/rows/): the Rust runner. Each case is one record of a
//! kind in, a verdict per row-judgeable target out (or a typed error); the Python and Node
//! runners read the same files. Besides the hand-decided verdicts, each verdict is confirmed to
//! be what `evaluate()` concludes for the record alone, through `RowVerdict::agrees_with`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;

use std::fmt;
use std::path::{Path, PathBuf};

use common::alone::Alone;
use plan_rules::Plan;
use plan_rules::dataset::RawValue;
use plan_rules::ffi::FfiError;
use plan_rules::row::{RowRules, RowValue, RowVerdict};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The entries of a JSON object in the order the file writes them.
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

/// A case: `{description, plan, kind, record, attributes, expected}`.
#[derive(serde::Deserialize)]
struct Case {
    #[allow(dead_code)]
    description: String,
    plan: String,
    kind: Option<String>,
    record: Ordered,
    attributes: Ordered,
    expected: Ordered,
}

/// A record's value as a dataset holds it (numbers keep their exact text).
fn raw(v: &Value) -> Option<RawValue> {
    Some(match v {
        Value::Null => RawValue::Null,
        Value::Bool(b) => RawValue::Bool(*b),
        Value::Number(n) => RawValue::Number(n.to_string()),
        Value::String(s) => RawValue::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn run_case(path: &Path) -> Result<usize, String> {
    let case: Case = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .map_err(|e| format!("bad case: {e}"))?;
    let plan = Plan::from_json(&std::fs::read_to_string(root().join(&case.plan)).unwrap())
        .map_err(|e| format!("bad plan: {e}"))?;
    // The plan as `evaluate()` sees one record alone; its row rules are the plan's own.
    let alone = Alone::new(&plan);
    let compiled = RowRules::compile(&alone.plan, case.kind.as_deref()).map_err(FfiError::from);
    let expected = &case.expected.0;
    if let [(key, error)] = expected.as_slice()
        && key == "error"
    {
        let err = match compiled {
            Ok(_) => return Err("expected an error, got row rules".into()),
            Err(e) => e,
        };
        if error["code"] != err.code {
            return Err(format!("error code {} != {}", err.code, error["code"]));
        }
        if let Some(p) = error["path"].as_str()
            && err.path.as_deref() != Some(p)
        {
            return Err(format!("error path {:?} != {p:?}", err.path));
        }
        return Ok(0);
    }
    let rules = compiled.map_err(|e| format!("unexpected error: {}", e.to_json()))?;
    assert_eq!(
        rules.targets().len(),
        RowRules::compile(&plan, case.kind.as_deref())
            .unwrap()
            .targets()
            .len()
    );
    let find = |entries: &[(String, Value)], name: &str| {
        entries
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut row = vec![RowValue::Missing; rules.fields().len()];
    let mut present = Vec::new();
    for (f, name) in rules.fields().iter().enumerate() {
        if let Some(v) = find(&case.record.0, name) {
            row[f] = raw(&v).map_or(RowValue::Invalid, |r| rules.read(f, &r));
            present.push((name.clone(), v.to_string()));
        }
    }
    let mut attrs = Vec::new();
    let mut given = Vec::new();
    for name in rules.attributes() {
        let v = find(&case.attributes.0, name);
        attrs.push(v.as_ref().and_then(Value::as_str).map(str::to_string));
        if let Some(v) = v {
            given.push((name.clone(), v.to_string()));
        }
    }
    let attrs: Vec<Option<&str>> = attrs.iter().map(Option::as_deref).collect();
    let mut verdicts = vec![RowVerdict::Missing; rules.targets().len()];
    rules.judge(&row, &attrs, &mut verdicts);
    let got: Vec<(String, Value)> = rules
        .targets()
        .iter()
        .zip(&verdicts)
        .map(|(t, v)| (t.id.clone(), Value::from(v.as_str())))
        .collect();
    if &got != expected {
        return Err(format!(
            "verdicts {got:?}, decided by hand {expected:?} (in target order)"
        ));
    }
    // The same conclusion as `evaluate()` on the record alone.
    let (report, text) = alone.report(case.kind.as_deref(), &present, &given);
    for (t, v) in rules.targets().iter().zip(&verdicts) {
        let result = t.result_in(&report).ok_or(format!("no result {}", t.id))?;
        if !v.agrees_with(result) {
            return Err(format!(
                "{}: {} but evaluate() gives {} ({:?}) on {text}",
                t.id,
                v.as_str(),
                result.status.as_str(),
                result.reason.as_ref().map(|r| r.code)
            ));
        }
    }
    Ok(verdicts.len())
}

#[test]
fn every_row_vector() {
    let dir = root().join("tests/vectors/rows");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "only {} row vectors", paths.len());
    let mut verdicts = 0;
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| match run_case(p) {
            Ok(n) => {
                verdicts += n;
                None
            }
            Err(e) => Some(format!("{}: {e}", p.file_name().unwrap().to_string_lossy())),
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} row vectors fail:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
    assert!(verdicts >= 150, "only {verdicts} verdicts");
}

/// Every row-judgeable target of the embedded plan, for every kind of record, is given each
/// verdict it can take by some case (not applicable only where a filter can leave a record out).
#[test]
fn the_row_vectors_cover_the_embedded_plan() {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let mut seen: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for entry in std::fs::read_dir(root().join("tests/vectors/rows")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let case: Case = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if !case.plan.ends_with("xicheng-education-2016-2020.json") {
            continue;
        }
        for (id, v) in case.expected.0 {
            if let Some(v) = v.as_str() {
                seen.entry(id).or_default().insert(v.to_string());
            }
        }
    }
    let mut kinds: Vec<Option<&str>> = vec![None];
    kinds.extend(
        plan.dictionary
            .entity_kinds
            .keys()
            .map(|k| Some(k.as_str())),
    );
    for kind in kinds {
        for t in RowRules::compile(&plan, kind).unwrap().targets() {
            let got = seen.get(&t.id).cloned().unwrap_or_default();
            for v in ["met", "not_met", "missing", "invalid"] {
                assert!(got.contains(v), "{}: no case gives {v} ({got:?})", t.id);
            }
            assert_eq!(got.contains("not_applicable"), t.id == "A6.1", "{}", t.id);
        }
    }
}
