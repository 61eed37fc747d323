//! Judging each rule kind: one file per kind (the rule itself is in [`crate::rules`]), and the
//! dispatch from a [`Rule`] to its judge.

mod all_of;
mod approximate_count;
mod count;
mod coverage;
mod duration;
mod growth_comparison;
mod milestones;
mod rate;

use crate::context::{Ctx, Outcome, PartResult};
use crate::rules::Rule;
use crate::threshold::judge_threshold;
use crate::trail::Recorder;

/// What a rule concludes in its context.
pub(crate) fn outcome(
    rule: &Rule,
    cx: &Ctx<'_, '_>,
    rec: &mut Recorder,
    part: PartResult<'_>,
) -> Outcome {
    match rule {
        Rule::Rate(r) => judge_threshold(r, cx, rec),
        Rule::Count(r) => judge_threshold(r, cx, rec),
        Rule::ApproximateCount(r) => judge_threshold(r, cx, rec),
        Rule::Duration(r) => judge_threshold(r, cx, rec),
        Rule::Coverage(r) => judge_threshold(r, cx, rec),
        Rule::Milestones(r) => judge_threshold(r, cx, rec),
        Rule::GrowthComparison(r) => r.judge(cx, rec),
        Rule::AllOf(r) => all_of::judge(r, cx, part),
    }
}
