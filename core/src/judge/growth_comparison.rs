//! Judging GrowthComparisonRule (see [`crate::rules`] for the rule itself).

use crate::arith;
use crate::context::{Ctx, NotAssessable, Outcome, ReasonCode};
use crate::lookup;
use crate::measure::Measure;
use crate::number::{Num, fmt_decimal};
use crate::plan::MissingData;
use crate::report::{Culprit, CulpritDetail, Grade, Status, Trajectory, TrajectoryMethod};
use crate::rules::{ChangeInput, GrowthComparisonRule, GrowthMode, Tolerance};
use crate::text::Text;
use crate::trail::Recorder;
use crate::trajectory::{GROWTH_DP, R_DP, accelerate_threshold};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::sync::Arc;

fn overflow(_: arith::Overflow) -> NotAssessable {
    NotAssessable::new(ReasonCode::ArithmeticOverflow)
}

/// One compared step.
struct Comparison {
    from: i32,
    to: i32,
    subject_growth: Decimal,
    benchmark_growth: Decimal,
    holds: bool,
}

impl GrowthComparisonRule {
    fn value(
        &self,
        m: &Measure,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Option<Decimal>, NotAssessable> {
        match lookup::read(m, cx, year, rec) {
            Ok(v) => Ok(Some(v)),
            Err(na)
                if na.code == ReasonCode::MissingValue
                    && cx.target.missing_data == MissingData::SkipIfAll =>
            {
                Ok(None)
            }
            Err(na) => Err(na),
        }
    }

    /// Growth from `a` to `b`, exact when it divides out, else 16 places half-even.
    fn growth(
        &self,
        label: &str,
        a: Decimal,
        b: Decimal,
        from: i32,
        to: i32,
        rec: &mut Recorder,
    ) -> Result<Decimal, NotAssessable> {
        if a <= Decimal::ZERO {
            return Err(NotAssessable::new(ReasonCode::NonPositiveBase).with_detail(
                format!("{from}年 `{label}` 为 {}", fmt_decimal(a)),
                format!("`{label}` is {} in {from}", fmt_decimal(a)),
            ));
        }
        let (rise, rise_exact) = arith::sub(b, a).map_err(overflow)?;
        let (g, exact) = arith::div(rise, a).map_err(overflow)?;
        // An exact growth is kept; any other is rounded once, from the exact quotient.
        let (g, exact) = if exact {
            (g, rise_exact)
        } else {
            (
                arith::div_dp(rise, a, GROWTH_DP).map_err(overflow)?.0,
                false,
            )
        };
        rec.step_inexact("growth", exact, || {
            (
                format!(
                    "growth of `{label}` {from}→{to} = ({} - {}) ÷ {}",
                    fmt_decimal(b),
                    fmt_decimal(a),
                    fmt_decimal(a)
                ),
                fmt_decimal(g),
            )
        });
        Ok(g)
    }

    /// Growth over `from`→`to` chained from yearly rates (in %): ∏(1 + r ÷ 100) − 1.
    fn chained(
        &self,
        m: &Measure,
        cx: &Ctx<'_, '_>,
        from: i32,
        to: i32,
        rec: &mut Recorder,
    ) -> Result<Option<Decimal>, NotAssessable> {
        let mut rates = Vec::new();
        for y in from + 1..=to {
            let Some(r) = self.value(m, cx, y, rec)? else {
                return Ok(None);
            };
            rates.push(r);
        }
        let (factor, exact) = arith::chain_percent_rates(&rates).map_err(overflow)?;
        let (g, e) = arith::sub(factor, Decimal::ONE).map_err(overflow)?;
        let label = m.label();
        rec.step_inexact("growth", exact && e, || {
            (
                format!("growth of `{label}` {from}→{to} from its yearly rates (%), chained"),
                fmt_decimal(g),
            )
        });
        Ok(Some(g))
    }

    /// Whether the subject's growth holds against the benchmark's, with the tolerance.
    fn holds_with_tolerance(
        &self,
        tol: Tolerance,
        subject: Decimal,
        benchmark: Decimal,
        from: i32,
        to: i32,
        rec: &mut Recorder,
    ) -> Result<bool, NotAssessable> {
        let (floor, exact) = match tol {
            Tolerance::Points(p) => {
                let (t, e1) = arith::div(p.0, Decimal::ONE_HUNDRED).map_err(overflow)?;
                let (f, e2) = arith::sub(benchmark, t).map_err(overflow)?;
                (f, e1 && e2)
            }
            Tolerance::RelativePercent(p) => {
                // A share of the benchmark's growth, whichever its sign: behind by at most
                // |benchmark| × p%, so a falling benchmark does not tighten the tolerance.
                let (t, e1) = arith::div(p.0, Decimal::ONE_HUNDRED).map_err(overflow)?;
                let (slack, e2) = arith::mul(benchmark.abs(), t).map_err(overflow)?;
                let (f, e3) = arith::sub(benchmark, slack).map_err(overflow)?;
                (f, e1 && e2 && e3)
            }
        };
        let holds = if self.strict {
            subject > floor
        } else {
            subject >= floor
        };
        rec.step_inexact("compare", exact, || {
            let how = match tol {
                Tolerance::Points(p) => format!("{} - {p} percentage points", pct(benchmark)),
                Tolerance::RelativePercent(p) => {
                    format!("{} - |{}| × {p}%", pct(benchmark), pct(benchmark))
                }
            };
            (
                format!(
                    "{from}→{to} in step within the tolerance: {}% ≥ {how} = {}%",
                    pct(subject),
                    pct(floor)
                ),
                holds.to_string(),
            )
        });
        Ok(holds)
    }

    fn compare(
        &self,
        cx: &Ctx<'_, '_>,
        from: i32,
        to: i32,
        rec: &mut Recorder,
    ) -> Result<Option<Comparison>, NotAssessable> {
        let skipped = |rec: &mut Recorder| {
            rec.step("missing", || {
                (
                    format!("skip_if_all: {from}→{to} lacks a value and is left out"),
                    "skipped".into(),
                )
            });
            Ok(None)
        };
        if self.input == ChangeInput::YearlyRates {
            let s = self.chained(&self.subject, cx, from, to, rec)?;
            let b = self.chained(&self.benchmark, cx, from, to, rec)?;
            let (Some(subject_growth), Some(benchmark_growth)) = (s, b) else {
                return skipped(rec);
            };
            let holds = match self.tolerance {
                Some(tol) => {
                    self.holds_with_tolerance(tol, subject_growth, benchmark_growth, from, to, rec)?
                }
                None => {
                    let holds = if self.strict {
                        subject_growth > benchmark_growth
                    } else {
                        subject_growth >= benchmark_growth
                    };
                    rec.step("compare", || {
                        (
                            format!(
                                "{from}→{to}: {}% {} {}%",
                                pct(subject_growth),
                                if self.strict { ">" } else { "≥" },
                                pct(benchmark_growth)
                            ),
                            holds.to_string(),
                        )
                    });
                    holds
                }
            };
            return Ok(Some(Comparison {
                from,
                to,
                subject_growth,
                benchmark_growth,
                holds,
            }));
        }
        let (sa, sb) = (
            self.value(&self.subject, cx, from, rec)?,
            self.value(&self.subject, cx, to, rec)?,
        );
        let (ba, bb) = (
            self.value(&self.benchmark, cx, from, rec)?,
            self.value(&self.benchmark, cx, to, rec)?,
        );
        let (Some(sa), Some(sb), Some(ba), Some(bb)) = (sa, sb, ba, bb) else {
            return skipped(rec);
        };
        let subject_growth = self.growth(&self.subject.label(), sa, sb, from, to, rec)?;
        let benchmark_growth = self.growth(&self.benchmark.label(), ba, bb, from, to, rec)?;
        if let Some(tol) = self.tolerance {
            let holds =
                self.holds_with_tolerance(tol, subject_growth, benchmark_growth, from, to, rec)?;
            return Ok(Some(Comparison {
                from,
                to,
                subject_growth,
                benchmark_growth,
                holds,
            }));
        }
        // Exact: (sb - sa) / sa > (bb - ba) / ba  ⇔  (sb - sa) × ba > (bb - ba) × sa (both bases > 0).
        // The products are compared exactly; the differences are exact unless their operands'
        // digits span more than a decimal holds (then rounded under the contract, and the step
        // says so).
        let (ds, ds_exact) = arith::sub(sb, sa).map_err(overflow)?;
        let (db, db_exact) = arith::sub(bb, ba).map_err(overflow)?;
        let order = arith::compare_products(ds, ba, db, sa);
        let holds = if self.strict {
            order.is_gt()
        } else {
            order.is_ge()
        };
        rec.step_inexact("compare", ds_exact && db_exact, || {
            (
                format!(
                    "{from}→{to}: ({} - {}) × {} {} ({} - {}) × {}, {}",
                    fmt_decimal(sb),
                    fmt_decimal(sa),
                    fmt_decimal(ba),
                    if self.strict { ">" } else { "≥" },
                    fmt_decimal(bb),
                    fmt_decimal(ba),
                    fmt_decimal(sa),
                    if ds_exact && db_exact {
                        "exact"
                    } else {
                        "differences rounded to 28 digits, products compared exactly"
                    }
                ),
                holds.to_string(),
            )
        });
        Ok(Some(Comparison {
            from,
            to,
            subject_growth,
            benchmark_growth,
            holds,
        }))
    }

    pub(crate) fn judge(&self, cx: &Ctx<'_, '_>, rec: &mut Recorder) -> Outcome {
        let mut out = Outcome {
            unit: Some("%".into()),
            ..Outcome::default()
        };
        let first = self.from_year.unwrap_or_else(|| cx.baseline_year());
        let last = cx.last_visible_year();
        let mut years: BTreeSet<i32> = lookup::data_years(&self.subject, cx);
        years.extend(lookup::data_years(&self.benchmark, cx));
        let latest = years.into_iter().rfind(|y| *y >= first && *y <= last);
        let stop = |mut out: Outcome, na: NotAssessable| {
            out.status = Some(Status::NotAssessable);
            out.not_assessable = Some(na);
            out
        };
        let Some(latest) = latest.filter(|l| *l > first) else {
            let na = NotAssessable::new(ReasonCode::InsufficientDataPoints).with_detail(
                format!("需要{first}年及之后至少一年的数据"),
                format!("needs {first} and at least one later year"),
            );
            return stop(out, na);
        };
        let spans: Vec<(i32, i32)> = match self.mode {
            GrowthMode::YearOverYear => (first..latest).map(|y| (y, y + 1)).collect(),
            GrowthMode::Cumulative => vec![(first, latest)],
        };
        // Compare every span; a span that cannot be judged is kept aside, because one failing
        // span already decides the target whatever the others say.
        let mut done = Vec::new();
        let mut undecided: Option<NotAssessable> = None;
        for (a, b) in spans {
            match self.compare(cx, a, b, rec) {
                Ok(Some(c)) => done.push(c),
                Ok(None) => {}
                Err(na) => {
                    undecided.get_or_insert(na);
                }
            }
        }
        let any_failed = done.iter().any(|c| !c.holds);
        if !any_failed && let Some(na) = undecided {
            return stop(out, na);
        }
        if done.is_empty() {
            return stop(out, NotAssessable::new(ReasonCode::MissingValue));
        }
        let hundred = Decimal::ONE_HUNDRED;
        // Observed: the subject's latest growth; target: the benchmark's growth that year (%).
        if let Some(last_cmp) = done.last() {
            out.observed = Some((last_cmp.to, last_cmp.subject_growth))
                .and_then(|(year, g)| Some((year, arith::mul(g, hundred).ok()?.0)));
            out.goal = arith::mul(last_cmp.benchmark_growth, hundred)
                .ok()
                .map(|(p, _)| p);
        }
        let failed: Vec<&Comparison> = done.iter().filter(|c| !c.holds).collect();
        out.culprits = failed
            .iter()
            .map(|c| Culprit {
                id: Arc::from(format!("{}-{}", c.from, c.to)),
                name: None,
                problem: "failed_year",
                detail: CulpritDetail::Text {
                    zh: format!(
                        "{}→{}：`{}` 增长 {}%，`{}` 增长 {}%",
                        c.from,
                        c.to,
                        self.subject.label(),
                        pct(c.subject_growth),
                        self.benchmark.label(),
                        pct(c.benchmark_growth)
                    ),
                    en: format!(
                        "{}→{}: `{}` grew {}%, `{}` grew {}%",
                        c.from,
                        c.to,
                        self.subject.label(),
                        pct(c.subject_growth),
                        self.benchmark.label(),
                        pct(c.benchmark_growth)
                    ),
                },
            })
            .collect();
        let (sub, bench) = (self.subject.label(), self.benchmark.label());
        let spans = done.len();
        out.explanation = Some(if failed.is_empty() {
            match self.tolerance {
                Some(tol) => {
                    let (tz, te) = match tol {
                        Tolerance::Points(p) => {
                            (format!("{p}个百分点"), format!("{p} percentage points"))
                        }
                        Tolerance::RelativePercent(p) => (format!("{p}%"), format!("{p}%")),
                    };
                    Text::new(
                        format!(
                            "{spans}个比较期中 `{sub}` 的增长均与 `{bench}` 基本同步（容差{tz}）"
                        ),
                        format!(
                            "`{sub}` grew in step with `{bench}` (tolerance {te}) in all {spans} compared periods"
                        ),
                    )
                }
                None if self.strict => Text::new(
                    format!("{spans}个比较期中 `{sub}` 的增长均高于 `{bench}`"),
                    format!("`{sub}` grew faster than `{bench}` in all {spans} compared periods"),
                ),
                None => Text::new(
                    format!("{spans}个比较期中 `{sub}` 的增长均不低于 `{bench}`"),
                    format!(
                        "`{sub}` grew at least as fast as `{bench}` in all {spans} compared periods"
                    ),
                ),
            }
        } else {
            let zh: Vec<String> = out.culprits.iter().map(Culprit::zh).collect();
            let en: Vec<String> = out.culprits.iter().map(Culprit::en).collect();
            let (zh, en) = match self.tolerance {
                Some(Tolerance::Points(p)) => (
                    vec![format!("落后超过容差{p}个百分点：{}", zh.join("；"))],
                    vec![format!(
                        "behind by more than the tolerance of {p} percentage points: {}",
                        en.join("; ")
                    )],
                ),
                Some(Tolerance::RelativePercent(p)) => (
                    vec![format!("落后超过容差{p}%：{}", zh.join("；"))],
                    vec![format!(
                        "behind by more than the tolerance of {p}%: {}",
                        en.join("; ")
                    )],
                ),
                None => (zh, en),
            };
            Text::new(
                format!(
                    "{spans}个比较期中有{}个未满足：{}",
                    failed.len(),
                    zh.join("；")
                ),
                format!(
                    "{} of {spans} compared periods fail: {}",
                    failed.len(),
                    en.join("; ")
                ),
            )
        });
        // R for the worst failing step: subject growth ÷ benchmark growth.
        let worst = failed.iter().min_by(|x, y| {
            let rx = ratio(x.subject_growth, x.benchmark_growth);
            let ry = ratio(y.subject_growth, y.benchmark_growth);
            rx.cmp(&ry)
        });
        let deadline_year = cx.target.deadline.year();
        let complete = latest >= deadline_year;
        if failed.is_empty() {
            if cx.deadline_reached() {
                if complete {
                    out.status = Some(Status::Met);
                } else {
                    let na = NotAssessable::new(ReasonCode::MissingValue).with_detail(
                        format!("缺少{deadline_year}年的数据"),
                        format!("no data for {deadline_year}"),
                    );
                    return stop(out, na);
                }
            } else {
                out.status = Some(Status::OnTrack);
            }
            return out;
        }
        if cx.deadline_reached() {
            out.status = Some(Status::NotMet);
            return out;
        }
        let (r, grade, r_exact) = match worst {
            Some(c) if c.benchmark_growth > Decimal::ZERO => {
                // Beyond the range only when the subject fell far more than the benchmark grew
                // (a failing period's subject growth is at most the benchmark's): no R shown.
                let quotient = arith::div_dp(c.subject_growth, c.benchmark_growth, R_DP).ok();
                let r = quotient.map(|(r, _)| r);
                let grade = match r {
                    Some(r) if r >= accelerate_threshold() => Grade::Accelerate,
                    Some(r) if r >= Decimal::ZERO => Grade::Insufficient,
                    _ => Grade::Regressing,
                };
                (r, grade, quotient.is_none_or(|(_, exact)| exact))
            }
            Some(c) if c.subject_growth < Decimal::ZERO => (None, Grade::Regressing, true),
            _ => (None, Grade::Insufficient, true),
        };
        if let Some(c) = worst {
            rec.step_inexact("r", r_exact, || {
                (
                    format!(
                        "worst step {}→{}: R = {} ÷ {} rounded half-even to {R_DP} places",
                        c.from,
                        c.to,
                        fmt_decimal(c.subject_growth),
                        fmt_decimal(c.benchmark_growth)
                    ),
                    r.map(|r| r.to_string())
                        .unwrap_or_else(|| "undefined".into()),
                )
            });
        }
        out.trajectory = Some(Trajectory {
            method: TrajectoryMethod::GrowthRatio,
            observed_growth: worst.map(|c| Num(c.subject_growth)),
            required_growth: worst.map(|c| Num(c.benchmark_growth)),
            r: r.map(Num),
        });
        out.status = Some(Status::OffTrack);
        out.grade = Some(grade);
        out
    }
}

fn ratio(a: Decimal, b: Decimal) -> Decimal {
    if b.is_zero() {
        return Decimal::MIN;
    }
    arith::div_dp(a, b, R_DP)
        .map(|(q, _)| q)
        .unwrap_or(Decimal::MIN)
}

/// A growth rate as a percentage with two places, for messages.
fn pct(g: Decimal) -> String {
    arith::mul(g, Decimal::ONE_HUNDRED).map_or_else(
        |_| fmt_decimal(g),
        |(p, _)| fmt_decimal(arith::round_half_even(p, 2)),
    )
}
