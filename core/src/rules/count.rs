//! Count: a quantity reaches N (50 cadres, 100 bases, 500 certification points).

use serde::Serialize;

use crate::bound::Op;
use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// A quantity stands against `target` as `op` says (by default `>=`: 达到 N means ≥ N).
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
    /// How the value must stand against `target` (`>=` unless said).
    #[serde(default, skip_serializing_if = "Op::is_default")]
    pub op: Op,
    /// A second, stricter level the plan strives for (力争达到).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspiration: Option<Num>,
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
                op: def,
                aspiration: opt,
            }
        )
    }
}
