//! The lane path of [`RowRules::judge_into`]: a block of rows whose columns are all
//! complete (every row has a value) and hold whole numbers that fit in `i32`, or flags, judged
//! on `i32` lanes without per-field state bytes.
//!
//! Such a block has no missing value, so a numeric field's state is one bit: fine, or invalid
//! (outside its type's range, or above its total). The bits are worked out once per field as
//! `i32` masks (0 or −1) beside the values, and every target is then one loop over values and
//! masks of the same width, which baseline x86-64 (SSE2) compares four lanes at a time; only the
//! verdict is narrowed to a byte. An `Int64` column is narrowed to `i32` a block at a time, its
//! validity worked out in the same pass (totals are narrowed first). The general block path
//! mixes byte states with `i32` or `i64` values in every loop, which costs unpacking: for the
//! plan's school targets it took 220 instructions per row on `i32` columns, where this path takes
//! 49 (and 92 on `i64` columns; callgrind, `bench/rust` `profile rows`/`rows64`).
//!
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

/// What the lane path needs for one call's columns, and its scratch space.
pub(super) struct Lanes {
    /// Per field: how it is read.
    kinds: Vec<Kind>,
    /// Per field read as a number (its validity mask is worked out): its check.
    checks: Vec<Option<Check>>,
    /// The whole-number fields, each total before the fields it bounds (where the totals
    /// allow an order), the order `Int64` columns are narrowed in.
    order: Vec<usize>,
    /// Per field: whether its total's narrowed values are there when its own column is
    /// narrowed (the total comes first in `order`).
    ready: Vec<bool>,
    /// Per field: the values of an `Int64` column's block, narrowed.
    narrowed: Vec<Vec<i32>>,
    /// Per field: 0 where the value is possible, −1 where it is invalid.
    bad: Vec<Vec<i32>>,
    /// Per field: whether its mask is done in this block.
    checked: Vec<bool>,
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
        // Totals first: each round places the fields whose total is placed (or that have none);
        // fields in a cycle of totals (no dictionary has one) go last, in field order.
        let ints: Vec<usize> = (0..nf)
            .filter(|f| kinds.get(*f) == Some(&Kind::Int))
            .collect();
        let mut order: Vec<usize> = Vec::with_capacity(ints.len());
        let mut placed = vec![false; nf];
        loop {
            let ready: Vec<usize> = ints
                .iter()
                .copied()
                .filter(|f| placed.get(*f) == Some(&false))
                .filter(|f| {
                    let total = checks.get(*f).copied().flatten().and_then(|c| c.total);
                    total.is_none_or(|t| placed.get(t) == Some(&true))
                })
                .collect();
            if ready.is_empty() {
                break;
            }
            for f in ready {
                if let Some(p) = placed.get_mut(f) {
                    *p = true;
                }
                order.push(f);
            }
        }
        order.extend(ints.iter().filter(|f| placed.get(**f) == Some(&false)));
        let at = |f: usize| order.iter().position(|x| *x == f);
        let ready = (0..nf)
            .map(|f| {
                let total = checks.get(f).copied().flatten().and_then(|c| c.total);
                total.is_some_and(|t| matches!((at(t), at(f)), (Some(a), Some(b)) if a < b))
            })
            .collect();
        Some(Lanes {
            ready,
            checks,
            order,
            checked: vec![false; nf],
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
        self.checked.fill(false);
        // Narrow the Int64 columns' blocks first (all of them must fit), totals first, and work
        // out a read field's validity in the same pass when its total is ready: the checks run
        // while the values stream in from memory.
        for &f in &self.order {
            let Some(Column::Int64(c)) = fields.get(f) else {
                continue;
            };
            let (Some(src), Some(mut dst)) = (
                c.get(range.clone()),
                self.narrowed.get_mut(f).map(std::mem::take),
            ) else {
                return false;
            };
            let check = self.checks.get(f).copied().flatten();
            let total = match check.and_then(|c| c.total) {
                None => Some(&[][..]),
                Some(t) => match fields.get(t) {
                    Some(Column::Int32(c)) => c.get(range.clone()),
                    _ if self.ready.get(f) == Some(&true) => {
                        self.narrowed.get(t).and_then(|n| n.get(..len))
                    }
                    _ => None,
                },
            };
            let fits = match (check, total, self.bad.get_mut(f)) {
                (Some(check), Some(total), Some(bad)) => {
                    let fits = narrow_checked(
                        dst.get_mut(..len).unwrap_or(&mut []),
                        bad.get_mut(..len).unwrap_or(&mut []),
                        src,
                        check,
                        total,
                    );
                    if let Some(done) = self.checked.get_mut(f) {
                        *done = true;
                    }
                    fits
                }
                _ => narrow(dst.get_mut(..len).unwrap_or(&mut []), src),
            };
            if let Some(slot) = self.narrowed.get_mut(f) {
                *slot = dst;
            }
            if !fits {
                return false;
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
        // The other read numbers' validity: inside their type's range, not above their total.
        for (f, bad) in self.bad.iter_mut().enumerate() {
            if self.checked.get(f) != Some(&false) {
                continue;
            }
            let (Some(check), Some(v), Some(bad)) = (
                self.checks.get(f).copied().flatten(),
                ints.get(f),
                bad.get_mut(..len),
            ) else {
                continue;
            };
            let total = check.total.and_then(|t| ints.get(t)).copied();
            let lo = check.lo;
            // Each case its own loop: a count's upper bound (i32::MAX) needs no compare.
            match (total, check.hi) {
                (Some(t), None) => mask(bad, v, t, |x, t| (x < lo) | (x > t)),
                (Some(t), Some(hi)) => mask(bad, v, t, |x, t| (x < lo) | (x > hi) | (x > t)),
                (None, None) => mask(bad, v, v, |x, _| x < lo),
                (None, Some(hi)) => mask(bad, v, v, |x, _| (x < lo) | (x > hi)),
            }
        }
        let bad = |f: usize| self.bad.get(f).and_then(|b| b.get(..len)).unwrap_or(&[]);
        let int = |f: usize| ints.get(f).copied().unwrap_or(&[]);
        let checks = filters.has_checks();
        if checks && let Some(v) = self.valid.get_mut(..len) {
            filters.checks(attrs, range.start, v);
        }
        for (k, (c, o)) in rules.compiled.iter().zip(out.iter_mut()).enumerate() {
            let Some(o) = o.get_mut(range.start..range.end.min(o.len().max(range.start))) else {
                continue;
            };
            match c.whole {
                WholeTest::Covers { num, den } => covers(o, int(num), int(den), bad(num), bad(den)),
                WholeTest::Rate { num, den, p, k, .. } => {
                    rate(o, (int(num), int(den)), (bad(num), bad(den)), p, k);
                }
                WholeTest::AtLeast { field, min } => {
                    // v ≥ ⌈min⌉; a minimum above every i32 is never reached.
                    let min = i32::try_from(min.max(i128::from(i32::MIN))).ok();
                    at_least(o, int(field), bad(field), min);
                }
                WholeTest::Band {
                    field,
                    lower,
                    upper,
                    above_met,
                } => band(o, int(field), bad(field), (lower, upper), above_met),
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
                if checks {
                    with_checks(f, &self.valid);
                }
                merge_filter(o, f);
            } else if checks {
                merge_filter(o, &self.valid);
            }
        }
        true
    }
}

/// Copies `src` into `dst` as `i32` and writes its validity masks under `check` (its total's
/// values in `total`, empty when it has none); whether every value fits (when one does not,
/// the masks mean nothing).
fn narrow_checked(
    dst: &mut [i32],
    bad: &mut [i32],
    src: &[i64],
    check: Check,
    total: &[i32],
) -> bool {
    let lo = check.lo;
    // Each case its own loop, as in `judge_block`.
    match (check.total.is_some(), check.hi) {
        (true, None) => narrow_with(dst, bad, src, total, |x, t| (x < lo) | (x > t)),
        (true, Some(hi)) => narrow_with(dst, bad, src, total, |x, t| (x < lo) | (x > hi) | (x > t)),
        (false, None) => narrow_alone(dst, bad, src, |x| x < lo),
        (false, Some(hi)) => narrow_alone(dst, bad, src, |x| (x < lo) | (x > hi)),
    }
}

/// `narrow_checked` for a field with a total.
#[inline(always)]
fn narrow_with(
    dst: &mut [i32],
    bad: &mut [i32],
    src: &[i64],
    total: &[i32],
    invalid: impl Fn(i32, i32) -> bool,
) -> bool {
    let mut above = 0u64;
    for (((d, b), s), t) in dst.iter_mut().zip(bad.iter_mut()).zip(src).zip(total) {
        let v = *s as i32;
        *d = v;
        *b = -i32::from(invalid(v, *t));
        above |= (s.wrapping_add(1 << 31) as u64) >> 32;
    }
    above == 0
}

/// `narrow_checked` for a field without a total.
#[inline(always)]
fn narrow_alone(
    dst: &mut [i32],
    bad: &mut [i32],
    src: &[i64],
    invalid: impl Fn(i32) -> bool,
) -> bool {
    let mut above = 0u64;
    for ((d, b), s) in dst.iter_mut().zip(bad.iter_mut()).zip(src) {
        let v = *s as i32;
        *d = v;
        *b = -i32::from(invalid(v));
        above |= (s.wrapping_add(1 << 31) as u64) >> 32;
    }
    above == 0
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
fn rate(o: &mut [u8], (n, d): (&[i32], &[i32]), (nb, db): (&[i32], &[i32]), p: i64, k: i64) {
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    let (Ok(p), Ok(k)) = (u32::try_from(p), u32::try_from(k)) else {
        o.fill(INVALID);
        return;
    };
    let (p, k) = (u64::from(p), u64::from(k));
    for ((((o, n), d), a), b) in o.iter_mut().zip(n).zip(d).zip(nb).zip(db) {
        let invalid = *a | *b | -i32::from(*d == 0) | -i32::from(n > d);
        let nk = u64::from(*n as u32) * k;
        let pd = p * u64::from(*d as u32);
        let missed = (nk.wrapping_sub(pd) >> 63) as i32;
        *o = ((invalid & i32::from(INVALID)) | missed) as u8;
    }
}

/// A band `lower ≤ v ≤ upper` (only the lower bound when above it is met; bounds as whole
/// numbers, `i128::MIN` for none): invalid when the value is.
fn band(o: &mut [u8], v: &[i32], bad: &[i32], (lower, upper): (i128, i128), above_met: bool) {
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
    for ((o, v), b) in o.iter_mut().zip(v).zip(bad) {
        let missed = never | -i32::from(*v < lo) | -i32::from(*v > hi);
        *o = ((*b & i32::from(INVALID)) | (missed & i32::from(NOT_MET))) as u8;
    }
}

/// A minimum: invalid when the value is; met when `v ≥ min` (never when `min` is `None`).
fn at_least(o: &mut [u8], v: &[i32], bad: &[i32], min: Option<i32>) {
    // Masks on i32 lanes narrowed to a byte once, as in `covers`.
    const _: () = assert!(MET == 0 && NOT_MET == 1 && INVALID & NOT_MET == NOT_MET);
    let (never, min) = (-i32::from(min.is_none()), min.unwrap_or(i32::MAX));
    for ((o, v), b) in o.iter_mut().zip(v).zip(bad) {
        let missed = never | -i32::from(*v < min);
        *o = ((*b & i32::from(INVALID)) | (missed & i32::from(NOT_MET))) as u8;
    }
}

/// A flag: met when set.
fn flag(o: &mut [u8], v: &[bool]) {
    for (o, v) in o.iter_mut().zip(v) {
        *o = if *v { MET } else { NOT_MET };
    }
}
