//! Judging Condition (see [`crate::rules`] for the rule itself).

use crate::arith;
use crate::bound::Op;
use crate::context::{Ctx, Level, NotAssessable, ReasonCode};
use crate::lookup::{self, read_entity_cell};
use crate::number::fmt_decimal;
use crate::plan::{Comparison, MissingData};
use crate::prepare::{CellValue, EntityRef, KindField};
use crate::report::{Counts, Culprit, CulpritDetail};
use crate::rules::{Condition, CoverageRule};
use crate::threshold::Threshold;
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The field names many culprits share, each allocated once per level.
#[derive(Default)]
struct Messages {
    fields: Vec<Arc<str>>,
}

impl Messages {
    fn field(&mut self, field: &str) -> Arc<str> {
        if let Some(f) = self.fields.iter().find(|f| &***f == field) {
            return Arc::clone(f);
        }
        let f: Arc<str> = Arc::from(field);
        self.fields.push(Arc::clone(&f));
        f
    }
}

/// One entity's standing.
enum Verdict {
    Met,
    Unmet(CulpritDetail),
    Missing(CulpritDetail),
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
        cells: &[KindField<'_>],
    ) -> Verdict {
        let kind = self.entity_kind.as_str();
        // The condition's fields in the order `Condition::fields` gives them.
        let read = |rec: &mut Recorder, i: usize| match cells.get(i) {
            Some(f) => read_entity_cell(cx, rec, kind, f, e, year),
            None => CellValue::Missing,
        };
        let missing = |messages: &mut Messages, f: &str| {
            Verdict::Missing(CulpritDetail::MissingField {
                field: messages.field(f),
                year,
            })
        };
        let num = |v: CellValue| -> Result<Option<Decimal>, usize> {
            match v {
                CellValue::Num(d) => Ok(Some(d)),
                CellValue::Bad(d) => Err(d),
                _ => Ok(None),
            }
        };
        match &self.condition {
            Condition::IsTrue { field } => match read(rec, 0) {
                CellValue::Flag(true) => Verdict::Met,
                CellValue::Flag(false) => Verdict::Unmet(CulpritDetail::FlagFalse {
                    field: messages.field(field),
                    year,
                }),
                CellValue::Bad(d) => Verdict::Bad(d),
                _ => missing(messages, field),
            },
            Condition::AtLeast { field, value } => match num(read(rec, 0)) {
                Err(d) => Verdict::Bad(d),
                Ok(None) => missing(messages, field),
                Ok(Some(v)) if v >= value.0 => Verdict::Met,
                Ok(Some(v)) => Verdict::Unmet(CulpritDetail::Below {
                    field: messages.field(field),
                    year,
                    value: v,
                    least: value.0,
                }),
            },
            Condition::RatioAtLeast {
                numerator,
                denominator,
                percent,
            } => {
                let n = num(read(rec, 0));
                let d = num(read(rec, 1));
                match (n, d) {
                    (Err(b), _) | (_, Err(b)) => Verdict::Bad(b),
                    (Ok(None), _) => missing(messages, numerator),
                    (_, Ok(None)) => missing(messages, denominator),
                    (Ok(Some(_)), Ok(Some(d))) if d.is_zero() => {
                        Verdict::Missing(CulpritDetail::ZeroDenominator {
                            field: messages.field(denominator),
                            year,
                        })
                    }
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
                            Verdict::Unmet(CulpritDetail::Ratio {
                                year,
                                numerator: n,
                                denominator: d,
                                op: Op::AtLeast,
                                target: percent.0,
                            })
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
                match read(rec, 0) {
                    CellValue::State(rank) if need.is_some_and(|n| rank >= n) => Verdict::Met,
                    CellValue::State(rank) => {
                        let now = cx
                            .plan
                            .dictionary
                            .field_spec(kind, field)
                            .and_then(|s| s.states.get(rank).cloned())
                            .unwrap_or_default();
                        Verdict::Unmet(CulpritDetail::Text {
                            zh: format!("{year}年状态为 `{now}`"),
                            en: format!("state is `{now}` in {year}"),
                        })
                    }
                    CellValue::Bad(d) => Verdict::Bad(d),
                    _ => missing(messages, field),
                }
            }
        }
    }

    /// The standing in a year; the entities at fault listed when `list` says.
    fn level_listing(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
        list: bool,
    ) -> Result<Level, NotAssessable> {
        let mut counts = Counts::default();
        let mut culprits = Vec::new();
        let mut first_bad = None;
        let mut messages = Messages::default();
        let cells: Vec<KindField<'_>> = self
            .condition
            .fields()
            .into_iter()
            .map(|f| lookup::kind_field(cx, &self.entity_kind, f))
            .collect();
        for e in lookup::population(cx, &self.entity_kind, &self.filter, year) {
            counts.population += 1;
            let culprit = |problem, detail| Culprit {
                id: e.shared_id(),
                name: e.name.map(str::to_string),
                problem,
                detail,
            };
            let verdict = if e.filter_outcome(&self.filter).is_none() {
                Verdict::Missing(CulpritDetail::FilterAttributeMissing)
            } else {
                self.verdict(cx, e, year, rec, &mut messages, &cells)
            };
            match verdict {
                Verdict::Met => counts.met += 1,
                Verdict::Unmet(detail) => {
                    counts.unmet += 1;
                    if list {
                        culprits.push(culprit("unmet", detail));
                    }
                }
                Verdict::Missing(detail) => {
                    counts.missing += 1;
                    if list {
                        culprits.push(culprit("missing", detail));
                    }
                }
                Verdict::Bad(d) => {
                    counts.missing += 1;
                    first_bad.get_or_insert(d);
                    if list {
                        culprits.push(culprit("missing", CulpritDetail::BadValue));
                    }
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

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some("%".into())
    }
}
