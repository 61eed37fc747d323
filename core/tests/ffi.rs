//! The JSON entry layer the bindings wrap.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use plan_rules::ffi::{check_json, evaluate_json, rules_json, validate_json};
use plan_rules::{Dataset, EvaluateOptions, Plan, SAMPLE_DATA_JSON, evaluate};

#[test]
fn evaluate_json_gives_the_report_bytes() {
    let req = format!(r#"{{"data": {SAMPLE_DATA_JSON}, "as_of": "2020-12-31"}}"#);
    let out = evaluate_json(&req).unwrap();
    let plan = Plan::xicheng_2016_2020().unwrap();
    let data = Dataset::from_json(SAMPLE_DATA_JSON).unwrap();
    let direct = evaluate(
        &plan,
        &data,
        "2020-12-31".parse().unwrap(),
        EvaluateOptions::default(),
    )
    .to_json();
    assert_eq!(out, direct);
    let no_trail = evaluate_json(&format!(
        r#"{{"data": {SAMPLE_DATA_JSON}, "as_of": "2020-12-31", "options": {{"trail": false}}}}"#
    ))
    .unwrap();
    assert!(!no_trail.contains("\"trail\""));
}

#[test]
fn request_errors_are_typed() {
    let e = evaluate_json("nope").unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), ("request", "invalid_request"));
    let e = evaluate_json(r#"{"data": {}}"#).unwrap_err();
    assert_eq!(e.code, "invalid_request");
    assert!(e.message.contains("as_of"));
    let e = evaluate_json(r#"{"data": {}, "as_of": "2020-02-30"}"#).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_deref()),
        ("invalid_as_of", Some("/as_of"))
    );
    let e = evaluate_json(r#"{"data": {"series": 3}, "as_of": "2020-12-31"}"#).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_str(), e.path.as_deref()),
        ("data", "invalid_shape", Some("/series"))
    );
    let e = evaluate_json(r#"{"data": {}, "as_of": "2020-12-31", "extra": 1}"#).unwrap_err();
    assert_eq!(e.code, "invalid_request");
}

#[test]
fn plan_errors_list_every_problem() {
    let e =
        evaluate_json(r#"{"plan": {"id": "x"}, "data": {}, "as_of": "2020-12-31"}"#).unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), ("spec", "invalid_shape"));
    assert_eq!(e.errors.len(), 1);
    let json = e.to_json();
    assert!(json.contains("\"kind\":\"spec\""));
}

#[test]
fn validate_rules_and_check() {
    let out = validate_json(
        r#"{"data": {"series": {"lifelong_learning_bases": {"values": {"2016": -1}}}}}"#,
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["diagnostics"][0]["code"], "negative_value");
    assert_eq!(
        v["diagnostics"][0]["message_en"],
        "value `-1` is negative (expected 0 or more)"
    );
    let rules: serde_json::Value = serde_json::from_str(&rules_json("{}").unwrap()).unwrap();
    assert_eq!(rules["targets"].as_array().unwrap().len(), 17);
    let checked: serde_json::Value =
        serde_json::from_str(&check_json(&format!(r#"{{"data": {SAMPLE_DATA_JSON}}}"#)).unwrap())
            .unwrap();
    assert_eq!(checked["ok"], true);
    assert_eq!(checked["targets"], 17);
}
