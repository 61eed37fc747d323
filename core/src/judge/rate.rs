//! Judging RateRule (see [`crate::rules`] for the rule itself).

use crate::arith;
use crate::bound::Op;
use crate::context::{Ctx, Level, NotAssessable, ReasonCode};
use crate::lookup;
use crate::measure::{AttributeFilter, Measure};
use crate::number::fmt_decimal;
use crate::plan::Comparison;
use crate::prepare::{CellValue, EntityRef};
use crate::report::{Culprit, CulpritDetail};
use crate::rules::RateRule;
use crate::threshold::Threshold;
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

fn overflow(_: arith::Overflow) -> NotAssessable {
    NotAssessable::new(ReasonCode::ArithmeticOverflow)
}

/// A rate whose two parts sum fields of one entity kind with one filter: the kind, the
/// numerator's and denominator's fields, the filter.
type OneKind<'r> = (&'r str, &'r str, &'r str, &'r [AttributeFilter]);

impl RateRule {
    /// The kind, fields and filter when both parts sum one entity kind with one filter (the
    /// rates whose entities can be below it one by one).
    fn one_kind(&self) -> Option<OneKind<'_>> {
        match (&self.numerator, &self.denominator) {
            (
                Measure::EntitySum {
                    entity_kind: k1,
                    field: f1,
                    filter,
                    ..
                },
                Measure::EntitySum {
                    entity_kind: k2,
                    field: f2,
                    filter: filter2,
                    ..
                },
            ) if k1 == k2 && filter == filter2 => Some((k1, f1, f2, filter)),
            _ => None,
        }
    }

    /// An entity's own ratio as a culprit, when it falls short of the rate.
    fn below(
        &self,
        e: EntityRef<'_, '_>,
        year: i32,
        n: CellValue,
        d: CellValue,
    ) -> Option<Culprit> {
        let (CellValue::Num(n), CellValue::Num(d)) = (n, d) else {
            return None;
        };
        let target = self.target_percent.0;
        let short = d > Decimal::ZERO
            && !self
                .op
                .holds(arith::compare_products(n, Decimal::ONE_HUNDRED, target, d));
        short.then(|| Culprit {
            id: e.shared_id(),
            name: e.name.map(str::to_string),
            problem: "below_target",
            detail: CulpritDetail::Ratio {
                year,
                numerator: n,
                denominator: d,
                op: self.op,
                target,
            },
        })
    }

    /// Entities whose own ratio falls short, when both parts sum one entity kind.
    fn entities_below(&self, cx: &Ctx<'_, '_>, year: i32) -> Vec<Culprit> {
        let Some((kind, f1, f2, filter)) = self.one_kind() else {
            return Vec::new();
        };
        let mut quiet = Recorder::new(false);
        let (f1, f2) = (
            lookup::kind_field(cx, kind, f1),
            lookup::kind_field(cx, kind, f2),
        );
        let mut out = Vec::new();
        for e in lookup::population(cx, kind, filter, year).filter(|e| e.passes(filter)) {
            let n = lookup::read_entity_cell(cx, &mut quiet, kind, &f1, e, year);
            let d = lookup::read_entity_cell(cx, &mut quiet, kind, &f2, e, year);
            out.extend(self.below(e, year, n, d));
        }
        out
    }

    /// The numerator's and denominator's totals in a year and the entities below the rate
    /// (when `list` says), in one pass over the population instead of three (each sum, then
    /// the entities below): for a rate whose two parts sum fields of one entity kind with one
    /// filter in the year itself (a table of schools), when no trail is recorded (a trail
    /// lists the numerator's inputs, then the denominator's). `None` for any other rate, which
    /// [`lookup::read`] and [`RateRule::entities_below`] judge. The totals, their reasons and
    /// the culprits are theirs: the same cells pushed to the same accumulators, the entities
    /// below taken in the same order by the same test.
    #[allow(clippy::type_complexity)]
    fn in_one_pass(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        trail: bool,
        list: bool,
    ) -> Option<(
        Result<Decimal, NotAssessable>,
        Result<Decimal, NotAssessable>,
        Vec<Culprit>,
    )> {
        let latest = |m: &Measure| m.over_time() == crate::measure::OverTime::Latest;
        // Not on WebAssembly: a web form's few records gain nothing, and the package's size
        // budget has no room for a second way.
        if cfg!(target_family = "wasm")
            || trail
            || !latest(&self.numerator)
            || !latest(&self.denominator)
        {
            return None;
        }
        let (kind, f1, f2, filter) = self.one_kind()?;
        let policy = cx.target.missing_data;
        let (mut n_acc, mut d_acc) = (
            lookup::Accumulator::new(policy),
            lookup::Accumulator::new(policy),
        );
        let (f1, f2) = (
            lookup::kind_field(cx, kind, f1),
            lookup::kind_field(cx, kind, f2),
        );
        let mut quiet = Recorder::new(false);
        let mut below = Vec::new();
        let mut any = false;
        for e in lookup::population(cx, kind, filter, year) {
            any = true;
            if e.filter_outcome(filter).is_none() {
                // Cannot tell whether it belongs: missing to both sums, never below.
                n_acc.push(CellValue::Missing);
                d_acc.push(CellValue::Missing);
                continue;
            }
            let n = lookup::read_entity_cell(cx, &mut quiet, kind, &f1, e, year);
            let d = lookup::read_entity_cell(cx, &mut quiet, kind, &f2, e, year);
            n_acc.push(n);
            d_acc.push(d);
            if list && let Some(c) = self.below(e, year, n, d) {
                below.push(c);
            }
        }
        let total = |acc: lookup::Accumulator, m: &Measure| {
            if !any {
                return Err(NotAssessable::new(ReasonCode::EmptyPopulation));
            }
            acc.finish(&m.label(), year, &mut Recorder::new(false))
        };
        Some((
            total(n_acc, &self.numerator),
            total(d_acc, &self.denominator),
            below,
        ))
    }

    /// The standing in a year; the entities below the rate listed when `list` says.
    fn level_listing(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
        list: bool,
    ) -> Result<Level, NotAssessable> {
        let (num, den, below) = match self.in_one_pass(cx, year, rec.enabled(), list) {
            Some((num, den, below)) => (num?, den?, Some(below)),
            None => (
                lookup::read(&self.numerator, cx, year, rec)?,
                lookup::read(&self.denominator, cx, year, rec)?,
                None,
            ),
        };
        if den.is_zero() {
            return Err(NotAssessable::new(ReasonCode::ZeroDenominator).with_detail(
                format!("{year}年 `{}` 为0", self.denominator.label()),
                format!("`{}` is 0 in {year}", self.denominator.label()),
            ));
        }
        if num > den && !self.gross {
            return Err(
                NotAssessable::new(ReasonCode::NumeratorExceedsDenominator).with_detail(
                    format!(
                        "{year}年 `{}` {} 大于 `{}` {}",
                        self.numerator.label(),
                        fmt_decimal(num),
                        self.denominator.label(),
                        fmt_decimal(den)
                    ),
                    format!(
                        "`{}` {} exceeds `{}` {} in {year}",
                        self.numerator.label(),
                        fmt_decimal(num),
                        self.denominator.label(),
                        fmt_decimal(den)
                    ),
                ),
            );
        }
        let (pct, exact) = arith::percent(num, den).map_err(overflow)?;
        rec.step_inexact("ratio", exact, || {
            (
                format!("{year}: {} ÷ {} × 100", fmt_decimal(num), fmt_decimal(den)),
                fmt_decimal(pct),
            )
        });
        let target = self.target_percent.0;
        let met = match cx.comparison() {
            Comparison::FullValue => {
                let op = self.op;
                let met = op.holds(arith::compare_products(
                    num,
                    Decimal::ONE_HUNDRED,
                    target,
                    den,
                ));
                rec.step("compare", || {
                    (
                        format!(
                            "full-value comparison, exact by cross-multiplication: {} × 100 {op} {} × {}",
                            fmt_decimal(num),
                            fmt_decimal(target),
                            fmt_decimal(den)
                        ),
                        met.to_string(),
                    )
                });
                met
            }
            Comparison::RoundedValue { decimals } => {
                let rounded = arith::round_percent(num, den, decimals).map_err(overflow)?;
                let op = self.op;
                let met = op.holds(rounded.cmp(&target));
                // Unrounded only when the exact percentage already had those places.
                rec.step_inexact("round", exact && rounded == pct, || {
                    (
                        format!(
                            "round {} ÷ {} × 100 half-even to {decimals} places",
                            fmt_decimal(num),
                            fmt_decimal(den)
                        ),
                        rounded.to_string(),
                    )
                });
                rec.step("compare", || {
                    (
                        format!(
                            "rounded-value comparison: {rounded} {op} {}",
                            fmt_decimal(target)
                        ),
                        met.to_string(),
                    )
                });
                met
            }
        };
        let culprits = match below {
            _ if met || !list => Vec::new(),
            Some(below) => below,
            None => self.entities_below(cx, year),
        };
        Ok(Level {
            value: pct,
            met,
            culprits,
            ..Level::default()
        })
    }
}

impl Threshold for RateRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        let mut y = lookup::data_years(&self.numerator, cx);
        y.extend(lookup::data_years(&self.denominator, cx));
        y
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        self.level_listing(cx, year, rec, true)
    }

    fn level_without_culprits(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        self.level_listing(cx, year, rec, false)
    }

    fn goal(&self) -> Decimal {
        self.target_percent.0
    }

    fn op(&self) -> Op {
        self.op
    }

    fn aspiration(&self) -> Option<Decimal> {
        self.aspiration.map(|a| a.0)
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some("%".into())
    }
}
