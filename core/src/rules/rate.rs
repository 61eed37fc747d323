//! Rate: numerator / denominator reaches a percentage (学前教育率达到100%).

use serde::Serialize;

use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// numerator / denominator × 100 reaches `target_percent`. The denominator may be a filtered
/// population (students eligible for the physical-health test). Both parts must share a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RateRule {
    /// What is counted (children enrolled).
    pub numerator: Measure,
    /// Out of what (children of age).
    pub denominator: Measure,
    /// The percentage to reach (0-100).
    pub target_percent: Num,
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
            }
        )
    }
}
