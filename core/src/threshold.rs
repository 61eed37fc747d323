//! Threshold rules (rate, count, approximate count, duration, coverage, milestones): the one
//! status logic they share, given each rule's years, levels and goal ([`Threshold`]).

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::arith;
use crate::bound::Op;
use crate::context::{Ctx, Level, NotAssessable, Outcome, ReasonCode, satisfies};
use crate::number::fmt_decimal;
use crate::plan::Comparison;
use crate::report::{Band, Status};
use crate::trail::Recorder;
use crate::trajectory::{self, Path};

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
    /// [`Threshold::level`] where the entities at fault will not be shown (each year of an
    /// every-year rule, a trajectory's baseline): the same standing, counts and reasons, with
    /// no list of culprits made (for a national table, a million entries made and dropped).
    fn level_without_culprits(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        self.level(cx, year, rec)
    }
    /// The value progress is measured against (the band's lower end for approximate counts).
    fn goal(&self) -> Decimal;
    /// The unit of values.
    fn unit(&self, cx: &Ctx<'_, '_>) -> Option<String>;
    /// The band, for approximate counts.
    fn band(&self) -> Option<Band> {
        None
    }
    /// How a level must stand against the goal (`>=` unless the rule says).
    fn op(&self) -> Op {
        Op::AtLeast
    }
    /// The aspiration (力争) level, if the rule has one.
    fn aspiration(&self) -> Option<Decimal> {
        None
    }
    /// The standing the trajectory starts from, in the baseline year (a change rule starts from
    /// no change).
    fn baseline_level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        self.level_without_culprits(cx, year, rec)
    }
    /// Whether the value is itself an average over the years so far (年均增长): it is never met
    /// before the deadline, and its trajectory compares the rate so far with the rate required.
    fn averaged(&self) -> bool {
        false
    }
}

/// The common status logic of threshold rules.
pub(crate) fn judge_threshold(
    rule: &dyn Threshold,
    cx: &Ctx<'_, '_>,
    rec: &mut Recorder,
) -> Outcome {
    let op = rule.op();
    let mut out = Outcome {
        unit: rule.unit(cx),
        goal: Some(rule.goal()),
        op: Some(op),
        band: rule.band(),
        aspiration: rule.aspiration().map(|a| (a, None)),
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
    out.baseline = level.start;
    if let Some(b) = out.band.as_mut() {
        b.position = level.band_position;
    }
    if let Some(a) = rule.aspiration() {
        // A rate compares exactly, by cross-multiplication, as its target is compared.
        let reached = match (level.ratio, cx.comparison()) {
            (Some((n, d)), Comparison::FullValue) => {
                op.holds(arith::compare_products(n, Decimal::ONE_HUNDRED, a, d))
            }
            (Some((n, d)), Comparison::RoundedValue { decimals }) => {
                arith::round_percent(n, d, decimals).is_ok_and(|p| op.holds(p.cmp(&a)))
            }
            (None, cmp) => satisfies(level.value, op, a, cmp, &mut Recorder::new(false)),
        };
        rec.step("aspiration", || {
            (
                format!(
                    "aspiration (力争): {} {op} {}",
                    fmt_decimal(level.value),
                    fmt_decimal(a)
                ),
                reached.to_string(),
            )
        });
        out.aspiration = Some((a, Some(reached)));
    }
    if level.met && (cx.deadline_reached() || !rule.averaged()) {
        out.status = Some(Status::Met);
        return out;
    }
    if cx.deadline_reached() {
        // A final verdict of `not_met` rests on the last year the deadline makes visible; an
        // earlier year's value cannot say the target was missed (the later value may reach it).
        let due = cx.last_visible_year();
        if year < due {
            let na = NotAssessable::new(ReasonCode::MissingValue).with_detail(
                format!("期限已到，缺少{due}年的数据；最新的{year}年数据未达到目标"),
                format!(
                    "the deadline has come and {due} has no value; the latest, {year}, does not reach the target"
                ),
            );
            return out.stop(na);
        }
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
    let base = match rule.baseline_level(cx, baseline_year, rec) {
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
    if out.baseline.is_none() {
        out.baseline = Some((baseline_year, base.value));
    }
    let path = Path {
        baseline_year,
        baseline: base.value,
        year,
        value: level.value,
        deadline_year: cx.target.deadline.year(),
        target: rule.goal(),
        rising: op.rising(),
        strict: !op.inclusive(),
    };
    let projected = if rule.averaged() {
        trajectory::project_rate(path, rec)
    } else {
        trajectory::project(path, rec)
    };
    match projected {
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
