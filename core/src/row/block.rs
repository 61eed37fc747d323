//! The general block path of [`RowRules::judge_into`], for blocks the lane path (`lanes.rs`)
//! does not take: missing values (absent, short or optional columns), numbers beyond `i32`,
//! bands, rates other than 100 %, rounded comparisons and states. Each field is checked into a
//! state byte per row (fine, missing, invalid on its own, then against its total), then each
//! target runs over the block: in `i32` or `i64` lanes where it can, through the decimal test of
//! [`RowRules::judge`] where it must.

use std::ops::Range;

use rust_decimal::Decimal;

use super::{
    BLOCK, Column, Compiled, FINE, Filters, INVALID, Labels, MET, MISSING, NOT_MET, RowRules,
    RowValue, RowVerdict, Test, WholeTest, filters::with_checks, merge_filter, test,
};
use crate::bound::Op;
use crate::dictionary::ValueType;
use crate::plan::Comparison;

impl RowRules {
    /// Judges rows `range` (one block) of `fields` on the general path, with `block`'s buffers:
    /// every target's verdicts over the block are written to `out`.
    pub(super) fn judge_block(
        &self,
        block: &mut Block,
        fields: &[Column<'_>],
        (filters, attrs): (&Filters<'_>, &[Labels<'_>]),
        range: Range<usize>,
        out: &mut [&mut [u8]],
    ) {
        let (start, end, len) = (range.start, range.end, range.len());
        let nf = self.fields.len();
        for f in 0..nf {
            self.load(block, f, fields.get(f).copied(), start..end);
        }
        // The values per field: a whole-length i64 column as it is, others as loaded.
        let vals: Vec<&[i64]> = (0..nf)
            .map(|f| match fields.get(f) {
                Some(Column::Int64(c)) if c.len() >= end => c.get(start..end),
                _ => block.vals.get(f).and_then(|v| v.get(..len)),
            })
            .map(|v| v.unwrap_or(&[]))
            .collect();
        for f in 0..nf {
            let Some(t) = self.checks.get(f).and_then(|c| c.at_most) else {
                continue;
            };
            if !(block.numeric.get(f).copied().unwrap_or(false)
                && block.numeric.get(t).copied().unwrap_or(false))
                || t == f
            {
                continue;
            }
            let Some(mut own) = block.states.get_mut(f).map(std::mem::take) else {
                continue;
            };
            let own_len = own.get_mut(..len).unwrap_or(&mut []);
            let ts = block.states.get(t).map_or(&[][..], Vec::as_slice);
            match (block.narrow32(f, len), block.narrow32(t, len)) {
                (Some(v), Some(tv)) => mark_above(own_len, v, tv, ts),
                _ => {
                    if let (Some(v), Some(tv)) = (vals.get(f), vals.get(t)) {
                        mark_above(own_len, v, tv, ts);
                    }
                }
            }
            if let Some(slot) = block.states.get_mut(f) {
                *slot = own;
            }
        }
        let checks = filters.has_checks();
        if checks && let Some(v) = block.checks.get_mut(..len) {
            filters.checks(attrs, start, v);
        }
        for (k, (c, o)) in self.compiled.iter().zip(out.iter_mut()).enumerate() {
            let Some(o) = o.get_mut(start..end.min(o.len().max(start))) else {
                continue;
            };
            let has_filter = filters.has(k);
            if has_filter && let Some(f) = block.filter.get_mut(..o.len()) {
                filters.block(k, attrs, start, f);
                if checks {
                    with_checks(f, &block.checks);
                }
            }
            self.target_block(c, block, &vals, o);
            if has_filter {
                merge_filter(o, &block.filter);
            } else if checks {
                merge_filter(o, &block.checks);
            }
        }
    }

    /// Reads rows `range` of field `f` into the block: values and states (fine, missing,
    /// invalid on its own).
    fn load(&self, block: &mut Block, f: usize, col: Option<Column<'_>>, range: Range<usize>) {
        let len = range.len();
        let (Some(vals), Some(states), Some(check), Some(vals32), Some(narrow)) = (
            block.vals.get_mut(f),
            block.states.get_mut(f),
            self.checks.get(f),
            block.vals32.get_mut(f),
            block.narrow.get_mut(f),
        ) else {
            return;
        };
        let (Some(vals), Some(states), Some(vals32)) = (
            vals.get_mut(..len),
            states.get_mut(..len),
            vals32.get_mut(..len),
        ) else {
            return;
        };
        *narrow = false;
        let (lo, hi) = check.whole_range();
        // The same range for i32 values (exact: an i32 above i32::MAX does not exist).
        let clamp = |x: i64| i32::try_from(x).unwrap_or(if x < 0 { i32::MIN } else { i32::MAX });
        let (lo32, hi32) = (clamp(lo), clamp(hi));
        let ints =
            |vals: &mut [i64], states: &mut [u8], src: &mut dyn Iterator<Item = Option<i64>>| {
                for ((v, s), x) in vals.iter_mut().zip(states.iter_mut()).zip(src) {
                    match x {
                        Some(x) => {
                            *v = x;
                            *s = if x >= lo && x <= hi { FINE } else { INVALID };
                        }
                        None => {
                            *v = 0;
                            *s = MISSING;
                        }
                    }
                }
            };
        let pad = |vals: &mut [i64], states: &mut [u8], from: usize| {
            for (v, s) in vals.iter_mut().zip(states.iter_mut()).skip(from) {
                *v = 0;
                *s = MISSING;
            }
        };
        let pad32 = |vals: &mut [i32], from: usize| {
            for v in vals.iter_mut().skip(from) {
                *v = 0;
            }
        };
        match col {
            Some(Column::Int64(c)) => {
                let src = c
                    .get(range.start.min(c.len())..range.end.min(c.len()))
                    .unwrap_or(&[]);
                // A whole block of the column is read in place (see `judge_typed_into`).
                if src.len() < len
                    && let Some(head) = vals.get_mut(..src.len())
                {
                    head.copy_from_slice(src);
                }
                // Narrow when every value fits in i32 (an equality test, which vectorises).
                let fits = src
                    .iter()
                    .fold(true, |all, x| all & (i64::from(*x as i32) == *x));
                if fits && let Some(v32) = vals32.get_mut(..src.len()) {
                    for (v, x) in v32.iter_mut().zip(src) {
                        *v = *x as i32;
                    }
                    range_states(states, v32, lo32, hi32);
                } else {
                    range_states(states, src, lo, hi);
                }
                *narrow = fits;
                pad(vals, states, src.len());
                pad32(vals32, src.len());
            }
            Some(Column::Int32(c)) => {
                let src = c
                    .get(range.start.min(c.len())..range.end.min(c.len()))
                    .unwrap_or(&[]);
                for (v, x) in vals.iter_mut().zip(src) {
                    *v = i64::from(*x);
                }
                if let Some(v32) = vals32.get_mut(..src.len()) {
                    v32.copy_from_slice(src);
                }
                range_states(states, src, lo32, hi32);
                *narrow = true;
                pad(vals, states, src.len());
                pad32(vals32, src.len());
            }
            Some(Column::OptInt64(c)) => {
                let src = c
                    .get(range.start.min(c.len())..range.end.min(c.len()))
                    .unwrap_or(&[]);
                ints(vals, states, &mut src.iter().copied());
                pad(vals, states, src.len());
            }
            Some(Column::Flags(c)) => {
                let src = c
                    .get(range.start.min(c.len())..range.end.min(c.len()))
                    .unwrap_or(&[]);
                let ok = if check.value_type == ValueType::Flag {
                    FINE
                } else {
                    INVALID
                };
                for ((v, s), x) in vals.iter_mut().zip(states.iter_mut()).zip(src) {
                    *v = i64::from(*x);
                    *s = ok;
                }
                pad(vals, states, src.len());
            }
            Some(Column::Values(_)) | Some(Column::Missing) | None => pad(vals, states, 0),
        }
    }

    /// One target's verdicts over a block (the filter aside).
    fn target_block(&self, c: &Compiled, block: &Block, vals: &[&[i64]], o: &mut [u8]) {
        let col = |f: usize| {
            (
                vals.get(f).copied().unwrap_or(&[]),
                block.states.get(f).map_or(&[][..], Vec::as_slice),
                block.numeric.get(f).copied().unwrap_or(false),
            )
        };
        // Minimums and bands on numbers use the target's whole-number bounds (⌈min⌉, ⌈lower⌉,
        // ⌊upper⌋), rounded comparisons included: a whole number is its own rounding.
        match c.whole {
            WholeTest::AtLeast { field, min } => {
                let (v, s, numeric) = col(field);
                if numeric {
                    // v ≥ ⌈min⌉ (clamped: every value meets a minimum below the type's least).
                    match block.narrow32(field, o.len()) {
                        Some(v) => match i32::try_from(min.max(i128::from(i32::MIN))) {
                            Ok(m) => at_least(o, v, s, true, m),
                            Err(_) => at_least(o, v, s, false, i32::MAX),
                        },
                        None => match i64::try_from(min.max(i128::from(i64::MIN))) {
                            Ok(m) => at_least(o, v, s, true, m),
                            Err(_) => at_least(o, v, s, false, i64::MAX),
                        },
                    }
                    return;
                }
            }
            WholeTest::Band {
                field,
                lower,
                upper,
                above_met,
            } => {
                let (v, s, numeric) = col(field);
                if numeric {
                    for ((o, v), s) in o.iter_mut().zip(v).zip(s) {
                        let v = i128::from(*v);
                        *o = if *s != FINE {
                            *s
                        } else if v >= lower && (v <= upper || above_met) {
                            MET
                        } else {
                            NOT_MET
                        };
                    }
                    return;
                }
            }
            _ => {}
        }
        let full = c.comparison == Comparison::FullValue;
        match &c.test {
            Test::Ratio {
                num,
                den,
                percent,
                condition: false,
                op: Op::AtLeast,
                gross: false,
            } if full => {
                let ((nv, ns, nn), (dv, ds, dn)) = (col(*num), col(*den));
                if nn && dn {
                    if *percent == Decimal::ONE_HUNDRED {
                        match (block.narrow32(*num, o.len()), block.narrow32(*den, o.len())) {
                            (Some(nv), Some(dv)) => covers(o, nv, dv, ns, ds),
                            _ => covers(o, nv, dv, ns, ds),
                        }
                        return;
                    }
                    // n / d × 100 ≥ p / 10^s is n × 100 × 10^s ≥ p × d (d > 0), exact in
                    // i128 while both sides stay below 10^28 (where decimals are exact too).
                    let (p, s) = (percent.mantissa(), percent.scale());
                    if let Some(scale) = 10i128.checked_pow(s).and_then(|x| x.checked_mul(100)) {
                        const LIMIT: i128 = 10i128.pow(28);
                        let rows = o.iter_mut().zip(nv).zip(dv).zip(ns).zip(ds).enumerate();
                        for (i, ((((o, n), d), a), b)) in rows {
                            *o = if *a != FINE {
                                *a
                            } else if *b != FINE {
                                *b
                            } else if *d == 0 || n > d {
                                INVALID
                            } else {
                                let lhs = i128::from(*n).checked_mul(scale);
                                let rhs = p.checked_mul(i128::from(*d));
                                match (lhs, rhs) {
                                    (Some(l), Some(r)) if l.abs() < LIMIT && r.abs() < LIMIT => {
                                        if l >= r { MET } else { NOT_MET }
                                    }
                                    _ => self.decimal_verdict(c, block, vals, i),
                                }
                            };
                        }
                        return;
                    }
                }
            }
            Test::Flag { field } => {
                let (v, s, numeric) = col(*field);
                for ((o, v), s) in o.iter_mut().zip(v).zip(s) {
                    *o = if *s != FINE {
                        *s
                    } else if numeric {
                        INVALID
                    } else if *v != 0 {
                        MET
                    } else {
                        NOT_MET
                    };
                }
                return;
            }
            _ => {}
        }
        for (i, o) in o.iter_mut().enumerate() {
            *o = self.decimal_verdict(c, block, vals, i);
        }
    }

    /// One row of a block through the decimal test of [`judge`](Self::judge).
    fn decimal_verdict(&self, c: &Compiled, block: &Block, vals: &[&[i64]], i: usize) -> u8 {
        let get = |f: usize| -> Result<RowValue, RowVerdict> {
            let s = block
                .states
                .get(f)
                .and_then(|s| s.get(i))
                .copied()
                .unwrap_or(MISSING);
            if s == INVALID {
                return Err(RowVerdict::Invalid);
            }
            if s == MISSING {
                return Err(RowVerdict::Missing);
            }
            let v = vals.get(f).and_then(|v| v.get(i)).copied().unwrap_or(0);
            Ok(if block.numeric.get(f).copied().unwrap_or(false) {
                RowValue::Int(v)
            } else {
                RowValue::Flag(v != 0)
            })
        };
        test(c, get).unwrap_or_else(|v| v) as u8
    }
}

/// A block of rows of whole-number and flag columns, per field.
pub(super) struct Block {
    /// The values (flags as 0 and 1).
    vals: Vec<Vec<i64>>,
    /// The values again as `i32`, for the numeric fields whose values in this block all fit
    /// (`narrow`): the loops over them vectorise on baseline x86-64, whose SSE2 compares 32-bit
    /// lanes but not 64-bit ones.
    vals32: Vec<Vec<i32>>,
    /// Whether the field's values in this block are in `vals32` too.
    narrow: Vec<bool>,
    /// [`FINE`], [`MISSING`] or [`INVALID`] (on its own and against its total).
    states: Vec<Vec<u8>>,
    /// Whether the field's column holds numbers (else flags or nothing).
    numeric: Vec<bool>,
    /// A target's filter verdicts: [`FINE`] (in), [`MISSING`], [`NOT_APPLICABLE`](super::NOT_APPLICABLE).
    filter: Vec<u8>,
    /// The attribute checks' verdicts: [`FINE`] or [`INVALID`].
    checks: Vec<u8>,
}

impl Block {
    /// Buffers for `nf` fields, whose columns are `fields`.
    pub(super) fn new(fields: &[Column<'_>], nf: usize) -> Block {
        Block {
            vals: vec![vec![0; BLOCK]; nf],
            states: vec![vec![FINE; BLOCK]; nf],
            numeric: (0..nf)
                .map(|f| {
                    matches!(
                        fields.get(f),
                        Some(Column::Int64(_) | Column::Int32(_) | Column::OptInt64(_))
                    )
                })
                .collect(),
            filter: vec![FINE; BLOCK],
            checks: vec![FINE; BLOCK],
            vals32: vec![vec![0; BLOCK]; nf],
            narrow: vec![false; nf],
        }
    }

    /// The first `len` values of field `f` as `i32`, when they all fit.
    fn narrow32(&self, f: usize, len: usize) -> Option<&[i32]> {
        if !self.narrow.get(f).copied().unwrap_or(false) {
            return None;
        }
        self.vals32.get(f).and_then(|v| v.get(..len))
    }
}

/// A field's states from its values' range: fine inside `lo..=hi`, invalid outside.
/// Branch-free, so the loop vectorises.
fn range_states<T: Copy + PartialOrd>(states: &mut [u8], src: &[T], lo: T, hi: T) {
    for (s, x) in states.iter_mut().zip(src) {
        *s = if (*x >= lo) & (*x <= hi) {
            FINE
        } else {
            INVALID
        };
    }
}

/// Marks a fine value above its total invalid (when the total is there).
fn mark_above<T: Copy + PartialOrd>(own: &mut [u8], v: &[T], tv: &[T], ts: &[u8]) {
    for (((s, v), tv), ts) in own.iter_mut().zip(v).zip(tv).zip(ts) {
        let above = (*s == FINE) & (*ts != MISSING) & (*v > *tv);
        *s = if above { INVALID } else { *s };
    }
}

/// A 100 % rate at full value over a block: `n ≥ d`, invalid for `d = 0` or `n > d`, the
/// numerator's state first, then the denominator's.
fn covers<T: Copy + PartialOrd + Default>(o: &mut [u8], nv: &[T], dv: &[T], ns: &[u8], ds: &[u8]) {
    for ((((o, n), d), a), b) in o.iter_mut().zip(nv).zip(dv).zip(ns).zip(ds) {
        let met = if n >= d { MET } else { NOT_MET };
        let t = if (*d == T::default()) | (n > d) {
            INVALID
        } else {
            met
        };
        let t = if *b != FINE { *b } else { t };
        *o = if *a != FINE { *a } else { t };
    }
}

/// A minimum over a block: `v ≥ min` when `reachable`, never otherwise.
fn at_least<T: Copy + PartialOrd>(o: &mut [u8], v: &[T], s: &[u8], reachable: bool, min: T) {
    for ((o, v), s) in o.iter_mut().zip(v).zip(s) {
        let met = if reachable & (*v >= min) {
            MET
        } else {
            NOT_MET
        };
        *o = if *s != FINE { *s } else { met };
    }
}
