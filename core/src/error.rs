//! Errors, one enum per layer: [`SpecError`] for rule sets, [`DataError`] for datasets as a
//! whole, [`ReportError`] for a report read back from its JSON, [`RequestError`] for the entry
//! layer's requests. Each variant has a stable snake_case
//! [`code`](SpecError::code) and names where the problem is.
//!
//! Problems with individual values are not errors but [`crate::Diagnostic`]s: they make the
//! targets that read them not assessable and leave everything else evaluated.

use std::fmt;

use serde::Serialize;

use crate::limits::MAX_NESTING;
use crate::wire::ParseError;

/// Where a document nests deeper than [`MAX_NESTING`] levels: a line and column of JSON text,
/// or the JSON pointer of a value handed over as objects (Python, JavaScript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nesting {
    /// 1-based line, for text.
    pub line: Option<usize>,
    /// 1-based column, for text.
    pub column: Option<usize>,
    /// JSON pointer of the value that goes too deep, for objects.
    pub path: Option<String>,
}

impl fmt::Display for Nesting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "nests deeper than {MAX_NESTING} levels")?;
        match (&self.path, self.line, self.column) {
            (Some(path), _, _) => write!(f, " at `{path}`"),
            (None, Some(line), Some(column)) => write!(f, " at line {line}, column {column}"),
            _ => Ok(()),
        }
    }
}

impl From<&ParseError> for Nesting {
    fn from(e: &ParseError) -> Self {
        Nesting {
            line: Some(e.line),
            column: Some(e.column),
            path: None,
        }
    }
}

/// A problem in a rule set, found while loading or by a static check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The document is not JSON.
    #[error("rule set is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is JSON but not a rule set: a wrong type, a missing or unknown field.
    #[error("rule set has the wrong shape at `{path}`: {message}")]
    Shape {
        /// JSON pointer to the problem.
        path: String,
        /// What was expected.
        message: String,
        /// The target it is in, if any.
        target: Option<String>,
    },
    /// A rule's `type` is not one of the rule kinds.
    #[error(
        "target `{target}` has unknown rule kind `{kind}` at `{path}` (expected one of rate, count, approximate_count, duration, coverage, growth_comparison, milestones, all_of)"
    )]
    UnknownKind {
        /// The target.
        target: String,
        /// The kind given.
        kind: String,
        /// JSON pointer to it.
        path: String,
    },
    /// Two targets (or two parts of one target) share an id.
    #[error("target id `{target}` at `{path}` is used more than once")]
    DuplicateId {
        /// The repeated id.
        target: String,
        /// JSON pointer to the second use.
        path: String,
    },
    /// A rule names a unit other than its measure's.
    #[error("target `{target}` expects unit `{expected}` but `{measure}` is in `{found}`")]
    UnitMismatch {
        /// The target.
        target: String,
        /// The unit the rule states.
        expected: String,
        /// The measure's unit.
        found: String,
        /// The measure.
        measure: String,
    },
    /// A rate's numerator and denominator are in different units.
    #[error(
        "target `{target}` divides `{numerator_unit}` by `{denominator_unit}`: a rate's parts must share a unit"
    )]
    RateUnitMismatch {
        /// The target.
        target: String,
        /// Unit of the numerator.
        numerator_unit: String,
        /// Unit of the denominator.
        denominator_unit: String,
    },
    /// A deadline lies outside the plan period.
    #[error("target `{target}` has deadline {deadline} outside the plan period {start} to {end}")]
    DeadlineOutsidePeriod {
        /// The target.
        target: String,
        /// Its deadline.
        deadline: String,
        /// Period start.
        start: String,
        /// Period end.
        end: String,
    },
    /// A rule reads a series, entity kind, field or attribute the dictionary does not define.
    #[error("target `{target}` reads {what} `{name}`, which the dictionary does not define")]
    UnknownReference {
        /// The target.
        target: String,
        /// `series`, `entity kind`, `field` or `attribute`.
        what: String,
        /// The name.
        name: String,
    },
    /// A value in a rule or the dictionary is impossible (a band whose lower end is above its
    /// upper end, a percentage above 100, a field of the wrong type for its use ...).
    #[error("{context}: {message}")]
    Invalid {
        /// The target, if the problem is in one.
        target: Option<String>,
        /// Where, in words (`target `A1``, `dictionary field `x``).
        context: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The document exceeds a size limit.
    #[error("rule set is {bytes} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The document nests deeper than [`MAX_NESTING`] levels.
    #[error("rule set {0}")]
    TooDeep(Nesting),
    /// A rule set leaves out what only a draft may (a citation's quote, one language of a
    /// bilingual text), or what even a draft may not (both languages of a text). The code is
    /// the omission's (`missing_quote`, `missing_translation`, `missing_text`): the same a
    /// draft's [`SpecWarning`] has.
    #[error("{message}")]
    Omitted {
        /// What is left out.
        code: WarningCode,
        /// JSON pointer of what is left out (`/targets/0/citation/quote`,
        /// `/targets/0/title/en`).
        path: String,
        /// The target (or all-of part) it is in, if any.
        target: Option<String>,
        /// What is left out and whether a draft may leave it out.
        message: String,
    },
}

impl From<ParseError> for SpecError {
    fn from(e: ParseError) -> Self {
        if e.too_deep {
            SpecError::TooDeep(Nesting::from(&e))
        } else {
            SpecError::Syntax {
                line: e.line,
                column: e.column,
                message: e.message,
            }
        }
    }
}

impl SpecError {
    /// The stable code of this problem.
    pub fn code(&self) -> &'static str {
        match self {
            SpecError::Syntax { .. } => "invalid_json",
            SpecError::Shape { .. } => "invalid_shape",
            SpecError::UnknownKind { .. } => "unknown_kind",
            SpecError::DuplicateId { .. } => "duplicate_id",
            SpecError::UnitMismatch { .. } => "unit_mismatch",
            SpecError::RateUnitMismatch { .. } => "rate_unit_mismatch",
            SpecError::DeadlineOutsidePeriod { .. } => "deadline_outside_period",
            SpecError::UnknownReference { .. } => "unknown_reference",
            SpecError::Invalid { .. } => "invalid_rule",
            SpecError::TooLarge { .. } => "too_large",
            SpecError::TooDeep(_) => "too_deep",
            SpecError::Omitted { code, .. } => code.as_str(),
        }
    }

    /// The target the problem is in, if any.
    pub fn target(&self) -> Option<&str> {
        match self {
            SpecError::UnknownKind { target, .. }
            | SpecError::DuplicateId { target, .. }
            | SpecError::UnitMismatch { target, .. }
            | SpecError::RateUnitMismatch { target, .. }
            | SpecError::DeadlineOutsidePeriod { target, .. }
            | SpecError::UnknownReference { target, .. } => Some(target),
            SpecError::Shape { target, .. }
            | SpecError::Invalid { target, .. }
            | SpecError::Omitted { target, .. } => target.as_deref(),
            SpecError::Syntax { .. } | SpecError::TooLarge { .. } | SpecError::TooDeep(_) => None,
        }
    }

    /// The JSON pointer of the problem, if known.
    pub fn path(&self) -> Option<&str> {
        match self {
            SpecError::Shape { path, .. }
            | SpecError::UnknownKind { path, .. }
            | SpecError::DuplicateId { path, .. }
            | SpecError::Omitted { path, .. } => Some(path),
            SpecError::TooDeep(n) => n.path.as_deref(),
            _ => None,
        }
    }

    /// The problem as a serialisable record.
    pub fn to_detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.code().to_string(),
            message: self.to_string(),
            path: self.path().map(str::to_string),
            target: self.target().map(str::to_string),
            line: match self {
                SpecError::Syntax { line, .. } => Some(*line),
                SpecError::TooDeep(n) => n.line,
                _ => None,
            },
            column: match self {
                SpecError::Syntax { column, .. } => Some(*column),
                SpecError::TooDeep(n) => n.column,
                _ => None,
            },
        }
    }
}

/// Every problem found in a rule set (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors {
    first: SpecError,
    rest: Vec<SpecError>,
}

impl SpecErrors {
    /// One problem.
    pub fn one(e: SpecError) -> SpecErrors {
        SpecErrors {
            first: e,
            rest: Vec::new(),
        }
    }

    /// Problems from a list; an empty list yields a generic invalid-rule error so the type
    /// stays non-empty.
    pub fn new(mut errors: Vec<SpecError>) -> SpecErrors {
        if errors.is_empty() {
            return SpecErrors::one(SpecError::Invalid {
                target: None,
                context: "rule set".into(),
                message: "rejected".into(),
            });
        }
        let first = errors.remove(0);
        SpecErrors {
            first,
            rest: errors,
        }
    }

    /// The first problem.
    pub fn first(&self) -> &SpecError {
        &self.first
    }

    /// Every problem, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &SpecError> {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }

    /// Always false: there is at least one problem.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        if !self.rest.is_empty() {
            write!(f, " (and {} more)", self.rest.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// What a draft rule set may leave out, and what no rule set may: the code of a
/// [`SpecWarning`] (in a draft) and of a [`SpecError::Omitted`] (in a published rule set, or
/// for [`WarningCode::MissingText`] in any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningCode {
    /// A citation without its verbatim quote (absent or blank).
    MissingQuote,
    /// A bilingual text that gives one language only (the other absent or blank).
    MissingTranslation,
    /// A bilingual text that gives neither language: an error even in a draft.
    MissingText,
}

impl WarningCode {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::MissingQuote => "missing_quote",
            WarningCode::MissingTranslation => "missing_translation",
            WarningCode::MissingText => "missing_text",
        }
    }
}

/// Something a draft rule set leaves out, which a published one must give: reported by `check`
/// (and [`crate::Plan::warnings`]) instead of refusing the rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecWarning {
    /// What is left out (`missing_quote`, `missing_translation`).
    pub code: WarningCode,
    /// JSON pointer of what is left out (`/targets/0/citation/quote`, `/targets/0/title/en`).
    pub path: String,
    /// The target (or all-of part) it is in, if any.
    pub target: Option<String>,
    /// What is left out, in Chinese.
    pub message_zh: String,
    /// What is left out, in English.
    pub message_en: String,
}

/// A problem with a dataset as a whole: not JSON, the wrong shape, or over a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The document is not JSON.
    #[error("data is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is JSON but not a dataset.
    #[error("data has the wrong shape at `{path}`: {message}")]
    Shape {
        /// JSON pointer to the problem.
        path: String,
        /// What was expected.
        message: String,
    },
    /// The document is too large.
    #[error("data is {bytes} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The document nests deeper than [`MAX_NESTING`] levels.
    #[error("data {0}")]
    TooDeep(Nesting),
    /// A count exceeds a limit.
    #[error("data has too many {what} at `{path}` (limit {limit})")]
    Limit {
        /// JSON pointer.
        path: String,
        /// What is counted.
        what: String,
        /// The limit.
        limit: usize,
    },
}

impl DataError {
    /// The stable code of this problem.
    pub fn code(&self) -> &'static str {
        match self {
            DataError::Syntax { .. } => "invalid_json",
            DataError::Shape { .. } => "invalid_shape",
            DataError::TooLarge { .. } => "too_large",
            DataError::Limit { .. } => "limit_exceeded",
            DataError::TooDeep(_) => "too_deep",
        }
    }

    /// The JSON pointer of the problem, if known.
    pub fn path(&self) -> Option<&str> {
        match self {
            DataError::Shape { path, .. } | DataError::Limit { path, .. } => Some(path),
            DataError::TooDeep(n) => n.path.as_deref(),
            _ => None,
        }
    }

    /// The problem as a serialisable record.
    pub fn to_detail(&self) -> ErrorDetail {
        let (line, column) = match self {
            DataError::Syntax { line, column, .. } => (Some(*line), Some(*column)),
            DataError::TooDeep(n) => (n.line, n.column),
            _ => (None, None),
        };
        ErrorDetail {
            code: self.code().to_string(),
            message: self.to_string(),
            path: self.path().map(str::to_string),
            target: None,
            line,
            column,
        }
    }
}

impl From<ParseError> for DataError {
    fn from(e: ParseError) -> Self {
        if e.too_deep {
            DataError::TooDeep(Nesting::from(&e))
        } else {
            DataError::Syntax {
                line: e.line,
                column: e.column,
                message: e.message,
            }
        }
    }
}

/// A report's JSON that is not a report this engine writes ([`crate::Report::from_json`]): not
/// JSON, over the size limit, or the wrong shape (a missing or unknown field, a value of the
/// wrong type, a name the engine never writes, another engine's version).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The document is not JSON.
    #[error("report is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is JSON but not a report of this engine.
    #[error("report has the wrong shape at `{path}`: {message}")]
    Shape {
        /// JSON pointer to the problem.
        path: String,
        /// What was expected.
        message: String,
    },
    /// The document is too large.
    #[error("report is {bytes} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The document nests deeper than [`MAX_NESTING`] levels.
    #[error("report {0}")]
    TooDeep(Nesting),
}

impl ReportError {
    /// The stable code of this problem: `invalid_json`, `invalid_shape`, `too_large` or
    /// `too_deep`, as for a dataset.
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::Syntax { .. } => "invalid_json",
            ReportError::Shape { .. } => "invalid_shape",
            ReportError::TooLarge { .. } => "too_large",
            ReportError::TooDeep(_) => "too_deep",
        }
    }

    /// The JSON pointer of the problem, if known.
    pub fn path(&self) -> Option<&str> {
        match self {
            ReportError::Shape { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The problem as a serialisable record.
    pub fn to_detail(&self) -> ErrorDetail {
        let (line, column) = match self {
            ReportError::Syntax { line, column, .. } => (Some(*line), Some(*column)),
            ReportError::TooDeep(n) => (n.line, n.column),
            _ => (None, None),
        };
        ErrorDetail {
            code: self.code().to_string(),
            message: self.to_string(),
            path: self.path().map(str::to_string),
            target: None,
            line,
            column,
        }
    }
}

impl From<ParseError> for ReportError {
    fn from(e: ParseError) -> Self {
        if e.too_deep {
            ReportError::TooDeep(Nesting::from(&e))
        } else {
            ReportError::Syntax {
                line: e.line,
                column: e.column,
                message: e.message,
            }
        }
    }
}

/// A problem with a request to the entry layer that is neither the rule set's nor the data's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The request is not JSON or has the wrong shape.
    #[error("request is invalid at `{path}`: {message}")]
    Shape {
        /// JSON pointer.
        path: String,
        /// What was expected.
        message: String,
    },
    /// The as-of date is not a date.
    #[error("as-of date `{0}` is not a valid date (expected YYYY-MM-DD)")]
    AsOf(String),
    /// A target id asked for is not in the plan.
    #[error("target `{0}` is not in the plan")]
    UnknownTarget(String),
    /// The as-of given is neither a date nor a review of the plan's monitoring calendar.
    #[error(
        "as-of `{given}` is neither a date (YYYY-MM-DD) nor a review of the plan's calendar ({})",
        known.join(", ")
    )]
    UnknownReview {
        /// What was given.
        given: String,
        /// The reviews the plan has.
        known: Vec<String>,
    },
    /// The request nests deeper than [`MAX_NESTING`] levels.
    #[error("request {0}")]
    TooDeep(Nesting),
    /// A target named for row verdicts cannot be judged on one record
    /// ([`crate::row::RowRules::left_out`] says why).
    #[error("target `{target}` (at `{path}`) cannot be judged on one record ({reason}): {message}")]
    NotRowJudgeable {
        /// The target (or all-of part) left out.
        target: String,
        /// JSON pointer of the name in the request (`/targets/0`).
        path: String,
        /// The reason's stable code ([`crate::row::LeftOutReason::code`]).
        reason: &'static str,
        /// The reason, in English.
        message: String,
    },
}

impl RequestError {
    /// The stable code of this problem.
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::Shape { .. } => "invalid_request",
            RequestError::AsOf(_) | RequestError::UnknownReview { .. } => "invalid_as_of",
            RequestError::UnknownTarget(_) => "unknown_target",
            RequestError::TooDeep(_) => "too_deep",
            RequestError::NotRowJudgeable { .. } => "not_row_judgeable",
        }
    }
}

/// A serialisable description of one problem (what crosses to Python and JavaScript).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorDetail {
    /// Stable code.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// JSON pointer, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Target id, where it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Line, for syntax errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column, for syntax errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}
