//! The dataset (数据集): observed values handed to one evaluation, as they arrive on the wire.
//!
//! Loading checks only the shape (JSON syntax, objects where objects belong). Whether each
//! value fits the plan's dictionary (types, units, periods, totals) is checked when the data
//! meets a plan, and each problem becomes a [`crate::Diagnostic`] rather than an error, so one
//! bad cell never hides the rest.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::date::Date;
use crate::error::DataError;
use crate::hash::{Sha256Hex, sha256_json};
use crate::limits;
use crate::table::EntityColumns;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct};

pub use crate::observation::{Observation, RawValue};

/// All observations handed to one evaluation.
// Entities come as JSON objects (`entities`) or as columns (`tables`, see `crate::batch`); the
// dataset's JSON writes both in `entities`, the tables' after the others (see `write_json`).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", serde(deny_unknown_fields))]
pub struct Dataset {
    /// An identifier for the dataset.
    #[cfg_attr(
        feature = "schema",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub id: Option<String>,
    /// What the data is and where it comes from.
    #[cfg_attr(
        feature = "schema",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub description: Option<String>,
    /// Whether the data is synthetic (made up for tests and demonstrations).
    #[cfg_attr(
        feature = "schema",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub synthetic: bool,
    /// District-level series, by name.
    #[cfg_attr(
        feature = "schema",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub series: BTreeMap<String, SeriesData>,
    /// Entities (schools, streets, projects ...) with their yearly records.
    #[cfg_attr(
        feature = "schema",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub entities: Vec<EntityData>,
    /// Entities held as columns, one table per call of [`crate::batch::add_entity_table`]
    /// (written as more `entities` in JSON).
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub tables: Vec<EntityColumns>,
    /// Judgements recorded by reviewers on qualitative targets.
    #[cfg_attr(
        feature = "schema",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub judgements: Vec<Judgement>,
}

/// The canonical JSON: fields in declaration order, empty ones left out, the tables' entities
/// after the JSON ones.
impl Serialize for Dataset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        if self.synthetic {
            map.serialize_entry("synthetic", &true)?;
        }
        if !self.series.is_empty() {
            map.serialize_entry("series", &self.series)?;
        }
        if self.entity_count() > 0 {
            map.serialize_entry(
                "entities",
                &AllEntities {
                    json: &self.entities,
                    tables: &self.tables,
                },
            )?;
        }
        if !self.judgements.is_empty() {
            map.serialize_entry("judgements", &self.judgements)?;
        }
        map.end()
    }
}

struct AllEntities<'d> {
    json: &'d [EntityData],
    #[cfg_attr(target_family = "wasm", allow(dead_code))]
    tables: &'d [EntityColumns],
}

impl Serialize for AllEntities<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for e in self.json {
            seq.serialize_element(e)?;
        }
        // The WebAssembly package builds no tables: this is compiled out of it.
        #[cfg(not(target_family = "wasm"))]
        for t in self.tables {
            for e in 0..t.entity_count() {
                seq.serialize_element(&t.entity_json(e))?;
            }
        }
        seq.end()
    }
}

/// A reviewer's recorded judgement on a qualitative target: the verdict, by whom, when, and on
/// what evidence. The report shows it as recorded, never as computed, and the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    /// The target judged (a `qualitative` target's id).
    pub target: String,
    /// The verdict: `met`, `not_met`, `on_track` or `off_track`.
    pub verdict: Verdict,
    /// Who recorded it (a person or a body: 区教委督导室).
    pub by: String,
    /// The day it was recorded; a judgement after the as-of date is not yet visible.
    pub on: Date,
    /// The evidence or source it rests on.
    pub evidence: String,
}

/// A recorded verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Reached.
    Met,
    /// Not reached (final).
    NotMet,
    /// Not yet due, progressing as it should.
    OnTrack,
    /// Not yet due, progressing too slowly.
    OffTrack,
}

impl FromJson for Judgement {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a judgement",
            Judgement {
                target: req,
                verdict: req,
                by: req,
                on: req,
                evidence: req,
            }
        )
    }
}

impl FromJson for Verdict {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "verdict",
            &[
                ("met", Verdict::Met),
                ("not_met", Verdict::NotMet),
                ("on_track", Verdict::OnTrack),
                ("off_track", Verdict::OffTrack),
            ],
        )
    }
}

/// The values of one district series, by year.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SeriesData {
    /// The unit the values are in; when given it must match the dictionary's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Where the values come from, unless an observation says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Observations keyed by year (`"2016"`).
    pub values: BTreeMap<String, Observation>,
}

/// One entity and its records by year.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EntityData {
    /// The entity kind (school, street, project ...), as named in the dictionary.
    pub kind: String,
    /// Identifier, unique within its kind.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fixed attributes (level, street ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// First year the entity exists (it is outside every population before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_from: Option<i32>,
    /// Last year the entity exists (it is outside every population after).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_until: Option<i32>,
    /// Where the records come from, unless an observation says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Records keyed by year, each a map of field to observation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub records: BTreeMap<String, BTreeMap<String, Observation>>,
}

impl Dataset {
    /// The limits on counts and lengths, checked in the order of the fields; the JSON pointer
    /// of a value is written only when it is over a limit.
    pub(crate) fn check_limits(&self) -> Result<(), DataError> {
        if self.entities.len() > limits::MAX_ENTITIES {
            return Err(DataError::Limit {
                path: "/entities".into(),
                what: "entities".into(),
                limit: limits::MAX_ENTITIES,
            });
        }
        let too_long = |s: &str, limit: usize, path: &Path<'_>, what: &str| {
            // No more characters than bytes: most strings need no counting.
            if s.len() > limit && s.chars().count() > limit {
                Err(DataError::Limit {
                    path: path.pointer(),
                    what: format!("characters in {what}"),
                    limit,
                })
            } else {
                Ok(())
            }
        };
        let (id, text) = (limits::MAX_ID_CHARS, limits::MAX_TEXT_CHARS);
        // An observation's source and textual value are free text.
        let observation = |obs: &Observation, at: &Path<'_>| {
            too_long(obs.source.as_deref().unwrap_or(""), text, at, "a source")?;
            match &obs.value {
                RawValue::Text(t) | RawValue::Number(t) => too_long(t, text, at, "a value"),
                _ => Ok(()),
            }
        };
        let root = Path::Root;
        too_long(
            self.id.as_deref().unwrap_or(""),
            id,
            &root.key("id"),
            "the dataset id",
        )?;
        too_long(
            self.description.as_deref().unwrap_or(""),
            text,
            &root.key("description"),
            "the description",
        )?;
        let series = root.key("series");
        for (name, s) in &self.series {
            let base = series.key(name);
            too_long(name, id, &base, "a series name")?;
            too_long(
                s.source.as_deref().unwrap_or(""),
                text,
                &base.key("source"),
                "a source",
            )?;
            let values = base.key("values");
            for (year, obs) in &s.values {
                too_long(year, id, &values, "a year key")?;
                observation(obs, &values.key(year))?;
            }
        }
        let entities = root.key("entities");
        for (i, e) in self.entities.iter().enumerate() {
            let base = entities.index(i);
            too_long(&e.kind, id, &base.key("kind"), "an entity kind")?;
            too_long(&e.id, id, &base.key("id"), "an entity id")?;
            too_long(
                e.name.as_deref().unwrap_or(""),
                text,
                &base.key("name"),
                "a name",
            )?;
            too_long(
                e.source.as_deref().unwrap_or(""),
                text,
                &base.key("source"),
                "a source",
            )?;
            let attributes = base.key("attributes");
            for (k, v) in &e.attributes {
                too_long(k, id, &attributes, "an attribute name")?;
                too_long(v, text, &attributes.key(k), "an attribute")?;
            }
            let records = base.key("records");
            for (year, record) in &e.records {
                too_long(year, id, &records, "a year key")?;
                let year = records.key(year);
                for (field, obs) in record {
                    let at = year.key(field);
                    too_long(field, id, &at, "a field name")?;
                    observation(obs, &at)?;
                }
            }
        }
        Ok(())
    }

    /// SHA-256 of the dataset's canonical JSON.
    pub fn content_hash(&self) -> Sha256Hex {
        if self.tables.is_empty() || cfg!(target_family = "wasm") {
            return sha256_json(self);
        }
        let mut hasher = crate::hash::Sha256Writer::default();
        // Writing into a hasher cannot fail.
        let _ = self.write_json(&mut hasher);
        hasher.finish()
    }

    /// The dataset as canonical JSON.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let _ = self.write_json(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the canonical JSON (the bytes `serde_json::to_writer` writes for the dataset),
    /// the tables' entities without serde's per-value machinery.
    pub fn write_json(&self, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.tables.is_empty() || cfg!(target_family = "wasm") {
            return serde_json::to_writer(sink, self).map_err(std::io::Error::other);
        }
        let mut out: Vec<u8> = Vec::with_capacity(1 << 17);
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, k: &str| {
            out.push(if first { b'{' } else { b',' });
            first = false;
            out.push(b'"');
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"\":");
        };
        if let Some(id) = &self.id {
            key(&mut out, "id");
            serde_json::to_writer(&mut out, id)?;
        }
        if let Some(description) = &self.description {
            key(&mut out, "description");
            serde_json::to_writer(&mut out, description)?;
        }
        if self.synthetic {
            key(&mut out, "synthetic");
            out.extend_from_slice(b"true");
        }
        if !self.series.is_empty() {
            key(&mut out, "series");
            serde_json::to_writer(&mut out, &self.series)?;
        }
        // Tables hold at least one entity each.
        key(&mut out, "entities");
        out.push(b'[');
        let mut comma = false;
        for e in &self.entities {
            if comma {
                out.push(b',');
            }
            comma = true;
            serde_json::to_writer(&mut out, e)?;
        }
        for t in &self.tables {
            t.write_entities(comma, &mut out, sink)?;
            comma |= t.entity_count() > 0;
        }
        out.push(b']');
        if !self.judgements.is_empty() {
            key(&mut out, "judgements");
            serde_json::to_writer(&mut out, &self.judgements)?;
        }
        out.push(b'}');
        sink.write_all(&out)
    }
}

/// Builds a [`Dataset`] in code.
///
/// ```
/// use plan_rules::{DatasetBuilder, RawValue};
/// use rust_decimal::Decimal;
/// let data = DatasetBuilder::new("demo")
///     .series_value("lifelong_learning_bases", 2015, Decimal::from(60))
///     .entity("school", "S001", "First School")
///     .attribute("level", "primary")
///     .record(2016, "ice_snow_activity", RawValue::Bool(true))
///     .build();
/// assert_eq!(data.entities.len(), 1);
/// assert_eq!(data.series["lifelong_learning_bases"].values["2015"].value, RawValue::Number("60".into()));
/// ```
#[derive(Debug, Clone, Default)]
pub struct DatasetBuilder {
    data: Dataset,
}

impl DatasetBuilder {
    /// A new, empty dataset with an id.
    pub fn new(id: impl Into<String>) -> DatasetBuilder {
        DatasetBuilder {
            data: Dataset {
                id: Some(id.into()),
                ..Dataset::default()
            },
        }
    }

    /// Marks the dataset synthetic.
    pub fn synthetic(mut self) -> Self {
        self.data.synthetic = true;
        self
    }

    /// Sets the unit of a series.
    pub fn series_unit(mut self, series: &str, unit: &str) -> Self {
        self.data.series.entry(series.to_string()).or_default().unit = Some(unit.to_string());
        self
    }

    /// Adds a number to a district series.
    pub fn series_value(self, series: &str, year: i32, value: rust_decimal::Decimal) -> Self {
        self.series_observation(series, year, RawValue::number(value).into())
    }

    /// Adds any observation to a district series.
    pub fn series_observation(mut self, series: &str, year: i32, obs: Observation) -> Self {
        self.data
            .series
            .entry(series.to_string())
            .or_default()
            .values
            .insert(year.to_string(), obs);
        self
    }

    /// Starts a new entity; the following `attribute` and `record` calls apply to it.
    pub fn entity(mut self, kind: &str, id: &str, name: &str) -> Self {
        self.data.entities.push(EntityData {
            kind: kind.to_string(),
            id: id.to_string(),
            name: Some(name.to_string()),
            ..EntityData::default()
        });
        self
    }

    /// Sets an attribute of the current entity (ignored before any `entity`).
    pub fn attribute(mut self, name: &str, value: &str) -> Self {
        if let Some(e) = self.data.entities.last_mut() {
            e.attributes.insert(name.to_string(), value.to_string());
        }
        self
    }

    /// Records a value of the current entity for a year (ignored before any `entity`).
    pub fn record(mut self, year: i32, field: &str, value: RawValue) -> Self {
        if let Some(e) = self.data.entities.last_mut() {
            e.records
                .entry(year.to_string())
                .or_default()
                .insert(field.to_string(), value.into());
        }
        self
    }

    /// The dataset.
    pub fn build(self) -> Dataset {
        self.data
    }
}

impl Dataset {
    /// Reads a dataset from JSON, checking its shape; values are checked against a plan later.
    ///
    /// ```
    /// use plan_rules::Dataset;
    /// let data = Dataset::from_json(r#"{"series": {"bases": {"values": {"2016": 40, "2017": "55"}}}}"#).unwrap();
    /// assert_eq!(data.series["bases"].values.len(), 2);
    /// let err = Dataset::from_json(r#"{"series": []}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid_shape");
    /// assert_eq!(err.path(), Some("/series"));
    /// ```
    pub fn from_json(text: &str) -> Result<Dataset, DataError> {
        if text.len() > limits::MAX_DOCUMENT_BYTES {
            return Err(DataError::TooLarge {
                bytes: text.len(),
                limit: limits::MAX_DOCUMENT_BYTES,
            });
        }
        Dataset::from_wire(Json::parse(text)?)
    }

    /// Reads a dataset from a parsed JSON document, checking its shape and limits.
    pub fn from_wire(value: Json) -> Result<Dataset, DataError> {
        let data = Dataset::from_json_value(value, &Path::Root).map_err(|e| DataError::Shape {
            path: e.path,
            message: e.message,
        })?;
        data.check_limits()?;
        Ok(data)
    }
}

impl FromJson for Dataset {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        Dataset::from_json_value(value, at)
    }
}

impl Dataset {
    fn from_json_value(value: Json, at: &Path<'_>) -> Result<Dataset, WireError> {
        let d = read_struct!(
            value,
            at,
            "a dataset",
            JsonDataset {
                id: opt,
                description: opt,
                synthetic: def,
                series: def,
                entities: def,
                judgements: def,
            }
        )?;
        Ok(Dataset {
            id: d.id,
            description: d.description,
            synthetic: d.synthetic,
            series: d.series,
            entities: d.entities,
            tables: Vec::new(),
            judgements: d.judgements,
        })
    }

    /// The number of entities, as JSON objects and in tables.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
            + self
                .tables
                .iter()
                .map(EntityColumns::entity_count)
                .sum::<usize>()
    }
}

/// A dataset as its JSON document holds it (no tables).
struct JsonDataset {
    id: Option<String>,
    description: Option<String>,
    synthetic: bool,
    series: BTreeMap<String, SeriesData>,
    entities: Vec<EntityData>,
    judgements: Vec<Judgement>,
}

impl FromJson for SeriesData {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a series",
            SeriesData {
                unit: opt,
                source: opt,
                values: req,
            }
        )
    }
}

impl FromJson for EntityData {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an entity",
            EntityData {
                kind: req,
                id: req,
                name: opt,
                attributes: def,
                active_from: opt,
                active_until: opt,
                source: opt,
                records: def,
            }
        )
    }
}
