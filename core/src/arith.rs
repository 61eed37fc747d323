//! Exact decimal arithmetic under one contract (spec/README.md, "Arithmetic"): a result that a
//! 96-bit decimal holds is kept exact; any other is rounded half-to-even, once and from the exact
//! value, to 28 significant digits or to 28 decimal places, whichever keeps fewer digits; a
//! rounded result beyond ±79228162514264337593543950335 is an [`Overflow`]. Quotients rounded to
//! fewer places (R, growth rates, rounded-value comparison) are also rounded once, from the exact
//! value. Comparisons are exact. Nothing here goes through floating point.

use std::cmp::Ordering;

use rust_decimal::{Decimal, RoundingStrategy};

/// Orders two decimals exactly. Equal scales (whole numbers above all: every count a record
/// holds) compare their mantissas, a few instructions; other pairs go through `Decimal`'s own
/// ordering, which rescales. `-0` equals `0` either way.
#[inline]
pub(crate) fn order(a: Decimal, b: Decimal) -> Ordering {
    if a.scale() == b.scale() {
        a.mantissa().cmp(&b.mantissa())
    } else {
        a.cmp(&b)
    }
}

/// The arithmetic went beyond what 96-bit decimals hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// The significant digits an inexact result keeps.
pub const DIGITS: u32 = 28;
/// The most decimal places a decimal has.
const MAX_PLACES: u32 = 28;
/// Mantissas are below 2^96.
const MANTISSA_LIMIT: u128 = 1 << 96;

/// A 256-bit unsigned integer: enough for any exact sum or product of two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct U256 {
    hi: u128,
    lo: u128,
}

impl U256 {
    const fn new(x: u128) -> U256 {
        U256 { hi: 0, lo: x }
    }

    fn is_zero(self) -> bool {
        self.hi == 0 && self.lo == 0
    }

    /// `x × y`, exactly.
    fn product(x: u128, y: u128) -> U256 {
        const LOW: u128 = u64::MAX as u128;
        let (x1, x0, y1, y0) = (x >> 64, x & LOW, y >> 64, y & LOW);
        let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
        let mid = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
        U256 {
            hi: p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64),
            lo: (p00 & LOW) | ((mid & LOW) << 64),
        }
    }

    fn mul_small(self, m: u64) -> Option<U256> {
        let low = U256::product(self.lo, u128::from(m));
        let hi = self.hi.checked_mul(u128::from(m))?.checked_add(low.hi)?;
        Some(U256 { hi, lo: low.lo })
    }

    fn add(self, o: U256) -> Option<U256> {
        let (lo, carry) = self.lo.overflowing_add(o.lo);
        let hi = self.hi.checked_add(o.hi)?.checked_add(u128::from(carry))?;
        Some(U256 { hi, lo })
    }

    /// `self - o`, for `self >= o`.
    fn sub(self, o: U256) -> U256 {
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        let hi = self.hi.wrapping_sub(o.hi).wrapping_sub(u128::from(borrow));
        U256 { hi, lo }
    }

    /// Quotient and remainder by a small non-zero divisor.
    fn div_small(self, m: u64) -> (U256, u64) {
        const LOW: u128 = u64::MAX as u128;
        let m = u128::from(m.max(1));
        let mut rem = 0u128;
        let mut limbs = [self.hi >> 64, self.hi & LOW, self.lo >> 64, self.lo & LOW];
        for limb in &mut limbs {
            let cur = (rem << 64) | *limb;
            *limb = cur / m;
            rem = cur % m;
        }
        let [a, b, c, d] = limbs;
        let q = U256 {
            hi: (a << 64) | b,
            lo: (c << 64) | d,
        };
        (q, u64::try_from(rem).unwrap_or(0))
    }

    /// How many decimal digits (0 for zero).
    fn digits(self) -> u32 {
        if self.hi == 0 {
            return if self.lo == 0 {
                0
            } else {
                self.lo.ilog10() + 1
            };
        }
        let (mut x, mut n) = (self, 0);
        while !x.is_zero() {
            x = x.div_small(10).0;
            n += 1;
        }
        n
    }

    fn small(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }
}

/// An exact value `±(digits + f) × 10^exp`, where `0 <= f < 1` and `sticky` says `f > 0` (a
/// quotient that does not end, cut after enough digits to round it correctly).
#[derive(Debug, Clone, Copy)]
struct Exact {
    negative: bool,
    digits: U256,
    exp: i32,
    sticky: bool,
}

impl Exact {
    fn of(d: Decimal) -> Exact {
        Exact {
            negative: d.is_sign_negative() && !d.is_zero(),
            digits: U256::new(d.mantissa().unsigned_abs()),
            exp: -scale_of(d),
            sticky: false,
        }
    }

    fn times_ten_to(self, k: i32) -> Option<U256> {
        let mut d = self.digits;
        for _ in 0..k {
            d = d.mul_small(10)?;
        }
        Some(d)
    }
}

fn scale_of(d: Decimal) -> i32 {
    i32::try_from(d.scale()).unwrap_or(0)
}

fn sum(a: Decimal, b: Decimal) -> Option<Exact> {
    let (x, y) = (Exact::of(a), Exact::of(b));
    let exp = x.exp.min(y.exp);
    // At most 28 places apart: below 2^96 × 10^28 < 2^190.
    let (xd, yd) = (x.times_ten_to(x.exp - exp)?, y.times_ten_to(y.exp - exp)?);
    let (negative, digits) = if x.negative == y.negative {
        (x.negative, xd.add(yd)?)
    } else if xd >= yd {
        (x.negative, xd.sub(yd))
    } else {
        (y.negative, yd.sub(xd))
    };
    Some(Exact {
        negative: negative && !digits.is_zero(),
        digits,
        exp,
        sticky: false,
    })
}

fn product(a: Decimal, b: Decimal) -> Exact {
    let digits = U256::product(a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
    Exact {
        negative: a.is_sign_negative() != b.is_sign_negative() && !digits.is_zero(),
        digits,
        exp: -scale_of(a) - scale_of(b),
        sticky: false,
    }
}

/// `n × 10^n_exp ÷ (m × 10^m_exp)` (`n < 2^103`, `0 < m < 2^96`): the integer part, then
/// further digits until there are at least 30 significant digits or 30 decimal places, with a
/// sticky remainder: enough to round once to 28 digits or to at most 28 places.
fn quotient(negative: bool, n: u128, n_exp: i32, m: u128, m_exp: i32) -> Option<Exact> {
    const ENOUGH: u128 = 10u128.pow(29);
    if m == 0 {
        return None;
    }
    // Nine digits a step: r < m < 2^96, so r × 10^9 < 2^126; q < 10^29, so q × 10^9 < 10^38.
    const STEP: u128 = 1_000_000_000;
    let base = n_exp - m_exp;
    let (mut q, mut r, mut places) = (n / m, n % m, 0i32);
    while r != 0 && q < ENOUGH && places - base < 30 {
        r *= STEP;
        q = q * STEP + r / m;
        r %= m;
        places += 9;
    }
    Some(Exact {
        negative: negative && (q != 0 || r != 0),
        digits: U256::new(q),
        exp: base - places,
        sticky: r != 0,
    })
}

fn exact_quotient(a: Decimal, b: Decimal, times: u128) -> Result<Exact, Overflow> {
    quotient(
        a.is_sign_negative() != b.is_sign_negative(),
        a.mantissa().unsigned_abs() * times,
        -scale_of(a),
        b.mantissa().unsigned_abs(),
        -scale_of(b),
    )
    .ok_or(Overflow)
}

fn make(negative: bool, digits: U256, exp: i32) -> Result<Decimal, Overflow> {
    let m = digits
        .small()
        .filter(|&m| m < MANTISSA_LIMIT)
        .and_then(|m| i128::try_from(m).ok())
        .ok_or(Overflow)?;
    let scale = u32::try_from(-exp).map_err(|_| Overflow)?;
    Decimal::try_from_i128_with_scale(if negative { -m } else { m }, scale).map_err(|_| Overflow)
}

/// The decimal for an exact value under the contract with at most `places` (≤ 28) decimal
/// places, and whether it is the exact value.
fn settle(x: Exact, places: u32) -> Result<(Decimal, bool), Overflow> {
    let places = i32::try_from(places.min(MAX_PLACES)).unwrap_or(0);
    let (mut d, mut exp) = (x.digits, x.exp);
    if !x.sticky {
        while exp > 0 {
            d = d.mul_small(10).ok_or(Overflow)?;
            exp -= 1;
        }
        if d.is_zero() {
            return Ok((make(false, d, exp.max(-places))?, true));
        }
        // Drop trailing zeros only as far as needed to fit.
        while (d >= U256::new(MANTISSA_LIMIT) || -exp > places) && exp < 0 {
            let (q, r) = d.div_small(10);
            if r != 0 {
                break;
            }
            (d, exp) = (q, exp + 1);
        }
        if d < U256::new(MANTISSA_LIMIT) && -exp <= places {
            return Ok((make(x.negative, d, exp)?, true));
        }
    }
    let digits = i32::try_from(d.digits()).unwrap_or(0);
    let adjusted = if digits == 0 {
        exp - 1
    } else {
        digits - 1 + exp
    };
    let quantum = (adjusted + 1 - DIGITS as i32).max(-places);
    let (mut last, mut sticky) = (0u64, x.sticky);
    let drop = u32::try_from(quantum - exp).unwrap_or(0);
    match (d.small(), 10u128.checked_pow(drop)) {
        // Below 2^128 (nearly always): one division.
        (Some(small), Some(cut)) if drop > 0 => {
            let (below, unit) = (small % cut, cut / 10);
            sticky |= below % unit != 0;
            last = u64::try_from(below / unit).unwrap_or(0);
            (d, exp) = (U256::new(small / cut), quantum);
        }
        _ => {
            while exp < quantum {
                let (q, r) = d.div_small(10);
                sticky |= last != 0;
                (d, last, exp) = (q, r, exp + 1);
            }
        }
    }
    let exact = last == 0 && !sticky;
    if last > 5 || last == 5 && (sticky || d.lo & 1 == 1) {
        d = d.add(U256::new(1)).ok_or(Overflow)?;
    }
    // A rounded result carries no trailing zeros (a carry can leave some).
    while exp < 0 && !d.is_zero() {
        let (q, r) = d.div_small(10);
        if r != 0 {
            break;
        }
        (d, exp) = (q, exp + 1);
    }
    while exp > 0 {
        d = d.mul_small(10).ok_or(Overflow)?;
        exp -= 1;
    }
    Ok((make(x.negative && !d.is_zero(), d, exp)?, exact))
}

/// Keeps the scale at `dp` places where the value has fewer (as [`round_half_even`] does).
fn at_places((mut d, exact): (Decimal, bool), dp: u32) -> (Decimal, bool) {
    if d.scale() < dp {
        d.rescale(dp);
    }
    (d, exact)
}

fn pow10(k: u32) -> Option<i128> {
    10i128.checked_pow(k)
}

/// `a + b` under the contract, and whether it is exact.
pub(crate) fn add(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    // rust_decimal's own sum is exact whenever it needs no rounding, which is so when the
    // aligned mantissas' sum fits 96 bits (checked below, cheaply for equal scales).
    if a.scale() == b.scale() && (a.mantissa() + b.mantissa()).unsigned_abs() < MANTISSA_LIMIT {
        return a.checked_add(b).map(|d| (d, true)).ok_or(Overflow);
    }
    let s = a.scale().max(b.scale());
    let fast = pow10(s - a.scale())
        .and_then(|p| a.mantissa().checked_mul(p))
        .zip(pow10(s - b.scale()).and_then(|p| b.mantissa().checked_mul(p)))
        .and_then(|(x, y)| x.checked_add(y))
        .filter(|m| m.unsigned_abs() < MANTISSA_LIMIT)
        .and_then(|m| Decimal::try_from_i128_with_scale(m, s).ok());
    match fast {
        Some(d) => Ok((d, true)),
        None => settle(sum(a, b).ok_or(Overflow)?, MAX_PLACES),
    }
}

/// `a - b` under the contract, and whether it is exact.
pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    add(a, -b)
}

/// `a × b` under the contract, and whether it is exact.
pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    let s = a.scale() + b.scale();
    let fast = a
        .mantissa()
        .checked_mul(b.mantissa())
        .filter(|m| m.unsigned_abs() < MANTISSA_LIMIT && s <= MAX_PLACES)
        .and_then(|m| Decimal::try_from_i128_with_scale(m, s).ok());
    match fast {
        Some(d) => Ok((d, true)),
        None => settle(product(a, b), MAX_PLACES),
    }
}

/// The growth factor of yearly rates in percent, chained: ∏(1 + r ÷ 100), each step under the
/// contract, and whether all of them were exact.
pub(crate) fn chain_percent_rates(rates: &[Decimal]) -> Result<(Decimal, bool), Overflow> {
    let mut factor = Decimal::ONE;
    let mut exact = true;
    for r in rates {
        let (f, e1) = div(*r, Decimal::ONE_HUNDRED)?;
        let (f, e2) = add(Decimal::ONE, f)?;
        let (p, e3) = mul(factor, f)?;
        factor = p;
        exact &= e1 && e2 && e3;
    }
    Ok((factor, exact))
}

/// `a / b` under the contract, and whether it is exact. Dividing by zero is an [`Overflow`].
pub(crate) fn div(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    settle(exact_quotient(a, b, 1)?, MAX_PLACES)
}

/// `a / b` rounded half-to-even once to `dp` places (to fewer where the contract's 28
/// significant digits are fewer), shown with `dp` places, and whether it is exact.
pub(crate) fn div_dp(a: Decimal, b: Decimal, dp: u32) -> Result<(Decimal, bool), Overflow> {
    Ok(at_places(settle(exact_quotient(a, b, 1)?, dp)?, dp))
}

/// `a / b × 100` under the contract (rounded once, from the exact value), and whether it is
/// exact.
pub(crate) fn percent(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    settle(exact_quotient(a, b, 100)?, MAX_PLACES)
}

/// Rounds half-to-even (GB/T 8170-2008 修约规则) to `dp` decimal places, keeping the scale
/// (so 2.5 at 1 place prints as `2.5`, 100 at 1 place as `100.0`).
///
/// ```
/// use rust_decimal::Decimal;
/// use plan_rules::arith::round_half_even;
/// assert_eq!(round_half_even(Decimal::new(9995, 2), 1).to_string(), "100.0");
/// assert_eq!(round_half_even(Decimal::new(9985, 2), 1).to_string(), "99.8");
/// assert_eq!(round_half_even(Decimal::new(25, 1), 0).to_string(), "2");
/// ```
pub fn round_half_even(d: Decimal, dp: u32) -> Decimal {
    let mut r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    r.rescale(dp);
    r
}

/// Rounds the exact quotient `a / b × 100` half-to-even to `dp` places, once.
pub(crate) fn round_percent(a: Decimal, b: Decimal, dp: u32) -> Result<Decimal, Overflow> {
    Ok(at_places(settle(exact_quotient(a, b, 100)?, dp)?, dp).0)
}

/// Orders two exact values without sticky digits.
fn compare(x: Exact, y: Exact) -> Ordering {
    if x.negative != y.negative {
        return if x.negative {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let magnitude = match (x.digits.is_zero(), y.digits.is_zero()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => {
            let adjusted = |e: Exact| i64::from(e.digits.digits()) + i64::from(e.exp);
            adjusted(x).cmp(&adjusted(y)).then_with(|| {
                // Same magnitude: scaling the one with the larger exponent gives it the other's
                // number of digits, which fits.
                let (xd, yd) = if x.exp >= y.exp {
                    (x.times_ten_to(x.exp - y.exp), Some(y.digits))
                } else {
                    (Some(x.digits), y.times_ten_to(y.exp - x.exp))
                };
                xd.cmp(&yd)
            })
        }
    };
    if x.negative {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// Exactly how `a × b` compares with `c × d`.
pub(crate) fn compare_products(a: Decimal, b: Decimal, c: Decimal, d: Decimal) -> Ordering {
    // Most products (counts, percentages with a few places) fit 128 bits once aligned.
    let (s1, s2) = (a.scale() + b.scale(), c.scale() + d.scale());
    let s = s1.max(s2);
    let fast = a
        .mantissa()
        .checked_mul(b.mantissa())
        .and_then(|x| x.checked_mul(pow10(s - s1)?))
        .zip(
            c.mantissa()
                .checked_mul(d.mantissa())
                .and_then(|y| y.checked_mul(pow10(s - s2)?)),
        );
    match fast {
        Some((x, y)) => x.cmp(&y),
        None => compare(product(a, b), product(c, d)),
    }
}

/// Exactly whether `a / b × 100 >= limit` (b > 0), by cross-multiplication.
pub(crate) fn percent_at_least(a: Decimal, b: Decimal, limit: Decimal) -> Result<bool, Overflow> {
    Ok(compare_products(a, Decimal::ONE_HUNDRED, limit, b).is_ge())
}

/// The principal n-th root of a non-negative decimal by Newton's method, to the 28 significant
/// digits decimals hold; then rounded half-to-even to `dp` places.
///
/// ```
/// use rust_decimal::Decimal;
/// use plan_rules::arith::nth_root;
/// assert_eq!(nth_root(Decimal::from(8), 3, 16).unwrap().to_string(), "2.0000000000000000");
/// assert_eq!(nth_root(Decimal::from(2), 2, 10).unwrap().to_string(), "1.4142135624");
/// ```
pub fn nth_root(x: Decimal, n: u32, dp: u32) -> Option<Decimal> {
    if x.is_sign_negative() && !x.is_zero() || n == 0 {
        return None;
    }
    if x.is_zero() {
        return Some(round_half_even(Decimal::ZERO, dp));
    }
    if n == 1 {
        return Some(round_half_even(x, dp));
    }
    let n_dec = Decimal::from(n);
    let n_minus_1 = Decimal::from(n - 1);
    // Start above the root so Newton descends monotonically: 1 for x <= 1, otherwise
    // 10^ceil(k / n) where x has k integer digits.
    let mut y = if x > Decimal::ONE {
        let k = x.trunc().to_string().len() as u32;
        Decimal::from_i128_with_scale(10_i128.checked_pow(k.div_ceil(n))?, 0)
    } else {
        Decimal::ONE
    };
    for _ in 0..400 {
        let mut pow = Decimal::ONE;
        for _ in 0..n - 1 {
            pow = pow.checked_mul(y)?;
        }
        let next = n_minus_1
            .checked_mul(y)?
            .checked_add(x.checked_div(pow)?)?
            .checked_div(n_dec)?;
        if next >= y {
            break;
        }
        y = next;
    }
    Some(round_half_even(y, dp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn order_agrees_with_decimal_ordering() {
        let values = [
            "0",
            "-0",
            "0.0",
            "-0.00",
            "1",
            "-1",
            "1.0",
            "0.999",
            "100",
            "100.00",
            "99.995",
            "-7.5",
            "7.5",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
        ];
        for a in values {
            for b in values {
                assert_eq!(order(d(a), d(b)), d(a).cmp(&d(b)), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn quotient_exactness() {
        assert!(!div(d("10188"), d("10260")).unwrap().1);
        assert!(!div(d("1"), d("3")).unwrap().1);
        assert_eq!(div(d("1"), d("8")).unwrap(), (d("0.125"), true));
        // Found by the Python differential test: the rounded quotient ends in zeros and
        // multiplies back to exactly -9.02, yet -9.02 / 9.03 does not terminate.
        let (q, exact) = div(d("-9.02"), d("9.03")).unwrap();
        assert_eq!(q.to_string(), "-0.998892580287929125138427464");
        assert!(!exact);
        assert!(!div(d("-99999.98"), d("949587.20")).unwrap().1);
        assert_eq!(div(d("-3"), d("-0.25")).unwrap(), (d("12"), true));
        assert_eq!(div(d("7.5"), d("-2")).unwrap(), (d("-3.75"), true));
        assert_eq!(div(d("0"), d("3")).unwrap(), (d("0"), true));
        assert!(!div(d("1e-20"), d("1024")).unwrap().1);
        assert_eq!(
            div(d("123456"), d("0.001")).unwrap(),
            (d("123456000"), true)
        );
        assert_eq!(percent(d("9506"), d("9800")).unwrap(), (d("97"), true));
        assert!(!percent(d("2"), d("3")).unwrap().1);
    }

    /// The displayed form (`fmt_decimal`) of a result, and whether it is exact.
    fn shown(r: Result<(Decimal, bool), Overflow>) -> (String, bool) {
        let (v, exact) = r.unwrap();
        (crate::number::fmt_decimal(v), exact)
    }

    fn inexact(s: &str) -> (String, bool) {
        (s.to_string(), false)
    }

    fn exact(s: &str) -> (String, bool) {
        (s.to_string(), true)
    }

    // Expected strings are Python's: the exact fraction rounded half-even at
    // max(adjusted exponent - 27, -28) (py/tests/test_decimal_differential.py, `contract`).

    #[test]
    fn percentages_keep_28_significant_digits() {
        // rust_decimal's quotient 100/3 had 29 digits.
        let p = percent(d("1"), d("3"));
        assert_eq!(shown(p), inexact("33.33333333333333333333333333"));
        assert_eq!(
            shown(percent(d("2"), d("3"))),
            inexact("66.66666666666666666666666667")
        );
        // Below 0.1 the 28-place limit leaves fewer digits (25 and 19 here).
        assert_eq!(
            shown(percent(d("1"), d("812345"))),
            inexact("0.0001231004068468446288214983")
        );
        assert_eq!(
            shown(percent(d("1"), d("999999937"))),
            inexact("0.0000001000000063000003969")
        );
        assert_eq!(shown(percent(d("9506"), d("9800"))), exact("97"));
        // a × 100 beyond a decimal's range: still the exact value, or an overflow.
        assert_eq!(
            shown(percent(d("79228162514264337593543950335"), d("700"))),
            exact("11318308930609191084791992905")
        );
        assert!(percent(d("79228162514264337593543950335"), d("3")).is_err());
    }

    #[test]
    fn quotients_keep_28_significant_digits() {
        assert_eq!(
            shown(div(d("2"), d("3"))),
            inexact("0.6666666666666666666666666667")
        );
        assert_eq!(
            shown(div(d("20000000000000000000000000000"), d("3"))),
            inexact("6666666666666666666666666667")
        );
        // A 29-digit quotient that does not end is rounded to 28 digits ...
        assert_eq!(
            shown(div(d("79228162514264337593543950334"), d("3"))),
            inexact("26409387504754779197847983440")
        );
        // ... one that ends is kept exact.
        assert_eq!(
            shown(div(d("79228162514264337593543950335"), d("3"))),
            exact("26409387504754779197847983445")
        );
        assert_eq!(
            shown(div(d("79228162514264337593543950335"), d("7"))),
            exact("11318308930609191084791992905")
        );
        assert_eq!(
            shown(div(d("12345678901234567890123456789"), d("2"))),
            exact("6172839450617283945061728394.5")
        );
        // Tiny quotients: 28 decimal places, then nothing.
        assert_eq!(
            shown(div(d("1"), d("700000000000000000000"))),
            inexact("0.0000000000000000000014285714")
        );
        assert_eq!(
            shown(div(d("1"), d("812345"))),
            inexact("0.000001231004068468446288215")
        );
        assert_eq!(
            shown(div(d("1"), d("7000000000000000000000000000"))),
            inexact("0.0000000000000000000000000001")
        );
        assert_eq!(
            shown(div(d("1"), d("30000000000000000000000000000"))),
            inexact("0")
        );
        assert_eq!(
            shown(div(d("-1"), d("3"))),
            inexact("-0.3333333333333333333333333333")
        );
        assert!(div(d("1"), d("0")).is_err());
        assert!(div(d("79228162514264337593543950335"), d("0.5")).is_err());
    }

    #[test]
    fn sums_are_exact_within_range_and_rounded_past_it() {
        assert_eq!(
            shown(add(d("9999999999999999999999999999"), d("2"))),
            exact("10000000000000000000000000001")
        );
        assert_eq!(
            shown(add(d("1"), d("0.0000000000000000000000000001"))),
            exact("1.0000000000000000000000000001")
        );
        // More digits than a decimal holds: rounded to 28, and said so.
        assert_eq!(
            shown(add(d("10"), d("0.0000000000000000000000000001"))),
            inexact("10")
        );
        assert_eq!(
            shown(add(d("7922816251426433759354395033.5"), d("0.4"))),
            inexact("7922816251426433759354395034")
        );
        assert_eq!(
            shown(sub(d("1000000"), d("0.000000000000000000000001"))),
            inexact("1000000")
        );
        assert_eq!(
            shown(sub(d("1.0000000000000000000000000000"), d("1"))),
            exact("0")
        );
        // Near the end of the range: beyond it (or rounded beyond it) is an overflow.
        assert!(add(d("79228162514264337593543950335"), d("1")).is_err());
        assert!(add(d("79228162514264337593543950335"), d("0.4")).is_err());
        assert!(sub(d("-79228162514264337593543950335"), d("0.4")).is_err());
        assert_eq!(
            shown(add(d("79228162514264337593543950334"), d("1"))),
            exact("79228162514264337593543950335")
        );
    }

    #[test]
    fn products_are_exact_within_range_and_rounded_past_it() {
        let third = d("0.1111111111111111111111111111");
        assert_eq!(
            shown(mul(third, third)),
            inexact("0.012345679012345679012345679")
        );
        assert_eq!(
            shown(mul(d("1.5"), d("0.0000000000000000000000000003"))),
            inexact("0.0000000000000000000000000004")
        );
        assert_eq!(shown(mul(d("2.5"), d("-4"))), exact("-10"));
        assert!(mul(d("11111111111111"), d("11111111111111111")).is_err());
    }

    #[test]
    fn fixed_places_are_rounded_once() {
        // 1/8 = 0.125 exactly: a midpoint at 2 places, so even.
        assert_eq!(div_dp(d("1"), d("8"), 2).unwrap(), (d("0.12"), false));
        assert_eq!(div_dp(d("3"), d("2"), 6).unwrap().0.to_string(), "1.500000");
        // 0.9499975 - 1/(3e28) is just below a 6-place midpoint; rounded to 28 digits first it
        // would be the midpoint, and half-even would then give 0.949998.
        let (r, exact) = div_dp(
            d("28499924999999999999999999999"),
            d("30000000000000000000000000000"),
            6,
        )
        .unwrap();
        assert_eq!((r.to_string(), exact), ("0.949997".to_string(), false));
        // The same quotient as a percentage at 4 places.
        assert_eq!(
            round_percent(
                d("28499924999999999999999999999"),
                d("30000000000000000000000000000"),
                4
            )
            .unwrap()
            .to_string(),
            "94.9997"
        );
        assert_eq!(
            round_percent(d("1999"), d("2000"), 1).unwrap().to_string(),
            "100.0"
        );
    }

    #[test]
    fn products_compare_exactly() {
        // (1 - 1e-28)² = 0.9999999999999999999999999998|0000...0001 rounds to 28 places as
        // 0.9999999999999999999999999998; exactly it is more.
        let a = d("0.9999999999999999999999999999");
        let b = d("0.9999999999999999999999999998");
        assert_eq!(compare_products(a, a, b, d("1")), Ordering::Greater);
        assert_eq!(
            compare_products(d("2"), d("3"), d("6"), d("1")),
            Ordering::Equal
        );
        assert_eq!(
            compare_products(d("-2"), d("3"), d("6"), d("-1")),
            Ordering::Equal
        );
        assert_eq!(
            compare_products(d("-2"), d("3"), d("0"), d("1")),
            Ordering::Less
        );
        assert_eq!(
            compare_products(d("0.5"), d("4"), d("0.0002"), d("10000")),
            Ordering::Equal
        );
        assert!(
            !percent_at_least(
                d("33.333333333333333333333333333"),
                d("100"),
                d("33.333333333333333333333333334")
            )
            .unwrap()
        );
        // Beyond 128 bits (the wide path), both signs.
        let big = d("79228162514264337593543950335");
        let less = d("79228162514264337593543950334");
        assert_eq!(compare_products(big, big, big, less), Ordering::Greater);
        assert_eq!(compare_products(-big, big, big, -less), Ordering::Less);
        assert_eq!(compare_products(-big, big, -big, big), Ordering::Equal);
        let tiny = d("0.0000000000000000000000000001");
        let scaled = d("7.9228162514264337593543950335");
        assert_eq!(compare_products(big, tiny, scaled, big), Ordering::Less);
        assert_eq!(compare_products(big, tiny, scaled, d("1")), Ordering::Equal);
    }

    #[test]
    fn half_even_rounding() {
        assert_eq!(round_half_even(d("0.125"), 2), d("0.12"));
        assert_eq!(round_half_even(d("0.135"), 2), d("0.14"));
        assert_eq!(round_half_even(d("-0.125"), 2), d("-0.12"));
        assert_eq!(round_half_even(d("99.95"), 1).to_string(), "100.0");
    }

    #[test]
    fn percent_rounding_is_exact_at_midpoints() {
        // 1999/2000 = 99.95% exactly: half-even at 1 place gives 100.0.
        assert_eq!(
            round_percent(d("1999"), d("2000"), 1).unwrap().to_string(),
            "100.0"
        );
        // 1/3 = 33.333...% -> 33.33
        assert_eq!(
            round_percent(d("1"), d("3"), 2).unwrap().to_string(),
            "33.33"
        );
        // 2/3 = 66.666...% -> 66.67
        assert_eq!(
            round_percent(d("2"), d("3"), 2).unwrap().to_string(),
            "66.67"
        );
    }

    #[test]
    fn cross_multiplication() {
        assert!(!percent_at_least(d("1999"), d("2000"), d("100")).unwrap());
        assert!(percent_at_least(d("2000"), d("2000"), d("100")).unwrap());
        assert!(percent_at_least(d("1"), d("3"), d("33.33")).unwrap());
        assert!(!percent_at_least(d("1"), d("3"), d("33.34")).unwrap());
    }

    #[test]
    fn roots() {
        assert_eq!(nth_root(d("1.21"), 2, 12).unwrap(), d("1.100000000000"));
        assert_eq!(nth_root(d("0.25"), 2, 12).unwrap(), d("0.500000000000"));
        assert_eq!(nth_root(d("1"), 5, 6).unwrap(), d("1.000000"));
        assert_eq!(nth_root(d("0"), 3, 4).unwrap(), d("0.0000"));
        assert!(nth_root(d("-1"), 3, 4).is_none());
        let r = nth_root(d("1.5"), 5, 20).unwrap();
        // 1.5^(1/5) = 1.08447177119769...
        assert_eq!(round_half_even(r, 12), d("1.084471771198"));
    }
}
