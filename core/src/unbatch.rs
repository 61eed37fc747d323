//! The inverse of [`crate::batch`]: the entity tables a [`Dataset`] holds as columns, given back
//! as the [`EntityTable`]s that build them again, so a dataset can travel as its columns (a
//! pickle, a worker process) rather than as its JSON.
//!
//! Adding each table to a dataset holding the same JSON part (series, JSON entities,
//! judgements), in order, with [`add_entity_table`], gives the same dataset: the same entities
//! in the same order, so the same canonical JSON and content hash, in either [`RowOrder`]. In
//! the table's own order it is the very same value.
//!
//! ```
//! use plan_rules::batch::{Column, EntityTable, Labels, add_entity_table};
//! use plan_rules::unbatch::{RowOrder, entity_tables};
//! use plan_rules::Dataset;
//!
//! let mut data = Dataset::default();
//! let table = EntityTable {
//!     kind: "school".into(),
//!     ids: Labels::from_texts(["S2", "S1", "S2"].map(Some)),
//!     years: vec![2017, 2016, 2016],
//!     fields: vec![("students".into(), Column::ints(vec![900, 1000, 1200], None))],
//!     ..EntityTable::default()
//! };
//! add_entity_table(&mut data, table)?;
//! for order in [RowOrder::Table, RowOrder::Grouped] {
//!     let mut again = Dataset::default();
//!     for table in entity_tables(&data, order) {
//!         add_entity_table(&mut again, table)?;
//!     }
//!     assert_eq!(again.content_hash(), data.content_hash());
//! }
//! let grouped = entity_tables(&data, RowOrder::Grouped).remove(0);
//! assert_eq!(grouped.years, vec![2016, 2017, 2016]); // S2's rows, then S1's
//! # Ok::<(), plan_rules::DataError>(())
//! ```

#[cfg(doc)]
use crate::batch::add_entity_table;
use crate::batch::{Column, EntityColumns, EntityTable, Labels};
use crate::dataset::Dataset;

/// The order in which a table's rows are given back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowOrder {
    /// The order the table was given in.
    #[default]
    Table,
    /// Grouped by entity (in the order their ids first appear), each entity's rows in the
    /// order of their year keys: the order evaluation reads them in.
    Grouped,
}

/// The tables of a dataset, in the order they were added.
pub fn entity_tables(data: &Dataset, order: RowOrder) -> Vec<EntityTable> {
    data.tables.iter().map(|t| entity_table(t, order)).collect()
}

/// One table of a dataset as the [`EntityTable`] that builds it again.
pub fn entity_table(t: &EntityColumns, order: RowOrder) -> EntityTable {
    let entities = t.entity_count();
    // The entity of each row given back, and the table row each comes from (`None`: the same).
    let (entity_of, rows): (Vec<u32>, Option<&[u32]>) = match order {
        RowOrder::Table => {
            let mut entity_of = vec![0u32; t.row_count()];
            for e in 0..entities {
                let slot = u32::try_from(e).unwrap_or(u32::MAX);
                for &row in t.rows(e) {
                    if let Some(x) = entity_of.get_mut(row as usize) {
                        *x = slot;
                    }
                }
            }
            (entity_of, None)
        }
        RowOrder::Grouped => {
            let mut entity_of = Vec::with_capacity(t.row_count());
            for e in 0..entities {
                let slot = u32::try_from(e).unwrap_or(u32::MAX);
                entity_of.extend(std::iter::repeat_n(slot, t.rows(e).len()));
            }
            (entity_of, Some(t.order.as_slice()))
        }
    };
    // A label held per entity, on each row.
    let per_row = |codes: &[Option<u32>]| -> Vec<Option<u32>> {
        entity_of
            .iter()
            .map(|&e| codes.get(e as usize).copied().flatten())
            .collect()
    };
    let names = t.names.iter().any(Option::is_some).then(|| {
        let named = Labels::from_texts(t.names.iter().map(Option::as_deref));
        Labels {
            codes: per_row(&named.codes),
            values: named.values,
        }
    });
    let active = |pick: fn(&Span) -> Option<i32>| {
        t.active.iter().any(|a| pick(a).is_some()).then(|| {
            entity_of
                .iter()
                .map(|&e| t.active.get(e as usize).and_then(pick))
                .collect()
        })
    };
    let n = t.attribute_names.len();
    let attributes = t
        .attribute_names
        .iter()
        .zip(&t.attribute_values)
        .enumerate()
        .map(|(a, (name, values))| {
            let codes: Vec<Option<u32>> = (0..entities)
                .map(|e| t.attributes.get(e * n + a).copied().flatten())
                .collect();
            (
                name.clone(),
                Labels {
                    codes: per_row(&codes),
                    values: values.clone(),
                },
            )
        })
        .collect();
    EntityTable {
        kind: t.kind.clone(),
        ids: Labels {
            codes: entity_of.iter().map(|&e| Some(e)).collect(),
            values: t.ids.iter().map(|id| id.to_string()).collect(),
        },
        years: match rows {
            None => t.years.clone(),
            Some(rows) => rows.iter().map(|&r| t.year(r)).collect(),
        },
        names,
        active_from: active(|a| a.0),
        active_until: active(|a| a.1),
        attributes,
        fields: t
            .fields
            .iter()
            .map(|(name, column)| (name.clone(), reorder(column, rows)))
            .collect(),
    }
}

/// An entity's first and last active years.
type Span = (Option<i32>, Option<i32>);

/// The cells of `values` at `rows`.
fn pick<T: Clone + Default>(values: &[T], rows: &[u32]) -> Vec<T> {
    rows.iter()
        .map(|&r| values.get(r as usize).cloned().unwrap_or_default())
        .collect()
}

/// A column with its rows in the order of `rows` (`None`: as it is).
fn reorder(column: &Column, rows: Option<&[u32]>) -> Column {
    let Some(rows) = rows else {
        return column.clone();
    };
    match column {
        Column::Ints { values, missing } => Column::Ints {
            values: pick(values, rows),
            missing: missing.as_deref().map(|m| pick(m, rows)),
        },
        Column::Decimals(v) => Column::Decimals(pick(v, rows)),
        Column::Flags(v) => Column::Flags(pick(v, rows)),
        Column::Coded { codes, values } => Column::Coded {
            codes: pick(codes, rows),
            values: values.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::add_entity_table;
    use crate::observation::RawValue;
    use rust_decimal::Decimal;

    fn labels(v: &[Option<&str>]) -> Labels {
        Labels::from_texts(v.iter().copied())
    }

    /// A dataset with JSON entities and two tables: every kind of column, missing cells, names,
    /// active years and attributes (some missing), rows out of order, years that sort as text.
    fn dataset() -> Dataset {
        let mut data = Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        let ids = ["S3", "S1", "S3", "S2", "S1", "S1"].map(Some);
        let table = EntityTable {
            kind: "school".into(),
            ids: labels(&ids),
            years: vec![2017, 2018, 2016, 2016, 2016, 2017],
            names: Some(labels(&[
                Some("Third"),
                None,
                None,
                Some("Second"),
                Some("First"),
                None,
            ])),
            active_from: Some(vec![Some(2016), None, None, None, Some(2015), None]),
            active_until: None,
            attributes: vec![
                (
                    "level".into(),
                    labels(&[
                        Some("primary"),
                        Some("secondary"),
                        None,
                        None,
                        None,
                        Some("secondary"),
                    ]),
                ),
                ("street".into(), labels(&[None; 6])),
            ],
            fields: vec![
                (
                    "students".into(),
                    Column::ints(
                        vec![900, 7, 950, 1200, 1000, 1010],
                        Some(vec![false, true, false, false, false, false]),
                    ),
                ),
                (
                    "ratio".into(),
                    Column::Decimals(vec![
                        Some(Decimal::new(250, 2)),
                        None,
                        Some(Decimal::new(-1, 7)),
                        Some(Decimal::ZERO),
                        Some(Decimal::new(3, 0)),
                        None,
                    ]),
                ),
                (
                    "ice_snow_activity".into(),
                    Column::Flags(vec![Some(true), Some(false), None, Some(true), None, None]),
                ),
                (
                    "mixed".into(),
                    Column::Coded {
                        codes: vec![Some(0), Some(1), None, Some(2), Some(3), Some(4)],
                        values: vec![
                            RawValue::Number("1e3".into()),
                            RawValue::Text("done".into()),
                            RawValue::Decimal(Decimal::new(1, 7)),
                            RawValue::Bool(false),
                            RawValue::Null,
                        ],
                    },
                ),
            ],
        };
        add_entity_table(&mut data, table).unwrap();
        let table = EntityTable {
            kind: "project".into(),
            ids: labels(&[Some("P1"), Some("P1"), Some("P1")]),
            years: vec![2000, 999, 1000],
            fields: vec![("done".into(), Column::Flags(vec![Some(true); 3]))],
            ..EntityTable::default()
        };
        add_entity_table(&mut data, table).unwrap();
        data
    }

    /// The dataset's JSON part with the tables added back.
    fn rebuilt(data: &Dataset, tables: Vec<EntityTable>) -> Dataset {
        let mut out = Dataset {
            tables: Vec::new(),
            ..data.clone()
        };
        for t in tables {
            add_entity_table(&mut out, t).unwrap();
        }
        out
    }

    #[test]
    fn the_tables_build_the_same_dataset_in_either_order() {
        let data = dataset();
        let json = data.to_json();
        // In the table's order: the very same value.
        let same = rebuilt(&data, entity_tables(&data, RowOrder::Table));
        assert_eq!(same, data);
        // Grouped: the same entities, JSON and hash; rows in the order evaluation reads them.
        let grouped = rebuilt(&data, entity_tables(&data, RowOrder::Grouped));
        assert_eq!(grouped.to_json(), json);
        assert_eq!(grouped.content_hash(), data.content_hash());
        for t in &grouped.tables {
            assert!(t.order.iter().enumerate().all(|(i, r)| *r as usize == i));
        }
        assert_eq!(
            entity_tables(&grouped, RowOrder::Table),
            entity_tables(&data, RowOrder::Grouped)
        );
        // The years of P1 as its JSON keys sort them.
        let p = entity_tables(&data, RowOrder::Grouped).remove(1);
        assert_eq!(p.years, vec![1000, 2000, 999]);
        // And the same report.
        let plan = crate::Plan::xicheng_2016_2020().unwrap();
        let as_of = "2018-12-31".parse().unwrap();
        let options = crate::EvaluateOptions::default();
        assert_eq!(
            crate::evaluate(&plan, &grouped, as_of, options).to_json(),
            crate::evaluate(&plan, &data, as_of, options).to_json()
        );
    }

    #[test]
    fn what_a_table_leaves_out_stays_out() {
        let data = dataset();
        let tables = entity_tables(&data, RowOrder::Table);
        let school = &tables[0];
        // Names and active years are given back only when an entity has one.
        assert!(school.names.is_some() && school.active_from.is_some());
        assert!(school.active_until.is_none());
        assert!(tables[1].names.is_none() && tables[1].attributes.is_empty());
        // An attribute no entity has is kept (with every row missing).
        assert_eq!(school.attributes[1].0, "street");
        assert!(school.attributes[1].1.codes.iter().all(Option::is_none));
        // The ids on each row, as given.
        let ids: Vec<&str> = school
            .ids
            .codes
            .iter()
            .map(|c| school.ids.values[c.unwrap() as usize].as_str())
            .collect();
        assert_eq!(ids, ["S3", "S1", "S3", "S2", "S1", "S1"]);
    }
}
