//! Columns of a table as they cross from Python: raw little-endian buffers taken from NumPy
//! arrays (no Python object per row), or dictionary-encoded values for text and mixed columns.
//! The Python side (`plan_rules/_columns.py`) encodes each column as a tuple:
//!
//! - `("int", data, mask)`: `data` holds int64 values; `mask` (or `None`) one byte per row, 1 =
//!   missing.
//! - `("float", data, mask)`: float64 values; NaN is missing (as in pandas), infinities are
//!   refused, other values are read from their shortest representation.
//! - `("bool", data, mask)`: one byte per row.
//! - `("coded", codes, values)`: int64 codes (a NumPy array or bytes) into the list `values` (-1 = missing); each value is
//!   converted like a value of a dict (`int`, `Decimal`, finite `float`, `str`, `bool`, `None`).
//!
//! Two more carry a dataset's own columns back in exactly (a pickle, [`encode_table`]):
//!
//! - `("decimal", data, mask)`: 16 bytes per row, a decimal as `rust_decimal` serializes it
//!   (flags with scale and sign, then the 96-bit mantissa, little-endian).
//! - `("coded_json", codes, text)`: int64 codes into the values of `text`, a JSON array of
//!   scalars (numbers keep their exact text).
//!
//! The rows are then grouped into entities by the core ([`plan_rules::batch`]); a dataset's
//! tables are given back by the core ([`plan_rules::unbatch`]) and encoded by [`encode_table`].

use numpy::PyArrayMethods;
use plan_rules::RawValue;
use plan_rules::batch::{Column, EntityTable, Labels};
use plan_rules::number::{parse_decimal, shortest_text};
use plan_rules::wire::{Json, join};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use rust_decimal::Decimal;

use crate::convert::{self, Refusal};

/// One encoded column: a tag and two payloads (see the module docs).
pub(crate) type ColumnSpec<'py> = (String, Bound<'py, PyAny>, Bound<'py, PyAny>);

fn refuse(name: &str, row: Option<usize>, message: String) -> Refusal {
    Refusal::Value {
        path: match row {
            Some(r) => format!("{}/{r}", join("/columns", name)),
            None => join("/columns", name),
        },
        message,
    }
}

fn bytes_of<'a>(obj: &'a Bound<'_, PyAny>, name: &str) -> Result<&'a [u8], Refusal> {
    obj.cast::<PyBytes>()
        .map(|b| b.as_bytes())
        .map_err(|_| refuse(name, None, "column data must be `bytes`".into()))
}

fn words<const N: usize>(data: &[u8], name: &str) -> Result<Vec<[u8; N]>, Refusal> {
    let chunks = data.chunks_exact(N);
    if !chunks.remainder().is_empty() {
        return Err(refuse(
            name,
            None,
            format!("column data is not a whole number of {N}-byte values"),
        ));
    }
    Ok(chunks
        .map(|c| {
            let mut w = [0u8; N];
            w.copy_from_slice(c);
            w
        })
        .collect())
}

fn mask_of(obj: &Bound<'_, PyAny>, rows: usize, name: &str) -> Result<Vec<bool>, Refusal> {
    if obj.is_none() {
        return Ok(vec![false; rows]);
    }
    let m = bytes_of(obj, name)?;
    if m.len() != rows {
        return Err(refuse(
            name,
            None,
            format!("mask has {} rows but the data {rows}", m.len()),
        ));
    }
    Ok(m.iter().map(|b| *b != 0).collect())
}

/// The cells of a column as JSON-like values before typing: numbers, flags or coded values.
enum Cells {
    /// Whole numbers, and which are missing (`None`: none is).
    Ints(Vec<i64>, Option<Vec<bool>>),
    Floats(Vec<Option<f64>>),
    Decimals(Vec<Option<Decimal>>),
    Flags(Vec<Option<bool>>),
    Coded(Vec<Option<u32>>, Vec<Json>),
}

impl Cells {
    /// Whole numbers as optional values (for the small columns that need them so).
    fn optional_ints(values: Vec<i64>, missing: Option<Vec<bool>>) -> Vec<Option<i64>> {
        match missing {
            None => values.into_iter().map(Some).collect(),
            Some(m) => values
                .into_iter()
                .zip(m)
                .map(|(v, m)| (!m).then_some(v))
                .collect(),
        }
    }
}

/// The values of an `int` column: an `int64` NumPy array copied once into the dataset's own
/// vector, or little-endian bytes.
fn int_values(obj: &Bound<'_, PyAny>, name: &str) -> Result<Vec<i64>, Refusal> {
    // Only an object that is a NumPy array is cast as one (NumPy is then importable).
    let is_ndarray = convert::type_name(obj) == "ndarray";
    if is_ndarray && let Ok(array) = obj.cast::<numpy::PyArray1<i64>>() {
        let held = array.try_readonly().map_err(|e| {
            refuse(
                name,
                None,
                format!("the column's array cannot be read: {e}"),
            )
        })?;
        let view = held.as_array();
        return Ok(match view.as_slice() {
            Some(s) => s.to_vec(),
            None => view.iter().copied().collect(),
        });
    }
    let data = bytes_of(obj, name)?;
    let chunks = data.chunks_exact(8);
    if !chunks.remainder().is_empty() {
        return Err(refuse(
            name,
            None,
            "column data is not a whole number of 8-byte values".into(),
        ));
    }
    Ok(chunks
        .map(|c| {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            i64::from_le_bytes(w)
        })
        .collect())
}

/// Codes (int64, -1 = missing) into `n` values: an `int64` NumPy array read in place, or
/// little-endian bytes.
fn codes_of(obj: &Bound<'_, PyAny>, n: usize, name: &str) -> Result<Vec<Option<u32>>, Refusal> {
    let code = |row: usize, code: i64| -> Result<Option<u32>, Refusal> {
        if code < 0 {
            return Ok(None);
        }
        u32::try_from(code)
            .ok()
            .filter(|c| usize::try_from(*c).is_ok_and(|c| c < n))
            .map(Some)
            .ok_or_else(|| refuse(name, Some(row), format!("code {code} is out of range")))
    };
    if convert::type_name(obj) == "ndarray"
        && let Ok(array) = obj.cast::<numpy::PyArray1<i64>>()
    {
        let held = array.try_readonly().map_err(|e| {
            refuse(
                name,
                None,
                format!("the column's array cannot be read: {e}"),
            )
        })?;
        let view = held.as_array();
        return view
            .iter()
            .enumerate()
            .map(|(row, c)| code(row, *c))
            .collect();
    }
    let data = bytes_of(obj, name)?;
    let chunks = data.chunks_exact(8);
    if !chunks.remainder().is_empty() {
        return Err(refuse(
            name,
            None,
            "column data is not a whole number of 8-byte values".into(),
        ));
    }
    chunks
        .enumerate()
        .map(|(row, c)| {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            code(row, i64::from_le_bytes(w))
        })
        .collect()
}

fn cells(spec: &ColumnSpec<'_>, name: &str) -> Result<Cells, Refusal> {
    let (tag, a, b) = spec;
    match tag.as_str() {
        "int" => {
            let values = int_values(a, name)?;
            let missing = if b.is_none() {
                None
            } else {
                Some(mask_of(b, values.len(), name)?).filter(|m| m.iter().any(|x| *x))
            };
            Ok(Cells::Ints(values, missing))
        }
        "float" => {
            let data = words::<8>(bytes_of(a, name)?, name)?;
            let mask = mask_of(b, data.len(), name)?;
            Ok(Cells::Floats(
                data.into_iter()
                    .zip(mask)
                    .map(|(w, m)| {
                        let v = f64::from_le_bytes(w);
                        (!m && !v.is_nan()).then_some(v)
                    })
                    .collect(),
            ))
        }
        "bool" => {
            let data = bytes_of(a, name)?;
            let mask = mask_of(b, data.len(), name)?;
            Ok(Cells::Flags(
                data.iter()
                    .zip(mask)
                    .map(|(v, m)| (!m).then_some(*v != 0))
                    .collect(),
            ))
        }
        "coded" => {
            let list = b
                .cast::<PyList>()
                .map_err(|_| refuse(name, None, "coded values must be a `list`".into()))?;
            let mut values = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                values.push(convert::scalar_to_value(&v, &|| {
                    format!("{}/values/{i}", join("/columns", name))
                })?);
            }
            Ok(Cells::Coded(codes_of(a, values.len(), name)?, values))
        }
        "coded_json" => {
            let text = b
                .cast::<PyString>()
                .map_err(|_| refuse(name, None, "coded values must be JSON text".into()))?;
            let values = match Json::parse(&text.to_cow()?) {
                Ok(Json::Array(values)) => values,
                Ok(other) => {
                    return Err(refuse(
                        name,
                        None,
                        format!("coded values must be a JSON array, not {}", other.kind()),
                    ));
                }
                Err(e) => return Err(refuse(name, None, format!("coded values: {e}"))),
            };
            if let Some(i) = values
                .iter()
                .position(|v| matches!(v, Json::Array(_) | Json::Object(_)))
            {
                return Err(Refusal::Value {
                    path: format!("{}/values/{i}", join("/columns", name)),
                    message: "a coded value must be null, a boolean, a number or a string".into(),
                });
            }
            Ok(Cells::Coded(codes_of(a, values.len(), name)?, values))
        }
        "decimal" => {
            let data = words::<16>(bytes_of(a, name)?, name)?;
            let mask = mask_of(b, data.len(), name)?;
            let mut out = Vec::with_capacity(data.len());
            for (row, (w, m)) in data.into_iter().zip(mask).enumerate() {
                if m {
                    out.push(None);
                    continue;
                }
                let d = Decimal::deserialize(w);
                if d.serialize() != w {
                    return Err(refuse(
                        name,
                        Some(row),
                        "is not the 16 bytes of a decimal".into(),
                    ));
                }
                out.push(Some(d));
            }
            Ok(Cells::Decimals(out))
        }
        other => Err(refuse(
            name,
            None,
            format!("unknown column encoding `{other}`"),
        )),
    }
}

fn float_decimal(v: f64, name: &str, row: usize) -> Result<Decimal, Refusal> {
    // The shortest text that reads back as the same float, the digits Python's repr shows.
    let Some(text) = shortest_text(v) else {
        return Err(refuse(
            name,
            Some(row),
            format!("`{v}` is not a finite number"),
        ));
    };
    parse_decimal(&text).map_err(|e| refuse(name, Some(row), e.to_string()))
}

fn raw_of(v: &Json) -> RawValue {
    match v {
        Json::Null | Json::Array(_) | Json::Object(_) => RawValue::Null,
        Json::Bool(b) => RawValue::Bool(*b),
        Json::Number(n) => RawValue::Number(n.clone()),
        Json::String(s) => RawValue::Text(s.clone()),
    }
}

/// A JSON number that is a whole number within `i64`.
fn whole(v: &Json) -> Option<i64> {
    match v {
        Json::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// A field column: whole numbers, decimals, flags or coded values.
fn field_column(spec: &ColumnSpec<'_>, name: &str) -> Result<Column, Refusal> {
    Ok(match cells(spec, name)? {
        Cells::Ints(values, missing) => Column::ints(values, missing),
        Cells::Floats(v) => Column::Decimals(
            v.into_iter()
                .enumerate()
                .map(|(row, f)| f.map(|f| float_decimal(f, name, row)).transpose())
                .collect::<Result<_, _>>()?,
        ),
        Cells::Decimals(v) => Column::Decimals(v),
        Cells::Flags(v) => Column::Flags(v),
        Cells::Coded(codes, values) => Column::Coded {
            codes,
            values: values.iter().map(raw_of).collect(),
        },
    })
}

/// A text column (ids, names, attributes): text or integers, shown as text, kept coded.
pub(crate) fn text_column(spec: &ColumnSpec<'_>, name: &str) -> Result<Labels, Refusal> {
    let label = |v: Json, row: usize| match v {
        Json::String(s) => Ok(Some(s)),
        Json::Number(n) if n.parse::<i64>().is_ok() || n.parse::<u64>().is_ok() => Ok(Some(n)),
        Json::Null => Ok(None),
        other => Err(refuse(name, Some(row), format!("`{other}` is not text"))),
    };
    Ok(match cells(spec, name)? {
        Cells::Ints(v, m) => Labels::from_texts(
            Cells::optional_ints(v, m)
                .into_iter()
                .map(|i| i.map(|i| i.to_string())),
        ),
        Cells::Coded(codes, values) => {
            let labels: Vec<Option<String>> = values
                .into_iter()
                .enumerate()
                .map(|(i, v)| label(v, i))
                .collect::<Result<_, _>>()?;
            // A value that is no label (None) makes its rows missing: one more code for it.
            if labels.iter().all(Option::is_some) {
                Labels {
                    codes,
                    values: labels.into_iter().flatten().collect(),
                }
            } else {
                Labels::from_texts(
                    codes
                        .into_iter()
                        .map(|c| c.and_then(|c| labels.get(c as usize).cloned().flatten())),
                )
            }
        }
        Cells::Floats(_) | Cells::Decimals(_) | Cells::Flags(_) => {
            return Err(refuse(name, None, "must hold text or integers".into()));
        }
    })
}

/// A year column: integers.
fn year_column(spec: &ColumnSpec<'_>, name: &str) -> Result<Vec<Option<i32>>, Refusal> {
    let year = |row: usize, y: i64| {
        i32::try_from(y).map_err(|_| refuse(name, Some(row), format!("`{y}` is not a year")))
    };
    match cells(spec, name)? {
        // Straight from the whole numbers (a million rows: no wider copy on the way).
        Cells::Ints(v, m) => v
            .into_iter()
            .enumerate()
            .map(|(row, y)| {
                if m.as_ref().is_some_and(|m| m.get(row) != Some(&false)) {
                    Ok(None)
                } else {
                    year(row, y).map(Some)
                }
            })
            .collect(),
        Cells::Coded(codes, values) => codes
            .into_iter()
            .enumerate()
            .map(|(row, c)| match c.and_then(|c| values.get(c as usize)) {
                None | Some(Json::Null) => Ok(None),
                Some(v @ Json::Number(_)) if whole(v).is_some() => {
                    whole(v).map(|y| year(row, y)).transpose()
                }
                Some(other) => Err(refuse(name, Some(row), format!("`{other}` is not a year"))),
            })
            .collect(),
        Cells::Floats(_) | Cells::Decimals(_) | Cells::Flags(_) => {
            Err(refuse(name, None, "must hold integer years".into()))
        }
    }
}

/// The core's table from encoded columns.
#[allow(clippy::too_many_arguments)]
pub(crate) fn entity_table(
    kind: String,
    ids: ColumnSpec<'_>,
    years: ColumnSpec<'_>,
    fields: Vec<(String, ColumnSpec<'_>)>,
    attributes: Vec<(String, ColumnSpec<'_>)>,
    names: Option<ColumnSpec<'_>>,
    active_from: Option<ColumnSpec<'_>>,
    active_until: Option<ColumnSpec<'_>>,
) -> Result<EntityTable, Refusal> {
    let ids = text_column(&ids, "id")?;
    if let Some(row) = ids.codes.iter().position(Option::is_none) {
        return Err(refuse("id", Some(row), "an entity id is missing".into()));
    }
    let mut years = year_column(&years, "year")?
        .into_iter()
        .enumerate()
        .map(|(row, y)| y.ok_or_else(|| refuse("year", Some(row), "a year is missing".into())))
        .collect::<Result<Vec<_>, _>>()?;
    // Collected in place from 8-byte options: the dataset keeps 4 bytes a row, not 8.
    years.shrink_to_fit();
    Ok(EntityTable {
        kind,
        ids,
        years,
        names: names.map(|n| text_column(&n, "name")).transpose()?,
        active_from: active_from
            .map(|c| year_column(&c, "active_from"))
            .transpose()?,
        active_until: active_until
            .map(|c| year_column(&c, "active_until"))
            .transpose()?,
        attributes: attributes
            .iter()
            .map(|(name, c)| Ok((name.clone(), text_column(c, name)?)))
            .collect::<Result<_, Refusal>>()?,
        fields: fields
            .iter()
            .map(|(name, c)| Ok((name.clone(), field_column(c, name)?)))
            .collect::<Result<_, Refusal>>()?,
    })
}

/// A column's values as bytes, each written by `write`.
fn buffer<T>(values: &[T], width: usize, write: impl Fn(&T, &mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * width);
    for v in values {
        write(v, &mut out);
    }
    out
}

/// One byte per row, 1 = missing; `None` when no cell is missing.
fn mask<T>(cells: &[Option<T>]) -> Option<Vec<u8>> {
    cells
        .iter()
        .any(Option::is_none)
        .then(|| buffer(cells, 1, |c, out| out.push(u8::from(c.is_none()))))
}

/// Codes as int64 bytes, -1 for missing.
fn code_bytes(codes: &[Option<u32>]) -> Vec<u8> {
    buffer(codes, 8, |c, out| {
        out.extend_from_slice(&c.map_or(-1, i64::from).to_le_bytes());
    })
}

/// An encoded column: a tag and two payloads (`None` is Python's `None`).
fn spec<'py>(
    py: Python<'py>,
    tag: &str,
    data: Vec<u8>,
    extra: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let extra = extra.unwrap_or_else(|| py.None().into_bound(py));
    PyTuple::new(
        py,
        [
            PyString::new(py, tag).into_any(),
            PyBytes::new(py, &data).into_any(),
            extra,
        ],
    )
}

fn bytes<'py>(py: Python<'py>, data: Option<Vec<u8>>) -> Option<Bound<'py, PyAny>> {
    data.map(|d| PyBytes::new(py, &d).into_any())
}

/// Labels as `("coded", codes, [str, ...])`.
fn labels_spec<'py>(py: Python<'py>, l: &Labels) -> PyResult<Bound<'py, PyTuple>> {
    let values = PyList::new(py, &l.values)?.into_any();
    spec(py, "coded", code_bytes(&l.codes), Some(values))
}

/// Years (or active years) as `("int", data, mask)`.
fn years_spec<'py>(py: Python<'py>, years: &[Option<i32>]) -> PyResult<Bound<'py, PyTuple>> {
    let data = buffer(years, 8, |y, out| {
        out.extend_from_slice(&i64::from(y.unwrap_or(0)).to_le_bytes());
    });
    spec(py, "int", data, bytes(py, mask(years)))
}

/// A field column in the encoding that reads it back exactly.
fn column_spec<'py>(py: Python<'py>, column: &Column) -> PyResult<Bound<'py, PyTuple>> {
    match column {
        Column::Ints { values, missing } => {
            let data = buffer(values, 8, |v, out| out.extend_from_slice(&v.to_le_bytes()));
            let missing = missing
                .as_ref()
                .map(|m| buffer(m, 1, |b, out| out.push(u8::from(*b))));
            spec(py, "int", data, bytes(py, missing))
        }
        Column::Decimals(v) => {
            let data = buffer(v, 16, |d, out| {
                out.extend_from_slice(&d.unwrap_or_default().serialize());
            });
            spec(py, "decimal", data, bytes(py, mask(v)))
        }
        Column::Flags(v) => {
            let data = buffer(v, 1, |b, out| out.push(u8::from(b.unwrap_or(false))));
            spec(py, "bool", data, bytes(py, mask(v)))
        }
        Column::Coded { codes, values } => {
            let text = serde_json::to_string(values)
                .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
            let text = PyString::new(py, &text).into_any();
            spec(py, "coded_json", code_bytes(codes), Some(text))
        }
    }
}

/// A table as the arguments of `Dataset.with_entity_columns`, in order: `(kind, ids, years,
/// fields, attributes, names, active_from, active_until)`.
pub(crate) fn encode_table<'py>(py: Python<'py>, t: &EntityTable) -> PyResult<Bound<'py, PyTuple>> {
    let years: Vec<Option<i32>> = t.years.iter().copied().map(Some).collect();
    let named = |items: &[(String, Bound<'py, PyTuple>)]| -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, items)
    };
    let fields = t
        .fields
        .iter()
        .map(|(n, c)| Ok((n.clone(), column_spec(py, c)?)))
        .collect::<PyResult<Vec<_>>>()?;
    let attributes = t
        .attributes
        .iter()
        .map(|(n, l)| Ok((n.clone(), labels_spec(py, l)?)))
        .collect::<PyResult<Vec<_>>>()?;
    let none = || py.None().into_bound(py);
    let optional = |o: Option<PyResult<Bound<'py, PyTuple>>>| -> PyResult<Bound<'py, PyAny>> {
        Ok(o.transpose()?.map_or_else(none, Bound::into_any))
    };
    PyTuple::new(
        py,
        [
            PyString::new(py, &t.kind).into_any(),
            labels_spec(py, &t.ids)?.into_any(),
            years_spec(py, &years)?.into_any(),
            named(&fields)?.into_any(),
            named(&attributes)?.into_any(),
            optional(t.names.as_ref().map(|n| labels_spec(py, n)))?,
            optional(t.active_from.as_deref().map(|a| years_spec(py, a)))?,
            optional(t.active_until.as_deref().map(|a| years_spec(py, a)))?,
        ],
    )
}
