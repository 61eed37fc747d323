//! Datasets on the wire: the shape only (objects where objects belong, names, years as keys).
//! Whether each value fits the plan is checked later, value by value, as diagnostics.

use super::json::Json;
use super::pointer::Path;
use super::read::{FromJson, WireError, read_struct};
use crate::dataset::{Dataset, EntityData, Observation, RawValue, SeriesData};
use crate::error::DataError;
use crate::limits;

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
        read_struct!(
            value,
            at,
            "a dataset",
            Dataset {
                id: opt,
                description: opt,
                synthetic: def,
                series: def,
                entities: def,
            }
        )
    }
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

/// A bare value, or `{"value": …, "source": …}`.
impl FromJson for Observation {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            object @ Json::Object(_) => read_struct!(
                object,
                at,
                "an observation",
                Observation {
                    value: req,
                    source: opt,
                }
            ),
            array @ Json::Array(_) => Err(WireError::expected(
                at,
                "null, a boolean, a number, a string or {\"value\", \"source\"}",
                &array,
            )),
            bare => RawValue::from_json(bare, at).map(Observation::from),
        }
    }
}

impl FromJson for RawValue {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::Null => Ok(RawValue::Null),
            Json::Bool(b) => Ok(RawValue::Bool(b)),
            Json::Number(n) => Ok(RawValue::Number(n)),
            Json::String(s) => Ok(RawValue::Text(s)),
            other => Err(WireError::expected(
                at,
                "null, a boolean, a number or a string",
                &other,
            )),
        }
    }
}
