//! The one entry layer every binding wraps: JSON in, JSON out, typed errors.
//!
//! Binding plumbing, not the documented Rust API (use [`crate::evaluate`], [`crate::Plan`] and
//! [`crate::Dataset`] from Rust). Python and WebAssembly call these functions and only convert
//! types and map errors, so the three doors to the engine cannot answer differently. Each
//! operation has a request form (`*_json`: one JSON request in, JSON out) and a form on a loaded
//! [`Plan`] (for bindings that keep one in memory and hand over data as text or documents);
//! both go through the same functions, so their bytes are the same. Defaults (the as-of date,
//! the options) are decided here and nowhere else.

use serde::Serialize;

use crate::dataset::Dataset;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{DataError, ErrorDetail, ReportError, RequestError, SpecErrors, SpecWarning};
use crate::eval::{EvaluateOptions, evaluate as evaluate_plan};
use crate::plan::{Obligation, Plan, PlanStatus};
use crate::prepare::prepare;
use crate::report::Report;
use crate::wire::read::{FromJson, read_struct};
use crate::wire::{Json, Path, WireError};

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

/// A report that does not read back is a problem of the data handed over (kind `data`).
impl From<ReportError> for FfiError {
    fn from(e: ReportError) -> Self {
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
            RequestError::AsOf(_) | RequestError::UnknownReview { .. } => {
                (Some("/as_of".to_string()), None)
            }
            RequestError::UnknownTarget(t) => (None, Some(t.clone())),
            RequestError::TooDeep(n) => (n.path.clone(), None),
            RequestError::NotRowJudgeable { target, path, .. } => {
                (Some(path.clone()), Some(target.clone()))
            }
        };
        let (line, column) = match &e {
            RequestError::TooDeep(n) => (n.line, n.column),
            _ => (None, None),
        };
        let d = ErrorDetail {
            code: e.code().to_string(),
            message: e.to_string(),
            path: path.clone(),
            target: target.clone(),
            line,
            column,
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
#[derive(Debug, Clone, Copy)]
pub struct OptionsDto {
    /// Record audit trails (default true).
    pub trail: bool,
    /// Evaluate only binding or only indicative targets (default: all).
    pub obligation: Option<Obligation>,
}

impl Default for OptionsDto {
    fn default() -> Self {
        OptionsDto {
            trail: true,
            obligation: None,
        }
    }
}

impl FromJson for OptionsDto {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "options",
            OptionsDto {
                trail: or(true),
                obligation: opt,
            }
        )
    }
}

/// A request to evaluate.
#[derive(Debug, Clone)]
pub struct EvaluateRequest {
    /// The rule set (absent: the embedded Xicheng plan).
    pub plan: Option<Json>,
    /// The dataset.
    pub data: Json,
    /// The as-of date, `YYYY-MM-DD` (absent: [`Plan::default_as_of`], the plan's last day).
    pub as_of: Option<String>,
    /// Options.
    pub options: OptionsDto,
}

impl FromJson for EvaluateRequest {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an evaluate request",
            EvaluateRequest {
                plan: opt,
                data: req,
                as_of: opt,
                options: def,
            }
        )
    }
}

/// A request to validate data.
#[derive(Debug, Clone)]
pub struct ValidateRequest {
    /// The rule set (absent: the embedded Xicheng plan).
    pub plan: Option<Json>,
    /// The dataset.
    pub data: Json,
}

impl FromJson for ValidateRequest {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a validate request",
            ValidateRequest {
                plan: opt,
                data: req,
            }
        )
    }
}

/// A request for a rule set's targets, or a static check of a rule set and/or a dataset.
#[derive(Debug, Clone, Default)]
pub struct PlanRequest {
    /// The rule set (absent: the embedded Xicheng plan).
    pub plan: Option<Json>,
    /// A dataset to check against it (for `check`).
    pub data: Option<Json>,
}

impl FromJson for PlanRequest {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a request",
            PlanRequest {
                plan: opt,
                data: opt,
            }
        )
    }
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
    /// `published` or `draft`.
    pub status: PlanStatus,
    /// What a draft rule set leaves out (a published one loads only without omissions, so
    /// for it this is empty).
    pub warnings: Vec<SpecWarning>,
    /// The dataset's diagnostics, if one was given.
    pub data: Option<ValidateAnswer>,
}

fn parse_request<T: FromJson>(text: &str) -> Result<T, FfiError> {
    let value = Json::parse(text).map_err(|e| {
        if e.too_deep {
            RequestError::TooDeep(crate::error::Nesting::from(&e))
        } else {
            RequestError::Shape {
                path: String::new(),
                message: e.to_string(),
            }
        }
    })?;
    Ok(
        T::from_json(value, &Path::Root).map_err(|e| RequestError::Shape {
            path: e.path,
            message: e.message,
        })?,
    )
}

/// Loads a rule set from an optional JSON value (absent: the embedded Xicheng plan).
pub fn load_plan(plan: Option<Json>) -> Result<Plan, FfiError> {
    match plan {
        None => Ok(Plan::xicheng_2016_2020()?),
        Some(v) => Ok(Plan::from_wire(v)?),
    }
}

/// Parses an as-of date.
pub fn parse_as_of(text: &str) -> Result<Date, FfiError> {
    text.parse::<Date>()
        .map_err(|_| RequestError::AsOf(text.chars().take(40).collect()).into())
}

/// The as-of date of a request: the one given, or the plan's default
/// ([`Plan::default_as_of`]); a review of the plan's calendar may be named instead of a date
/// (`mid_term`).
pub fn as_of_or_default(plan: &Plan, as_of: Option<&str>) -> Result<Date, FfiError> {
    resolve_as_of(plan, as_of).map(|(date, _)| date)
}

/// The as-of date of a request and the review it names, if it names one: a date
/// (`2018-06-30`), the id of a review of the plan's monitoring calendar (`mid_term`,
/// `annual_2017`), or nothing (the plan's default).
///
/// ```
/// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
/// let (date, review) = plan_rules::ffi::resolve_as_of(&plan, Some("2018-12-31")).unwrap();
/// assert_eq!((date.to_string(), review), ("2018-12-31".to_string(), None));
/// ```
pub fn resolve_as_of<'p>(
    plan: &'p Plan,
    as_of: Option<&str>,
) -> Result<(Date, Option<&'p str>), FfiError> {
    let Some(text) = as_of else {
        return Ok((plan.default_as_of(), None));
    };
    // Text that starts as a date does is judged as one (`2020-02-30` is a bad date, not an
    // unknown review).
    if text.starts_with(|c: char| c.is_ascii_digit()) || plan.monitoring.is_empty() {
        return parse_as_of(text).map(|d| (d, None));
    }
    match plan.review(text) {
        Some(r) => Ok((r.as_of, Some(r.id.as_str()))),
        None => Err(RequestError::UnknownReview {
            given: text.chars().take(40).collect(),
            known: plan.monitoring.iter().map(|r| r.id.clone()).collect(),
        }
        .into()),
    }
}

/// The attribute named by `code` (`binding`, `indicative`), for a request's `obligation`.
/// It is read as the options' `obligation` is (the same message and pointer).
pub fn obligation(code: Option<&str>) -> Result<Option<Obligation>, FfiError> {
    let root = Path::Root;
    let at = root.key("options");
    code.map(|c| {
        Obligation::from_json(Json::String(c.to_string()), &at.key("obligation")).map_err(|e| {
            FfiError::from(RequestError::Shape {
                path: e.path,
                message: e.message,
            })
        })
    })
    .transpose()
}

/// Evaluates a loaded plan on a dataset value, at `as_of` (absent: the plan's default).
pub fn evaluate(
    plan: &Plan,
    data: Json,
    as_of: Option<&str>,
    options: OptionsDto,
) -> Result<Report, FfiError> {
    let (as_of, review) = resolve_as_of(plan, as_of)?;
    let data = Dataset::from_wire(data)?;
    Ok(evaluate_plan(
        plan,
        &data,
        as_of,
        EvaluateOptions::default()
            .with_trail(options.trail)
            .with_obligation(options.obligation),
    )
    .for_review(plan, review))
}

/// Validates a dataset value against a loaded plan.
pub fn validate(plan: &Plan, data: Json) -> Result<ValidateAnswer, FfiError> {
    let data = Dataset::from_wire(data)?;
    Ok(validate_dataset(plan, &data))
}

/// The static checks' answer for a loaded plan and, if given, a dataset's diagnostics.
pub fn check(plan: &Plan, data: Option<Json>) -> Result<CheckAnswer, FfiError> {
    let data = data.map(|d| validate(plan, d)).transpose()?;
    Ok(CheckAnswer {
        ok: data.as_ref().is_none_or(|d| d.ok),
        plan_id: plan.id.clone(),
        plan_hash: plan.content_hash().to_string(),
        targets: plan.targets.len(),
        status: plan.status,
        warnings: plan.warnings(),
        data,
    })
}

/// A dataset document from JSON text: its size and syntax checked, as data errors.
pub fn data_document(text: &str) -> Result<Json, FfiError> {
    if text.len() > crate::limits::MAX_DOCUMENT_BYTES {
        return Err(DataError::TooLarge {
            bytes: text.len(),
            limit: crate::limits::MAX_DOCUMENT_BYTES,
        }
        .into());
    }
    Json::parse(text).map_err(|e| DataError::from(e).into())
}

/// Evaluation options from JSON text (`{"trail": false}`); absent means the defaults. A
/// problem is a request error under `/options`.
pub fn read_options(text: Option<&str>) -> Result<OptionsDto, FfiError> {
    let Some(text) = text else {
        return Ok(OptionsDto::default());
    };
    let shape =
        |path: String, message: String| FfiError::from(RequestError::Shape { path, message });
    let value = Json::parse(text).map_err(|e| shape("/options".into(), e.to_string()))?;
    let root = Path::Root;
    OptionsDto::from_json(value, &root.key("options")).map_err(|e| shape(e.path, e.message))
}

/// The checked rule set as canonical, indented JSON (what `rules` answers).
pub fn rules_text(plan: &Plan) -> String {
    answer_text(plan)
}

/// An answer as indented JSON with a final newline (how `validate`, `check` and `rules`
/// answer).
pub fn answer_text<T: Serialize>(answer: &T) -> String {
    serde_json::to_string_pretty(answer).unwrap_or_default() + "\n"
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

/// `evaluate` over JSON: `{"plan"?, "data", "as_of"?, "options"?}` in, the report JSON out.
/// Without `as_of` the report stands at the plan's last day ([`Plan::default_as_of`]).
///
/// ```
/// let out = plan_rules::ffi::evaluate_json(r#"{"data": {}, "as_of": "2018-12-31"}"#).unwrap();
/// assert!(out.contains("\"not_assessable\""));
/// let out = plan_rules::ffi::evaluate_json(r#"{"data": {}}"#).unwrap();
/// assert!(out.contains("\"as_of\": \"2020-12-31\""));
/// let err = plan_rules::ffi::evaluate_json(r#"{"data": {}, "as_of": "2018-13-01"}"#).unwrap_err();
/// assert_eq!(err.code, "invalid_as_of");
/// ```
pub fn evaluate_json(request: &str) -> Result<String, FfiError> {
    let req: EvaluateRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    Ok(evaluate(&plan, req.data, req.as_of.as_deref(), req.options)?.to_json())
}

/// `validate` over JSON: `{"plan"?, "data"}` in, the diagnostics JSON out.
pub fn validate_json(request: &str) -> Result<String, FfiError> {
    let req: ValidateRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    Ok(answer_text(&validate(&plan, req.data)?))
}

/// `rules` over JSON: `{"plan"?}` in, the checked rule set (canonical JSON) out.
pub fn rules_json(request: &str) -> Result<String, FfiError> {
    let req: PlanRequest = parse_request(request)?;
    Ok(rules_text(&load_plan(req.plan)?))
}

/// `check` over JSON: `{"plan"?, "data"?}` in; the rule set's static checks (an error if they
/// fail) and the dataset's diagnostics out.
pub fn check_json(request: &str) -> Result<String, FfiError> {
    let req: PlanRequest = parse_request(request)?;
    let plan = load_plan(req.plan)?;
    Ok(answer_text(&check(&plan, req.data)?))
}
