//! Entity tables for `report --data schools.csv` or `--data schools.parquet` (the conventions of
//! the Python package's `Dataset.from_pandas`): one row per entity and year, wide (`id`, `year`,
//! a column per field) or long (`id`, `year`, `field`, `value`); optional `kind`, `name`,
//! `active_from`, `active_until`; the attribute columns the plan's dictionary defines for the
//! kind. A missing cell (an empty CSV cell, a Parquet null, a NaN) is no observation.
//!
//! The readers (`csv_table`, `parquet_table`) give a [`Table`] of columns; this module applies
//! the conventions and builds the core's [`EntityTable`]. A CSV column is text, typed once by
//! what it holds: whole numbers, `true`/`false` flags, decimals (their exact text), or else text
//! (states, and values the dictionary will diagnose). A Parquet column keeps the type it was
//! written with, as a typed column from Python does: text stays text.

use std::collections::{BTreeMap, HashMap};

use plan_rules::batch::{Column, EntityTable, Labels};
use plan_rules::number::parse_decimal;
use plan_rules::{Plan, RawValue};
use rust_decimal::Decimal;

/// Columns that are never fields.
const RESERVED: [&str; 8] = [
    "kind",
    "id",
    "year",
    "name",
    "active_from",
    "active_until",
    "field",
    "value",
];

/// A problem with a table: a code, where (`schools.csv:12`, `schools.parquet:row 11`, a file),
/// and what.
#[derive(Debug)]
pub struct TableError {
    pub code: &'static str,
    pub location: String,
    pub message: String,
}

pub fn error(code: &'static str, location: String, message: String) -> TableError {
    TableError {
        code,
        location,
        message,
    }
}

/// The cells of one column.
#[derive(Debug, Clone)]
pub enum Cells {
    /// CSV text, typed by what the column holds once its use is known.
    Untyped(Labels),
    /// Text that stays text (Parquet strings, dates as `YYYY-MM-DD`).
    Text(Labels),
    /// Whole numbers; `missing[i]` marks a missing cell.
    Ints {
        values: Vec<i64>,
        missing: Vec<bool>,
    },
    /// Exact decimals; `None` is a missing cell.
    Decimals(Vec<Option<Decimal>>),
    /// Flags; `None` is a missing cell.
    Flags(Vec<Option<bool>>),
}

/// A value of a key column (`kind`, `id`, `year`), to find the rows of one entity and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Missing,
    Code(u32),
    Int(i64),
    Decimal(Decimal),
    Flag(bool),
}

impl Cells {
    fn is_present(&self, row: usize) -> bool {
        match self {
            Cells::Untyped(l) | Cells::Text(l) => l.codes.get(row).is_some_and(Option::is_some),
            Cells::Ints { missing, .. } => missing.get(row) == Some(&false),
            Cells::Decimals(v) => v.get(row).is_some_and(Option::is_some),
            Cells::Flags(v) => v.get(row).is_some_and(Option::is_some),
        }
    }

    fn key(&self, row: usize) -> Key {
        let key = match self {
            Cells::Untyped(l) | Cells::Text(l) => {
                l.codes.get(row).copied().flatten().map(Key::Code)
            }
            Cells::Ints { values, missing } => match (values.get(row), missing.get(row)) {
                (Some(v), Some(false)) => Some(Key::Int(*v)),
                _ => None,
            },
            Cells::Decimals(v) => v.get(row).copied().flatten().map(Key::Decimal),
            Cells::Flags(v) => v.get(row).copied().flatten().map(Key::Flag),
        };
        key.unwrap_or(Key::Missing)
    }

    /// The cells of the given rows, in their order (`None`: a missing cell).
    fn take(&self, rows: &[Option<usize>]) -> Cells {
        fn pick<T: Copy>(v: &[Option<T>], rows: &[Option<usize>]) -> Vec<Option<T>> {
            rows.iter()
                .map(|r| r.and_then(|r| v.get(r).copied().flatten()))
                .collect()
        }
        match self {
            Cells::Untyped(l) => Cells::Untyped(take_labels(l, rows)),
            Cells::Text(l) => Cells::Text(take_labels(l, rows)),
            Cells::Ints { values, missing } => {
                let cell = |r: Option<usize>| {
                    r.filter(|r| missing.get(*r) == Some(&false))
                        .and_then(|r| values.get(r).copied())
                };
                Cells::Ints {
                    values: rows.iter().map(|r| cell(*r).unwrap_or(0)).collect(),
                    missing: rows.iter().map(|r| cell(*r).is_none()).collect(),
                }
            }
            Cells::Decimals(v) => Cells::Decimals(pick(v, rows)),
            Cells::Flags(v) => Cells::Flags(pick(v, rows)),
        }
    }
}

/// The labels of the given rows, each text that is still used kept once.
fn take_labels(labels: &Labels, rows: &[Option<usize>]) -> Labels {
    let mut renumbered: Vec<Option<u32>> = vec![None; labels.values.len()];
    let mut out = Labels::default();
    for r in rows {
        let code = r.and_then(|r| labels.codes.get(r).copied().flatten());
        let new = code.and_then(|c| {
            let slot = renumbered.get_mut(c as usize)?;
            if slot.is_none() {
                *slot = Some(u32::try_from(out.values.len()).unwrap_or(u32::MAX));
                out.values
                    .push(labels.values.get(c as usize).cloned().unwrap_or_default());
            }
            *slot
        });
        out.codes.push(new);
    }
    out
}

/// Labels built a row at a time, each distinct text kept once (in the order it first appears).
#[derive(Default)]
pub struct LabelsBuilder {
    index: HashMap<String, u32>,
    labels: Labels,
}

impl LabelsBuilder {
    pub fn push(&mut self, text: Option<&str>) {
        let code = text.map(|t| match self.index.get(t) {
            Some(c) => *c,
            None => {
                let c = u32::try_from(self.labels.values.len()).unwrap_or(u32::MAX);
                self.index.insert(t.to_string(), c);
                self.labels.values.push(t.to_string());
                c
            }
        });
        self.labels.codes.push(code);
    }

    pub fn finish(self) -> Labels {
        self.labels
    }
}

/// One column: its name, its type as the source wrote it (for messages), and its cells.
#[derive(Debug, Clone)]
pub struct TableColumn {
    pub name: String,
    pub type_name: String,
    pub cells: Cells,
}

/// How the rows of a source are named in messages.
#[derive(Debug)]
pub enum Rows {
    /// CSV: the line of each source row (the header is line 1).
    Lines(Vec<u64>),
    /// Parquet: rows counted from 0, as pandas and polars count them.
    Counted,
}

/// A table as read: its columns, and where each row came from.
#[derive(Debug)]
pub struct Table {
    source: String,
    columns: Vec<TableColumn>,
    /// The source row of each row (each key's first row, once a long table is widened).
    origin: Vec<usize>,
    rows: Rows,
}

impl Table {
    /// A table of `len` rows; every column has `len` cells.
    pub fn new(source: &str, columns: Vec<TableColumn>, len: usize, rows: Rows) -> Table {
        Table {
            source: source.to_string(),
            columns,
            origin: (0..len).collect(),
            rows,
        }
    }

    fn len(&self) -> usize {
        self.origin.len()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    fn column(&self, name: &str) -> Option<&TableColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Where row `row` is: `schools.csv:12` (its line) or `schools.parquet:row 10`.
    fn at(&self, row: usize) -> String {
        let source_row = self.origin.get(row).copied().unwrap_or_default();
        match &self.rows {
            Rows::Lines(lines) => format!(
                "{}:{}",
                self.source,
                lines.get(source_row).copied().unwrap_or_default()
            ),
            Rows::Counted => format!("{}:row {source_row}", self.source),
        }
    }

    /// Where the table as a whole is: the header line of a CSV file, or the file.
    fn whole(&self) -> String {
        match self.rows {
            Rows::Lines(_) => format!("{}:1", self.source),
            Rows::Counted => self.source.clone(),
        }
    }

    /// A long table (`field`, `value`) as a wide one: a column per field, one row per `id`,
    /// `year` (and `kind`), the other columns kept from each key's first row. The fields' columns
    /// have the `value` column's type.
    fn widened(self) -> Result<Table, TableError> {
        let (Some(field), Some(value)) = (self.position("field"), self.position("value")) else {
            return Ok(self);
        };
        let keys: Vec<usize> = ["kind", "id", "year"]
            .iter()
            .filter_map(|k| self.position(k))
            .collect();
        let others: Vec<usize> = (0..self.columns.len())
            .filter(|i| *i != field && *i != value && !keys.contains(i))
            .collect();
        let names = match self.columns.get(field) {
            Some(c) => labels(&self, c)?,
            None => Labels::default(),
        };
        let Some(values) = self.columns.get(value) else {
            return Ok(self);
        };
        let mut index: HashMap<[Key; 3], usize> = HashMap::new();
        let mut first: Vec<usize> = Vec::new(); // the first source row of each key
        let mut assigned: Vec<(usize, u32, usize)> = Vec::with_capacity(self.len());
        for r in 0..self.len() {
            let mut key = [Key::Missing; 3];
            for (k, c) in key.iter_mut().zip(&keys) {
                if let Some(column) = self.columns.get(*c) {
                    *k = column.cells.key(r);
                }
            }
            let next = index.len();
            let k = *index.entry(key).or_insert(next);
            if k == first.len() {
                first.push(r);
            }
            let Some(name) = names.codes.get(r).copied().flatten() else {
                return Err(error(
                    "invalid_shape",
                    self.at(r),
                    "the `field` cell is empty".into(),
                ));
            };
            assigned.push((k, name, r));
        }
        // The source row of each field's value for each key.
        let mut chosen: Vec<Vec<Option<usize>>> = vec![vec![None; first.len()]; names.values.len()];
        for (k, name, r) in assigned {
            let Some(slot) = chosen.get_mut(name as usize).and_then(|c| c.get_mut(k)) else {
                continue;
            };
            if slot.is_some_and(|earlier| values.cells.is_present(earlier)) {
                let name = names.values.get(name as usize).map_or("", String::as_str);
                return Err(error(
                    "invalid_shape",
                    self.at(r),
                    format!("the field `{name}` is given twice for one entity and year"),
                ));
            }
            *slot = Some(r);
        }
        let rows: Vec<Option<usize>> = first.iter().copied().map(Some).collect();
        let mut columns = Vec::new();
        for c in keys.iter().chain(&others) {
            if let Some(column) = self.columns.get(*c) {
                columns.push(TableColumn {
                    name: column.name.clone(),
                    type_name: column.type_name.clone(),
                    cells: column.cells.take(&rows),
                });
            }
        }
        let by_name: BTreeMap<&str, usize> = names
            .values
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        for (name, i) in by_name {
            let picked = chosen.get(i).map_or(&[][..], Vec::as_slice);
            columns.push(TableColumn {
                name: name.to_string(),
                type_name: values.type_name.clone(),
                cells: values.cells.take(picked),
            });
        }
        let origin = first
            .iter()
            .map(|r| self.origin.get(*r).copied().unwrap_or_default())
            .collect();
        Ok(Table {
            source: self.source,
            columns,
            origin,
            rows: self.rows,
        })
    }
}

/// A column of labels (ids, names, kinds, attributes, groups): text, or whole numbers as text.
fn labels(table: &Table, column: &TableColumn) -> Result<Labels, TableError> {
    match &column.cells {
        Cells::Untyped(l) | Cells::Text(l) => Ok(l.clone()),
        Cells::Ints { values, missing } => {
            let mut out = LabelsBuilder::default();
            for (v, m) in values.iter().zip(missing) {
                out.push((!m).then(|| v.to_string()).as_deref());
            }
            Ok(out.finish())
        }
        Cells::Decimals(_) | Cells::Flags(_) => Err(error(
            "invalid_type",
            table.whole(),
            format!(
                "the column `{}` holds {} values: expected text or whole numbers",
                column.name, column.type_name
            ),
        )),
    }
}

/// A field column: CSV text typed once (whole numbers, flags, decimals, or text); a typed
/// column as it is.
fn field_column(cells: Cells) -> Column {
    match cells {
        Cells::Untyped(text) => typed(text),
        Cells::Text(text) => Column::Coded {
            codes: text.codes,
            values: text.values.into_iter().map(RawValue::Text).collect(),
        },
        Cells::Ints { values, missing } => Column::ints(values, Some(missing)),
        Cells::Decimals(v) => Column::Decimals(v),
        Cells::Flags(v) => Column::Flags(v),
    }
}

/// A CSV column typed by what its texts hold (every text of `text` is used by some row).
fn typed(text: Labels) -> Column {
    fn cells<T: Copy>(codes: &[Option<u32>], typed: &[T]) -> Vec<Option<T>> {
        codes
            .iter()
            .map(|c| c.and_then(|c| typed.get(c as usize).copied()))
            .collect()
    }
    let ints: Option<Vec<i64>> = text.values.iter().map(|v| v.parse().ok()).collect();
    if let Some(ints) = ints {
        let values = cells(&text.codes, &ints)
            .into_iter()
            .map(|v| v.unwrap_or(0))
            .collect();
        let missing = text.codes.iter().map(Option::is_none).collect();
        return Column::ints(values, Some(missing));
    }
    let flag = |c: &str| match c {
        "true" | "TRUE" | "True" => Some(true),
        "false" | "FALSE" | "False" => Some(false),
        _ => None,
    };
    let flags: Option<Vec<bool>> = text.values.iter().map(|v| flag(v)).collect();
    if let Some(flags) = flags {
        return Column::Flags(cells(&text.codes, &flags));
    }
    let decimals: Option<Vec<Decimal>> =
        text.values.iter().map(|v| parse_decimal(v).ok()).collect();
    if let Some(decimals) = decimals {
        return Column::Decimals(cells(&text.codes, &decimals));
    }
    Column::Coded {
        codes: text.codes,
        values: text.values.into_iter().map(RawValue::Text).collect(),
    }
}

/// The year column (`what`: `year`, `active_from` ...): whole numbers.
fn years(
    table: &Table,
    what: &str,
    required: bool,
) -> Result<Option<Vec<Option<i32>>>, TableError> {
    let Some(column) = table.column(what) else {
        return Ok(None);
    };
    let empty = |row: usize| {
        error(
            "invalid_shape",
            table.at(row),
            format!("the `{what}` cell is empty"),
        )
    };
    let not_year = |row: usize, text: &str| {
        error(
            "invalid_shape",
            table.at(row),
            format!("`{text}` in column `{what}` is not a year"),
        )
    };
    let expected = |held: &str| {
        error(
            "invalid_type",
            table.whole(),
            format!(
                "the column `{what}` holds {held}: expected whole-number years, such as `2020`"
            ),
        )
    };
    let mut out = Vec::with_capacity(table.len());
    let mut cell = |row: usize, year: Option<Result<i32, String>>| match year {
        None if required => Err(empty(row)),
        None => {
            out.push(None);
            Ok(())
        }
        Some(Ok(y)) => {
            out.push(Some(y));
            Ok(())
        }
        Some(Err(text)) => Err(not_year(row, &text)),
    };
    match &column.cells {
        Cells::Untyped(l) | Cells::Text(l) => {
            if column.type_name.contains("DATE") {
                return Err(expected(&format!("dates ({})", column.type_name)));
            }
            let parsed: Vec<Result<i32, String>> = l
                .values
                .iter()
                .map(|v| v.parse::<i32>().map_err(|_| v.clone()))
                .collect();
            for (row, c) in l.codes.iter().enumerate() {
                cell(row, c.and_then(|c| parsed.get(c as usize).cloned()))?;
            }
        }
        Cells::Ints { values, missing } => {
            for (row, (v, m)) in values.iter().zip(missing).enumerate() {
                let year = (!m).then(|| i32::try_from(*v).map_err(|_| v.to_string()));
                cell(row, year)?;
            }
        }
        Cells::Decimals(v) => {
            for (row, d) in v.iter().enumerate() {
                let year = d.map(|d| d.normalize().to_string().parse().map_err(|_| d.to_string()));
                cell(row, year)?;
            }
        }
        Cells::Flags(_) => {
            return Err(expected(&format!("{} values", column.type_name)));
        }
    }
    Ok(Some(out))
}

/// The entity table of a table, with the group of each row when `group_by` names a column.
pub fn entity_table(
    table: Table,
    kind: Option<&str>,
    plan: &Plan,
    group_by: Option<&str>,
) -> Result<(EntityTable, Option<Labels>), TableError> {
    let table = table.widened()?;
    let whole = table.whole();
    for needed in ["id", "year"] {
        if table.position(needed).is_none() {
            return Err(error(
                "invalid_shape",
                whole,
                format!("the table has no `{needed}` column"),
            ));
        }
    }
    let kind = match (table.column("kind"), kind) {
        (Some(_), Some(_)) => {
            return Err(error(
                "invalid_shape",
                whole,
                "the table has a `kind` column and --kind was given too".into(),
            ));
        }
        (None, None) => {
            return Err(error(
                "invalid_shape",
                whole,
                "the table has no `kind` column: pass --kind".into(),
            ));
        }
        (None, Some(k)) => k.to_string(),
        (Some(column), None) => {
            let kinds = labels(&table, column)?;
            match kinds.values.as_slice() {
                [k] if kinds.codes.iter().all(Option::is_some) => k.clone(),
                _ => {
                    return Err(error(
                        "invalid_shape",
                        whole,
                        format!(
                            "the `kind` column must hold one kind in every row (it holds {})",
                            kinds.values.len()
                        ),
                    ));
                }
            }
        }
    };
    let ids = match table.column("id") {
        Some(column) => labels(&table, column)?,
        None => Labels::default(),
    };
    if let Some(row) = ids.codes.iter().position(Option::is_none) {
        return Err(error(
            "invalid_shape",
            table.at(row),
            "the `id` cell is empty".into(),
        ));
    }
    let by = match group_by {
        None => None,
        Some(g) => {
            let column = table.column(g).ok_or_else(|| {
                error(
                    "invalid_shape",
                    whole.clone(),
                    format!("the table has no column `{g}` to group by"),
                )
            })?;
            Some(labels(&table, column)?)
        }
    };
    let year_of_rows = years(&table, "year", true)?
        .unwrap_or_default()
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let active_from = years(&table, "active_from", false)?;
    let active_until = years(&table, "active_until", false)?;
    let names = match table.column("name") {
        Some(column) => Some(labels(&table, column)?),
        None => None,
    };
    let known = plan
        .dictionary
        .entity_kinds
        .get(&kind)
        .map(|k| k.attributes.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let mut attributes = Vec::new();
    let mut fields = Vec::new();
    for column in &table.columns {
        if known.contains(&column.name) && !RESERVED.contains(&column.name.as_str()) {
            attributes.push((column.name.clone(), labels(&table, column)?));
        }
    }
    for column in table.columns {
        let name = column.name.as_str();
        if RESERVED.contains(&name) || known.contains(&column.name) || Some(name) == group_by {
            continue;
        }
        fields.push((column.name, field_column(column.cells)));
    }
    let entity = EntityTable {
        kind,
        ids,
        years: year_of_rows,
        names,
        active_from,
        active_until,
        attributes,
        fields,
    };
    Ok((entity, by))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn text(cells: &[Option<&str>]) -> Labels {
        let mut b = LabelsBuilder::default();
        for c in cells {
            b.push(*c);
        }
        b.finish()
    }

    #[test]
    fn csv_text_is_typed_by_what_it_holds() {
        assert_eq!(
            typed(text(&[Some("5"), None, Some("-7")])),
            Column::ints(vec![5, 0, -7], Some(vec![false, true, false]))
        );
        assert_eq!(
            typed(text(&[Some("true"), None, Some("False")])),
            Column::Flags(vec![Some(true), None, Some(false)])
        );
        assert_eq!(
            typed(text(&[Some("2.50"), Some("3")])),
            Column::Decimals(vec![Some(Decimal::new(250, 2)), Some(Decimal::new(3, 0))])
        );
        assert!(matches!(
            typed(text(&[Some("planned"), Some("3")])),
            Column::Coded { .. }
        ));
        assert_eq!(
            typed(text(&[None, None])),
            Column::ints(vec![0, 0], Some(vec![true, true]))
        );
    }

    #[test]
    fn taken_labels_keep_only_the_texts_still_used() {
        let l = text(&[Some("a"), Some("b"), Some("c"), None]);
        let t = take_labels(&l, &[Some(2), None, Some(3), Some(2), Some(0)]);
        assert_eq!(t.codes, vec![Some(0), None, None, Some(0), Some(1)]);
        assert_eq!(t.values, vec!["c".to_string(), "a".to_string()]);
    }
}
