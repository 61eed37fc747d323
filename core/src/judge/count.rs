//! Judging CountRule (see [`crate::rules`] for the rule itself).

use crate::bound::Op;
use crate::context::{Ctx, Level, NotAssessable};
use crate::lookup;
use crate::rules::CountRule;
use crate::threshold::{Threshold, measure_reaches};
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

impl Threshold for CountRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        lookup::data_years(&self.measure, cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        measure_reaches(&self.measure, self.op, self.target.0, cx, year, rec)
    }

    fn goal(&self) -> Decimal {
        self.target.0
    }

    fn op(&self) -> Op {
        self.op
    }

    fn aspiration(&self) -> Option<Decimal> {
        self.aspiration.map(|a| a.0)
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some(self.unit.clone())
    }
}
