//! The report (评估报告): one result per target, a summary, the diagnostics, and what is needed
//! to reproduce it (engine version, plan and data hashes, as-of date).
//!
//! A report is written as JSON ([`Report::to_json`]) and read back from it
//! ([`Report::from_json`]) to the same value, which writes the same bytes: it is the whole
//! report, not a summary of it. Its names from fixed lists (rule kinds, reason codes, culprit
//! problems, band positions, trail steps) are read against those lists.

use serde::Serialize;

use crate::bound::Op;
pub use crate::culprit::{CULPRIT_PROBLEMS, Culprit, CulpritDetail};
use crate::dataset::{Judgement, Verdict};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::error::ReportError;
use crate::hash::Sha256Hex;
use crate::limits;
use crate::number::Num;
use crate::plan::{Obligation, Plan, PlanStatus, ReviewKind};
use crate::rules::RULE_KINDS;
use crate::text::Text;
use crate::trail::Trail;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct};

/// The engine's name and version, recorded in every report.
pub const ENGINE_NAME: &str = "plan-rules";
/// The engine's version, recorded in every report.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The verdict on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The latest observation reaches the target (达标).
    Met,
    /// The deadline has come and the target is not reached (未达标).
    NotMet,
    /// Before the deadline, progressing fast enough (进展顺利).
    OnTrack,
    /// Before the deadline, not progressing fast enough (进展滞后); see the grade.
    OffTrack,
    /// The data cannot decide (无法评估); see the reason. Never read as met.
    NotAssessable,
}

impl Status {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::OnTrack => "on_track",
            Status::OffTrack => "off_track",
            Status::NotAssessable => "not_assessable",
        }
    }

    /// The status's name in Chinese and English.
    pub fn label(self) -> Text {
        match self {
            Status::Met => Text::new("达标", "met"),
            Status::NotMet => Text::new("未达标", "not met"),
            Status::OnTrack => Text::new("进展顺利", "on track"),
            Status::OffTrack => Text::new("进展滞后", "off track"),
            Status::NotAssessable => Text::new("无法评估", "not assessable"),
        }
    }
}

impl From<Verdict> for Status {
    fn from(v: Verdict) -> Status {
        match v {
            Verdict::Met => Status::Met,
            Verdict::NotMet => Status::NotMet,
            Verdict::OnTrack => Status::OnTrack,
            Verdict::OffTrack => Status::OffTrack,
        }
    }
}

/// How far off track a target is (after the Eurostat / Open SDG classification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 0.60 <= R < 0.95: progress must speed up (需加快).
    Accelerate,
    /// 0 <= R < 0.60: progress is far too slow (进展不足).
    Insufficient,
    /// R < 0: moving away from the target (倒退).
    Regressing,
}

impl Grade {
    /// The grade's name in Chinese and English.
    pub fn label(self) -> Text {
        match self {
            Grade::Accelerate => Text::new("需加快", "accelerate"),
            Grade::Insufficient => Text::new("进展不足", "insufficient"),
            Grade::Regressing => Text::new("倒退", "regressing"),
        }
    }
}

/// Why a value cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReasonCode {
    /// No observation at all for the target's inputs up to the as-of date.
    NoData,
    /// A value the target needs is missing.
    MissingValue,
    /// Fewer than two data points (baseline and a later year) for a trend.
    InsufficientDataPoints,
    /// The baseline year's value cannot be read.
    MissingBaseline,
    /// A denominator is zero.
    ZeroDenominator,
    /// The population the target is about is empty.
    EmptyPopulation,
    /// A value the target reads is bad (see the diagnostics).
    BadData,
    /// A rate's numerator is above its denominator.
    NumeratorExceedsDenominator,
    /// A growth rate from a zero or negative starting value.
    NonPositiveBase,
    /// The numbers exceed what exact decimals hold.
    ArithmeticOverflow,
    /// A part of an all-of target is not assessable.
    PartNotAssessable,
    /// A qualitative target without a recorded judgement: arithmetic never decides it.
    Qualitative,
}

impl ReasonCode {
    /// Every code, in a fixed order.
    pub const ALL: [ReasonCode; 12] = [
        ReasonCode::NoData,
        ReasonCode::MissingValue,
        ReasonCode::InsufficientDataPoints,
        ReasonCode::MissingBaseline,
        ReasonCode::ZeroDenominator,
        ReasonCode::EmptyPopulation,
        ReasonCode::BadData,
        ReasonCode::NumeratorExceedsDenominator,
        ReasonCode::NonPositiveBase,
        ReasonCode::ArithmeticOverflow,
        ReasonCode::PartNotAssessable,
        ReasonCode::Qualitative,
    ];

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::NoData => "no_data",
            ReasonCode::MissingValue => "missing_value",
            ReasonCode::InsufficientDataPoints => "insufficient_data_points",
            ReasonCode::MissingBaseline => "missing_baseline",
            ReasonCode::ZeroDenominator => "zero_denominator",
            ReasonCode::EmptyPopulation => "empty_population",
            ReasonCode::BadData => "bad_data",
            ReasonCode::NumeratorExceedsDenominator => "numerator_exceeds_denominator",
            ReasonCode::NonPositiveBase => "non_positive_base",
            ReasonCode::ArithmeticOverflow => "arithmetic_overflow",
            ReasonCode::PartNotAssessable => "part_not_assessable",
            ReasonCode::Qualitative => "qualitative",
        }
    }

    pub(crate) fn text(self) -> (&'static str, &'static str) {
        match self {
            ReasonCode::NoData => ("截至评估基准日没有数据", "no data up to the as-of date"),
            ReasonCode::MissingValue => ("所需数据缺失", "a value the target needs is missing"),
            ReasonCode::InsufficientDataPoints => (
                "数据点不足（需要基期和之后至少一年）",
                "fewer than two data points (the baseline and a later year)",
            ),
            ReasonCode::MissingBaseline => ("基期数据缺失", "the baseline value is missing"),
            ReasonCode::ZeroDenominator => ("分母为零", "the denominator is zero"),
            ReasonCode::EmptyPopulation => ("评估对象为空", "the population is empty"),
            ReasonCode::BadData => ("数据有误", "a value is bad"),
            ReasonCode::NumeratorExceedsDenominator => {
                ("分子大于分母", "the numerator exceeds the denominator")
            }
            ReasonCode::NonPositiveBase => {
                ("增长基数为零或负数", "growth from a zero or negative base")
            }
            ReasonCode::ArithmeticOverflow => (
                "数值超出精确计算范围",
                "the numbers exceed exact decimal range",
            ),
            ReasonCode::PartNotAssessable => ("组成部分无法评估", "a part is not assessable"),
            ReasonCode::Qualitative => (
                "定性目标，尚无可作结论的评估记录",
                "a qualitative target without a recorded judgement that decides it",
            ),
        }
    }
}

/// Why a target is not assessable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reason {
    /// Stable code (`missing_value`, `zero_denominator` ...).
    pub code: &'static str,
    /// Explanation in Chinese.
    pub zh: String,
    /// Explanation in English.
    pub en: String,
}

/// Where an observed value falls against a band ([`Band::position`]).
pub const BAND_POSITIONS: [&str; 3] = ["below", "within", "above"];

/// A year and a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct YearValue {
    /// The year.
    pub year: i32,
    /// The value.
    pub value: Num,
}

/// How progress was projected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrajectoryMethod {
    /// Ratio of observed to required compound annual growth rates.
    Cagr,
    /// Ratio of observed to required yearly change (used when the baseline is zero).
    Linear,
    /// The baseline already reached the target, and the value has since fallen below it.
    BaselineAtTarget,
    /// Growth of one series compared with another's (growth-comparison rules).
    GrowthRatio,
    /// An average annual rate so far compared with the rate required (年均增长 targets).
    AverageRate,
}

/// The projection of progress behind an on-track or off-track status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Trajectory {
    /// The method.
    pub method: TrajectoryMethod,
    /// Observed yearly growth (a rate for CAGR, a change per year for linear).
    pub observed_growth: Option<Num>,
    /// Required yearly growth from the baseline to reach the target by the deadline.
    pub required_growth: Option<Num>,
    /// R = observed / required, rounded half-to-even to 6 places; classified on that value.
    pub r: Option<Num>,
}

/// The tolerance band of an approximate target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Band {
    /// The nominal value (30 in 30名左右).
    pub nominal: Num,
    /// Lowest value accepted.
    pub lower: Num,
    /// Highest value inside the band.
    pub upper: Num,
    /// Where the observed value falls: `below`, `within` or `above`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["below", "within", "above", null])))]
    pub position: Option<&'static str>,
}

/// A second, stricter level (力争达到) and whether the observed value reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Aspiration {
    /// The level striven for.
    pub level: Num,
    /// Whether the observed value reaches it (`None` without an observed value).
    pub reached: Option<bool>,
}

/// Counts over a population of entities or items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    /// Members of the population.
    pub population: usize,
    /// Members meeting the condition.
    pub met: usize,
    /// Members not meeting it.
    pub unmet: usize,
    /// Members without data.
    pub missing: usize,
}

/// The judgement on one target (or one part of an all-of target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TargetResult {
    /// The target (or part) id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// The rule kind (the `type` of its rule; the wasm package's type generator checks the list
    /// against the rule set schema's).
    #[cfg_attr(
        feature = "schema",
        schemars(extend("enum" = [
            "rate", "count", "value", "change", "approximate_count", "duration", "coverage",
            "growth_comparison", "milestones", "every_year", "qualitative", "all_of"
        ]))
    )]
    pub kind: &'static str,
    /// The verdict.
    pub status: Status,
    /// Whether the verdict is `computed` by the engine or `recorded` by a reviewer.
    pub basis: Basis,
    /// How far off track (only for `off_track`).
    pub grade: Option<Grade>,
    /// Whether the target is an approximate one ("about N").
    pub approximate: bool,
    /// The deadline.
    pub deadline: Date,
    /// The unit of `observed`, `target` and `gap` (`%` for rates and coverage).
    pub unit: Option<String>,
    /// The latest observed value.
    pub observed: Option<Num>,
    /// The year it describes.
    pub observed_year: Option<i32>,
    /// How `observed` must stand against `target` (`>=`, `>`, `<=`, `<`), for targets with a
    /// bound.
    pub op: Option<Op>,
    /// The target value (the lower end of the band for approximate targets).
    pub target: Option<Num>,
    /// How far the observed value still is from the target, in the better direction: target −
    /// observed for `>=` and `>`, observed − target for `<=` and `<` (negative once passed).
    pub gap: Option<Num>,
    /// observed / target x 100, for rising targets (`>=`, `>`) only.
    pub progress: Option<Num>,
    /// The aspiration (力争) level, and whether it is reached.
    pub aspiration: Option<Aspiration>,
    /// The indicator's attribute: binding (约束性) or indicative (预期性), when the plan says.
    pub obligation: Option<Obligation>,
    /// The recorded judgement the verdict rests on (qualitative targets).
    pub judgement: Option<Judgement>,
    /// The baseline value used for the trajectory.
    pub baseline: Option<YearValue>,
    /// The projection, before the deadline.
    pub trajectory: Option<Trajectory>,
    /// The tolerance band, for approximate targets.
    pub band: Option<Band>,
    /// Counts over the population, for coverage and milestones.
    pub counts: Option<Counts>,
    /// Entities, items or years at fault.
    pub culprits: Vec<Culprit>,
    /// Why it is not assessable.
    pub reason: Option<Reason>,
    /// Indexes into the report's diagnostics that concern this target.
    pub diagnostics: Vec<usize>,
    /// The verdict in a sentence.
    pub explanation: Text,
    /// What a reader must know next to the verdict (the target's `caveat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caveat: Option<Text>,
    /// The results of the parts, for all-of targets.
    pub parts: Vec<TargetResult>,
    /// The inputs and arithmetic, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trail: Option<Trail>,
}

/// What a verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The engine computed it from the data.
    Computed,
    /// A reviewer recorded it (a qualitative target's judgement in the data).
    Recorded,
}

/// Counts of results by status, for the plan and for each obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Targets evaluated.
    pub total: usize,
    /// Met.
    pub met: usize,
    /// Not met.
    pub not_met: usize,
    /// On track.
    pub on_track: usize,
    /// Off track.
    pub off_track: usize,
    /// Not assessable.
    pub not_assessable: usize,
    /// The same counts for binding and for indicative targets, when the plan marks any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_obligation: Vec<ObligationSummary>,
}

/// Counts of results by status among the targets of one obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObligationSummary {
    /// Binding or indicative.
    pub obligation: Obligation,
    /// Targets with it.
    pub total: usize,
    /// Met.
    pub met: usize,
    /// Not met.
    pub not_met: usize,
    /// On track.
    pub on_track: usize,
    /// Off track.
    pub off_track: usize,
    /// Not assessable.
    pub not_assessable: usize,
}

/// Counts of statuses: total, met, not met, on track, off track, not assessable.
fn count<'r>(results: impl Iterator<Item = &'r TargetResult>) -> [usize; 6] {
    let (mut total, mut met, mut not_met, mut on, mut off, mut na) = (0, 0, 0, 0, 0, 0);
    for r in results {
        total += 1;
        match r.status {
            Status::Met => met += 1,
            Status::NotMet => not_met += 1,
            Status::OnTrack => on += 1,
            Status::OffTrack => off += 1,
            Status::NotAssessable => na += 1,
        }
    }
    [total, met, not_met, on, off, na]
}

impl Summary {
    /// Counts a list of results, overall and by obligation.
    pub fn of(results: &[TargetResult]) -> Summary {
        let [total, met, not_met, on_track, off_track, not_assessable] = count(results.iter());
        let by_obligation = [Obligation::Binding, Obligation::Indicative]
            .into_iter()
            .filter(|o| results.iter().any(|r| r.obligation == Some(*o)))
            .map(|o| {
                let [total, met, not_met, on_track, off_track, not_assessable] =
                    count(results.iter().filter(|r| r.obligation == Some(o)));
                ObligationSummary {
                    obligation: o,
                    total,
                    met,
                    not_met,
                    on_track,
                    off_track,
                    not_assessable,
                }
            })
            .collect();
        Summary {
            total,
            met,
            not_met,
            on_track,
            off_track,
            not_assessable,
            by_obligation,
        }
    }
}

/// The engine that made a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EngineInfo {
    /// `plan-rules`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// The plan a report judges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlanInfo {
    /// Plan id.
    pub id: String,
    /// Rule-set version.
    pub version: String,
    /// SHA-256 of the canonical rule set.
    pub content_hash: Sha256Hex,
    /// `draft` when the rule set is a draft (written only then), so a quick check is never
    /// mistaken for the published evaluation.
    #[serde(skip_serializing_if = "PlanStatus::is_published")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "draft_only"))]
    pub status: PlanStatus,
}

/// The schema of [`PlanInfo::status`]: only ever written as `draft`.
#[cfg(feature = "schema")]
fn draft_only(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "const": "draft" })
}

/// The data a report reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DataInfo {
    /// Dataset id, if it has one.
    pub id: Option<String>,
    /// Whether it is synthetic.
    pub synthetic: bool,
    /// SHA-256 of the canonical dataset.
    pub content_hash: Sha256Hex,
}

/// The review a report stands for (中期评估 / mid-term review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReviewInfo {
    /// Its id in the plan's calendar.
    pub id: String,
    /// Its kind.
    pub kind: ReviewKind,
    /// Its title.
    pub title: Text,
}

/// A full evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// The engine.
    pub engine: EngineInfo,
    /// The plan.
    pub plan: PlanInfo,
    /// The data.
    pub data: DataInfo,
    /// The as-of date (评估基准日).
    pub as_of: Date,
    /// When only the targets of one attribute were evaluated: which (binding or indicative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obligation: Option<Obligation>,
    /// The review of the plan's monitoring calendar the report was asked for by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewInfo>,
    /// Counts by status.
    pub summary: Summary,
    /// One result per target, in plan order.
    pub results: Vec<TargetResult>,
    /// Every problem found in the data.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Reads a report from the JSON [`Report::to_json`] or [`Report::to_json_compact`] writes:
    /// the same report, which writes the same bytes. It must be a report of this engine
    /// (`plan-rules` at [`ENGINE_VERSION`]): what a report holds may change between versions.
    /// Like every JSON document, the text may be at most [`limits::MAX_DOCUMENT_BYTES`] long;
    /// [`Report::from_wire`] reads a parsed document of any size (a report of a million
    /// school-years is about 100 MB).
    ///
    /// ```
    /// use plan_rules::{evaluate, Dataset, EvaluateOptions, Plan, Report};
    ///
    /// let plan = Plan::xicheng_2016_2020()?;
    /// let data = Dataset::from_json(plan_rules::SAMPLE_DATA_JSON)?;
    /// let report = evaluate(&plan, &data, "2018-12-31".parse()?, EvaluateOptions::default());
    /// let again = Report::from_json(&report.to_json())?;
    /// assert_eq!(again, report);
    /// assert_eq!(again.to_json(), report.to_json());
    ///
    /// let err = Report::from_json(r#"{"engine": {"name": "plan-rules", "version": "0.0.0"}}"#)
    ///     .unwrap_err();
    /// assert_eq!((err.code(), err.path()), ("invalid_shape", Some("/engine/version")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Report, ReportError> {
        if text.len() > limits::MAX_DOCUMENT_BYTES {
            return Err(ReportError::TooLarge {
                bytes: text.len(),
                limit: limits::MAX_DOCUMENT_BYTES,
            });
        }
        Report::from_wire(Json::parse(text)?)
    }

    /// Reads a report from a parsed JSON document, of any size (see [`Report::from_json`]).
    pub fn from_wire(value: Json) -> Result<Report, ReportError> {
        Report::from_json_value(value, &Path::Root).map_err(|e| ReportError::Shape {
            path: e.path,
            message: e.message,
        })
    }

    fn from_json_value(value: Json, at: &Path<'_>) -> Result<Report, WireError> {
        read_struct!(
            value,
            at,
            "a report",
            Report {
                engine: req,
                plan: req,
                data: req,
                as_of: req,
                obligation: opt,
                review: opt,
                summary: req,
                results: req,
                diagnostics: req,
            }
        )
    }

    /// The report as JSON: pretty-printed with two spaces and a final newline. The same input
    /// gives the same bytes, from every binding.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The report as compact JSON (one line, no final newline), as the audit log stores it.
    pub fn to_json_compact(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report as the review `id` of the plan's calendar (the as-of date is the review's; see
    /// [`crate::ffi::resolve_as_of`]). An id the plan does not have leaves the report as it is.
    pub fn for_review(mut self, plan: &Plan, id: Option<&str>) -> Report {
        if let Some(r) = id.and_then(|id| plan.review(id)) {
            self.review = Some(ReviewInfo {
                id: r.id.clone(),
                kind: r.kind,
                title: r.title.clone(),
            });
        }
        self
    }

    /// The result of a target, by id.
    pub fn result(&self, id: &str) -> Option<&TargetResult> {
        self.results.iter().find(|r| r.id == id)
    }
}

// Reading a report back (`Report::from_json`): each field as the writer writes it. A field
// always written is `req` (an `Option` as `null`), one left out when empty `opt` or `def`.

/// A number the engine computed, as it writes it (a string of digits): any value a decimal
/// holds exactly, up to 29 significant digits, where an input number may have 28
/// ([`crate::number::MAX_SIGNIFICANT_DIGITS`]).
fn computed(value: Json, at: &Path<'_>) -> Result<Num, WireError> {
    let text = String::from_json(value, at)?;
    let plain = text.strip_prefix('-').unwrap_or(&text);
    let bad = || WireError::at(at, format!("`{text}` is not a decimal the engine writes"));
    if !crate::wire::json::is_number(plain) || plain.contains(['e', 'E']) {
        return Err(bad());
    }
    rust_decimal::Decimal::from_str_exact(&text)
        .map(Num)
        .map_err(|_| bad())
}

/// [`computed`], or `null`.
fn computed_or_null(value: Json, at: &Path<'_>) -> Result<Option<Num>, WireError> {
    match value {
        Json::Null => Ok(None),
        other => computed(other, at).map(Some),
    }
}

impl FromJson for Report {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        Report::from_json_value(value, at)
    }
}

impl FromJson for EngineInfo {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let read = || {
            read_struct!(
                value,
                at,
                "an engine",
                EngineInfo {
                    name: name(&[ENGINE_NAME]),
                    version: name(&[ENGINE_VERSION]),
                }
            )
        };
        read().map_err(|mut e| {
            if e.path.ends_with("/version") {
                e.message = format!(
                    "{}: this engine reads only the reports of its own version",
                    e.message
                );
            }
            e
        })
    }
}

impl FromJson for PlanInfo {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a plan's identity",
            PlanInfo {
                id: req,
                version: req,
                content_hash: req,
                status: def,
            }
        )
    }
}

impl FromJson for DataInfo {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a dataset's identity",
            DataInfo {
                id: req,
                synthetic: req,
                content_hash: req,
            }
        )
    }
}

impl FromJson for ReviewInfo {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a review",
            ReviewInfo {
                id: req,
                kind: req,
                title: req,
            }
        )
    }
}

impl FromJson for Summary {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a summary",
            Summary {
                total: req,
                met: req,
                not_met: req,
                on_track: req,
                off_track: req,
                not_assessable: req,
                by_obligation: def,
            }
        )
    }
}

impl FromJson for ObligationSummary {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a summary by obligation",
            ObligationSummary {
                obligation: req,
                total: req,
                met: req,
                not_met: req,
                on_track: req,
                off_track: req,
                not_assessable: req,
            }
        )
    }
}

impl FromJson for TargetResult {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a result",
            TargetResult {
                id: req,
                title: req,
                kind: name(&RULE_KINDS),
                status: req,
                basis: req,
                grade: req,
                approximate: req,
                deadline: req,
                unit: req,
                observed: with(computed_or_null),
                observed_year: req,
                op: req,
                target: with(computed_or_null),
                gap: with(computed_or_null),
                progress: with(computed_or_null),
                aspiration: req,
                obligation: req,
                judgement: req,
                baseline: req,
                trajectory: req,
                band: req,
                counts: req,
                culprits: req,
                reason: req,
                diagnostics: req,
                explanation: req,
                caveat: opt,
                parts: req,
                trail: opt,
            }
        )
    }
}

impl FromJson for Status {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "status",
            &[
                ("met", Status::Met),
                ("not_met", Status::NotMet),
                ("on_track", Status::OnTrack),
                ("off_track", Status::OffTrack),
                ("not_assessable", Status::NotAssessable),
            ],
        )
    }
}

impl FromJson for Basis {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "basis",
            &[("computed", Basis::Computed), ("recorded", Basis::Recorded)],
        )
    }
}

impl FromJson for Grade {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "grade",
            &[
                ("accelerate", Grade::Accelerate),
                ("insufficient", Grade::Insufficient),
                ("regressing", Grade::Regressing),
            ],
        )
    }
}

impl FromJson for TrajectoryMethod {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "trajectory method",
            &[
                ("cagr", TrajectoryMethod::Cagr),
                ("linear", TrajectoryMethod::Linear),
                ("baseline_at_target", TrajectoryMethod::BaselineAtTarget),
                ("growth_ratio", TrajectoryMethod::GrowthRatio),
                ("average_rate", TrajectoryMethod::AverageRate),
            ],
        )
    }
}

impl FromJson for Reason {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a reason",
            Reason {
                code: name(&ReasonCode::ALL.map(ReasonCode::as_str)),
                zh: req,
                en: req,
            }
        )
    }
}

impl FromJson for YearValue {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a year and a value",
            YearValue {
                year: req,
                value: with(computed),
            }
        )
    }
}

impl FromJson for Trajectory {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a trajectory",
            Trajectory {
                method: req,
                observed_growth: with(computed_or_null),
                required_growth: with(computed_or_null),
                r: with(computed_or_null),
            }
        )
    }
}

impl FromJson for Band {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a band",
            Band {
                nominal: with(computed),
                lower: with(computed),
                upper: with(computed),
                position: opt_name(&BAND_POSITIONS),
            }
        )
    }
}

impl FromJson for Aspiration {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an aspiration",
            Aspiration {
                level: with(computed),
                reached: req,
            }
        )
    }
}

impl FromJson for Counts {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "counts",
            Counts {
                population: req,
                met: req,
                unmet: req,
                missing: req,
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;
    use crate::eval::{EvaluateOptions, evaluate};
    use crate::ffi::{self, OptionsDto};

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// A report reads back from its JSON, pretty and compact, to the same value, which writes
    /// the same bytes.
    fn round_trips(report: &Report) {
        let pretty = report.to_json();
        let again = Report::from_json(&pretty).unwrap();
        assert_eq!(&again, report);
        assert_eq!(again.to_json(), pretty);
        let compact = report.to_json_compact();
        let again = Report::from_wire(Json::parse(&compact).unwrap()).unwrap();
        assert_eq!(&again, report);
        assert_eq!(again.to_json_compact(), compact);
    }

    /// Every report of the conformance vectors (as the case asks for it, and again with trails
    /// and with each obligation) reads back equal.
    #[test]
    fn every_vector_report_reads_back_equal() {
        let mut files: Vec<_> = std::fs::read_dir(root().join("tests/vectors/cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut reports = 0;
        for file in files {
            // A case nested beyond the parser's limit tests that limit.
            let Ok(case) = Json::parse(&std::fs::read_to_string(&file).unwrap()) else {
                continue;
            };
            let input = |key: &str| match case.get(key).cloned() {
                Some(Json::String(p)) => {
                    Some(Json::parse(&std::fs::read_to_string(root().join(p)).unwrap()).unwrap())
                }
                other => other,
            };
            let Ok(plan) = ffi::load_plan(input("plan")) else {
                continue;
            };
            let data = input("data").unwrap_or_default();
            let as_of = case.get("as_of").and_then(Json::as_str);
            let options = match case.get("options") {
                None => OptionsDto::default(),
                Some(o) => match OptionsDto::from_json(o.clone(), &Path::Root) {
                    Ok(o) => o,
                    Err(_) => continue,
                },
            };
            for options in [
                options,
                OptionsDto {
                    trail: true,
                    ..options
                },
                OptionsDto {
                    obligation: Some(Obligation::Binding),
                    ..options
                },
            ] {
                if let Ok(report) = ffi::evaluate(&plan, data.clone(), as_of, options) {
                    round_trips(&report);
                    reports += 1;
                }
            }
        }
        assert!(reports > 300, "{reports}");
    }

    /// The expected reports of the vectors, as written, read back and write the same bytes.
    #[test]
    fn every_expected_report_writes_the_same_bytes() {
        let mut n = 0;
        for entry in std::fs::read_dir(root().join("tests/vectors/expected")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert_eq!(Report::from_json(&text).unwrap().to_json(), text);
            n += 1;
        }
        assert!(n > 100);
    }

    /// The samples at every review of their plans' calendars and at each year end, with trails,
    /// and for each obligation.
    #[test]
    fn the_samples_read_back_equal() {
        let samples = [
            (
                Plan::xicheng_2016_2020().unwrap(),
                crate::SAMPLE_DATA_JSON.to_string(),
            ),
            (
                Plan::from_json(
                    &std::fs::read_to_string(
                        root().join("spec/plans/china-national-14th-fyp-2021-2025.json"),
                    )
                    .unwrap(),
                )
                .unwrap(),
                std::fs::read_to_string(
                    root().join("spec/samples/china-national-14th-fyp-2021-2025-sample.json"),
                )
                .unwrap(),
            ),
        ];
        for (plan, data) in &samples {
            let data = Dataset::from_json(data).unwrap();
            let mut dates: Vec<(Date, Option<&str>)> = plan
                .monitoring
                .iter()
                .map(|r| (r.as_of, Some(r.id.as_str())))
                .collect();
            for year in plan.baseline_year..=plan.period.end.year() {
                dates.push((Date::year_end(year).unwrap(), None));
            }
            for (as_of, review) in dates {
                let report = evaluate(plan, &data, as_of, EvaluateOptions::default());
                round_trips(&report.for_review(plan, review));
            }
            for obligation in [Obligation::Binding, Obligation::Indicative] {
                let options = EvaluateOptions::default().with_obligation(Some(obligation));
                round_trips(&evaluate(plan, &data, plan.default_as_of(), options));
            }
        }
    }

    fn sample_report() -> String {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let data = Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        let as_of = "2018-12-31".parse().unwrap();
        evaluate(&plan, &data, as_of, EvaluateOptions::default()).to_json()
    }

    /// The sample report with one edit at a JSON pointer (a key's value replaced, or removed
    /// with `None`), read back.
    fn edited(pointer: &str, value: Option<Json>) -> ReportError {
        let mut doc = Json::parse(&sample_report()).unwrap();
        let (parent, last) = pointer.rsplit_once('/').unwrap();
        let mut at = &mut doc;
        for step in parent.split('/').skip(1) {
            at = match at {
                Json::Object(entries) => {
                    &mut entries.iter_mut().find(|(k, _)| k == step).unwrap().1
                }
                Json::Array(items) => &mut items[step.parse::<usize>().unwrap()],
                _ => panic!("{step}"),
            };
        }
        let Json::Object(entries) = at else {
            panic!("{parent}")
        };
        match value {
            Some(v) => match entries.iter_mut().find(|(k, _)| k == last) {
                Some(entry) => entry.1 = v,
                None => entries.push((last.to_string(), v)),
            },
            None => entries.retain(|(k, _)| k != last),
        }
        Report::from_json(&doc.to_string()).unwrap_err()
    }

    fn text(s: &str) -> Option<Json> {
        Some(Json::String(s.into()))
    }

    #[test]
    fn malformed_reports_are_shape_errors_with_pointers() {
        let cases: [(&str, Option<Json>, &str); 12] = [
            (
                "/engine/version",
                text("0.0.1"),
                "unknown version `0.0.1`, expected one of 0.1.0: this engine reads only the \
                 reports of its own version",
            ),
            (
                "/engine/name",
                text("other"),
                "unknown name `other`, expected one of plan-rules",
            ),
            (
                "/plan/content_hash",
                text("sha256:00"),
                "`sha256:00` is not `sha256:` and 64 lowercase hex digits",
            ),
            (
                "/results/0/status",
                text("done"),
                "unknown status `done`, expected one of met, not_met, on_track, off_track, \
                 not_assessable",
            ),
            (
                "/results/0/kind",
                text("ratio"),
                "unknown kind `ratio`, expected one of rate, count, value, change, \
                 approximate_count, duration, coverage, growth_comparison, milestones, \
                 every_year, qualitative, all_of",
            ),
            (
                "/results/0/trail/steps/0/op",
                text("guess"),
                "unknown op `guess`, expected one of aspiration, cagr, chain, change, classify, \
                 compare, count, growth, judgement, missing, r, ratio, root, round, select, sum, \
                 years",
            ),
            (
                "/results/0/observed",
                text("1e2"),
                "`1e2` is not a decimal the engine writes",
            ),
            (
                "/results/0/diagnostics",
                Some(Json::Array(vec![Json::Number("-1".into())])),
                "expected a whole number at least 0, found `-1`",
            ),
            (
                "/summary/total",
                Some(Json::Number("1.5".into())),
                "expected a whole number at least 0, found `1.5`",
            ),
            (
                "/as_of",
                text("2018-02-30"),
                "`2018-02-30` is not a valid date (expected YYYY-MM-DD)",
            ),
            (
                "/results/0/bogus",
                Some(Json::Null),
                "unknown field `bogus` in a result, expected one of `id`, `title`, `kind`, \
                 `status`, `basis`, `grade`, `approximate`, `deadline`, `unit`, `observed`, \
                 `observed_year`, `op`, `target`, `gap`, `progress`, `aspiration`, \
                 `obligation`, `judgement`, `baseline`, `trajectory`, `band`, `counts`, \
                 `culprits`, `reason`, `diagnostics`, `explanation`, `caveat`, `parts`, `trail`",
            ),
            (
                "/results/0/reason",
                Some(Json::parse(r#"{"code": "tired", "zh": "", "en": ""}"#).unwrap()),
                "unknown code `tired`, expected one of no_data, missing_value, \
                 insufficient_data_points, missing_baseline, zero_denominator, \
                 empty_population, bad_data, numerator_exceeds_denominator, \
                 non_positive_base, arithmetic_overflow, part_not_assessable, qualitative",
            ),
        ];
        for (pointer, value, message) in cases {
            let e = edited(pointer, value);
            let want = if pointer.ends_with("/reason") {
                format!("{pointer}/code")
            } else if pointer.ends_with("/diagnostics") {
                format!("{pointer}/0")
            } else {
                pointer.to_string()
            };
            assert_eq!(e.code(), "invalid_shape", "{pointer}");
            assert_eq!(e.path(), Some(want.as_str()), "{pointer}");
            let ReportError::Shape { message: got, .. } = &e else {
                panic!("{e:?}")
            };
            assert_eq!(got, message, "{pointer}");
        }
        // A field the writer always writes is required, even when it is null.
        let e = edited("/data/id", None);
        assert_eq!(e.path(), Some("/data"));
        assert_eq!(
            e.to_string(),
            "report has the wrong shape at `/data`: missing field `id`"
        );
    }

    #[test]
    fn text_that_is_no_report_has_its_code() {
        let e = Report::from_json("{\"engine\": ").unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_json", None));
        assert!(
            e.to_string()
                .starts_with("report is not valid JSON at line 1"),
            "{e}"
        );
        let e = Report::from_json(&format!("{}{}", "[".repeat(200), "]".repeat(200))).unwrap_err();
        assert_eq!(e.code(), "too_deep");
        let e = Report::from_json("[]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "report has the wrong shape at ``: expected a report, found an array"
        );
        let big = " ".repeat(limits::MAX_DOCUMENT_BYTES + 1);
        let e = Report::from_json(&big).unwrap_err();
        assert_eq!(e.code(), "too_large");
        let detail = crate::ffi::FfiError::from(e);
        assert_eq!((detail.kind, detail.code.as_str()), ("data", "too_large"));
    }

    /// The fixed lists a report is read against hold every name the engine writes: each
    /// literal step, culprit problem and band position in the source is in its list.
    #[test]
    fn the_fixed_lists_hold_every_name_the_engine_writes() {
        fn literals(text: &str, before: &str) -> Vec<String> {
            text.match_indices(before)
                .filter_map(|(i, _)| {
                    let rest = text.get(i + before.len()..)?.trim_start();
                    let rest = rest.strip_prefix('"')?;
                    Some(rest.get(..rest.find('"')?)?.to_string())
                })
                .collect()
        }
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut texts = Vec::new();
        sources(&root().join("core/src"), &mut texts);
        let (mut steps, mut problems) = (Vec::new(), Vec::new());
        for t in &texts {
            let t = t.split("#[cfg(test)]\nmod tests").next().unwrap();
            steps.extend(literals(t, ".step("));
            steps.extend(literals(t, ".step_inexact("));
            problems.extend(literals(t, "problem: "));
            problems.extend(literals(t, "culprit("));
        }
        assert!(steps.len() > 40 && problems.len() > 5);
        for s in &steps {
            assert!(crate::trail::STEP_OPS.contains(&s.as_str()), "step `{s}`");
        }
        for p in &problems {
            assert!(CULPRIT_PROBLEMS.contains(&p.as_str()), "problem `{p}`");
        }
        for op in crate::trail::STEP_OPS {
            assert!(
                steps.iter().any(|s| s == op),
                "step `{op}` is never written"
            );
        }
        // The lists the report schema gives (spec/schema/report.schema.json) are these.
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("spec/schema/report.schema.json")).unwrap(),
        )
        .unwrap();
        let names = |def: &str, field: &str| -> Vec<String> {
            schema["$defs"][def]["properties"][field]["enum"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        assert_eq!(names("Culprit", "problem"), CULPRIT_PROBLEMS);
        assert_eq!(names("Band", "position"), BAND_POSITIONS);
        assert_eq!(names("TargetResult", "kind"), RULE_KINDS);
    }
}
