//! Reading typed values out of a parsed JSON value by hand, for the loaders of datasets and
//! rule sets, with the JSON pointer of a problem built only when there is a problem.
//!
//! Both used to be read by serde's derived visitors wrapped in `serde_path_to_error`; this
//! module keeps their answers, message for message and path for path, without that machinery
//! (which was about a sixth of the WebAssembly build's code, and most of the time of loading a
//! dataset):
//!
//! - objects are walked in the order of `serde_json::Map` (sorted keys, the last of duplicate
//!   keys kept), as the derived visitors saw them; a struct given as an array is read by
//!   position, as serde reads it;
//! - messages are the ones serde and serde_json write (`invalid type: number, expected a
//!   string`, ``unknown field `x`, expected one of ...``, ``missing field `x` ``); leaves
//!   (strings, booleans, integers, dates, values) still go through their `Deserialize` impls on
//!   the value, so their messages are serde_json's own;
//! - the path of a problem is the one `serde_path_to_error` gave: the key of an unknown field is
//!   part of it, a missing field is reported at its object.
//!
//! The differential tests in `dataset_read.rs` and `plan_read.rs` compare every answer with
//! the derived path.

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
                    steps.push(Segment::Key(key));
                    at = parent;
                }
                Path::Index(parent, index) => {
                    steps.push(Segment::Index(*index));
                    at = parent;
                }
            }
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            out.push('/');
            match step {
                Segment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
                Segment::Index(index) => out.push_str(&index.to_string()),
            }
        }
        out
    }
}

enum Segment<'a> {
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

/// One step below a value: the key of an object's entry or the index of an array's element.
pub(crate) enum Step {
    /// A key.
    Key(String),
    /// An index.
    Index(usize),
}

impl Step {
    /// The path of the step below `parent`.
    pub(crate) fn below<'a>(&'a self, parent: &'a Path<'a>) -> Path<'a> {
        match self {
            Step::Key(key) => parent.key(key),
            Step::Index(index) => parent.index(*index),
        }
    }
}

enum Entries {
    Map(serde_json::map::IntoIter),
    Seq(std::vec::IntoIter<Value>, usize),
}

/// A struct of two required fields (`names`, as [`Fields::new`] takes them), the first read by
/// `first`, the second by `second`: what a derived visitor does for `Text`, `Period` and the like.
pub(crate) fn pair<A, B>(
    value: Value,
    path: &Path<'_>,
    expecting: &'static str,
    names: &'static [&'static str],
    first: impl Fn(Value, &Path<'_>) -> Result<A, ReadError>,
    second: impl Fn(Value, &Path<'_>) -> Result<B, ReadError>,
) -> Result<(A, B), ReadError> {
    let mut f = Fields::new(value, path, expecting, names)?;
    let (mut a, mut b) = (None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => a = Some(first(v, &at)?),
            _ => b = Some(second(v, &at)?),
        }
    }
    let both = (f.required(0, a)?, f.required(1, b)?);
    f.finish()?;
    Ok(both)
}

/// The fields of a struct, in the order serde's derived visitor reads them: an object's entries
/// by key (a key the struct lacks is refused), or an array's elements by position.
pub(crate) struct Fields<'p> {
    path: &'p Path<'p>,
    expecting: &'static str,
    names: &'static [&'static str],
    len: usize,
    entries: Entries,
}

impl<'p> Fields<'p> {
    /// The fields of `value`, a struct serde names `expecting` (`struct Target`) with the
    /// fields `names` (as written in JSON, in declaration order).
    pub(crate) fn new(
        value: Value,
        path: &'p Path<'p>,
        expecting: &'static str,
        names: &'static [&'static str],
    ) -> Result<Fields<'p>, ReadError> {
        let (len, entries) = match value {
            Value::Object(map) => (map.len(), Entries::Map(map.into_iter())),
            Value::Array(items) => (items.len(), Entries::Seq(items.into_iter(), 0)),
            other => return Err(invalid_type(&other, expecting, path)),
        };
        Ok(Fields {
            path,
            expecting,
            names,
            len,
            entries,
        })
    }

    /// The next field: its position in `names`, its step and its value.
    pub(crate) fn next(&mut self) -> Result<Option<(usize, Step, Value)>, ReadError> {
        match &mut self.entries {
            Entries::Map(entries) => match entries.next() {
                None => Ok(None),
                Some((key, value)) => match self.names.iter().position(|n| *n == key) {
                    Some(i) => Ok(Some((i, Step::Key(key), value))),
                    None => Err(unknown_field(&key, self.names, &self.path.key(&key))),
                },
            },
            Entries::Seq(items, next) => {
                if *next >= self.names.len() {
                    return Ok(None);
                }
                Ok(items.next().map(|value| {
                    let i = *next;
                    *next += 1;
                    (i, Step::Index(i), value)
                }))
            }
        }
    }

    /// A required field's value, or serde's error for its absence (asked in declaration
    /// order, as the derived visitor checks).
    pub(crate) fn required<T>(&self, field: usize, value: Option<T>) -> Result<T, ReadError> {
        value.ok_or_else(|| match self.entries {
            Entries::Map(_) => missing_field(
                self.names.get(field).copied().unwrap_or_default(),
                self.path,
            ),
            Entries::Seq(..) => {
                let count = self.names.len();
                let expecting = if count == 1 {
                    format!("{} with 1 element", self.expecting)
                } else {
                    format!("{} with {count} elements", self.expecting)
                };
                ReadError::at(
                    self.path,
                    serde_json::Error::invalid_length(field, &expecting.as_str()),
                )
            }
        })
    }

    /// The end of the struct: an array with elements left over is refused, as serde_json's
    /// value deserialiser does once the visitor is done.
    pub(crate) fn finish(self) -> Result<(), ReadError> {
        match self.entries {
            Entries::Seq(items, _) if items.len() > 0 => Err(ReadError::at(
                self.path,
                serde_json::Error::invalid_length(self.len, &"fewer elements in array"),
            )),
            _ => Ok(()),
        }
    }
}

/// A sequence read element by element (`read` gets each element's path).
pub(crate) fn seq<T>(
    value: Value,
    path: &Path<'_>,
    mut read: impl FnMut(Value, &Path<'_>) -> Result<T, ReadError>,
) -> Result<Vec<T>, ReadError> {
    match value {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(read(item, &path.index(i))?);
            }
            Ok(out)
        }
        other => Err(invalid_type(&other, "a sequence", path)),
    }
}

/// A map with string keys read entry by entry (`read` gets each entry's path).
pub(crate) fn map<T>(
    value: Value,
    path: &Path<'_>,
    mut read: impl FnMut(Value, &Path<'_>) -> Result<T, ReadError>,
) -> Result<std::collections::BTreeMap<String, T>, ReadError> {
    match value {
        Value::Object(entries) => {
            let mut out = std::collections::BTreeMap::new();
            for (key, item) in entries {
                let item = read(item, &path.key(&key))?;
                out.insert(key, item);
            }
            Ok(out)
        }
        other => Err(invalid_type(&other, "a map", path)),
    }
}

/// A list of strings.
pub(crate) fn strings(value: Value, path: &Path<'_>) -> Result<Vec<String>, ReadError> {
    seq(value, path, leaf)
}

/// Which of `variants` a unit-only enum is, as serde_json's value deserialiser reads one: the
/// variant's name, or an object with the name as its one key and null as its value.
pub(crate) fn unit_variant(
    value: Value,
    path: &Path<'_>,
    variants: &'static [&'static str],
) -> Result<usize, ReadError> {
    let find = |name: &str| {
        variants
            .iter()
            .position(|v| *v == name)
            .ok_or_else(|| ReadError::at(path, serde_json::Error::unknown_variant(name, variants)))
    };
    match value {
        Value::String(name) => find(&name),
        Value::Object(entries) if entries.len() == 1 => {
            let Some((name, content)) = entries.into_iter().next() else {
                return Err(single_key(path));
            };
            let i = find(&name)?;
            match content {
                Value::Null => Ok(i),
                other => Err(invalid_type(&other, "unit", &path.key(&name))),
            }
        }
        Value::Object(_) => Err(single_key(path)),
        other => Err(invalid_type(&other, "string or map", path)),
    }
}

fn single_key(path: &Path<'_>) -> ReadError {
    ReadError::at(
        path,
        serde_json::Error::invalid_value(Unexpected::Map, &"map with a single key"),
    )
}

/// Random mutations of JSON documents, for the differential tests of the readers.
#[cfg(test)]
pub(crate) mod mutation {
    use serde_json::Value;

    /// xorshift64.
    pub(crate) struct Rng(pub u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// The JSON pointer of every node of `v`.
    pub(crate) fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let k = k.replace('~', "~0").replace('/', "~1");
                    pointers(x, format!("{at}/{k}"), out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    pointers(x, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    /// One mutation at a random node: replaced by an odd value, given an extra key, losing a
    /// key or an element, or (an object) turned into the array of its values.
    pub(crate) fn mutate(v: &mut Value, rng: &mut Rng, odd: &[Value], keys: &[&str]) {
        let mut all = Vec::new();
        pointers(v, String::new(), &mut all);
        let at = all[rng.below(all.len())].clone();
        let Some(node) = v.pointer_mut(&at) else {
            return;
        };
        match rng.below(9) {
            0..=3 => *node = odd[rng.below(odd.len())].clone(),
            4 | 5 => {
                if let Value::Object(m) = node {
                    m.insert(
                        keys[rng.below(keys.len())].to_string(),
                        odd[rng.below(odd.len())].clone(),
                    );
                }
            }
            6 | 7 => match node {
                Value::Object(m) if !m.is_empty() => {
                    let k = m.keys().nth(rng.below(m.len())).cloned().unwrap();
                    m.remove(&k);
                }
                Value::Array(a) if !a.is_empty() => {
                    a.remove(rng.below(a.len()));
                }
                _ => {}
            },
            _ => {
                if let Value::Object(m) = node {
                    let mut values: Vec<Value> = m.values().cloned().collect();
                    if !values.is_empty() && rng.below(2) == 0 {
                        let i = rng.below(values.len());
                        let j = rng.below(values.len());
                        values.swap(i, j);
                    }
                    *node = Value::Array(values);
                }
            }
        }
    }
}
