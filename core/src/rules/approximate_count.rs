//! Approximate count: "about N" (30名左右) with a declared tolerance band.

use serde::Serialize;

use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct};

/// A quantity is about `nominal`: at least `lower`, and at most `upper` unless `above_band` says
/// values above the band also count. Results are marked approximate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproximateCountRule {
    /// What is counted.
    pub measure: Measure,
    /// The plan's number (30).
    pub nominal: Num,
    /// Lowest value accepted (inclusive).
    pub lower: Num,
    /// Highest value inside the band (inclusive).
    pub upper: Num,
    /// The unit, which must be the measure's.
    pub unit: String,
    /// Whether a value above the band is met or not.
    pub above_band: AboveBand,
}

/// The verdict on a value above the tolerance band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AboveBand {
    /// More than the band still reaches the target (the plan sets a floor, loosely).
    Met,
    /// More than the band misses the target (the plan sets a size).
    NotMet,
}

impl FromJson for ApproximateCountRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
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
