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

use std::path::{Path, PathBuf};

use common::alone::Alone;
use plan_rules::Plan;
use plan_rules::dataset::RawValue;
use plan_rules::ffi::FfiError;
use plan_rules::row::{RowRules, RowValue, RowVerdict};
use plan_rules::wire::Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A case: `{description, plan, kind, targets?, record, attributes, expected, left_out?}`, read
/// with the engine's own parser, which keeps the order of keys and the exact text of numbers.
struct Case {
    plan: String,
    kind: Option<String>,
    targets: Option<Vec<String>>,
    record: Vec<(String, Json)>,
    attributes: Vec<(String, Json)>,
    expected: Vec<(String, Json)>,
    /// `(id, reason)` of each target the kind of record leaves out, decided by hand.
    left_out: Option<Vec<(String, String)>>,
}

impl Case {
    fn read(path: &Path) -> Case {
        let case = Json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let entries = |key: &str| match case.get(key) {
            Some(Json::Object(entries)) => entries.clone(),
            other => panic!("{key}: {other:?}"),
        };
        let strings = |v: &Json| match v {
            Json::Array(items) => items
                .iter()
                .map(|i| i.as_str().unwrap().to_string())
                .collect::<Vec<_>>(),
            other => panic!("targets: {other:?}"),
        };
        let left_out = case.get("left_out").map(|v| match v {
            Json::Array(items) => items
                .iter()
                .map(|i| {
                    let s = |k: &str| i.get(k).and_then(Json::as_str).unwrap().to_string();
                    (s("id"), s("reason"))
                })
                .collect(),
            other => panic!("left_out: {other:?}"),
        });
        Case {
            plan: case.get("plan").and_then(Json::as_str).unwrap().to_string(),
            kind: case.get("kind").and_then(Json::as_str).map(str::to_string),
            targets: case.get("targets").map(strings),
            record: entries("record"),
            attributes: entries("attributes"),
            expected: entries("expected"),
            left_out,
        }
    }
}

/// A record's value as a dataset holds it (numbers keep their exact text).
fn raw(v: &Json) -> Option<RawValue> {
    Some(match v {
        Json::Null => RawValue::Null,
        Json::Bool(b) => RawValue::Bool(*b),
        Json::Number(n) => RawValue::Number(n.clone()),
        Json::String(s) => RawValue::Text(s.clone()),
        Json::Array(_) | Json::Object(_) => return None,
    })
}

fn run_case(path: &Path) -> Result<usize, String> {
    let case = Case::read(path);
    let plan = Plan::from_json(&std::fs::read_to_string(root().join(&case.plan)).unwrap())
        .map_err(|e| format!("bad plan: {e}"))?;
    // The plan as `evaluate()` sees one record alone; its row rules are the plan's own.
    let alone = Alone::new(&plan);
    let compile = |plan: &Plan| match &case.targets {
        None => RowRules::compile(plan, case.kind.as_deref()),
        Some(t) => RowRules::compile_selected(plan, case.kind.as_deref(), t),
    };
    let compiled = compile(&alone.plan).map_err(FfiError::from);
    let expected = &case.expected;
    if let [(key, error)] = expected.as_slice()
        && key == "error"
    {
        let err = match compiled {
            Ok(_) => return Err("expected an error, got row rules".into()),
            Err(e) => e,
        };
        let code = error.get("code").and_then(Json::as_str);
        if code != Some(err.code.as_str()) {
            return Err(format!("error code {} != {code:?}", err.code));
        }
        if let Some(p) = error.get("path").and_then(Json::as_str)
            && err.path.as_deref() != Some(p)
        {
            return Err(format!("error path {:?} != {p:?}", err.path));
        }
        if let Some(t) = error.get("target").and_then(Json::as_str)
            && err.target.as_deref() != Some(t)
        {
            return Err(format!("error target {:?} != {t:?}", err.target));
        }
        return Ok(0);
    }
    let rules = compiled.map_err(|e| format!("unexpected error: {}", e.to_json()))?;
    let own = compile(&plan).unwrap();
    assert_eq!(rules.targets(), own.targets());
    assert_eq!(rules.left_out(), own.left_out());
    let left_out: Vec<(String, String)> = rules
        .left_out()
        .iter()
        .map(|l| (l.id.clone(), l.reason.code().to_string()))
        .collect();
    match &case.left_out {
        Some(want) if *want != left_out => {
            return Err(format!(
                "left out {left_out:?}, decided by hand {want:?} (in plan order)"
            ));
        }
        Some(_) => {}
        None => return Err("a case that judges lists what is left out (`left_out`)".into()),
    }
    let find = |entries: &[(String, Json)], name: &str| {
        entries
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut row = vec![RowValue::Missing; rules.fields().len()];
    let mut present = Vec::new();
    for (f, name) in rules.fields().iter().enumerate() {
        if let Some(v) = find(&case.record, name) {
            row[f] = raw(&v).map_or(RowValue::Invalid, |r| rules.read(f, &r));
            present.push((name.clone(), v.to_string()));
        }
    }
    let mut attrs = Vec::new();
    let mut given = Vec::new();
    for name in rules.attributes() {
        let v = find(&case.attributes, name);
        attrs.push(v.as_ref().and_then(Json::as_str).map(str::to_string));
        if let Some(v) = v {
            given.push((name.clone(), v.to_string()));
        }
    }
    let attrs: Vec<Option<&str>> = attrs.iter().map(Option::as_deref).collect();
    let mut verdicts = vec![RowVerdict::Missing; rules.targets().len()];
    rules.judge(&row, &attrs, &mut verdicts);
    let got: Vec<(String, Json)> = rules
        .targets()
        .iter()
        .zip(&verdicts)
        .map(|(t, v)| (t.id.clone(), Json::String(v.as_str().to_string())))
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
        let case = Case::read(&path);
        if !case.plan.ends_with("xicheng-education-2016-2020.json") {
            continue;
        }
        for (id, v) in case.expected {
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

/// Every bound and a gross rate are judged on one record as `evaluate()` judges them (the
/// shared row vectors hold the cases; this one also checks the fast whole-number paths).
#[test]
fn other_bounds_and_gross_rates_are_judged_by_their_own_tests() {
    let text = |zh: &str, en: &str| serde_json::json!({"zh": zh, "en": en});
    let target = |id: &str, rule: serde_json::Value| {
        serde_json::json!({"id": id, "title": text(id, id), "description": text(id, id),
            "category": text("c", "c"), "importance": "key", "deadline": "2020-12-31",
            "deadline_basis": "plan_end",
            "citation": {"source": "annex1", "location": text("l", "l"), "quote": "q"}, "rule": rule})
    };
    let m =
        |f: &str| serde_json::json!({"from": "entity_sum", "entity_kind": "school", "field": f});
    let plan = serde_json::json!({"id": "p", "version": "1", "title": text("p", "p"),
    "source": text("s", "s"), "period": {"start": "2016-01-01", "end": "2020-12-31"},
    "baseline_year": 2015,
    "dictionary": {"entity_kinds": {"school": {"title": text("学校", "school"), "fields": {
        "a": {"title": text("a", "a"), "type": "count", "unit": "p"},
        "b": {"title": text("b", "b"), "type": "count", "unit": "p"}}}}},
    "targets": [
        target("GE", serde_json::json!({"type": "count", "measure": m("a"), "target": "5", "unit": "p"})),
        target("LT", serde_json::json!({"type": "count", "measure": m("a"), "target": "5", "unit": "p", "op": "<"})),
        target("GT", serde_json::json!({"type": "value", "measure": m("a"), "limit": "4.5", "unit": "p", "op": ">"})),
        target("GROSS", serde_json::json!({"type": "rate", "numerator": m("a"), "denominator": m("b"), "target_percent": "100", "gross": true})),
    ]});
    let plan = plan_rules::Plan::from_json(&plan.to_string()).unwrap();
    let rules = plan_rules::row::RowRules::for_entity_kind(&plan, "school");
    let ids: Vec<&str> = rules.targets().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["GE", "LT", "GT", "GROSS"]);
    let (a, b) = (
        rules.field_index("a").unwrap(),
        rules.field_index("b").unwrap(),
    );
    let judge = |va: i64, vb: i64| {
        let mut row = vec![plan_rules::row::RowValue::Missing; rules.fields().len()];
        row[a] = plan_rules::row::RowValue::Int(va);
        row[b] = plan_rules::row::RowValue::Int(vb);
        let mut out = vec![plan_rules::row::RowVerdict::Missing; 4];
        rules.judge(&row, &[], &mut out);
        out.iter().map(|v| v.as_str()).collect::<Vec<_>>()
    };
    // 5 of 4: at least 5, not below 5, above 4.5, a gross 125% reaches 100%.
    assert_eq!(judge(5, 4), ["met", "not_met", "met", "met"]);
    // 4 of 4: short of 5, below 5, not above 4.5, 100%.
    assert_eq!(judge(4, 4), ["not_met", "met", "not_met", "met"]);
    // 3 of 4: a gross rate below 100% is not met, never invalid.
    assert_eq!(judge(3, 4)[3], "not_met");
}
