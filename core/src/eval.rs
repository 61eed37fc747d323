//! Evaluation: the plan, the data and an as-of date in, a [`Report`] out.
//!
//! For threshold rules (rate, count, approximate count, duration, coverage, milestones) the
//! steps are the same (see `spec/README.md`):
//! 1. An observation for year `Y` describes `Y-12-31`; it is visible when that day is on or
//!    before both the as-of date and the deadline.
//! 2. The latest visible year with data is judged against the target: if it reaches it, `met`.
//! 3. Otherwise, on or after the deadline, `not_met` (when the deadline's year has a value;
//!    else `not_assessable`: an earlier year's shortfall is not final).
//! 4. Otherwise the trajectory from the baseline decides `on_track` or `off_track` (with a grade).
//!
//! Any step that lacks data, meets a bad value or a zero denominator stops at `not_assessable`
//! with the reason; nothing is ever `met` for lack of data.

use rust_decimal::Decimal;

use crate::bound::Op;
use crate::context::{Ctx, Outcome, show};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::judge;
use crate::number::Num;
use crate::plan::{Plan, Target};
use crate::prepare::prepare;
use crate::report::{
    Aspiration, Basis, DataInfo, ENGINE_NAME, ENGINE_VERSION, EngineInfo, Grade, PlanInfo, Reason,
    Report, Status, Summary, TargetResult, YearValue,
};
use crate::rules::Rule;
use crate::text::Text;
use crate::trail::Recorder;

pub use crate::context::{EvaluateOptions, ReasonCode};

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
    evaluate_with(
        plan,
        data,
        as_of,
        options,
        worth_threads(data),
        Hash::Now,
        &|_| true,
    )
    .map_or_else(
        || empty_report(plan, data, as_of, options),
        |(report, hash)| report.finish_with(hash.unwrap_or_else(|| data.content_hash())),
    )
}

/// A report still missing one figure: the content hash of the dataset it judged. Everything
/// else (every result, count, culprit, trail and diagnostic) is final.
///
/// The dataset hash is SHA-256 over the dataset's canonical JSON: for a million school-years,
/// 317 MB written and hashed on one thread, about as long as judging every target on two
/// cores. A caller that holds the dataset and may never show the hash (a notebook reading
/// results, a tidy table of groups) evaluates with [`evaluate_unhashed`] and calls
/// [`UnhashedReport::finish`] when, and only when, the whole report is wanted: the report is
/// the one [`evaluate`] gives, byte for byte.
///
/// ```
/// use plan_rules::eval::evaluate_unhashed;
/// use plan_rules::{evaluate, Dataset, EvaluateOptions, Plan, Status};
/// let plan = Plan::xicheng_2016_2020().unwrap();
/// let data = Dataset::from_json(plan_rules::SAMPLE_DATA_JSON).unwrap();
/// let as_of = "2020-12-31".parse().unwrap();
/// let pending = evaluate_unhashed(&plan, &data, as_of, EvaluateOptions::default(), &|_| true)
///     .unwrap();
/// assert_eq!(pending.result("A8.1").unwrap().status, Status::Met);
/// let report = pending.finish(&data);
/// assert_eq!(report.data.content_hash, data.content_hash());
/// assert_eq!(report.to_json(), evaluate(&plan, &data, as_of, EvaluateOptions::default()).to_json());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhashedReport {
    /// The report, its `data.content_hash` not yet computed (never shown: only [`finish`]
    /// gives the report out, with the hash written in).
    ///
    /// [`finish`]: UnhashedReport::finish
    report: Report,
}

impl UnhashedReport {
    /// The report, the dataset's content hash computed and written in. `data` must be the
    /// dataset evaluated.
    pub fn finish(self, data: &Dataset) -> Report {
        self.finish_with(data.content_hash())
    }

    fn finish_with(mut self, hash: crate::hash::Sha256Hex) -> Report {
        self.report.data.content_hash = hash;
        self.report
    }

    /// [`UnhashedReport::finish`] and the report's JSON ([`Report::to_json`]), the dataset
    /// hashed on one thread while the report is written on another (natively; one after the
    /// other on WebAssembly). The text is the finished report's, byte for byte.
    pub fn finish_to_json(self, data: &Dataset) -> (Report, String) {
        self.finish_writing(data, Report::to_json, "\"content_hash\": \"")
    }

    /// [`UnhashedReport::finish_to_json`] for [`Report::to_json_compact`].
    pub fn finish_to_json_compact(self, data: &Dataset) -> (Report, String) {
        self.finish_writing(data, Report::to_json_compact, "\"content_hash\":\"")
    }

    /// The report written by `write` while the dataset is hashed, the hash written in after:
    /// in place of the unknown hash's text, at its first `key` (the plan's own hash, written
    /// before the data's, is a real one; a string's quotes are escaped, so no id or message
    /// can hold that text).
    fn finish_writing(
        self,
        data: &Dataset,
        write: fn(&Report) -> String,
        key: &str,
    ) -> (Report, String) {
        let unknown = format!("{key}{}\"", self.report.data.content_hash);
        let (hash, mut text) = if cfg!(target_family = "wasm") {
            (data.content_hash(), write(&self.report))
        } else {
            std::thread::scope(|s| {
                let hash = s.spawn(|| data.content_hash());
                let text = write(&self.report);
                (hash.join().unwrap_or_else(|_| data.content_hash()), text)
            })
        };
        let report = self.finish_with(hash);
        match text.find(&unknown) {
            Some(at) => text.replace_range(at..at + unknown.len(), &format!("{key}{hash}\"")),
            // Not written where expected (an engine defect): written again, whole.
            None => text = write(&report),
        }
        (report, text)
    }

    /// One result per target, in plan order.
    pub fn results(&self) -> &[TargetResult] {
        &self.report.results
    }

    /// The result of a target, by id.
    pub fn result(&self, id: &str) -> Option<&TargetResult> {
        self.report.result(id)
    }

    /// Counts by status.
    pub fn summary(&self) -> &Summary {
        &self.report.summary
    }

    /// Every problem found in the data.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.report.diagnostics
    }

    /// The engine that judged.
    pub fn engine(&self) -> &EngineInfo {
        &self.report.engine
    }

    /// The plan judged.
    pub fn plan(&self) -> &PlanInfo {
        &self.report.plan
    }

    /// The as-of date.
    pub fn as_of(&self) -> Date {
        self.report.as_of
    }

    /// The obligation evaluated alone, if one was.
    pub fn obligation(&self) -> Option<crate::plan::Obligation> {
        self.report.obligation
    }

    /// The review the report stands for, if one was named.
    pub fn review(&self) -> Option<&crate::report::ReviewInfo> {
        self.report.review.as_ref()
    }

    /// [`Report::for_review`] before the hash.
    pub fn for_review(self, plan: &Plan, id: Option<&str>) -> UnhashedReport {
        UnhashedReport {
            report: self.report.for_review(plan, id),
        }
    }
}

/// [`evaluate_with_progress`] without the dataset's content hash: the targets are judged on
/// every core, and the hash is left to [`UnhashedReport::finish`] (see [`UnhashedReport`]).
pub fn evaluate_unhashed(
    plan: &Plan,
    data: &Dataset,
    as_of: Date,
    options: EvaluateOptions,
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<UnhashedReport> {
    evaluate_with(
        plan,
        data,
        as_of,
        options,
        worth_threads(data),
        Hash::Later,
        on_done,
    )
    .map(|(report, _)| report)
}

/// Whether evaluation computes the dataset's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    /// Beside the judging (on a thread of its own when there are threads).
    Now,
    /// Not at all: [`UnhashedReport::finish`] will.
    Later,
}

/// [`evaluate`], calling `on_done` with the number of targets judged so far after each one
/// (from whichever thread judged it): a progress bar's hook. When it returns `false` no
/// further target is started and the answer is `None` (cancelled: no half-made report).
///
/// ```
/// use plan_rules::eval::evaluate_with_progress;
/// use plan_rules::{Dataset, EvaluateOptions, Plan};
/// let plan = Plan::xicheng_2016_2020().unwrap();
/// let data = Dataset::from_json(plan_rules::SAMPLE_DATA_JSON).unwrap();
/// let as_of = "2020-12-31".parse().unwrap();
/// let seen = std::sync::atomic::AtomicUsize::new(0);
/// let report = evaluate_with_progress(&plan, &data, as_of, EvaluateOptions::default(), &|n| {
///     seen.fetch_max(n, std::sync::atomic::Ordering::SeqCst);
///     true
/// });
/// assert_eq!(report.unwrap().results.len(), plan.targets.len());
/// assert_eq!(seen.into_inner(), plan.targets.len());
/// assert!(evaluate_with_progress(&plan, &data, as_of, EvaluateOptions::default(), &|_| false).is_none());
/// ```
pub fn evaluate_with_progress(
    plan: &Plan,
    data: &Dataset,
    as_of: Date,
    options: EvaluateOptions,
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Report> {
    evaluate_with(
        plan,
        data,
        as_of,
        options,
        worth_threads(data),
        Hash::Now,
        on_done,
    )
    .map(|(report, hash)| report.finish_with(hash.unwrap_or_else(|| data.content_hash())))
}

/// A report with no results (never returned by [`evaluate`]: its hook never cancels).
fn empty_report(plan: &Plan, data: &Dataset, as_of: Date, options: EvaluateOptions) -> Report {
    report_of(
        plan,
        data,
        data.content_hash(),
        as_of,
        options,
        Vec::new(),
        Vec::new(),
    )
}

/// [`evaluate_unhashed`] on the calling thread only (the groups of [`crate::groups`] share the
/// cores among themselves).
pub(crate) fn evaluate_serial(
    plan: &Plan,
    data: &Dataset,
    as_of: Date,
    options: EvaluateOptions,
) -> UnhashedReport {
    evaluate_with(plan, data, as_of, options, false, Hash::Later, &|_| true).map_or_else(
        || UnhashedReport {
            report: empty_report(plan, data, as_of, options),
        },
        |(report, _)| report,
    )
}

/// The results the threads gave, in the targets' order; a target a failed thread left out
/// (an engine defect) is judged by `judge` here instead.
fn completed(
    judged: Vec<Option<Option<TargetResult>>>,
    targets: &[&Target],
    judge: impl Fn(&Target) -> TargetResult,
) -> Vec<TargetResult> {
    targets
        .iter()
        .zip(judged)
        .map(|(t, r)| r.flatten().unwrap_or_else(|| judge(t)))
        .collect()
}

fn evaluate_with(
    plan: &Plan,
    data: &Dataset,
    as_of: Date,
    options: EvaluateOptions,
    threads: bool,
    hash: Hash,
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<(UnhashedReport, Option<crate::hash::Sha256Hex>)> {
    let targets = selected(plan, options);
    let order = longest_first(&targets);
    let threads = threads && !cfg!(target_family = "wasm");
    let (prepared, results, data_hash) = if threads && hash == Hash::Later {
        // Every core judges.
        let prepared = prepare(plan, data);
        let judge = |t: &&Target| Some(judge_one(plan, &prepared, t, as_of, options));
        let shared = crate::parallel::Shared::new(&targets, &order, &judge, on_done);
        crate::parallel::run(&shared, crate::parallel::workers(targets.len()));
        let judged = shared.into_results();
        let results = judged.map(|judged| {
            completed(judged, &targets, |t| {
                judge_one(plan, &prepared, t, as_of, options)
            })
        });
        (prepared, results, None)
    } else if threads {
        // A large table: its hash (one long sequential pass, often the longest piece of work)
        // has a core of its own while the dataset is prepared and the targets are judged on
        // the others; once hashed, its thread judges targets too.
        let prepared_once = std::sync::OnceLock::new();
        let judge = |t: &&Target| {
            prepared_once
                .get()
                .map(|p| judge_one(plan, p, t, as_of, options))
        };
        let shared = crate::parallel::Shared::new(&targets, &order, &judge, on_done);
        let hash = std::thread::scope(|s| {
            let hash = s.spawn(|| {
                let hash = data.content_hash();
                if prepared_once.get().is_some() {
                    shared.work();
                }
                hash
            });
            prepared_once.get_or_init(|| prepare(plan, data));
            let cores = crate::parallel::workers(usize::MAX);
            let workers = targets.len().min(cores.saturating_sub(1)).max(1);
            crate::parallel::run(&shared, workers);
            hash.join().unwrap_or_else(|_| data.content_hash())
        });
        let judged = shared.into_results();
        let prepared = prepared_once
            .into_inner()
            .unwrap_or_else(|| prepare(plan, data));
        let results = judged.map(|judged| {
            completed(judged, &targets, |t| {
                judge_one(plan, &prepared, t, as_of, options)
            })
        });
        (prepared, results, Some(hash))
    } else {
        let prepared = prepare(plan, data);
        let results = judge_targets(plan, &prepared, &targets, &order, as_of, options, on_done);
        (prepared, results, None)
    };
    let results = results?;
    // The hash is written in by `UnhashedReport::finish_with`.
    let unknown = crate::hash::Sha256Hex([0; 32]);
    let report = report_of(
        plan,
        data,
        unknown,
        as_of,
        options,
        results,
        prepared.diagnostics,
    );
    Some((UnhashedReport { report }, data_hash))
}

fn report_of(
    plan: &Plan,
    data: &Dataset,
    data_hash: crate::hash::Sha256Hex,
    as_of: Date,
    options: EvaluateOptions,
    results: Vec<TargetResult>,
    diagnostics: Vec<Diagnostic>,
) -> Report {
    Report {
        engine: EngineInfo {
            name: ENGINE_NAME,
            version: ENGINE_VERSION,
        },
        plan: PlanInfo {
            id: plan.id.clone(),
            version: plan.version.clone(),
            content_hash: plan.content_hash(),
            status: plan.status,
        },
        data: DataInfo {
            id: data.id.clone(),
            synthetic: data.synthetic,
            content_hash: data_hash,
        },
        as_of,
        obligation: options.obligation,
        review: None,
        summary: Summary::of(&results),
        results,
        diagnostics,
    }
}

/// Whether a dataset is large enough for evaluation to use more than one thread (a table of
/// 20,000 rows or more, on a machine with more than one core; never on WebAssembly).
fn worth_threads(data: &Dataset) -> bool {
    const ROWS: usize = 20_000;
    !cfg!(target_family = "wasm")
        && data.tables.iter().map(|t| t.row_count()).sum::<usize>() >= ROWS
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// The plan's targets of the requested obligation, in the plan's order.
fn selected(plan: &Plan, options: EvaluateOptions) -> Vec<&Target> {
    plan.targets
        .iter()
        .filter(|t| options.obligation.is_none_or(|o| t.obligation == Some(o)))
        .collect()
}

/// The order to judge targets in: the costliest first (longest-first scheduling keeps one
/// long target from finishing alone at the end when threads share them).
fn longest_first(targets: &[&Target]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(targets.get(*i).map_or(0, |t| cost(&t.rule))));
    order
}

/// One target's result.
fn judge_one(
    plan: &Plan,
    prepared: &crate::prepare::Prepared<'_>,
    target: &Target,
    as_of: Date,
    options: EvaluateOptions,
) -> TargetResult {
    let cx = Ctx {
        plan,
        target,
        data: prepared,
        as_of,
    };
    evaluate_rule(
        &cx,
        &target.rule,
        &target.id,
        &target.title,
        options,
        &prepared.diagnostics,
    )
}

/// The results of `targets` on the calling thread, taken in `order`, given back in the plan's
/// order. `None` when `on_done` cancelled the work.
fn judge_targets(
    plan: &Plan,
    prepared: &crate::prepare::Prepared<'_>,
    targets: &[&Target],
    order: &[usize],
    as_of: Date,
    options: EvaluateOptions,
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<TargetResult>> {
    let judge = |t: &&Target| judge_one(plan, prepared, t, as_of, options);
    let judged = crate::parallel::map_in_order(targets, order, 1, &judge, on_done)?;
    Some(
        targets
            .iter()
            .zip(judged)
            .map(|(t, r)| r.unwrap_or_else(|| judge_one(plan, prepared, t, as_of, options)))
            .collect(),
    )
}

/// A rough measure of the work a rule takes on a large table: rules over entities read every
/// entity once per year they judge; qualitative rules read nothing.
fn cost(rule: &Rule) -> u32 {
    match rule {
        Rule::Qualitative(_) => 0,
        Rule::GrowthComparison(_) | Rule::Milestones(_) => 1,
        Rule::Count(_)
        | Rule::Value(_)
        | Rule::Change(_)
        | Rule::ApproximateCount(_)
        | Rule::Duration(_) => 2,
        Rule::Rate(_) | Rule::Coverage(_) => 3,
        Rule::EveryYear(e) => 5 * cost(&e.rule),
        Rule::AllOf(a) => a.parts.iter().map(|p| cost(&p.rule)).sum(),
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
    let part =
        |r: &Rule, id: &str, title: &Text| evaluate_rule(cx, r, id, title, options, diagnostics);
    let outcome = judge::outcome(rule, cx, &mut rec, &part);
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
    let rising = o.op.is_none_or(Op::rising);
    let gap = match (o.goal, observed) {
        (Some(g), Some(v)) if rising => crate::arith::sub(g, v).ok().map(|(d, _)| d),
        (Some(g), Some(v)) => crate::arith::sub(v, g).ok().map(|(d, _)| d),
        _ => None,
    };
    let progress = match (o.goal, observed) {
        (Some(g), Some(v)) if rising && g > Decimal::ZERO && !v.is_sign_negative() => {
            crate::arith::percent(v, g).ok().map(|(p, _)| p)
        }
        _ => None,
    };
    let reason = o.not_assessable.as_ref().map(|na| na.reason(diagnostics));
    let diag_refs = o
        .not_assessable
        .as_ref()
        .map(|na| na.diagnostics.clone())
        .unwrap_or_default();
    let named = matches!(rule, Rule::Milestones(_)).then(|| named_culprits(&o.culprits));
    let explanation = match (&o.explanation, status) {
        (Some(t), s) if s != Status::NotAssessable => {
            with_aspiration(t.clone(), &o, o.unit.as_deref())
        }
        _ => explain(cx, status, o.grade, &o, reason.as_ref()),
    };
    // A milestone set names the items that are not there yet, in every rendering.
    let explanation = match named.flatten() {
        Some((zh, en)) => Text::new(
            format!("{}；未达到：{zh}", explanation.zh),
            format!("{}; not yet: {en}", explanation.en),
        ),
        None => explanation,
    };
    TargetResult {
        id: id.to_string(),
        title: title.clone(),
        kind: rule.kind(),
        status,
        basis: if o.judgement.is_some() {
            Basis::Recorded
        } else {
            Basis::Computed
        },
        grade: o.grade,
        approximate: o.approximate,
        deadline: cx.target.deadline,
        unit: o.unit,
        observed: observed.map(Num),
        observed_year: o.observed.map(|(y, _)| y),
        op: o.op,
        target: o.goal.map(Num),
        gap: gap.map(Num),
        progress: progress.map(Num),
        aspiration: o.aspiration.map(|(level, reached)| Aspiration {
            level: Num(level),
            reached,
        }),
        obligation: cx.target.obligation,
        judgement: o.judgement,
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
        caveat: if id == cx.target.id {
            cx.target.caveat.clone()
        } else {
            None
        },
        parts: o.parts,
        trail: rec.finish(),
    }
}

/// The culprits' messages, joined (at most ten, then how many more).
fn named_culprits(culprits: &[crate::report::Culprit]) -> Option<(String, String)> {
    if culprits.is_empty() {
        return None;
    }
    let shown = culprits.iter().take(10);
    let (mut zh, mut en): (Vec<String>, Vec<String>) = shown.map(|c| (c.zh(), c.en())).unzip();
    if culprits.len() > 10 {
        zh.push(format!("另有{}项", culprits.len() - 10));
        en.push(format!("and {} more", culprits.len() - 10));
    }
    Some((zh.join("；"), en.join("; ")))
}

fn explain(
    cx: &Ctx<'_, '_>,
    status: Status,
    grade: Option<Grade>,
    o: &Outcome,
    reason: Option<&Reason>,
) -> Text {
    let unit = o.unit.as_deref();
    // A change is shown as one: "a change of -14% since 2015".
    let obs = o.observed.map(|(y, v)| match (o.change_from, o.averaged) {
        (Some(from), true) => (
            y,
            format!("{from}年以来年均 {}", show(v, unit)),
            format!("{} a year since {from}", show(v, unit)),
        ),
        (Some(from), false) => (
            y,
            format!("较{from}年变化 {}", show(v, unit)),
            format!("a change of {} since {from}", show(v, unit)),
        ),
        (None, _) => (y, show(v, unit), show(v, unit)),
    });
    // The bound as the plan writes it: "< 5.5%", "> 46"; a plain "reach N" stays as it was.
    let op = o.op.unwrap_or_default();
    let goal = o.goal.map(|g| show(g, unit)).unwrap_or_default();
    let goal = if op.is_default() {
        goal
    } else {
        format!("{} {goal}", op.symbol())
    };
    let (reach_zh, reach_en, short_zh, short_en) = if op.is_default() {
        (
            "达到目标",
            "reaches the target of",
            "未达到目标",
            "falls short of the target of",
        )
    } else {
        (
            "满足目标",
            "meets the target",
            "未满足目标",
            "does not meet the target",
        )
    };
    let deadline = cx.target.deadline;
    let text = match (status, obs) {
        (Status::NotAssessable, _) => {
            let r = reason
                .map(|r| (r.zh.clone(), r.en.clone()))
                .unwrap_or_default();
            return Text::new(
                format!("无法评估：{}", r.0),
                format!("not assessable: {}", r.1),
            );
        }
        (Status::Met, Some((y, vz, ve))) => Text::new(
            format!("{y}年观测值 {vz} {reach_zh} {goal}"),
            format!("{ve} observed in {y} {reach_en} {goal}"),
        ),
        (Status::NotMet, Some((y, vz, ve))) => Text::new(
            format!("截至期限 {deadline}，{y}年观测值 {vz} {short_zh} {goal}"),
            format!("by the deadline {deadline}, {ve} observed in {y} {short_en} {goal}"),
        ),
        (Status::OnTrack | Status::OffTrack, Some((y, vz, ve))) => {
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
                format!("{y}年观测值 {vz}，目标 {goal}（期限 {deadline}）；{r}，{gz}"),
                format!("{ve} observed in {y} against {goal} due {deadline}; {r}, {ge}"),
            )
        }
        (s, _) => {
            let l = s.label();
            Text::new(
                format!("{}（目标 {goal}，期限 {deadline}）", l.zh),
                format!("{} (target {goal}, due {deadline})", l.en),
            )
        }
    };
    with_aspiration(text, o, unit)
}

/// Adds the aspiration (力争) and whether it is reached.
fn with_aspiration(text: Text, o: &Outcome, unit: Option<&str>) -> Text {
    match o.aspiration {
        Some((level, Some(reached))) => {
            let a = show(level, unit);
            let (z, e) = if reached {
                ("已达到", "reached")
            } else {
                ("未达到", "not reached")
            };
            Text::new(
                format!("{}；力争目标 {a}{z}", text.zh),
                format!("{}; aspiration {a} {e}", text.en),
            )
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Column, EntityTable, Labels, add_entity_table};

    /// 4,000 schools over 2016-2020: 20,000 rows, enough for the threaded path on a machine
    /// with more than one core.
    fn schools() -> Dataset {
        let n = 20_000;
        let table = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts((0..n).map(|i| Some(format!("S{:05}", i / 5)))),
            years: (0..n).map(|i| 2016 + (i % 5) as i32).collect(),
            attributes: vec![(
                "level".into(),
                Labels::from_texts((0..n).map(|i| Some(["primary", "secondary"][i / 5 % 2]))),
            )],
            fields: vec![
                (
                    "ice_snow_activity".into(),
                    Column::Flags((0..n).map(|i| Some(i % 13 != 4)).collect()),
                ),
                (
                    "pe_teachers".into(),
                    Column::ints(vec![8; n], Some((0..n).map(|i| i % 97 == 0).collect())),
                ),
                (
                    "pe_teachers_ice_snow_trained".into(),
                    Column::ints((0..n as i64).map(|i| 5 + i % 4).collect(), None),
                ),
            ],
            ..EntityTable::default()
        };
        let mut data = Dataset::default();
        add_entity_table(&mut data, table).unwrap();
        data
    }

    /// The hash is written in at the data's own place, whatever text the dataset's id holds.
    #[test]
    fn the_hash_is_written_at_its_place() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let mut data = Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        let unknown = crate::hash::Sha256Hex([0; 32]);
        for id in [
            format!("\"content_hash\": \"{unknown}\""),
            format!("\"content_hash\":\"{unknown}\""),
            unknown.to_string(),
        ] {
            data.id = Some(id);
            let as_of = "2019-12-31".parse().unwrap();
            let options = EvaluateOptions::default();
            let whole = evaluate(&plan, &data, as_of, options);
            let pending = evaluate_unhashed(&plan, &data, as_of, options, &|_| true).unwrap();
            assert_eq!(pending.clone().finish_to_json(&data).1, whole.to_json());
            let compact = pending.finish_to_json_compact(&data).1;
            assert_eq!(compact, whole.to_json_compact());
        }
    }

    /// A report judged without its hash and finished later is the report `evaluate` gives,
    /// byte for byte, with and without trails, on the threaded path as on the serial one.
    #[test]
    fn an_unhashed_report_finishes_into_the_evaluated_one() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let data = schools();
        let as_of = "2020-12-31".parse().unwrap();
        for options in [
            EvaluateOptions::default(),
            EvaluateOptions::default().with_trail(false),
        ] {
            let whole = evaluate(&plan, &data, as_of, options);
            let pending = evaluate_unhashed(&plan, &data, as_of, options, &|_| true).unwrap();
            assert_eq!(pending.results(), whole.results.as_slice());
            assert_eq!(pending.summary(), &whole.summary);
            let a62 = pending.result("A6.2").unwrap();
            assert_eq!(a62.status, Status::NotMet);
            // Rows of 2020 (i % 5 == 4) without the activity (i % 13 == 4): i % 65 == 4.
            let unmet = (0..20_000).filter(|i| i % 65 == 4).count();
            assert_eq!(a62.counts.map(|c| c.unmet), Some(unmet));
            if options.trail {
                // (The trails' JSON is long to write in a debug build: compared as values.)
                assert_eq!(pending.finish(&data), whole);
                continue;
            }
            assert_eq!(evaluate_serial(&plan, &data, as_of, options), pending);
            let (finished, text) = pending.clone().finish_to_json(&data);
            assert_eq!(text, whole.to_json());
            assert_eq!(finished, whole);
            let (_, compact) = pending.clone().finish_to_json_compact(&data);
            assert_eq!(compact, whole.to_json_compact());
            assert_eq!(pending.finish(&data).to_json(), whole.to_json());
        }
        assert!(
            evaluate_unhashed(&plan, &data, as_of, EvaluateOptions::default(), &|_| false)
                .is_none()
        );
    }
}
