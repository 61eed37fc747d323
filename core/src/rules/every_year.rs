//! Every year: a bound that must hold in each year of a span (城镇调查失业率每年 < 5.5%, 粮食综合
//! 生产能力每年 > 6.5亿吨, 近视率每年降低0.5个百分点以上).

use serde::Serialize;

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

use super::Rule;

/// `rule` must hold in every year from `from_year` to the deadline's year. One verdict names the
/// failing years; a failed year is final (not met, even before the deadline); a year not yet due
/// never counts as met. `rule` is a `value`, `count`, `rate`, `duration`, `coverage` or `change`
/// rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EveryYearRule {
    /// The first year that must hold (default: the first year of the plan period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_year: Option<i32>,
    /// The rule each year must satisfy.
    pub rule: Box<Rule>,
}

impl FromJson for EveryYearRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an every_year rule",
            EveryYearRule {
                from_year: opt,
                rule: req,
            }
        )
    }
}
