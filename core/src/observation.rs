//! One observed value as it arrives on the wire ([`RawValue`]), with its source
//! ([`Observation`]): the cells of a [`crate::Dataset`], whether read from JSON or from a table's
//! columns.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// A value as it arrives: JSON null, a boolean, a number (its exact text kept) or a string.
#[derive(Debug, Clone, Eq, Default)]
pub enum RawValue {
    /// Explicitly missing.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A JSON number, as its exact text.
    Number(String),
    /// A number already held as an exact decimal (a table's column, see [`crate::batch`]): the
    /// same value as `Number(d.to_string())` (`2.50` keeps its scale), in JSON, in hashes and
    /// in evaluation, without writing it as text and parsing it back.
    Decimal(rust_decimal::Decimal),
    /// A string (a decimal in a string, or a state).
    Text(String),
}

/// Equality is the canonical JSON's: a `Decimal` equals the `Number` with its text.
impl PartialEq for RawValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RawValue::Null, RawValue::Null) => true,
            (RawValue::Bool(a), RawValue::Bool(b)) => a == b,
            (RawValue::Number(a), RawValue::Number(b)) | (RawValue::Text(a), RawValue::Text(b)) => {
                a == b
            }
            (RawValue::Decimal(a), RawValue::Decimal(b)) => {
                a.mantissa() == b.mantissa() && a.scale() == b.scale()
            }
            (RawValue::Decimal(d), RawValue::Number(t))
            | (RawValue::Number(t), RawValue::Decimal(d)) => d.to_string() == *t,
            _ => false,
        }
    }
}

/// One observed value with an optional source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observation {
    /// The value.
    pub value: RawValue,
    /// Where it comes from.
    pub source: Option<String>,
}

impl From<RawValue> for Observation {
    fn from(value: RawValue) -> Self {
        Observation {
            value,
            source: None,
        }
    }
}

impl RawValue {
    /// A number from a decimal.
    pub fn number(d: rust_decimal::Decimal) -> RawValue {
        RawValue::Number(crate::number::fmt_decimal(d))
    }

    fn serialize_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RawValue::Null => serializer.serialize_none(),
            RawValue::Bool(b) => serializer.serialize_bool(*b),
            RawValue::Number(text) => number_text(text, serializer),
            // A whole number's text is its mantissa's digits ("-0" aside): written directly.
            RawValue::Decimal(d) if d.scale() == 0 && !(d.is_zero() && d.is_sign_negative()) => {
                serializer.serialize_i128(d.mantissa())
            }
            RawValue::Decimal(d) => number_text(&d.to_string(), serializer),
            RawValue::Text(t) => serializer.serialize_str(t),
        }
    }
}

/// serde_json's name for a raw JSON value: a one-field struct of this name whose field (of the
/// same name) is the text is written verbatim (the calls `serde_json::value::RawValue` makes).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// A number written as its exact text (serde_json's `raw_value`); text that is not a JSON
/// number (a `RawValue::Number` built by hand, never one read from JSON) is written as a string.
///
/// The text goes through the serializer as `serde_json::value::RawValue` hands it over (see
/// [`RAW_VALUE`]), without making one: `RawValue::from_string` would parse the text again,
/// which [`is_number`](crate::wire::json::is_number) has just checked, and its parser would
/// bring serde_json's deserializer (and, through its error messages, the standard library's
/// float formatting) into the WebAssembly package: about 31 KB, 12.8 KB gzipped. The test
/// `numbers_serialize_as_serde_json_raw_values` holds it to `RawValue`'s bytes.
fn number_text<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if !crate::wire::json::is_number(text) {
        return serializer.serialize_str(text);
    }
    // A zero is written without a sign, as a decimal's own text writes it (`-0.0` as `0.0`).
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    let text = match text.strip_prefix('-') {
        Some(unsigned) if mantissa.bytes().all(|b| matches!(b, b'-' | b'0' | b'.')) => unsigned,
        _ => text,
    };
    let mut raw = serializer.serialize_struct(RAW_VALUE, 1)?;
    raw.serialize_field(RAW_VALUE, text)?;
    raw.end()
}

impl Serialize for RawValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_into(serializer)
    }
}

impl Serialize for Observation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.source {
            None => self.value.serialize_into(serializer),
            Some(source) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("value", &self.value)?;
                map.serialize_entry("source", source)?;
                map.end()
            }
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Observation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Observation".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A value (null for missing, a boolean, a number, a decimal string or a state), or an object with the value and its source",
            "anyOf": [
                { "type": ["null", "boolean", "number", "string"] },
                {
                    "type": "object",
                    "properties": {
                        "value": { "type": ["null", "boolean", "number", "string"] },
                        "source": { "type": "string" }
                    },
                    "required": ["value"],
                    "additionalProperties": false
                }
            ]
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A number's text is written exactly as serde_json's own `RawValue` writes it, compact and
    /// pretty, alone and inside a record; text that is no JSON number is a string.
    #[test]
    fn numbers_serialize_as_serde_json_raw_values() {
        let texts = [
            "0",
            "-0",
            "-0.0",
            "12.50",
            "1E+3",
            "-2.5e-7",
            "1e400",
            "123456789012345678901234567890",
        ];
        for text in texts {
            let ours = RawValue::Number(text.to_string());
            // A negative zero is written without its sign (see `number_text`).
            let unsigned = text
                .strip_prefix('-')
                .filter(|t| t.bytes().all(|b| b == b'0' || b == b'.'));
            let theirs =
                serde_json::value::RawValue::from_string(unsigned.unwrap_or(text).into()).unwrap();
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap(),
                "{text}"
            );
            assert_eq!(
                serde_json::to_string_pretty(&std::collections::BTreeMap::from([("v", &ours)]))
                    .unwrap(),
                serde_json::to_string_pretty(&std::collections::BTreeMap::from([("v", &theirs)]))
                    .unwrap(),
                "{text}"
            );
        }
        for not_a_number in ["+1", ".5", "01", "1 ", "NaN", ""] {
            let ours = RawValue::Number(not_a_number.to_string());
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(not_a_number).unwrap()
            );
        }
    }
}
