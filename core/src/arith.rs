//! Exact decimal arithmetic: checked operations, quotients, half-to-even rounding and n-th
//! roots. Nothing here goes through floating point.

use rust_decimal::{Decimal, RoundingStrategy};

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
    // Multiplying back rounds too, so it alone cannot tell; a rounded quotient also uses every
    // digit decimals hold. Exact = fewer digits than that, and it multiplies back.
    let exact = significant_digits(q) < 28 && q.checked_mul(b).is_some_and(|back| back == a);
    Ok((q, exact))
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
    fn quotient_exactness() {
        assert!(!div(d("10188"), d("10260")).unwrap().1);
        assert!(!div(d("1"), d("3")).unwrap().1);
        assert_eq!(div(d("1"), d("8")).unwrap(), (d("0.125"), true));
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
