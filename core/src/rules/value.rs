//! Value: a measured level stands against a limit (城镇调查失业率 < 5.5%, 森林覆盖率达到 24.1%,
//! 能源综合生产能力 > 46 亿吨标准煤).

use serde::Serialize;

use crate::bound::Op;
use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// The value of `measure` stands against `limit` as `op` says. Unlike a count, the value may be
/// any quantity the dictionary records: a percentage read as published, a decimal, a signed
/// figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValueRule {
    /// What is read.
    pub measure: Measure,
    /// How the value must stand against `limit` (`>=` unless said).
    #[serde(default, skip_serializing_if = "Op::is_default")]
    pub op: Op,
    /// The limit.
    pub limit: Num,
    /// The unit, which must be the measure's.
    pub unit: String,
    /// A second, stricter level the plan strives for (力争达到).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspiration: Option<Num>,
}

impl FromJson for ValueRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a value rule",
            ValueRule {
                measure: req,
                op: def,
                limit: req,
                unit: req,
                aspiration: opt,
            }
        )
    }
}
