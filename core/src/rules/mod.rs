//! The rule kinds (规则类型), one file each. A rule is data: a tagged JSON object whose `type`
//! names the kind.

mod all_of;
mod approximate_count;
mod count;
mod coverage;
mod duration;
mod growth_comparison;
mod milestones;
mod rate;

pub use all_of::{AllOfRule, Part};
pub use approximate_count::{AboveBand, ApproximateCountRule};
pub use count::CountRule;
pub(crate) use coverage::hundred;
pub use coverage::{Condition, CoverageRule};
pub use duration::DurationRule;
pub(crate) use growth_comparison::yes;
pub use growth_comparison::{GrowthComparisonRule, GrowthMode};
pub use milestones::{MilestoneItem, MilestonesRule};
pub use rate::RateRule;

use serde::Serialize;

use crate::eval::{Ctx, EvaluateOptions, Outcome, judge_threshold};
use crate::measure::{AttributeFilter, Measure};
use crate::trail::Recorder;

/// The names of the rule kinds, as written in `type`.
pub const RULE_KINDS: [&str; 8] = [
    "rate",
    "count",
    "approximate_count",
    "duration",
    "coverage",
    "growth_comparison",
    "milestones",
    "all_of",
];

/// A typed, checkable rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// numerator / denominator reaches a percentage.
    Rate(RateRule),
    /// A quantity reaches N.
    Count(CountRule),
    /// A quantity is about N, within a declared band.
    ApproximateCount(ApproximateCountRule),
    /// Years provided reach N.
    Duration(DurationRule),
    /// Every entity of a kind (or a declared share) satisfies a condition.
    Coverage(CoverageRule),
    /// Growth of one series exceeds growth of another.
    GrowthComparison(GrowthComparisonRule),
    /// Named items each reach a state.
    Milestones(MilestonesRule),
    /// Every part is reached.
    AllOf(AllOfRule),
}

impl Rule {
    /// The kind's name, as written in `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Rate(_) => "rate",
            Rule::Count(_) => "count",
            Rule::ApproximateCount(_) => "approximate_count",
            Rule::Duration(_) => "duration",
            Rule::Coverage(_) => "coverage",
            Rule::GrowthComparison(_) => "growth_comparison",
            Rule::Milestones(_) => "milestones",
            Rule::AllOf(_) => "all_of",
        }
    }

    /// Every attribute filter the rule applies, in its measures, its population and its parts.
    pub fn attribute_filters(&self) -> Vec<&AttributeFilter> {
        let mut out = Vec::new();
        self.collect_filters(&mut out);
        out
    }

    fn collect_filters<'r>(&'r self, out: &mut Vec<&'r AttributeFilter>) {
        let mut measure = |m: &'r Measure| {
            if let Measure::EntitySum { filter, .. } = m {
                out.extend(filter.iter());
            }
        };
        match self {
            Rule::Rate(r) => {
                measure(&r.numerator);
                measure(&r.denominator);
            }
            Rule::Count(r) => measure(&r.measure),
            Rule::ApproximateCount(r) => measure(&r.measure),
            Rule::Duration(r) => measure(&r.measure),
            Rule::GrowthComparison(r) => {
                measure(&r.subject);
                measure(&r.benchmark);
            }
            Rule::Coverage(r) => out.extend(r.filter.iter()),
            Rule::Milestones(_) => {}
            Rule::AllOf(r) => r.parts.iter().for_each(|p| p.rule.collect_filters(out)),
        }
    }

    pub(crate) fn outcome(
        &self,
        cx: &Ctx<'_, '_>,
        rec: &mut Recorder,
        options: EvaluateOptions,
    ) -> Outcome {
        match self {
            Rule::Rate(r) => judge_threshold(r, cx, rec),
            Rule::Count(r) => judge_threshold(r, cx, rec),
            Rule::ApproximateCount(r) => judge_threshold(r, cx, rec),
            Rule::Duration(r) => judge_threshold(r, cx, rec),
            Rule::Coverage(r) => judge_threshold(r, cx, rec),
            Rule::Milestones(r) => judge_threshold(r, cx, rec),
            Rule::GrowthComparison(r) => r.judge(cx, rec),
            Rule::AllOf(r) => r.judge(cx, options),
        }
    }
}
