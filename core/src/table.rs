//! Entities held as columns (see [`crate::batch`]): the typed columns of a table
//! ([`Column`], [`Labels`]) and the table kept in a [`crate::Dataset`] once its rows are grouped
//! into entities ([`EntityColumns`]), written as the JSON entities it stands for.
// The WebAssembly package builds no tables: most of this is compiled out of it.
#![cfg_attr(target_family = "wasm", allow(dead_code))]

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::observation::RawValue;

/// The values of one field, one per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Whole numbers, read in place by evaluation; `missing[i]` marks a missing cell (no
    /// `missing` vector: none is missing). Build it with [`Column::ints`].
    Ints {
        /// One value per row (anything where the cell is missing).
        values: Vec<i64>,
        /// One flag per row, `true` for a missing cell; `None` when no cell is missing.
        missing: Option<Vec<bool>>,
    },
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
    /// A column of whole numbers; `missing` (when given) flags the missing cells.
    pub fn ints(values: Vec<i64>, missing: Option<Vec<bool>>) -> Column {
        // A mask without a missing cell is no mask: one less branch per cell.
        let missing = missing.filter(|m| m.iter().any(|b| *b));
        Column::Ints { values, missing }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Ints { values, .. } => values.len(),
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
    pub fn value(&self, row: usize) -> Option<Option<RawValue>> {
        match self {
            Column::Ints { values, missing } => {
                let v = *values.get(row)?;
                if missing.as_ref().is_some_and(|m| m.get(row) != Some(&false)) {
                    return Some(None);
                }
                Some(Some(RawValue::Decimal(Decimal::from(v))))
            }
            Column::Decimals(v) => v.get(row).map(|d| d.map(RawValue::Decimal)),
            Column::Flags(v) => v.get(row).map(|b| b.map(RawValue::Bool)),
            Column::Coded { codes, values } => match codes.get(row)? {
                None => Some(None),
                Some(code) => values.get(usize::try_from(*code).ok()?).cloned().map(Some),
            },
        }
    }

    /// The missing-cell flag vector of an integer column must have one flag per row.
    pub(crate) fn inner_len_mismatch(&self) -> Option<usize> {
        match self {
            Column::Ints {
                values,
                missing: Some(m),
            } if m.len() != values.len() => Some(m.len()),
            _ => None,
        }
    }
}

/// Text labels (ids, names, attribute values), dictionary-encoded: row `i` holds
/// `values[codes[i]]`; `None` is a missing cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// One code per row.
    pub codes: Vec<Option<u32>>,
    /// The distinct labels the codes index.
    pub values: Vec<String>,
}

impl Labels {
    /// Labels from one text (or `None`) per row, each distinct text kept once.
    ///
    /// ```
    /// use plan_rules::batch::Labels;
    /// let l = Labels::from_texts([Some("a"), None, Some("a"), Some("b")]);
    /// assert_eq!(l.codes, vec![Some(0), None, Some(0), Some(1)]);
    /// assert_eq!(l.values, vec!["a".to_string(), "b".to_string()]);
    /// ```
    pub fn from_texts<S: AsRef<str>>(texts: impl IntoIterator<Item = Option<S>>) -> Labels {
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut out = Labels::default();
        for t in texts {
            let code = t.map(|t| {
                let t = t.as_ref();
                match index.get(t) {
                    Some(c) => *c,
                    None => {
                        let c = u32::try_from(out.values.len()).unwrap_or(u32::MAX);
                        index.insert(t.to_string(), c);
                        out.values.push(t.to_string());
                        c
                    }
                }
            });
            out.codes.push(code);
        }
        out
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// One code per distinct text (two codes of one text become one), and the texts.
    pub(crate) fn canonical(&self) -> (Vec<u32>, Vec<&str>) {
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(self.values.len());
        let mut texts = Vec::new();
        let map = self
            .values
            .iter()
            .map(|v| {
                *index.entry(v.as_str()).or_insert_with(|| {
                    texts.push(v.as_str());
                    u32::try_from(texts.len() - 1).unwrap_or(u32::MAX)
                })
            })
            .collect();
        (map, texts)
    }
}

/// The entities of one kind held as columns in a [`crate::Dataset`] (see [`crate::batch`]):
/// built by [`crate::batch::add_entity_table`], read in place by evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityColumns {
    pub(crate) kind: String,
    /// Per entity, in the order their ids first appear (shared with the culprits that name
    /// them).
    pub(crate) ids: Vec<Arc<str>>,
    pub(crate) names: Vec<Option<String>>,
    pub(crate) active: Vec<(Option<i32>, Option<i32>)>,
    /// Attribute names, sorted, and the distinct values of each.
    pub(crate) attribute_names: Vec<String>,
    pub(crate) attribute_values: Vec<Vec<String>>,
    /// Entity-major: entity `e`'s value of attribute `a` is `attributes[e * n + a]`.
    pub(crate) attributes: Vec<Option<u32>>,
    /// The year of each row (the table's order).
    pub(crate) years: Vec<i32>,
    /// The rows grouped by entity, each entity's rows in the order of their year keys.
    pub(crate) order: Vec<u32>,
    /// Entity `e`'s rows are `order[starts[e]..starts[e + 1]]`.
    pub(crate) starts: Vec<u32>,
    /// The fields, sorted by name.
    pub(crate) fields: Vec<(String, Column)>,
}

impl EntityColumns {
    /// The entity kind.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The number of entities.
    pub fn entity_count(&self) -> usize {
        self.ids.len()
    }

    /// The number of rows (entity-years).
    pub fn row_count(&self) -> usize {
        self.years.len()
    }

    /// The distinct years of the rows, sorted. A table holds a few years, most within a
    /// century: those are marked in a bit set in one branch-light pass over the rows; any
    /// other is kept in a short sorted list.
    pub(crate) fn distinct_years(&self) -> Vec<i32> {
        let Some(&first) = self.years.first() else {
            return Vec::new();
        };
        let base = first.saturating_sub(63);
        let (mut near, mut far) = (0u128, Vec::new());
        for &year in &self.years {
            match u32::try_from(i64::from(year) - i64::from(base)) {
                Ok(bit) if bit < 128 => near |= 1 << bit,
                _ => {
                    if let Err(at) = far.binary_search(&year) {
                        far.insert(at, year);
                    }
                }
            }
        }
        let mut years: Vec<i32> = (0..128)
            .filter(|bit| near & (1 << bit) != 0)
            .filter_map(|bit| base.checked_add(bit))
            .chain(far)
            .collect();
        years.sort_unstable();
        years
    }

    /// The id of entity `e`.
    pub(crate) fn id(&self, e: usize) -> &str {
        self.ids.get(e).map_or("", |id| id)
    }

    /// The id of entity `e`, shared.
    pub(crate) fn shared_id(&self, e: usize) -> Option<&Arc<str>> {
        self.ids.get(e)
    }

    /// The display name of entity `e`.
    pub(crate) fn name(&self, e: usize) -> Option<&str> {
        self.names.get(e).and_then(Option::as_deref)
    }

    /// The active years of entity `e`.
    pub(crate) fn active(&self, e: usize) -> (Option<i32>, Option<i32>) {
        self.active.get(e).copied().unwrap_or((None, None))
    }

    /// The attributes of entity `e`, sorted by name.
    pub(crate) fn attributes(&self, e: usize) -> impl Iterator<Item = (&str, &str)> + '_ {
        let n = self.attribute_names.len();
        self.attribute_names
            .iter()
            .zip(&self.attribute_values)
            .enumerate()
            .filter_map(move |(a, (name, values))| {
                let code = (*self.attributes.get(e * n + a)?)?;
                let value = values.get(usize::try_from(code).ok()?)?;
                Some((name.as_str(), value.as_str()))
            })
    }

    /// The value of attribute `name` of entity `e`.
    pub(crate) fn attribute(&self, e: usize, name: &str) -> Option<&str> {
        let a = self
            .attribute_names
            .binary_search_by(|n| n.as_str().cmp(name))
            .ok()?;
        let code = (*self.attributes.get(e * self.attribute_names.len() + a)?)?;
        self.attribute_values
            .get(a)?
            .get(usize::try_from(code).ok()?)
            .map(String::as_str)
    }

    /// The table rows of entity `e`, in the order of their year keys.
    pub(crate) fn rows(&self, e: usize) -> &[u32] {
        let (Some(&a), Some(&b)) = (self.starts.get(e), self.starts.get(e + 1)) else {
            return &[];
        };
        self.order.get(a as usize..b as usize).unwrap_or(&[])
    }

    /// The year of a table row.
    pub(crate) fn year(&self, row: u32) -> i32 {
        self.years.get(row as usize).copied().unwrap_or_default()
    }

    /// The fields, sorted by name.
    pub(crate) fn fields(&self) -> &[(String, Column)] {
        &self.fields
    }

    /// Entity `e` as its JSON object (see [`crate::Dataset::to_json`]).
    pub(crate) fn entity_json(&self, e: usize) -> impl Serialize + '_ {
        EntityJson { table: self, e }
    }
}

/// What writing a table's entities as compact JSON needs, computed once per table: the JSON of
/// its kind, its field keys (`"students":`), its attribute names and values, and each coded
/// value.
struct JsonParts {
    kind: Vec<u8>,
    fields: Vec<Vec<u8>>,
    attribute_keys: Vec<Vec<u8>>,
    attribute_values: Vec<Vec<Vec<u8>>>,
    coded: Vec<Vec<Vec<u8>>>,
}

fn json_bytes<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

impl EntityColumns {
    fn json_parts(&self) -> JsonParts {
        JsonParts {
            kind: json_bytes(&self.kind),
            fields: self
                .fields
                .iter()
                .map(|(name, _)| {
                    let mut key = json_bytes(name);
                    key.push(b':');
                    key
                })
                .collect(),
            attribute_keys: self
                .attribute_names
                .iter()
                .map(|name| {
                    let mut key = json_bytes(name);
                    key.push(b':');
                    key
                })
                .collect(),
            attribute_values: self
                .attribute_values
                .iter()
                .map(|values| values.iter().map(json_bytes).collect())
                .collect(),
            coded: self
                .fields
                .iter()
                .map(|(_, column)| match column {
                    Column::Coded { values, .. } => values.iter().map(json_bytes).collect(),
                    _ => Vec::new(),
                })
                .collect(),
        }
    }

    /// Writes every entity of the table as compact JSON objects separated by commas (each
    /// preceded by one when `comma`), the bytes serde writes for [`Self::entity_json`], into
    /// `out`, which is flushed to `sink` whenever it passes 64 KiB: a million rows without
    /// serde's per-value machinery.
    pub(crate) fn write_entities(
        &self,
        mut comma: bool,
        out: &mut Vec<u8>,
        sink: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let parts = self.json_parts();
        let mut ints = itoa::Buffer::new();
        for e in 0..self.entity_count() {
            if comma {
                out.push(b',');
            }
            comma = true;
            out.extend_from_slice(b"{\"kind\":");
            out.extend_from_slice(&parts.kind);
            out.extend_from_slice(b",\"id\":");
            serde_json::to_writer(&mut *out, self.id(e))?;
            if let Some(name) = self.name(e) {
                out.extend_from_slice(b",\"name\":");
                serde_json::to_writer(&mut *out, name)?;
            }
            let n = self.attribute_names.len();
            let mut first = true;
            for (a, (key, values)) in parts
                .attribute_keys
                .iter()
                .zip(&parts.attribute_values)
                .enumerate()
            {
                let Some(value) = self
                    .attributes
                    .get(e * n + a)
                    .copied()
                    .flatten()
                    .and_then(|c| values.get(c as usize))
                else {
                    continue;
                };
                out.extend_from_slice(if first { b",\"attributes\":{" } else { b"," });
                first = false;
                out.extend_from_slice(key);
                out.extend_from_slice(value);
            }
            if !first {
                out.push(b'}');
            }
            let (from, until) = self.active(e);
            if let Some(from) = from {
                out.extend_from_slice(b",\"active_from\":");
                out.extend_from_slice(ints.format(from).as_bytes());
            }
            if let Some(until) = until {
                out.extend_from_slice(b",\"active_until\":");
                out.extend_from_slice(ints.format(until).as_bytes());
            }
            let rows = self.rows(e);
            if !rows.is_empty() {
                out.extend_from_slice(b",\"records\":{");
                for (i, &row) in rows.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.push(b'"');
                    out.extend_from_slice(ints.format(self.year(row)).as_bytes());
                    out.extend_from_slice(b"\":{");
                    let mut first = true;
                    for (((_, column), key), coded) in
                        self.fields.iter().zip(&parts.fields).zip(&parts.coded)
                    {
                        let r = row as usize;
                        let start = out.len();
                        if !first {
                            out.push(b',');
                        }
                        out.extend_from_slice(key);
                        let written = match column {
                            Column::Ints { values, missing } => {
                                match (values.get(r), missing.as_ref().and_then(|m| m.get(r))) {
                                    (Some(v), None | Some(false)) => {
                                        out.extend_from_slice(ints.format(*v).as_bytes());
                                        true
                                    }
                                    _ => false,
                                }
                            }
                            Column::Flags(v) => match v.get(r).copied().flatten() {
                                Some(b) => {
                                    out.extend_from_slice(if b { b"true" } else { b"false" });
                                    true
                                }
                                None => false,
                            },
                            Column::Decimals(v) => match v.get(r).copied().flatten() {
                                Some(d) => {
                                    serde_json::to_writer(&mut *out, &RawValue::Decimal(d))?;
                                    true
                                }
                                None => false,
                            },
                            Column::Coded { codes, .. } => {
                                match codes
                                    .get(r)
                                    .copied()
                                    .flatten()
                                    .and_then(|c| coded.get(c as usize))
                                {
                                    Some(bytes) => {
                                        out.extend_from_slice(bytes);
                                        true
                                    }
                                    None => false,
                                }
                            }
                        };
                        if written {
                            first = false;
                        } else {
                            out.truncate(start);
                        }
                    }
                    out.push(b'}');
                }
                out.push(b'}');
            }
            out.push(b'}');
            if out.len() >= 1 << 16 {
                sink.write_all(out)?;
                out.clear();
            }
        }
        Ok(())
    }
}

/// One entity of a table, written as the JSON entity it stands for.
struct EntityJson<'t> {
    table: &'t EntityColumns,
    e: usize,
}

impl Serialize for EntityJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.table;
        let e = self.e;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", &t.kind)?;
        map.serialize_entry("id", t.id(e))?;
        if let Some(name) = t.name(e) {
            map.serialize_entry("name", name)?;
        }
        if t.attributes(e).next().is_some() {
            map.serialize_entry("attributes", &Attributes { table: t, e })?;
        }
        let (from, until) = t.active(e);
        if let Some(from) = from {
            map.serialize_entry("active_from", &from)?;
        }
        if let Some(until) = until {
            map.serialize_entry("active_until", &until)?;
        }
        if !t.rows(e).is_empty() {
            map.serialize_entry("records", &Records { table: t, e })?;
        }
        map.end()
    }
}

struct Attributes<'t> {
    table: &'t EntityColumns,
    e: usize,
}

impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.table.attributes(self.e) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct Records<'t> {
    table: &'t EntityColumns,
    e: usize,
}

impl Serialize for Records<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.table;
        let mut map = serializer.serialize_map(None)?;
        for &row in t.rows(self.e) {
            map.serialize_entry(&t.year(row).to_string(), &Record { table: t, row })?;
        }
        map.end()
    }
}

struct Record<'t> {
    table: &'t EntityColumns,
    row: u32,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, column) in &self.table.fields {
            if let Some(Some(value)) = column.value(self.row as usize) {
                map.serialize_entry(name, &value)?;
            }
        }
        map.end()
    }
}
