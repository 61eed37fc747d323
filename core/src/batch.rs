//! Many entities at once (批量): the entity records of a [`Dataset`] built from columns, one row
//! per entity and year, as a table library holds them (a million school-year rows from pandas or
//! Arrow), without writing or parsing JSON.
//!
//! The result is an ordinary [`Dataset`]: the same loading rules, the same evaluation, the same
//! hashes as the JSON document with the same values. A row's cell becomes that entity's
//! observation for the row's year; a missing cell (a `NaN` or `NA` in the table) is no
//! observation at all, as if the JSON record left the field out: never a zero, and not an explicit
//! `null` either, so a column that is empty for a year does not make that year the latest one
//! with data. Decimals keep their scale (`2.50` stays `2.50`), as JSON numbers keep their text.
//!
//! ```
//! use plan_rules::batch::{Column, EntityTable, add_entity_table};
//! use plan_rules::{Dataset, RawValue};
//! use rust_decimal::Decimal;
//!
//! let mut data = Dataset::default();
//! let table = EntityTable {
//!     kind: "school".into(),
//!     ids: vec!["S1".into(), "S1".into(), "S2".into()],
//!     years: vec![2016, 2017, 2016],
//!     attributes: vec![("level".into(), vec![Some("primary".into()), None, Some("secondary".into())])],
//!     fields: vec![
//!         ("students".into(), Column::Decimals(vec![Some(Decimal::from(900)), None, Some(Decimal::from(1200))])),
//!         ("ice_snow_activity".into(), Column::Flags(vec![Some(true), Some(false), None])),
//!     ],
//!     ..EntityTable::default()
//! };
//! assert_eq!(add_entity_table(&mut data, table)?, 2);
//! let s1 = &data.entities[0];
//! assert_eq!(s1.attributes["level"], "primary");
//! assert_eq!(s1.records["2016"]["students"].value, RawValue::Decimal(Decimal::from(900)));
//! assert_eq!(s1.records["2016"]["students"].value, RawValue::Number("900".into())); // same JSON
//! assert!(!s1.records["2017"].contains_key("students"));
//! # Ok::<(), plan_rules::DataError>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::dataset::{Dataset, EntityData, Observation, RawValue};
use crate::error::DataError;
use crate::limits;

/// The values of one field, one per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Exact decimals; `None` is a missing cell.
    Decimals(Vec<Option<Decimal>>),
    /// Flags; `None` is a missing cell.
    Flags(Vec<Option<bool>>),
    /// Dictionary-encoded values, for text (states, decimals written as strings) and columns of
    /// mixed types: row `i` holds `values[codes[i]]`; `None` is a missing cell.
    Coded {
        /// One code per row.
        codes: Vec<Option<u32>>,
        /// The distinct values the codes index.
        values: Vec<RawValue>,
    },
}

impl Column {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Decimals(v) => v.len(),
            Column::Flags(v) => v.len(),
            Column::Coded { codes, .. } => codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of a row: `Some(None)` for a missing cell, `None` when the row, or a code, is
    /// out of range.
    fn value(&self, row: usize) -> Option<Option<RawValue>> {
        match self {
            Column::Decimals(v) => v.get(row).map(|d| d.map(RawValue::Decimal)),
            Column::Flags(v) => v.get(row).map(|b| b.map(RawValue::Bool)),
            Column::Coded { codes, values } => match codes.get(row)? {
                None => Some(None),
                Some(code) => values.get(usize::try_from(*code).ok()?).cloned().map(Some),
            },
        }
    }
}

/// Rows of one entity kind, one per entity and year, as columns of equal length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityTable {
    /// The entity kind of every row (school, street ...).
    pub kind: String,
    /// The entity id of each row.
    pub ids: Vec<String>,
    /// The year of each row.
    pub years: Vec<i32>,
    /// The entity's display name on each row (the same on every row of an entity, or missing).
    pub names: Option<Vec<Option<String>>>,
    /// The first year each row's entity exists (the same on every row of an entity, or missing).
    pub active_from: Option<Vec<Option<i32>>>,
    /// The last year each row's entity exists (the same on every row of an entity, or missing).
    pub active_until: Option<Vec<Option<i32>>>,
    /// Fixed attributes (level, street ...) by name: the same on every row of an entity, or
    /// missing.
    pub attributes: Vec<(String, Vec<Option<String>>)>,
    /// The fields recorded each year, by name.
    pub fields: Vec<(String, Column)>,
}

fn shape(path: String, message: String) -> DataError {
    DataError::Shape { path, message }
}

/// Keeps one value per entity, refusing a second different one.
fn settle<T: Clone + PartialEq + std::fmt::Display>(
    slot: &mut Option<T>,
    value: &Option<T>,
    what: &str,
    entity: &str,
    path: impl Fn() -> String,
) -> Result<(), DataError> {
    match (slot.as_ref(), value) {
        (_, None) => Ok(()),
        (None, Some(v)) => {
            *slot = Some(v.clone());
            Ok(())
        }
        (Some(old), Some(v)) if old == v => Ok(()),
        (Some(old), Some(v)) => Err(shape(
            path(),
            format!("entity `{entity}` has {what} both `{old}` and `{v}`"),
        )),
    }
}

/// Appends the entities of a table to a dataset, in the order their ids first appear, and returns
/// how many were added. Every column must have one value per row; an entity may not have two rows
/// for one year, nor two different names or values of one attribute. Entities already in the
/// dataset are not merged with the table's: a repeated id becomes a `duplicate_entity` diagnostic
/// when the data meets a plan, as in JSON.
pub fn add_entity_table(data: &mut Dataset, table: EntityTable) -> Result<usize, DataError> {
    let rows = table.ids.len();
    let base = data.entities.len();
    let base_path = format!("/entities/{base}");
    let mut lengths: Vec<(String, usize)> = vec![("years".into(), table.years.len())];
    for (what, len) in [
        ("names", table.names.as_ref().map(Vec::len)),
        ("active_from", table.active_from.as_ref().map(Vec::len)),
        ("active_until", table.active_until.as_ref().map(Vec::len)),
    ] {
        if let Some(len) = len {
            lengths.push((what.into(), len));
        }
    }
    for (name, values) in &table.attributes {
        lengths.push((format!("attribute `{name}`"), values.len()));
    }
    for (name, column) in &table.fields {
        lengths.push((format!("field `{name}`"), column.len()));
    }
    for (what, len) in lengths {
        if len != rows {
            return Err(shape(
                base_path,
                format!("{what} has {len} rows but the ids have {rows}"),
            ));
        }
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut entities: Vec<EntityData> = Vec::new();
    let mut names: Vec<Option<String>> = Vec::new();
    let mut spans: Vec<(Option<i32>, Option<i32>)> = Vec::new();
    let mut attributes: Vec<Vec<Option<String>>> = Vec::new();
    for (row, id) in table.ids.iter().enumerate() {
        let slot = match index.get(id.as_str()) {
            Some(slot) => *slot,
            None => {
                if base + entities.len() >= limits::MAX_ENTITIES {
                    return Err(DataError::Limit {
                        path: "/entities".into(),
                        what: "entities".into(),
                        limit: limits::MAX_ENTITIES,
                    });
                }
                entities.push(EntityData {
                    kind: table.kind.clone(),
                    id: id.clone(),
                    ..EntityData::default()
                });
                names.push(None);
                spans.push((None, None));
                attributes.push(vec![None; table.attributes.len()]);
                index.insert(id.as_str(), entities.len() - 1);
                entities.len() - 1
            }
        };
        let path = || format!("/entities/{}", base + slot);
        let year = table.years.get(row).copied().unwrap_or_default();
        let (Some(entity), Some(name), Some(span), Some(attrs)) = (
            entities.get_mut(slot),
            names.get_mut(slot),
            spans.get_mut(slot),
            attributes.get_mut(slot),
        ) else {
            continue;
        };
        if let Some(given) = table.names.as_ref().and_then(|n| n.get(row)) {
            settle(name, given, "the name", id, path)?;
        }
        if let Some(given) = table.active_from.as_ref().and_then(|n| n.get(row)) {
            settle(&mut span.0, given, "`active_from`", id, path)?;
        }
        if let Some(given) = table.active_until.as_ref().and_then(|n| n.get(row)) {
            settle(&mut span.1, given, "`active_until`", id, path)?;
        }
        for ((attr, values), kept) in table.attributes.iter().zip(attrs.iter_mut()) {
            if let Some(given) = values.get(row) {
                settle(kept, given, &format!("attribute `{attr}`"), id, path)?;
            }
        }
        let record = match entity.records.entry(year.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => {
                return Err(shape(
                    format!("{}/records/{year}", path()),
                    format!(
                        "entity `{id}` of kind `{}` has more than one row for {year}",
                        table.kind
                    ),
                ));
            }
            std::collections::btree_map::Entry::Vacant(v) => v.insert(BTreeMap::new()),
        };
        for (field, column) in &table.fields {
            let value = column.value(row).ok_or_else(|| {
                shape(
                    format!("{}/records/{year}/{field}", path()),
                    format!("field `{field}` has no value for row {row}"),
                )
            })?;
            if let Some(value) = value {
                record.insert(field.clone(), Observation::from(value));
            }
        }
    }
    let added = entities.len();
    for (((mut entity, name), span), attrs) in
        entities.into_iter().zip(names).zip(spans).zip(attributes)
    {
        entity.name = name;
        (entity.active_from, entity.active_until) = span;
        for ((attr, _), value) in table.attributes.iter().zip(attrs) {
            if let Some(v) = value {
                entity.attributes.insert(attr.clone(), v);
            }
        }
        data.entities.push(entity);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    use crate::eval::{EvaluateOptions, evaluate};
    use crate::plan::Plan;

    fn dec(n: i64) -> Option<Decimal> {
        Some(Decimal::from(n))
    }

    /// The sample's schools, rebuilt as columns (the cells the sample leaves out missing),
    /// give the same dataset and evaluate exactly as the JSON does.
    #[test]
    fn columns_match_the_json_sample() {
        let mut sample = Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        let fields: BTreeSet<String> = sample
            .entities
            .iter()
            .filter(|e| e.kind == "school")
            .flat_map(|e| e.records.values().flat_map(|r| r.keys().cloned()))
            .collect();
        for e in sample.entities.iter_mut().filter(|e| e.kind == "school") {
            e.source = None; // a table has no per-entity source column
        }
        let mut rebuilt = sample.clone();
        rebuilt.entities.retain(|e| e.kind != "school");
        let mut table = EntityTable {
            kind: "school".into(),
            names: Some(Vec::new()),
            active_from: Some(Vec::new()),
            ..EntityTable::default()
        };
        let mut levels = Vec::new();
        let mut streets = Vec::new();
        let mut cells: BTreeMap<&String, Vec<Option<RawValue>>> = BTreeMap::new();
        for e in sample.entities.iter().filter(|e| e.kind == "school") {
            for (year, record) in &e.records {
                table.ids.push(e.id.clone());
                table.years.push(year.parse().unwrap());
                table.names.as_mut().unwrap().push(e.name.clone());
                table.active_from.as_mut().unwrap().push(e.active_from);
                levels.push(e.attributes.get("level").cloned());
                streets.push(e.attributes.get("street").cloned());
                for f in &fields {
                    let value = record.get(f).map(|o| o.value.clone());
                    cells.entry(f).or_default().push(value);
                }
            }
        }
        table.attributes = vec![("level".into(), levels), ("street".into(), streets)];
        for (field, values) in cells {
            let flags = values
                .iter()
                .all(|v| matches!(v, Some(RawValue::Bool(_)) | None));
            let column = if flags {
                Column::Flags(
                    values
                        .iter()
                        .map(|v| match v {
                            Some(RawValue::Bool(b)) => Some(*b),
                            _ => None,
                        })
                        .collect(),
                )
            } else {
                Column::Decimals(
                    values
                        .iter()
                        .map(|v| match v {
                            Some(RawValue::Number(t)) => Some(t.parse().unwrap()),
                            _ => None,
                        })
                        .collect(),
                )
            };
            table.fields.push((field.clone(), column));
        }
        add_entity_table(&mut rebuilt, table).unwrap();
        // The table's entities are appended after the others: compare in a fixed order.
        let key = |d: &Dataset| {
            let mut e = d.entities.clone();
            e.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
            e
        };
        assert!(key(&rebuilt) == key(&sample), "the entities differ");
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = "2018-12-31".parse().unwrap();
        let a = evaluate(&plan, &sample, as_of, EvaluateOptions::default());
        let b = evaluate(&plan, &rebuilt, as_of, EvaluateOptions::default());
        assert_eq!(a.results, b.results);
        assert_eq!(a.summary, b.summary);
    }

    #[test]
    fn the_same_rows_as_json_give_the_same_dataset() {
        let json = r#"{"entities": [
            {"kind": "school", "id": "S1", "name": "One", "attributes": {"level": "primary"},
             "records": {"2016": {"students": 900, "pe_teachers": 4.50, "state": "open", "ice_snow_activity": true},
                         "2017": {"pe_teachers": 5}}},
            {"kind": "school", "id": "S2",
             "records": {"2016": {"students": 1200, "pe_teachers": 3, "state": "closed", "ice_snow_activity": false}}}
        ]}"#;
        let expected = Dataset::from_json(json).unwrap();
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: vec!["S1".into(), "S2".into(), "S1".into()],
            years: vec![2016, 2016, 2017],
            names: Some(vec![Some("One".into()), None, None]),
            attributes: vec![(
                "level".into(),
                vec![Some("primary".into()), None, Some("primary".into())],
            )],
            fields: vec![
                (
                    "students".into(),
                    Column::Decimals(vec![dec(900), dec(1200), None]),
                ),
                (
                    "pe_teachers".into(),
                    Column::Decimals(vec![Some(Decimal::new(450, 2)), dec(3), dec(5)]),
                ),
                (
                    "state".into(),
                    Column::Coded {
                        codes: vec![Some(0), Some(1), None],
                        values: vec![
                            RawValue::Text("open".into()),
                            RawValue::Text("closed".into()),
                        ],
                    },
                ),
                (
                    "ice_snow_activity".into(),
                    Column::Flags(vec![Some(true), Some(false), None]),
                ),
            ],
            ..EntityTable::default()
        };
        assert_eq!(add_entity_table(&mut data, table).unwrap(), 2);
        assert_eq!(data, expected);
        assert_eq!(data.content_hash(), expected.content_hash());
    }

    /// Typed decimals are judged as their text would be: the same diagnostics (negative,
    /// fractional count, more than 28 significant digits), the same report, the same hash.
    #[test]
    fn typed_decimals_read_as_their_text() {
        let texts = [
            "-1",
            "1.5",
            "12345678901234567890123456789",
            "0.00",
            "-0",
            "2.50",
            "7922816251426433759354395033.5",
            "0.0000000000000000000000000001",
        ];
        let mut json = String::from(r#"{"entities": ["#);
        let mut table = EntityTable {
            kind: "school".into(),
            ..EntityTable::default()
        };
        let mut students = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&format!(
                r#"{{"kind": "school", "id": "S{i}", "records": {{"2020": {{"students": {t}, "pe_teachers": {t}}}}}}}"#
            ));
            table.ids.push(format!("S{i}"));
            table.years.push(2020);
            students.push(Some(Decimal::from_str_exact(t).unwrap()));
        }
        json.push_str("]}");
        table.fields = vec![
            ("students".into(), Column::Decimals(students.clone())),
            ("pe_teachers".into(), Column::Decimals(students)),
        ];
        let expected = Dataset::from_json(&json).unwrap();
        let mut data = Dataset::default();
        add_entity_table(&mut data, table).unwrap();
        assert_eq!(data.to_json(), expected.to_json());
        assert_eq!(data.content_hash(), expected.content_hash());
        assert!(matches!(
            data.entities[2].records["2020"]["students"].value,
            RawValue::Decimal(_)
        ));
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = "2020-12-31".parse().unwrap();
        let a = evaluate(&plan, &expected, as_of, EvaluateOptions::default());
        let b = evaluate(&plan, &data, as_of, EvaluateOptions::default());
        assert!(!a.diagnostics.is_empty());
        assert_eq!(a.to_json(), b.to_json());
        let codes: Vec<&str> = b.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"negative_value"), "{codes:?}");
        assert!(codes.contains(&"fractional_count"), "{codes:?}");
        assert!(codes.contains(&"invalid_number"), "{codes:?}");
    }

    #[test]
    fn ragged_columns_are_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: vec!["S1".into(), "S2".into()],
            years: vec![2016],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert_eq!(err.code(), "invalid_shape");
        assert!(err.to_string().contains("years has 1 rows"), "{err}");
        assert!(data.entities.is_empty());
    }

    #[test]
    fn a_repeated_year_is_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: vec!["S1".into(), "S1".into()],
            years: vec![2016, 2016],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert_eq!(err.path(), Some("/entities/0/records/2016"));
        assert!(
            err.to_string().contains("more than one row for 2016"),
            "{err}"
        );
    }

    #[test]
    fn conflicting_attributes_are_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: vec!["S1".into(), "S1".into()],
            years: vec![2016, 2017],
            attributes: vec![(
                "level".into(),
                vec![Some("primary".into()), Some("secondary".into())],
            )],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert!(
            err.to_string()
                .contains("attribute `level` both `primary` and `secondary`"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_code_is_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: vec!["S1".into()],
            years: vec![2016],
            fields: vec![(
                "state".into(),
                Column::Coded {
                    codes: vec![Some(3)],
                    values: vec![],
                },
            )],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert_eq!(err.path(), Some("/entities/0/records/2016/state"));
    }

    #[test]
    fn many_rows_evaluate() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let n = 2_000;
        let mut ids = Vec::new();
        let mut years = Vec::new();
        let mut flags = Vec::new();
        for i in 0..n {
            for y in 2015..=2020 {
                ids.push(format!("S{i:05}"));
                years.push(y);
                flags.push(Some(i % 7 != 0 || y >= 2019));
            }
        }
        let rows = ids.len();
        let mut data = Dataset::default();
        let added = add_entity_table(
            &mut data,
            EntityTable {
                kind: "school".into(),
                ids,
                years,
                attributes: vec![("level".into(), vec![Some("primary".into()); rows])],
                fields: vec![
                    ("students".into(), Column::Decimals(vec![dec(100); rows])),
                    ("ice_snow_activity".into(), Column::Flags(flags)),
                ],
                ..EntityTable::default()
            },
        )
        .unwrap();
        assert_eq!(added, n);
        let report = evaluate(
            &plan,
            &data,
            "2020-12-31".parse().unwrap(),
            EvaluateOptions::default().with_trail(false),
        );
        let a62 = report.result("A6.2").unwrap();
        assert_eq!(a62.counts.unwrap().population, n);
        assert_eq!(a62.counts.unwrap().met, n);
    }
}
