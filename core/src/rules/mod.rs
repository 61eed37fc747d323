//! The rule kinds (规则类型), one file each. A rule is data: a tagged JSON object whose `type`
//! names the kind.

mod approximate_count;
mod change;
mod count;
mod coverage;
mod duration;
mod every_year;
mod growth_comparison;
mod milestones;
mod qualitative;
mod rate;
mod value;

pub use approximate_count::{AboveBand, ApproximateCountRule};
pub use change::{ChangeFrom, ChangeInput, ChangeMethod, ChangeRule};
pub use count::CountRule;
pub use coverage::{Condition, CoverageRule};
pub use duration::DurationRule;
pub use every_year::EveryYearRule;
pub use growth_comparison::{GrowthComparisonRule, GrowthMode, Tolerance};
pub use milestones::{MilestoneItem, MilestonesRule};
pub use qualitative::QualitativeRule;
pub use rate::RateRule;
pub use value::ValueRule;

use serde::Serialize;

use crate::measure::{AttributeFilter, Measure};
use crate::text::Text;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct, tagged};

/// The names of the rule kinds, as written in `type`.
pub const RULE_KINDS: [&str; 12] = [
    "rate",
    "count",
    "value",
    "change",
    "approximate_count",
    "duration",
    "coverage",
    "growth_comparison",
    "milestones",
    "every_year",
    "qualitative",
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
    /// A quantity reaches N (or stands against it as its bound says).
    Count(CountRule),
    /// A measured level stands against a limit (`< 5.5%`, `> 46`).
    Value(ValueRule),
    /// A change from a baseline (absolute, relative or an average annual rate).
    Change(ChangeRule),
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
    /// A bound that must hold in every year of a span.
    EveryYear(EveryYearRule),
    /// Decided only by a recorded judgement, never by arithmetic.
    Qualitative(QualitativeRule),
    /// Every part is reached.
    AllOf(AllOfRule),
}

impl Rule {
    /// The kind's name, as written in `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Rate(_) => "rate",
            Rule::Count(_) => "count",
            Rule::Value(_) => "value",
            Rule::Change(_) => "change",
            Rule::ApproximateCount(_) => "approximate_count",
            Rule::Duration(_) => "duration",
            Rule::Coverage(_) => "coverage",
            Rule::GrowthComparison(_) => "growth_comparison",
            Rule::Milestones(_) => "milestones",
            Rule::EveryYear(_) => "every_year",
            Rule::Qualitative(_) => "qualitative",
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
            Rule::Value(r) => measure(&r.measure),
            Rule::Change(r) => measure(&r.measure),
            Rule::ApproximateCount(r) => measure(&r.measure),
            Rule::Duration(r) => measure(&r.measure),
            Rule::GrowthComparison(r) => {
                measure(&r.subject);
                measure(&r.benchmark);
            }
            Rule::Coverage(r) => out.extend(r.filter.iter()),
            Rule::Milestones(_) | Rule::Qualitative(_) => {}
            Rule::EveryYear(r) => r.rule.collect_filters(out),
            Rule::AllOf(r) => r.parts.iter().for_each(|p| p.rule.collect_filters(out)),
        }
    }
}

impl FromJson for Rule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let (kind, body) = tagged(value, at, "type", &RULE_KINDS, "a rule")?;
        Ok(match kind {
            "rate" => Rule::Rate(RateRule::from_json(body, at)?),
            "count" => Rule::Count(CountRule::from_json(body, at)?),
            "value" => Rule::Value(ValueRule::from_json(body, at)?),
            "change" => Rule::Change(ChangeRule::from_json(body, at)?),
            "approximate_count" => {
                Rule::ApproximateCount(ApproximateCountRule::from_json(body, at)?)
            }
            "duration" => Rule::Duration(DurationRule::from_json(body, at)?),
            "coverage" => Rule::Coverage(CoverageRule::from_json(body, at)?),
            "growth_comparison" => {
                Rule::GrowthComparison(GrowthComparisonRule::from_json(body, at)?)
            }
            "milestones" => Rule::Milestones(MilestonesRule::from_json(body, at)?),
            "every_year" => Rule::EveryYear(EveryYearRule::from_json(body, at)?),
            "qualitative" => Rule::Qualitative(QualitativeRule::from_json(body, at)?),
            _ => Rule::AllOf(AllOfRule::from_json(body, at)?),
        })
    }
}

// All-of: a target made of parts, reached when every part is (学分认证 for community education
// and for in-service continuing education). It is a rule made of rules, so it lives with `Rule`.

/// Every part must be reached. The combined status is the worst part's: not met, then off track
/// (regressing, insufficient, accelerate), then not assessable, then on track; met only when
/// every part is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllOfRule {
    /// The parts.
    pub parts: Vec<Part>,
}

/// One part of an all-of target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Id, unique within the target (shown as `TARGET/PART`).
    pub id: String,
    /// Title.
    pub title: Text,
    /// The part's rule.
    pub rule: Rule,
}

impl FromJson for AllOfRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(value, at, "an all_of rule", AllOfRule { parts: req })
    }
}

impl FromJson for Part {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a part",
            Part {
                id: req,
                title: req,
                rule: req
            }
        )
    }
}
