//! Approximate count: "about N" (30名左右) with a declared tolerance band.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::arith::round_half_even;
use crate::eval::{Ctx, Level, NotAssessable, Threshold};
use crate::measure::{self, Measure};
use crate::number::{Num, fmt_decimal};
use crate::plan::Comparison;
use crate::report::Band;
use crate::trail::Recorder;

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

impl Threshold for ApproximateCountRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        measure::data_years(&self.measure, cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        let raw = measure::read(&self.measure, cx, year, rec)?;
        let value = match cx.comparison() {
            Comparison::FullValue => raw,
            Comparison::RoundedValue { decimals } => {
                let r = round_half_even(raw, decimals);
                rec.step_inexact("round", r == raw, || {
                    (
                        format!("round {} half-even to {decimals} places", fmt_decimal(raw)),
                        r.to_string(),
                    )
                });
                r
            }
        };
        let (lower, upper) = (self.lower.0, self.upper.0);
        let position = if value < lower {
            "below"
        } else if value > upper {
            "above"
        } else {
            "within"
        };
        let met = match position {
            "within" => true,
            "above" => self.above_band == AboveBand::Met,
            _ => false,
        };
        rec.step("compare", || {
            (
                format!(
                    "band [{lower}, {upper}] around {}: {} is {position}; above the band counts as {}",
                    self.nominal,
                    fmt_decimal(value),
                    if self.above_band == AboveBand::Met { "met" } else { "not met" }
                ),
                met.to_string(),
            )
        });
        Ok(Level {
            value: raw,
            met,
            band_position: Some(position),
            ..Level::default()
        })
    }

    fn goal(&self) -> Decimal {
        self.lower.0
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some(self.unit.clone())
    }

    fn band(&self) -> Option<Band> {
        Some(Band {
            nominal: self.nominal,
            lower: self.lower,
            upper: self.upper,
            position: None,
        })
    }
}
