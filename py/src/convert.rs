//! Python values to the core's JSON documents ([`Json`]) and back, exactly.
//!
//! In: `None`, `bool`, `int` (exact), `decimal.Decimal` (its exact text), `float` (only when
//! finite, from its shortest repr), `str`, mappings (keys `str`, or `int` years) and lists or
//! tuples, nested at most [`MAX_NESTING`] levels (deeper is the core's `too_deep` error, at any
//! depth: the walk never recurses past the limit). NaN, infinities and any other type are
//! refused with the JSON pointer of the value.
//! Out: JSON integers become `int`, every other JSON number `decimal.Decimal`, never `float`.

use plan_rules::limits::MAX_NESTING;
use plan_rules::number::shortest_text;
use plan_rules::wire::{Json, Path, json::is_number};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString, PyTuple,
};

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The `decimal.Decimal` class.
pub(crate) fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// A `decimal.Decimal` from exact decimal text.
pub(crate) fn decimal<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    decimal_class(py)?.call1((text,))
}

/// Why a Python value cannot cross: where it is and what is wrong.
pub(crate) enum Refusal {
    /// A Python error raised while looking at the value.
    Python(PyErr),
    /// A value that has no JSON form.
    Value {
        /// JSON pointer to it.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Nesting deeper than [`MAX_NESTING`] levels, at this JSON pointer.
    TooDeep(String),
}

impl From<PyErr> for Refusal {
    fn from(e: PyErr) -> Self {
        Refusal::Python(e)
    }
}

/// Where a value is, written out only for an error.
pub(crate) type Pointer<'a> = &'a dyn Fn() -> String;

fn refuse(path: Pointer<'_>, message: String) -> Refusal {
    Refusal::Value {
        path: path(),
        message,
    }
}

pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn number(path: Pointer<'_>, text: String) -> Result<Json, Refusal> {
    if is_number(&text) {
        Ok(Json::Number(text))
    } else {
        Err(refuse(path, format!("`{text}` is not a decimal number")))
    }
}

fn key_text(key: &Bound<'_, PyAny>, path: Pointer<'_>) -> Result<String, Refusal> {
    if let Ok(s) = key.cast::<PyString>() {
        return Ok(s.to_cow()?.to_string());
    }
    if key.is_instance_of::<PyInt>() && !key.is_instance_of::<PyBool>() {
        return Ok(key.str()?.to_cow()?.to_string());
    }
    Err(refuse(
        path,
        format!(
            "keys must be `str` (or `int` years), not `{}`",
            type_name(key)
        ),
    ))
}

/// A scalar (not a container) as a JSON value.
pub(crate) fn scalar_to_value(obj: &Bound<'_, PyAny>, path: Pointer<'_>) -> Result<Json, Refusal> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Json::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Json::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return number(path, obj.str()?.to_cow()?.into_owned());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        // The digits Python's repr shows (an exact tie to the even digit, as repr does; Rust's
        // own formatting rounds it up), written without an exponent; NumPy's repr would add a
        // type name.
        let Some(text) = shortest_text(v) else {
            return Err(refuse(path, format!("`{v}` is not a finite number")));
        };
        return number(path, text);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Json::String(s.to_cow()?.to_string()));
    }
    if obj.is_instance(decimal_class(py)?)? {
        if !obj.call_method0("is_finite")?.is_truthy()? {
            return Err(refuse(
                path,
                format!("`{}` is not a finite number", obj.str()?.to_cow()?),
            ));
        }
        return number(path, obj.str()?.to_cow()?.into_owned());
    }
    // NumPy and other integer types that say they are integers.
    if obj.hasattr("__index__")?
        && let Ok(i) = obj.call_method0("__index__")
    {
        return number(path, i.str()?.to_cow()?.into_owned());
    }
    Err(refuse(
        path,
        format!("a value of type `{}` cannot be used here", type_name(obj)),
    ))
}

/// Any Python value as a JSON document; the root of what is read.
pub(crate) fn to_value(obj: &Bound<'_, PyAny>) -> Result<Json, Refusal> {
    value(obj, &Path::Root, 0)
}

/// A value `depth` containers down, at `path`.
fn value(obj: &Bound<'_, PyAny>, path: &Path<'_>, depth: usize) -> Result<Json, Refusal> {
    let container = obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
        || (!obj.is_instance_of::<PyString>() && obj.cast::<PyMapping>().is_ok());
    if container && depth >= MAX_NESTING {
        return Err(Refusal::TooDeep(path.pointer()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut entries = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = key_text(&k, &|| path.pointer())?;
            let item = value(&v, &path.key(&key), depth + 1)?;
            entries.push((key, item));
        }
        return Ok(Json::Object(entries));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let seq = obj.cast::<PySequence>().map_err(PyErr::from)?;
        let mut out = Vec::new();
        for (i, item) in seq.try_iter()?.enumerate() {
            out.push(value(&item?, &path.index(i), depth + 1)?);
        }
        return Ok(Json::Array(out));
    }
    if !obj.is_instance_of::<PyString>()
        && let Ok(m) = obj.cast::<PyMapping>()
    {
        let mut entries = Vec::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let key = key_text(&k, &|| path.pointer())?;
            let item = value(&v, &path.key(&key), depth + 1)?;
            entries.push((key, item));
        }
        return Ok(Json::Object(entries));
    }
    scalar_to_value(obj, &|| path.pointer())
}

/// A JSON value as a Python value: integers as `int`, other numbers as `decimal.Decimal`.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Json::Number(text) => {
            let integer = text
                .strip_prefix('-')
                .unwrap_or(text)
                .bytes()
                .all(|b| b.is_ascii_digit());
            if integer {
                match text.parse::<i64>() {
                    Ok(i) => i.into_pyobject(py)?.into_any(),
                    Err(_) => py.get_type::<PyInt>().call1((text.as_str(),))?.into_any(),
                }
            } else {
                decimal(py, text)?
            }
        }
        Json::String(s) => PyString::new(py, s).into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Json::Object(entries) => {
            let dict = PyDict::new(py);
            for (k, v) in entries {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Anything serialisable as a Python value, through its JSON text (numbers exact).
pub(crate) fn serialize_to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    let v =
        Json::parse(&text).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    to_py(py, &v)
}
