//! Rules on the wire: each rule kind, the measures they read and the conditions they test.
//! Adding a field to a rule kind is one line in its `read_struct!` here (and the field on the
//! struct).

use super::json::Json;
use super::pointer::Path;
use super::read::{FromJson, WireError, named, read_struct, tagged};
use crate::measure::{AttributeFilter, Measure, OverTime};
use crate::rules::{
    AboveBand, AllOfRule, ApproximateCountRule, Condition, CountRule, CoverageRule, DurationRule,
    GrowthComparisonRule, GrowthMode, MilestoneItem, MilestonesRule, Part, RULE_KINDS, RateRule,
    Rule, hundred, yes,
};

impl FromJson for Rule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let (kind, body) = tagged(value, at, "type", &RULE_KINDS, "a rule")?;
        Ok(match kind {
            "rate" => Rule::Rate(read_struct!(
                body,
                at,
                "a rate rule",
                RateRule {
                    numerator: req,
                    denominator: req,
                    target_percent: req,
                }
            )?),
            "count" => Rule::Count(read_struct!(
                body,
                at,
                "a count rule",
                CountRule {
                    measure: req,
                    target: req,
                    unit: req,
                }
            )?),
            "approximate_count" => Rule::ApproximateCount(read_struct!(
                body,
                at,
                "an approximate_count rule",
                ApproximateCountRule {
                    measure: req,
                    nominal: req,
                    lower: req,
                    upper: req,
                    unit: req,
                    above_band: req,
                }
            )?),
            "duration" => Rule::Duration(read_struct!(
                body,
                at,
                "a duration rule",
                DurationRule {
                    measure: req,
                    target_years: req,
                }
            )?),
            "coverage" => Rule::Coverage(read_struct!(
                body,
                at,
                "a coverage rule",
                CoverageRule {
                    entity_kind: req,
                    filter: def,
                    condition: req,
                    target_percent: or(hundred()),
                }
            )?),
            "growth_comparison" => Rule::GrowthComparison(read_struct!(
                body,
                at,
                "a growth_comparison rule",
                GrowthComparisonRule {
                    subject: req,
                    benchmark: req,
                    mode: req,
                    from_year: opt,
                    strict: or(yes()),
                }
            )?),
            "milestones" => Rule::Milestones(read_struct!(
                body,
                at,
                "a milestones rule",
                MilestonesRule {
                    entity_kind: req,
                    state_field: req,
                    required_state: req,
                    items: req,
                }
            )?),
            _ => Rule::AllOf(read_struct!(
                body,
                at,
                "an all_of rule",
                AllOfRule { parts: req }
            )?),
        })
    }
}

impl FromJson for Measure {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let (from, body) = tagged(value, at, "from", &["series", "entity_sum"], "a measure")?;
        match from {
            "series" => read_struct!(
                body,
                at,
                "a series measure",
                Measure::Series {
                    series: req,
                    over_time: def,
                }
            ),
            _ => read_struct!(
                body,
                at,
                "an entity_sum measure",
                Measure::EntitySum {
                    entity_kind: req,
                    field: req,
                    filter: def,
                    over_time: def,
                }
            ),
        }
    }
}

impl FromJson for AttributeFilter {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an attribute filter",
            AttributeFilter {
                attribute: req,
                one_of: req,
            }
        )
    }
}

impl FromJson for Condition {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let (test, body) = tagged(
            value,
            at,
            "test",
            &["is_true", "at_least", "ratio_at_least", "state_reached"],
            "a condition",
        )?;
        match test {
            "is_true" => read_struct!(
                body,
                at,
                "an is_true condition",
                Condition::IsTrue { field: req }
            ),
            "at_least" => read_struct!(
                body,
                at,
                "an at_least condition",
                Condition::AtLeast {
                    field: req,
                    value: req,
                }
            ),
            "ratio_at_least" => read_struct!(
                body,
                at,
                "a ratio_at_least condition",
                Condition::RatioAtLeast {
                    numerator: req,
                    denominator: req,
                    percent: req,
                }
            ),
            _ => read_struct!(
                body,
                at,
                "a state_reached condition",
                Condition::StateReached {
                    field: req,
                    state: req,
                }
            ),
        }
    }
}

impl FromJson for MilestoneItem {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a milestone item",
            MilestoneItem {
                id: req,
                name: req,
                attributes: def,
            }
        )
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

impl FromJson for OverTime {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "over_time",
            &[
                ("latest", OverTime::Latest),
                ("cumulative", OverTime::Cumulative),
            ],
        )
    }
}

impl FromJson for AboveBand {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "above_band",
            &[("met", AboveBand::Met), ("not_met", AboveBand::NotMet)],
        )
    }
}

impl FromJson for GrowthMode {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "growth mode",
            &[
                ("year_over_year", GrowthMode::YearOverYear),
                ("cumulative", GrowthMode::Cumulative),
            ],
        )
    }
}
