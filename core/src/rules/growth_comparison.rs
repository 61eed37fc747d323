//! Growth comparison: growth of one series exceeds growth of another (教育经费拨款增长高于财政
//! 经常性收入增长, the Education Law's rule on appropriations).

use serde::Serialize;

use crate::measure::Measure;
use crate::number::Num;
use crate::rules::ChangeInput;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, Object, WireError, named, read_struct};

/// The growth of `subject` exceeds the growth of `benchmark` (strictly, unless `strict` is
/// false), year on year or cumulatively from `from_year` (the plan's baseline by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GrowthComparisonRule {
    /// The series that must grow faster (education appropriation).
    pub subject: Measure,
    /// The series it is compared with (recurring fiscal revenue).
    pub benchmark: Measure,
    /// Each year against the year before, or the whole span at once.
    pub mode: GrowthMode,
    /// The first year of the comparison (default: the baseline year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_year: Option<i32>,
    /// Whether growth must be strictly higher (高于) rather than at least equal.
    #[serde(default = "yes")]
    pub strict: bool,
    /// How far the subject's growth may fall behind the benchmark's and still hold (与经济增长
    /// 基本同步: in step, within a tolerance). Only with `strict: false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Tolerance>,
    /// What both measures hold: levels (growth is computed) or yearly growth rates in percent
    /// (as statistics bulletins publish real growth).
    #[serde(default, skip_serializing_if = "is_level")]
    pub input: ChangeInput,
}

fn is_level(input: &ChangeInput) -> bool {
    *input == ChangeInput::Level
}

/// How far behind the benchmark's growth the subject's may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tolerance {
    /// Percentage points of growth: subject growth ≥ benchmark growth − points.
    Points(Num),
    /// A share of the benchmark's growth, in percent: subject growth ≥ benchmark growth −
    /// |benchmark growth| × relative_percent ÷ 100 (a falling benchmark does not tighten it).
    RelativePercent(Num),
}

pub(crate) fn yes() -> bool {
    true
}

/// How growth is compared over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrowthMode {
    /// Every year's growth over the year before.
    YearOverYear,
    /// Growth from the first year to the latest.
    Cumulative,
}

impl FromJson for GrowthComparisonRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a growth_comparison rule",
            GrowthComparisonRule {
                subject: req,
                benchmark: req,
                mode: req,
                from_year: opt,
                strict: or(yes()),
                tolerance: opt,
                input: def,
            }
        )
    }
}

impl FromJson for GrowthMode {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "growth mode",
            &[
                ("year_over_year", GrowthMode::YearOverYear),
                ("cumulative", GrowthMode::Cumulative),
            ],
        )
    }
}

impl FromJson for Tolerance {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let what = "a tolerance (`points` or `relative_percent`)";
        let mut object = Object::new(value, at, what, &["points", "relative_percent"])?;
        let points: Option<Num> = object.opt("points")?;
        let relative: Option<Num> = object.opt("relative_percent")?;
        match (points, relative) {
            (Some(p), None) => Ok(Tolerance::Points(p)),
            (None, Some(r)) => Ok(Tolerance::RelativePercent(r)),
            _ => Err(WireError::at(
                at,
                format!("expected {what}: exactly one of the two"),
            )),
        }
    }
}
