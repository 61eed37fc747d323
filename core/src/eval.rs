//! Evaluation: the plan, the data and an as-of date in, a [`Report`] out.
//!
//! For threshold rules (rate, count, approximate count, duration, coverage, milestones) the
//! steps are the same (see `spec/README.md`):
//! 1. An observation for year `Y` describes `Y-12-31`; it is visible when that day is on or
//!    before both the as-of date and the deadline.
//! 2. The latest visible year with data is judged against the target: if it reaches it, `met`.
//! 3. Otherwise, on or after the deadline, `not_met`.
//! 4. Otherwise the trajectory from the baseline decides `on_track` or `off_track` (with a grade).
//!
//! Any step that lacks data, meets a bad value or a zero denominator stops at `not_assessable`
//! with the reason; nothing is ever `met` for lack of data.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::dataset::Dataset;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::number::{Num, fmt_decimal};
use crate::plan::{Comparison, Plan, Target};
use crate::prepare::{Prepared, prepare};
use crate::report::{
    Band, Counts, Culprit, DataInfo, ENGINE_NAME, ENGINE_VERSION, EngineInfo, Grade, PlanInfo,
    Reason, Report, Status, Summary, TargetResult, Trajectory, YearValue,
};
use crate::rules::Rule;
use crate::text::Text;
use crate::trail::Recorder;
use crate::trajectory::{self, Path};

/// What an evaluation produces besides statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EvaluateOptions {
    /// Record each result's audit trail (inputs and arithmetic).
    pub trail: bool,
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions { trail: true }
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
}

impl ReasonCode {
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
        }
    }

    fn text(self) -> (&'static str, &'static str) {
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
        }
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

    fn reason(&self, diagnostics: &[Diagnostic]) -> Reason {
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
}

/// A rule judged by reaching a threshold.
pub(crate) trait Threshold {
    /// The years with any observation of the rule's inputs.
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32>;
    /// The standing in a year.
    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable>;
    /// The value progress is measured against (the band's lower end for approximate counts).
    fn goal(&self) -> Decimal;
    /// The unit of values.
    fn unit(&self, cx: &Ctx<'_, '_>) -> Option<String>;
    /// The band, for approximate counts.
    fn band(&self) -> Option<Band> {
        None
    }
}

/// Judges a plain value against a limit with the target's comparison method.
pub(crate) fn reaches(value: Decimal, limit: Decimal, cmp: Comparison, rec: &mut Recorder) -> bool {
    match cmp {
        Comparison::FullValue => {
            let met = value >= limit;
            rec.step("compare", || {
                (
                    format!(
                        "full-value comparison: {} ≥ {}",
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
            let met = rounded >= limit;
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
                        "rounded-value comparison: {rounded} ≥ {}",
                        fmt_decimal(limit)
                    ),
                    met.to_string(),
                )
            });
            met
        }
    }
}

/// The level of a rule that reads one measure and must reach a limit (count, duration).
pub(crate) fn measure_reaches(
    m: &crate::measure::Measure,
    limit: Decimal,
    cx: &Ctx<'_, '_>,
    year: i32,
    rec: &mut Recorder,
) -> Result<Level, NotAssessable> {
    let value = crate::measure::read(m, cx, year, rec)?;
    let met = reaches(value, limit, cx.comparison(), rec);
    Ok(Level {
        value,
        met,
        ..Level::default()
    })
}

/// What a rule's evaluation yields, before it becomes a [`TargetResult`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub status: Option<Status>,
    pub grade: Option<Grade>,
    pub unit: Option<String>,
    pub observed: Option<(i32, Decimal)>,
    pub goal: Option<Decimal>,
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
    fn stop(mut self, na: NotAssessable) -> Outcome {
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

/// The common status logic of threshold rules.
pub(crate) fn judge_threshold(
    rule: &dyn Threshold,
    cx: &Ctx<'_, '_>,
    rec: &mut Recorder,
) -> Outcome {
    let mut out = Outcome {
        unit: rule.unit(cx),
        goal: Some(rule.goal()),
        band: rule.band(),
        ..Outcome::default()
    };
    out.approximate = out.band.is_some();
    let baseline_year = cx.baseline_year();
    let last = cx.last_visible_year();
    let latest = rule
        .years(cx)
        .into_iter()
        .rfind(|y| *y >= baseline_year && *y <= last);
    let Some(year) = latest else {
        let na = NotAssessable::new(ReasonCode::NoData).with_detail(
            format!("{}年及以前没有可用观测值", last),
            format!("no observation for {last} or earlier"),
        );
        return out.stop(na);
    };
    rec.step("select", || {
        (
            format!(
                "latest year with data on or before {} (as-of {}, deadline {})",
                cx.cutoff(),
                cx.as_of,
                cx.target.deadline
            ),
            year.to_string(),
        )
    });
    let level = match rule.level(cx, year, rec) {
        Ok(l) => l,
        Err(na) => return out.stop(na),
    };
    out.observed = Some((year, level.value));
    out.culprits = level.culprits;
    out.counts = level.counts;
    if let Some(b) = out.band.as_mut() {
        b.position = level.band_position;
    }
    if level.met {
        out.status = Some(Status::Met);
        return out;
    }
    if cx.deadline_reached() {
        out.status = Some(Status::NotMet);
        return out;
    }
    if year <= baseline_year {
        let na = NotAssessable::new(ReasonCode::InsufficientDataPoints).with_detail(
            format!("只有{year}年的数据，无法判断趋势"),
            format!("only {year} has data, so no trend can be drawn"),
        );
        return out.stop(na);
    }
    let base = match rule.level(cx, baseline_year, rec) {
        Ok(l) => l,
        Err(na) => {
            let mut na2 = NotAssessable::new(ReasonCode::MissingBaseline);
            na2.diagnostics = na.diagnostics;
            na2.detail = Some((
                format!("基期{baseline_year}年：{}", na.code.text().0),
                format!("baseline {baseline_year}: {}", na.code.text().1),
            ));
            return out.stop(na2);
        }
    };
    out.baseline = Some((baseline_year, base.value));
    let path = Path {
        baseline_year,
        baseline: base.value,
        year,
        value: level.value,
        deadline_year: cx.target.deadline.year(),
        target: rule.goal(),
    };
    match trajectory::project(path, rec) {
        Ok((t, grade)) => {
            out.trajectory = Some(t);
            out.grade = grade;
            out.status = Some(if grade.is_some() {
                Status::OffTrack
            } else {
                Status::OnTrack
            });
            out
        }
        Err(na) => out.stop(na),
    }
}

/// Evaluates a plan on a dataset at an as-of date.
///
/// ```
/// use plan_rules::{evaluate, Dataset, EvaluateOptions, Plan, Status};
/// let plan = Plan::xicheng_2016_2020().unwrap();
/// let data = Dataset::from_json(r#"{"series": {
///     "lifelong_learning_bases": {"unit": "bases", "values": {"2015": 60, "2020": 100}}
/// }}"#).unwrap();
/// let report = evaluate(&plan, &data, "2020-12-31".parse().unwrap(), EvaluateOptions::default());
/// assert_eq!(report.result("A8.1").unwrap().status, Status::Met);
/// assert_eq!(report.result("A1").unwrap().status, Status::NotAssessable);
/// ```
pub fn evaluate(plan: &Plan, data: &Dataset, as_of: Date, options: EvaluateOptions) -> Report {
    let prepared = prepare(plan, data);
    let mut results = Vec::with_capacity(plan.targets.len());
    for target in &plan.targets {
        let cx = Ctx {
            plan,
            target,
            data: &prepared,
            as_of,
        };
        results.push(evaluate_rule(
            &cx,
            &target.rule,
            &target.id,
            &target.title,
            options,
            &prepared.diagnostics,
        ));
    }
    Report {
        engine: EngineInfo {
            name: ENGINE_NAME,
            version: ENGINE_VERSION,
        },
        plan: PlanInfo {
            id: plan.id.clone(),
            version: plan.version.clone(),
            content_hash: plan.content_hash(),
        },
        data: DataInfo {
            id: data.id.clone(),
            synthetic: data.synthetic,
            content_hash: data.content_hash(),
        },
        as_of,
        summary: Summary::of(&results),
        results,
        diagnostics: prepared.diagnostics,
    }
}

/// Evaluates one rule (a target's or a part's) into a result.
pub(crate) fn evaluate_rule(
    cx: &Ctx<'_, '_>,
    rule: &Rule,
    id: &str,
    title: &Text,
    options: EvaluateOptions,
    diagnostics: &[Diagnostic],
) -> TargetResult {
    let mut rec = Recorder::new(options.trail);
    let outcome = rule.outcome(cx, &mut rec, options);
    into_result(cx, rule, id, title, outcome, rec, diagnostics)
}

fn into_result(
    cx: &Ctx<'_, '_>,
    rule: &Rule,
    id: &str,
    title: &Text,
    o: Outcome,
    rec: Recorder,
    diagnostics: &[Diagnostic],
) -> TargetResult {
    let status = o.status.unwrap_or(Status::NotAssessable);
    let observed = o.observed.map(|(_, v)| v);
    let gap = match (o.goal, observed) {
        (Some(g), Some(v)) => crate::arith::sub(g, v).ok().map(|(d, _)| d),
        _ => None,
    };
    let progress = match (o.goal, observed) {
        (Some(g), Some(v)) if !g.is_zero() => crate::arith::percent(v, g).ok().map(|(p, _)| p),
        _ => None,
    };
    let reason = o.not_assessable.as_ref().map(|na| na.reason(diagnostics));
    let diag_refs = o
        .not_assessable
        .as_ref()
        .map(|na| na.diagnostics.clone())
        .unwrap_or_default();
    let explanation = match (&o.explanation, status) {
        (Some(t), s) if s != Status::NotAssessable => t.clone(),
        _ => explain(cx, status, o.grade, &o, reason.as_ref()),
    };
    TargetResult {
        id: id.to_string(),
        title: title.clone(),
        kind: rule.kind(),
        status,
        grade: o.grade,
        approximate: o.approximate,
        deadline: cx.target.deadline,
        unit: o.unit,
        observed: observed.map(Num),
        observed_year: o.observed.map(|(y, _)| y),
        target: o.goal.map(Num),
        gap: gap.map(Num),
        progress: progress.map(Num),
        baseline: o.baseline.map(|(year, v)| YearValue {
            year,
            value: Num(v),
        }),
        trajectory: o.trajectory,
        band: o.band,
        counts: o.counts,
        culprits: o.culprits,
        reason,
        diagnostics: diag_refs,
        explanation,
        parts: o.parts,
        trail: rec.finish(),
    }
}

fn show(v: Decimal, unit: Option<&str>) -> String {
    match unit {
        Some("%") => format!("{}%", fmt_decimal(crate::arith::round_half_even(v, 2))),
        Some(u) => format!("{} {u}", fmt_decimal(crate::arith::round_half_even(v, 2))),
        None => fmt_decimal(crate::arith::round_half_even(v, 2)),
    }
}

fn explain(
    cx: &Ctx<'_, '_>,
    status: Status,
    grade: Option<Grade>,
    o: &Outcome,
    reason: Option<&Reason>,
) -> Text {
    let unit = o.unit.as_deref();
    let obs = o.observed.map(|(y, v)| (y, show(v, unit)));
    let goal = o.goal.map(|g| show(g, unit)).unwrap_or_default();
    let deadline = cx.target.deadline;
    match (status, obs) {
        (Status::NotAssessable, _) => {
            let r = reason
                .map(|r| (r.zh.clone(), r.en.clone()))
                .unwrap_or_default();
            Text::new(
                format!("无法评估：{}", r.0),
                format!("not assessable: {}", r.1),
            )
        }
        (Status::Met, Some((y, v))) => Text::new(
            format!("{y}年观测值 {v} 达到目标 {goal}"),
            format!("{v} observed in {y} reaches the target of {goal}"),
        ),
        (Status::NotMet, Some((y, v))) => Text::new(
            format!("截至期限 {deadline}，{y}年观测值 {v} 未达到目标 {goal}"),
            format!(
                "by the deadline {deadline}, {v} observed in {y} falls short of the target of {goal}"
            ),
        ),
        (Status::OnTrack | Status::OffTrack, Some((y, v))) => {
            let r = o
                .trajectory
                .and_then(|t| t.r)
                .map(|r| format!("R = {r}"))
                .unwrap_or_else(|| "R n/a".into());
            let (gz, ge) = match grade {
                None => ("进展顺利".to_string(), "on track".to_string()),
                Some(g) => (
                    format!("进展滞后（{}）", g.label().zh),
                    format!("off track ({})", g.label().en),
                ),
            };
            Text::new(
                format!("{y}年观测值 {v}，目标 {goal}（期限 {deadline}）；{r}，{gz}"),
                format!("{v} observed in {y} against {goal} due {deadline}; {r}, {ge}"),
            )
        }
        (s, _) => {
            let l = s.label();
            Text::new(
                format!("{}（目标 {goal}，期限 {deadline}）", l.zh),
                format!("{} (target {goal}, due {deadline})", l.en),
            )
        }
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
