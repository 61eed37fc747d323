//! Whole-number and flag columns read in place from NumPy arrays (the `numpy` crate's checked
//! borrows), or from the little-endian `bytes` that `plan_rules/_columns.py` makes of columns it
//! cannot hand over as they are.
//!
//! A 1-D array of a native-order integer dtype (`int8` to `int64`, `uint8` to `uint32`) or of
//! `bool` is read where it is: no copy is made of it, and a C-contiguous `int64`, `int32` or
//! `bool` array (and `int8` codes of an attribute) goes to the core's block path
//! ([`plan_rules::row::RowRules::judge_into`]) as a slice. Other widths, and arrays with strides
//! (a column of a 2-D block, `a[::2]`), are widened one chunk of rows at a time, so the memory
//! taken stays one chunk per column.
//!
//! The arrays are borrowed read-only for the length of the call ([`Held`]); the GIL is released
//! while they are read, so, as with NumPy's own functions that release it, no other thread may
//! write to them meanwhile.

use std::ops::Range;

use numpy::ndarray::{ArrayView1, Axis, Slice};
use numpy::{BorrowError, PyArray1, PyArrayMethods, PyReadonlyArray1};
use plan_rules::row::{Column, Labels};
use pyo3::prelude::*;

/// A NumPy array borrowed read-only for the length of a call.
pub(crate) enum Held<'py> {
    /// `int64`.
    I64(PyReadonlyArray1<'py, i64>),
    /// `int32`.
    I32(PyReadonlyArray1<'py, i32>),
    /// `int16`.
    I16(PyReadonlyArray1<'py, i16>),
    /// `int8`.
    I8(PyReadonlyArray1<'py, i8>),
    /// `uint32`.
    U32(PyReadonlyArray1<'py, u32>),
    /// `uint16`.
    U16(PyReadonlyArray1<'py, u16>),
    /// `uint8` (also flags, one byte each).
    U8(PyReadonlyArray1<'py, u8>),
    /// `bool` (flags).
    Bool(PyReadonlyArray1<'py, bool>),
}

/// Borrows `obj` if it is a 1-D NumPy array of a supported integer dtype; `Ok(None)` if it is
/// not one (`bytes`, say), an error if it is one but Rust code is writing to it. NumPy must be
/// importable (the numpy crate panics otherwise): `judge_columns` checks that first.
pub(crate) fn hold<'py>(obj: &Bound<'py, PyAny>) -> Result<Option<Held<'py>>, BorrowError> {
    fn borrow<'py, T: numpy::Element>(
        obj: &Bound<'py, PyAny>,
    ) -> Result<Option<PyReadonlyArray1<'py, T>>, BorrowError> {
        match obj.cast::<PyArray1<T>>() {
            Ok(a) => a.try_readonly().map(Some),
            Err(_) => Ok(None),
        }
    }
    if obj.is_instance_of::<pyo3::types::PyBytes>() {
        return Ok(None);
    }
    if let Some(a) = borrow::<i64>(obj)? {
        return Ok(Some(Held::I64(a)));
    }
    if let Some(a) = borrow::<i32>(obj)? {
        return Ok(Some(Held::I32(a)));
    }
    if let Some(a) = borrow::<u8>(obj)? {
        return Ok(Some(Held::U8(a)));
    }
    if let Some(a) = borrow::<i8>(obj)? {
        return Ok(Some(Held::I8(a)));
    }
    if let Some(a) = borrow::<i16>(obj)? {
        return Ok(Some(Held::I16(a)));
    }
    if let Some(a) = borrow::<u16>(obj)? {
        return Ok(Some(Held::U16(a)));
    }
    if let Some(a) = borrow::<bool>(obj)? {
        return Ok(Some(Held::Bool(a)));
    }
    Ok(borrow::<u32>(obj)?.map(Held::U32))
}

impl Held<'_> {
    /// A view of the array's values (`None` for a `bool` array).
    pub(crate) fn ints(&self) -> Option<Ints<'_>> {
        Some(match self {
            Held::I64(a) => Ints::I64(a.as_array()),
            Held::I32(a) => Ints::I32(a.as_array()),
            Held::I16(a) => Ints::I16(a.as_array()),
            Held::I8(a) => Ints::I8(a.as_array()),
            Held::U32(a) => Ints::U32(a.as_array()),
            Held::U16(a) => Ints::U16(a.as_array()),
            Held::U8(a) => Ints::U8(a.as_array()),
            Held::Bool(_) => return None,
        })
    }

    /// A view of the array's values as flags (`None` unless `uint8` or `bool`).
    pub(crate) fn flags(&self) -> Option<Flags<'_>> {
        match self {
            Held::U8(a) => Some(Flags::Bytes(a.as_array())),
            Held::Bool(a) => Some(Flags::Bool(a.as_array())),
            _ => None,
        }
    }
}

/// The flags of a column: bytes (nonzero is set), or a NumPy `bool` array read in place.
#[derive(Clone, Copy)]
pub(crate) enum Flags<'a> {
    /// One byte per row.
    Bytes(ArrayView1<'a, u8>),
    /// A `bool` array.
    Bool(ArrayView1<'a, bool>),
}

impl<'a> Flags<'a> {
    /// The number of rows.
    pub(crate) fn len(&self) -> usize {
        match self {
            Flags::Bytes(v) => v.len(),
            Flags::Bool(v) => v.len(),
        }
    }

    /// Row `row` (unset beyond the end).
    pub(crate) fn get(&self, row: usize) -> bool {
        match self {
            Flags::Bytes(v) => v.get(row).is_some_and(|b| *b != 0),
            Flags::Bool(v) => v.get(row).copied().unwrap_or(false),
        }
    }

    /// Rows `rows` where they are, when the column is a contiguous `bool` array.
    pub(crate) fn in_place(&self, rows: Range<usize>) -> Option<&'a [bool]> {
        match self {
            Flags::Bool(v) => v.to_slice().and_then(|s| s.get(rows)),
            Flags::Bytes(_) => None,
        }
    }

    /// Appends rows `rows` (those within the column) to `out`.
    pub(crate) fn extend_into(&self, rows: Range<usize>, out: &mut Vec<bool>) {
        let end = rows.end.min(self.len());
        let start = rows.start.min(end);
        match self {
            Flags::Bytes(v) => {
                let part = v.slice_axis(Axis(0), Slice::from(start..end));
                match part.as_slice() {
                    Some(s) => out.extend(s.iter().map(|x| *x != 0)),
                    None => out.extend(part.iter().map(|x| *x != 0)),
                }
            }
            Flags::Bool(v) => out.extend(v.slice_axis(Axis(0), Slice::from(start..end)).iter()),
        }
    }
}

/// The whole numbers of a column: little-endian `int64` bytes, or an array read in place.
#[derive(Clone, Copy)]
pub(crate) enum Ints<'a> {
    /// Little-endian `int64` values (8 bytes each).
    Bytes(&'a [u8]),
    /// `int64` values.
    I64(ArrayView1<'a, i64>),
    /// `int32` values.
    I32(ArrayView1<'a, i32>),
    /// `int16` values.
    I16(ArrayView1<'a, i16>),
    /// `int8` values.
    I8(ArrayView1<'a, i8>),
    /// `uint32` values.
    U32(ArrayView1<'a, u32>),
    /// `uint16` values.
    U16(ArrayView1<'a, u16>),
    /// `uint8` values (or flags, one byte each).
    U8(ArrayView1<'a, u8>),
}

/// Appends rows `rows` of `v` (clamped to its length) to `out`, widened.
fn widen<T: Copy + Into<i64>>(v: &ArrayView1<'_, T>, rows: Range<usize>, out: &mut Vec<i64>) {
    let end = rows.end.min(v.len());
    let start = rows.start.min(end);
    let part = v.slice_axis(Axis(0), Slice::from(start..end));
    match part.as_slice() {
        Some(s) => out.extend(s.iter().map(|x| (*x).into())),
        None => out.extend(part.iter().map(|x| (*x).into())),
    }
}

impl<'a> Ints<'a> {
    /// The number of values.
    pub(crate) fn len(&self) -> usize {
        match self {
            Ints::Bytes(b) => b.len() / 8,
            Ints::I64(v) => v.len(),
            Ints::I32(v) => v.len(),
            Ints::I16(v) => v.len(),
            Ints::I8(v) => v.len(),
            Ints::U32(v) => v.len(),
            Ints::U16(v) => v.len(),
            Ints::U8(v) => v.len(),
        }
    }

    /// The value of row `row` (0 beyond the end).
    pub(crate) fn get(&self, row: usize) -> i64 {
        match self {
            Ints::Bytes(b) => {
                let mut w = [0u8; 8];
                if let Some(b) = b.get(row * 8..row * 8 + 8) {
                    w.copy_from_slice(b);
                }
                i64::from_le_bytes(w)
            }
            Ints::I64(v) => v.get(row).copied().unwrap_or(0),
            Ints::I32(v) => v.get(row).copied().map_or(0, i64::from),
            Ints::I16(v) => v.get(row).copied().map_or(0, i64::from),
            Ints::I8(v) => v.get(row).copied().map_or(0, i64::from),
            Ints::U32(v) => v.get(row).copied().map_or(0, i64::from),
            Ints::U16(v) => v.get(row).copied().map_or(0, i64::from),
            Ints::U8(v) => v.get(row).copied().map_or(0, i64::from),
        }
    }

    /// Appends the values of `rows` (those within the column) to `out`.
    pub(crate) fn widen_into(&self, rows: Range<usize>, out: &mut Vec<i64>) {
        match self {
            Ints::Bytes(b) => {
                let bytes = b.get(rows.start * 8..rows.end * 8).unwrap_or(&[]);
                out.extend(bytes.chunks_exact(8).map(|w| {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(w);
                    i64::from_le_bytes(a)
                }));
            }
            Ints::I64(v) => widen(v, rows, out),
            Ints::I32(v) => widen(v, rows, out),
            Ints::I16(v) => widen(v, rows, out),
            Ints::I8(v) => widen(v, rows, out),
            Ints::U32(v) => widen(v, rows, out),
            Ints::U16(v) => widen(v, rows, out),
            Ints::U8(v) => widen(v, rows, out),
        }
    }

    /// Whether [`column`](Self::column) reads the values where they are.
    pub(crate) fn in_place(&self) -> bool {
        match self {
            Ints::I64(v) => v.as_slice().is_some(),
            Ints::I32(v) => v.as_slice().is_some(),
            _ => false,
        }
    }

    /// Whether [`labels`](Self::labels) reads the codes where they are.
    pub(crate) fn codes_in_place(&self) -> bool {
        matches!(self, Ints::I8(v) if v.as_slice().is_some())
    }

    /// Rows `rows` as a column for the core's block path: a contiguous `int64` or `int32` array
    /// as it is, anything else widened into `buf` (cleared first).
    pub(crate) fn column<'b>(&self, rows: Range<usize>, buf: &'b mut Vec<i64>) -> Column<'b>
    where
        'a: 'b,
    {
        match self {
            Ints::I64(v) => {
                if let Some(s) = v.to_slice().and_then(|s| s.get(rows.clone())) {
                    return Column::Int64(s);
                }
            }
            Ints::I32(v) => {
                if let Some(s) = v.to_slice().and_then(|s| s.get(rows.clone())) {
                    return Column::Int32(s);
                }
            }
            _ => {}
        }
        buf.clear();
        self.widen_into(rows, buf);
        Column::Int64(buf)
    }

    /// Rows `rows` of a column of codes into `labels`, for the core's block path: a contiguous
    /// `int8` array as it is (pandas' codes for up to 127 categories), anything else narrowed
    /// into `buf` (a negative code as -1, one beyond `i32` as `i32::MAX`: both missing).
    /// The first code at or beyond `labels.len()`, if any, is returned instead, with its row.
    pub(crate) fn labels<'b>(
        &self,
        rows: Range<usize>,
        labels: &'b [Option<&'b str>],
        buf: &'b mut Vec<i32>,
        scratch: &mut Vec<i64>,
    ) -> Result<Labels<'b>, (usize, i64)>
    where
        'a: 'b,
    {
        let n = labels.len();
        if let Ints::I8(v) = self
            && let Some(codes) = v.to_slice().and_then(|s| s.get(rows.clone()))
        {
            // One pass for the largest code (it vectorises); the row only on a problem.
            let max = codes.iter().copied().max().unwrap_or(-1);
            if usize::try_from(max).is_ok_and(|m| m >= n) {
                let at = codes
                    .iter()
                    .position(|c| usize::try_from(*c).is_ok_and(|c| c >= n));
                let at = at.unwrap_or(0);
                return Err((
                    rows.start + at,
                    i64::from(codes.get(at).copied().unwrap_or(max)),
                ));
            }
            return Ok(Labels::Codes8 { codes, labels });
        }
        scratch.clear();
        self.widen_into(rows.clone(), scratch);
        if let Some(at) = scratch
            .iter()
            .position(|c| usize::try_from(*c).is_ok_and(|c| c >= n))
        {
            return Err((rows.start + at, scratch.get(at).copied().unwrap_or(0)));
        }
        buf.clear();
        buf.extend(scratch.iter().map(|c| i32::try_from(*c).unwrap_or(-1)));
        Ok(Labels::Codes32 { codes: buf, labels })
    }
}
