//! Judging the rules that hold one measure against a limit: `count`, `value` and `duration`
//! (see [`crate::rules`] for the rules). Each says only which measure, which bound, which
//! aspiration and which unit; the [`Threshold`] they share follows from that.

use crate::bound::Op;
use crate::context::{Ctx, Level, NotAssessable, satisfies};
use crate::lookup;
use crate::measure::Measure;
use crate::rules::{CountRule, DurationRule, ValueRule};
use crate::threshold::Threshold;
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// A rule that holds one measure against a limit.
pub(crate) trait MeasureBound {
    /// What is read.
    fn measure(&self) -> &Measure;
    /// How the value must stand against the limit, and the limit.
    fn bound(&self) -> (Op, Decimal);
    /// The aspiration (力争) level, if any.
    fn aspiration_level(&self) -> Option<Decimal>;
    /// The unit of values.
    fn unit_name(&self) -> &str;
}

impl<T: MeasureBound> Threshold for T {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        lookup::data_years(self.measure(), cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        let value = lookup::read(self.measure(), cx, year, rec)?;
        let (op, limit) = self.bound();
        let met = satisfies(value, op, limit, cx.comparison(), rec);
        Ok(Level {
            value,
            met,
            ..Level::default()
        })
    }

    fn goal(&self) -> Decimal {
        self.bound().1
    }

    fn op(&self) -> Op {
        self.bound().0
    }

    fn aspiration(&self) -> Option<Decimal> {
        self.aspiration_level()
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some(self.unit_name().to_string())
    }
}

impl MeasureBound for CountRule {
    fn measure(&self) -> &Measure {
        &self.measure
    }
    fn bound(&self) -> (Op, Decimal) {
        (self.op, self.target.0)
    }
    fn aspiration_level(&self) -> Option<Decimal> {
        self.aspiration.map(|a| a.0)
    }
    fn unit_name(&self) -> &str {
        &self.unit
    }
}

impl MeasureBound for ValueRule {
    fn measure(&self) -> &Measure {
        &self.measure
    }
    fn bound(&self) -> (Op, Decimal) {
        (self.op, self.limit.0)
    }
    fn aspiration_level(&self) -> Option<Decimal> {
        self.aspiration.map(|a| a.0)
    }
    fn unit_name(&self) -> &str {
        &self.unit
    }
}

impl MeasureBound for DurationRule {
    fn measure(&self) -> &Measure {
        &self.measure
    }
    fn bound(&self) -> (Op, Decimal) {
        (self.op, self.target_years.0)
    }
    fn aspiration_level(&self) -> Option<Decimal> {
        self.aspiration.map(|a| a.0)
    }
    fn unit_name(&self) -> &str {
        "years"
    }
}
