//! Many entities at once (批量): the entity records of a [`Dataset`] held as columns, one row
//! per entity and year, as a table library holds them (a million school-year rows from pandas,
//! polars or Arrow), without an object per row.
//!
//! [`add_entity_table`] checks an [`EntityTable`] (equal lengths, one row per entity and year,
//! one name and one value of each attribute per entity), groups its rows into entities and keeps
//! it in the dataset as [`EntityColumns`]: the columns as they came (whole numbers stay `i64`,
//! texts stay dictionary-encoded), plus the entity of each row. Evaluation reads the columns in
//! place; nothing is copied per cell.
//!
//! The dataset is the same as the JSON document with the same values: its canonical JSON (and so
//! its content hash), its diagnostics and its report are those of the document in which each
//! table's entities follow the `entities` given as JSON, in the order their ids first appear. A
//! missing cell (a `NaN`, `None` or `NA` in the table) is no observation at all, as if the JSON
//! record left the field out: never a zero, and not an explicit `null` either, so a column that
//! is empty for a year does not make that year the latest one with data. Decimals keep their
//! scale (`2.50` stays `2.50`), as JSON numbers keep their text.
//!
//! A column that is not a field of the kind in the plan's dictionary is reported once per table
//! (an `unknown_field` warning naming the column), not once per row.
//!
//! ```
//! use plan_rules::batch::{Column, EntityTable, Labels, add_entity_table};
//! use plan_rules::Dataset;
//!
//! let mut data = Dataset::default();
//! let table = EntityTable {
//!     kind: "school".into(),
//!     ids: Labels::from_texts(["S1", "S1", "S2"].map(Some)),
//!     years: vec![2016, 2017, 2016],
//!     attributes: vec![("level".into(), Labels::from_texts([Some("primary"), None, Some("secondary")]))],
//!     fields: vec![
//!         ("students".into(), Column::ints(vec![900, 0, 1200], Some(vec![false, true, false]))),
//!         ("ice_snow_activity".into(), Column::Flags(vec![Some(true), Some(false), None])),
//!     ],
//!     ..EntityTable::default()
//! };
//! assert_eq!(add_entity_table(&mut data, table)?, 2);
//! assert_eq!(data.entity_count(), 2);
//! assert_eq!(
//!     data.to_json(),
//!     r#"{"entities":[{"kind":"school","id":"S1","attributes":{"level":"primary"},"#.to_owned()
//!         + r#""records":{"2016":{"ice_snow_activity":true,"students":900},"#
//!         + r#""2017":{"ice_snow_activity":false}}},"#
//!         + r#"{"kind":"school","id":"S2","attributes":{"level":"secondary"},"#
//!         + r#""records":{"2016":{"students":1200}}}]}"#
//! );
//! # Ok::<(), plan_rules::DataError>(())
//! ```

use crate::dataset::{Dataset, RawValue};
use crate::error::DataError;
use crate::limits;
use std::sync::Arc;

pub use crate::table::{Column, EntityColumns, Labels};

/// Rows of one entity kind, one per entity and year, as columns of equal length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityTable {
    /// The entity kind of every row (school, street ...).
    pub kind: String,
    /// The entity id of each row (never missing).
    pub ids: Labels,
    /// The year of each row.
    pub years: Vec<i32>,
    /// The entity's display name on each row (the same on every row of an entity, or missing).
    pub names: Option<Labels>,
    /// The first year each row's entity exists (the same on every row of an entity, or missing).
    pub active_from: Option<Vec<Option<i32>>>,
    /// The last year each row's entity exists (the same on every row of an entity, or missing).
    pub active_until: Option<Vec<Option<i32>>>,
    /// Fixed attributes (level, street ...) by name: the same on every row of an entity, or
    /// missing.
    pub attributes: Vec<(String, Labels)>,
    /// The fields recorded each year, by name.
    pub fields: Vec<(String, Column)>,
}

fn shape(path: String, message: String) -> DataError {
    DataError::Shape { path, message }
}

fn too_long(
    text: &str,
    limit: usize,
    path: impl Fn() -> String,
    what: &str,
) -> Result<(), DataError> {
    if text.len() > limit && text.chars().count() > limit {
        return Err(DataError::Limit {
            path: path(),
            what: format!("characters in {what}"),
            limit,
        });
    }
    Ok(())
}

/// Keeps one label per entity (a canonical code), refusing a second different one.
fn settle(
    slot: &mut Option<u32>,
    value: Option<u32>,
    what: &str,
    entity: &str,
    texts: &[String],
    path: impl Fn() -> String,
) -> Result<(), DataError> {
    match (*slot, value) {
        (_, None) => Ok(()),
        (None, Some(v)) => {
            *slot = Some(v);
            Ok(())
        }
        (Some(old), Some(v)) if old == v => Ok(()),
        (Some(old), Some(v)) => {
            let text = |c: u32| texts.get(c as usize).map_or("", String::as_str);
            Err(shape(
                path(),
                format!(
                    "entity `{entity}` has {what} both `{}` and `{}`",
                    text(old),
                    text(v)
                ),
            ))
        }
    }
}

/// A label's canonical code on each row (`None`: missing), refusing a code out of range, and
/// the canonical texts: the labels re-coded in place, their texts moved (a table of a million
/// rows makes no second copy of its codes or ids).
fn label_codes(
    labels: Labels,
    what: &str,
    path: &str,
) -> Result<(Vec<Option<u32>>, Vec<String>), DataError> {
    let (map, distinct) = {
        let (map, texts) = labels.canonical();
        (map, texts.len())
    };
    let Labels { mut codes, values } = labels;
    for (row, c) in codes.iter_mut().enumerate() {
        if let Some(code) = c {
            *code = map.get(*code as usize).copied().ok_or_else(|| {
                shape(
                    path.to_string(),
                    format!(
                        "{what} has code {code} on row {row}, beyond its {} values",
                        map.len()
                    ),
                )
            })?;
        }
    }
    // Canonical codes are given in the order texts first appear: a text is kept when its code
    // is the next one.
    let mut texts: Vec<String> = Vec::with_capacity(distinct);
    for (text, code) in values.into_iter().zip(&map) {
        if *code as usize == texts.len() {
            texts.push(text);
        }
    }
    Ok((codes, texts))
}

/// Whether the years, in the order given, sort as their keys (`"2016"`) do: four-digit years.
fn year_key_order(years: &[i32]) -> bool {
    years.iter().all(|y| (1000..=9999).contains(y))
}

/// `slice[i]` for an index the code has already bounded (an empty default otherwise).
fn at<T: Copy + Default>(slice: &[T], i: usize) -> T {
    slice.get(i).copied().unwrap_or_default()
}

/// Appends the entities of a table to a dataset, in the order their ids first appear, and returns
/// how many were added. Every column must have one value per row; an entity may not have two rows
/// for one year, nor two different names or values of one attribute. Entities already in the
/// dataset are not merged with the table's: a repeated id becomes a `duplicate_entity` diagnostic
/// when the data meets a plan, as in JSON. On an error the dataset is left as it was.
///
/// Unlike a JSON document (at most [`limits::MAX_ENTITIES`] entities), a table may hold as many
/// entities as memory allows (up to 2³² − 1 rows).
pub fn add_entity_table(data: &mut Dataset, mut table: EntityTable) -> Result<usize, DataError> {
    let rows = table.ids.len();
    let base = data.entity_count();
    let base_path = format!("/entities/{base}");
    check_lengths(&table, rows, &base_path)?;
    let (id_max, text_max) = (limits::MAX_ID_CHARS, limits::MAX_TEXT_CHARS);
    too_long(
        &table.kind,
        id_max,
        || format!("{base_path}/kind"),
        "an entity kind",
    )?;
    let entity_path = |slot: u32| format!("/entities/{}", base + slot as usize);

    // Entities, in the order their ids first appear.
    let (id_codes, mut id_texts) =
        label_codes(std::mem::take(&mut table.ids), "the ids", &base_path)?;
    let mut slot_of_code: Vec<Option<u32>> = vec![None; id_texts.len()];
    let mut entity_of_row: Vec<u32> = Vec::with_capacity(rows);
    let mut ids: Vec<Arc<str>> = Vec::new();
    for (row, code) in id_codes.iter().enumerate() {
        let Some(code) = code.map(|c| c as usize) else {
            return Err(shape(
                format!("{base_path}/id"),
                format!("the id of row {row} is missing"),
            ));
        };
        let slot = match slot_of_code.get(code).copied().flatten() {
            Some(s) => s,
            None => {
                // Each code is seen first once: its text moves to the entity.
                let text = id_texts
                    .get_mut(code)
                    .map(std::mem::take)
                    .unwrap_or_default();
                let s = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                too_long(
                    &text,
                    id_max,
                    || format!("{}/id", entity_path(s)),
                    "an entity id",
                )?;
                ids.push(Arc::from(text));
                if let Some(x) = slot_of_code.get_mut(code) {
                    *x = Some(s);
                }
                s
            }
        };
        entity_of_row.push(slot);
    }
    drop(slot_of_code);
    let entities = ids.len();
    let id_of = |slot: u32| ids.get(slot as usize).map_or("", |id| &**id);

    // Names, active years and attributes: one per entity.
    let mut names: Vec<Option<String>> = vec![None; entities];
    if let Some(given) = table.names.take() {
        let (codes, texts) = label_codes(given, "the names", &base_path)?;
        let mut kept: Vec<Option<u32>> = vec![None; entities];
        for (&slot, code) in entity_of_row.iter().zip(&codes) {
            if let Some(k) = kept.get_mut(slot as usize) {
                settle(k, *code, "the name", id_of(slot), &texts, || {
                    format!("{}/name", entity_path(slot))
                })?;
            }
        }
        for ((slot, code), name) in kept.iter().enumerate().zip(names.iter_mut()) {
            if let Some(text) = code.and_then(|c| texts.get(c as usize)) {
                let slot = u32::try_from(slot).unwrap_or(u32::MAX);
                too_long(
                    text,
                    text_max,
                    || format!("{}/name", entity_path(slot)),
                    "a name",
                )?;
                *name = Some(text.clone());
            }
        }
    }
    let mut active: Vec<(Option<i32>, Option<i32>)> = vec![(None, None); entities];
    for (column, from, key) in [
        (&table.active_from, true, "active_from"),
        (&table.active_until, false, "active_until"),
    ] {
        let Some(column) = column else { continue };
        for (&slot, value) in entity_of_row.iter().zip(column) {
            let Some(span) = active.get_mut(slot as usize) else {
                continue;
            };
            let kept = if from { &mut span.0 } else { &mut span.1 };
            match (*kept, value) {
                (_, None) => {}
                (None, Some(v)) => *kept = Some(*v),
                (Some(old), Some(v)) if old == *v => {}
                (Some(old), Some(v)) => {
                    return Err(shape(
                        format!("{}/{key}", entity_path(slot)),
                        format!(
                            "entity `{}` has `{key}` both `{old}` and `{v}`",
                            id_of(slot)
                        ),
                    ));
                }
            }
        }
    }
    let mut given_attributes: Vec<(String, Labels)> = std::mem::take(&mut table.attributes);
    given_attributes.sort_by(|a, b| a.0.cmp(&b.0));
    let n_attr = given_attributes.len();
    let mut attribute_names: Vec<String> = Vec::with_capacity(n_attr);
    let mut attribute_values = Vec::with_capacity(n_attr);
    let mut attributes: Vec<Option<u32>> = vec![None; entities * n_attr];
    for (a, (name, labels)) in given_attributes.into_iter().enumerate() {
        if attribute_names.last() == Some(&name) {
            return Err(shape(
                format!("{base_path}/attributes"),
                format!("attribute `{name}` is given twice"),
            ));
        }
        too_long(
            &name,
            id_max,
            || format!("{base_path}/attributes"),
            "an attribute name",
        )?;
        let what = format!("attribute `{name}`");
        let (codes, texts) = label_codes(labels, &what, &base_path)?;
        for t in &texts {
            too_long(
                t,
                text_max,
                || format!("{base_path}/attributes/{name}"),
                "an attribute",
            )?;
        }
        for (&slot, code) in entity_of_row.iter().zip(&codes) {
            if let Some(k) = attributes.get_mut(slot as usize * n_attr + a) {
                settle(k, *code, &what, id_of(slot), &texts, || {
                    format!("{}/attributes/{name}", entity_path(slot))
                })?;
            }
        }
        attribute_names.push(name);
        attribute_values.push(texts);
    }

    // The rows of each entity together, in the order of their year keys; one row per year.
    let mut starts: Vec<u32> = vec![0; entities + 1];
    for &slot in &entity_of_row {
        if let Some(s) = starts.get_mut(slot as usize + 1) {
            *s += 1;
        }
    }
    for e in 0..entities {
        let before = at(&starts, e);
        if let Some(s) = starts.get_mut(e + 1) {
            *s += before;
        }
    }
    let mut fill: Vec<u32> = starts.get(..entities).unwrap_or(&[]).to_vec();
    let mut order: Vec<u32> = vec![0; rows];
    for (row, &slot) in entity_of_row.iter().enumerate() {
        if let Some(next) = fill.get_mut(slot as usize) {
            if let Some(o) = order.get_mut(*next as usize) {
                *o = u32::try_from(row).unwrap_or(u32::MAX);
            }
            *next += 1;
        }
    }
    drop(fill);
    drop(entity_of_row);
    let years = &table.years;
    let by_number = year_key_order(years);
    for (e, pair) in starts.windows(2).enumerate() {
        let (a, b) = (at(pair, 0) as usize, at(pair, 1) as usize);
        let Some(span) = order.get_mut(a..b) else {
            continue;
        };
        if span.len() > 1 {
            if by_number {
                span.sort_unstable_by_key(|r| at(years, *r as usize));
            } else {
                span.sort_unstable_by_key(|r| at(years, *r as usize).to_string());
            }
        }
        for rows in span.windows(2) {
            let year = at(years, at(rows, 0) as usize);
            if year == at(years, at(rows, 1) as usize) {
                let slot = u32::try_from(e).unwrap_or(u32::MAX);
                return Err(shape(
                    format!("{}/records/{year}", entity_path(slot)),
                    format!(
                        "entity `{}` of kind `{}` has more than one row for {year}",
                        id_of(slot),
                        table.kind
                    ),
                ));
            }
        }
    }

    let mut fields = table.fields;
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    for pair in fields.windows(2) {
        if let [(a, _), (b, _)] = pair
            && a == b
        {
            return Err(shape(
                format!("{base_path}/records"),
                format!("field `{a}` is given twice"),
            ));
        }
    }
    for (name, column) in &fields {
        too_long(
            name,
            id_max,
            || format!("{base_path}/records"),
            "a field name",
        )?;
        if let Column::Coded { codes, values } = column {
            if let Some(row) = codes
                .iter()
                .position(|c| c.is_some_and(|c| values.get(c as usize).is_none()))
            {
                let slot = table_entity(&order, &starts, row);
                let year = at(years, row);
                return Err(shape(
                    format!("{}/records/{year}/{name}", entity_path(slot)),
                    format!("field `{name}` has no value for row {row}"),
                ));
            }
            for v in values {
                if let RawValue::Text(t) | RawValue::Number(t) = v {
                    too_long(t, text_max, || format!("{base_path}/records"), "a value")?;
                }
            }
        }
    }

    data.tables.push(EntityColumns {
        kind: table.kind,
        ids,
        names,
        active,
        attribute_names,
        attribute_values,
        attributes,
        years: table.years,
        order,
        starts,
        fields,
    });
    Ok(entities)
}

/// Every column has one value per row, and there are at most 2³² − 1 rows.
fn check_lengths(table: &EntityTable, rows: usize, base_path: &str) -> Result<(), DataError> {
    let mut lengths: Vec<(String, usize)> = vec![("years".into(), table.years.len())];
    for (what, len) in [
        ("names", table.names.as_ref().map(Labels::len)),
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
        if let Some(len) = column.inner_len_mismatch() {
            lengths.push((format!("the missing-cell flags of field `{name}`"), len));
        }
    }
    for (what, len) in lengths {
        if len != rows {
            return Err(shape(
                base_path.to_string(),
                format!("{what} has {len} rows but the ids have {rows}"),
            ));
        }
    }
    if u32::try_from(rows).is_err() {
        return Err(DataError::Limit {
            path: base_path.to_string(),
            what: "rows in one table".into(),
            limit: u32::MAX as usize,
        });
    }
    Ok(())
}

/// The entity of a table row (only for an error's path: a scan).
fn table_entity(order: &[u32], starts: &[u32], row: usize) -> u32 {
    let at = order.iter().position(|r| *r as usize == row).unwrap_or(0);
    let at = u32::try_from(at).unwrap_or(u32::MAX);
    u32::try_from(starts.partition_point(|s| *s <= at).saturating_sub(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::collections::{BTreeMap, BTreeSet};

    use crate::eval::{EvaluateOptions, evaluate};
    use crate::plan::Plan;

    fn dec(n: i64) -> Option<Decimal> {
        Some(Decimal::from(n))
    }

    fn ids(v: &[&str]) -> Labels {
        Labels::from_texts(v.iter().map(|s| Some(*s)))
    }

    /// id, year, name, active_from, level, street, record
    type SampleRow = (
        String,
        i32,
        Option<String>,
        Option<i32>,
        Option<String>,
        Option<String>,
        BTreeMap<String, RawValue>,
    );

    /// A table's distinct years, near its first row's year or far from it, sorted.
    #[test]
    fn distinct_years_are_every_year_once_in_order() {
        let cases: [&[i32]; 5] = [
            &[],
            &[2020, 2016, 2020, 2018, 2016],
            &[2016, 1953, 2080, 2016, 2079, 1952],
            &[0, -5, i32::MAX, i32::MIN, 7, i32::MAX, -200],
            &[i32::MIN, i32::MIN + 1, i32::MAX - 1, i32::MAX],
        ];
        for years in cases {
            let table = EntityTable {
                kind: "school".into(),
                ids: Labels::from_texts((0..years.len()).map(|i| Some(format!("S{i}")))),
                years: years.to_vec(),
                ..EntityTable::default()
            };
            let mut data = Dataset::default();
            add_entity_table(&mut data, table).unwrap();
            let expected: Vec<i32> = years
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            assert_eq!(data.tables[0].distinct_years(), expected, "{years:?}");
        }
    }

    fn same_report(a: &Dataset, b: &Dataset, as_of: &str) {
        // The fast writer of tables writes what serde writes.
        for d in [a, b] {
            assert_eq!(serde_json::to_string(d).unwrap(), d.to_json());
            assert_eq!(crate::hash::sha256_json(d), d.content_hash());
            assert_eq!(crate::hash::sha256_json_via_pretty(d), d.content_hash());
        }
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = as_of.parse().unwrap();
        let ra = evaluate(&plan, a, as_of, EvaluateOptions::default());
        let rb = evaluate(&plan, b, as_of, EvaluateOptions::default());
        assert_eq!(ra.to_json(), rb.to_json());
    }

    /// The sample's schools, rebuilt as columns (the cells the sample leaves out missing,
    /// whole numbers as `Ints`, others as decimals), in a shuffled row order, give the same
    /// canonical JSON, hash and report as the JSON does.
    #[test]
    fn columns_match_the_json_sample() {
        let mut sample = Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        for e in sample.entities.iter_mut().filter(|e| e.kind == "school") {
            e.source = None; // a table has no per-entity source column
        }
        // Schools last, as a table's entities follow the JSON ones.
        sample.entities.sort_by_key(|e| e.kind == "school");
        let fields: BTreeSet<String> = sample
            .entities
            .iter()
            .filter(|e| e.kind == "school")
            .flat_map(|e| e.records.values().flat_map(|r| r.keys().cloned()))
            .collect();
        let mut rebuilt = sample.clone();
        rebuilt.entities.retain(|e| e.kind != "school");
        let mut rows: Vec<SampleRow> = Vec::new();
        for e in sample.entities.iter().filter(|e| e.kind == "school") {
            for (year, record) in &e.records {
                rows.push((
                    e.id.clone(),
                    year.parse().unwrap(),
                    e.name.clone(),
                    e.active_from,
                    e.attributes.get("level").cloned(),
                    e.attributes.get("street").cloned(),
                    record
                        .iter()
                        .map(|(k, o)| (k.clone(), o.value.clone()))
                        .collect(),
                ));
            }
        }
        // Later years first: rows need not come in order, only each entity's first row does.
        let first: Vec<usize> = {
            let mut seen = BTreeSet::new();
            (0..rows.len())
                .filter(|i| seen.insert(rows[*i].0.clone()))
                .collect()
        };
        let mut order: Vec<usize> = first.clone();
        order.extend((0..rows.len()).rev().filter(|i| !first.contains(i)));
        let rows: Vec<_> = order.into_iter().map(|i| rows[i].clone()).collect();
        let mut table = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts(rows.iter().map(|r| Some(r.0.clone()))),
            years: rows.iter().map(|r| r.1).collect(),
            names: Some(Labels::from_texts(rows.iter().map(|r| r.2.clone()))),
            active_from: Some(rows.iter().map(|r| r.3).collect()),
            attributes: vec![
                (
                    "street".into(),
                    Labels::from_texts(rows.iter().map(|r| r.5.clone())),
                ),
                (
                    "level".into(),
                    Labels::from_texts(rows.iter().map(|r| r.4.clone())),
                ),
            ],
            ..EntityTable::default()
        };
        for field in &fields {
            let cells: Vec<Option<&RawValue>> = rows.iter().map(|r| r.6.get(field)).collect();
            let column = if cells
                .iter()
                .all(|v| matches!(v, Some(RawValue::Bool(_)) | None))
            {
                Column::Flags(
                    cells
                        .iter()
                        .map(|v| match v {
                            Some(RawValue::Bool(b)) => Some(*b),
                            _ => None,
                        })
                        .collect(),
                )
            } else if cells.iter().all(|v| match v {
                Some(RawValue::Number(t)) => t.parse::<i64>().is_ok(),
                _ => v.is_none(),
            }) {
                Column::ints(
                    cells
                        .iter()
                        .map(|v| match v {
                            Some(RawValue::Number(t)) => t.parse().unwrap(),
                            _ => 0,
                        })
                        .collect(),
                    Some(cells.iter().map(Option::is_none).collect()),
                )
            } else {
                Column::Decimals(
                    cells
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
        assert!(
            table
                .fields
                .iter()
                .any(|(_, c)| matches!(c, Column::Ints { .. }))
        );
        add_entity_table(&mut rebuilt, table).unwrap();
        assert_eq!(rebuilt.to_json(), sample.to_json());
        assert_eq!(rebuilt.content_hash(), sample.content_hash());
        for as_of in ["2016-12-31", "2018-12-31", "2020-12-31"] {
            same_report(&sample, &rebuilt, as_of);
        }
    }

    #[test]
    fn the_same_rows_as_json_give_the_same_dataset() {
        let json = r#"{"entities": [
            {"kind": "school", "id": "S1", "name": "One", "attributes": {"level": "primary"},
             "records": {"2016": {"students": 900, "pe_teachers": 4.50, "teachers": "30", "ice_snow_activity": true},
                         "2017": {"pe_teachers": 5}}},
            {"kind": "school", "id": "S2",
             "records": {"2016": {"students": 1200, "pe_teachers": 3, "teachers": 31, "ice_snow_activity": false}}}
        ]}"#;
        let expected = Dataset::from_json(json).unwrap();
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S1", "S2", "S1"]),
            years: vec![2016, 2016, 2017],
            names: Some(Labels::from_texts([Some("One"), None, None])),
            attributes: vec![(
                "level".into(),
                Labels::from_texts([Some("primary"), None, Some("primary")]),
            )],
            fields: vec![
                (
                    "students".into(),
                    Column::ints(vec![900, 1200, -7], Some(vec![false, false, true])),
                ),
                (
                    "pe_teachers".into(),
                    Column::Decimals(vec![Some(Decimal::new(450, 2)), dec(3), dec(5)]),
                ),
                (
                    "teachers".into(),
                    Column::Coded {
                        codes: vec![Some(0), Some(1), None],
                        values: vec![RawValue::Text("30".into()), RawValue::Number("31".into())],
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
        assert_eq!(data.entity_count(), 2);
        assert!(data.entities.is_empty());
        assert_eq!(data.to_json(), expected.to_json());
        assert_eq!(data.content_hash(), expected.content_hash());
        same_report(&expected, &data, "2017-12-31");
    }

    /// Whole-number columns that pass their checks everywhere are checked a column at a time,
    /// the others row by row: a negative value in one row, a part above its total in another
    /// and a required value missing in a third give the diagnostics (and the report) of the
    /// same records as JSON, among clean columns and rows.
    #[test]
    fn a_few_bad_rows_among_clean_columns_read_as_their_json() {
        let (schools, years) = (8_usize, 5_usize);
        let n = schools * years;
        let value = |f: usize, row: usize| i64::try_from(10 + (row * 7 + f * 13) % 50).unwrap();
        let (negative, above, missing) = (5_usize, 23_usize, 17_usize);
        let names = [
            "students",
            "pe_teachers",
            "pe_teachers_ice_snow_trained",
            "health_test_eligible",
            "health_test_passed",
            "teachers",
        ];
        let mut columns: Vec<Vec<i64>> = (0..names.len())
            .map(|f| (0..n).map(|row| value(f, row)).collect())
            .collect();
        // Each part at most its total, but for one row.
        columns[2] = columns[1].iter().map(|total| total - 1).collect();
        columns[4] = columns[3].iter().map(|total| total / 2).collect();
        columns[2][above] = columns[1][above] + 5;
        columns[3][negative] = -4;
        let mut json = String::from(r#"{"entities": ["#);
        for s in 0..schools {
            json.push_str(if s > 0 { "," } else { "" });
            json.push_str(&format!(
                r#"{{"kind": "school", "id": "S{s}", "records": {{"#
            ));
            for y in 0..years {
                let row = s * years + y;
                json.push_str(if y > 0 { "," } else { "" });
                let cells: Vec<String> = names
                    .iter()
                    .enumerate()
                    .filter(|(f, _)| !(*f == 0 && row == missing))
                    .map(|(f, name)| format!(r#""{name}": {}"#, columns[f][row]))
                    .collect();
                json.push_str(&format!(r#""{}": {{{}}}"#, 2016 + y, cells.join(", ")));
            }
            json.push_str("}}");
        }
        json.push_str("]}");
        let expected = Dataset::from_json(&json).unwrap();
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts((0..n).map(|row| Some(format!("S{}", row / years)))),
            years: (0..n)
                .map(|row| 2016 + i32::try_from(row % years).unwrap())
                .collect(),
            fields: names
                .iter()
                .zip(columns)
                .enumerate()
                .map(|(f, (name, values))| {
                    let mask = (f == 0).then(|| (0..n).map(|row| row == missing).collect());
                    ((*name).to_string(), Column::ints(values, mask))
                })
                .collect(),
            ..EntityTable::default()
        };
        add_entity_table(&mut data, table).unwrap();
        same_report(&expected, &data, "2020-12-31");
        let plan = Plan::xicheng_2016_2020().unwrap();
        let report = evaluate(
            &plan,
            &data,
            "2020-12-31".parse().unwrap(),
            EvaluateOptions::default(),
        );
        let found: Vec<(String, String)> = report
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str().to_string(), d.path.clone()))
            .collect();
        for (code, path) in [
            (
                "negative_value",
                "/entities/1/records/2016/health_test_eligible",
            ),
            (
                "inconsistent_total",
                "/entities/4/records/2019/pe_teachers_ice_snow_trained",
            ),
            ("missing_required", "/entities/3/records/2018/students"),
        ] {
            assert!(
                found.contains(&(code.to_string(), path.to_string())),
                "{code} at {path} not in {found:?}"
            );
        }
    }

    /// Typed decimals and whole numbers are judged as their text would be: the same
    /// diagnostics (negative, fractional count, more than 28 significant digits, a percentage
    /// above 100, a part above its total), the same report, the same hash.
    #[test]
    fn typed_values_read_as_their_text() {
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
        let ints: [i64; 6] = [-1, 0, 150, 3, i64::MAX, i64::MIN];
        let mut json = String::from(r#"{"entities": ["#);
        let mut table_ids = Vec::new();
        let mut students = Vec::new();
        let mut int_students = Vec::new();
        let mut int_passed = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&format!(
                r#"{{"kind": "school", "id": "S{i}", "records": {{"2020": {{"students": {t}, "pe_teachers": {t}}}}}}}"#
            ));
            table_ids.push(format!("S{i}"));
            students.push(Some(Decimal::from_str_exact(t).unwrap()));
        }
        for (i, n) in ints.iter().enumerate() {
            let passed = n.saturating_add(1);
            json.push_str(&format!(
                r#",{{"kind": "school", "id": "T{i}", "records": {{"2020": {{"health_test_eligible": {n}, "health_test_passed": {passed}}}}}}}"#
            ));
            int_students.push(*n);
            int_passed.push(passed);
        }
        json.push_str("]}");
        let mut data = Dataset::default();
        let decimals = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts(table_ids.iter().map(Some)),
            years: vec![2020; texts.len()],
            fields: vec![
                ("students".into(), Column::Decimals(students.clone())),
                ("pe_teachers".into(), Column::Decimals(students)),
            ],
            ..EntityTable::default()
        };
        add_entity_table(&mut data, decimals).unwrap();
        let whole = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts((0..ints.len()).map(|i| Some(format!("T{i}")))),
            years: vec![2020; ints.len()],
            fields: vec![
                (
                    "health_test_eligible".into(),
                    Column::ints(int_students, None),
                ),
                ("health_test_passed".into(), Column::ints(int_passed, None)),
            ],
            ..EntityTable::default()
        };
        add_entity_table(&mut data, whole).unwrap();
        let expected = Dataset::from_json(&json).unwrap();
        assert_eq!(data.to_json(), expected.to_json());
        assert_eq!(data.content_hash(), expected.content_hash());
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = "2020-12-31".parse().unwrap();
        let a = evaluate(&plan, &expected, as_of, EvaluateOptions::default());
        let b = evaluate(&plan, &data, as_of, EvaluateOptions::default());
        assert!(!a.diagnostics.is_empty());
        assert_eq!(a.to_json(), b.to_json());
        let codes: Vec<&str> = b.diagnostics.iter().map(|d| d.code.as_str()).collect();
        for code in [
            "negative_value",
            "fractional_count",
            "invalid_number",
            "inconsistent_total",
        ] {
            assert!(codes.contains(&code), "{code} not in {codes:?}");
        }
    }

    /// A column the dictionary does not know is one warning for the table, not one per row;
    /// an unknown attribute column likewise.
    #[test]
    fn an_unknown_column_is_reported_once() {
        let mut data = Dataset::default();
        let n = 50;
        add_entity_table(
            &mut data,
            EntityTable {
                kind: "school".into(),
                ids: Labels::from_texts((0..n).map(|i| Some(format!("S{i}")))),
                years: vec![2020; n],
                attributes: vec![(
                    "colour".into(),
                    Labels::from_texts((0..n).map(|_| Some("red"))),
                )],
                fields: vec![
                    ("studnets".into(), Column::ints(vec![5; n], None)),
                    ("students".into(), Column::ints(vec![5; n], None)),
                ],
                ..EntityTable::default()
            },
        )
        .unwrap();
        let plan = Plan::xicheng_2016_2020().unwrap();
        let report = evaluate(
            &plan,
            &data,
            "2020-12-31".parse().unwrap(),
            EvaluateOptions::default(),
        );
        let unknown: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "unknown_field")
            .collect();
        assert_eq!(unknown.len(), 1, "{:?}", report.diagnostics);
        assert_eq!(unknown[0].path, "/entities/0/records/2020/studnets");
        assert_eq!(unknown[0].field.as_deref(), Some("school.studnets"));
        let attrs = report
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "invalid_attribute")
            .count();
        assert_eq!(attrs, 1);
    }

    /// An id given both as JSON and in a table is a duplicate, as two JSON entities are.
    #[test]
    fn a_table_entity_repeating_a_json_one_is_a_duplicate() {
        let json = r#"{"entities": [
            {"kind": "school", "id": "S1", "records": {"2020": {"students": 5}}},
            {"kind": "school", "id": "S1", "records": {"2020": {"students": 6}}},
            {"kind": "school", "id": "S2", "records": {"2020": {"students": 7}}},
            {"kind": "school", "id": "S2", "records": {"2020": {"students": 8}}}
        ]}"#;
        let expected = Dataset::from_json(json).unwrap();
        let mut data = Dataset::from_json(
            r#"{"entities": [{"kind": "school", "id": "S1", "records": {"2020": {"students": 5}}}]}"#,
        )
        .unwrap();
        let table = |id: &str, students: i64| EntityTable {
            kind: "school".into(),
            ids: ids(&[id]),
            years: vec![2020],
            fields: vec![("students".into(), Column::ints(vec![students], None))],
            ..EntityTable::default()
        };
        add_entity_table(&mut data, table("S1", 6)).unwrap();
        add_entity_table(&mut data, table("S2", 7)).unwrap();
        add_entity_table(&mut data, table("S2", 8)).unwrap();
        assert_eq!(data.to_json(), expected.to_json());
        same_report(&expected, &data, "2020-12-31");
    }

    #[test]
    fn years_outside_the_plan_or_not_four_digits_taint_as_in_json() {
        let json = r#"{"entities": [
            {"kind": "school", "id": "S1", "records": {"2016": {"students": 5}, "2030": {"students": 6}}},
            {"kind": "school", "id": "S2", "records": {"12016": {"students": 5}, "2016": {"students": 6}}},
            {"kind": "school", "id": "S3", "records": {"-5": {"students": 5}, "2016": {"students": 6}}}
        ]}"#;
        let expected = Dataset::from_json(json).unwrap();
        let mut data = Dataset::default();
        add_entity_table(
            &mut data,
            EntityTable {
                kind: "school".into(),
                ids: ids(&["S1", "S1", "S2", "S2", "S3", "S3"]),
                years: vec![2030, 2016, 2016, 12016, 2016, -5],
                fields: vec![(
                    "students".into(),
                    Column::ints(vec![6, 5, 6, 5, 6, 5], None),
                )],
                ..EntityTable::default()
            },
        )
        .unwrap();
        assert_eq!(data.to_json(), expected.to_json());
        same_report(&expected, &data, "2020-12-31");
    }

    #[test]
    fn ragged_columns_are_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S1", "S2"]),
            years: vec![2016],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert_eq!(err.code(), "invalid_shape");
        assert!(err.to_string().contains("years has 1 rows"), "{err}");
        assert_eq!(data.entity_count(), 0);
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S1", "S2"]),
            years: vec![2016, 2016],
            fields: vec![(
                "students".into(),
                Column::Ints {
                    values: vec![1, 2],
                    missing: Some(vec![false]),
                },
            )],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert!(
            err.to_string()
                .contains("the missing-cell flags of field `students` has 1 rows"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_id_is_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts([Some("S1"), None]),
            years: vec![2016, 2016],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert_eq!(err.path(), Some("/entities/0/id"));
        assert!(
            err.to_string().contains("the id of row 1 is missing"),
            "{err}"
        );
    }

    #[test]
    fn a_repeated_year_is_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S0", "S1", "S1"]),
            years: vec![2016, 2016, 2016],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert_eq!(err.path(), Some("/entities/1/records/2016"));
        assert!(
            err.to_string().contains("more than one row for 2016"),
            "{err}"
        );
        assert_eq!(data.entity_count(), 0);
    }

    #[test]
    fn conflicting_attributes_and_names_are_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S1", "S1"]),
            years: vec![2016, 2017],
            attributes: vec![(
                "level".into(),
                Labels::from_texts([Some("primary"), Some("secondary")]),
            )],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert!(
            err.to_string()
                .contains("attribute `level` both `primary` and `secondary`"),
            "{err}"
        );
        assert_eq!(err.path(), Some("/entities/0/attributes/level"));
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S1", "S1"]),
            years: vec![2016, 2017],
            names: Some(Labels::from_texts([Some("One"), Some("Two")])),
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert!(
            err.to_string().contains("the name both `One` and `Two`"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_code_is_refused() {
        let mut data = Dataset::default();
        let table = EntityTable {
            kind: "school".into(),
            ids: ids(&["S1"]),
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
        let table = EntityTable {
            kind: "school".into(),
            ids: Labels {
                codes: vec![Some(1)],
                values: vec!["S1".into()],
            },
            years: vec![2016],
            ..EntityTable::default()
        };
        let err = add_entity_table(&mut data, table).unwrap_err();
        assert!(
            err.to_string().contains("the ids has code 1 on row 0"),
            "{err}"
        );
    }

    #[test]
    fn many_rows_evaluate() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let n = 2_000;
        let mut id = Vec::new();
        let mut years = Vec::new();
        let mut flags = Vec::new();
        for i in 0..n {
            for y in 2015..=2020 {
                id.push(Some(format!("S{i:05}")));
                years.push(y);
                flags.push(Some(i % 7 != 0 || y >= 2019));
            }
        }
        let rows = id.len();
        let mut data = Dataset::default();
        let added = add_entity_table(
            &mut data,
            EntityTable {
                kind: "school".into(),
                ids: Labels::from_texts(id),
                years,
                attributes: vec![(
                    "level".into(),
                    Labels::from_texts(vec![Some("primary"); rows]),
                )],
                fields: vec![
                    ("students".into(), Column::ints(vec![100; rows], None)),
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
