//! Reading what a [`Measure`] names from the prepared data, for one year or accumulated since
//! the plan began, with the target's missing-data strategy applied, each read recorded in the
//! trail.

use crate::arith;
use crate::context::{Ctx, NotAssessable, ReasonCode};
use crate::measure::{AttributeFilter, Measure, OverTime};
use crate::number::fmt_decimal;
use crate::plan::MissingData;
use crate::prepare::{Cell, CellValue, EntityRef, KindField, KindIndex};
use crate::trail::{InputRead, Recorder};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// A cell as the trail shows it: a number, a flag, or a state by its name (`states` are the
/// field's states in order).
pub(crate) fn show_cell(v: CellValue, states: &[String]) -> Option<String> {
    match v {
        CellValue::Num(d) => Some(fmt_decimal(d)),
        CellValue::Flag(b) => Some(b.to_string()),
        CellValue::State(rank) => Some(
            states
                .get(rank)
                .cloned()
                .unwrap_or_else(|| format!("state #{rank}")),
        ),
        CellValue::Missing | CellValue::Bad(_) => None,
    }
}

/// The unit the dictionary gives a measure's quantity.
pub(crate) fn unit_of(m: &Measure, cx: &Ctx<'_, '_>) -> Option<String> {
    let spec = match m {
        Measure::Series { series, .. } => cx.plan.dictionary.series_spec(series),
        Measure::EntitySum {
            entity_kind, field, ..
        } => cx.plan.dictionary.field_spec(entity_kind, field),
    };
    spec.and_then(|s| s.unit.clone())
}

/// The years in which the measure has any observation (present or explicitly null).
pub(crate) fn data_years(m: &Measure, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
    match m {
        Measure::Series { series, .. } => cx
            .data
            .series
            .get(series.as_str())
            .map(|s| s.cells.keys().copied().collect())
            .unwrap_or_default(),
        Measure::EntitySum {
            entity_kind,
            field,
            filter,
            ..
        } => entity_field_years(cx, entity_kind, &[field], filter),
    }
}

pub(crate) fn entity_field_years(
    cx: &Ctx<'_, '_>,
    kind: &str,
    fields: &[&String],
    filter: &[AttributeFilter],
) -> BTreeSet<i32> {
    let mut years = BTreeSet::new();
    if let Some(entities) = cx.data.kinds.get(kind) {
        let fields: Vec<KindField<'_>> = fields.iter().map(|f| entities.field(f)).collect();
        // The tables whose every year is in `years` already: their other entities are skipped
        // (a national table's entities add no year after the first few).
        let mut complete = vec![false; entities.tables.len()];
        for e in entities.iter() {
            let table = e.table();
            if table.is_some_and(|t| complete.get(t) == Some(&true)) || !e.passes(filter) {
                continue;
            }
            let before = years.len();
            e.years_with(&fields, &mut years);
            if years.len() > before
                && let Some(t) = table
                && let (Some(done), Some(index)) = (complete.get_mut(t), entities.tables.get(t))
            {
                *done = index.years.iter().all(|y| years.contains(y));
            }
        }
    }
    years
}

/// A field of an entity kind, found once in the kind's tables (see [`KindField`]): what
/// [`read_entity_cell`] reads.
pub(crate) fn kind_field<'f>(cx: &Ctx<'_, '_>, kind: &str, field: &'f str) -> KindField<'f> {
    cx.data
        .kinds
        .get(kind)
        .map_or_else(|| KindField::named(field), |k| k.field(field))
}

/// Accumulates values under a missing-data strategy.
pub(crate) struct Accumulator {
    policy: MissingData,
    total: Decimal,
    present: usize,
    missing: usize,
    first_bad: Option<usize>,
    overflow: bool,
    /// False once a sum was rounded to the arithmetic contract's 28 significant digits.
    exact: bool,
}

impl Accumulator {
    pub fn new(policy: MissingData) -> Accumulator {
        Accumulator {
            policy,
            total: Decimal::ZERO,
            present: 0,
            missing: 0,
            first_bad: None,
            overflow: false,
            exact: true,
        }
    }

    pub fn push(&mut self, v: CellValue) {
        match v {
            CellValue::Num(d) => {
                self.present += 1;
                match arith::add(self.total, d) {
                    Ok((t, exact)) => {
                        self.total = t;
                        self.exact &= exact;
                    }
                    Err(_) => self.overflow = true,
                }
            }
            CellValue::Bad(d) => {
                self.first_bad.get_or_insert(d);
            }
            CellValue::Missing | CellValue::Flag(_) | CellValue::State(_) => self.missing += 1,
        }
    }

    /// The total, or why there is none. `what` names the quantity for messages.
    pub fn finish(
        self,
        what: &str,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Decimal, NotAssessable> {
        if let Some(d) = self.first_bad {
            return Err(NotAssessable::bad_data(d));
        }
        if self.overflow {
            return Err(NotAssessable::new(ReasonCode::ArithmeticOverflow));
        }
        if self.missing > 0 {
            let all_missing = self.present == 0;
            match self.policy {
                MissingData::SkipIfAny => {
                    return Err(NotAssessable::missing(what, year));
                }
                MissingData::SkipIfAll if all_missing => {
                    return Err(NotAssessable::missing(what, year));
                }
                MissingData::SkipIfAll => rec.step("missing", || {
                    (
                        format!(
                            "skip_if_all: {} missing value(s) of `{what}` in {year} left out",
                            self.missing
                        ),
                        "skipped".into(),
                    )
                }),
                MissingData::NeverSkip => rec.step("missing", || {
                    (
                        format!(
                            "never_skip: {} missing value(s) of `{what}` in {year} taken as 0",
                            self.missing
                        ),
                        "0".into(),
                    )
                }),
            }
        }
        Ok(self.total)
    }
}

fn record_read(
    rec: &mut Recorder,
    field: &str,
    entity: Option<&str>,
    year: i32,
    cell: Option<&Cell<'_>>,
    states: &[String],
) {
    rec.read(|| InputRead {
        field: field.to_string(),
        entity: entity.map(str::to_string),
        period: year,
        value: cell.and_then(|c| show_cell(c.value, states)),
        source: cell.and_then(|c| c.source.map(str::to_string)),
    });
}

/// Reads one entity field cell, recording it.
pub(crate) fn read_entity_cell(
    cx: &Ctx<'_, '_>,
    rec: &mut Recorder,
    kind: &str,
    field: &KindField<'_>,
    e: EntityRef<'_, '_>,
    year: i32,
) -> CellValue {
    let cell = e.cell(year, field);
    if rec.enabled() {
        let field = field.name;
        let states = cx
            .plan
            .dictionary
            .entity_kinds
            .get(kind)
            .and_then(|k| k.fields.get(field))
            .map_or(&[][..], |f| f.states.as_slice());
        record_read(
            rec,
            &format!("{kind}.{field}"),
            Some(e.id),
            year,
            cell.as_ref(),
            states,
        );
    }
    match e.taint {
        Some(d) => CellValue::Bad(d),
        None => cell.map_or(CellValue::Missing, |c| c.value),
    }
}

/// The population of a kind in a year: active entities passing the filter, and those whose
/// filtered attributes are absent (callers count them as missing).
pub(crate) fn population<'c, 'a>(
    cx: &'c Ctx<'_, 'a>,
    kind: &str,
    filter: &'c [AttributeFilter],
    year: i32,
) -> impl Iterator<Item = EntityRef<'c, 'a>> + 'c {
    cx.data
        .kinds
        .get(kind)
        .into_iter()
        .flat_map(KindIndex::iter)
        .filter(move |e| e.active_in(year) && e.filter_outcome(filter) != Some(false))
}

/// The years a value at `year` adds up: just the year, or the plan's years through it.
fn years_of(cx: &Ctx<'_, '_>, over_time: OverTime, year: i32) -> std::ops::RangeInclusive<i32> {
    match over_time {
        OverTime::Latest => year..=year,
        OverTime::Cumulative => cx.plan.period.start.year()..=year,
    }
}

/// The value of a measure in a year.
pub(crate) fn read(
    m: &Measure,
    cx: &Ctx<'_, '_>,
    year: i32,
    rec: &mut Recorder,
) -> Result<Decimal, NotAssessable> {
    let policy = cx.target.missing_data;
    let over_time = m.over_time();
    let years = years_of(cx, over_time, year);
    let mut acc = Accumulator::new(policy);
    let label = m.label();
    match m {
        Measure::Series { series, .. } => {
            let index = cx.data.series.get(series.as_str());
            if let Some(d) = index.and_then(|s| s.taint) {
                return Err(NotAssessable::bad_data(d));
            }
            for y in years.clone() {
                let cell = index.and_then(|s| s.cells.get(&y));
                if rec.enabled() {
                    let states = cx
                        .plan
                        .dictionary
                        .series
                        .get(series.as_str())
                        .map_or(&[][..], |f| f.states.as_slice());
                    record_read(rec, series, None, y, cell, states);
                }
                acc.push(cell.map_or(CellValue::Missing, |c| c.value));
            }
        }
        Measure::EntitySum {
            entity_kind,
            field,
            filter,
            ..
        } => {
            let mut any = false;
            let cells = kind_field(cx, entity_kind, field);
            for y in years.clone() {
                for e in population(cx, entity_kind, filter, y) {
                    any = true;
                    if e.filter_outcome(filter).is_none() {
                        // Cannot tell whether it belongs: its value is missing to this measure.
                        rec.read(|| InputRead {
                            field: format!("{entity_kind}.{field}"),
                            entity: Some(e.id.to_string()),
                            period: y,
                            value: None,
                            source: Some("attribute missing: cannot apply the filter".into()),
                        });
                        acc.push(CellValue::Missing);
                        continue;
                    }
                    acc.push(read_entity_cell(cx, rec, entity_kind, &cells, e, y));
                }
            }
            if !any && over_time == OverTime::Latest {
                return Err(NotAssessable::new(ReasonCode::EmptyPopulation));
            }
        }
    }
    let exact = acc.exact;
    let total = acc.finish(&label, year, rec)?;
    if rec.enabled() && (years.clone().count() > 1 || matches!(m, Measure::EntitySum { .. })) {
        let (a, b) = (years.start(), years.end());
        rec.step_inexact("sum", exact, || {
            let span = if a == b {
                format!("{a}")
            } else {
                format!("{a}-{b}")
            };
            (format!("sum of `{label}` over {span}"), fmt_decimal(total))
        });
    }
    Ok(total)
}
