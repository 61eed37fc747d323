//! The report (评估报告): one result per target, a summary, the diagnostics, and what is needed
//! to reproduce it (engine version, plan and data hashes, as-of date).

use serde::Serialize;

use crate::bound::Op;
use crate::dataset::{Judgement, Verdict};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::hash::Sha256Hex;
use crate::number::Num;
use crate::plan::{Obligation, Plan, PlanStatus, ReviewKind};
use crate::text::Text;
use crate::trail::Trail;

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

/// An entity or item at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Culprit {
    /// Its id (an entity id, an item id, or a year for growth comparisons).
    pub id: String,
    /// Its name, when known.
    pub name: Option<String>,
    /// `unmet`, `missing`, `below_target` or `failed_year`.
    #[cfg_attr(
        feature = "schema",
        schemars(extend("enum" = ["unmet", "missing", "below_target", "failed_year"]))
    )]
    pub problem: &'static str,
    /// What is wrong, in Chinese.
    pub zh: String,
    /// What is wrong, in English.
    pub en: String,
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
