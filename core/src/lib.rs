//! # plan-rules
//!
//! The quantitative targets of a development plan as typed, checkable rules. Give it a plan (a
//! rule set in JSON), observed data and an as-of date; it says, for each target, whether it is
//! `met`, `not_met`, `on_track`, `off_track` (with a grade) or `not_assessable`, and shows every
//! input and step of exact decimal arithmetic behind the verdict.
//!
//! ```
//! use plan_rules::{evaluate, Dataset, EvaluateOptions, Plan, Status};
//!
//! let plan = Plan::xicheng_2016_2020()?;
//! let data = Dataset::from_json(plan_rules::SAMPLE_DATA_JSON)?;
//! let report = evaluate(&plan, &data, "2020-12-31".parse()?, EvaluateOptions::default());
//! assert_eq!(report.results.len(), plan.targets.len());
//! let a1 = report.result("A1").unwrap();
//! assert!(matches!(a1.status, Status::Met | Status::NotMet));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate is organised by concept, and data flows one way through its layers (each module
//! uses only those on the lines above it; `core/tests/module_graph.rs` fails on a cycle):
//!
//! 1. [`wire`]: JSON documents and the one way they are read (`FromJson`, `read_struct!`); the
//!    leaves it reads ([`number`], [`date`], [`text`]) and [`limits`].
//! 2. The model, each type with its reader: [`bound`], [`dictionary`], [`measure`], [`rules`] (one file per
//!    rule kind: what it says), [`plan`], [`observation`], [`table`] (entities held as columns),
//!    [`dataset`]; [`error`], [`diagnostic`], [`report`]
//!    and [`trail`] (what results are made of).
//! 3. Loading: [`batch`] (a table's rows grouped into a dataset's entities) and [`unbatch`]
//!    (its inverse: a dataset's tables given back as columns), `check` (a rule set read and statically checked), `draft` (what a draft rule
//!    set may leave out: errors when published, [`Plan::warnings`] in a draft), `prepare` (a
//!    dataset indexed against a plan, its values diagnosed).
//! 4. Judging: `context` (the shared vocabulary), `lookup` (what a measure reads),
//!    [`trajectory`], `threshold` (the status logic of threshold rules), `judge` (one file per
//!    rule kind: how it is judged).
//! 5. [`eval`] (a plan on a dataset at a date, into a [`Report`]); [`groups`] (one table split
//!    by a column, each group evaluated); [`row`] (one record's
//!    verdicts); then [`render`], [`audit_log`] and [`ffi`], the JSON entry layer the Python and
//!    WebAssembly bindings wrap.
//!
//! Semantics are documented in `spec/README.md`.

#[doc(hidden)]
pub mod arith;
pub mod audit_log;
#[doc(hidden)]
pub mod batch;
pub mod bound;
mod check;
pub(crate) mod context;
mod culprit;
pub mod dataset;
pub mod date;
pub mod diagnostic;
pub mod dictionary;
mod draft;
pub mod error;
pub mod eval;
pub mod ffi;
pub mod groups;
pub mod hash;
pub(crate) mod judge;
pub mod limits;
pub(crate) mod lookup;
pub mod measure;
pub mod number;
pub mod observation;
mod parallel;
pub mod plan;
mod prepare;
pub mod render;
pub mod report;
pub mod row;
pub mod rules;
pub mod table;
pub mod text;
pub(crate) mod threshold;
pub mod trail;
pub mod trajectory;
#[doc(hidden)]
pub mod unbatch;
pub mod wire;

pub use dataset::{Dataset, DatasetBuilder, Observation, RawValue};
pub use date::Date;
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use error::{
    DataError, ReportError, RequestError, SpecError, SpecErrors, SpecWarning, WarningCode,
};
pub use eval::{EvaluateOptions, evaluate};
pub use number::Num;
pub use plan::{Plan, PlanStatus, Target};
pub use report::{Grade, Report, Status, TargetResult};
pub use rules::Rule;
pub use text::{Lang, Text};

/// The synthetic sample dataset for the Xicheng plan (2015 baseline to 2020), embedded so every
/// binding can demonstrate the engine offline. It is made up; see `spec/samples/README.md`.
pub const SAMPLE_DATA_JSON: &str = include_str!("../data/xicheng-sample-2015-2020.json");

/// The examples of the repository's README, run as doc tests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;

/// Helpers shared by the modules' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::wire::Json;

    /// One input of a conformance vector case: the text of the file it names, or the JSON value
    /// it holds inline (`Json::Null` when the case has none).
    pub(crate) enum VectorInput {
        File(String),
        Inline(Json),
    }

    /// The input under `key` (`"plan"`, `"data"`) of every case in `tests/vectors/cases`, in
    /// file-name order; a case nested beyond the engine's limit (which tests that limit) is left
    /// out.
    pub(crate) fn vector_inputs(key: &str) -> Vec<VectorInput> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/vectors/cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .filter_map(|f| Json::parse(&std::fs::read_to_string(f).unwrap()).ok())
            .map(|case| match case.get(key).cloned().unwrap_or_default() {
                Json::String(p) => {
                    VectorInput::File(std::fs::read_to_string(root.join(p)).unwrap())
                }
                v => VectorInput::Inline(v),
            })
            .collect()
    }
}
