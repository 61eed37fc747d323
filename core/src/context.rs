//! The shared vocabulary of judging, below the rule kinds and above the data they read: the
//! context a rule is judged in ([`Ctx`]), the options of an evaluation, why a value is not
//! assessable ([`ReasonCode`]), a year's standing ([`Level`]), what a rule concludes
//! ([`Outcome`]), and the comparison of a value with its limit.

use rust_decimal::Decimal;

use crate::bound::Op;
use crate::dataset::Judgement;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::number::fmt_decimal;
use crate::plan::{Comparison, Obligation, Plan, Target};
use crate::prepare::Prepared;
pub use crate::report::ReasonCode;
use crate::report::{Band, Counts, Culprit, Grade, Reason, Status, TargetResult, Trajectory};
use crate::text::Text;
use crate::trail::Recorder;

/// What an evaluation produces besides statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EvaluateOptions {
    /// Record each result's audit trail (inputs and arithmetic).
    pub trail: bool,
    /// Evaluate only the targets of this attribute (binding or indicative); `None` is all.
    pub obligation: Option<Obligation>,
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions {
            trail: true,
            obligation: None,
        }
    }
}

impl EvaluateOptions {
    /// These options, with audit trails recorded or not.
    ///
    /// ```
    /// let quick = plan_rules::EvaluateOptions::default().with_trail(false);
    /// assert!(!quick.trail);
    /// ```
    pub fn with_trail(self, trail: bool) -> Self {
        EvaluateOptions { trail, ..self }
    }

    /// These options, keeping only the targets of one attribute (or all, with `None`).
    ///
    /// ```
    /// use plan_rules::plan::Obligation;
    /// let binding = plan_rules::EvaluateOptions::default().with_obligation(Some(Obligation::Binding));
    /// assert_eq!(binding.obligation, Some(Obligation::Binding));
    /// ```
    pub fn with_obligation(self, obligation: Option<Obligation>) -> Self {
        EvaluateOptions { obligation, ..self }
    }
}

/// A value that cannot be judged, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotAssessable {
    pub code: ReasonCode,
    pub diagnostics: Vec<usize>,
    pub detail: Option<(String, String)>,
    pub counts: Option<Counts>,
    pub culprits: Vec<Culprit>,
}

impl NotAssessable {
    pub fn new(code: ReasonCode) -> NotAssessable {
        NotAssessable {
            code,
            diagnostics: Vec::new(),
            detail: None,
            counts: None,
            culprits: Vec::new(),
        }
    }

    pub fn bad_data(diagnostic: usize) -> NotAssessable {
        NotAssessable {
            diagnostics: vec![diagnostic],
            ..NotAssessable::new(ReasonCode::BadData)
        }
    }

    pub fn missing(what: &str, year: i32) -> NotAssessable {
        NotAssessable {
            detail: Some((
                format!("{year}年 `{what}` 缺失"),
                format!("`{what}` is missing for {year}"),
            )),
            ..NotAssessable::new(ReasonCode::MissingValue)
        }
    }

    pub fn with_detail(mut self, zh: String, en: String) -> NotAssessable {
        self.detail = Some((zh, en));
        self
    }

    pub(crate) fn reason(&self, diagnostics: &[Diagnostic]) -> Reason {
        let (zh, en) = self.code.text();
        let (mut zh, mut en) = (zh.to_string(), en.to_string());
        if let Some((dz, de)) = &self.detail {
            zh = format!("{zh}：{dz}");
            en = format!("{en}: {de}");
        } else if let Some(d) = self.diagnostics.first().and_then(|i| diagnostics.get(*i)) {
            let place = d.path.as_str();
            zh = format!("{zh}：{}（{place}）", d.message_zh);
            en = format!("{en}: {} (at {place})", d.message_en);
        }
        Reason {
            code: self.code.as_str(),
            zh,
            en,
        }
    }
}

/// Everything a rule needs while it is evaluated.
pub(crate) struct Ctx<'p, 'a> {
    pub plan: &'p Plan,
    pub target: &'p Target,
    pub data: &'p Prepared<'a>,
    pub as_of: Date,
}

impl Ctx<'_, '_> {
    /// The last day observations may describe: the as-of date, or the deadline once passed.
    pub fn cutoff(&self) -> Date {
        self.as_of.min(self.target.deadline)
    }

    /// The last year whose observation is visible.
    pub fn last_visible_year(&self) -> i32 {
        let c = self.cutoff();
        if c.month() == 12 && c.day() == 31 {
            c.year()
        } else {
            c.year() - 1
        }
    }

    /// Whether the deadline has come (final judgement).
    pub fn deadline_reached(&self) -> bool {
        self.as_of >= self.target.deadline
    }

    pub fn baseline_year(&self) -> i32 {
        self.target.baseline_year.unwrap_or(self.plan.baseline_year)
    }

    pub fn comparison(&self) -> Comparison {
        self.target.comparison
    }
}

/// One year's standing of a threshold rule.
#[derive(Debug, Clone, Default)]
pub(crate) struct Level {
    pub value: Decimal,
    pub met: bool,
    pub culprits: Vec<Culprit>,
    pub counts: Option<Counts>,
    pub band_position: Option<&'static str>,
    /// The year and value a change is measured from, shown as the baseline.
    pub start: Option<(i32, Decimal)>,
    /// A rate's numerator and denominator, so further limits (the aspiration) are compared
    /// exactly, as the rate itself is.
    pub ratio: Option<(Decimal, Decimal)>,
}

/// Judges a plain value against a limit and a bound with the target's comparison method.
pub(crate) fn satisfies(
    value: Decimal,
    op: Op,
    limit: Decimal,
    cmp: Comparison,
    rec: &mut Recorder,
) -> bool {
    match cmp {
        Comparison::FullValue => {
            let met = op.holds(value.cmp(&limit));
            rec.step("compare", || {
                (
                    format!(
                        "full-value comparison: {} {op} {}",
                        fmt_decimal(value),
                        fmt_decimal(limit)
                    ),
                    met.to_string(),
                )
            });
            met
        }
        Comparison::RoundedValue { decimals } => {
            let rounded = crate::arith::round_half_even(value, decimals);
            let met = op.holds(rounded.cmp(&limit));
            rec.step_inexact("round", rounded == value, || {
                (
                    format!(
                        "round {} half-even to {decimals} places",
                        fmt_decimal(value)
                    ),
                    rounded.to_string(),
                )
            });
            rec.step("compare", || {
                (
                    format!(
                        "rounded-value comparison: {rounded} {op} {}",
                        fmt_decimal(limit)
                    ),
                    met.to_string(),
                )
            });
            met
        }
    }
}

/// A value for a sentence: rounded half-even to 2 places, with its unit (`5.5%`, `46 persons`).
pub(crate) fn show(v: Decimal, unit: Option<&str>) -> String {
    let v = fmt_decimal(crate::arith::round_half_even(v, 2));
    match unit {
        Some("%") => format!("{v}%"),
        Some("") | None => v,
        Some(u) => format!("{v} {u}"),
    }
}

/// What a rule's evaluation yields, before it becomes a [`TargetResult`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub status: Option<Status>,
    pub grade: Option<Grade>,
    pub unit: Option<String>,
    pub observed: Option<(i32, Decimal)>,
    pub goal: Option<Decimal>,
    /// How the observed value must stand against the goal.
    pub op: Option<Op>,
    /// The aspiration level and whether the observed value reaches it.
    pub aspiration: Option<(Decimal, Option<bool>)>,
    /// A reviewer's judgement the verdict rests on.
    pub judgement: Option<Judgement>,
    /// For a change rule: the year the observed change is measured from.
    pub change_from: Option<i32>,
    /// Whether the observed value is an average annual rate.
    pub averaged: bool,
    pub baseline: Option<(i32, Decimal)>,
    pub trajectory: Option<Trajectory>,
    pub band: Option<Band>,
    pub counts: Option<Counts>,
    pub culprits: Vec<Culprit>,
    pub not_assessable: Option<NotAssessable>,
    pub parts: Vec<TargetResult>,
    pub approximate: bool,
    /// A rule's own explanation, when the generic sentence does not fit (growth, all-of).
    pub explanation: Option<Text>,
}

impl Outcome {
    pub(crate) fn stop(mut self, na: NotAssessable) -> Outcome {
        if self.counts.is_none() {
            self.counts = na.counts;
        }
        if self.culprits.is_empty() {
            self.culprits = na.culprits.clone();
        }
        self.status = Some(Status::NotAssessable);
        self.not_assessable = Some(na);
        self
    }
}

/// The worse of two statuses for combining parts: not met, then off track (worst grade),
/// then not assessable, then on track, then met.
pub(crate) fn severity(status: Status, grade: Option<Grade>) -> u8 {
    match (status, grade) {
        (Status::NotMet, _) => 7,
        (Status::OffTrack, Some(Grade::Regressing)) => 6,
        (Status::OffTrack, Some(Grade::Insufficient)) => 5,
        (Status::OffTrack, _) => 4,
        (Status::NotAssessable, _) => 3,
        (Status::OnTrack, _) => 2,
        (Status::Met, _) => 1,
    }
}

/// How a part of an `all_of` rule is evaluated into a result (the evaluation above provides
/// it, so judging never calls back up).
pub(crate) type PartResult<'f> = &'f dyn Fn(&crate::rules::Rule, &str, &Text) -> TargetResult;
