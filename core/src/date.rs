//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian) and years, without a clock.
//!
//! The engine never reads the time itself: the as-of date, deadlines and the plan period are all
//! handed to it. Observations are indexed by calendar year; the value for year `Y` describes the
//! state at `Y-12-31` (see `spec/README.md`, "When an observation counts").

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError};

/// Why a piece of text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid date (expected YYYY-MM-DD)")]
pub struct DateError(pub String);

/// A calendar date between the years 1 and 9999.
///
/// ```
/// use plan_rules::Date;
/// let d: Date = "2020-12-31".parse().unwrap();
/// assert_eq!(d.year(), 2020);
/// assert_eq!(d.succ().to_string(), "2021-01-01");
/// assert!("2019-02-29".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date from its parts, or `None` if there is no such day.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The last day of a year (`Y-12-31`), the day a yearly observation describes.
    pub fn year_end(year: i32) -> Option<Date> {
        Date::new(year, 12, 31)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month (1-12).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The next day (saturating at 9999-12-31).
    pub fn succ(self) -> Date {
        if self.day < days_in_month(self.year, self.month) {
            Date {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Date {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else if self.year < 9999 {
            Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            self
        }
    }

    /// The previous day (saturating at 0001-01-01).
    pub fn pred(self) -> Date {
        if self.day > 1 {
            Date {
                day: self.day - 1,
                ..self
            }
        } else if self.month > 1 {
            let month = self.month - 1;
            Date {
                month,
                day: days_in_month(self.year, month),
                ..self
            }
        } else if self.year > 1 {
            Date {
                year: self.year - 1,
                month: 12,
                day: 31,
            }
        } else {
            self
        }
    }

    /// The civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm), used to
    /// stamp audit-log entries from a system clock the caller reads.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError(s.chars().take(40).collect());
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = s.get(r).ok_or_else(err)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let year = i32::try_from(num(0..4)?).map_err(|_| err())?;
        let month = u8::try_from(num(5..7)?).map_err(|_| err())?;
        let day = u8::try_from(num(8..10)?).map_err(|_| err())?;
        Date::new(year, month, day).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromJson for Date {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let text = String::from_json(value, at)?;
        text.parse()
            .map_err(|e: crate::date::DateError| WireError::at(at, e.to_string()))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, YYYY-MM-DD"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        assert_eq!(
            "2016-02-29".parse::<Date>().unwrap().to_string(),
            "2016-02-29"
        );
        for bad in [
            "2015-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-1-1",
            "20201231",
            "",
            "2020-12-32",
            "+020-01-01",
            "0000-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn steps_across_boundaries() {
        let d: Date = "2020-12-31".parse().unwrap();
        assert_eq!(d.succ().to_string(), "2021-01-01");
        assert_eq!(d.succ().pred(), d);
        let d: Date = "2020-03-01".parse().unwrap();
        assert_eq!(d.pred().to_string(), "2020-02-29");
    }

    #[test]
    fn civil_from_unix_days() {
        assert_eq!(Date::from_unix_days(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_days(20_785).unwrap().to_string(),
            "2026-11-28"
        );
        assert_eq!(Date::from_unix_days(-1).unwrap().to_string(), "1969-12-31");
    }
}
