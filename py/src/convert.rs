//! Python values to JSON values and back, exactly.
//!
//! In: `None`, `bool`, `int` (exact), `decimal.Decimal` (its exact text), `float` (only when
//! finite, from its shortest repr), `str`, mappings (keys `str`, or `int` years) and lists or
//! tuples. NaN, infinities and any other type are refused with the JSON pointer of the value.
//! Out: JSON integers become `int`, every other JSON number `decimal.Decimal`, never `float`.

use std::str::FromStr;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

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
}

impl From<PyErr> for Refusal {
    fn from(e: PyErr) -> Self {
        Refusal::Python(e)
    }
}

fn refuse(path: &str, message: String) -> Refusal {
    Refusal::Value {
        path: path.to_string(),
        message,
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn number(path: &str, text: &str) -> Result<Value, Refusal> {
    Number::from_str(text)
        .map(Value::Number)
        .map_err(|_| refuse(path, format!("`{text}` is not a decimal number")))
}

/// An integer's text as a JSON number. The core reads integers beyond 64 bits only as decimal
/// text (its value visitor has no 128-bit arm), so such an integer crosses as the same number
/// with a zero exponent.
fn integer(path: &str, text: String) -> Result<Value, Refusal> {
    let wide = text.parse::<i64>().is_err() && text.parse::<u64>().is_err();
    number(path, &if wide { format!("{text}e0") } else { text })
}

fn key_text(key: &Bound<'_, PyAny>, path: &str) -> Result<String, Refusal> {
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

fn pointer(path: &str, token: &str) -> String {
    format!("{path}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// A scalar (not a container) as a JSON value.
pub(crate) fn scalar_to_value(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, Refusal> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return integer(path, obj.str()?.to_cow()?.into_owned());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        if !v.is_finite() {
            return Err(refuse(path, format!("`{v}` is not a finite number")));
        }
        // Rust's `{:?}` of a float is its shortest round-trip text (as Python's repr), with an
        // exponent only for very large or small magnitudes; NumPy's repr would add a type name.
        return number(path, &format!("{v:?}"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.to_string()));
    }
    if obj.is_instance(decimal_class(py)?)? {
        if !obj.call_method0("is_finite")?.is_truthy()? {
            return Err(refuse(
                path,
                format!("`{}` is not a finite number", obj.str()?.to_cow()?),
            ));
        }
        let text = obj.str()?.to_cow()?.into_owned();
        let integral = text
            .strip_prefix('-')
            .unwrap_or(&text)
            .bytes()
            .all(|b| b.is_ascii_digit());
        return if integral {
            integer(path, text)
        } else {
            number(path, &text)
        };
    }
    // NumPy and other integer types that say they are integers.
    if obj.hasattr("__index__")?
        && let Ok(i) = obj.call_method0("__index__")
    {
        return integer(path, i.str()?.to_cow()?.into_owned());
    }
    Err(refuse(
        path,
        format!("a value of type `{}` cannot be used here", type_name(obj)),
    ))
}

/// Any Python value as a JSON value; `path` is its JSON pointer, for messages.
pub(crate) fn to_value(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, Refusal> {
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = key_text(&k, path)?;
            let inner = pointer(path, &key);
            map.insert(key, to_value(&v, &inner)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let seq = obj.cast::<PySequence>().map_err(PyErr::from)?;
        let mut out = Vec::new();
        for (i, item) in seq.try_iter()?.enumerate() {
            out.push(to_value(&item?, &format!("{path}/{i}"))?);
        }
        return Ok(Value::Array(out));
    }
    if !obj.is_instance_of::<PyString>()
        && let Ok(m) = obj.cast::<PyMapping>()
    {
        let mut map = Map::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let key = key_text(&k, path)?;
            let inner = pointer(path, &key);
            map.insert(key, to_value(&v, &inner)?);
        }
        return Ok(Value::Object(map));
    }
    scalar_to_value(obj, path)
}

/// A JSON value as a Python value: integers as `int`, other numbers as `decimal.Decimal`.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            let text = n.to_string();
            let integer = text
                .strip_prefix('-')
                .unwrap_or(&text)
                .bytes()
                .all(|b| b.is_ascii_digit());
            if integer {
                match text.parse::<i64>() {
                    Ok(i) => i.into_pyobject(py)?.into_any(),
                    Err(_) => py.get_type::<PyInt>().call1((text.as_str(),))?.into_any(),
                }
            } else {
                decimal(py, &text)?
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Anything serialisable as a Python value, through its JSON form.
pub(crate) fn serialize_to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    to_py(py, &v)
}
