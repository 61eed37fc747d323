//! The lane path of [`RowRules::judge_typed_into`]: a block of rows whose columns are all
//! complete (every row has a value) and hold whole numbers that fit in `i32`, or flags, judged
//! on `i32` lanes without per-field state bytes.
//!
//! Such a block has no missing value, so a numeric field's state is one bit: fine, or invalid
//! (outside its type's range, or above its total). The bits are worked out once per field as
//! `i32` masks (0 or −1) beside the values, and every target is then one loop over values and
//! masks of the same width, which baseline x86-64 (SSE2) and wasm `simd128` compare four lanes
//! at a time; only the verdict is narrowed to a byte. The general block path mixes byte states
//! with `i32` or `i64` values in every loop, which costs unpacking; this path takes about a
//! quarter of its instructions per row.
//!
//! The verdicts are those of the general path (and so of [`RowRules::judge`]): the randomised
//! tests of `row.rs` compare them on blocks that take this path and on blocks that do not.

use std::ops::Range;

use super::{Column, Filters, INVALID, Labels, MET, NOT_MET, RowRules, WholeTest, merge_filter};
use crate::dictionary::ValueType;

/// How the lane path reads one field in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Not read by any target, nor the total of a field that is.
    Unused,
    /// Whole numbers (an `Int32` or `Int64` column).
    Int,
    /// Flags (a `Flags` column).
    Flag,
}

/// What the lane path needs for one call's columns, and its scratch space.
pub(super) struct Lanes {
    /// Per field: how it is read.
    kinds: Vec<Kind>,
    /// Per field: whether a target reads it, so its validity mask is worked out.
    read: Vec<bool>,
    /// Per field: the values of an `Int64` column's block, narrowed.
    narrowed: Vec<Vec<i32>>,
    /// Per field: 0 where the value is possible, −1 where it is invalid.
    bad: Vec<Vec<i32>>,
    /// A target's filter verdicts over the block.
    filter: Vec<u8>,
}

impl Lanes {
    /// The lane plan for `fields`, or `None` when a target needs the general path whatever the
    /// values (a band, a state, a decimal test, a field without a whole-number or flag column,
    /// a minimum or rate on flags).
    pub(super) fn plan(rules: &RowRules, fields: &[Column<'_>], block: usize) -> Option<Lanes> {
        let nf = rules.fields.len();
        let column = |f: usize| match fields.get(f) {
            Some(Column::Int32(_) | Column::Int64(_)) => Some(Kind::Int),
            Some(Column::Flags(_)) => Some(Kind::Flag),
            _ => None,
        };
        let mut kinds = vec![Kind::Unused; nf];
        let mut read = vec![false; nf];
        let use_int = |f: usize, kinds: &mut [Kind], read: &mut [bool]| -> Option<()> {
            (column(f)? == Kind::Int).then_some(())?;
            *kinds.get_mut(f)? = Kind::Int;
            *read.get_mut(f)? = true;
            Some(())
        };
        for c in &rules.compiled {
            match c.whole {
                WholeTest::Covers { num, den } => {
                    use_int(num, &mut kinds, &mut read)?;
                    use_int(den, &mut kinds, &mut read)?;
                }
                WholeTest::AtLeast { field, .. } => use_int(field, &mut kinds, &mut read)?,
                // A flag target on a numeric column is invalid whatever the (present) value:
                // the column is loaded, for its length, but not read.
                WholeTest::Flag { field } => {
                    let kind = column(field)?;
                    let slot = kinds.get_mut(field)?;
                    if *slot == Kind::Unused {
                        *slot = kind;
                    }
                    if kind == Kind::Flag {
                        *read.get_mut(field)? = true;
                    }
                }
                _ => return None,
            }
        }
        // A read number is checked against its total when the total is a number too.
        for f in 0..nf {
            let total = rules.checks.get(f).and_then(|c| c.at_most);
            if let Some(t) = total
                && read.get(f) == Some(&true)
                && kinds.get(f) == Some(&Kind::Int)
                && column(t) == Some(Kind::Int)
                && let Some(k) = kinds.get_mut(t)
            {
                *k = Kind::Int;
            }
        }
        Some(Lanes {
            narrowed: (0..nf)
                .map(|f| {
                    let own = matches!(fields.get(f), Some(Column::Int64(_)));
                    let k = kinds.get(f) == Some(&Kind::Int);
                    vec![0; if own && k { block } else { 0 }]
                })
                .collect(),
            bad: (0..nf)
                .map(|f| {
                    let numbers = read.get(f) == Some(&true) && kinds.get(f) == Some(&Kind::Int);
                    vec![0; if numbers { block } else { 0 }]
                })
                .collect(),
            filter: vec![0; block],
            kinds,
            read,
        })
    }

    /// Judges rows `range` (at most one block) on lanes and returns `true`, or returns `false`
    /// having written nothing when a column is too short or an `Int64` value does not fit in
    /// `i32` (the general path then judges the block).
    pub(super) fn judge_block(
        &mut self,
        rules: &RowRules,
        fields: &[Column<'_>],
        (filters, attrs): (&Filters<'_>, &[Labels<'_>]),
        range: Range<usize>,
        out: &mut [&mut [u8]],
    ) -> bool {
        let len = range.len();
        // Narrow the Int64 columns' blocks first (all of them must fit).
        for (f, (kind, buf)) in self.kinds.iter().zip(self.narrowed.iter_mut()).enumerate() {
            if *kind != Kind::Int {
                continue;
            }
            if let Some(Column::Int64(c)) = fields.get(f) {
                let (Some(src), Some(dst)) = (c.get(range.clone()), buf.get_mut(..len)) else {
                    return false;
                };
                if !narrow(dst, src) {
                    return false;
                }
            }
        }
        let mut ints: Vec<&[i32]> = Vec::with_capacity(self.kinds.len());
        let mut flags: Vec<&[bool]> = Vec::with_capacity(self.kinds.len());
        for (f, (kind, buf)) in self.kinds.iter().zip(&self.narrowed).enumerate() {
            let (int, flag) = match (kind, fields.get(f)) {
                (Kind::Unused, _) => (Some(&[][..]), Some(&[][..])),
                (Kind::Int, Some(Column::Int32(c))) => (c.get(range.clone()), Some(&[][..])),
                (Kind::Int, Some(Column::Int64(_))) => (buf.get(..len), Some(&[][..])),
                (Kind::Flag, Some(Column::Flags(c))) => (Some(&[][..]), c.get(range.clone())),
                _ => (None, None),
            };
            let (Some(int), Some(flag)) = (int, flag) else {
                return false;
            };
            ints.push(int);
            flags.push(flag);
        }
        // Each read number's validity: inside its type's range, and not above its total.
        for (f, bad) in self.bad.iter_mut().enumerate() {
            if self.read.get(f) != Some(&true) || self.kinds.get(f) != Some(&Kind::Int) {
                continue;
            }
            let (Some(check), Some(v), Some(bad)) =
                (rules.checks.get(f), ints.get(f), bad.get_mut(..len))
            else {
                continue;
            };
            let (lo, hi) = check.whole_range();
            let clamp =
                |x: i64| i32::try_from(x).unwrap_or(if x < 0 { i32::MIN } else { i32::MAX });
            let (lo, hi) = (clamp(lo), clamp(hi));
            let total = check
                .at_most
                .filter(|t| *t != f && self.kinds.get(*t) == Some(&Kind::Int))
                .and_then(|t| ints.get(t));
            // Each case its own loop: a count's upper bound (i32::MAX) needs no compare.
            match (total, hi == i32::MAX) {
                (Some(t), true) => mask(bad, v, t, |x, t| (x < lo) | (x > t)),
                (Some(t), false) => mask(bad, v, t, |x, t| (x < lo) | (x > hi) | (x > t)),
                (None, true) => mask(bad, v, v, |x, _| x < lo),
                (None, false) => mask(bad, v, v, |x, _| (x < lo) | (x > hi)),
            }
        }
        let bad = |f: usize| self.bad.get(f).and_then(|b| b.get(..len)).unwrap_or(&[]);
        let int = |f: usize| ints.get(f).copied().unwrap_or(&[]);
        for (k, (c, o)) in rules.compiled.iter().zip(out.iter_mut()).enumerate() {
            let Some(o) = o.get_mut(range.start..range.end.min(o.len().max(range.start))) else {
                continue;
            };
            match c.whole {
                WholeTest::Covers { num, den } => covers(o, int(num), int(den), bad(num), bad(den)),
                WholeTest::AtLeast { field, min } => {
                    // v ≥ ⌈min⌉; a minimum above every i32 is never reached.
                    let min = i32::try_from(min.max(i128::from(i32::MIN))).ok();
                    at_least(o, int(field), bad(field), min);
                }
                WholeTest::Flag { field } => {
                    let possible =
                        rules.checks.get(field).map(|c| c.value_type) == Some(ValueType::Flag);
                    match flags.get(field) {
                        Some(v) if self.kinds.get(field) == Some(&Kind::Flag) && possible => {
                            flag(o, v);
                        }
                        _ => o.fill(INVALID),
                    }
                }
                // `plan` admits no other test.
                _ => return false,
            }
            if filters.has(k)
                && let Some(f) = self.filter.get_mut(..o.len())
            {
                filters.block(k, attrs, range.start, f);
                merge_filter(o, f);
            }
        }
        true
    }
}

/// Copies `src` into `dst` as `i32`; whether every value fits.
fn narrow(dst: &mut [i32], src: &[i64]) -> bool {
    // A value fits when it is in -2^31..2^31, that is when adding 2^31 leaves the upper 32
    // bits clear: an add, a shift and an or per value, which vectorise without 64-bit compares.
    let mut above = 0u64;
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s as i32;
        above |= (s.wrapping_add(1 << 31) as u64) >> 32;
    }
    above == 0
}

/// −1 where `invalid(value, total)`, else 0.
#[inline(always)]
fn mask(bad: &mut [i32], v: &[i32], total: &[i32], invalid: impl Fn(i32, i32) -> bool) {
    for ((b, x), t) in bad.iter_mut().zip(v).zip(total) {
        *b = -i32::from(invalid(*x, *t));
    }
}

/// A 100 % rate: invalid when a value is, when `d = 0` or `n > d`; met when `n ≥ d`.
fn covers(o: &mut [u8], n: &[i32], d: &[i32], nb: &[i32], db: &[i32]) {
    // Worked out on i32 lanes (masks of -1 and 0) and narrowed to a byte once: INVALID where
    // the mask is set, else NOT_MET (1) where n < d, else MET (0).
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    for ((((o, n), d), a), b) in o.iter_mut().zip(n).zip(d).zip(nb).zip(db) {
        let invalid = *a | *b | -i32::from(*d == 0) | -i32::from(n > d);
        *o = ((invalid & i32::from(INVALID)) | i32::from(n < d)) as u8;
    }
}

/// A minimum: invalid when the value is; met when `v ≥ min` (never when `min` is `None`).
fn at_least(o: &mut [u8], v: &[i32], bad: &[i32], min: Option<i32>) {
    let (reachable, min) = (min.is_some(), min.unwrap_or(i32::MAX));
    for ((o, v), b) in o.iter_mut().zip(v).zip(bad) {
        let met = if reachable & (*v >= min) {
            MET
        } else {
            NOT_MET
        };
        *o = if *b != 0 { INVALID } else { met };
    }
}

/// A flag: met when set.
fn flag(o: &mut [u8], v: &[bool]) {
    for (o, v) in o.iter_mut().zip(v) {
        *o = if *v { MET } else { NOT_MET };
    }
}
