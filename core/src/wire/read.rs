//! The one reading mechanism: [`FromJson`] for every type on the wire, [`Object`] for the
//! fields of a struct, and the [`read_struct!`] macro in which a field is
//! one line.
//!
//! A problem is a [`WireError`]: the JSON pointer of the value and our own message (`expected a
//! string, found a number`, ``unknown field `x`, expected one of `a`, `b` ``, ``missing field
//! `x` ``). Unknown fields are found before any field is read, so a misspelt field is named as
//! such rather than reported as a missing one. A struct is always a JSON object; a tagged
//! enum's tag is always its name.

use std::collections::BTreeMap;

use super::json::Json;
use super::pointer::Path;

/// A value that does not have the shape its place asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    /// JSON pointer to the value.
    pub path: String,
    /// What was expected, and what was found.
    pub message: String,
    /// For an unknown tag of a tagged enum: the name given.
    pub unknown_tag: Option<String>,
}

impl WireError {
    /// A problem at a place.
    pub fn at(path: &Path<'_>, message: impl Into<String>) -> WireError {
        WireError {
            path: path.pointer(),
            message: message.into(),
            unknown_tag: None,
        }
    }

    /// `expected …, found …` for a value of the wrong kind.
    pub fn expected(path: &Path<'_>, expected: &str, found: &Json) -> WireError {
        WireError::at(path, format!("expected {expected}, found {}", found.kind()))
    }
}

/// A type read from the wire.
pub trait FromJson: Sized {
    /// Reads the value at `at`.
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError>;
}

impl FromJson for Json {
    fn from_json(value: Json, _: &Path<'_>) -> Result<Self, WireError> {
        Ok(value)
    }
}

impl FromJson for String {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::String(s) => Ok(s),
            other => Err(WireError::expected(at, "a string", &other)),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        T::from_json(value, at).map(Box::new)
    }
}

impl FromJson for bool {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::Bool(b) => Ok(b),
            other => Err(WireError::expected(at, "a boolean", &other)),
        }
    }
}

/// A whole number in a JSON number without fraction or exponent, within `T`'s range.
fn whole<T: std::str::FromStr>(value: Json, at: &Path<'_>, what: &str) -> Result<T, WireError> {
    match &value {
        Json::Number(text) if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') => text
            .parse()
            .map_err(|_| WireError::at(at, format!("expected {what}, found `{text}`"))),
        Json::Number(text) => Err(WireError::at(
            at,
            format!("expected {what}, found `{text}`"),
        )),
        other => Err(WireError::expected(at, what, other)),
    }
}

impl FromJson for i32 {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        whole(value, at, "a whole number (32-bit)")
    }
}

impl FromJson for u32 {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        whole(value, at, "a whole number at least 0")
    }
}

impl FromJson for usize {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        whole(value, at, "a whole number at least 0")
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::Null => Ok(None),
            other => T::from_json(other, at).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| T::from_json(v, &at.index(i)))
                .collect(),
            other => Err(WireError::expected(at, "an array", &other)),
        }
    }
}

/// An object whose keys are names (series, fields, years), in key order.
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::Object(entries) => {
                let mut out = BTreeMap::new();
                for (key, v) in entries {
                    let item = T::from_json(v, &at.key(&key))?;
                    out.insert(key, item);
                }
                Ok(out)
            }
            other => Err(WireError::expected(at, "an object", &other)),
        }
    }
}

/// The fields of a struct being read: the object's entries, each taken once.
pub struct Object<'p> {
    entries: Vec<(String, Json)>,
    at: &'p Path<'p>,
}

impl<'p> Object<'p> {
    /// The object at `at`, whose keys must all be among `fields`; `what` names it in messages
    /// (`a target`). The first key that is not a field is the error, at that key.
    pub fn new(
        value: Json,
        at: &'p Path<'p>,
        what: &str,
        fields: &[&str],
    ) -> Result<Object<'p>, WireError> {
        let entries = match value {
            Json::Object(entries) => entries,
            other => return Err(WireError::expected(at, what, &other)),
        };
        if let Some((key, _)) = entries.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            let expected = fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(WireError::at(
                &at.key(key),
                format!("unknown field `{key}` in {what}, expected one of {expected}"),
            ));
        }
        Ok(Object { entries, at })
    }

    fn take(&mut self, key: &str) -> Option<Json> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| std::mem::take(v))
    }

    /// A required field.
    pub fn req<T: FromJson>(&mut self, key: &str) -> Result<T, WireError> {
        match self.take(key) {
            Some(v) => T::from_json(v, &self.at.key(key)),
            None => Err(WireError::at(self.at, format!("missing field `{key}`"))),
        }
    }

    /// An optional field: absent or `null` is `None`.
    pub fn opt<T: FromJson>(&mut self, key: &str) -> Result<Option<T>, WireError> {
        match self.take(key) {
            Some(v) => Option::<T>::from_json(v, &self.at.key(key)),
            None => Ok(None),
        }
    }

    /// A field that takes its type's default when absent.
    pub fn def<T: FromJson + Default>(&mut self, key: &str) -> Result<T, WireError> {
        self.or(key, T::default())
    }

    /// A field that takes `default` when absent.
    pub fn or<T: FromJson>(&mut self, key: &str, default: T) -> Result<T, WireError> {
        match self.take(key) {
            Some(v) => T::from_json(v, &self.at.key(key)),
            None => Ok(default),
        }
    }

    /// A required field read by a function of its own (a value the type's [`FromJson`] would
    /// read differently).
    pub fn with<T>(
        &mut self,
        key: &str,
        read: fn(Json, &Path<'_>) -> Result<T, WireError>,
    ) -> Result<T, WireError> {
        match self.take(key) {
            Some(v) => read(v, &self.at.key(key)),
            None => Err(WireError::at(self.at, format!("missing field `{key}`"))),
        }
    }

    /// A required field whose value is one of `names` (see [`one_of`]).
    pub fn name(&mut self, key: &str, names: &[&'static str]) -> Result<&'static str, WireError> {
        match self.take(key) {
            Some(v) => one_of(v, &self.at.key(key), key, names),
            None => Err(WireError::at(self.at, format!("missing field `{key}`"))),
        }
    }

    /// An optional field whose value is one of `names`: absent or `null` is `None`.
    pub fn opt_name(
        &mut self,
        key: &str,
        names: &[&'static str],
    ) -> Result<Option<&'static str>, WireError> {
        match self.take(key) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => one_of(v, &self.at.key(key), key, names).map(Some),
        }
    }
}

/// The tag of a tagged enum (`{"type": "rate", …}`): its name among `names`, and the object
/// without it. `what` names the enum in messages (`a rule`).
pub fn tagged(
    value: Json,
    at: &Path<'_>,
    tag: &str,
    names: &[&'static str],
    what: &str,
) -> Result<(&'static str, Json), WireError> {
    let mut entries = match value {
        Json::Object(entries) => entries,
        other => return Err(WireError::expected(at, what, &other)),
    };
    let Some(pos) = entries.iter().position(|(k, _)| k == tag) else {
        return Err(WireError::at(at, format!("missing field `{tag}`")));
    };
    let (_, given) = entries.remove(pos);
    let here = at.key(tag);
    let given = String::from_json(given, &here)?;
    match names.iter().find(|n| **n == given) {
        Some(name) => Ok((name, Json::Object(entries))),
        None => {
            let mut e = WireError::at(
                &here,
                format!(
                    "unknown {tag} `{given}` of {what}, expected one of {}",
                    names.join(", ")
                ),
            );
            e.unknown_tag = Some(given);
            Err(e)
        }
    }
}

/// A unit enum written as one of its snake_case names.
pub fn named<T: Copy>(
    value: Json,
    at: &Path<'_>,
    what: &str,
    names: &[(&str, T)],
) -> Result<T, WireError> {
    let given = String::from_json(value, at)?;
    names
        .iter()
        .find(|(n, _)| *n == given)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let expected: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            WireError::at(
                at,
                format!(
                    "unknown {what} `{given}`, expected one of {}",
                    expected.join(", ")
                ),
            )
        })
}

/// A name the engine writes from a fixed list (a rule kind, a culprit's problem): the list's own
/// `&'static str` for the name given.
pub fn one_of(
    value: Json,
    at: &Path<'_>,
    what: &str,
    names: &[&'static str],
) -> Result<&'static str, WireError> {
    let given = String::from_json(value, at)?;
    names.iter().find(|n| **n == given).copied().ok_or_else(|| {
        WireError::at(
            at,
            format!(
                "unknown {what} `{given}`, expected one of {}",
                names.join(", ")
            ),
        )
    })
}

/// Reads a struct from an object, one line per field:
///
/// ```ignore
/// read_struct!(value, at, "a citation", Citation {
///     source: req,              // required
///     location: req,
///     quote: req,
///     related: def,             // absent: Default::default()
///     year: opt,                // absent or null: None
///     percent: or(hundred()),   // absent: the value given
///     value_type = "type": req, // the key differs from the field's name
///     kind: name(&KINDS),       // a `&'static str` among KINDS
///     position: opt_name(&POSITIONS), // the same, or absent or null: None
///     r: with(read_r),          // required, read by the function `read_r`
/// })
/// ```
///
/// Unknown keys are refused first (at the key), then the fields are read in the order given.
macro_rules! read_struct {
    ($value:expr, $at:expr, $what:expr, $($ty:ident)::+ {
        $( $field:ident $(= $key:literal)? : $mode:ident $(($default:expr))? ),* $(,)?
    }) => {{
        let at: &$crate::wire::pointer::Path<'_> = $at;
        let mut object = $crate::wire::read::Object::new(
            $value,
            at,
            $what,
            &[ $( read_struct!(@key $field $(= $key)?) ),* ],
        )?;
        let value = $($ty)::+ {
            $( $field: object.$mode(read_struct!(@key $field $(= $key)?) $(, $default)?)?, )*
        };
        Ok::<_, $crate::wire::read::WireError>(value)
    }};
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident = $key:literal) => { $key };
}

pub(crate) use read_struct;
