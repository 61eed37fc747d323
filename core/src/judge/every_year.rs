//! Judging EveryYearRule (see [`crate::rules`] for the rule itself): the inner rule's standing
//! in each due year; a failed year is final, a year not yet due never counts as met.

use crate::context::{Ctx, NotAssessable, Outcome, ReasonCode, show};
use crate::report::{Culprit, CulpritDetail, Status};
use crate::rules::EveryYearRule;
use crate::text::Text;
use crate::threshold::Threshold;
use crate::trail::Recorder;
use std::sync::Arc;

/// The years that must hold: from `from_year` (the period's first year by default) through
/// the deadline's year.
fn span(rule: &EveryYearRule, cx: &Ctx<'_, '_>) -> std::ops::RangeInclusive<i32> {
    let first = rule
        .from_year
        .unwrap_or_else(|| cx.plan.period.start.year());
    first..=cx.target.deadline.year()
}

pub(crate) fn judge(
    rule: &EveryYearRule,
    inner: &dyn Threshold,
    cx: &Ctx<'_, '_>,
    rec: &mut Recorder,
) -> Outcome {
    let op = inner.op();
    let mut out = Outcome {
        unit: inner.unit(cx),
        goal: Some(inner.goal()),
        op: Some(op),
        ..Outcome::default()
    };
    let years = span(rule, cx);
    let (first, last_due) = (*years.start(), *years.end());
    let visible = cx.last_visible_year().min(last_due);
    rec.step("years", || {
        (
            format!(
                "every year {first}-{last_due} must hold; due by the as-of date {}: {}",
                cx.as_of,
                if visible >= first {
                    format!("{first}-{visible}")
                } else {
                    "none".into()
                }
            ),
            (visible - first + 1).max(0).to_string(),
        )
    });
    if visible < first {
        let na = NotAssessable::new(ReasonCode::NoData).with_detail(
            format!("{first}年尚未到期"),
            format!("no year is due yet (the first is {first})"),
        );
        return out.stop(na);
    }
    let mut failed: Vec<(i32, rust_decimal::Decimal)> = Vec::new();
    let mut unassessable: Vec<(i32, NotAssessable)> = Vec::new();
    let mut met_years = 0usize;
    for year in first..=visible {
        // The years' own entities at fault are never shown: not listed at all.
        match inner.level_without_culprits(cx, year, rec) {
            Ok(level) => {
                out.observed = Some((year, level.value));
                if level.met {
                    met_years += 1;
                } else {
                    failed.push((year, level.value));
                }
            }
            Err(na) => unassessable.push((year, na)),
        }
    }
    let unit = out.unit.clone();
    let show = |v| show(v, unit.as_deref());
    let goal = show(inner.goal());
    out.culprits = failed
        .iter()
        .map(|(y, v)| Culprit {
            id: Arc::from(y.to_string()),
            name: None,
            problem: "failed_year",
            detail: CulpritDetail::Text {
                zh: format!("{y}年 {}，{} {goal}", show(*v), op.failure_words().zh),
                en: format!("{} in {y}, {} {goal}", show(*v), op.failure_words().en),
            },
        })
        .collect();
    let due = (visible - first + 1) as usize;
    if !failed.is_empty() {
        let years: Vec<String> = failed.iter().map(|(y, _)| y.to_string()).collect();
        out.status = Some(Status::NotMet);
        out.explanation = Some(Text::new(
            format!(
                "每年须满足 {op} {goal}：{}年未满足（{}个到期年份中{}个未满足，已不可挽回）",
                years.join("、"),
                due,
                failed.len()
            ),
            format!(
                "must hold every year ({op} {goal}): fails in {} ({} of {due} due years; a failed year is final)",
                years.join(", "),
                failed.len()
            ),
        ));
        return out;
    }
    if let Some((_, na)) = unassessable.first() {
        let years: Vec<String> = unassessable.iter().map(|(y, _)| y.to_string()).collect();
        let (zh, en) = na.code.text();
        let mut na2 = NotAssessable::new(na.code).with_detail(
            format!("{}年无法判断（{zh}）", years.join("、")),
            format!("{} cannot be judged ({en})", years.join(", ")),
        );
        na2.diagnostics = na.diagnostics.clone();
        return out.stop(na2);
    }
    if visible == last_due && cx.deadline_reached() {
        out.status = Some(Status::Met);
        out.explanation = Some(Text::new(
            format!("{first}-{last_due}年每年均满足 {op} {goal}"),
            format!("holds in every year {first}-{last_due} ({op} {goal})"),
        ));
        return out;
    }
    out.status = Some(Status::OnTrack);
    let span = |a: i32, b: i32| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        }
    };
    let (done, rest) = (span(first, visible), span(visible + 1, last_due));
    out.explanation = Some(Text::new(
        format!("已到期的{met_years}个年份（{done}）均满足 {op} {goal}；{rest}年尚未到期"),
        format!("holds in all {met_years} due years {done} ({op} {goal}); {rest} not yet due"),
    ));
    out
}
