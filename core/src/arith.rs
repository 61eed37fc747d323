//! Exact decimal arithmetic: checked operations, quotients, half-to-even rounding and n-th
//! roots. Nothing here goes through floating point.

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

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow)
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// A quotient and whether it is exact (otherwise rounded to 28 significant digits).
pub(crate) fn div(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    let q = a.checked_div(b).ok_or(Overflow)?;
    // Exact = fewer digits than a rounded quotient uses, and the true quotient is that value.
    // (Multiplying back cannot tell: it rounds too, and a rounded quotient whose last digits
    // are zeros, such as -9.02 / 9.03 = -0.998892580287929125138427464|00885..., multiplies
    // back to exactly -9.02.)
    let exact = significant_digits(q) < 28 && is_quotient(a, b, q);
    Ok((q, exact))
}

fn gcd(mut x: u128, mut y: u128) -> u128 {
    while y != 0 {
        (x, y) = (y, x % y);
    }
    x
}

/// Whether `q` is exactly `a / b`, decided on the mantissas without rounding: `a / b` in
/// lowest terms must have a denominator of 2s and 5s only (so it terminates), and its digits
/// and scale must be `q`'s.
fn is_quotient(a: Decimal, b: Decimal, q: Decimal) -> bool {
    if b.is_zero() {
        return false;
    }
    if a.is_zero() || q.is_zero() {
        return a.is_zero() && q.is_zero();
    }
    if (a.is_sign_negative() != b.is_sign_negative()) != q.is_sign_negative() {
        return false;
    }
    let (mut n, mut d) = (a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
    let g = gcd(n, d);
    n /= g;
    d /= g;
    let (mut twos, mut fives) = (0u32, 0u32);
    while d.is_multiple_of(2) {
        d /= 2;
        twos += 1;
    }
    while d.is_multiple_of(5) {
        d /= 5;
        fives += 1;
    }
    if d != 1 {
        return false; // it does not terminate
    }
    // n / (2^twos × 5^fives) = n × 2^(k - twos) × 5^(k - fives) / 10^k
    let k = twos.max(fives);
    let Some(m) = 2u128
        .checked_pow(k - twos)
        .and_then(|p| n.checked_mul(p))
        .and_then(|x| 5u128.checked_pow(k - fives).and_then(|p| x.checked_mul(p)))
    else {
        return false; // more than 38 digits: q, which has fewer than 28, cannot be it
    };
    // The true quotient is m × 10^-scale; q is mq × 10^-sq. Compare at the larger scale.
    let scale = i64::from(k) + i64::from(a.scale()) - i64::from(b.scale());
    let (mq, sq) = (q.mantissa().unsigned_abs(), i64::from(q.scale()));
    let shift = |x: u128, by: i64| {
        u32::try_from(by)
            .ok()
            .and_then(|by| 10u128.checked_pow(by))
            .and_then(|p| x.checked_mul(p))
    };
    if scale >= sq {
        shift(mq, scale - sq) == Some(m)
    } else {
        shift(m, sq - scale) == Some(mq)
    }
}

/// How many significant digits a decimal's mantissa has (0 for zero).
pub(crate) fn significant_digits(d: Decimal) -> u32 {
    let m = d.mantissa().unsigned_abs();
    if m == 0 { 0 } else { m.ilog10() + 1 }
}

/// `a / b × 100` and whether it is exact.
pub(crate) fn percent(a: Decimal, b: Decimal) -> Result<(Decimal, bool), Overflow> {
    // Multiply first when it fits, so 1/3 × 100 keeps all 28 digits of 100/3.
    match a.checked_mul(Decimal::ONE_HUNDRED) {
        Some(scaled) => div(scaled, b),
        None => {
            let (q, exact) = div(a, b)?;
            Ok((mul(q, Decimal::ONE_HUNDRED)?, exact))
        }
    }
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

/// Rounds the exact quotient `a / b × 100` half-to-even to `dp` places. The 28-digit quotient
/// can only mislead at an exact midpoint, which is checked by multiplying back.
pub(crate) fn round_percent(a: Decimal, b: Decimal, dp: u32) -> Result<Decimal, Overflow> {
    let (q, exact) = percent(a, b)?;
    if exact {
        return Ok(round_half_even(q, dp));
    }
    let up = q.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let down = q.round_dp_with_strategy(dp, RoundingStrategy::MidpointTowardZero);
    if up == down {
        let mut r = up;
        r.rescale(dp);
        return Ok(r);
    }
    // q sits on a midpoint only because of rounding: decide by the exact comparison
    // a × 100 against midpoint × b.
    let mid = q.round_dp_with_strategy(dp + 1, RoundingStrategy::ToZero);
    let lhs = mul(a, Decimal::ONE_HUNDRED)?;
    let rhs = mul(mid, b)?;
    let mut r = if (lhs > rhs) == (b.is_sign_positive()) {
        up.max(down)
    } else {
        up.min(down)
    };
    r.rescale(dp);
    Ok(r)
}

/// Exactly whether `a / b × 100 >= limit` (b > 0), by cross-multiplication.
pub(crate) fn percent_at_least(a: Decimal, b: Decimal, limit: Decimal) -> Result<bool, Overflow> {
    Ok(mul(a, Decimal::ONE_HUNDRED)? >= mul(limit, b)?)
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
