//! Data diagnostics: each code, with its path, entity and period; bad data never hides the rest.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;
use common::*;
use plan_rules::ffi::validate_dataset;
use plan_rules::{DataError, Dataset, Severity, Status};
use serde_json::json;

fn diags(v: serde_json::Value) -> Vec<(String, String, Severity)> {
    let p = plan(vec![target("T", rate_rule("100"))]);
    validate_dataset(&p, &data(v))
        .diagnostics
        .into_iter()
        .map(|d| (d.code.as_str().to_string(), d.path, d.severity))
        .collect()
}

#[test]
fn value_problems() {
    use Severity::*;
    let v = json!({
        "series": {
            "num": {"values": {"2016": true, "2017": "abc", "2018": "1.00000000000000000000000000001", "2019": -3, "2020": 2.5}},
            "share": {"values": {"2016": 101}},
            "den": {"unit": "people", "values": {"2016": 10}},
            "mystery": {"values": {"2016": 1}},
            "bases": {"values": {"20x6": 1, "2030": 2}}
        },
        "entities": [
            {"kind": "school", "id": "A", "attributes": {"level": "college"}, "records": {"2016": {"passed": 5, "eligible": 4, "active": 1, "nope": 1}}},
            {"kind": "school", "id": "A", "records": {"2016": {"passed": 1}}},
            {"kind": "alien", "id": "Z"},
            {"kind": "school", "id": "R", "active_from": 2019, "active_until": 2017}
        ]
    });
    let d = diags(v);
    let has = |code: &str, path: &str, sev: Severity| {
        assert!(
            d.iter().any(|x| x.0 == code && x.1 == path && x.2 == sev),
            "missing {code} at {path}: {d:#?}"
        )
    };
    has("invalid_type", "/series/num/values/2016", Error);
    has("invalid_number", "/series/num/values/2017", Error);
    has("invalid_number", "/series/num/values/2018", Error);
    has("negative_value", "/series/num/values/2019", Error);
    has("fractional_count", "/series/num/values/2020", Error);
    has("percent_out_of_range", "/series/share/values/2016", Error);
    has("unit_mismatch", "/series/den/unit", Error);
    has("unknown_series", "/series/mystery", Warning);
    has("invalid_period", "/series/bases/values/20x6", Error);
    has("period_outside_plan", "/series/bases/values/2030", Error);
    has("invalid_attribute", "/entities/0/attributes/level", Error);
    has(
        "inconsistent_total",
        "/entities/0/records/2016/passed",
        Error,
    );
    has("invalid_type", "/entities/0/records/2016/active", Error);
    has("unknown_field", "/entities/0/records/2016/nope", Warning);
    has("duplicate_entity", "/entities/1/id", Error);
    has(
        "missing_required",
        "/entities/1/records/2016/eligible",
        Error,
    );
    has("unknown_entity_kind", "/entities/2/kind", Warning);
    has("invalid_active_years", "/entities/3/active_from", Error);
}

#[test]
fn every_diagnostic_has_both_languages_and_a_location() {
    let p = plan(vec![target("T", rate_rule("100"))]);
    let v = json!({"series": {"num": {"values": {"2016": -1}}}, "entities": [{"kind": "school", "id": "A", "records": {"2016": {"eligible": 1.5}}}]});
    for d in validate_dataset(&p, &data(v)).diagnostics {
        assert!(!d.message_zh.is_empty() && !d.message_en.is_empty());
        assert!(d.path.starts_with('/'));
        assert_eq!(d.period, Some(2016));
    }
}

#[test]
fn a_bad_value_spoils_only_the_targets_that_read_it() {
    let count = json!({"type": "count", "measure": {"from": "series", "series": "bases"}, "target": "10", "unit": "bases"});
    let p = plan(vec![target("R", rate_rule("100")), target("C", count)]);
    let d = json!({"series": {"num": {"values": {"2020": "x"}}, "den": {"values": {"2020": 10}}, "bases": {"values": {"2020": 10}}}});
    let report = run(&p, &data(d), "2020-12-31");
    assert_eq!(report.results[0].status, Status::NotAssessable);
    assert_eq!(report.results[1].status, Status::Met);
}

#[test]
fn malformed_data_as_a_whole_is_a_typed_error() {
    assert!(matches!(
        Dataset::from_json("not json"),
        Err(DataError::Syntax { line: 1, .. })
    ));
    let e = Dataset::from_json(r#"{"series": {"x": {"values": {"2016": [1]}}}}"#).unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("invalid_shape", Some("/series/x/values/2016"))
    );
    let e = Dataset::from_json(r#"{"entities": [{"kind": "school"}]}"#).unwrap_err();
    assert_eq!(e.path(), Some("/entities/0"));
    assert!(e.to_string().contains("`id`"));
    let e = Dataset::from_json(r#"{"series": {}} trailing"#).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    let e = Dataset::from_json(r#"{"extra": 1}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_shape");
    // Limits on strings are typed errors naming where.
    let long = "x".repeat(201);
    let e = Dataset::from_json(&format!(
        r#"{{"entities": [{{"kind": "school", "id": "{long}"}}]}}"#
    ))
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("limit_exceeded", Some("/entities/0/id"))
    );
    let e = Dataset::from_json(&format!(
        r#"{{"series": {{"a": {{"values": {{"2016": "{}"}}}}}}}}"#,
        "9".repeat(2001)
    ))
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("limit_exceeded", Some("/series/a/values/2016"))
    );
    // serde would read a struct from an array; a dataset's objects must be objects.
    for (text, path) in [
        ("[]", ""),
        ("[null]", ""),
        (r#"{"series": {"x": ["persons", null, {}]}}"#, "/series/x"),
        (r#"{"entities": [["school", "A"]]}"#, "/entities/0"),
        (
            r#"{"entities": [{"kind": "school", "id": "A", "records": {"2016": [1]}}]}"#,
            "/entities/0/records/2016",
        ),
    ] {
        let e = Dataset::from_json(text).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_shape", Some(path)),
            "{text}"
        );
    }
}

#[test]
fn numbers_keep_every_digit_from_json_numbers_and_strings() {
    let d = Dataset::from_json(
        r#"{"series": {"num": {"values": {"2020": 0.1000000000000000000000000001, "2019": "7"}}}}"#,
    )
    .unwrap();
    let round_trip = d.to_json();
    assert!(round_trip.contains("0.1000000000000000000000000001"));
}
