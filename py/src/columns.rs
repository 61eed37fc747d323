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
//! - `("coded_utf8", codes, payload)`: int64 codes into distinct strings laid out as Arrow
//!   lays them out, in one `bytes`: their number `n` (8 bytes), `n + 1` offsets (8 bytes
//!   each), then the UTF-8 text (string `i` is `text[offsets[i]..offsets[i + 1]]`); all
//!   little-endian. No Python object per value.
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

/// The optional mask payload: `None`, or one byte per row.
fn mask_bytes<'a>(obj: &'a Bound<'_, PyAny>, name: &str) -> Result<Option<&'a [u8]>, Refusal> {
    if obj.is_none() {
        return Ok(None);
    }
    bytes_of(obj, name).map(Some)
}

/// The NumPy `int64` arrays of a table's columns held read-only while the columns are read
/// (one per column: its values for `int`, its codes for `coded`, `coded_json` and
/// `coded_utf8`).
pub(crate) struct Held<'py>(Vec<Option<numpy::PyReadonlyArray1<'py, i64>>>);

impl<'py> Held<'py> {
    fn of(specs: &[&ColumnSpec<'py>], names: &[&str]) -> Result<Held<'py>, Refusal> {
        let mut held = Vec::with_capacity(specs.len());
        for ((tag, a, _), name) in specs.iter().zip(names) {
            let numeric = matches!(tag.as_str(), "int" | "coded" | "coded_json" | "coded_utf8");
            // Only an object that is a NumPy array is cast as one (NumPy is then importable).
            let array = if numeric && convert::type_name(a) == "ndarray" {
                match a.cast::<numpy::PyArray1<i64>>() {
                    Ok(array) => Some(array.try_readonly().map_err(|e| {
                        refuse(
                            name,
                            None,
                            format!("the column's array cannot be read: {e}"),
                        )
                    })?),
                    Err(_) => None,
                }
            } else {
                None
            };
            held.push(array);
        }
        Ok(Held(held))
    }
}

/// int64 values as they crossed: a NumPy array's (read in place), a copy of a strided one, or
/// little-endian bytes.
enum Words<'a> {
    Array(&'a [i64]),
    Copied(Vec<i64>),
    Bytes(&'a [u8]),
}

impl Words<'_> {
    fn of<'a>(
        held: Option<&'a numpy::PyReadonlyArray1<'_, i64>>,
        obj: &'a Bound<'_, PyAny>,
        name: &str,
    ) -> Result<Words<'a>, Refusal> {
        if let Some(array) = held {
            return Ok(match array.as_slice() {
                Ok(s) => Words::Array(s),
                Err(_) => Words::Copied(array.as_array().iter().copied().collect()),
            });
        }
        let data = bytes_of(obj, name)?;
        if data.len() % 8 != 0 {
            return Err(refuse(
                name,
                None,
                "column data is not a whole number of 8-byte values".into(),
            ));
        }
        Ok(Words::Bytes(data))
    }

    fn len(&self) -> usize {
        match self {
            Words::Array(s) => s.len(),
            Words::Copied(v) => v.len(),
            Words::Bytes(b) => b.len() / 8,
        }
    }

    /// The values, as the dataset's own vector (one copy).
    fn to_vec(&self) -> Vec<i64> {
        match self {
            Words::Array(s) => s.to_vec(),
            Words::Copied(v) => v.clone(),
            Words::Bytes(b) => b
                .chunks_exact(8)
                .map(|c| {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(c);
                    i64::from_le_bytes(w)
                })
                .collect(),
        }
    }

    /// Each value with its row.
    fn each(&self) -> Box<dyn Iterator<Item = i64> + '_> {
        match self {
            Words::Array(s) => Box::new(s.iter().copied()),
            Words::Copied(v) => Box::new(v.iter().copied()),
            Words::Bytes(b) => Box::new(b.chunks_exact(8).map(|c| {
                let mut w = [0u8; 8];
                w.copy_from_slice(c);
                i64::from_le_bytes(w)
            })),
        }
    }
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

fn mask_of(m: Option<&[u8]>, rows: usize, name: &str) -> Result<Vec<bool>, Refusal> {
    let Some(m) = m else {
        return Ok(vec![false; rows]);
    };
    if m.len() != rows {
        return Err(refuse(
            name,
            None,
            format!("mask has {} rows but the data {rows}", m.len()),
        ));
    }
    Ok(m.iter().map(|b| *b != 0).collect())
}

/// A column as it crossed from Python, before conversion: its buffers read in place, its
/// coded values (Python objects) already converted. Converting it needs no Python, so the
/// columns of a table are converted on several threads ([`entity_table`]).
enum Raw<'a> {
    Ints(Words<'a>, Option<&'a [u8]>),
    Floats(&'a [u8], Option<&'a [u8]>),
    Flags(&'a [u8], Option<&'a [u8]>),
    Decimals(&'a [u8], Option<&'a [u8]>),
    Coded(Words<'a>, Vec<Json>),
    /// Codes into strings given as UTF-8 bytes and their int64 offsets.
    CodedUtf8(Words<'a>, &'a [u8], &'a [u8]),
}

/// Reads a column's payloads (with the GIL): the first step of [`Raw::cells`].
fn raw<'a>(
    spec: &'a ColumnSpec<'_>,
    held: Option<&'a numpy::PyReadonlyArray1<'_, i64>>,
    name: &str,
) -> Result<Raw<'a>, Refusal> {
    let (tag, a, b) = spec;
    match tag.as_str() {
        "int" => Ok(Raw::Ints(Words::of(held, a, name)?, mask_bytes(b, name)?)),
        "float" => Ok(Raw::Floats(bytes_of(a, name)?, mask_bytes(b, name)?)),
        "bool" => Ok(Raw::Flags(bytes_of(a, name)?, mask_bytes(b, name)?)),
        "decimal" => Ok(Raw::Decimals(bytes_of(a, name)?, mask_bytes(b, name)?)),
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
            Ok(Raw::Coded(Words::of(held, a, name)?, values))
        }
        "coded_utf8" => {
            let payload = bytes_of(b, name)?;
            let bad = || refuse(name, None, "coded text is cut short".into());
            let count = payload
                .first_chunk::<8>()
                .map(|c| u64::from_le_bytes(*c))
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(bad)?;
            let offsets_end = count
                .checked_add(1)
                .and_then(|n| n.checked_mul(8))
                .and_then(|n| n.checked_add(8))
                .ok_or_else(bad)?;
            let offsets = payload.get(8..offsets_end).ok_or_else(bad)?;
            let text = payload.get(offsets_end..).ok_or_else(bad)?;
            Ok(Raw::CodedUtf8(Words::of(held, a, name)?, offsets, text))
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
            Ok(Raw::Coded(Words::of(held, a, name)?, values))
        }
        other => Err(refuse(
            name,
            None,
            format!("unknown column encoding `{other}`"),
        )),
    }
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

/// The strings of a `coded_utf8` column: `text[offsets[i]..offsets[i + 1]]`, each checked
/// to be UTF-8 and the offsets to rise within `text`.
fn utf8_values(offsets: &[u8], text: &[u8], name: &str) -> Result<Vec<Json>, Refusal> {
    let at = words::<8>(offsets, name)?;
    let bad = |message: String| Refusal::Value {
        path: format!("{}/values", join("/columns", name)),
        message,
    };
    let mut values = Vec::with_capacity(at.len().saturating_sub(1));
    for (i, pair) in at.windows(2).enumerate() {
        let (a, b) = match pair {
            [a, b] => (i64::from_le_bytes(*a), i64::from_le_bytes(*b)),
            _ => continue,
        };
        let slice = usize::try_from(a)
            .ok()
            .zip(usize::try_from(b).ok())
            .and_then(|(a, b)| text.get(a..b))
            .ok_or_else(|| {
                bad(format!(
                    "offsets {a}..{b} of value {i} are not within the text"
                ))
            })?;
        let value =
            std::str::from_utf8(slice).map_err(|e| bad(format!("value {i} is not UTF-8: {e}")))?;
        values.push(Json::String(value.to_string()));
    }
    Ok(values)
}

/// Codes (int64, -1 = missing) into `n` values.
fn codes_of(words: &Words<'_>, n: usize, name: &str) -> Result<Vec<Option<u32>>, Refusal> {
    words
        .each()
        .enumerate()
        .map(|(row, code)| {
            if code < 0 {
                return Ok(None);
            }
            u32::try_from(code)
                .ok()
                .filter(|c| usize::try_from(*c).is_ok_and(|c| c < n))
                .map(Some)
                .ok_or_else(|| refuse(name, Some(row), format!("code {code} is out of range")))
        })
        .collect()
}

impl Raw<'_> {
    /// The number of rows.
    fn rows(&self) -> usize {
        match self {
            Raw::Ints(w, _) | Raw::Coded(w, _) | Raw::CodedUtf8(w, ..) => w.len(),
            Raw::Floats(d, _) => d.len() / 8,
            Raw::Flags(d, _) => d.len(),
            Raw::Decimals(d, _) => d.len() / 16,
        }
    }

    /// The cells (without Python).
    fn cells(self, name: &str) -> Result<Cells, Refusal> {
        match self {
            Raw::Ints(values, mask) => {
                let values = values.to_vec();
                let missing = match mask {
                    None => None,
                    Some(m) => {
                        Some(mask_of(Some(m), values.len(), name)?).filter(|m| m.iter().any(|x| *x))
                    }
                };
                Ok(Cells::Ints(values, missing))
            }
            Raw::Floats(data, mask) => {
                let data = words::<8>(data, name)?;
                let mask = mask_of(mask, data.len(), name)?;
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
            Raw::Flags(data, mask) => {
                let mask = mask_of(mask, data.len(), name)?;
                Ok(Cells::Flags(
                    data.iter()
                        .zip(mask)
                        .map(|(v, m)| (!m).then_some(*v != 0))
                        .collect(),
                ))
            }
            Raw::Decimals(data, mask) => {
                let data = words::<16>(data, name)?;
                let mask = mask_of(mask, data.len(), name)?;
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
            Raw::Coded(codes, values) => {
                Ok(Cells::Coded(codes_of(&codes, values.len(), name)?, values))
            }
            Raw::CodedUtf8(codes, offsets, text) => {
                let values = utf8_values(offsets, text, name)?;
                Ok(Cells::Coded(codes_of(&codes, values.len(), name)?, values))
            }
        }
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
fn field_column(raw: Raw<'_>, name: &str) -> Result<Column, Refusal> {
    Ok(match raw.cells(name)? {
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
    let held = Held::of(&[spec], &[name])?;
    labels(
        raw(spec, held.0.first().and_then(Option::as_ref), name)?,
        name,
    )
}

/// [`text_column`] of a column read.
fn labels(raw: Raw<'_>, name: &str) -> Result<Labels, Refusal> {
    let label = |v: Json, row: usize| match v {
        Json::String(s) => Ok(Some(s)),
        Json::Number(n) if n.parse::<i64>().is_ok() || n.parse::<u64>().is_ok() => Ok(Some(n)),
        Json::Null => Ok(None),
        other => Err(refuse(name, Some(row), format!("`{other}` is not text"))),
    };
    Ok(match raw.cells(name)? {
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
fn year_column(raw: Raw<'_>, name: &str) -> Result<Vec<Option<i32>>, Refusal> {
    let year = |row: usize, y: i64| {
        i32::try_from(y).map_err(|_| refuse(name, Some(row), format!("`{y}` is not a year")))
    };
    match raw.cells(name)? {
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

/// What a column of an entity table becomes.
#[derive(Clone, Copy)]
enum Role {
    Text,
    Year,
    Field,
}

/// A converted column of an entity table.
enum Converted {
    Text(Labels),
    Years(Vec<Option<i32>>),
    Field(Column),
}

/// A column read, with its name and role.
type Job<'a> = (Raw<'a>, &'a str, Role);

/// Rows from which a table's columns are converted on several threads.
const PARALLEL_ROWS: usize = 50_000;

/// Converts the columns read (without Python), on several threads for a large table; the
/// answers in the columns' order.
fn convert_all(raws: Vec<Job<'_>>, rows: usize) -> Vec<Result<Converted, Refusal>> {
    let convert = |(raw, name, role): Job<'_>| match role {
        Role::Text => labels(raw, name).map(Converted::Text),
        Role::Year => year_column(raw, name).map(Converted::Years),
        Role::Field => field_column(raw, name).map(Converted::Field),
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(raws.len());
    if rows < PARALLEL_ROWS || threads <= 1 {
        return raws.into_iter().map(convert).collect();
    }
    let count = raws.len();
    // Dealt round-robin: the columns of a table are about equally long.
    let mut hands: Vec<Vec<(usize, Job<'_>)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, raw) in raws.into_iter().enumerate() {
        if let Some(hand) = hands.get_mut(i % threads) {
            hand.push((i, raw));
        }
    }
    let mut out: Vec<Option<Result<Converted, Refusal>>> = (0..count).map(|_| None).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = hands
            .into_iter()
            .map(|hand| {
                s.spawn(move || {
                    hand.into_iter()
                        .map(|(i, raw)| (i, convert(raw)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            // A thread that failed leaves its columns unanswered (an error below).
            for (i, answer) in worker.join().unwrap_or_default() {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(answer);
                }
            }
        }
    });
    out.into_iter()
        .map(|answer| {
            answer.unwrap_or_else(|| {
                Err(refuse(
                    "",
                    None,
                    "a column could not be converted (an engine defect)".into(),
                ))
            })
        })
        .collect()
}

/// The core's table from encoded columns: each column's payloads read with the GIL held, then
/// converted on several threads for a large table. The first error is reported, whichever
/// thread found it: a payload that cannot be read (a wrong type, a Python value with no JSON
/// form) first, then a value that cannot be converted, each in the columns' order (ids,
/// years, names, active years, attributes, fields).
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
    let mut columns: Vec<(&ColumnSpec<'_>, &str, Role)> =
        vec![(&ids, "id", Role::Text), (&years, "year", Role::Year)];
    columns.extend(names.as_ref().map(|c| (c, "name", Role::Text)));
    columns.extend(active_from.as_ref().map(|c| (c, "active_from", Role::Year)));
    columns.extend(
        active_until
            .as_ref()
            .map(|c| (c, "active_until", Role::Year)),
    );
    columns.extend(attributes.iter().map(|(n, c)| (c, n.as_str(), Role::Text)));
    columns.extend(fields.iter().map(|(n, c)| (c, n.as_str(), Role::Field)));
    let specs: Vec<&ColumnSpec<'_>> = columns.iter().map(|c| c.0).collect();
    let column_names: Vec<&str> = columns.iter().map(|c| c.1).collect();
    let held = Held::of(&specs, &column_names)?;
    let mut raws = Vec::with_capacity(columns.len());
    for ((spec, name, role), array) in columns.iter().zip(&held.0) {
        raws.push((raw(spec, array.as_ref(), name)?, *name, *role));
    }
    let rows = raws.first().map_or(0, |(r, ..)| r.rows());
    let mut converted = convert_all(raws, rows).into_iter();
    let mut next = || {
        converted.next().unwrap_or_else(|| {
            Err(refuse(
                "",
                None,
                "a column went missing (an engine defect)".into(),
            ))
        })
    };
    let text = |c: Result<Converted, Refusal>| match c? {
        Converted::Text(l) => Ok(l),
        _ => Err(refuse(
            "",
            None,
            "a column changed role (an engine defect)".into(),
        )),
    };
    let year = |c: Result<Converted, Refusal>| match c? {
        Converted::Years(y) => Ok(y),
        _ => Err(refuse(
            "",
            None,
            "a column changed role (an engine defect)".into(),
        )),
    };
    let ids = text(next())?;
    if let Some(row) = ids.codes.iter().position(Option::is_none) {
        return Err(refuse("id", Some(row), "an entity id is missing".into()));
    }
    let mut years = year(next())?
        .into_iter()
        .enumerate()
        .map(|(row, y)| y.ok_or_else(|| refuse("year", Some(row), "a year is missing".into())))
        .collect::<Result<Vec<_>, _>>()?;
    // Collected in place from 8-byte options: the dataset keeps 4 bytes a row, not 8.
    years.shrink_to_fit();
    let names = names.is_some().then(|| text(next())).transpose()?;
    let active_from = active_from.is_some().then(|| year(next())).transpose()?;
    let active_until = active_until.is_some().then(|| year(next())).transpose()?;
    let attributes = attributes
        .iter()
        .map(|(name, _)| Ok((name.clone(), text(next())?)))
        .collect::<Result<_, Refusal>>()?;
    let fields = fields
        .iter()
        .map(|(name, _)| match next()? {
            Converted::Field(c) => Ok((name.clone(), c)),
            _ => Err(refuse(
                "",
                None,
                "a column changed role (an engine defect)".into(),
            )),
        })
        .collect::<Result<_, Refusal>>()?;
    Ok(EntityTable {
        kind,
        ids,
        years,
        names,
        active_from,
        active_until,
        attributes,
        fields,
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
