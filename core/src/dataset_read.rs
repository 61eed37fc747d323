//! Reading a [`Dataset`] from a parsed JSON value: the shape checks, in the order they have
//! always run, and the fields, read by hand (see [`crate::json_read`]).
//!
//! The answers are those of serde's derived `Deserialize` impls wrapped in
//! `serde_path_to_error` (the way datasets were read before): the same dataset, or the same
//! error with the same JSON pointer and message. The tests at the end check it against that
//! path on the repository's data, on hand-picked bad inputs and on random mutations.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::dataset::NUMBER_TOKEN;
use crate::dataset::{Dataset, EntityData, Observation, RawValue, SeriesData};
use crate::error::DataError;
use crate::json_read::{
    Path, ReadError, fewer_in_map, invalid_type, leaf, missing_field, unknown_field,
};

const DATASET_FIELDS: &[&str] = &["id", "description", "synthetic", "series", "entities"];
const SERIES_FIELDS: &[&str] = &["unit", "source", "values"];
const ENTITY_FIELDS: &[&str] = &[
    "kind",
    "id",
    "name",
    "attributes",
    "active_from",
    "active_until",
    "source",
    "records",
];
const OBSERVATION_FIELDS: &[&str] = &["value", "source"];

/// Reads a dataset from a parsed JSON value: objects where objects belong first (for the whole
/// document), then every field, then the limits.
pub(crate) fn read_dataset(value: Value) -> Result<Dataset, DataError> {
    check_objects(&value)?;
    let data = dataset(value).map_err(|e| DataError::Shape {
        path: e.path,
        message: e.message,
    })?;
    data.check_limits()?;
    Ok(data)
}

/// The value as an object; anything else is the type error a derived struct visitor gives
/// (unreachable after [`check_objects`], kept so nothing is ever read silently).
fn object(value: Value, what: &str, path: &Path<'_>) -> Result<Map<String, Value>, ReadError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(invalid_type(&other, what, path)),
    }
}

fn dataset(value: Value) -> Result<Dataset, ReadError> {
    let root = Path::Root;
    let mut data = Dataset::default();
    for (key, v) in object(value, "struct Dataset", &root)? {
        let at = root.key(&key);
        match key.as_str() {
            "id" => data.id = leaf(v, &at)?,
            "description" => data.description = leaf(v, &at)?,
            "synthetic" => data.synthetic = leaf(v, &at)?,
            "series" => {
                for (name, s) in object(v, "a map", &at)? {
                    let s = series(s, &at.key(&name))?;
                    data.series.insert(name, s);
                }
            }
            "entities" => match v {
                Value::Array(items) => {
                    data.entities.reserve(items.len());
                    for (i, e) in items.into_iter().enumerate() {
                        data.entities.push(entity(e, &at.index(i))?);
                    }
                }
                other => return Err(invalid_type(&other, "a sequence", &at)),
            },
            _ => return Err(unknown_field(&key, DATASET_FIELDS, &at)),
        }
    }
    Ok(data)
}

fn series(value: Value, path: &Path<'_>) -> Result<SeriesData, ReadError> {
    let mut unit = None;
    let mut source = None;
    let mut values = None;
    for (key, v) in object(value, "struct SeriesData", path)? {
        let at = path.key(&key);
        match key.as_str() {
            "unit" => unit = leaf(v, &at)?,
            "source" => source = leaf(v, &at)?,
            "values" => values = Some(observations(v, &at)?),
            _ => return Err(unknown_field(&key, SERIES_FIELDS, &at)),
        }
    }
    Ok(SeriesData {
        unit,
        source,
        values: values.ok_or_else(|| missing_field("values", path))?,
    })
}

fn entity(value: Value, path: &Path<'_>) -> Result<EntityData, ReadError> {
    let mut kind = None;
    let mut id = None;
    let mut e = EntityData::default();
    for (key, v) in object(value, "struct EntityData", path)? {
        let at = path.key(&key);
        match key.as_str() {
            "kind" => kind = Some(leaf(v, &at)?),
            "id" => id = Some(leaf(v, &at)?),
            "name" => e.name = leaf(v, &at)?,
            "attributes" => {
                for (name, a) in object(v, "a map", &at)? {
                    let a = leaf(a, &at.key(&name))?;
                    e.attributes.insert(name, a);
                }
            }
            "active_from" => e.active_from = leaf(v, &at)?,
            "active_until" => e.active_until = leaf(v, &at)?,
            "source" => e.source = leaf(v, &at)?,
            "records" => {
                for (year, r) in object(v, "a map", &at)? {
                    let r = observations(r, &at.key(&year))?;
                    e.records.insert(year, r);
                }
            }
            _ => return Err(unknown_field(&key, ENTITY_FIELDS, &at)),
        }
    }
    e.kind = kind.ok_or_else(|| missing_field("kind", path))?;
    e.id = id.ok_or_else(|| missing_field("id", path))?;
    Ok(e)
}

/// A map of observations (a series' values by year, or one year's record by field).
fn observations(value: Value, path: &Path<'_>) -> Result<BTreeMap<String, Observation>, ReadError> {
    let mut out = BTreeMap::new();
    for (key, v) in object(value, "a map", path)? {
        let obs = observation(v, &path.key(&key))?;
        out.insert(key, obs);
    }
    Ok(out)
}

/// One observation: a bare value, or `{"value", "source"}`.
fn observation(value: Value, path: &Path<'_>) -> Result<Observation, ReadError> {
    let map = match value {
        Value::Object(map) => map,
        // A bare value (or an array, refused): the visitor itself, on the value.
        other => return leaf(other, path),
    };
    let len = map.len();
    let mut value = None;
    let mut source = None;
    for (i, (key, v)) in map.into_iter().enumerate() {
        match key.as_str() {
            // serde_json's number: the visitor returns at once, and the value deserialiser
            // refuses the entries it left.
            NUMBER_TOKEN => {
                let text = leaf(v, &path.key(&key))?;
                if i + 1 < len {
                    return Err(fewer_in_map(len, path));
                }
                return Ok(RawValue::Number(text).into());
            }
            "value" => value = Some(raw_value(v, &path.key(&key))?),
            "source" => source = Some(leaf(v, &path.key(&key))?),
            // The visitor refuses the key itself: the error is the observation's.
            _ => return Err(unknown_field(&key, OBSERVATION_FIELDS, path)),
        }
    }
    Ok(Observation {
        value: value.ok_or_else(|| missing_field("value", path))?,
        source,
    })
}

/// The `value` of an observation object: a bare value; an object only as serde_json's number.
fn raw_value(value: Value, path: &Path<'_>) -> Result<RawValue, ReadError> {
    match value {
        Value::Object(map) => {
            // Only the first key is looked at; entries left unread are refused.
            let len = map.len();
            match map.into_iter().next() {
                Some((key, v)) if key == NUMBER_TOKEN => {
                    let text = leaf(v, &path.key(&key))?;
                    if len > 1 {
                        return Err(fewer_in_map(len, path));
                    }
                    Ok(RawValue::Number(text))
                }
                _ => Err(ReadError::at(
                    path,
                    <serde_json::Error as serde::de::Error>::invalid_type(
                        serde::de::Unexpected::Map,
                        &"null, a boolean, a number or a string",
                    ),
                )),
            }
        }
        other => leaf(other, path),
    }
}

/// serde reads a struct from a JSON array too (positionally); a dataset's objects must be
/// objects, so an array where one belongs is a shape error, not a quiet reinterpretation.
/// Checked for the whole document before any field is read.
fn check_objects(value: &Value) -> Result<(), DataError> {
    fn object<'v>(v: &'v Value, path: &Path<'_>) -> Result<&'v Map<String, Value>, DataError> {
        v.as_object().ok_or_else(|| DataError::Shape {
            path: path.pointer(),
            message: format!("expected a JSON object, found {}", kind(v)),
        })
    }
    fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
    let root = Path::Root;
    let top = object(value, &root)?;
    if let Some(series) = top.get("series") {
        let at = root.key("series");
        for (name, s) in object(series, &at)? {
            let base = at.key(name);
            if let Some(values) = object(s, &base)?.get("values") {
                object(values, &base.key("values"))?;
            }
        }
    }
    if let Some(Value::Array(entities)) = top.get("entities") {
        let at = root.key("entities");
        for (i, e) in entities.iter().enumerate() {
            let base = at.index(i);
            let e = object(e, &base)?;
            if let Some(a) = e.get("attributes") {
                object(a, &base.key("attributes"))?;
            }
            if let Some(records) = e.get("records") {
                let at = base.key("records");
                for (year, r) in object(records, &at)? {
                    object(r, &at.key(year))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The reader against the derived `Deserialize` impls through `serde_path_to_error`, the
    //! way datasets were read before it (the shape and limit checks copied as they were).

    use super::*;
    use crate::json_read::mutation::{Rng, mutate, pointers};
    use crate::limits;
    use crate::test_support::{VectorInput, vector_inputs};
    use serde_json::json;

    /// The previous `Dataset::from_value`, verbatim.
    fn reference(value: Value) -> Result<Dataset, DataError> {
        reference_check_objects(&value)?;
        let data: Dataset =
            serde_path_to_error::deserialize(value).map_err(|e| DataError::Shape {
                path: crate::error::json_pointer(e.path()),
                message: e.into_inner().to_string(),
            })?;
        reference_check_limits(&data)?;
        Ok(data)
    }

    fn reference_check_limits(data: &Dataset) -> Result<(), DataError> {
        if data.entities.len() > limits::MAX_ENTITIES {
            return Err(DataError::Limit {
                path: "/entities".into(),
                what: "entities".into(),
                limit: limits::MAX_ENTITIES,
            });
        }
        let too_long = |s: &str, limit: usize, path: String, what: &str| {
            if s.chars().count() > limit {
                Err(DataError::Limit {
                    path,
                    what: format!("characters in {what}"),
                    limit,
                })
            } else {
                Ok(())
            }
        };
        let (id, text) = (limits::MAX_ID_CHARS, limits::MAX_TEXT_CHARS);
        let observation = |obs: &Observation, at: String| {
            too_long(
                obs.source.as_deref().unwrap_or(""),
                text,
                at.clone(),
                "a source",
            )?;
            match &obs.value {
                RawValue::Text(t) | RawValue::Number(t) => too_long(t, text, at, "a value"),
                _ => Ok(()),
            }
        };
        too_long(
            data.id.as_deref().unwrap_or(""),
            id,
            "/id".into(),
            "the dataset id",
        )?;
        too_long(
            data.description.as_deref().unwrap_or(""),
            text,
            "/description".into(),
            "the description",
        )?;
        for (name, s) in &data.series {
            let base = format!("/series/{}", crate::prepare::pointer_token(name));
            too_long(name, id, base.clone(), "a series name")?;
            too_long(
                s.source.as_deref().unwrap_or(""),
                text,
                format!("{base}/source"),
                "a source",
            )?;
            for (year, obs) in &s.values {
                too_long(year, id, format!("{base}/values"), "a year key")?;
                let at = format!("{base}/values/{}", crate::prepare::pointer_token(year));
                observation(obs, at)?;
            }
        }
        for (i, e) in data.entities.iter().enumerate() {
            let base = format!("/entities/{i}");
            too_long(&e.kind, id, format!("{base}/kind"), "an entity kind")?;
            too_long(&e.id, id, format!("{base}/id"), "an entity id")?;
            too_long(
                e.name.as_deref().unwrap_or(""),
                text,
                format!("{base}/name"),
                "a name",
            )?;
            too_long(
                e.source.as_deref().unwrap_or(""),
                text,
                format!("{base}/source"),
                "a source",
            )?;
            for (k, v) in &e.attributes {
                too_long(k, id, format!("{base}/attributes"), "an attribute name")?;
                too_long(
                    v,
                    text,
                    format!("{base}/attributes/{}", crate::prepare::pointer_token(k)),
                    "an attribute",
                )?;
            }
            for (year, record) in &e.records {
                too_long(year, id, format!("{base}/records"), "a year key")?;
                for (field, obs) in record {
                    let at = format!(
                        "{base}/records/{}/{}",
                        crate::prepare::pointer_token(year),
                        crate::prepare::pointer_token(field)
                    );
                    too_long(field, id, at.clone(), "a field name")?;
                    observation(obs, at)?;
                }
            }
        }
        Ok(())
    }

    fn reference_check_objects(value: &serde_json::Value) -> Result<(), DataError> {
        fn object<'v>(
            v: &'v Value,
            path: &str,
        ) -> Result<&'v serde_json::Map<String, Value>, DataError> {
            v.as_object().ok_or_else(|| DataError::Shape {
                path: path.to_string(),
                message: format!("expected a JSON object, found {}", kind(v)),
            })
        }
        fn kind(v: &Value) -> &'static str {
            match v {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            }
        }
        let esc = |k: &str| k.replace('~', "~0").replace('/', "~1");
        let root = object(value, "")?;
        if let Some(series) = root.get("series") {
            for (name, s) in object(series, "/series")? {
                let base = format!("/series/{}", esc(name));
                if let Some(values) = object(s, &base)?.get("values") {
                    object(values, &format!("{base}/values"))?;
                }
            }
        }
        if let Some(Value::Array(entities)) = root.get("entities") {
            for (i, e) in entities.iter().enumerate() {
                let base = format!("/entities/{i}");
                let e = object(e, &base)?;
                if let Some(a) = e.get("attributes") {
                    object(a, &format!("{base}/attributes"))?;
                }
                if let Some(records) = e.get("records") {
                    for (year, r) in object(records, &format!("{base}/records"))? {
                        object(r, &format!("{base}/records/{}", esc(year)))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn same(value: &Value) {
        let ours = read_dataset(value.clone());
        let theirs = reference(value.clone());
        assert_eq!(ours, theirs, "input: {value}");
    }

    /// Datasets of the repository: the sample and every conformance vector's data.
    fn corpus() -> Vec<Value> {
        let mut out = vec![serde_json::from_str(crate::SAMPLE_DATA_JSON).unwrap()];
        for input in vector_inputs("data") {
            match input {
                VectorInput::File(text) => out.push(serde_json::from_str(&text).unwrap()),
                VectorInput::Inline(v) => out.push(v),
            }
        }
        out
    }

    #[test]
    fn the_repository_s_data_reads_as_before() {
        let corpus = corpus();
        assert!(corpus.len() > 100);
        for v in &corpus {
            same(v);
        }
    }

    /// Values that exercise every branch: numbers the value deserialiser turns into integers,
    /// floats or exact text, serde_json's number token, nested objects, long text.
    fn odd_values() -> Vec<Value> {
        let long_id = "x".repeat(limits::MAX_ID_CHARS + 1);
        let long_text = "字".repeat(limits::MAX_TEXT_CHARS + 1);
        let numbers = [
            "0",
            "-0",
            "1",
            "-1",
            "1.0",
            "-0.0",
            "1.50",
            "2.5",
            "1e2",
            "1E-2",
            "100.0",
            "3000000000",
            "-3000000000",
            "2147483647",
            "2147483648",
            "-2147483649",
            "18446744073709551616",
            "-9223372036854775809",
            "340282366920938463463374607431768211456",
            "1e300",
            "0.1",
            "1e400",
            "123456789012345678901234567890",
        ];
        let mut out: Vec<Value> = numbers
            .iter()
            .map(|n| serde_json::from_str(n).unwrap())
            .collect();
        out.extend([
            Value::Null,
            json!(true),
            json!(false),
            json!(""),
            json!("x"),
            json!("2016"),
            json!("primary"),
            json!(long_id.clone()),
            json!(long_text.clone()),
            json!([]),
            json!([1, "a"]),
            json!([{"kind": "school", "id": "S"}]),
            json!({}),
            json!({"value": 1}),
            json!({"value": 1, "source": "s"}),
            json!({"value": 1, "source": 2}),
            json!({"value": null, "source": null}),
            json!({"source": "s"}),
            json!({"value": [], "source": "s"}),
            json!({"value": {}}),
            json!({"value": {"a": 1}}),
            json!({"value": {"$serde_json::private::Number": "1e5"}}),
            json!({"value": {"$serde_json::private::Number": 5}}),
            json!({"value": {"$serde_json::private::Number": "abc", "b": 1}}),
            json!({"$serde_json::private::Number": "7.50"}),
            json!({"$serde_json::private::Number": 7, "value": 1}),
            json!({" ": 1, "value": 2}),
            json!({"bogus": 1}),
            json!({"value": long_text.clone()}),
            json!({"value": 1, "source": long_text}),
            json!({"kind": "school", "id": "S9"}),
            json!({"kind": 1, "id": "S9"}),
            json!({"id": "S9"}),
            json!({"kind": "school"}),
            json!({"values": {}}),
            json!({"values": {"2016": 1}, "unit": 5}),
            json!({"unit": "%"}),
            json!({"2016": 1}),
            json!({long_id.clone(): 1}),
            json!({"a/b~c": {"x": 1}}),
        ]);
        out
    }

    const KEYS: &[&str] = &[
        "id",
        "description",
        "synthetic",
        "series",
        "entities",
        "unit",
        "source",
        "values",
        "kind",
        "name",
        "attributes",
        "active_from",
        "active_until",
        "records",
        "value",
        "$serde_json::private::Number",
        "bogus",
        " ",
        "a/b~c",
        "2016",
        "2018",
        "level",
        "students",
    ];

    #[test]
    fn random_mutations_read_as_before() {
        let odd = odd_values();
        let mut corpus = corpus();
        corpus.truncate(40);
        // Small documents: more of each mutation lands on interesting places.
        corpus.push(json!({"entities": [{"kind": "school", "id": "S1", "attributes": {"level": "primary"},
            "records": {"2016": {"students": 10, "flag": true}, "2017": {"students": {"value": 1, "source": "x"}}}}],
            "series": {"bases": {"unit": "bases", "values": {"2016": 3, "2017": "4"}}}}));
        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        let mut errors = 0;
        let mut kinds = std::collections::BTreeSet::new();
        for round in 0..30_000 {
            let mut v = corpus[round % corpus.len()].clone();
            // Shrink big documents first so mutations are not lost in them.
            if let Some(Value::Array(e)) = v.get_mut("entities")
                && e.len() > 3
            {
                e.truncate(3);
            }
            for _ in 0..=rng.below(3) {
                mutate(&mut v, &mut rng, &odd, KEYS);
            }
            let ours = read_dataset(v.clone());
            errors += usize::from(ours.is_err());
            if let Err(e) = &ours {
                // The kind of problem: the message up to its first quoted part.
                let text = match e {
                    DataError::Shape { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                kinds.insert(text.split(['`', '"']).next().unwrap_or("").to_string());
            }
            assert_eq!(ours, reference(v.clone()), "input: {v}");
        }
        assert!(errors > 10_000, "{errors} errors");
        assert!(kinds.len() > 25, "{kinds:#?}");
    }

    #[test]
    fn every_value_in_every_place() {
        let odd = odd_values();
        let base = json!({"id": "d", "description": "x", "synthetic": false,
            "series": {"bases": {"unit": "bases", "source": "s", "values": {"2016": 3}}},
            "entities": [{"kind": "school", "id": "S1", "name": "n", "attributes": {"level": "primary"},
                "active_from": 2015, "active_until": 2020, "source": "s",
                "records": {"2016": {"students": 10}}}]});
        let mut all = Vec::new();
        pointers(&base, String::new(), &mut all);
        for at in &all {
            for x in &odd {
                let mut v = base.clone();
                *v.pointer_mut(at).unwrap() = x.clone();
                same(&v);
            }
        }
    }
}
