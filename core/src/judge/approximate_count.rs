//! Judging AboveBand (see [`crate::rules`] for the rule itself).

use crate::arith::round_half_even;
use crate::context::{Ctx, Level, NotAssessable};
use crate::lookup;
use crate::number::fmt_decimal;
use crate::plan::Comparison;
use crate::report::Band;
use crate::rules::{AboveBand, ApproximateCountRule};
use crate::threshold::Threshold;
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

impl Threshold for ApproximateCountRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        lookup::data_years(&self.measure, cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        let raw = lookup::read(&self.measure, cx, year, rec)?;
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
