//! Diagnostics (诊断): problems with individual values in a dataset, each naming the field,
//! entity and period, with a message in Chinese and English.

use serde::Serialize;

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value cannot be used; targets reading it are not assessable.
    Error,
    /// The value is suspicious or unused; nothing is judged on it.
    Warning,
}

/// The kind of problem, with a stable snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// A value of the wrong type (a boolean where a number belongs ...).
    InvalidType,
    /// Text that should be a number is not one, or has more than 28 significant digits.
    InvalidNumber,
    /// A negative count, quantity or percentage.
    NegativeValue,
    /// A count with a fractional part.
    FractionalCount,
    /// A percentage above 100.
    PercentOutOfRange,
    /// A value above the total it is part of (passed above eligible).
    InconsistentTotal,
    /// A state that is not one of the field's states.
    InvalidState,
    /// A required value is absent from a record.
    MissingRequired,
    /// A year key that is not a year.
    InvalidPeriod,
    /// A year outside the plan (before the baseline or after the period).
    PeriodOutsidePlan,
    /// A series the dictionary does not define.
    UnknownSeries,
    /// An entity kind the dictionary does not define.
    UnknownEntityKind,
    /// A field the entity kind does not define.
    UnknownField,
    /// An attribute value outside the allowed list.
    InvalidAttribute,
    /// An entity that is not one of the items the plan names (a project not in annex 2).
    UnknownEntity,
    /// Two entities of one kind with the same id.
    DuplicateEntity,
    /// A series given in a unit other than the dictionary's.
    UnitMismatch,
    /// An entity whose active years are reversed.
    InvalidActiveYears,
    /// A recorded judgement on a target the plan lacks, or on one that is not qualitative.
    InvalidJudgement,
}

impl DiagnosticCode {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::InvalidType => "invalid_type",
            DiagnosticCode::InvalidNumber => "invalid_number",
            DiagnosticCode::NegativeValue => "negative_value",
            DiagnosticCode::FractionalCount => "fractional_count",
            DiagnosticCode::PercentOutOfRange => "percent_out_of_range",
            DiagnosticCode::InconsistentTotal => "inconsistent_total",
            DiagnosticCode::InvalidState => "invalid_state",
            DiagnosticCode::MissingRequired => "missing_required",
            DiagnosticCode::InvalidPeriod => "invalid_period",
            DiagnosticCode::PeriodOutsidePlan => "period_outside_plan",
            DiagnosticCode::UnknownSeries => "unknown_series",
            DiagnosticCode::UnknownEntityKind => "unknown_entity_kind",
            DiagnosticCode::UnknownField => "unknown_field",
            DiagnosticCode::InvalidAttribute => "invalid_attribute",
            DiagnosticCode::UnknownEntity => "unknown_entity",
            DiagnosticCode::DuplicateEntity => "duplicate_entity",
            DiagnosticCode::UnitMismatch => "unit_mismatch",
            DiagnosticCode::InvalidActiveYears => "invalid_active_years",
            DiagnosticCode::InvalidJudgement => "invalid_judgement",
        }
    }

    /// Every code, in a fixed order.
    pub const ALL: [DiagnosticCode; 19] = [
        DiagnosticCode::InvalidType,
        DiagnosticCode::InvalidNumber,
        DiagnosticCode::NegativeValue,
        DiagnosticCode::FractionalCount,
        DiagnosticCode::PercentOutOfRange,
        DiagnosticCode::InconsistentTotal,
        DiagnosticCode::InvalidState,
        DiagnosticCode::MissingRequired,
        DiagnosticCode::InvalidPeriod,
        DiagnosticCode::PeriodOutsidePlan,
        DiagnosticCode::UnknownSeries,
        DiagnosticCode::UnknownEntityKind,
        DiagnosticCode::UnknownField,
        DiagnosticCode::InvalidAttribute,
        DiagnosticCode::UnknownEntity,
        DiagnosticCode::DuplicateEntity,
        DiagnosticCode::UnitMismatch,
        DiagnosticCode::InvalidActiveYears,
        DiagnosticCode::InvalidJudgement,
    ];
}

/// One problem with a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: DiagnosticCode,
    /// How serious.
    pub severity: Severity,
    /// JSON pointer into the dataset (`/entities/3/records/2017/health_test_passed`).
    pub path: String,
    /// The series or field (`preschool_enrolled`, `school.health_test_passed`).
    pub field: Option<String>,
    /// The entity id, for entity data.
    pub entity: Option<String>,
    /// The year.
    pub period: Option<i32>,
    /// What is wrong and what was expected, in Chinese.
    pub message_zh: String,
    /// What is wrong and what was expected, in English.
    pub message_en: String,
}

impl FromJson for Severity {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "severity",
            &[("error", Severity::Error), ("warning", Severity::Warning)],
        )
    }
}

impl FromJson for DiagnosticCode {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "diagnostic code",
            &DiagnosticCode::ALL.map(|c| (c.as_str(), c)),
        )
    }
}

impl FromJson for Diagnostic {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a diagnostic",
            Diagnostic {
                code: req,
                severity: req,
                path: req,
                field: req,
                entity: req,
                period: req,
                message_zh: req,
                message_en: req,
            }
        )
    }
}
