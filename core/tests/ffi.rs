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
    let e = evaluate_json(r#"{"as_of": "2020-12-31"}"#).unwrap_err();
    assert_eq!(e.code, "invalid_request");
    assert!(e.message.contains("missing field `data`"));
    // Without an as-of date the report stands at the plan's last day, decided in the core.
    let out = evaluate_json(r#"{"data": {}}"#).unwrap();
    assert!(out.contains(r#""as_of": "2020-12-31""#));
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
    assert_eq!(rules["targets"].as_array().unwrap().len(), 70);
    let checked: serde_json::Value =
        serde_json::from_str(&check_json(&format!(r#"{{"data": {SAMPLE_DATA_JSON}}}"#)).unwrap())
            .unwrap();
    assert_eq!(checked["ok"], true);
    assert_eq!(checked["targets"], 70);
}

/// The loaded-plan entry points (what the WebAssembly package calls) answer with the bytes of
/// the request entry points, and decide the same defaults.
#[test]
fn loaded_plan_entry_points_match_the_request_ones() {
    use plan_rules::ffi::{
        OptionsDto, answer_text, check, check_json, data_document, evaluate, load_plan,
        read_options, rules_json, rules_text, validate, validate_json,
    };
    let plan = load_plan(None).unwrap();
    for as_of in [Some("2018-12-31"), None] {
        let ours = evaluate(
            &plan,
            data_document(SAMPLE_DATA_JSON).unwrap(),
            as_of,
            OptionsDto::default(),
        )
        .unwrap()
        .to_json();
        let request = match as_of {
            Some(d) => format!(r#"{{"data": {SAMPLE_DATA_JSON}, "as_of": "{d}"}}"#),
            None => format!(r#"{{"data": {SAMPLE_DATA_JSON}}}"#),
        };
        assert_eq!(ours, evaluate_json(&request).unwrap());
    }
    let data = r#"{"entities": [{"kind": "school", "id": "S1", "records": {"2018": {"students": -1, "health_test_passed": 2.5}}}]}"#;
    assert_eq!(
        answer_text(&validate(&plan, data_document(data).unwrap()).unwrap()),
        validate_json(&format!(r#"{{"data": {data}}}"#)).unwrap()
    );
    assert_eq!(rules_text(&plan), rules_json("{}").unwrap());
    assert_eq!(
        answer_text(&check(&plan, Some(data_document(data).unwrap())).unwrap()),
        check_json(&format!(r#"{{"data": {data}}}"#)).unwrap()
    );
    assert_eq!(
        answer_text(&check(&plan, None).unwrap()),
        check_json("{}").unwrap()
    );
    // Options are read strictly, their problems placed under /options.
    assert!(read_options(None).unwrap().trail);
    assert!(!read_options(Some(r#"{"trail": false}"#)).unwrap().trail);
    let e = read_options(Some(r#"{"trail": "no"}"#)).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_deref()),
        ("invalid_request", Some("/options/trail"))
    );
    let e = read_options(Some(r#"{"colour": true}"#)).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_deref()),
        ("invalid_request", Some("/options/colour"))
    );
    // Data text that is not JSON, or nests too deep, is a data error with its own code.
    let e = data_document("{").unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), ("data", "invalid_json"));
    let e = data_document(&"[".repeat(100_000)).unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), ("data", "too_deep"));
}
