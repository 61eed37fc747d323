//! Entity tables from CSV for `report --data schools.csv` (the conventions of the Python
//! package's `Dataset.from_pandas`): one row per entity and year, wide (`id`, `year`, a column
//! per field) or long (`id`, `year`, `field`, `value`); optional `kind`, `name`,
//! `active_from`, `active_until`; the attribute columns the plan's dictionary defines for the
//! kind. An empty cell is no observation. Each field column is typed once: whole numbers,
//! `true`/`false` flags, decimals (their exact text), or else text (states, and values the
//! dictionary will diagnose).

use std::collections::BTreeMap;

use plan_rules::batch::{Column, EntityTable, Labels};
use plan_rules::number::parse_decimal;
use plan_rules::{Plan, RawValue};

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

/// A problem with a table: a code, where (`schools.csv:12`, a column), and what.
#[derive(Debug)]
pub struct TableError {
    pub code: &'static str,
    pub location: String,
    pub message: String,
}

fn error(code: &'static str, location: String, message: String) -> TableError {
    TableError {
        code,
        location,
        message,
    }
}

/// A CSV table: its header and its cells by column (`None`: an empty cell), with the line of
/// each row.
pub struct CsvTable {
    source: String,
    headers: Vec<String>,
    columns: Vec<Vec<Option<String>>>,
    lines: Vec<u64>,
}

impl CsvTable {
    /// Reads CSV text (a header row, then one row per entity and year).
    pub fn read(text: &str, source: &str) -> Result<CsvTable, TableError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| error("invalid_csv", format!("{source}:1"), e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        for (i, h) in headers.iter().enumerate() {
            if headers.iter().take(i).any(|x| x == h) {
                return Err(error(
                    "invalid_shape",
                    format!("{source}:1"),
                    format!("the column `{h}` appears twice in the header"),
                ));
            }
        }
        let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); headers.len()];
        let mut lines = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                error("invalid_csv", format!("{source}:{line}"), e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != headers.len() {
                return Err(error(
                    "invalid_shape",
                    format!("{source}:{line}"),
                    format!(
                        "the row has {} cells but the header {}",
                        record.len(),
                        headers.len()
                    ),
                ));
            }
            for (column, cell) in columns.iter_mut().zip(record.iter()) {
                let cell = cell.trim();
                column.push((!cell.is_empty()).then(|| cell.to_string()));
            }
            lines.push(line);
        }
        Ok(CsvTable {
            source: source.to_string(),
            headers,
            columns,
            lines,
        })
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    fn column(&self, name: &str) -> Option<&[Option<String>]> {
        self.position(name)
            .and_then(|i| self.columns.get(i))
            .map(Vec::as_slice)
    }

    fn at(&self, row: usize) -> String {
        format!(
            "{}:{}",
            self.source,
            self.lines.get(row).copied().unwrap_or_default()
        )
    }

    /// A long table (`field`, `value`) as a wide one: a column per field, one row per `id`,
    /// `year` (and `kind`), the other columns kept from each key's first row.
    fn widened(self) -> Result<CsvTable, TableError> {
        let (Some(field), Some(value)) = (self.position("field"), self.position("value")) else {
            return Ok(self);
        };
        let keys: Vec<usize> = ["kind", "id", "year"]
            .iter()
            .filter_map(|k| self.position(k))
            .collect();
        let others: Vec<usize> = (0..self.headers.len())
            .filter(|i| *i != field && *i != value && !keys.contains(i))
            .collect();
        let cell = |c: usize, r: usize| {
            self.columns
                .get(c)
                .and_then(|col| col.get(r))
                .cloned()
                .flatten()
        };
        let mut index: BTreeMap<Vec<Option<String>>, usize> = BTreeMap::new();
        let mut rows: Vec<usize> = Vec::new(); // the first source row of each key
        let mut fields: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
        let mut assigned: Vec<(usize, String, usize)> = Vec::new();
        for r in 0..self.lines.len() {
            let key: Vec<Option<String>> = keys.iter().map(|c| cell(*c, r)).collect();
            let next = index.len();
            let k = *index.entry(key).or_insert(next);
            if k == rows.len() {
                rows.push(r);
            }
            let Some(name) = cell(field, r) else {
                return Err(error(
                    "invalid_shape",
                    self.at(r),
                    "the `field` cell is empty".into(),
                ));
            };
            assigned.push((k, name, r));
        }
        for (k, name, r) in assigned {
            let column = fields.entry(name.clone()).or_default();
            column.resize(rows.len(), None);
            if let Some(slot) = column.get_mut(k) {
                if slot.is_some() {
                    return Err(error(
                        "invalid_shape",
                        self.at(r),
                        format!("the field `{name}` is given twice for one entity and year"),
                    ));
                }
                *slot = cell(value, r);
            }
        }
        let mut headers = Vec::new();
        let mut columns = Vec::new();
        for c in keys.iter().chain(&others) {
            headers.push(self.headers.get(*c).cloned().unwrap_or_default());
            columns.push(rows.iter().map(|r| cell(*c, *r)).collect());
        }
        for (name, mut values) in fields {
            values.resize(rows.len(), None);
            headers.push(name);
            columns.push(values);
        }
        let lines = rows
            .iter()
            .map(|r| self.lines.get(*r).copied().unwrap_or_default())
            .collect();
        Ok(CsvTable {
            source: self.source,
            headers,
            columns,
            lines,
        })
    }
}

fn labels(cells: &[Option<String>]) -> Labels {
    Labels::from_texts(cells.iter().map(Option::as_deref))
}

/// A field column typed once: whole numbers, flags, decimals, or text.
fn field_column(cells: &[Option<String>]) -> Column {
    let present = || cells.iter().flatten();
    if present().all(|c| c.parse::<i64>().is_ok()) {
        let values = cells
            .iter()
            .map(|c| c.as_deref().and_then(|c| c.parse().ok()).unwrap_or(0))
            .collect();
        let missing = cells.iter().map(Option::is_none).collect();
        return Column::ints(values, Some(missing));
    }
    let flag = |c: &str| match c {
        "true" | "TRUE" | "True" => Some(true),
        "false" | "FALSE" | "False" => Some(false),
        _ => None,
    };
    if present().all(|c| flag(c).is_some()) {
        return Column::Flags(cells.iter().map(|c| c.as_deref().and_then(flag)).collect());
    }
    if present().all(|c| parse_decimal(c).is_ok()) {
        return Column::Decimals(
            cells
                .iter()
                .map(|c| c.as_deref().and_then(|c| parse_decimal(c).ok()))
                .collect(),
        );
    }
    let text = labels(cells);
    Column::Coded {
        codes: text.codes,
        values: text.values.into_iter().map(RawValue::Text).collect(),
    }
}

/// The year column (`what`: `year`, `active_from` ...): whole numbers.
fn years(
    table: &CsvTable,
    what: &str,
    required: bool,
) -> Result<Option<Vec<Option<i32>>>, TableError> {
    let Some(cells) = table.column(what) else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(cells.len());
    for (row, c) in cells.iter().enumerate() {
        match c {
            None if required => {
                return Err(error(
                    "invalid_shape",
                    table.at(row),
                    format!("the `{what}` cell is empty"),
                ));
            }
            None => out.push(None),
            Some(c) => out.push(Some(c.parse::<i32>().map_err(|_| {
                error(
                    "invalid_shape",
                    table.at(row),
                    format!("`{c}` in column `{what}` is not a year"),
                )
            })?)),
        }
    }
    Ok(Some(out))
}

/// The entity table of a CSV table, with the group of each row when `group_by` names a column.
pub fn entity_table(
    table: CsvTable,
    kind: Option<&str>,
    plan: &Plan,
    group_by: Option<&str>,
) -> Result<(EntityTable, Option<Labels>), TableError> {
    let table = table.widened()?;
    let whole = || format!("{}:1", table.source);
    for needed in ["id", "year"] {
        if table.position(needed).is_none() {
            return Err(error(
                "invalid_shape",
                whole(),
                format!("the table has no `{needed}` column"),
            ));
        }
    }
    let kind = match (table.column("kind"), kind) {
        (Some(_), Some(_)) => {
            return Err(error(
                "invalid_shape",
                whole(),
                "the table has a `kind` column and --kind was given too".into(),
            ));
        }
        (None, None) => {
            return Err(error(
                "invalid_shape",
                whole(),
                "the table has no `kind` column: pass --kind".into(),
            ));
        }
        (None, Some(k)) => k.to_string(),
        (Some(cells), None) => {
            let kinds = labels(cells);
            match kinds.values.as_slice() {
                [k] if kinds.codes.iter().all(Option::is_some) => k.clone(),
                _ => {
                    return Err(error(
                        "invalid_shape",
                        whole(),
                        format!(
                            "the `kind` column must hold one kind in every row (it holds {})",
                            kinds.values.len()
                        ),
                    ));
                }
            }
        }
    };
    let ids = table.column("id").map(labels).unwrap_or_default();
    if let Some(row) = ids.codes.iter().position(Option::is_none) {
        return Err(error(
            "invalid_shape",
            table.at(row),
            "the `id` cell is empty".into(),
        ));
    }
    let by = match group_by {
        None => None,
        Some(g) => Some(table.column(g).map(labels).ok_or_else(|| {
            error(
                "invalid_shape",
                whole(),
                format!("the table has no column `{g}` to group by"),
            )
        })?),
    };
    let known = plan
        .dictionary
        .entity_kinds
        .get(&kind)
        .map(|k| k.attributes.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let mut attributes = Vec::new();
    let mut fields = Vec::new();
    for (name, cells) in table.headers.iter().zip(&table.columns) {
        if RESERVED.contains(&name.as_str()) {
            continue;
        }
        if known.contains(name) {
            attributes.push((name.clone(), labels(cells)));
        } else if Some(name.as_str()) != group_by {
            fields.push((name.clone(), field_column(cells)));
        }
    }
    let entity = EntityTable {
        kind,
        ids,
        years: years(&table, "year", true)?
            .unwrap_or_default()
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        names: table.column("name").map(labels),
        active_from: years(&table, "active_from", false)?,
        active_until: years(&table, "active_until", false)?,
        attributes,
        fields,
    };
    Ok((entity, by))
}
