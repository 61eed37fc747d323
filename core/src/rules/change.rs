//! Change: a value moves by an amount from a baseline (人均预期寿命提高1岁, 单位GDP能源消耗降低
//! 〔13.5%〕, 年均增长7%), in either direction, read from a level series or from yearly rates.

use serde::Serialize;

use crate::bound::Op;
use crate::measure::Measure;
use crate::number::Num;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct};

/// The change of `measure` from a starting year to the year observed stands against `amount` as
/// `op` says. `amount` is signed: 降低13.5% is `op: "<="`, `amount: -13.5`; 提高1岁 is
/// `op: ">="`, `amount: 1`; 增长控制在3%以内 is `op: "<="`, `amount: 3`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeRule {
    /// What is read: the level itself, or its yearly growth rates in percent (`input`).
    pub measure: Measure,
    /// How the change is measured.
    pub method: ChangeMethod,
    /// What the measure holds.
    #[serde(default, skip_serializing_if = "ChangeInput::is_default")]
    pub input: ChangeInput,
    /// How the change must stand against `amount` (`>=` unless said).
    #[serde(default, skip_serializing_if = "Op::is_default")]
    pub op: Op,
    /// The change the plan asks for, signed (in the measure's unit for `absolute`, in percent
    /// otherwise).
    pub amount: Num,
    /// Where the change is measured from.
    #[serde(default, skip_serializing_if = "ChangeFrom::is_default")]
    pub from: ChangeFrom,
    /// A second, stricter change the plan strives for (力争).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspiration: Option<Num>,
}

/// How a change is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeMethod {
    /// value − start, in the measure's unit (percentage points for a percentage: 提高3个百分点).
    Absolute,
    /// (value − start) ÷ start × 100, in percent (降低13.5%).
    Relative,
    /// The average annual growth rate, ((value ÷ start)^(1/years) − 1) × 100, in percent
    /// (年均增长7%).
    AnnualRate,
}

/// What a change rule's measure holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeInput {
    /// The level itself (the energy intensity); the change is computed from two years' values.
    #[default]
    Level,
    /// Each year's growth rate in percent over the year before (signed: −3.2 is a 3.2% fall);
    /// the change over several years chains them: ∏(1 + r ÷ 100) − 1.
    YearlyRates,
}

impl ChangeInput {
    fn is_default(&self) -> bool {
        *self == ChangeInput::Level
    }
}

/// Where a change is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeFrom {
    /// The target's baseline year (the plan's, or the target's own `baseline_year`).
    #[default]
    Baseline,
    /// The year before each year judged (每年降低0.5个百分点: with `every_year`).
    PreviousYear,
}

impl ChangeFrom {
    fn is_default(&self) -> bool {
        *self == ChangeFrom::Baseline
    }
}

impl ChangeMethod {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeMethod::Absolute => "absolute",
            ChangeMethod::Relative => "relative",
            ChangeMethod::AnnualRate => "annual_rate",
        }
    }
}

impl FromJson for ChangeRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a change rule",
            ChangeRule {
                measure: req,
                method: req,
                input: def,
                op: def,
                amount: req,
                from: def,
                aspiration: opt,
            }
        )
    }
}

impl FromJson for ChangeMethod {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "change method",
            &[
                ("absolute", ChangeMethod::Absolute),
                ("relative", ChangeMethod::Relative),
                ("annual_rate", ChangeMethod::AnnualRate),
            ],
        )
    }
}

impl FromJson for ChangeInput {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "change input",
            &[
                ("level", ChangeInput::Level),
                ("yearly_rates", ChangeInput::YearlyRates),
            ],
        )
    }
}

impl FromJson for ChangeFrom {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "change start",
            &[
                ("baseline", ChangeFrom::Baseline),
                ("previous_year", ChangeFrom::PreviousYear),
            ],
        )
    }
}
