//! Duration / entitlement: years provided reach N (残疾儿童15年免费教育).

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::{Ctx, Level, NotAssessable, Threshold, measure_reaches};
use crate::measure::{self, Measure};
use crate::number::Num;
use crate::trail::Recorder;

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
}

impl Threshold for DurationRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        measure::data_years(&self.measure, cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        measure_reaches(&self.measure, self.target_years.0, cx, year, rec)
    }

    fn goal(&self) -> Decimal {
        self.target_years.0
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some("years".into())
    }
}
