//! Measures (度量): what a rule reads, either a district series or a sum over entities, for one
//! year or accumulated since the plan began, with the target's missing-data strategy applied.

use serde::Serialize;

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct, tagged};

/// A quantity a rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "from", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Measure {
    /// A district series from the dictionary.
    Series {
        /// The series name.
        series: String,
        /// One year's value or the total since the plan began.
        #[serde(default, skip_serializing_if = "OverTime::is_default")]
        over_time: OverTime,
    },
    /// The sum of one field over the entities of a kind (optionally filtered by attributes).
    EntitySum {
        /// The entity kind.
        entity_kind: String,
        /// The field summed.
        field: String,
        /// Only entities whose attributes pass every filter.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        filter: Vec<AttributeFilter>,
        /// One year's value or the total since the plan began.
        #[serde(default, skip_serializing_if = "OverTime::is_default")]
        over_time: OverTime,
    },
}

/// How a measure treats time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OverTime {
    /// The value recorded for the year (a stock: bases open, a rate's parts).
    #[default]
    Latest,
    /// The sum of the yearly values from the plan's first year through the year (a flow: cadres
    /// selected each year toward a five-year total). Before the plan's first year it is zero.
    Cumulative,
}

impl OverTime {
    fn is_default(&self) -> bool {
        *self == OverTime::Latest
    }
}

/// Keeps entities whose attribute is one of some values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeFilter {
    /// The attribute.
    pub attribute: String,
    /// The values kept.
    pub one_of: Vec<String>,
}

impl Measure {
    /// A short name for messages: the series name or `kind.field`.
    pub fn label(&self) -> String {
        match self {
            Measure::Series { series, .. } => series.clone(),
            Measure::EntitySum {
                entity_kind, field, ..
            } => format!("{entity_kind}.{field}"),
        }
    }

    /// Whether the measure accumulates over years.
    pub fn over_time(&self) -> OverTime {
        match self {
            Measure::Series { over_time, .. } | Measure::EntitySum { over_time, .. } => *over_time,
        }
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
