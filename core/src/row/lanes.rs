//! The lane path of [`RowRules::judge_into`]: a block of rows whose columns are all
//! complete (every row has a value) and hold whole numbers that fit in `i32`, or flags, judged
//! on `i32` lanes without per-field state bytes.
//!
//! Such a block has no missing value, so a numeric field's state is one bit: fine, or invalid
//! (outside its type's range, or above its total). Each target is one loop over the values of
//! its fields (and of their totals) on `i32` lanes, which baseline x86-64 (SSE2) compares four
//! at a time, working out each value's validity where it reads it (three compares: below the
//! type's least value, above its greatest, above the total); only the verdict is narrowed to
//! a byte. An `Int64` column is first narrowed to `i32` a block at a time. Writing the
//! validity to an `i32` mask per field first and reading it back in the targets' loops, as
//! this path did before, cost a store and a load per value: 9.7 → 7.8 ms for the million
//! rows of `bench/`'s `district20` on `i32` columns (one thread). The general block path
//! mixes byte states with `i32` or `i64` values in every loop, which costs unpacking.

//! The verdicts are those of the general path (and so of [`RowRules::judge`]): the randomised
//! tests of `row.rs` compare them on blocks that take this path and on blocks that do not.

use std::ops::Range;

use super::filters::with_checks;
use super::{Column, Filters, INVALID, Labels, MET, NOT_MET, RowRules, WholeTest, merge_filter};
use crate::bound::Op;
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

/// What makes a read number invalid: outside `lo..=hi` (`hi: None` for a count, whose bound
/// is every `i32`), or above the field `total`.
#[derive(Debug, Clone, Copy)]
struct Check {
    lo: i32,
    hi: Option<i32>,
    total: Option<usize>,
}

/// A read field's values over a block with what makes one invalid, for the target loops: a
/// value `x` with its total's value `t` on the same row is invalid when
/// `x < lo || x > hi || x > t`. A field without a total is its own (`x > x` never holds),
/// and a bound it lacks is the `i32` extreme, so every loop has one shape whatever the
/// field's check: three compares on `i32` lanes, worked out where the values are read
/// instead of written to a mask first and read back.
#[derive(Clone, Copy)]
struct Field<'a> {
    values: &'a [i32],
    totals: &'a [i32],
    lo: i32,
    hi: i32,
}

impl Field<'_> {
    /// −1 where the value on row `x` (its total's `t`) is invalid, else 0.
    #[inline(always)]
    fn bad(&self, x: i32, t: i32) -> i32 {
        -i32::from((x < self.lo) | (x > self.hi) | (x > t))
    }

    /// Whether both slices cover the `rows` verdicts of a loop (it zips them with the
    /// verdicts, so a short one would leave some unwritten).
    fn covers_rows(&self, rows: usize) -> bool {
        self.values.len() >= rows && self.totals.len() >= rows
    }
}

/// What the lane path needs for one call's columns, and its scratch space.
pub(super) struct Lanes {
    /// Per field: how it is read.
    kinds: Vec<Kind>,
    /// Per field read as a number: what makes its values invalid.
    checks: Vec<Option<Check>>,
    /// Per field: the values of an `Int64` column's block, narrowed.
    narrowed: Vec<Vec<i32>>,
    /// A target's filter verdicts over the block.
    filter: Vec<u8>,
    /// The attribute checks' verdicts over the block.
    valid: Vec<u8>,
}

impl Lanes {
    /// The lane plan for `fields`, or `None` when a target needs the general path whatever the
    /// values (a state, a decimal test, a rate with another bound or a gross one, a field without a whole-number or flag column,
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
                // `n × k ≥ p × d` on unsigned 32 × 32 → 64-bit products (`rate`): `p` and `k`
                // below 2^32, and both fields' values never negative when they are possible.
                WholeTest::Rate {
                    num,
                    den,
                    p,
                    k,
                    op: Op::AtLeast,
                    gross: false,
                } if u32::try_from(p).is_ok()
                    && u32::try_from(k).is_ok_and(|k| k > 0)
                    && never_negative(rules, num)
                    && never_negative(rules, den) =>
                {
                    use_int(num, &mut kinds, &mut read)?;
                    use_int(den, &mut kinds, &mut read)?;
                }
                WholeTest::AtLeast { field, .. } | WholeTest::Band { field, .. } => {
                    use_int(field, &mut kinds, &mut read)?;
                }
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
        let clamp = |x: i64| i32::try_from(x).unwrap_or(if x < 0 { i32::MIN } else { i32::MAX });
        let checks: Vec<Option<Check>> = (0..nf)
            .map(|f| {
                let numbers = read.get(f) == Some(&true) && kinds.get(f) == Some(&Kind::Int);
                let check = rules.checks.get(f).filter(|_| numbers)?;
                let (lo, hi) = check.whole_range();
                let total = check
                    .at_most
                    .filter(|t| *t != f && kinds.get(*t) == Some(&Kind::Int));
                let hi = Some(clamp(hi)).filter(|hi| *hi != i32::MAX);
                Some(Check {
                    lo: clamp(lo),
                    hi,
                    total,
                })
            })
            .collect();
        Some(Lanes {
            checks,
            narrowed: (0..nf)
                .map(|f| {
                    let own = matches!(fields.get(f), Some(Column::Int64(_)));
                    let k = kinds.get(f) == Some(&Kind::Int);
                    vec![0; if own && k { block } else { 0 }]
                })
                .collect(),
            filter: vec![0; block],
            valid: vec![0; block],
            kinds,
        })
    }

    /// Judges rows `range` (at most one block) on lanes and returns `true`, or returns `false`
    /// when a column is too short or an `Int64` value does not fit in `i32`: the general path
    /// then judges the block (and writes every target's verdicts over it).
    pub(super) fn judge_block(
        &mut self,
        rules: &RowRules,
        fields: &[Column<'_>],
        (filters, attrs): (&Filters<'_>, &[Labels<'_>]),
        range: Range<usize>,
        out: &mut [&mut [u8]],
    ) -> bool {
        let len = range.len();
        let mut flags: Vec<&[bool]> = Vec::with_capacity(self.kinds.len());
        for (f, kind) in self.kinds.iter().enumerate() {
            let flag = match (kind, fields.get(f)) {
                (Kind::Flag, Some(Column::Flags(c))) => c.get(range.clone()),
                (Kind::Flag, _) => None,
                _ => Some(&[][..]),
            };
            let Some(flag) = flag else {
                return false;
            };
            flags.push(flag);
        }
        let attr_checks = filters.has_checks();
        if attr_checks && let Some(v) = self.valid.get_mut(..len) {
            filters.checks(attrs, range.start, v);
        }
        let checks = &self.checks;
        let scratch = Scratch {
            rules,
            kinds: &self.kinds,
            flags: &flags,
            filters: (filters, attrs),
            filter: &mut self.filter,
            valid: attr_checks.then_some(&self.valid[..]),
            range: range.clone(),
        };
        // Narrow the Int64 columns' blocks first: all of them must fit.
        for (f, kind) in self.kinds.iter().enumerate() {
            let (Kind::Int, Some(Column::Int64(c))) = (kind, fields.get(f)) else {
                continue;
            };
            let (Some(src), Some(dst)) = (
                c.get(range.clone()),
                self.narrowed.get_mut(f).and_then(|n| n.get_mut(..len)),
            ) else {
                return false;
            };
            if !narrow(dst, src) {
                return false;
            }
        }
        let narrowed = &self.narrowed;
        let column = |f: usize| match (self.kinds.get(f), fields.get(f)) {
            (Some(Kind::Int), Some(Column::Int32(c))) => c.get(range.clone()),
            (Some(Kind::Int), Some(Column::Int64(_))) => narrowed.get(f)?.get(..len),
            _ => None,
        };
        let field = |f: usize| field(checks, f, column);
        scratch.targets(field, out)
    }
}

/// Field `f` over the block under its check in `checks`, its values and its total's given by
/// `column`; `None` when a column is not there.
fn field<'a>(
    checks: &[Option<Check>],
    f: usize,
    column: impl Fn(usize) -> Option<&'a [i32]>,
) -> Option<Field<'a>> {
    let values = column(f)?;
    Some(match checks.get(f).copied().flatten() {
        Some(c) => Field {
            values,
            totals: match c.total {
                Some(t) => column(t)?,
                None => values,
            },
            lo: c.lo,
            hi: c.hi.unwrap_or(i32::MAX),
        },
        None => Field {
            values,
            totals: values,
            lo: i32::MIN,
            hi: i32::MAX,
        },
    })
}

/// What the target loops of one block read beside the numbers.
struct Scratch<'s, 'c> {
    rules: &'s RowRules,
    kinds: &'s [Kind],
    flags: &'s [&'c [bool]],
    filters: (&'s Filters<'c>, &'s [Labels<'c>]),
    /// A target's filter verdicts over the block.
    filter: &'s mut [u8],
    /// The attribute checks' verdicts over the block, when the rules have any.
    valid: Option<&'s [u8]>,
    range: Range<usize>,
}

impl Scratch<'_, '_> {
    /// Writes every target's verdicts over the block, its numbers read through `field`;
    /// whether it could (`false` when the block needs the general path: a column is not
    /// there or too short).
    fn targets<'a>(
        self,
        field: impl Fn(usize) -> Option<Field<'a>>,
        out: &mut [&mut [u8]],
    ) -> bool {
        let (filters, attrs) = self.filters;
        let range = self.range.clone();
        for (k, (c, o)) in self.rules.compiled.iter().zip(out.iter_mut()).enumerate() {
            let Some(o) = o.get_mut(range.start..range.end.min(o.len().max(range.start))) else {
                continue;
            };
            let rows = o.len();
            let read = |f: usize| field(f).filter(|v| v.covers_rows(rows));
            match c.whole {
                WholeTest::Covers { num, den } => {
                    let (Some(n), Some(d)) = (read(num), read(den)) else {
                        return false;
                    };
                    covers(o, n, d);
                }
                WholeTest::Rate { num, den, p, k, .. } => {
                    let (Some(n), Some(d)) = (read(num), read(den)) else {
                        return false;
                    };
                    rate(o, n, d, p, k);
                }
                WholeTest::AtLeast { field: f, min } => {
                    // v ≥ ⌈min⌉; a minimum above every i32 is never reached.
                    let min = i32::try_from(min.max(i128::from(i32::MIN))).ok();
                    let Some(v) = read(f) else {
                        return false;
                    };
                    at_least(o, v, min);
                }
                WholeTest::Band {
                    field: f,
                    lower,
                    upper,
                    above_met,
                } => {
                    let Some(v) = read(f) else {
                        return false;
                    };
                    band(o, v, (lower, upper), above_met);
                }
                WholeTest::Flag { field } => {
                    let possible =
                        self.rules.checks.get(field).map(|c| c.value_type) == Some(ValueType::Flag);
                    match self.flags.get(field) {
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
                if let Some(valid) = self.valid {
                    with_checks(f, valid);
                }
                merge_filter(o, f);
            } else if let Some(valid) = self.valid {
                merge_filter(o, valid);
            }
        }
        true
    }
}

/// Copies `src` into `dst` as `i32`; whether every value fits.
fn narrow(dst: &mut [i32], src: &[i64]) -> bool {
    // Counts are never negative and rarely near 2^31: when no value has a bit set from bit
    // 31 up, the `or` of them all says so, with one `or` per value in the copying loop. Only
    // a block with a negative or a large value is looked at again, value by value.
    let mut bits = 0u64;
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s as i32;
        bits |= *s as u64;
    }
    bits >> 31 == 0 || src.iter().all(|s| i32::try_from(*s).is_ok())
}

/// A 100 % rate: invalid when a value is, when `d = 0` or `n > d`; met when `n ≥ d`.
fn covers(o: &mut [u8], n: Field<'_>, d: Field<'_>) {
    // Worked out on i32 lanes (masks of -1 and 0) and narrowed to a byte once: INVALID where
    // the mask is set, else NOT_MET (1) where n < d, else MET (0).
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    let rows = n
        .values
        .iter()
        .zip(n.totals)
        .zip(d.values.iter().zip(d.totals));
    for (o, ((x, tx), (y, ty))) in o.iter_mut().zip(rows) {
        let (x, tx, y, ty) = (*x, *tx, *y, *ty);
        let invalid = n.bad(x, tx) | d.bad(y, ty) | -i32::from(y == 0) | -i32::from(x > y);
        *o = ((invalid & i32::from(INVALID)) | i32::from(x < y)) as u8;
    }
}

/// Whether a field's possible values are never negative (a count, or a type whose range
/// starts at 0 or above): `rate` reads such values as unsigned.
fn never_negative(rules: &RowRules, field: usize) -> bool {
    rules
        .checks
        .get(field)
        .is_some_and(|c| c.whole_range().0 >= 0)
}

/// A rate other than 100 % (`>=`, not gross): invalid when a value is, when `d = 0` or
/// `n > d`; met when `n × k ≥ p × d`.
///
/// `plan` admits it only when `p, k < 2^32` and both fields' possible values are never
/// negative, so on a row whose verdict is not invalid, `n` and `d` are in `0..2^31`: each
/// product is an unsigned 32 × 32-bit one, below 2^63, and `n × k − p × d` cannot overflow
/// `i64`, so its sign bit says whether the rate is missed. Baseline x86-64 has such a
/// multiply for two lanes at a time (`pmuludq`) and a 64-bit subtract and shift, where a
/// signed 64-bit multiply or compare would be scalar. On a row that is invalid (a negative
/// value read as a large unsigned one) the bit means nothing and is absorbed by `INVALID`.
fn rate(o: &mut [u8], n: Field<'_>, d: Field<'_>, p: i64, k: i64) {
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    let (Ok(p), Ok(k)) = (u32::try_from(p), u32::try_from(k)) else {
        o.fill(INVALID);
        return;
    };
    let (p, k) = (u64::from(p), u64::from(k));
    let rows = n
        .values
        .iter()
        .zip(n.totals)
        .zip(d.values.iter().zip(d.totals));
    for (o, ((x, tx), (y, ty))) in o.iter_mut().zip(rows) {
        let (x, tx, y, ty) = (*x, *tx, *y, *ty);
        let invalid = n.bad(x, tx) | d.bad(y, ty) | -i32::from(y == 0) | -i32::from(x > y);
        let nk = u64::from(x as u32) * k;
        let pd = p * u64::from(y as u32);
        let missed = (nk.wrapping_sub(pd) >> 63) as i32;
        *o = ((invalid & i32::from(INVALID)) | missed) as u8;
    }
}

/// A band `lower ≤ v ≤ upper` (only the lower bound when above it is met; bounds as whole
/// numbers, `i128::MIN` for none): invalid when the value is.
fn band(o: &mut [u8], v: Field<'_>, (lower, upper): (i128, i128), above_met: bool) {
    let clamp = |x: i128| {
        i32::try_from(x.clamp(i128::from(i32::MIN), i128::from(i32::MAX))).unwrap_or(i32::MAX)
    };
    // A lower bound above every i32, or an upper one below every i32, is never met.
    let never = lower > i128::from(i32::MAX) || (!above_met && upper < i128::from(i32::MIN));
    let (lo, hi) = (
        clamp(lower),
        if above_met { i32::MAX } else { clamp(upper) },
    );
    // Masks on i32 lanes narrowed to a byte once, as in `covers` (a branch per row kept the
    // loop scalar): INVALID where the value is, else NOT_MET (1) outside the band, else MET.
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    let never = -i32::from(never);
    for (o, (x, t)) in o.iter_mut().zip(v.values.iter().zip(v.totals)) {
        let (x, t) = (*x, *t);
        let missed = never | -i32::from(x < lo) | -i32::from(x > hi);
        *o = ((v.bad(x, t) & i32::from(INVALID)) | (missed & i32::from(NOT_MET))) as u8;
    }
}

/// A minimum: invalid when the value is; met when `v ≥ min` (never when `min` is `None`).
fn at_least(o: &mut [u8], v: Field<'_>, min: Option<i32>) {
    // Masks on i32 lanes narrowed to a byte once, as in `covers`.
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    let (never, min) = (-i32::from(min.is_none()), min.unwrap_or(i32::MAX));
    for (o, (x, t)) in o.iter_mut().zip(v.values.iter().zip(v.totals)) {
        let (x, t) = (*x, *t);
        let missed = never | -i32::from(x < min);
        *o = ((v.bad(x, t) & i32::from(INVALID)) | (missed & i32::from(NOT_MET))) as u8;
    }
}

/// A flag: met when set.
fn flag(o: &mut [u8], v: &[bool]) {
    for (o, v) in o.iter_mut().zip(v) {
        *o = if *v { MET } else { NOT_MET };
    }
}
