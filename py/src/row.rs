//! `RowRules`: the core's row verdicts ([`plan_rules::row`]) for one record given as a dict, and
//! for many rows given as the column buffers of a table (`plan_rules/_columns.py` encodes them,
//! see [`crate::columns`]).
//!
//! Values are read as the dataset loader reads them, so a record judged here and the same values
//! loaded as a dataset agree: `int` exactly, `decimal.Decimal` by its text, a finite `float` from
//! its shortest repr, `str` as a decimal or a state name, `bool` for flags, `None` (or no key)
//! missing. A value of the wrong type for its field (a `bool` where a number belongs, text that
//! is no number, an unknown state) is judged `invalid`. NaN, infinities and values no JSON holds
//! (lists, dates ...) raise `DataError`, as they do for `Dataset.from_dict`; in table columns a
//! NaN is a missing cell, as in `Dataset.from_pandas`.
//!
//! Reading and judging are the core's ([`RowRules::read`], [`RowRules::read_text`],
//! [`RowValue::from_f64`], [`RowRules::judge`], [`RowRules::judge_columns`]); this module only
//! decodes.

use std::ops::Range;
use std::sync::Arc;

use numpy::ndarray::ArrayView1;
use numpy::{PyArray2, PyArrayMethods};
use plan_rules::Plan;
use plan_rules::dataset::RawValue;
use plan_rules::error::RequestError;
use plan_rules::number::parse_decimal;
use plan_rules::row::{Column, Labels, RowRules, RowValue, RowVerdict};
use plan_rules::wire::{Json, join};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString};

use crate::arrays::{Flags, Held, Ints, hold};
use crate::columns::ColumnSpec;
use crate::convert::{self, Refusal};
use crate::dataset::data_refusal;
use crate::errors;
use crate::plan::PyPlan;

/// The verdict codes, in the order of [`RowVerdict`]'s discriminants.
const VERDICTS: [RowVerdict; 5] = [
    RowVerdict::Met,
    RowVerdict::NotMet,
    RowVerdict::Missing,
    RowVerdict::Invalid,
    RowVerdict::NotApplicable,
];

/// Rows judged per pass over the columns: bounds the decoded values held at once.
const CHUNK: usize = 1 << 14;

/// Rows a thread takes at a time (a whole number of chunks).
const PIECE: usize = 4 * CHUNK;

/// The most threads `judge_columns` uses unless told otherwise: the work is mostly reading
/// memory, which a few cores saturate.
const DEFAULT_THREADS: usize = 4;

/// The threads `judge_columns` uses by default: the machine's cores, at most
/// [`DEFAULT_THREADS`].
static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Compiled row verdicts of a plan for one kind of record (native part of
/// `plan_rules.RowRules`, which subclasses it).
#[pyclass(frozen, subclass, name = "RowRules", module = "plan_rules._plan_rules")]
pub struct PyRowRules {
    rules: RowRules,
    plan: Arc<Plan>,
    kind: Option<String>,
    /// The targets named at construction (`None`: every row-judgeable target).
    selection: Option<Vec<String>>,
    /// Per field: whether it holds numbers.
    numeric: Vec<bool>,
    /// Interned names, so dict lookups hash once.
    field_keys: Vec<Py<PyString>>,
    attribute_keys: Vec<Py<PyString>>,
    target_ids: Vec<Py<PyString>>,
    verdict_names: Vec<Py<PyString>>,
    /// `{target id: "missing"}`: copied for each answer (a copy is cheaper than growing a dict).
    template: Py<PyDict>,
    /// Per attribute: `{value: position}` over `attribute_values`, for text values.
    attribute_index: Vec<Py<PyDict>>,
    /// Per attribute: every value the plan names for it (in filters or as allowed values).
    attribute_values: Vec<Vec<String>>,
}

/// Stands for an attribute value the plan never names: judged the same as any such value,
/// since filters only ask whether a value is one of theirs.
const UNLISTED: &str = "\u{0}unlisted";

/// Compiles the row rules of a plan, for the named targets only when a selection is given (see
/// `plan_rules::row::RowRules::compile` and `compile_selected`).
fn compile(
    plan: &Plan,
    kind: Option<&str>,
    selection: Option<&[String]>,
) -> Result<RowRules, RequestError> {
    match selection {
        None => RowRules::compile(plan, kind),
        Some(targets) => RowRules::compile_selected(plan, kind, targets),
    }
}

/// The `targets=` argument: `None`, or a list (any iterable but text) of target ids.
fn selection(targets: Option<&Bound<'_, PyAny>>) -> Result<Option<Vec<String>>, RequestError> {
    let Some(targets) = targets.filter(|t| !t.is_none()) else {
        return Ok(None);
    };
    let shape = |path: String, message: String| RequestError::Shape { path, message };
    if targets.is_instance_of::<PyString>() || targets.is_instance_of::<PyBytes>() {
        return Err(shape(
            "/targets".into(),
            "`targets` must be a list of target ids, not one string".into(),
        ));
    }
    let items = targets.try_iter().map_err(|_| {
        shape(
            "/targets".into(),
            format!(
                "`targets` must be a list of target ids, not `{}`",
                type_name(targets)
            ),
        )
    })?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let bad = |item: &Bound<'_, PyAny>| {
            shape(
                format!("/targets/{i}"),
                format!("a target id must be text, not `{}`", type_name(item)),
            )
        };
        let item = item.map_err(|_| shape("/targets".into(), "`targets` cannot be read".into()))?;
        let id = item.cast::<PyString>().map_err(|_| bad(&item))?;
        out.push(id.to_cow().map_err(|_| bad(&item))?.into_owned());
    }
    Ok(Some(out))
}

fn refuse(path: String, message: String) -> Refusal {
    Refusal::Value { path, message }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

impl PyRowRules {
    /// A value of a JSON-like form (from the generic converter) read for a field.
    fn read_value(&self, field: usize, v: &Json) -> RowValue {
        let raw = match v {
            Json::Null => RawValue::Null,
            Json::Bool(b) => RawValue::Bool(*b),
            Json::Number(n) => RawValue::Number(n.clone()),
            Json::String(s) => RawValue::Text(s.clone()),
            Json::Array(_) | Json::Object(_) => return RowValue::Invalid,
        };
        self.rules.read(field, &raw)
    }

    /// A Python value read for a field (see the module docs); `path` names it for errors.
    fn value(
        &self,
        field: usize,
        obj: &Bound<'_, PyAny>,
        path: &dyn Fn() -> String,
    ) -> Result<RowValue, Refusal> {
        let numeric = self.numeric.get(field).copied().unwrap_or(false);
        if obj.is_none() {
            return Ok(RowValue::Missing);
        }
        if let Ok(b) = obj.cast_exact::<PyBool>() {
            return Ok(self.rules.read(field, &RawValue::Bool(b.is_true())));
        }
        if obj.is_exact_instance_of::<PyInt>() {
            if !numeric {
                return Ok(RowValue::Invalid);
            }
            if let Ok(i) = obj.extract::<i64>() {
                return Ok(RowValue::Int(i));
            }
            let text = obj.str()?.to_cow()?.into_owned();
            return Ok(parse_decimal(&text).map_or(RowValue::Invalid, RowValue::number));
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            let v = f.value();
            if !v.is_finite() {
                return Err(refuse(path(), format!("`{v}` is not a finite number")));
            }
            return Ok(if numeric {
                RowValue::from_f64(v)
            } else {
                RowValue::Invalid
            });
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(self.rules.read_text(field, &s.to_cow()?));
        }
        if obj.is_instance(convert::decimal_class(obj.py())?)? {
            let text = obj.str()?.to_cow()?.into_owned();
            if text.ends_with("NaN") || text.ends_with("Infinity") {
                return Err(refuse(path(), format!("`{text}` is not a finite number")));
            }
            return Ok(if numeric {
                parse_decimal(&text).map_or(RowValue::Invalid, RowValue::number)
            } else {
                RowValue::Invalid
            });
        }
        // NumPy scalars hold a Python scalar.
        if obj.get_type().module()?.to_cow()? == "numpy" && obj.hasattr("item")? {
            let plain = obj.call_method0("item")?;
            if !plain.get_type().is(obj.get_type()) {
                return self.value(field, &plain, path);
            }
        }
        // Anything else the generic converter accepts (integer types with `__index__`), else an
        // error naming the type.
        let v = convert::scalar_to_value(obj, path)?;
        Ok(self.read_value(field, &v))
    }

    /// An attribute's value for judging: one the plan names (borrowed), [`UNLISTED`] for any
    /// other text, or missing.
    fn attribute_label<'s>(
        &'s self,
        py: Python<'_>,
        attribute: usize,
        obj: &Bound<'_, PyAny>,
        path: &dyn Fn() -> String,
        owned: &'s mut Option<String>,
    ) -> Result<Option<&'s str>, Refusal> {
        if obj.is_exact_instance_of::<PyString>()
            && let (Some(index), Some(values)) = (
                self.attribute_index.get(attribute),
                self.attribute_values.get(attribute),
            )
        {
            let found = index.bind(py).get_item(obj)?;
            return Ok(Some(match found.and_then(|i| i.extract::<usize>().ok()) {
                Some(i) => values.get(i).map_or(UNLISTED, String::as_str),
                None => UNLISTED,
            }));
        }
        *owned = Self::attribute(obj, path)?;
        Ok(owned.as_deref())
    }

    /// An attribute's value: text, an integer shown as text, or missing.
    fn attribute(
        obj: &Bound<'_, PyAny>,
        path: &dyn Fn() -> String,
    ) -> Result<Option<String>, Refusal> {
        if obj.is_none() {
            return Ok(None);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Some(s.to_cow()?.into_owned()));
        }
        if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
            return Ok(Some(obj.str()?.to_cow()?.into_owned()));
        }
        Err(refuse(
            path(),
            format!(
                "an attribute must be text, not a value of type `{}`",
                type_name(obj)
            ),
        ))
    }

    fn lookup<'py>(
        map: &Bound<'py, PyAny>,
        key: &Bound<'py, PyString>,
    ) -> Result<Option<Bound<'py, PyAny>>, Refusal> {
        if let Ok(d) = map.cast::<PyDict>() {
            return Ok(d.get_item(key)?);
        }
        let m = map.cast::<PyMapping>().map_err(PyErr::from)?;
        match m.get_item(key) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(map.py()) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn check_mapping(obj: &Bound<'_, PyAny>, what: &str) -> Result<(), Refusal> {
        if obj.is_instance_of::<PyDict>() || obj.cast::<PyMapping>().is_ok() {
            Ok(())
        } else {
            Err(refuse(
                String::new(),
                format!("{what} must be a dict, not `{}`", type_name(obj)),
            ))
        }
    }

    fn judge_record<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        attributes: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyDict>, Refusal> {
        Self::check_mapping(record, "a record")?;
        let attr_source = match attributes {
            Some(a) => {
                Self::check_mapping(a, "attributes")?;
                a
            }
            None => record,
        };
        let n = self.field_keys.len();
        let mut small = [RowValue::Missing; 16];
        let mut large = Vec::new();
        let row: &mut [RowValue] = if n <= small.len() {
            small.get_mut(..n).unwrap_or_default()
        } else {
            large.resize(n, RowValue::Missing);
            &mut large
        };
        let dict = record.cast::<PyDict>().ok();
        for (i, (key, slot)) in self.field_keys.iter().zip(row.iter_mut()).enumerate() {
            let key = key.bind(py);
            let found = match dict {
                Some(d) => d.get_item(key)?,
                None => Self::lookup(record, key)?,
            };
            if let Some(v) = found {
                let path = || join("", &key.to_string_lossy());
                *slot = self.value(i, &v, &path)?;
            }
        }
        let a = self.attribute_keys.len();
        let mut owned: Vec<Option<String>> = vec![None; a];
        let mut found = Vec::with_capacity(a);
        for key in &self.attribute_keys {
            found.push(Self::lookup(attr_source, key.bind(py))?);
        }
        let mut attrs: Vec<Option<&str>> = Vec::with_capacity(a);
        for (i, (v, slot)) in found.iter().zip(owned.iter_mut()).enumerate() {
            attrs.push(match v {
                Some(v) => {
                    let path = || {
                        let name = self.rules.attributes().get(i).map_or("", String::as_str);
                        join("", name)
                    };
                    self.attribute_label(py, i, v, &path, slot)?
                }
                None => None,
            });
        }
        let mut out = [RowVerdict::Missing; 16];
        let mut out_large = Vec::new();
        let t = self.target_ids.len();
        let verdicts: &mut [RowVerdict] = if t <= out.len() {
            out.get_mut(..t).unwrap_or_default()
        } else {
            out_large.resize(t, RowVerdict::Missing);
            &mut out_large
        };
        self.rules.judge(row, &attrs, verdicts);
        let answer = self.template.bind(py).copy()?;
        for (id, v) in self.target_ids.iter().zip(verdicts.iter()) {
            if let Some(name) = self.verdict_names.get(*v as usize) {
                answer.set_item(id.bind(py), name.bind(py))?;
            }
        }
        Ok(answer)
    }
}

/// A field column borrowed from what Python handed over (see [`crate::arrays`]).
enum FieldColumn<'a> {
    /// Whole numbers, and an optional mask (one byte per row, 1 = missing).
    Int(Ints<'a>, Option<&'a [u8]>),
    /// float64 values, little-endian; NaN is missing.
    Float(&'a [u8]),
    /// Flags, and an optional mask.
    Bool(Flags<'a>, Option<&'a [u8]>),
    /// Codes into values read once (-1 = missing).
    Coded(Ints<'a>, Vec<RowValue>),
}

/// An attribute column: codes into labels.
struct AttributeColumn<'a> {
    codes: Ints<'a>,
    labels: Vec<Option<String>>,
}

impl AttributeColumn<'_> {
    /// The labels as the core reads them.
    fn label_list(&self) -> Vec<Option<&str>> {
        self.labels.iter().map(|l| l.as_deref()).collect()
    }
}

/// A problem found while decoding a column: its name, the row, what is wrong.
struct CellError {
    column: String,
    row: Option<usize>,
    message: String,
}

impl CellError {
    fn refusal(self) -> Refusal {
        let base = join("/columns", &self.column);
        refuse(
            match self.row {
                Some(r) => format!("{base}/{r}"),
                None => base,
            },
            self.message,
        )
    }
}

fn bytes<'a>(obj: &'a Bound<'_, PyAny>, name: &str) -> Result<&'a [u8], CellError> {
    obj.cast::<PyBytes>()
        .map(|b| b.as_bytes())
        .map_err(|_| CellError {
            column: name.to_string(),
            row: None,
            message: "column data must be `bytes` or a 1-D NumPy array of integers".into(),
        })
}

fn sized<'a>(data: &'a [u8], len: usize, name: &str, what: &str) -> Result<&'a [u8], CellError> {
    if data.len() == len {
        Ok(data)
    } else {
        Err(CellError {
            column: name.to_string(),
            row: None,
            message: format!("{what} has {} bytes, expected {len}", data.len()),
        })
    }
}

/// Whole numbers of a column: the array `held` (borrowed from `obj`) in place, or `obj`'s
/// bytes (little-endian int64); `rows` of them.
fn ints_of<'a>(
    obj: &'a Bound<'_, PyAny>,
    held: Option<&'a Held<'_>>,
    rows: usize,
    name: &str,
    what: &str,
) -> Result<Ints<'a>, CellError> {
    let Some(held) = held else {
        return Ok(Ints::Bytes(sized(bytes(obj, name)?, rows * 8, name, what)?));
    };
    let Some(ints) = held.ints() else {
        return Err(CellError {
            column: name.to_string(),
            row: None,
            message: format!("{what} must be `bytes` or a 1-D NumPy array of integers"),
        });
    };
    if ints.len() == rows {
        Ok(ints)
    } else {
        Err(CellError {
            column: name.to_string(),
            row: None,
            message: format!("{what} has {} values, expected {rows}", ints.len()),
        })
    }
}

/// Flags of a column: a `bool` or `uint8` array in place, or `obj`'s bytes.
fn flags_of<'a>(
    obj: &'a Bound<'_, PyAny>,
    held: Option<&'a Held<'_>>,
    rows: usize,
    name: &str,
) -> Result<Flags<'a>, CellError> {
    match held.map(Held::flags) {
        None => Ok(Flags::Bytes(ArrayView1::from(sized(
            bytes(obj, name)?,
            rows,
            name,
            "the data",
        )?))),
        Some(Some(flags)) if flags.len() == rows => Ok(flags),
        Some(_) => Err(CellError {
            column: name.to_string(),
            row: None,
            message: format!(
                "flags must be {rows} bytes or a `bool` or `uint8` array of {rows} values"
            ),
        }),
    }
}

fn mask_of<'a>(
    m: &'a Bound<'_, PyAny>,
    rows: usize,
    name: &str,
) -> Result<Option<&'a [u8]>, CellError> {
    if m.is_none() {
        Ok(None)
    } else {
        Ok(Some(sized(bytes(m, name)?, rows, name, "the mask")?))
    }
}

fn masked(mask: Option<&[u8]>, row: usize) -> bool {
    mask.and_then(|m| m.get(row)).is_some_and(|b| *b != 0)
}

/// A code read at `row`: `None` for a negative code, an error beyond `n`.
fn code(c: i64, row: usize, n: usize, name: &str) -> Result<Option<usize>, CellError> {
    if c < 0 {
        return Ok(None);
    }
    usize::try_from(c)
        .ok()
        .filter(|c| *c < n)
        .map(Some)
        .ok_or_else(|| CellError {
            column: name.to_string(),
            row: Some(row),
            message: format!("code {c} is out of range"),
        })
}

fn float(data: &[u8], row: usize) -> f64 {
    let mut w = [0u8; 8];
    if let Some(b) = data.get(row * 8..row * 8 + 8) {
        w.copy_from_slice(b);
    }
    f64::from_le_bytes(w)
}

impl FieldColumn<'_> {
    /// Appends the values of `rows` to `out`.
    fn decode(
        &self,
        numeric: bool,
        rows: Range<usize>,
        name: &str,
        out: &mut Vec<RowValue>,
    ) -> Result<(), CellError> {
        match self {
            FieldColumn::Int(data, mask) => out.extend(rows.map(|r| {
                if masked(*mask, r) {
                    RowValue::Missing
                } else if numeric {
                    RowValue::Int(data.get(r))
                } else {
                    RowValue::Invalid
                }
            })),
            FieldColumn::Float(data) => {
                for r in rows {
                    let v = float(data, r);
                    out.push(if v.is_nan() {
                        RowValue::Missing
                    } else if !v.is_finite() {
                        return Err(CellError {
                            column: name.to_string(),
                            row: Some(r),
                            message: format!("`{v}` is not a finite number"),
                        });
                    } else if numeric {
                        RowValue::from_f64(v)
                    } else {
                        RowValue::Invalid
                    });
                }
            }
            FieldColumn::Bool(data, mask) => out.extend(rows.map(|r| {
                if masked(*mask, r) {
                    RowValue::Missing
                } else if numeric {
                    RowValue::Invalid
                } else {
                    // A flag field takes it; a state field does not (judged invalid by the core).
                    RowValue::Flag(data.get(r))
                }
            })),
            FieldColumn::Coded(codes, values) => {
                for r in rows {
                    out.push(match code(codes.get(r), r, values.len(), name)? {
                        None => RowValue::Missing,
                        Some(c) => values.get(c).copied().unwrap_or(RowValue::Invalid),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Decodes the attribute columns' rows `rows` into label buffers (one per attribute); `codes`
/// is scratch space.
fn decode_labels<'a>(
    attributes: &'a [Option<(&str, AttributeColumn<'_>)>],
    labels: &mut [Vec<Option<&'a str>>],
    codes: &mut Vec<i64>,
    rows: Range<usize>,
) -> Result<(), CellError> {
    for (col, buf) in attributes.iter().zip(labels.iter_mut()) {
        buf.clear();
        match col {
            Some((name, col)) => {
                codes.clear();
                col.codes.widen_into(rows.clone(), codes);
                let n = col.labels.len();
                for (r, c) in rows.clone().zip(codes.iter()) {
                    let label = code(*c, r, n, name)?
                        .and_then(|c| col.labels.get(c))
                        .and_then(|l| l.as_deref());
                    buf.push(label);
                }
            }
            None => buf.resize(rows.len(), None),
        }
    }
    Ok(())
}

/// Judges the rows `range` of the columns, one chunk at a time: one byte (a verdict code) per
/// row and target, written to `out` (one slice per target, `range.len()` long).
fn judge_range(
    rules: &RowRules,
    numeric: &[bool],
    fields: &[Option<(&str, FieldColumn<'_>)>],
    attributes: &[Option<(&str, AttributeColumn<'_>)>],
    range: Range<usize>,
    out: &mut [&mut [u8]],
) -> Result<(), CellError> {
    let mut values: Vec<Vec<RowValue>> = fields.iter().map(|_| Vec::new()).collect();
    let mut labels: Vec<Vec<Option<&str>>> = attributes.iter().map(|_| Vec::new()).collect();
    let mut codes: Vec<i64> = Vec::new();
    let label_lists: Vec<Vec<Option<&str>>> = attributes
        .iter()
        .map(|a| a.as_ref().map_or_else(Vec::new, |(_, c)| c.label_list()))
        .collect();
    let mut codes32: Vec<Vec<i32>> = attributes.iter().map(|_| Vec::new()).collect();
    // Whole-number and flag columns take the core's block path (`judge_into`).
    let typed = fields.iter().all(|c| {
        matches!(
            c,
            None | Some((_, FieldColumn::Int(..))) | Some((_, FieldColumn::Bool(_, None)))
        )
    });
    let mut ints: Vec<Vec<i64>> = fields.iter().map(|_| Vec::new()).collect();
    let mut opts: Vec<Vec<Option<i64>>> = fields.iter().map(|_| Vec::new()).collect();
    let mut flags: Vec<Vec<bool>> = fields.iter().map(|_| Vec::new()).collect();
    // When every column is read where it is (contiguous int64 and int32 arrays, bool arrays,
    // int8 codes) and one at least is there, the core judges the whole range in one call, and
    // writes every row of it; otherwise a chunk at a time, converting into buffers.
    let in_place = typed
        && fields.iter().all(|c| match c {
            None => true,
            Some((_, FieldColumn::Int(data, None))) => data.in_place(),
            Some((_, FieldColumn::Bool(data, None))) => data.in_place(0..0).is_some(),
            Some(_) => false,
        })
        && attributes
            .iter()
            .all(|a| a.as_ref().is_none_or(|(_, c)| c.codes.codes_in_place()))
        && (fields.iter().any(Option::is_some) || attributes.iter().any(Option::is_some));
    let step = if in_place { range.len().max(1) } else { CHUNK };
    let mut start = range.start;
    while start < range.end {
        let end = range.end.min(start + step);
        if typed {
            for (col, (o, b)) in fields.iter().zip(opts.iter_mut().zip(flags.iter_mut())) {
                o.clear();
                b.clear();
                match col {
                    Some((_, FieldColumn::Int(data, Some(mask)))) => {
                        o.extend(
                            (start..end).map(|r| (!masked(Some(mask), r)).then(|| data.get(r))),
                        );
                    }
                    Some((_, FieldColumn::Bool(data, _))) if data.in_place(0..0).is_none() => {
                        data.extend_into(start..end, b);
                    }
                    _ => {}
                }
            }
            // Contiguous int64 and int32 arrays and bool arrays are read where they are; other
            // integer and flag columns are converted into buffers, a chunk at a time.
            let columns: Vec<Column<'_>> = fields
                .iter()
                .zip(ints.iter_mut().zip(opts.iter()).zip(flags.iter()))
                .map(|(col, ((i, o), b))| match col {
                    Some((_, FieldColumn::Int(data, None))) => data.column(start..end, i),
                    Some((_, FieldColumn::Int(..))) => Column::OptInt64(o),
                    Some((_, FieldColumn::Bool(data, _))) => {
                        Column::Flags(data.in_place(start..end).unwrap_or(b))
                    }
                    _ => Column::Missing,
                })
                .collect();
            // Attribute columns go as codes: the core decides each label once.
            let mut coded: Vec<Labels<'_>> = Vec::with_capacity(attributes.len());
            for ((col, list), buf) in attributes.iter().zip(&label_lists).zip(codes32.iter_mut()) {
                coded.push(match col {
                    None => Labels::Text(&[]),
                    Some((name, col)) => col
                        .codes
                        .labels(start..end, list, buf, &mut codes)
                        .map_err(|(row, c)| CellError {
                            column: name.to_string(),
                            row: Some(row),
                            message: format!("code {c} is out of range"),
                        })?,
                });
            }
            let at = start - range.start..end - range.start;
            let mut slices: Vec<&mut [u8]> = out
                .iter_mut()
                .map(|o| o.get_mut(at.clone()).unwrap_or(&mut []))
                .collect();
            // Rows beyond every column (all absent) are not written by the core: missing.
            // (Read in place, every present column has every row.)
            if !in_place {
                for s in slices.iter_mut() {
                    s.fill(RowVerdict::Missing as u8);
                }
            }
            rules.judge_into(&columns, &coded, &mut slices);
            start = end;
            continue;
        }
        for (i, (col, buf)) in fields.iter().zip(values.iter_mut()).enumerate() {
            buf.clear();
            if let Some((name, col)) = col {
                let numeric = numeric.get(i).copied().unwrap_or(false);
                col.decode(numeric, start..end, name, buf)?;
            }
        }
        decode_labels(attributes, &mut labels, &mut codes, start..end)?;
        let views: Vec<&[RowValue]> = values.iter().map(Vec::as_slice).collect();
        let attr_views: Vec<&[Option<&str>]> = labels.iter().map(Vec::as_slice).collect();
        let verdicts = rules.judge_columns(&views, &attr_views);
        let at = start - range.start..end - range.start;
        for (o, v) in out.iter_mut().zip(verdicts) {
            if let Some(o) = o.get_mut(at.clone()) {
                // Rows beyond the verdicts (a chunk whose columns are all absent) stay missing.
                o.fill(RowVerdict::Missing as u8);
                for (slot, v) in o.iter_mut().zip(v) {
                    *slot = v as u8;
                }
            }
        }
        start = end;
    }
    Ok(())
}

/// Judges all `rows` on up to `threads` threads: the rows are cut into pieces of [`PIECE`] rows
/// (a whole number of chunks, so every thread count decodes the same chunks) that the threads
/// take in order as they come free, so a thread slowed down (a busy core) takes fewer of them;
/// the problem reported is the first by position. Writes the verdict codes to `out` (`rows`
/// for each target, target after target), every byte of it: it need not be initialised to
/// anything.
fn judge_rows(
    rules: &RowRules,
    numeric: &[bool],
    fields: &[Option<(&str, FieldColumn<'_>)>],
    attributes: &[Option<(&str, AttributeColumn<'_>)>],
    rows: usize,
    threads: usize,
    out: &mut [u8],
) -> Result<(), CellError> {
    let pieces = rows.div_ceil(PIECE).max(1);
    // slices[p][t]: target t's verdicts for piece p.
    let mut slices: Vec<Vec<&mut [u8]>> = (0..pieces).map(|_| Vec::new()).collect();
    for column in out.chunks_mut(rows.max(1)) {
        for (p, piece) in column.chunks_mut(PIECE).enumerate() {
            if let Some(slot) = slices.get_mut(p) {
                slot.push(piece);
            }
        }
    }
    let range = |p: usize| p * PIECE..rows.min((p + 1) * PIECE);
    let threads = threads.clamp(1, pieces);
    if threads == 1 {
        for (p, mut piece) in slices.into_iter().enumerate() {
            judge_range(rules, numeric, fields, attributes, range(p), &mut piece)?;
        }
        return Ok(());
    }
    let queue = std::sync::Mutex::new(slices.into_iter().enumerate());
    let stop = std::sync::atomic::AtomicBool::new(false);
    // Each thread's first problem, with its piece.
    let problems: Vec<Option<(usize, CellError)>> = std::thread::scope(|s| {
        let worker = || {
            // Pieces are taken in order: when one has a problem, every piece before it has been
            // taken already, and is finished by its thread; the later ones are not needed.
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (p, mut piece) = queue.lock().ok().and_then(|mut q| q.next())?;
                if let Err(e) =
                    judge_range(rules, numeric, fields, attributes, range(p), &mut piece)
                {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    return Some((p, e));
                }
            }
            None
        };
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Some((
                        0,
                        CellError {
                            column: String::new(),
                            row: None,
                            message: "a worker thread failed".into(),
                        },
                    ))
                })
            })
            .collect()
    });
    match problems.into_iter().flatten().min_by_key(|(p, _)| *p) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

#[pymethods]
impl PyRowRules {
    /// Compiles the row-judgeable targets of `plan` for records of an entity kind (`school`),
    /// or for the district-year series record when `kind` is `None`.
    /// `targets`, when given, names the targets to judge (ids, or all-of targets for all their
    /// parts); a target one record cannot decide is refused (`not_row_judgeable`).
    #[new]
    #[pyo3(signature = (plan, kind = None, targets = None))]
    fn new(
        py: Python<'_>,
        plan: &PyPlan,
        kind: Option<String>,
        targets: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRowRules> {
        let selected = selection(targets).map_err(errors::raise(py))?;
        let rules = compile(&plan.inner, kind.as_deref(), selected.as_deref())
            .map_err(errors::raise(py))?;
        let numeric = (0..rules.fields().len())
            .map(|i| rules.value_type(i).is_some_and(|t| t.is_numeric()))
            .collect();
        let intern = |s: &str| PyString::intern(py, s).unbind();
        let template = PyDict::new(py);
        for t in rules.targets() {
            template.set_item(intern(&t.id), intern(RowVerdict::Missing.as_str()))?;
        }
        let attribute_values: Vec<Vec<String>> = rules
            .attributes()
            .iter()
            .map(|a| plan.inner.attribute_values(a))
            .collect();
        let mut attribute_index = Vec::with_capacity(attribute_values.len());
        for values in &attribute_values {
            let index = PyDict::new(py);
            for (i, v) in values.iter().enumerate() {
                index.set_item(v, i)?;
            }
            attribute_index.push(index.unbind());
        }
        Ok(PyRowRules {
            template: template.unbind(),
            attribute_index,
            attribute_values,
            numeric,
            field_keys: rules.fields().iter().map(|f| intern(f)).collect(),
            attribute_keys: rules.attributes().iter().map(|a| intern(a)).collect(),
            target_ids: rules.targets().iter().map(|t| intern(&t.id)).collect(),
            verdict_names: VERDICTS.iter().map(|v| intern(v.as_str())).collect(),
            rules,
            plan: Arc::clone(&plan.inner),
            kind,
            selection: selected,
        })
    }

    /// The plan the rules come from (native; `plan_rules.RowRules.plan` wraps it).
    #[getter]
    fn native_plan(&self) -> PyPlan {
        PyPlan {
            inner: Arc::clone(&self.plan),
        }
    }

    /// The entity kind, or `None` for the district series.
    #[getter]
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }

    /// The targets named at construction, or `None` for every row-judgeable target.
    #[getter]
    fn selection(&self) -> Option<Vec<String>> {
        self.selection.clone()
    }

    /// The targets (and all-of parts) one record of this kind cannot decide, as `(id, rule
    /// kind, reason code, message in Chinese, message in English)`, in plan order.
    fn left_out_list(&self) -> Vec<(String, &'static str, &'static str, String, String)> {
        self.rules
            .left_out()
            .iter()
            .map(|l| {
                let m = l.message();
                (l.id.clone(), l.kind, l.reason.code(), m.zh, m.en)
            })
            .collect()
    }

    /// The row-judgeable targets as `(id, rule kind)`, in the order verdicts are given.
    fn target_list(&self) -> Vec<(String, &'static str)> {
        self.rules
            .targets()
            .iter()
            .map(|t| (t.id.clone(), t.kind))
            .collect()
    }

    /// The fields a record is read for, in order.
    fn field_names(&self) -> Vec<String> {
        self.rules.fields().to_vec()
    }

    /// The attributes the targets' filters read, in order.
    fn attribute_names(&self) -> Vec<String> {
        self.rules.attributes().to_vec()
    }

    /// The dictionary type of each field (`count`, `quantity`, `percent`, `flag`, `state`).
    fn field_types(&self) -> Vec<String> {
        (0..self.rules.fields().len())
            .map(|i| {
                self.rules
                    .value_type(i)
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Judges one record: `{field: value}` in (attributes read from `attributes`, or from the
    /// record itself when `None`), `{target id: verdict}` out.
    #[pyo3(signature = (record, attributes = None))]
    fn judge<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        attributes: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.judge_record(py, record, attributes)
            .map_err(|r| data_refusal(py, r))
    }

    /// Judges `rows` rows given as encoded columns (see `plan_rules._columns.encode`; attribute
    /// columns are coded): a `uint8` NumPy array of verdict codes (0 met, 1 not met, 2
    /// missing, 3 invalid, 4 not applicable), one row per target and one column per row of the
    /// table, judged without holding the GIL, on up to `threads`
    /// threads (default: the machine's cores, at most 4). The data of an `int` column, and the
    /// codes of a `coded` one, may be a 1-D NumPy integer array instead of `bytes`, and that of
    /// a `bool` column a `bool` or `uint8` array: these are read in place (see
    /// [`crate::arrays`]). Fields and attributes the rules do not read are ignored; those absent
    /// are missing.
    #[pyo3(signature = (fields, attributes, rows, threads = None))]
    fn judge_columns<'py>(
        &self,
        py: Python<'py>,
        fields: Vec<(String, ColumnSpec<'py>)>,
        attributes: Vec<(String, ColumnSpec<'py>)>,
        rows: usize,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyArray2<u8>>> {
        let threads = match threads {
            Some(0) => {
                let e = errors::own(
                    "request",
                    "invalid_request",
                    "`threads` must be at least 1".into(),
                    Some("/threads".into()),
                );
                return Err(errors::to_py(py, &e));
            }
            Some(n) => n,
            // Asked once: the standard library reads the cgroup's limits every time.
            None => *CORES.get_or_init(|| {
                std::thread::available_parallelism()
                    .map_or(1, usize::from)
                    .min(DEFAULT_THREADS)
            }),
        };
        // The verdicts are NumPy arrays: without NumPy, say so before any work (the numpy
        // crate would panic making them).
        let numpy = match py.import("numpy") {
            Ok(numpy) => numpy,
            Err(e) => {
                let e = errors::own(
                    "request",
                    "invalid_request",
                    format!(
                        "`judge_columns` returns NumPy arrays, and NumPy cannot be imported: {e}"
                    ),
                    None,
                );
                return Err(errors::to_py(py, &e));
            }
        };
        let fail = |e: CellError| data_refusal(py, e.refusal());
        // Every NumPy array handed over, borrowed read-only until the verdicts are made.
        let held = |(name, (_, a, _)): &(String, ColumnSpec<'py>)| {
            hold(a).map_err(|e| {
                fail(CellError {
                    column: name.clone(),
                    row: None,
                    message: format!("the array cannot be read: {e}"),
                })
            })
        };
        let field_arrays: Vec<Option<Held<'py>>> =
            fields.iter().map(held).collect::<PyResult<_>>()?;
        let attr_arrays: Vec<Option<Held<'py>>> =
            attributes.iter().map(held).collect::<PyResult<_>>()?;
        let mut field_cols: Vec<Option<(&str, FieldColumn<'_>)>> =
            self.rules.fields().iter().map(|_| None).collect();
        for ((name, (tag, a, b)), held) in fields.iter().zip(&field_arrays) {
            let Some(i) = self.rules.field_index(name) else {
                continue;
            };
            let held = held.as_ref();
            let col = match tag.as_str() {
                "int" => FieldColumn::Int(
                    ints_of(a, held, rows, name, "the data").map_err(fail)?,
                    mask_of(b, rows, name).map_err(fail)?,
                ),
                "float" => FieldColumn::Float(
                    sized(bytes(a, name).map_err(fail)?, rows * 8, name, "the data")
                        .map_err(fail)?,
                ),
                "bool" => FieldColumn::Bool(
                    flags_of(a, held, rows, name).map_err(fail)?,
                    mask_of(b, rows, name).map_err(fail)?,
                ),
                "coded" => {
                    let codes = ints_of(a, held, rows, name, "the codes").map_err(fail)?;
                    let list = b.cast::<PyList>().map_err(|_| {
                        data_refusal(
                            py,
                            refuse(
                                join("/columns", name),
                                "coded values must be a `list`".into(),
                            ),
                        )
                    })?;
                    let mut values = Vec::with_capacity(list.len());
                    for (j, v) in list.iter().enumerate() {
                        let path = || format!("{}/values/{j}", join("/columns", name));
                        values.push(self.value(i, &v, &path).map_err(|r| data_refusal(py, r))?);
                    }
                    FieldColumn::Coded(codes, values)
                }
                other => {
                    return Err(fail(CellError {
                        column: name.clone(),
                        row: None,
                        message: format!("unknown column encoding `{other}`"),
                    }));
                }
            };
            if let Some(slot) = field_cols.get_mut(i) {
                *slot = Some((name.as_str(), col));
            }
        }
        let mut attr_cols: Vec<Option<(&str, AttributeColumn<'_>)>> =
            self.rules.attributes().iter().map(|_| None).collect();
        for ((name, (tag, a, b)), held) in attributes.iter().zip(&attr_arrays) {
            let Some(i) = self.rules.attribute_index(name) else {
                continue;
            };
            if tag != "coded" {
                return Err(fail(CellError {
                    column: name.clone(),
                    row: None,
                    message: "attribute columns must be coded".into(),
                }));
            }
            let codes = ints_of(a, held.as_ref(), rows, name, "the codes").map_err(fail)?;
            let list = b.cast::<PyList>().map_err(PyErr::from)?;
            let mut labels = Vec::with_capacity(list.len());
            for (j, v) in list.iter().enumerate() {
                let path = || format!("{}/values/{j}", join("/columns", name));
                labels.push(Self::attribute(&v, &path).map_err(|r| data_refusal(py, r))?);
            }
            if let Some(slot) = attr_cols.get_mut(i) {
                *slot = Some((name.as_str(), AttributeColumn { codes, labels }));
            }
        }
        // The verdicts are written into a NumPy array made by `numpy.empty`: memory the
        // allocator hands back call after call, neither zeroed nor copied (a zeroed buffer cost
        // a `memset` of every verdict per call, 5 % of a call's time). Every byte is written.
        let targets = self.rules.targets().len();
        let size = rows.checked_mul(targets).ok_or_else(|| {
            fail(CellError {
                column: String::new(),
                row: None,
                message: format!("{rows} rows of verdicts do not fit in memory"),
            })
        })?;
        let verdicts = numpy
            .getattr("empty")?
            .call1(((targets, rows), numpy.getattr("uint8")?))?
            .cast_into::<PyArray2<u8>>()
            .map_err(PyErr::from)?;
        {
            let mut buffer = verdicts.readwrite();
            let out = buffer.as_slice_mut().map_err(|e| {
                fail(CellError {
                    column: String::new(),
                    row: None,
                    message: format!("the verdicts' array cannot be written: {e}"),
                })
            })?;
            let out = out.get_mut(..size).unwrap_or_default();
            py.detach(|| {
                judge_rows(
                    &self.rules,
                    &self.numeric,
                    &field_cols,
                    &attr_cols,
                    rows,
                    threads,
                    out,
                )
            })
            .map_err(fail)?;
        }
        Ok(verdicts)
    }

    fn __repr__(&self) -> String {
        format!(
            "<plan_rules.RowRules {} of {}: {} targets over {} fields, {} left out>",
            self.kind.as_deref().unwrap_or("(district series)"),
            self.plan.id,
            self.rules.targets().len(),
            self.rules.fields().len(),
            self.rules.left_out().len()
        )
    }
}
