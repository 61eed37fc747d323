//! Meeting of data and plan: every observation is read against the plan's dictionary into a
//! typed cell, and every problem becomes a [`Diagnostic`]. Evaluation reads only typed cells.
// The WebAssembly package builds no tables: their reading is compiled out of it.
#![cfg_attr(target_family = "wasm", allow(dead_code, unused_imports))]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use crate::dataset::{Dataset, Judgement, Observation, RawValue};
use crate::diagnostic::{Diagnostic, DiagnosticCode, Severity};
use crate::dictionary::{FieldSpec, ValueType};
use crate::limits;
use crate::number::{NumberError, exact_decimal, fmt_decimal, parse_decimal};
use crate::plan::Plan;
use crate::rules::Rule;
use crate::table::{Column, EntityColumns};

/// A typed value, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CellValue {
    Num(Decimal),
    Flag(bool),
    State(usize),
    Missing,
    /// Unusable; the index of the diagnostic that says why.
    Bad(usize),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell<'a> {
    pub value: CellValue,
    pub source: Option<&'a str>,
}

#[derive(Debug, Default)]
pub(crate) struct SeriesIndex<'a> {
    pub cells: BTreeMap<i32, Cell<'a>>,
    /// A diagnostic that makes the whole series unusable (wrong unit, a year outside the plan).
    pub taint: Option<usize>,
}

/// One record's cells by field, sorted by field name (as the dataset's map holds them): half
/// the memory of a hash map for a dozen fields, and found by binary search.
#[derive(Debug, Default)]
pub(crate) struct Record<'a> {
    cells: Vec<(&'a str, Cell<'a>)>,
}

impl<'a> Record<'a> {
    fn position(&self, field: &str) -> Option<usize> {
        self.cells.binary_search_by(|(k, _)| (*k).cmp(field)).ok()
    }

    /// The cell of a field.
    pub fn get(&self, field: &str) -> Option<&Cell<'a>> {
        self.position(field)
            .and_then(|i| self.cells.get(i))
            .map(|(_, c)| c)
    }

    fn get_mut(&mut self, field: &str) -> Option<&mut Cell<'a>> {
        self.position(field)
            .and_then(|i| self.cells.get_mut(i))
            .map(|(_, c)| c)
    }

    /// Whether the record has a cell for a field.
    pub fn contains_key(&self, field: &str) -> bool {
        self.position(field).is_some()
    }
}

/// An entity's fixed attributes: its JSON map, or its row of a table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Attributes<'a> {
    Map(&'a BTreeMap<String, String>),
    Table(&'a EntityColumns, usize),
}

impl<'a> Attributes<'a> {
    /// The value of an attribute.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        match *self {
            Attributes::Map(m) => m.get(name).map(String::as_str),
            Attributes::Table(t, e) => t.attribute(e, name),
        }
    }
}

/// Where an entity's records are: read from JSON into cells, or in place in a table.
#[derive(Debug)]
pub(crate) enum Records<'a> {
    Json(BTreeMap<i32, Record<'a>>),
    /// The entity's table (an index into its kind's tables) and its entity number there.
    Table {
        table: usize,
        entity: usize,
    },
}

#[derive(Debug)]
pub(crate) struct EntityIndex<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub attributes: Attributes<'a>,
    pub active_from: Option<i32>,
    pub active_until: Option<i32>,
    pub records: Records<'a>,
    /// A diagnostic that makes the whole entity unusable (unknown, duplicated, bad years).
    pub taint: Option<usize>,
}

impl EntityIndex<'_> {
    /// The entity's table among its kind's tables; `None` for an entity read from JSON.
    pub fn table(&self) -> Option<usize> {
        match self.records {
            Records::Table { table, .. } => Some(table),
            Records::Json(_) => None,
        }
    }

    /// Whether the entity exists in a year.
    pub fn active_in(&self, year: i32) -> bool {
        self.active_from.is_none_or(|f| f <= year) && self.active_until.is_none_or(|u| year <= u)
    }

    /// Whether the entity passes attribute filters: `None` when an attribute a filter reads is
    /// absent (the entity cannot be placed in or out of the population; it counts as missing).
    pub fn filter_outcome(&self, filter: &[crate::measure::AttributeFilter]) -> Option<bool> {
        let mut unknown = false;
        for f in filter {
            match self.attributes.get(&f.attribute) {
                None => unknown = true,
                Some(v) if !f.one_of.iter().any(|o| o == v) => return Some(false),
                Some(_) => {}
            }
        }
        if unknown { None } else { Some(true) }
    }

    /// Whether the entity certainly passes attribute filters.
    pub fn passes(&self, filter: &[crate::measure::AttributeFilter]) -> bool {
        self.filter_outcome(filter) == Some(true)
    }
}

/// Whether row `i` of a column with this missing-value mask holds a value (`None`: every row
/// does).
fn present(missing: Option<&[bool]>, i: usize) -> bool {
    missing.is_none_or(|m| m.get(i) == Some(&false))
}

/// The values of one known field of a table, typed against the dictionary.
#[derive(Debug)]
enum TypedCells<'a> {
    /// Whole numbers of a numeric field, read in place; the rows whose value is unusable map
    /// to the diagnostic that says why.
    Ints {
        values: &'a [i64],
        missing: Option<&'a [bool]>,
        bad: HashMap<u32, usize>,
    },
    /// Flags of a flag field, read in place (always usable).
    Flags(&'a [Option<bool>]),
    /// Any other column, converted row by row (`None`: no observation).
    Cells(Vec<Option<CellValue>>),
}

impl TypedCells<'_> {
    fn get(&self, row: u32) -> Option<CellValue> {
        let i = row as usize;
        match self {
            TypedCells::Ints {
                values,
                missing,
                bad,
            } => {
                if !present(*missing, i) {
                    return None;
                }
                let v = *values.get(i)?;
                // Most tables have no bad cell: no lookup then.
                let bad = if bad.is_empty() { None } else { bad.get(&row) };
                Some(match bad {
                    Some(d) => CellValue::Bad(*d),
                    None => CellValue::Num(Decimal::from(v)),
                })
            }
            TypedCells::Flags(v) => v.get(i).copied().flatten().map(CellValue::Flag),
            TypedCells::Cells(v) => v.get(i).copied().flatten(),
        }
    }

    /// The whole number of an `Ints` cell that holds a usable one, as it is (no decimal made);
    /// `None` for anything else (no observation, an unusable value, another column type).
    fn int(&self, row: u32) -> Option<i64> {
        let TypedCells::Ints {
            values,
            missing,
            bad,
        } = self
        else {
            return None;
        };
        let i = row as usize;
        if !present(*missing, i) || (!bad.is_empty() && bad.contains_key(&row)) {
            return None;
        }
        values.get(i).copied()
    }

    fn mark_bad(&mut self, row: u32, d: usize) {
        match self {
            TypedCells::Ints { bad, .. } => {
                bad.insert(row, d);
            }
            TypedCells::Flags(_) => {}
            TypedCells::Cells(v) => {
                if let Some(c) = v.get_mut(row as usize) {
                    *c = Some(CellValue::Bad(d));
                }
            }
        }
    }
}

/// A table of one kind, its known fields typed.
#[derive(Debug)]
pub(crate) struct TableIndex<'a> {
    pub table: &'a EntityColumns,
    /// The table's fields that the dictionary knows, sorted by name.
    fields: Vec<(&'a str, TypedCells<'a>)>,
    /// The distinct years of its rows, ascending: once a set of years holds them all, no
    /// entity of the table can add one.
    pub years: Vec<i32>,
}

impl TableIndex<'_> {
    /// The position of a field among the known ones.
    pub fn slot(&self, field: &str) -> Option<usize> {
        self.fields.binary_search_by(|(k, _)| (*k).cmp(field)).ok()
    }

    /// The cell of a field (by its slot) on a table row; `None`: no observation.
    pub fn cell_at(&self, slot: usize, row: u32) -> Option<CellValue> {
        self.fields.get(slot).and_then(|(_, c)| c.get(row))
    }

    /// The table row of an entity's year.
    pub fn row(&self, entity: usize, year: i32) -> Option<u32> {
        self.table
            .rows(entity)
            .iter()
            .copied()
            .find(|r| self.table.year(*r) == year)
    }
}

/// The entities of one kind: their index, and the tables some of them are read from.
#[derive(Debug, Default)]
pub(crate) struct KindIndex<'a> {
    pub entities: Vec<EntityIndex<'a>>,
    pub tables: Vec<TableIndex<'a>>,
}

/// An entity with its kind's tables: what reading its cells needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntityRef<'c, 'a> {
    pub kind: &'c KindIndex<'a>,
    pub entity: &'c EntityIndex<'a>,
}

impl<'a> std::ops::Deref for EntityRef<'_, 'a> {
    type Target = EntityIndex<'a>;
    fn deref(&self) -> &EntityIndex<'a> {
        self.entity
    }
}

impl<'a> EntityRef<'_, 'a> {
    /// The entity's id as a culprit holds it: shared with its table's, or a copy.
    pub fn shared_id(&self) -> std::sync::Arc<str> {
        match &self.entity.records {
            Records::Table { table, entity } => self
                .kind
                .tables
                .get(*table)
                .and_then(|t| t.table.shared_id(*entity))
                .map_or_else(
                    || std::sync::Arc::from(self.entity.id),
                    std::sync::Arc::clone,
                ),
            Records::Json(_) => std::sync::Arc::from(self.entity.id),
        }
    }

    /// The cell of a field in a year; `None`: no observation.
    pub fn cell(&self, year: i32, field: &KindField<'_>) -> Option<Cell<'a>> {
        match &self.entity.records {
            Records::Json(records) => records.get(&year).and_then(|r| r.get(field.name)).copied(),
            Records::Table { table, entity } => {
                let t = self.kind.tables.get(*table)?;
                let slot = field.slots.get(*table).copied().flatten()?;
                let value = t.cell_at(slot, t.row(*entity, year)?)?;
                Some(Cell {
                    value,
                    source: None,
                })
            }
        }
    }

    /// The years with a record holding any of `fields` (any record at all for a tainted
    /// entity: it is an observation of bad data whatever it holds).
    pub fn years_with(&self, fields: &[KindField<'_>], years: &mut BTreeSet<i32>) {
        match &self.entity.records {
            Records::Json(records) => {
                for (year, rec) in records {
                    if !years.contains(year)
                        && (self.taint.is_some() || fields.iter().any(|f| rec.contains_key(f.name)))
                    {
                        years.insert(*year);
                    }
                }
            }
            Records::Table { table, entity } => {
                let Some(t) = self.kind.tables.get(*table) else {
                    return;
                };
                let slots = fields
                    .iter()
                    .filter_map(|f| f.slots.get(*table).copied().flatten());
                for &row in t.table.rows(*entity) {
                    let year = t.table.year(row);
                    if !years.contains(&year)
                        && (self.taint.is_some()
                            || slots.clone().any(|s| t.cell_at(s, row).is_some()))
                    {
                        years.insert(year);
                    }
                }
            }
        }
    }
}

/// A field of one entity kind with its place in each of the kind's tables found once, so that
/// reading its cells entity by entity looks no name up ([`KindIndex::field`]).
#[derive(Debug, Clone)]
pub(crate) struct KindField<'f> {
    /// The field's name (how JSON records hold it).
    pub name: &'f str,
    /// Its slot in each table of the kind (`None`: the table has no such column).
    slots: Vec<Option<usize>>,
}

impl KindField<'_> {
    /// A field of a kind that has no tables (its cells are read by name).
    pub fn named(name: &str) -> KindField<'_> {
        KindField {
            name,
            slots: Vec::new(),
        }
    }
}

impl<'a> KindIndex<'a> {
    /// A field of this kind, found once in each of its tables.
    pub fn field<'f>(&self, name: &'f str) -> KindField<'f> {
        KindField {
            name,
            slots: self.tables.iter().map(|t| t.slot(name)).collect(),
        }
    }

    /// Every entity with this index.
    pub fn iter<'c>(&'c self) -> impl Iterator<Item = EntityRef<'c, 'a>> + 'c {
        self.entities
            .iter()
            .map(move |entity| EntityRef { kind: self, entity })
    }
}

#[derive(Debug, Default)]
pub(crate) struct Prepared<'a> {
    pub series: BTreeMap<&'a str, SeriesIndex<'a>>,
    pub kinds: BTreeMap<&'a str, KindIndex<'a>>,
    /// Recorded judgements on qualitative targets, by target id, in the dataset's order.
    pub judgements: BTreeMap<&'a str, Vec<&'a Judgement>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Escapes one JSON-pointer token.
pub(crate) fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

struct Ctx<'p> {
    plan: &'p Plan,
    first_year: i32,
    last_year: i32,
    diagnostics: Vec<Diagnostic>,
}

struct Where<'w> {
    path: String,
    field: Option<String>,
    entity: Option<&'w str>,
    period: Option<i32>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        code: DiagnosticCode,
        severity: Severity,
        at: Where<'_>,
        zh: String,
        en: String,
    ) -> usize {
        self.diagnostics.push(Diagnostic {
            code,
            severity,
            path: at.path,
            field: at.field,
            entity: at.entity.map(str::to_string),
            period: at.period,
            message_zh: zh,
            message_en: en,
        });
        self.diagnostics.len() - 1
    }

    fn year<'w>(&mut self, key: &str, at: &dyn Fn() -> Where<'w>) -> Result<i32, usize> {
        let parsed = if key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()) {
            key.parse::<i32>()
                .ok()
                .filter(|y| limits::YEAR_RANGE.contains(y))
        } else {
            None
        };
        match parsed {
            None => Err(self.push(
                DiagnosticCode::InvalidPeriod,
                Severity::Error,
                at(),
                format!("`{}` 不是年份（应为四位数字，如 2016）", clip(key)),
                format!(
                    "`{}` is not a year (expected four digits such as 2016)",
                    clip(key)
                ),
            )),
            Some(y) if y < self.first_year || y > self.last_year => Err(self.push(
                DiagnosticCode::PeriodOutsidePlan,
                Severity::Error,
                Where {
                    period: Some(y),
                    ..at()
                },
                format!(
                    "{y}年不在规划范围内（应为{}至{}年）",
                    self.first_year, self.last_year
                ),
                format!(
                    "year {y} is outside the plan (expected {} to {})",
                    self.first_year, self.last_year
                ),
            )),
            Some(y) => Ok(y),
        }
    }

    /// Reads one observation against its spec.
    fn cell<'a, 'w>(
        &mut self,
        obs: &'a Observation,
        default_source: Option<&'a str>,
        spec: &FieldSpec,
        at: &dyn Fn() -> Where<'w>,
    ) -> Cell<'a> {
        let source = obs.source.as_deref().or(default_source);
        let value = self.value(&obs.value, spec, at);
        Cell { value, source }
    }

    /// Reads a value against its spec. `at` says where it is; it (and the value's text) is only
    /// built when there is a problem to report, so a million good cells allocate nothing.
    fn value<'w>(
        &mut self,
        raw: &RawValue,
        spec: &FieldSpec,
        at: &dyn Fn() -> Where<'w>,
    ) -> CellValue {
        let shown = || show_raw(raw);
        match (spec.value_type, raw) {
            (_, RawValue::Null) => CellValue::Missing,
            (t, RawValue::Number(_) | RawValue::Text(_) | RawValue::Decimal(_))
                if t.is_numeric() =>
            {
                let parsed = match raw {
                    RawValue::Decimal(d) => exact_decimal(*d),
                    RawValue::Number(text) | RawValue::Text(text) => parse_decimal(text),
                    RawValue::Null | RawValue::Bool(_) => Err(NumberError::Invalid(String::new())),
                };
                match parsed {
                    Err(e) => {
                        let shown = shown();
                        let (zh, en) = match e {
                            NumberError::TooPrecise(_) => (
                                format!("数值 `{shown}` 超过28位有效数字"),
                                format!("value `{shown}` has more than 28 significant digits"),
                            ),
                            NumberError::OutOfRange(_) => (
                                format!("数值 `{shown}` 超出范围"),
                                format!("value `{shown}` is out of range"),
                            ),
                            NumberError::Invalid(_) => (
                                format!("`{shown}` 不是数值（应为数字）"),
                                format!("`{shown}` is not a number (expected a decimal number)"),
                            ),
                        };
                        CellValue::Bad(self.push(
                            DiagnosticCode::InvalidNumber,
                            Severity::Error,
                            at(),
                            zh,
                            en,
                        ))
                    }
                    Ok(d) => self.number(d, spec, at),
                }
            }
            (t, _) if t.is_numeric() => {
                let shown = shown();
                CellValue::Bad(self.push(
                    DiagnosticCode::InvalidType,
                    Severity::Error,
                    at(),
                    format!("`{shown}` 不是数值（应为数字）"),
                    format!("`{shown}` is not a number (expected a decimal number)"),
                ))
            }
            (ValueType::Flag, RawValue::Bool(b)) => CellValue::Flag(*b),
            (ValueType::Flag, _) => {
                let shown = shown();
                CellValue::Bad(self.push(
                    DiagnosticCode::InvalidType,
                    Severity::Error,
                    at(),
                    format!("`{shown}` 不是是/否值（应为 true 或 false）"),
                    format!("`{shown}` is not yes or no (expected true or false)"),
                ))
            }
            (ValueType::State, RawValue::Text(s)) => match spec.state_rank(s) {
                Some(rank) => CellValue::State(rank),
                None => CellValue::Bad(self.push(
                    DiagnosticCode::InvalidState,
                    Severity::Error,
                    at(),
                    format!(
                        "`{}` 不是有效状态（应为 {} 之一）",
                        clip(s),
                        spec.states.join("、")
                    ),
                    format!(
                        "`{}` is not a valid state (expected one of {})",
                        clip(s),
                        spec.states.join(", ")
                    ),
                )),
            },
            (_, _) => {
                let shown = shown();
                CellValue::Bad(self.push(
                    DiagnosticCode::InvalidType,
                    Severity::Error,
                    at(),
                    format!(
                        "`{shown}` 不是有效状态（应为 {} 之一）",
                        spec.states.join("、")
                    ),
                    format!(
                        "`{shown}` is not a valid state (expected one of {})",
                        spec.states.join(", ")
                    ),
                ))
            }
        }
    }

    fn number<'w>(
        &mut self,
        d: Decimal,
        spec: &FieldSpec,
        at: &dyn Fn() -> Where<'w>,
    ) -> CellValue {
        let shown = fmt_decimal;
        if d.is_sign_negative() && !d.is_zero() && !spec.signed {
            let shown = shown(d);
            return CellValue::Bad(self.push(
                DiagnosticCode::NegativeValue,
                Severity::Error,
                at(),
                format!("数值 `{shown}` 为负数（应不小于0）"),
                format!("value `{shown}` is negative (expected 0 or more)"),
            ));
        }
        match spec.value_type {
            // A decimal without fraction digits is whole: no need to compute its fraction.
            ValueType::Count if d.scale() != 0 && !d.fract().is_zero() => {
                let shown = shown(d);
                CellValue::Bad(self.push(
                    DiagnosticCode::FractionalCount,
                    Severity::Error,
                    at(),
                    format!("计数 `{shown}` 不是整数（应为整数）"),
                    format!("count `{shown}` is not a whole number (expected a whole number)"),
                ))
            }
            ValueType::Percent if d > Decimal::ONE_HUNDRED && !spec.signed => {
                let shown = shown(d);
                CellValue::Bad(self.push(
                    DiagnosticCode::PercentOutOfRange,
                    Severity::Error,
                    at(),
                    format!("百分比 `{shown}` 超过100（应在0至100之间）"),
                    format!("percentage `{shown}` is above 100 (expected 0 to 100)"),
                ))
            }
            _ => CellValue::Num(d),
        }
    }
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn show_raw(raw: &RawValue) -> String {
    match raw {
        RawValue::Null => "null".into(),
        RawValue::Bool(b) => b.to_string(),
        RawValue::Number(t) | RawValue::Text(t) => clip(t),
        RawValue::Decimal(d) => clip(&d.to_string()),
    }
}

/// Ids of the items the milestones rules of an entity kind name, or `None` when no milestones
/// rule reads the kind (its entities are then not checked against a list).
fn milestone_items<'p>(plan: &'p Plan, kind: &str) -> Option<BTreeSet<&'p str>> {
    fn walk<'p>(rule: &'p Rule, kind: &str, out: &mut Option<BTreeSet<&'p str>>) {
        match rule {
            Rule::Milestones(m) if m.entity_kind == kind => {
                out.get_or_insert_default()
                    .extend(m.items.iter().map(|i| i.id.as_str()));
            }
            Rule::AllOf(a) => a.parts.iter().for_each(|p| walk(&p.rule, kind, out)),
            _ => {}
        }
    }
    let mut out = None;
    plan.targets
        .iter()
        .for_each(|t| walk(&t.rule, kind, &mut out));
    out
}

/// Reads a dataset against a plan's dictionary.
pub(crate) fn prepare<'a>(plan: &Plan, data: &'a Dataset) -> Prepared<'a> {
    let first_year = plan
        .targets
        .iter()
        .filter_map(|t| t.baseline_year)
        .chain(std::iter::once(plan.baseline_year))
        .min()
        .unwrap_or(plan.baseline_year);
    let mut cx = Ctx {
        plan,
        first_year,
        last_year: plan.last_year(),
        diagnostics: Vec::new(),
    };
    let mut out = Prepared::default();
    prepare_series(&mut cx, data, &mut out);
    prepare_entities(&mut cx, data, &mut out);
    prepare_judgements(&mut cx, data, &mut out);
    out.diagnostics = cx.diagnostics;
    out
}

/// Keeps the judgements on qualitative targets; any other is a diagnostic (a judgement never
/// overrides a computed verdict).
fn prepare_judgements<'a>(cx: &mut Ctx<'_>, data: &'a Dataset, out: &mut Prepared<'a>) {
    for (i, j) in data.judgements.iter().enumerate() {
        let target = cx.plan.target(&j.target);
        let problem = match target.map(|t| &t.rule) {
            Some(Rule::Qualitative(_)) => None,
            Some(_) => Some((
                format!("目标 `{}` 由数据计算，不接受记录的评估结论", j.target),
                format!(
                    "target `{}` is computed from data; a recorded judgement cannot decide it",
                    j.target
                ),
            )),
            None => Some((
                format!("规划中没有目标 `{}`", j.target),
                format!("the plan has no target `{}`", j.target),
            )),
        };
        match problem {
            None => out.judgements.entry(j.target.as_str()).or_default().push(j),
            Some((zh, en)) => {
                cx.push(
                    DiagnosticCode::InvalidJudgement,
                    Severity::Error,
                    Where {
                        path: format!("/judgements/{i}/target"),
                        field: None,
                        entity: None,
                        period: None,
                    },
                    zh,
                    en,
                );
            }
        }
    }
}

/// The number a bad total still holds (negative, fractional, above its own total, out of a
/// percent's range): a part is checked against its total whenever both are numbers, as a row
/// verdict checks it (`row::RowRules::judge`), whatever the total's own problems and whichever
/// of the two comes first. `None` when the total is no number (text, a flag, too precise).
fn bad_total(raw: &RawValue, spec: Option<&FieldSpec>) -> Option<Decimal> {
    if !spec.is_some_and(|s| s.value_type.is_numeric()) {
        return None;
    }
    match raw {
        RawValue::Number(text) | RawValue::Text(text) => parse_decimal(text).ok(),
        RawValue::Decimal(d) => exact_decimal(*d).ok(),
        RawValue::Null | RawValue::Bool(_) => None,
    }
}

fn prepare_series<'a>(cx: &mut Ctx<'_>, data: &'a Dataset, out: &mut Prepared<'a>) {
    for (name, series) in &data.series {
        let base = format!("/series/{}", pointer_token(name));
        let Some(spec) = cx.plan.dictionary.series.get(name) else {
            cx.push(
                DiagnosticCode::UnknownSeries,
                Severity::Warning,
                Where {
                    path: base,
                    field: Some(name.clone()),
                    entity: None,
                    period: None,
                },
                format!("规划的数据字典中没有数据序列 `{}`，已忽略", clip(name)),
                format!(
                    "series `{}` is not in the plan's dictionary and is ignored",
                    clip(name)
                ),
            );
            continue;
        };
        let mut index = SeriesIndex::default();
        if let (Some(given), Some(expected)) = (&series.unit, &spec.unit)
            && given != expected
        {
            index.taint = Some(cx.push(
                DiagnosticCode::UnitMismatch,
                Severity::Error,
                Where {
                    path: format!("{base}/unit"),
                    field: Some(name.clone()),
                    entity: None,
                    period: None,
                },
                format!(
                    "数据序列 `{name}` 的单位为 `{}`，应为 `{expected}`",
                    clip(given)
                ),
                format!(
                    "series `{name}` is in `{}`, expected `{expected}`",
                    clip(given)
                ),
            ));
        }
        for (key, obs) in &series.values {
            let at = || Where {
                path: format!("{base}/values/{}", pointer_token(key)),
                field: Some(name.clone()),
                entity: None,
                period: None,
            };
            let year = match cx.year(key, &at) {
                Ok(y) => y,
                Err(d) => {
                    index.taint.get_or_insert(d);
                    continue;
                }
            };
            let cell = cx.cell(obs, series.source.as_deref(), spec, &|| Where {
                period: Some(year),
                ..at()
            });
            index.cells.insert(year, cell);
        }
        out.series.insert(name.as_str(), index);
    }
    // Totals: a series may never exceed the series it is part of.
    let names: Vec<&str> = out.series.keys().copied().collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    for name in sorted {
        let Some(total_name) = cx
            .plan
            .dictionary
            .series
            .get(name)
            .and_then(|s| s.at_most.as_deref())
        else {
            continue;
        };
        let Some(total) = out.series.get(total_name) else {
            continue;
        };
        let total_spec = cx.plan.dictionary.series.get(total_name);
        let raw_totals = data.series.get(total_name);
        let totals: BTreeMap<i32, Decimal> = total
            .cells
            .iter()
            .filter_map(|(y, c)| match c.value {
                CellValue::Num(d) => Some((*y, d)),
                CellValue::Bad(_) => raw_totals
                    .and_then(|s| s.values.get(&y.to_string()))
                    .and_then(|o| bad_total(&o.value, total_spec))
                    .map(|d| (*y, d)),
                _ => None,
            })
            .collect();
        let Some(part) = out.series.get_mut(name) else {
            continue;
        };
        for (year, cell) in part.cells.iter_mut() {
            if let (CellValue::Num(v), Some(t)) = (cell.value, totals.get(year))
                && v > *t
            {
                let d = cx.push(
                    DiagnosticCode::InconsistentTotal,
                    Severity::Error,
                    Where {
                        path: format!("/series/{}/values/{year}", pointer_token(name)),
                        field: Some(name.to_string()),
                        entity: None,
                        period: Some(*year),
                    },
                    format!(
                        "{year}年 `{name}` 为 {}，超过 `{total_name}` 的 {}",
                        fmt_decimal(v),
                        fmt_decimal(*t)
                    ),
                    format!(
                        "`{name}` is {} in {year}, more than `{total_name}` ({})",
                        fmt_decimal(v),
                        fmt_decimal(*t)
                    ),
                );
                cell.value = CellValue::Bad(d);
            }
        }
    }
}

/// What the entity-level checks need to know of one entity, however it arrives.
struct EntityHead<'a> {
    kind: &'a str,
    id: &'a str,
    active_from: Option<i32>,
    active_until: Option<i32>,
    /// Its position among the dataset's entities (its JSON pointer is `/entities/{index}`).
    index: usize,
}

/// An entity's JSON pointer (`/entities/3`), written only where a message needs it.
#[derive(Clone, Copy)]
struct EntityPath(usize);

impl std::fmt::Display for EntityPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/entities/{}", self.0)
    }
}

/// Entity-level state kept across a dataset's entities.
#[derive(Default)]
struct EntityChecks<'a, 'p> {
    /// The milestones items of each entity kind (few kinds: a list).
    items: Vec<(&'a str, Option<BTreeSet<&'p str>>)>,
    /// The first entry of each (kind, id).
    seen: BTreeMap<(&'a str, &'a str), usize>,
    entry: usize,
    /// Whether the entities being checked are a table's that no other source shares a kind
    /// with: a table's ids are distinct (its rows are grouped by id), so none can repeat and
    /// `seen` is left alone (a national table has hundreds of thousands of ids).
    unique_ids: bool,
}

impl<'a, 'p> EntityChecks<'a, 'p> {
    /// The checks of one entity that do not read its records: a repeated id, an id the plan's
    /// list does not have, bad attributes (`attributes` when known-bad attributes must be
    /// checked one by one), bad active years. Returns the entity's taint.
    fn check(
        &mut self,
        cx: &mut Ctx<'p>,
        kind_spec: &crate::dictionary::EntityKindSpec,
        head: &EntityHead<'a>,
        attributes: &mut dyn Iterator<Item = (&str, &str)>,
        kinds: &mut BTreeMap<&'a str, KindIndex<'a>>,
    ) -> Option<usize> {
        let plan = cx.plan;
        let (kind, id) = (head.kind, head.id);
        let base = EntityPath(head.index);
        let mut taint: Option<usize> = None;
        let ent = Some(id);
        let entry = self.entry;
        self.entry += 1;
        if self.unique_ids {
            // No other source of this kind: no id can repeat (see `unique_ids`).
        } else if let Some(&first) = self.seen.get(&(kind, id)) {
            let d = cx.push(
                DiagnosticCode::DuplicateEntity,
                Severity::Error,
                Where {
                    path: format!("{base}/id"),
                    field: None,
                    entity: ent,
                    period: None,
                },
                format!("主体 `{}` 重复出现（第{}项已使用该编号）", clip(id), first),
                format!(
                    "entity `{}` appears twice (entry {} has the same id)",
                    clip(id),
                    first
                ),
            );
            taint = Some(d);
            if let Some(first_entity) = kinds
                .get_mut(kind)
                .and_then(|k| k.entities.iter_mut().find(|e| e.id == id))
            {
                first_entity.taint.get_or_insert(d);
            }
        } else {
            self.seen.insert((kind, id), entry);
        }
        let allowed = match self.items.iter().position(|(k, _)| *k == kind) {
            Some(i) => self.items.get(i).and_then(|(_, a)| a.as_ref()),
            None => {
                self.items.push((kind, milestone_items(plan, kind)));
                self.items.last().and_then(|(_, a)| a.as_ref())
            }
        };
        if let Some(allowed) = allowed
            && !allowed.contains(id)
        {
            taint.get_or_insert(cx.push(
                DiagnosticCode::UnknownEntity,
                Severity::Error,
                Where {
                    path: format!("{base}/id"),
                    field: None,
                    entity: ent,
                    period: None,
                },
                format!("`{}` 不是规划列出的{}", clip(id), kind_spec.title.zh),
                format!(
                    "`{}` is not one of the plan's listed {} items",
                    clip(id),
                    kind_spec.title.en
                ),
            ));
        }
        for (attr, value) in attributes {
            let at = || Where {
                path: format!("{base}/attributes/{}", pointer_token(attr)),
                field: None,
                entity: ent,
                period: None,
            };
            match kind_spec.attributes.get(attr) {
                None => {
                    cx.push(
                        DiagnosticCode::InvalidAttribute,
                        Severity::Warning,
                        at(),
                        format!("{}没有属性 `{}`，已忽略", kind_spec.title.zh, clip(attr)),
                        format!(
                            "{} has no attribute `{}`; it is ignored",
                            kind_spec.title.en,
                            clip(attr)
                        ),
                    );
                }
                Some(spec)
                    if !spec.allowed.is_empty() && !spec.allowed.iter().any(|a| a == value) =>
                {
                    taint.get_or_insert(cx.push(
                        DiagnosticCode::InvalidAttribute,
                        Severity::Error,
                        at(),
                        format!(
                            "属性 `{attr}` 的值 `{}` 无效（应为 {} 之一）",
                            clip(value),
                            spec.allowed.join("、")
                        ),
                        format!(
                            "attribute `{attr}` has invalid value `{}` (expected one of {})",
                            clip(value),
                            spec.allowed.join(", ")
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        if let (Some(from), Some(until)) = (head.active_from, head.active_until)
            && from > until
        {
            taint.get_or_insert(cx.push(
                DiagnosticCode::InvalidActiveYears,
                Severity::Error,
                Where {
                    path: format!("{base}/active_from"),
                    field: None,
                    entity: ent,
                    period: None,
                },
                format!("起始年份 {from} 晚于终止年份 {until}"),
                format!("active_from {from} is after active_until {until}"),
            ));
        }
        taint
    }
}

fn unknown_kind(cx: &mut Ctx<'_>, base: &str, kind: &str, id: &str) {
    cx.push(
        DiagnosticCode::UnknownEntityKind,
        Severity::Warning,
        Where {
            path: format!("{base}/kind"),
            field: None,
            entity: Some(id),
            period: None,
        },
        format!("规划的数据字典中没有主体类型 `{}`，已忽略", clip(kind)),
        format!(
            "entity kind `{}` is not in the plan's dictionary and is ignored",
            clip(kind)
        ),
    );
}

fn unknown_field(
    cx: &mut Ctx<'_>,
    at: Where<'_>,
    kind_spec: &crate::dictionary::EntityKindSpec,
    field: &str,
) {
    cx.push(
        DiagnosticCode::UnknownField,
        Severity::Warning,
        at,
        format!("{}没有字段 `{}`，已忽略", kind_spec.title.zh, clip(field)),
        format!(
            "{} has no field `{}`; it is ignored",
            kind_spec.title.en,
            clip(field)
        ),
    );
}

/// A part above its total: the diagnostic's index.
fn inconsistent_total(
    cx: &mut Ctx<'_>,
    kind_spec: &crate::dictionary::EntityKindSpec,
    spec: &FieldSpec,
    total_field: &str,
    v: Decimal,
    t: Decimal,
    at: Where<'_>,
) -> usize {
    let total_title = kind_spec
        .fields
        .get(total_field)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    cx.push(
        DiagnosticCode::InconsistentTotal,
        Severity::Error,
        at,
        format!(
            "{}（{}）超过{}（{}）",
            spec.title.zh,
            fmt_decimal(v),
            total_title.zh,
            fmt_decimal(t)
        ),
        format!(
            "{} ({}) exceeds {} ({})",
            spec.title.en,
            fmt_decimal(v),
            total_title.en,
            fmt_decimal(t)
        ),
    )
}

fn missing_required(cx: &mut Ctx<'_>, field: &str, spec: &FieldSpec, at: Where<'_>) {
    cx.push(
        DiagnosticCode::MissingRequired,
        Severity::Error,
        at,
        format!("缺少必填项 `{field}`（{}）", spec.title.zh),
        format!("required value `{field}` ({}) is missing", spec.title.en),
    );
}

fn prepare_entities<'a>(cx: &mut Ctx<'_>, data: &'a Dataset, out: &mut Prepared<'a>) {
    let mut checks = EntityChecks::default();
    for (i, entity) in data.entities.iter().enumerate() {
        let base = format!("/entities/{i}");
        let Some(kind_spec) = cx.plan.dictionary.entity_kinds.get(&entity.kind) else {
            unknown_kind(cx, &base, &entity.kind, &entity.id);
            checks.entry += 1;
            continue;
        };
        let kind = entity.kind.as_str();
        let head = EntityHead {
            kind,
            id: &entity.id,
            active_from: entity.active_from,
            active_until: entity.active_until,
            index: i,
        };
        let mut attrs = entity
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()));
        let mut taint = checks.check(cx, kind_spec, &head, &mut attrs, &mut out.kinds);
        let ent = Some(entity.id.as_str());
        let mut records: BTreeMap<i32, Record<'a>> = BTreeMap::new();
        for (key, record) in &entity.records {
            // Paths are only written when there is a problem to report.
            let rbase = || format!("{base}/records/{}", pointer_token(key));
            let year = match cx.year(key, &|| Where {
                path: rbase(),
                field: None,
                entity: ent,
                period: None,
            }) {
                Ok(y) => y,
                Err(d) => {
                    taint.get_or_insert(d);
                    continue;
                }
            };
            let mut cells = Record {
                cells: Vec::with_capacity(record.len()),
            };
            // The record and the dictionary's fields are both sorted by name: walked side by
            // side rather than looked up.
            let mut specs = kind_spec.fields.iter().peekable();
            for (field, obs) in record {
                let at = || Where {
                    path: format!("{}/{}", rbase(), pointer_token(field)),
                    field: Some(format!("{kind}.{field}")),
                    entity: ent,
                    period: Some(year),
                };
                let mut spec = None;
                while let Some((name, s)) = specs.peek() {
                    match name.as_str().cmp(field.as_str()) {
                        std::cmp::Ordering::Less => {
                            specs.next();
                        }
                        std::cmp::Ordering::Equal => {
                            spec = Some(*s);
                            specs.next();
                            break;
                        }
                        std::cmp::Ordering::Greater => break,
                    }
                }
                let Some(spec) = spec else {
                    unknown_field(cx, at(), kind_spec, field);
                    continue;
                };
                let cell = cx.cell(obs, entity.source.as_deref(), spec, &at);
                // The record's map iterates in field order, so the cells stay sorted.
                cells.cells.push((field.as_str(), cell));
            }
            // Required fields and totals within the record, in field order for stable output;
            // `next` walks the (sorted) cells alongside.
            let mut next = 0;
            for (field, spec) in &kind_spec.fields {
                let at = || Where {
                    path: format!("{}/{}", rbase(), pointer_token(field)),
                    field: Some(format!("{kind}.{field}")),
                    entity: ent,
                    period: Some(year),
                };
                while cells
                    .cells
                    .get(next)
                    .is_some_and(|(k, _)| *k < field.as_str())
                {
                    next += 1;
                }
                let value = cells
                    .cells
                    .get(next)
                    .filter(|(k, _)| *k == field.as_str())
                    .map(|(_, c)| c.value);
                if spec.required && matches!(value, None | Some(CellValue::Missing)) {
                    missing_required(cx, field, spec, at());
                }
                if let (Some(total_field), Some(CellValue::Num(v))) = (&spec.at_most, value)
                    && let Some(t) = match cells.get(total_field.as_str()).map(|c| c.value) {
                        Some(CellValue::Num(t)) => Some(t),
                        Some(CellValue::Bad(_)) => record
                            .get(total_field)
                            .and_then(|o| bad_total(&o.value, kind_spec.fields.get(total_field))),
                        _ => None,
                    }
                    && v > t
                {
                    let d = inconsistent_total(cx, kind_spec, spec, total_field, v, t, at());
                    if let Some(c) = cells.get_mut(field.as_str()) {
                        c.value = CellValue::Bad(d);
                    }
                }
            }
            records.insert(year, cells);
        }
        out.kinds
            .entry(kind)
            .or_default()
            .entities
            .push(EntityIndex {
                id: &entity.id,
                name: entity.name.as_deref(),
                attributes: Attributes::Map(&entity.attributes),
                active_from: entity.active_from,
                active_until: entity.active_until,
                records: Records::Json(records),
                taint,
            });
    }
    // The WebAssembly package has no way to build tables (forms send JSON): their code is
    // left out of it.
    #[cfg(not(target_family = "wasm"))]
    {
        let mut base = data.entities.len();
        for table in &data.tables {
            let kind = table.kind();
            checks.unique_ids = !data.entities.iter().any(|e| e.kind == kind)
                && data.tables.iter().filter(|t| t.kind() == kind).count() == 1;
            prepare_table(cx, table, base, &mut checks, out);
            checks.unique_ids = false;
            base += table.entity_count();
        }
    }
}

/// The entities of a table, read in place: each known column typed once against the
/// dictionary (a bad value, or a part above its total, noted by row), the same checks and
/// diagnostics as the table's JSON would get, in the same order, except that a column the
/// dictionary does not know is reported once for the table rather than once per row.
#[cfg(not(target_family = "wasm"))]
fn prepare_table<'a, 'p>(
    cx: &mut Ctx<'p>,
    table: &'a EntityColumns,
    base: usize,
    checks: &mut EntityChecks<'a, 'p>,
    out: &mut Prepared<'a>,
) {
    let kind = table.kind();
    let plan: &'p Plan = cx.plan;
    let Some(kind_spec) = plan.dictionary.entity_kinds.get(kind) else {
        for e in 0..table.entity_count() {
            unknown_kind(cx, &format!("/entities/{}", base + e), kind, table.id(e));
            checks.entry += 1;
        }
        return;
    };
    let first_record = || {
        let row = table.rows(0).first().copied().unwrap_or(0);
        format!("/entities/{base}/records/{}", table.year(row))
    };
    // The known fields, typed in place where the column's type allows; the others reported.
    let mut typed: Vec<(&'a str, &'p FieldSpec, &'a Column, TypedCells<'a>)> = Vec::new();
    for (name, column) in table.fields() {
        let Some(spec) = kind_spec.fields.get(name) else {
            unknown_field(
                cx,
                Where {
                    path: format!("{}/{}", first_record(), pointer_token(name)),
                    field: Some(format!("{kind}.{name}")),
                    entity: None,
                    period: None,
                },
                kind_spec,
                name,
            );
            continue;
        };
        let cells = match column {
            Column::Ints { values, missing } if spec.value_type.is_numeric() => TypedCells::Ints {
                values,
                missing: missing.as_deref(),
                bad: HashMap::new(),
            },
            Column::Flags(values) if spec.value_type == ValueType::Flag => {
                TypedCells::Flags(values)
            }
            _ => TypedCells::Cells(vec![None; column.len()]),
        };
        typed.push((name.as_str(), spec, column, cells));
    }
    // The table's fields in the dictionary's order (both sorted by name): which slot each is.
    let dictionary: Vec<(&String, &FieldSpec, Option<usize>)> = kind_spec
        .fields
        .iter()
        .map(|(f, spec)| {
            let slot = typed.binary_search_by(|(k, ..)| (*k).cmp(f.as_str())).ok();
            (f, spec, slot)
        })
        .collect();
    // Attribute names the dictionary does not know: once for the table.
    let mut unknown_attributes: BTreeSet<&str> = BTreeSet::new();
    for e in 0..table.entity_count() {
        for (attr, _) in table.attributes(e) {
            if !kind_spec.attributes.contains_key(attr) && unknown_attributes.insert(attr) {
                cx.push(
                    DiagnosticCode::InvalidAttribute,
                    Severity::Warning,
                    Where {
                        path: format!("/entities/{}/attributes/{}", base + e, pointer_token(attr)),
                        field: None,
                        entity: None,
                        period: None,
                    },
                    format!("{}没有属性 `{}`，已忽略", kind_spec.title.zh, clip(attr)),
                    format!(
                        "{} has no attribute `{}`; it is ignored",
                        kind_spec.title.en,
                        clip(attr)
                    ),
                );
            }
        }
    }
    // Attribute values the dictionary does not allow, by attribute and code: only those need
    // a look per entity.
    let disallowed: Vec<Vec<bool>> = table
        .attribute_names
        .iter()
        .zip(&table.attribute_values)
        .map(|(name, values)| match kind_spec.attributes.get(name) {
            Some(spec) if !spec.allowed.is_empty() => values
                .iter()
                .map(|v| !spec.allowed.iter().any(|a| a == v))
                .collect(),
            _ => vec![false; values.len()],
        })
        .collect();
    let any_disallowed = disallowed.iter().flatten().any(|b| *b);
    // The fields whose cells need a look on every row: whole numbers that may be negative or
    // above 100 where the dictionary forbids it, and converted columns.
    // A whole-number column with no value out of its range at all (most columns) is left out:
    // one pass over its values instead of a look per row.
    let suspect: Vec<bool> = typed
        .iter()
        .map(|(_, spec, _, cells)| match cells {
            TypedCells::Ints {
                values, missing, ..
            } => {
                let percent = spec.value_type == ValueType::Percent;
                !spec.signed
                    && values
                        .iter()
                        .enumerate()
                        .any(|(i, v)| (*v < 0 || (percent && *v > 100)) && present(*missing, i))
            }
            TypedCells::Flags(_) => false,
            TypedCells::Cells(_) => true,
        })
        .collect();
    let per_row: Vec<usize> = (0..typed.len())
        .filter(|i| suspect.get(*i) == Some(&true))
        .collect();
    // The dictionary's fields that are checked on every row (required, or part of a total),
    // with their slot and their total's; those whose whole columns pass (every value there
    // when required, none above its total) are left out.
    let clean = |spec: &FieldSpec, slot: Option<usize>, total: Option<usize>| {
        let ints = |slot: Option<usize>| match slot.and_then(|s| typed.get(s).map(|t| (s, t))) {
            Some((
                s,
                (
                    _,
                    _,
                    _,
                    TypedCells::Ints {
                        values, missing, ..
                    },
                ),
            )) if suspect.get(s) == Some(&false) => Some((*values, *missing)),
            _ => None,
        };
        let Some((values, missing)) = ints(slot) else {
            return false;
        };
        if spec.required && missing.is_some_and(|m| m.contains(&true)) {
            return false;
        }
        match (spec.at_most.is_some(), total) {
            (false, _) | (true, None) => true,
            (true, Some(_)) => match ints(total) {
                Some((totals, total_missing)) => {
                    values.iter().zip(totals).enumerate().all(|(i, (v, t))| {
                        v <= t || !present(missing, i) || !present(total_missing, i)
                    })
                }
                None => false,
            },
        }
    };
    let checked: Vec<(&String, &FieldSpec, Option<usize>, Option<usize>)> = dictionary
        .iter()
        .filter(|(_, spec, _)| spec.required || spec.at_most.is_some())
        .map(|(f, spec, slot)| {
            let total = spec
                .at_most
                .as_ref()
                .and_then(|t| typed.binary_search_by(|(k, ..)| (*k).cmp(t.as_str())).ok());
            (*f, *spec, *slot, total)
        })
        .filter(|(_, spec, slot, total)| !clean(spec, *slot, *total))
        .collect();
    let table_slot = out.kinds.get(kind).map_or(0, |k| k.tables.len());
    let mut entities = Vec::with_capacity(table.entity_count());
    for e in 0..table.entity_count() {
        let id = table.id(e);
        let (active_from, active_until) = table.active(e);
        let head = EntityHead {
            kind,
            id,
            active_from,
            active_until,
            index: base + e,
        };
        let n_attr = table.attribute_names.len();
        let mut attrs = table
            .attribute_names
            .iter()
            .enumerate()
            .filter(|_| any_disallowed)
            .filter_map(|(a, name)| {
                let code = table.attributes.get(e * n_attr + a).copied().flatten()?;
                let bad = disallowed.get(a)?.get(code as usize).copied()?;
                let value = table.attribute_values.get(a)?.get(code as usize)?;
                bad.then_some((name.as_str(), value.as_str()))
            });
        let mut taint = checks.check(cx, kind_spec, &head, &mut attrs, &mut out.kinds);
        // Entities of this table seen before this one are not in `out.kinds` yet.
        if let Some(d) = taint
            && matches!(
                cx.diagnostics.get(d).map(|x| x.code),
                Some(DiagnosticCode::DuplicateEntity)
            )
            && let Some(first) = entities
                .iter_mut()
                .find(|x: &&mut EntityIndex<'a>| x.id == id)
        {
            first.taint.get_or_insert(d);
        }
        let ent = Some(id);
        let base = EntityPath(head.index);
        for &row in table.rows(e) {
            let year = table.year(row);
            let key = || year.to_string();
            let rbase = || format!("{base}/records/{}", key());
            let year =
                if (1000..=9999).contains(&year) && year >= cx.first_year && year <= cx.last_year {
                    year
                } else {
                    match cx.year(&key(), &|| Where {
                        path: rbase(),
                        field: None,
                        entity: ent,
                        period: None,
                    }) {
                        Ok(y) => y,
                        Err(d) => {
                            taint.get_or_insert(d);
                            continue;
                        }
                    }
                };
            let at = |field: &str| Where {
                path: format!("{}/{}", rbase(), pointer_token(field)),
                field: Some(format!("{kind}.{field}")),
                entity: ent,
                period: Some(year),
            };
            // Each known cell typed, in field order (those that may need it).
            for &i in &per_row {
                let Some((name, spec, column, cells)) = typed.get_mut(i) else {
                    continue;
                };
                match cells {
                    TypedCells::Ints {
                        values,
                        missing,
                        bad,
                    } => {
                        let i = row as usize;
                        if !present(*missing, i) {
                            continue;
                        }
                        let Some(v) = values.get(i) else { continue };
                        let suspect = (*v < 0
                            || (spec.value_type == ValueType::Percent && *v > 100))
                            && !spec.signed;
                        if suspect
                            && let CellValue::Bad(d) =
                                cx.number(Decimal::from(*v), spec, &|| at(name))
                        {
                            bad.insert(row, d);
                        }
                    }
                    TypedCells::Flags(_) => {}
                    TypedCells::Cells(converted) => {
                        if let Some(Some(raw)) = column.value(row as usize) {
                            let value = cx.value(&raw, spec, &|| at(name));
                            if let Some(c) = converted.get_mut(row as usize) {
                                *c = Some(value);
                            }
                        }
                    }
                }
            }
            // Required fields and totals, in the dictionary's field order.
            for &(field, spec, slot, total_slot) in &checked {
                // A whole number present (so a required field is there) and, for a part of a
                // total, a whole-number total at least as large: nothing to report, and no
                // decimal made (the common case on every row of a large table).
                let int = |slot: Option<usize>| {
                    slot.and_then(|s| typed.get(s))
                        .and_then(|(.., c)| c.int(row))
                };
                if let Some(v) = int(slot)
                    && (spec.at_most.is_none() || int(total_slot).is_some_and(|t| v <= t))
                {
                    continue;
                }
                let cell = |slot: Option<usize>| {
                    slot.and_then(|s| typed.get(s))
                        .and_then(|(.., c)| c.get(row))
                };
                let value = cell(slot);
                if spec.required && matches!(value, None | Some(CellValue::Missing)) {
                    missing_required(cx, field, spec, at(field));
                }
                if let (Some(total_field), Some(CellValue::Num(v))) = (&spec.at_most, value) {
                    let t = match cell(total_slot) {
                        Some(CellValue::Num(t)) => Some(t),
                        Some(CellValue::Bad(_)) => total_slot
                            .and_then(|s| typed.get(s))
                            .and_then(|(_, _, column, _)| column.value(row as usize).flatten())
                            .and_then(|raw| bad_total(&raw, kind_spec.fields.get(total_field))),
                        _ => None,
                    };
                    if let Some(t) = t
                        && v > t
                    {
                        let d =
                            inconsistent_total(cx, kind_spec, spec, total_field, v, t, at(field));
                        if let Some((.., c)) = slot.and_then(|s| typed.get_mut(s)) {
                            c.mark_bad(row, d);
                        }
                    }
                }
            }
        }
        entities.push(EntityIndex {
            id,
            name: table.name(e),
            attributes: Attributes::Table(table, e),
            active_from,
            active_until,
            records: Records::Table {
                table: table_slot,
                entity: e,
            },
            taint,
        });
    }
    let index = out.kinds.entry(kind).or_default();
    index.entities.extend(entities);
    index.tables.push(TableIndex {
        table,
        years: table.distinct_years(),
        fields: typed
            .into_iter()
            .map(|(name, _, _, cells)| (name, cells))
            .collect(),
    });
}
