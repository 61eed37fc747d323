//! Reading typed values out of a parsed JSON value by hand, for the loaders of datasets (and
//! the pieces of rule sets they share), with the JSON pointer of a problem built only when
//! there is a problem.
//!
//! Datasets used to be read by serde's derived visitors wrapped in `serde_path_to_error`; this
//! module keeps their answers, message for message and path for path, without that machinery:
//!
//! - objects are walked in the order of `serde_json::Map` (sorted keys, the last of duplicate
//!   keys kept), as the derived visitors saw them;
//! - messages are the ones serde and serde_json write (`invalid type: number, expected a
//!   string`, ``unknown field `x`, expected one of ...``, ``missing field `x` ``); leaves
//!   (strings, booleans, integers, values) still go through their `Deserialize` impls on the
//!   value, so their messages are serde_json's own;
//! - the path of a problem is the one `serde_path_to_error` gave: the key of an unknown field is
//!   part of it, a missing field is reported at its object.
//!
//! The differential tests in `dataset_read.rs` compare every answer with the derived path.

use serde::de::{DeserializeOwned, Error as _, Unexpected};
use serde_json::Value;

/// Where a value is, as a chain of borrowed steps; written out only for an error.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The document.
    Root,
    /// A key of an object.
    Key(&'a Path<'a>, &'a str),
    /// An index of an array.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The step to a key below this one.
    pub(crate) fn key<'b>(&'b self, key: &'b str) -> Path<'b>
    where
        'a: 'b,
    {
        Path::Key(self, key)
    }

    /// The step to an index below this one.
    pub(crate) fn index<'b>(&'b self, index: usize) -> Path<'b>
    where
        'a: 'b,
    {
        Path::Index(self, index)
    }

    /// The JSON pointer (`/entities/0/records/2018`), keys escaped as RFC 6901 says.
    pub(crate) fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    steps.push(Step::Key(key));
                    at = parent;
                }
                Path::Index(parent, index) => {
                    steps.push(Step::Index(*index));
                    at = parent;
                }
            }
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            out.push('/');
            match step {
                Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
                Step::Index(index) => out.push_str(&index.to_string()),
            }
        }
        out
    }
}

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A problem found while reading: where, and serde's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadError {
    /// JSON pointer.
    pub path: String,
    /// The message.
    pub message: String,
}

impl ReadError {
    /// A problem at a place.
    pub(crate) fn at(path: &Path<'_>, message: impl std::fmt::Display) -> ReadError {
        ReadError {
            path: path.pointer(),
            message: message.to_string(),
        }
    }
}

/// A leaf read through its `Deserialize` impl on the value (serde_json's messages).
pub(crate) fn leaf<T: DeserializeOwned>(value: Value, path: &Path<'_>) -> Result<T, ReadError> {
    T::deserialize(value).map_err(|e| ReadError::at(path, e))
}

/// serde's message for a key a struct does not have, at the key (as `serde_path_to_error`
/// reported it).
pub(crate) fn unknown_field(
    key: &str,
    fields: &'static [&'static str],
    path: &Path<'_>,
) -> ReadError {
    ReadError::at(path, serde_json::Error::unknown_field(key, fields))
}

/// serde's message for a required field that is absent, at its object.
pub(crate) fn missing_field(field: &'static str, path: &Path<'_>) -> ReadError {
    ReadError::at(path, serde_json::Error::missing_field(field))
}

/// serde_json's message when a visitor left entries of an object unread (`len` is the
/// object's size), at the object.
pub(crate) fn fewer_in_map(len: usize, path: &Path<'_>) -> ReadError {
    ReadError::at(
        path,
        serde_json::Error::invalid_length(len, &"fewer elements in map"),
    )
}

/// serde_json's message for a value of the wrong type.
pub(crate) fn invalid_type(value: &Value, expected: &str, path: &Path<'_>) -> ReadError {
    ReadError::at(
        path,
        serde_json::Error::invalid_type(unexpected(value), &expected),
    )
}

/// How serde_json's value deserialiser names a value in a type error (with exact number text, a
/// number is just "number").
pub(crate) fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}
