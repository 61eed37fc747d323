//! Judging Condition (see [`crate::rules`] for the rule itself).

use crate::arith;
use crate::context::{Ctx, Level, NotAssessable, ReasonCode};
use crate::lookup::{self, read_entity_cell};
use crate::number::fmt_decimal;
use crate::plan::{Comparison, MissingData};
use crate::prepare::{CellValue, EntityRef};
use crate::report::{Counts, Culprit};
use crate::rules::{Condition, CoverageRule};
use crate::threshold::Threshold;
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// The messages many entities share (a field missing in a year), written once per level.
#[derive(Default)]
struct Messages {
    missing: Vec<(i32, String, (String, String))>,
}

impl Messages {
    fn missing(&mut self, year: i32, field: &str) -> (String, String) {
        if let Some((.., m)) = self
            .missing
            .iter()
            .find(|(y, f, _)| *y == year && f == field)
        {
            return m.clone();
        }
        let m = (
            format!("{year}年缺少 `{field}`"),
            format!("`{field}` missing for {year}"),
        );
        self.missing.push((year, field.to_string(), m.clone()));
        m
    }
}

/// One entity's standing.
enum Verdict {
    Met,
    Unmet(String, String),
    Missing(String, String),
    Bad(usize),
}

impl CoverageRule {
    fn verdict(
        &self,
        cx: &Ctx<'_, '_>,
        e: EntityRef<'_, '_>,
        year: i32,
        rec: &mut Recorder,
        messages: &mut Messages,
    ) -> Verdict {
        let kind = self.entity_kind.as_str();
        let mut missing = |f: &str| {
            let (zh, en) = messages.missing(year, f);
            Verdict::Missing(zh, en)
        };
        let num = |v: CellValue| -> Result<Option<Decimal>, usize> {
            match v {
                CellValue::Num(d) => Ok(Some(d)),
                CellValue::Bad(d) => Err(d),
                _ => Ok(None),
            }
        };
        match &self.condition {
            Condition::IsTrue { field } => match read_entity_cell(cx, rec, kind, field, e, year) {
                CellValue::Flag(true) => Verdict::Met,
                CellValue::Flag(false) => Verdict::Unmet(
                    format!("{year}年 `{field}` 为否"),
                    format!("`{field}` is false in {year}"),
                ),
                CellValue::Bad(d) => Verdict::Bad(d),
                _ => missing(field),
            },
            Condition::AtLeast { field, value } => {
                match num(read_entity_cell(cx, rec, kind, field, e, year)) {
                    Err(d) => Verdict::Bad(d),
                    Ok(None) => missing(field),
                    Ok(Some(v)) if v >= value.0 => Verdict::Met,
                    Ok(Some(v)) => Verdict::Unmet(
                        format!("{year}年 `{field}` = {}，低于 {value}", fmt_decimal(v)),
                        format!("`{field}` = {} in {year}, below {value}", fmt_decimal(v)),
                    ),
                }
            }
            Condition::RatioAtLeast {
                numerator,
                denominator,
                percent,
            } => {
                let n = num(read_entity_cell(cx, rec, kind, numerator, e, year));
                let d = num(read_entity_cell(cx, rec, kind, denominator, e, year));
                match (n, d) {
                    (Err(b), _) | (_, Err(b)) => Verdict::Bad(b),
                    (Ok(None), _) => missing(numerator),
                    (_, Ok(None)) => missing(denominator),
                    (Ok(Some(_)), Ok(Some(d))) if d.is_zero() => Verdict::Missing(
                        format!("{year}年 `{denominator}` 为0，无法计算比例"),
                        format!("`{denominator}` is 0 in {year}, so there is no ratio"),
                    ),
                    (Ok(Some(n)), Ok(Some(d))) => {
                        let met = match cx.comparison() {
                            Comparison::FullValue => {
                                arith::percent_at_least(n, d, percent.0).unwrap_or(false)
                            }
                            Comparison::RoundedValue { decimals } => {
                                arith::round_percent(n, d, decimals).is_ok_and(|r| r >= percent.0)
                            }
                        };
                        if met {
                            Verdict::Met
                        } else {
                            let pct = arith::round_percent(n, d, 2)
                                .map(fmt_decimal)
                                .unwrap_or_default();
                            Verdict::Unmet(
                                format!(
                                    "{year}年 {} / {} = {pct}%，低于 {percent}%",
                                    fmt_decimal(n),
                                    fmt_decimal(d)
                                ),
                                format!(
                                    "{} / {} = {pct}% in {year}, below {percent}%",
                                    fmt_decimal(n),
                                    fmt_decimal(d)
                                ),
                            )
                        }
                    }
                }
            }
            Condition::StateReached { field, state } => {
                let need = cx
                    .plan
                    .dictionary
                    .field_spec(kind, field)
                    .and_then(|s| s.state_rank(state));
                match read_entity_cell(cx, rec, kind, field, e, year) {
                    CellValue::State(rank) if need.is_some_and(|n| rank >= n) => Verdict::Met,
                    CellValue::State(rank) => {
                        let now = cx
                            .plan
                            .dictionary
                            .field_spec(kind, field)
                            .and_then(|s| s.states.get(rank).cloned())
                            .unwrap_or_default();
                        Verdict::Unmet(
                            format!("{year}年状态为 `{now}`"),
                            format!("state is `{now}` in {year}"),
                        )
                    }
                    CellValue::Bad(d) => Verdict::Bad(d),
                    _ => missing(field),
                }
            }
        }
    }
}

impl Threshold for CoverageRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        lookup::entity_field_years(
            cx,
            &self.entity_kind,
            &self.condition.fields(),
            &self.filter,
        )
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        let mut counts = Counts::default();
        let mut culprits = Vec::new();
        let mut first_bad = None;
        let mut messages = Messages::default();
        for e in lookup::population(cx, &self.entity_kind, &self.filter, year) {
            counts.population += 1;
            let culprit = |problem, zh: String, en: String| Culprit {
                id: e.id.to_string(),
                name: e.name.map(str::to_string),
                problem,
                zh,
                en,
            };
            let verdict = if e.filter_outcome(&self.filter).is_none() {
                Verdict::Missing(
                    "缺少筛选所需的属性".into(),
                    "an attribute the filter needs is missing".into(),
                )
            } else {
                self.verdict(cx, e, year, rec, &mut messages)
            };
            match verdict {
                Verdict::Met => counts.met += 1,
                Verdict::Unmet(zh, en) => {
                    counts.unmet += 1;
                    culprits.push(culprit("unmet", zh, en));
                }
                Verdict::Missing(zh, en) => {
                    counts.missing += 1;
                    culprits.push(culprit("missing", zh, en));
                }
                Verdict::Bad(d) => {
                    counts.missing += 1;
                    first_bad.get_or_insert(d);
                    culprits.push(culprit("missing", "数据有误".into(), "bad value".into()));
                }
            }
        }
        let (cz, ce) = self.condition.describe();
        rec.step("count", || {
            (
                format!(
                    "{year}: {} entities of kind `{}`, condition {ce}: met {}, unmet {}, missing {}",
                    counts.population, self.entity_kind, counts.met, counts.unmet, counts.missing
                ),
                counts.met.to_string(),
            )
        });
        let _ = cz;
        let stop = |na: NotAssessable, counts: Counts, culprits: Vec<Culprit>| NotAssessable {
            counts: Some(counts),
            culprits,
            ..na
        };
        if let Some(d) = first_bad {
            return Err(stop(NotAssessable::bad_data(d), counts, culprits));
        }
        if counts.population == 0 {
            return Err(stop(
                NotAssessable::new(ReasonCode::EmptyPopulation).with_detail(
                    format!("{year}年没有 `{}` 类主体", self.entity_kind),
                    format!("no entity of kind `{}` in {year}", self.entity_kind),
                ),
                counts,
                culprits,
            ));
        }
        // The population the share is taken over, after the missing-data strategy.
        let base = match cx.target.missing_data {
            MissingData::SkipIfAny if counts.missing > 0 => {
                let na = NotAssessable::new(ReasonCode::MissingValue).with_detail(
                    format!("{year}年有{}个主体缺少数据", counts.missing),
                    format!("{} entities lack data for {year}", counts.missing),
                );
                return Err(stop(na, counts, culprits));
            }
            MissingData::SkipIfAll if counts.missing == counts.population => {
                let na = NotAssessable::new(ReasonCode::MissingValue).with_detail(
                    format!("{year}年所有主体均缺少数据",),
                    format!("every entity lacks data for {year}"),
                );
                return Err(stop(na, counts, culprits));
            }
            MissingData::SkipIfAll => counts.population - counts.missing,
            MissingData::SkipIfAny | MissingData::NeverSkip => counts.population,
        };
        let met_d = Decimal::from(counts.met);
        let base_d = Decimal::from(base);
        let (share, exact) = arith::percent(met_d, base_d)
            .map_err(|_| NotAssessable::new(ReasonCode::ArithmeticOverflow))?;
        rec.step_inexact("ratio", exact, || {
            (
                format!("{year}: {} ÷ {} × 100", counts.met, base),
                fmt_decimal(share),
            )
        });
        let target = self.target_percent.0;
        let met = match cx.comparison() {
            Comparison::FullValue => {
                arith::percent_at_least(met_d, base_d, target).unwrap_or(false)
            }
            Comparison::RoundedValue { decimals } => {
                arith::round_percent(met_d, base_d, decimals).is_ok_and(|r| r >= target)
            }
        };
        rec.step("compare", || {
            (
                format!("{} ÷ {} × 100 ≥ {}", counts.met, base, fmt_decimal(target)),
                met.to_string(),
            )
        });
        Ok(Level {
            value: share,
            met,
            culprits,
            counts: Some(counts),
            ..Level::default()
        })
    }

    fn goal(&self) -> Decimal {
        self.target_percent.0
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some("%".into())
    }
}
