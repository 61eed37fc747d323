//! Coverage: every entity of a kind satisfies a condition (参与冰雪项目活动学校达到100%). The
//! result names the entities that do not, with counts of met, unmet and missing.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::measure::AttributeFilter;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct, tagged};

/// The share of entities of a kind satisfying a condition reaches `target_percent` (100 by
/// default: every entity). An empty population is never met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CoverageRule {
    /// The entity kind (school, street ...).
    pub entity_kind: String,
    /// Only entities whose attributes pass every filter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<AttributeFilter>,
    /// What each entity must satisfy.
    pub condition: Condition,
    /// The share of the population to reach, in percent.
    #[serde(default = "hundred")]
    pub target_percent: Num,
}

pub(crate) fn hundred() -> Num {
    Num(Decimal::ONE_HUNDRED)
}

/// What one entity must satisfy in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "test", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Condition {
    /// A flag field is true.
    IsTrue {
        /// The flag field.
        field: String,
    },
    /// A number field is at least a value.
    AtLeast {
        /// The number field.
        field: String,
        /// The least value.
        value: Num,
    },
    /// numerator / denominator × 100 is at least a percentage (a zero denominator is missing).
    RatioAtLeast {
        /// The numerator field.
        numerator: String,
        /// The denominator field.
        denominator: String,
        /// The least percentage.
        percent: Num,
    },
    /// A state field has reached a state (in the field's order of states).
    StateReached {
        /// The state field.
        field: String,
        /// The state to reach.
        state: String,
    },
}

impl Condition {
    /// The fields the condition reads.
    pub fn fields(&self) -> Vec<&String> {
        match self {
            Condition::IsTrue { field }
            | Condition::AtLeast { field, .. }
            | Condition::StateReached { field, .. } => {
                vec![field]
            }
            Condition::RatioAtLeast {
                numerator,
                denominator,
                ..
            } => vec![numerator, denominator],
        }
    }

    pub(crate) fn describe(&self) -> (String, String) {
        match self {
            Condition::IsTrue { field } => {
                (format!("`{field}` 为是"), format!("`{field}` is true"))
            }
            Condition::AtLeast { field, value } => (
                format!("`{field}` ≥ {value}"),
                format!("`{field}` ≥ {value}"),
            ),
            Condition::RatioAtLeast {
                numerator,
                denominator,
                percent,
            } => (
                format!("`{numerator}` / `{denominator}` ≥ {percent}%"),
                format!("`{numerator}` / `{denominator}` ≥ {percent}%"),
            ),
            Condition::StateReached { field, state } => (
                format!("`{field}` 达到 `{state}`"),
                format!("`{field}` has reached `{state}`"),
            ),
        }
    }
}

impl FromJson for CoverageRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a coverage rule",
            CoverageRule {
                entity_kind: req,
                filter: def,
                condition: req,
                target_percent: or(hundred()),
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
