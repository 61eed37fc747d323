//! Count: a quantity reaches N (50 cadres, 100 bases, 500 certification points).

use serde::Serialize;

use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// A quantity reaches `target` (inclusive: 达到 N means ≥ N).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountRule {
    /// What is counted.
    pub measure: Measure,
    /// The number to reach.
    pub target: Num,
    /// The unit, which must be the measure's.
    pub unit: String,
}

impl FromJson for CountRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a count rule",
            CountRule {
                measure: req,
                target: req,
                unit: req,
            }
        )
    }
}
