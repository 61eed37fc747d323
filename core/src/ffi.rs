//! The one entry layer every binding wraps: JSON in, JSON out, typed errors.
//!
//! Python and WebAssembly call these functions and only convert types and map errors, so the
//! three doors to the engine cannot answer differently. Each function has a typed form (for
//! bindings that keep Rust objects) and a `_json` form (string in, string out).

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{DataError, ErrorDetail, RequestError, SpecErrors};
use crate::eval::{EvaluateOptions, evaluate as evaluate_plan};
use crate::plan::Plan;
use crate::prepare::prepare;
use crate::report::Report;

/// An error from the entry layer: which layer it comes from, a stable code, and every problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FfiError {
    /// `spec` (the rule set), `data` (the dataset) or `request`.
    pub kind: &'static str,
    /// The first problem's stable code.
    pub code: String,
    /// The first problem's message.
    pub message: String,
    /// The first problem's JSON pointer, where known.
    pub path: Option<String>,
    /// The first problem's target, where it applies.
    pub target: Option<String>,
    /// Every problem.
    pub errors: Vec<ErrorDetail>,
}

impl From<SpecErrors> for FfiError {
    fn from(e: SpecErrors) -> Self {
        let first = e.first();
        FfiError {
            kind: "spec",
            code: first.code().to_string(),
            message: e.to_string(),
            path: first.path().map(str::to_string),
            target: first.target().map(str::to_string),
            errors: e.iter().map(|x| x.to_detail()).collect(),
        }
    }
}

impl From<DataError> for FfiError {
    fn from(e: DataError) -> Self {
        let d = e.to_detail();
        FfiError {
            kind: "data",
            code: d.code.clone(),
            message: d.message.clone(),
            path: d.path.clone(),
            target: None,
            errors: vec![d],
        }
    }
}

impl From<RequestError> for FfiError {
    fn from(e: RequestError) -> Self {
        let (path, target) = match &e {
            RequestError::Shape { path, .. } => (Some(path.clone()), None),
            RequestError::AsOf(_) => (Some("/as_of".to_string()), None),
            RequestError::UnknownTarget(t) => (None, Some(t.clone())),
        };
        let d = ErrorDetail {
            code: e.code().to_string(),
            message: e.to_string(),
            path: path.clone(),
            target: target.clone(),
            line: None,
            column: None,
        };
        FfiError {
            kind: "request",
            code: d.code.clone(),
            message: d.message.clone(),
            path,
            target,
            errors: vec![d],
        }
    }
}

impl FfiError {
    /// The error as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Evaluation options as they cross the boundary.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsDto {
    /// Record audit trails (default true).
    #[serde(default = "yes")]
    pub trail: bool,
}

fn yes() -> bool {
    true
}

impl Default for OptionsDto {
    fn default() -> Self {
        OptionsDto { trail: true }
    }
}

/// A request to evaluate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    /// The rule set (absent: the embedded Xicheng plan).
    #[serde(default)]
    pub plan: Option<serde_json::Value>,
    /// The dataset.
    pub data: serde_json::Value,
    /// The as-of date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Options.
    #[serde(default)]
    pub options: OptionsDto,
}

/// A request to validate data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// The rule set (absent: the embedded Xicheng plan).
    #[serde(default)]
    pub plan: Option<serde_json::Value>,
    /// The dataset.
    pub data: serde_json::Value,
}

/// A request for a rule set's targets, or a static check of a rule set and/or a dataset.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The rule set (absent: the embedded Xicheng plan).
    #[serde(default)]
    pub plan: Option<serde_json::Value>,
    /// A dataset to check against it (for `check`).
    #[serde(default)]
    pub data: Option<serde_json::Value>,
}

/// The answer to `validate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidateAnswer {
    /// Whether there is no error-level diagnostic.
    pub ok: bool,
    /// Count of error-level diagnostics.
    pub errors: usize,
    /// Count of warnings.
    pub warnings: usize,
    /// Every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

/// The answer to `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckAnswer {
    /// Whether the rule set (and dataset, if given) pass.
    pub ok: bool,
    /// The plan id.
    pub plan_id: String,
    /// The rule set's content hash.
    pub plan_hash: String,
    /// Number of targets.
    pub targets: usize,
    /// The dataset's diagnostics, if one was given.
    pub data: Option<ValidateAnswer>,
}

fn parse_request<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, FfiError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| RequestError::Shape {
        path: crate::error::json_pointer(e.path()),
        message: crate::error::strip_position(&e.into_inner().to_string()),
    })?;
    de.end().map_err(|e| RequestError::Shape {
        path: String::new(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// Loads a rule set from an optional JSON value (absent: the embedded Xicheng plan).
pub fn load_plan(plan: Option<serde_json::Value>) -> Result<Plan, FfiError> {
    match plan {
        None => Ok(Plan::xicheng_2016_2020()?),
        Some(v) => Ok(Plan::from_value(v)?),
    }
}

/// Parses an as-of date.
pub fn parse_as_of(text: &str) -> Result<Date, FfiError> {
    text.parse::<Date>()
        .map_err(|_| RequestError::AsOf(text.chars().take(40).collect()).into())
}

/// Evaluates a loaded plan on a dataset value.
pub fn evaluate(
    plan: &Plan,
    data: serde_json::Value,
    as_of: &str,
    options: OptionsDto,
) -> Result<Report, FfiError> {
    let as_of = parse_as_of(as_of)?;
    let data = Dataset::from_value(data)?;
    Ok(evaluate_plan(
        plan,
        &data,
        as_of,
        EvaluateOptions {
            trail: options.trail,
        },
    ))
}

/// Validates a dataset value against a loaded plan.
pub fn validate(plan: &Plan, data: serde_json::Value) -> Result<ValidateAnswer, FfiError> {
    let data = Dataset::from_value(data)?;
    Ok(validate_dataset(plan, &data))
}

/// Validates a dataset against a plan: every diagnostic, errors first by position.
pub fn validate_dataset(plan: &Plan, data: &Dataset) -> ValidateAnswer {
    let diagnostics = prepare(plan, data).diagnostics;
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    ValidateAnswer {
        ok: errors == 0,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics,
    }
}

/// `evaluate` over JSON: `{"plan"?, "data", "as_of", "options"?}` in, the report JSON out.
///
/// ```
/// let out = plan_rules::ffi::evaluate_json(r#"{"data": {}, "as_of": "2018-12-31"}"#).unwrap();
/// assert!(out.contains("\"not_assessable\""));
/// let err = plan_rules::ffi::evaluate_json(r#"{"data": {}, "as_of": "2018-13-01"}"#).unwrap_err();
/// assert_eq!(err.code, "invalid_as_of");
/// ```
pub fn evaluate_json(request: &str) -> Result<String, FfiError> {
    let req: EvaluateRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    Ok(evaluate(&plan, req.data, &req.as_of, req.options)?.to_json())
}

/// `validate` over JSON: `{"plan"?, "data"}` in, the diagnostics JSON out.
pub fn validate_json(request: &str) -> Result<String, FfiError> {
    let req: ValidateRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    let answer = validate(&plan, req.data)?;
    Ok(serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")
}

/// `rules` over JSON: `{"plan"?}` in, the checked rule set (canonical JSON) out.
pub fn rules_json(request: &str) -> Result<String, FfiError> {
    let req: PlanRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    Ok(serde_json::to_string_pretty(&plan).unwrap_or_default() + "\n")
}

/// `check` over JSON: `{"plan"?, "data"?}` in; the rule set's static checks (an error if they
/// fail) and the dataset's diagnostics out.
pub fn check_json(request: &str) -> Result<String, FfiError> {
    let req: PlanRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    let data = req.data.map(|d| validate(&plan, d)).transpose()?;
    let answer = CheckAnswer {
        ok: data.as_ref().is_none_or(|d| d.ok),
        plan_id: plan.id.clone(),
        plan_hash: plan.content_hash().to_string(),
        targets: plan.targets.len(),
        data,
    };
    Ok(serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")
}
