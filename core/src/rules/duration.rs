//! Duration / entitlement: years provided reach N (残疾儿童15年免费教育).

use serde::Serialize;

use crate::bound::Op;
use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// The number of years an entitlement covers reaches `target_years`. The measure's unit must be
/// `years`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DurationRule {
    /// Years provided.
    pub measure: Measure,
    /// Years to reach.
    pub target_years: Num,
    /// How the years must stand against `target_years` (`>=` unless said).
    #[serde(default, skip_serializing_if = "Op::is_default")]
    pub op: Op,
    /// A second, stricter level the plan strives for (力争达到).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspiration: Option<Num>,
}

impl FromJson for DurationRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a duration rule",
            DurationRule {
                measure: req,
                target_years: req,
                op: def,
                aspiration: opt,
            }
        )
    }
}
