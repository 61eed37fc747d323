//! Rate: numerator / denominator reaches a percentage (学前教育率达到100%).

use serde::Serialize;

use crate::bound::Op;
use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// numerator / denominator × 100 stands against `target_percent` as `op` says (by default it
/// reaches it). The denominator may be a filtered population (students eligible for the
/// physical-health test). Both parts must share a unit. A gross rate (毛入学率: enrolment of any
/// age over the population of the official age) may exceed 100%.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RateRule {
    /// What is counted (children enrolled).
    pub numerator: Measure,
    /// Out of what (children of age).
    pub denominator: Measure,
    /// The percentage to reach (0-100, or more for a gross rate).
    pub target_percent: Num,
    /// How the rate must stand against `target_percent` (`>=` unless said).
    #[serde(default, skip_serializing_if = "Op::is_default")]
    pub op: Op,
    /// A second, stricter level the plan strives for (力争达到).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspiration: Option<Num>,
    /// Whether this is a gross rate, whose numerator may exceed its denominator.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gross: bool,
}

impl FromJson for RateRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a rate rule",
            RateRule {
                numerator: req,
                denominator: req,
                target_percent: req,
                op: def,
                aspiration: opt,
                gross: def,
            }
        )
    }
}
