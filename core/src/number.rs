//! Exact decimal numbers as they cross the wire.
//!
//! Every value the engine judges is a [`rust_decimal::Decimal`]. On the wire a number may be a
//! JSON string (`"99.95"`) or a JSON number (`99.95`); either way its digits are read exactly
//! (never through `f64`). More than [`MAX_SIGNIFICANT_DIGITS`] significant digits is an error,
//! never a silent rounding. Numbers are written back as strings in their normalised form.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError};

/// The most significant digits an input number may have (the precision of [`Decimal`]).
pub const MAX_SIGNIFICANT_DIGITS: usize = 28;

/// Why a piece of text is not an acceptable decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// The text is not a decimal number.
    #[error("`{0}` is not a decimal number")]
    Invalid(String),
    /// The number has more significant digits than the engine can hold exactly.
    #[error("`{0}` has more than 28 significant digits")]
    TooPrecise(String),
    /// The number's magnitude is beyond what the engine can hold.
    #[error("`{0}` is out of range")]
    OutOfRange(String),
}

/// Parses decimal text exactly: an optional sign, digits, an optional fraction and an optional
/// exponent (`1e3`, `2.5E-2`). No rounding ever happens; too many digits is an error.
///
/// ```
/// use plan_rules::number::parse_decimal;
/// assert_eq!(parse_decimal("99.950").unwrap().to_string(), "99.950");
/// assert_eq!(parse_decimal("1e3").unwrap().to_string(), "1000");
/// assert!(parse_decimal("0.1234567890123456789012345678901").is_err());
/// assert!(parse_decimal("NaN").is_err());
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    match parse_plain(text) {
        Some(d) => Ok(d),
        None => parse_general(text),
    }
}

/// The common case without allocating: an optional sign, then digits with at most one point
/// and at most 18 digits in all (so the mantissa fits a `u64` and the scale is at most 18).
/// `None` for anything else, which the general path reads. The same value and scale as the
/// general path (`tests::plain_text_reads_as_the_general_path_does`).
fn parse_plain(text: &str) -> Option<Decimal> {
    let (negative, digits) = match text.as_bytes().split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, text.as_bytes()),
    };
    let mut mantissa: u64 = 0;
    let mut count: u32 = 0;
    let mut scale: u32 = 0;
    let mut point = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                count += 1;
                if count > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(c - b'0');
                scale += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    if mantissa == 0 {
        return Some(Decimal::ZERO);
    }
    let m = i128::from(mantissa);
    Decimal::try_from_i128_with_scale(if negative { -m } else { m }, scale).ok()
}

fn parse_general(text: &str) -> Result<Decimal, NumberError> {
    let invalid = || NumberError::Invalid(truncate_for_message(text));
    let s = text.trim();
    if s.is_empty() || s.len() > 400 {
        return Err(invalid());
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(pos) => {
            let (m, e) = s.split_at(pos);
            let e = e.get(1..).ok_or_else(invalid)?;
            let exp: i32 = e.parse().map_err(|_| invalid())?;
            (m, exp)
        }
        None => (s, 0),
    };
    let (negative, unsigned) = match mantissa.as_bytes().first() {
        Some(b'-') => (true, mantissa.get(1..).unwrap_or("")),
        Some(b'+') => (false, mantissa.get(1..).unwrap_or("")),
        _ => (false, mantissa),
    };
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, f),
        None => (unsigned, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(invalid());
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    let mut digits: String = format!("{int_part}{frac_part}");
    // Scale = number of digits after the point, minus the exponent.
    let mut scale: i64 = frac_part.len() as i64 - i64::from(exponent);
    let trimmed = digits.trim_start_matches('0');
    let significant = trimmed.trim_end_matches('0').len();
    if significant > MAX_SIGNIFICANT_DIGITS {
        return Err(NumberError::TooPrecise(truncate_for_message(text)));
    }
    if trimmed.is_empty() {
        return Ok(Decimal::ZERO);
    }
    digits = trimmed.to_string();
    // Drop trailing zeros beyond what the scale can hold, and bring a negative scale to zero.
    while scale > 28 && digits.ends_with('0') {
        digits.pop();
        scale -= 1;
    }
    if scale > 28 {
        return Err(NumberError::TooPrecise(truncate_for_message(text)));
    }
    if scale < 0 {
        let zeros =
            usize::try_from(-scale).map_err(|_| NumberError::OutOfRange(text.to_string()))?;
        if digits.len() + zeros > 29 {
            return Err(NumberError::OutOfRange(truncate_for_message(text)));
        }
        digits.push_str(&"0".repeat(zeros));
        scale = 0;
    }
    let mantissa: i128 = digits
        .parse()
        .map_err(|_| NumberError::OutOfRange(truncate_for_message(text)))?;
    let scale = u32::try_from(scale).map_err(|_| invalid())?;
    let value =
        Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
            .map_err(|_| NumberError::OutOfRange(truncate_for_message(text)))?;
    Ok(value)
}

/// The shortest decimal text that reads back as the same binary float, written out in full
/// (no exponent): the digits Python's `repr` and JavaScript's `String(v)` show, so a float from
/// pandas, polars or a web form is read as its user sees it. Where two shortest texts are
/// equally near (an exact tie), the one with the even last digit, as Python and JavaScript
/// choose; Rust's own `format!("{v}")` rounds such a tie up and otherwise writes the same.
/// Computed with `zmij` (serde_json's float writer, already in every build). An `f32` gets its
/// own shortest text (`0.1f32` is `0.1`). `None` for NaN and the infinities.
///
/// ```
/// use plan_rules::number::shortest_text;
/// assert_eq!(shortest_text(0.1).as_deref(), Some("0.1"));
/// assert_eq!(shortest_text(-2.5e-7).as_deref(), Some("-0.00000025"));
/// assert_eq!(shortest_text(1e21).as_deref(), Some("1000000000000000000000"));
/// assert_eq!(shortest_text(120.0).as_deref(), Some("120"));
/// assert_eq!(shortest_text(-0.0).as_deref(), Some("-0"));
/// assert_eq!(shortest_text(0.1f32).as_deref(), Some("0.1"));
/// assert_eq!(shortest_text(f64::NAN), None);
/// assert_eq!(shortest_text(f32::NEG_INFINITY), None);
/// ```
pub fn shortest_text<F: zmij::Float>(v: F) -> Option<String> {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format(v);
    if matches!(text, "NaN" | "inf" | "-inf") {
        return None;
    }
    // zmij writes `1.25`, `1.0`, `1e21`, `1.5e-7`: its digits and the power of ten they scale by.
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = whole.chars().chain(fraction.chars()).collect();
    // digits × 10^point, with trailing zeros moved into the exponent and leading ones dropped.
    let mut point = exponent - i32::try_from(fraction.len()).ok()?;
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
        point += 1;
    }
    let digits = match digits.trim_start_matches('0') {
        "" => "0",
        d => d,
    };
    let mut out = String::with_capacity(digits.len() + 24);
    if negative {
        out.push('-');
    }
    let len = i32::try_from(digits.len()).ok()?;
    if digits == "0" {
        out.push('0');
    } else if point >= 0 {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', usize::try_from(point).ok()?));
    } else if len + point > 0 {
        let at = usize::try_from(len + point).ok()?;
        out.push_str(digits.get(..at)?);
        out.push('.');
        out.push_str(digits.get(at..)?);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n(
            '0',
            usize::try_from(-(len + point)).ok()?,
        ));
        out.push_str(digits);
    }
    Some(out)
}

/// What [`parse_decimal`] reads from a decimal's own text (`d.to_string()`), without writing
/// and parsing it: `d` itself (same digits, same scale), plain `0` for any zero, or
/// [`NumberError::TooPrecise`] when it has more than [`MAX_SIGNIFICANT_DIGITS`] significant
/// digits (a 96-bit mantissa holds 29).
///
/// ```
/// use rust_decimal::Decimal;
/// use plan_rules::number::{exact_decimal, parse_decimal};
/// let d = Decimal::new(450, 2);
/// assert_eq!(exact_decimal(d).unwrap().to_string(), "4.50");
/// assert_eq!(exact_decimal(d), parse_decimal(&d.to_string()));
/// assert!(exact_decimal(Decimal::MAX).is_err());
/// ```
pub fn exact_decimal(d: Decimal) -> Result<Decimal, NumberError> {
    if d.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let mut m = d.mantissa().unsigned_abs();
    while m.is_multiple_of(10) {
        m /= 10;
    }
    if m.ilog10() + 1 > MAX_SIGNIFICANT_DIGITS as u32 {
        return Err(NumberError::TooPrecise(truncate_for_message(
            &d.to_string(),
        )));
    }
    Ok(d)
}

fn truncate_for_message(text: &str) -> String {
    if text.chars().count() > 40 {
        let head: String = text.chars().take(40).collect();
        format!("{head}…")
    } else {
        text.to_string()
    }
}

/// A decimal read exactly from a JSON string or number and written as a string.
///
/// ```
/// use plan_rules::Num;
/// let n: Num = "99.950".parse().unwrap();
/// assert_eq!(serde_json::to_string(&n).unwrap(), "\"99.95\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Num(pub Decimal);

impl Num {
    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Num {
    fn from(d: Decimal) -> Self {
        Num(d)
    }
}

impl From<Num> for Decimal {
    fn from(n: Num) -> Self {
        n.0
    }
}

impl FromStr for Num {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_decimal(s).map(Num)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", fmt_decimal(self.0))
    }
}

/// Formats a decimal in its normalised form: no trailing fractional zeros, `0` for zero.
///
/// ```
/// use rust_decimal::Decimal;
/// use plan_rules::number::fmt_decimal;
/// assert_eq!(fmt_decimal(Decimal::new(10000, 2)), "100");
/// assert_eq!(fmt_decimal(Decimal::new(-0, 3)), "0");
/// ```
pub fn fmt_decimal(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&fmt_decimal(self.0))
    }
}

impl FromJson for Num {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        match value {
            Json::Number(text) | Json::String(text) => parse_decimal(&text)
                .map(Num)
                .map_err(|e| WireError::at(at, e.to_string())),
            other => Err(WireError::expected(
                at,
                "a decimal number (a JSON number or a string of digits)",
                &other,
            )),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Num {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // Written (reports, canonical rule sets) always as a string; read from either.
        if generator.contract().is_serialize() {
            return schemars::json_schema!({
                "description": "An exact decimal, written as a string such as \"99.95\"",
                "type": "string",
                "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
            });
        }
        schemars::json_schema!({
            "description": "An exact decimal: a JSON number or a string such as \"99.95\" (at most 28 significant digits)",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `shortest_text` writes what `format!("{v}")` writes, character for character, except on
    /// an exact tie between two shortest texts, where it takes the even last digit as Python's
    /// `repr` and JavaScript's `String(v)` do (Rust's `Display` rounds the tie up). Random bit
    /// patterns (every exponent, subnormals), integers around 2^53, decimal fractions, and
    /// powers of ten far in both directions; every text reads back as the same float.
    #[test]
    fn shortest_text_is_the_standard_display_but_ties_go_to_even() {
        // -134310626912275.625 exactly: Python's repr and JS give `.62`, Rust's Display `.63`.
        let tie = f64::from_bits(0xc2de_89e8_4d3a_04e8);
        assert_eq!(shortest_text(tie).as_deref(), Some("-134310626912275.62"));
        assert_eq!(format!("{tie}"), "-134310626912275.63");
        let mut x: u64 = 0xD1B5_4A32_D192_ED03;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut values: Vec<f64> = (0..400_000).map(|_| f64::from_bits(next())).collect();
        values.extend((0..100_000).map(|i| f64::from(i) / 100.0));
        values.extend((0..20_000).map(|i| (i as f64) * 0.1 - 1000.0));
        values.extend((-3000..3000).map(|i| 9_007_199_254_740_992.0 + f64::from(i)));
        values.extend((-330..310).map(|e| 10f64.powi(e)));
        values.extend((-330..310).map(|e| 1.5 * 10f64.powi(e)));
        values.extend([
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            5e-324,
            1e-7,
            1e16,
        ]);
        let (mut checked, mut ties) = (0, 0);
        for v in values.into_iter().filter(|v| v.is_finite()) {
            let ours = shortest_text(v).unwrap_or_default();
            let display = format!("{v}");
            checked += 1;
            assert_eq!(
                ours.parse::<f64>().map(f64::to_bits),
                Ok(v.to_bits()),
                "{ours}"
            );
            if ours == display {
                continue;
            }
            // A tie: the same length, the same digits but the last, ours even and one below.
            ties += 1;
            let (a, b) = (ours.as_bytes(), display.as_bytes());
            let n = a.len();
            assert_eq!(n, b.len(), "{ours} vs {display}");
            assert_eq!(a.get(..n - 1), b.get(..n - 1), "{ours} vs {display}");
            let (x, y) = (a[n - 1], b[n - 1]);
            assert!(x % 2 == 0 && y == x + 1, "{ours} vs {display}");
        }
        assert!(checked > 500_000);
        assert!(ties < checked / 1000, "{ties} ties in {checked}");
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(shortest_text(v), None);
        }
    }

    /// `exact_decimal(d)` is `parse_decimal(&d.to_string())`, digit for digit and scale for
    /// scale, over mantissas of every length and every scale.
    #[test]
    fn exact_decimal_is_parsing_the_text() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut checked = 0;
        for _ in 0..20_000 {
            let digits = (next() % 30) as u32;
            let m = (i128::from(next()) << 32) | i128::from(next() as u32);
            let m = if digits == 0 {
                0
            } else {
                m % 10_i128.pow(digits)
            };
            let m = if next() % 2 == 0 { -m } else { m };
            let scale = (next() % 29) as u32;
            let Ok(d) = Decimal::try_from_i128_with_scale(m, scale) else {
                continue;
            };
            let parsed = parse_decimal(&d.to_string());
            let exact = exact_decimal(d);
            match (&parsed, &exact) {
                (Ok(p), Ok(e)) => {
                    assert_eq!((p.mantissa(), p.scale()), (e.mantissa(), e.scale()), "{d}");
                }
                (Err(p), Err(e)) => assert_eq!(p, e, "{d}"),
                _ => panic!("{d}: {parsed:?} vs {exact:?}"),
            }
            checked += 1;
        }
        assert!(checked > 10_000);
        for d in [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(-0, 3),
            Decimal::new(1, 28),
        ] {
            assert_eq!(exact_decimal(d), parse_decimal(&d.to_string()), "{d}");
        }
    }

    /// The allocation-free path gives the general path's value and scale on every text it
    /// takes, and leaves every other text to it.
    #[test]
    fn plain_text_reads_as_the_general_path_does() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"0123456789.-+0e 9x";
        let mut taken = 0;
        for _ in 0..200_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize]))
                .collect();
            let general = parse_general(&text);
            match parse_plain(&text) {
                Some(d) => {
                    taken += 1;
                    let g = general.unwrap();
                    assert_eq!(
                        (d.mantissa(), d.scale()),
                        (g.mantissa(), g.scale()),
                        "{text}"
                    );
                }
                None => assert_eq!(parse_decimal(&text), general, "{text}"),
            }
        }
        assert!(taken > 10_000, "{taken}");
        for text in [
            "0",
            "-0",
            "+0.00",
            "2022",
            "-1.50",
            ".5",
            "5.",
            "999999999999999999",
        ] {
            let d = parse_plain(text).unwrap();
            let g = parse_general(text).unwrap();
            assert_eq!(
                (d.mantissa(), d.scale()),
                (g.mantissa(), g.scale()),
                "{text}"
            );
        }
        for text in [
            "",
            ".",
            "-",
            "1.2.3",
            "1e3",
            " 1",
            "1 ",
            "9999999999999999999",
        ] {
            assert!(parse_plain(text).is_none(), "{text}");
        }
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_decimal("0.1").unwrap(), Decimal::new(1, 1));
        assert_eq!(parse_decimal("-12.500").unwrap().to_string(), "-12.500");
        assert_eq!(parse_decimal("2.5E-2").unwrap().to_string(), "0.025");
        assert_eq!(parse_decimal(".5").unwrap().to_string(), "0.5");
        assert_eq!(parse_decimal("5.").unwrap().to_string(), "5");
        assert_eq!(parse_decimal("0e999999").unwrap(), Decimal::ZERO);
        assert_eq!(
            parse_decimal("1234567890123456789012345678")
                .unwrap()
                .to_string(),
            "1234567890123456789012345678"
        );
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            "", "-", ".", "1.2.3", "abc", "1e", "1e+", "--1", "NaN", "inf", "1_000", "0x10",
        ] {
            assert!(
                matches!(parse_decimal(bad), Err(NumberError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_decimal("1.0000000000000000000000000001"),
            Err(NumberError::TooPrecise(_))
        ));
        assert!(matches!(
            parse_decimal("1e40"),
            Err(NumberError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_decimal("1e-40"),
            Err(NumberError::TooPrecise(_))
        ));
    }

    #[test]
    fn json_number_text_is_read_exactly() {
        use crate::wire::read::FromJson;
        use crate::wire::{Json, Path};
        let read = |text: &str| Num::from_json(Json::parse(text).unwrap(), &Path::Root);
        assert_eq!(
            read("0.30000000000000000000000001").unwrap().to_string(),
            "0.30000000000000000000000001"
        );
        assert!(read("[1.10]").is_err());
        assert_eq!(read("1.10").unwrap().0.to_string(), "1.10");
        assert!(read("true").is_err());
        assert_eq!(
            read("12345678901234567890123").unwrap().to_string(),
            "12345678901234567890123"
        );
        assert!(
            read("170141183460469231731687303715884105727").is_err(),
            "39 digits is too many"
        );
        assert!(read("\"1e\"").is_err());
    }
}
