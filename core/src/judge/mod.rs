//! Judging each rule kind: one file per kind (the rule itself is in [`crate::rules`]), and the
//! dispatch from a [`Rule`] to its judge.

mod all_of;
mod approximate_count;
mod change;
mod coverage;
mod every_year;
mod growth_comparison;
mod measure_bound;
mod milestones;
mod qualitative;
mod rate;

use crate::context::{Ctx, Outcome, PartResult};
use crate::rules::Rule;
use crate::threshold::{Threshold, judge_threshold};
use crate::trail::Recorder;

/// What a rule concludes in its context.
pub(crate) fn outcome(
    rule: &Rule,
    cx: &Ctx<'_, '_>,
    rec: &mut Recorder,
    part: PartResult<'_>,
) -> Outcome {
    if let Some(t) = as_threshold(rule) {
        let mut out = judge_threshold(t, cx, rec);
        if let Rule::Change(c) = rule {
            out.change_from = out.observed.map(|(y, _)| c.start_year(cx, y));
            out.averaged = t.averaged();
        }
        return out;
    }
    match rule {
        Rule::GrowthComparison(r) => r.judge(cx, rec),
        Rule::AllOf(r) => all_of::judge(r, cx, part),
        Rule::Qualitative(r) => r.judge(cx, rec),
        Rule::EveryYear(r) => match as_threshold(&r.rule) {
            Some(inner) => every_year::judge(r, inner, cx, rec),
            // `check` refuses any other inner rule.
            None => Outcome::default(),
        },
        _ => Outcome::default(),
    }
}

/// The rule as a threshold rule, for the kinds that are one (judged year by year).
pub(crate) fn as_threshold(rule: &Rule) -> Option<&dyn Threshold> {
    Some(match rule {
        Rule::Rate(r) => r,
        Rule::Count(r) => r,
        Rule::Value(r) => r,
        Rule::Change(r) => r,
        Rule::ApproximateCount(r) => r,
        Rule::Duration(r) => r,
        Rule::Coverage(r) => r,
        Rule::Milestones(r) => r,
        _ => return None,
    })
}
