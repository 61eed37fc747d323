//! Judging ChangeRule (see [`crate::rules`] for the rule itself): the change from the start
//! year's value to the year's, absolute, relative or as an average annual rate, from a level
//! series or from chained yearly rates; every step in the trail.

use crate::arith::{self, nth_root};
use crate::bound::Op;
use crate::context::{Ctx, Level, NotAssessable, ReasonCode, satisfies};
use crate::lookup;
use crate::number::fmt_decimal;
use crate::rules::{ChangeFrom, ChangeInput, ChangeMethod, ChangeRule};
use crate::threshold::Threshold;
use crate::trail::Recorder;
use crate::trajectory::GROWTH_DP;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

fn overflow(_: arith::Overflow) -> NotAssessable {
    NotAssessable::new(ReasonCode::ArithmeticOverflow)
}

impl ChangeRule {
    /// The year the change to `year` is measured from.
    pub(crate) fn start_year(&self, cx: &Ctx<'_, '_>, year: i32) -> i32 {
        match self.from {
            ChangeFrom::Baseline => cx.baseline_year(),
            ChangeFrom::PreviousYear => year - 1,
        }
    }

    /// The change from `start` to `year`, and the start's level (for a level series).
    fn change(
        &self,
        cx: &Ctx<'_, '_>,
        start: i32,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<(Decimal, Option<Decimal>), NotAssessable> {
        let label = self.measure.label();
        let years = u32::try_from(year - start)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                NotAssessable::new(ReasonCode::InsufficientDataPoints).with_detail(
                    format!("变化需要{start}年之后的数据"),
                    format!("a change needs a year after {start}"),
                )
            })?;
        match self.input {
            ChangeInput::Level => {
                let from = lookup::read(&self.measure, cx, start, rec)?;
                let to = lookup::read(&self.measure, cx, year, rec)?;
                let value = match self.method {
                    ChangeMethod::Absolute => {
                        let (d, exact) = arith::sub(to, from).map_err(overflow)?;
                        rec.step_inexact("change", exact, || {
                            (
                                format!(
                                    "absolute change of `{label}` {start}→{year} = {} - {}",
                                    fmt_decimal(to),
                                    fmt_decimal(from)
                                ),
                                fmt_decimal(d),
                            )
                        });
                        d
                    }
                    ChangeMethod::Relative => {
                        positive_start(&label, start, from)?;
                        let (rise, rise_exact) = arith::sub(to, from).map_err(overflow)?;
                        let (p, exact) = arith::percent(rise, from).map_err(overflow)?;
                        rec.step_inexact("change", exact && rise_exact, || {
                            (
                                format!(
                                    "relative change of `{label}` {start}→{year} = ({} - {}) ÷ {} × 100 (%)",
                                    fmt_decimal(to),
                                    fmt_decimal(from),
                                    fmt_decimal(from)
                                ),
                                fmt_decimal(p),
                            )
                        });
                        p
                    }
                    ChangeMethod::AnnualRate => {
                        positive_start(&label, start, from)?;
                        let (ratio, exact) = arith::div(to, from).map_err(overflow)?;
                        rec.step_inexact("ratio", exact, || {
                            (
                                format!(
                                    "growth factor of `{label}` {start}→{year} = {} ÷ {}",
                                    fmt_decimal(to),
                                    fmt_decimal(from)
                                ),
                                fmt_decimal(ratio),
                            )
                        });
                        average_rate(ratio, years, rec)?
                    }
                };
                Ok((value, Some(from)))
            }
            ChangeInput::YearlyRates => {
                // Each year's rate r (in %) is a factor 1 + r/100; the span's factor is their
                // product.
                let rates = (start + 1..=year)
                    .map(|y| lookup::read(&self.measure, cx, y, rec))
                    .collect::<Result<Vec<_>, _>>()?;
                let (factor, exact) = arith::chain_percent_rates(&rates).map_err(overflow)?;
                let shown: Vec<String> = rates
                    .iter()
                    .map(|r| format!("(1 + {} ÷ 100)", fmt_decimal(*r)))
                    .collect();
                if factor.is_sign_negative() && !factor.is_zero() {
                    return Err(NotAssessable::new(ReasonCode::NonPositiveBase).with_detail(
                        format!("`{label}` 的年度变化率低于 -100%"),
                        format!("`{label}` has a yearly rate below -100%"),
                    ));
                }
                rec.step_inexact("chain", exact, || {
                    (
                        format!(
                            "growth factor of `{label}` {start}→{year} chained from yearly rates = {}",
                            shown.join(" × ")
                        ),
                        fmt_decimal(factor),
                    )
                });
                let value = match self.method {
                    ChangeMethod::Relative => {
                        let (d, e1) = arith::sub(factor, Decimal::ONE).map_err(overflow)?;
                        let (p, e2) = arith::mul(d, Decimal::ONE_HUNDRED).map_err(overflow)?;
                        rec.step_inexact("change", e1 && e2, || {
                            (
                                format!(
                                    "cumulative relative change = ({} - 1) × 100 (%)",
                                    fmt_decimal(factor)
                                ),
                                fmt_decimal(p),
                            )
                        });
                        p
                    }
                    // Absolute changes cannot come from rates (`check` refuses the pair).
                    ChangeMethod::AnnualRate | ChangeMethod::Absolute => {
                        average_rate(factor, years, rec)?
                    }
                };
                Ok((value, None))
            }
        }
    }
}

fn positive_start(label: &str, start: i32, from: Decimal) -> Result<(), NotAssessable> {
    if from <= Decimal::ZERO {
        return Err(NotAssessable::new(ReasonCode::NonPositiveBase).with_detail(
            format!("{start}年 `{label}` 为 {}", fmt_decimal(from)),
            format!("`{label}` is {} in {start}", fmt_decimal(from)),
        ));
    }
    Ok(())
}

/// (factor^(1/years) − 1) × 100: the average annual rate in percent, the root rounded
/// half-even to 16 places.
fn average_rate(factor: Decimal, years: u32, rec: &mut Recorder) -> Result<Decimal, NotAssessable> {
    let root = nth_root(factor, years, GROWTH_DP).ok_or_else(|| {
        NotAssessable::new(ReasonCode::NonPositiveBase).with_detail(
            format!("增长系数 {} 不能开方", fmt_decimal(factor)),
            format!("growth factor {} has no real root", fmt_decimal(factor)),
        )
    })?;
    let (d, _) = arith::sub(root, Decimal::ONE).map_err(overflow)?;
    let (p, _) = arith::mul(d, Decimal::ONE_HUNDRED).map_err(overflow)?;
    rec.step_inexact("root", years == 1 && root == factor, || {
        (
            format!(
                "average annual rate = (({})^(1/{years}) - 1) × 100 (%), the root rounded half-even to {GROWTH_DP} places",
                fmt_decimal(factor)
            ),
            fmt_decimal(p),
        )
    });
    Ok(p)
}

impl Threshold for ChangeRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        lookup::data_years(&self.measure, cx)
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        let start = self.start_year(cx, year);
        let (value, from) = self.change(cx, start, year, rec)?;
        let met = satisfies(value, self.op, self.amount.0, cx.comparison(), rec);
        Ok(Level {
            value,
            met,
            start: from.map(|f| (start, f)),
            ..Level::default()
        })
    }

    /// The change from the baseline to itself is none; the baseline's value must still exist.
    fn baseline_level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        if self.input == ChangeInput::Level {
            lookup::read(&self.measure, cx, year, rec)?;
        }
        Ok(Level::default())
    }

    fn goal(&self) -> Decimal {
        self.amount.0
    }

    fn op(&self) -> Op {
        self.op
    }

    fn aspiration(&self) -> Option<Decimal> {
        self.aspiration.map(|a| a.0)
    }

    fn averaged(&self) -> bool {
        self.method == ChangeMethod::AnnualRate
    }

    fn unit(&self, cx: &Ctx<'_, '_>) -> Option<String> {
        match self.method {
            ChangeMethod::Absolute => lookup::unit_of(&self.measure, cx).map(|u| {
                if u == "%" {
                    "percentage points".to_string()
                } else {
                    u
                }
            }),
            ChangeMethod::Relative | ChangeMethod::AnnualRate => Some("%".into()),
        }
    }
}
