//! The calls the bindings make, in plain Rust: JSON text in, JSON text out, [`FfiError`] on
//! failure. No `JsValue` here, so the native tests can run every path.
//!
//! Each function is a thin composition of the core's entry layer ([`plan_rules::ffi`]); the
//! outputs are the same bytes `ffi::*_json` write (the tests check it).

use plan_rules::ffi::{self, CheckAnswer, FfiError, OptionsDto};
use plan_rules::{Dataset, EvaluateOptions, Plan, RequestError};

/// Loads and checks a rule set from JSON text.
pub fn load_plan(rules: &str) -> Result<Plan, FfiError> {
    Ok(Plan::from_json(rules)?)
}

/// The embedded Xicheng 2016-2020 rule set.
pub fn xicheng() -> Result<Plan, FfiError> {
    ffi::load_plan(None)
}

/// The checked rule set as canonical JSON (what `ffi::rules_json` writes).
pub fn rules(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).unwrap_or_default() + "\n"
}

/// Reads evaluation options (`{"trail": false}`); absent means the defaults.
pub fn options(text: Option<&str>) -> Result<OptionsDto, FfiError> {
    let Some(text) = text else {
        return Ok(OptionsDto::default());
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: OptionsDto = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut path = String::from("/options");
        for seg in e.path().iter() {
            path.push('/');
            path.push_str(&seg.to_string());
        }
        RequestError::Shape {
            path,
            message: strip_position(&e.into_inner().to_string()),
        }
    })?;
    de.end().map_err(|e| RequestError::Shape {
        path: "/options".into(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(parsed)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message.get(..pos).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// Evaluates a plan on a dataset (JSON text) as of a date: the report JSON, byte for byte what
/// [`plan_rules::Report::to_json`] writes.
pub fn evaluate(
    plan: &Plan,
    data: &str,
    as_of: &str,
    options: OptionsDto,
) -> Result<String, FfiError> {
    let as_of = ffi::parse_as_of(as_of)?;
    let data = Dataset::from_json(data)?;
    let report = plan_rules::evaluate(
        plan,
        &data,
        as_of,
        EvaluateOptions {
            trail: options.trail,
        },
    );
    Ok(report.to_json())
}

/// Validates a dataset (JSON text) against a plan: `{ok, errors, warnings, diagnostics}`.
pub fn validate(plan: &Plan, data: &str) -> Result<String, FfiError> {
    let data = Dataset::from_json(data)?;
    let answer = ffi::validate_dataset(plan, &data);
    Ok(serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")
}

/// Checks a plan and, if given, a dataset: `{ok, plan_id, plan_hash, targets, data}`.
pub fn check(plan: &Plan, data: Option<&str>) -> Result<String, FfiError> {
    let data = data
        .map(|text| Dataset::from_json(text).map(|d| ffi::validate_dataset(plan, &d)))
        .transpose()?;
    let answer = CheckAnswer {
        ok: data.as_ref().is_none_or(|d| d.ok),
        plan_id: plan.id.clone(),
        plan_hash: plan.content_hash().to_string(),
        targets: plan.targets.len(),
        data,
    };
    Ok(serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn request(data: &str, as_of: &str) -> String {
        format!(r#"{{"data": {data}, "as_of": "{as_of}"}}"#)
    }

    #[test]
    fn evaluate_gives_the_same_bytes_as_the_core_entry_layer() {
        let plan = xicheng().unwrap();
        for as_of in ["2018-12-31", "2020-12-31"] {
            let ours = evaluate(
                &plan,
                plan_rules::SAMPLE_DATA_JSON,
                as_of,
                OptionsDto::default(),
            )
            .unwrap();
            let core = ffi::evaluate_json(&request(plan_rules::SAMPLE_DATA_JSON, as_of)).unwrap();
            assert_eq!(ours, core);
        }
    }

    #[test]
    fn validate_rules_and_check_match_the_core_entry_layer() {
        let plan = xicheng().unwrap();
        let data = r#"{"entities": [{"kind": "school", "id": "S1", "records": {"2018": {"students": -1, "health_test_passed": 2.5}}}]}"#;
        assert_eq!(
            validate(&plan, data).unwrap(),
            ffi::validate_json(&format!(r#"{{"data": {data}}}"#)).unwrap()
        );
        assert_eq!(rules(&plan), ffi::rules_json("{}").unwrap());
        assert_eq!(
            check(&plan, Some(data)).unwrap(),
            ffi::check_json(&format!(r#"{{"data": {data}}}"#)).unwrap()
        );
        assert_eq!(check(&plan, None).unwrap(), ffi::check_json("{}").unwrap());
    }

    #[test]
    fn options_are_read_strictly() {
        assert!(options(None).unwrap().trail);
        assert!(!options(Some(r#"{"trail": false}"#)).unwrap().trail);
        let e = options(Some(r#"{"trail": "no"}"#)).unwrap_err();
        assert_eq!(e.code, "invalid_request");
        assert_eq!(e.path.as_deref(), Some("/options/trail"));
        let e = options(Some(r#"{"colour": true}"#)).unwrap_err();
        assert_eq!(e.code, "invalid_request");
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let plan = xicheng().unwrap();
        let e = evaluate(&plan, "{", "2018-12-31", OptionsDto::default()).unwrap_err();
        assert_eq!((e.kind, e.code.as_str()), ("data", "invalid_json"));
        let e = evaluate(&plan, "{}", "2018-02-30", OptionsDto::default()).unwrap_err();
        assert_eq!((e.kind, e.code.as_str()), ("request", "invalid_as_of"));
        let e = validate(&plan, r#"{"entities": [{"id": "S1"}]}"#).unwrap_err();
        assert_eq!(e.code, "invalid_shape");
        assert_eq!(e.path.as_deref(), Some("/entities/0"));
        let e = load_plan(r#"{"id": 1}"#).unwrap_err();
        assert_eq!((e.kind, e.code.as_str()), ("spec", "invalid_shape"));
        let deep = "[".repeat(100_000);
        let e = load_plan(&deep).unwrap_err();
        assert_eq!(e.code, "invalid_json");
        let e = validate(&plan, &deep).unwrap_err();
        assert_eq!(e.kind, "data");
    }
}
