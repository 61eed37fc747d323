//! Count: a quantity reaches N (50 cadres, 100 bases, 500 certification points).

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::{Ctx, Level, NotAssessable, Threshold, measure_reaches};
use crate::measure::{self, Measure};
use crate::number::Num;
use crate::trail::Recorder;

/// A quantity reaches `target` (inclusive: 达到 N means ≥ N).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountRule {
    /// What is counted.
    pub measure: Measure,
    /// The number to reach.
    pub target: Num,
    /// The unit, which must be the measure's.
    pub unit: String,
}

impl Threshold for CountRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        measure::data_years(&self.measure, cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        measure_reaches(&self.measure, self.target.0, cx, year, rec)
    }

    fn goal(&self) -> Decimal {
        self.target.0
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some(self.unit.clone())
    }
}
