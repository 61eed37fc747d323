//! Reading rules (and a target's comparison) from a parsed JSON value by hand, as serde's
//! derived impls read these internally tagged enums.
//!
//! serde reads an internally tagged enum in two phases, and this module follows both:
//!
//! 1. It walks the object's entries in order, reads the tag (`type`, `method`) and buffers
//!    every other value. A problem here has its own place: a tag that is not a variant name is
//!    reported at the tag, and a whole number beyond 64 bits (which serde cannot buffer) where
//!    it is. serde reads a JSON array too: its first element is the tag.
//! 2. It reads the chosen variant from the buffer, untracked: any problem inside (a missing
//!    field, a wrong type, a bad nested measure, condition or part) is reported at the rule.
//!    Values read from the buffer are typed as serde buffered them, which shows in messages: a
//!    number is ``integer `5` `` or ``floating point `1.5` `` rather than `number`, a number
//!    kept as exact text is a `map`, `null` is a unit, and a nested tag may be a variant index.
//!
//! The tests in `plan_read.rs` compare every answer with the derived impls through
//! `serde_path_to_error`, which read rule sets before.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::de::{Error as _, Expected, Unexpected, Visitor as _};
use serde_json::{Number, Value};

use crate::json_read::{Path, ReadError};
use crate::measure::{AttributeFilter, Measure, OverTime};
use crate::number::{Num, NumVisitor, parse_decimal};
use crate::plan::Comparison;
use crate::rules::{
    AboveBand, AllOfRule, ApproximateCountRule, Condition, CountRule, CoverageRule, DurationRule,
    GrowthComparisonRule, GrowthMode, MilestoneItem, MilestonesRule, Part, RULE_KINDS, RateRule,
    Rule,
};
use crate::text::Text;

type Error = serde_json::Error;
type R<T> = Result<T, Error>;

/// serde_json's key for a number kept as its text (`arbitrary_precision`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

const COMPARISONS: &[&str] = &["full_value", "rounded_value"];
const MEASURES: &[&str] = &["series", "entity_sum"];
const CONDITIONS: &[&str] = &["is_true", "at_least", "ratio_at_least", "state_reached"];

/// A rule at `path`.
pub(crate) fn read_rule(value: Value, path: &Path<'_>) -> Result<Rule, ReadError> {
    let (variant, body) = tag_phase(
        value,
        path,
        "type",
        &RULE_KINDS,
        "internally tagged enum Rule",
    )?;
    rule(variant, body).map_err(|e| ReadError::at(path, e))
}

/// A target's comparison at `path`.
pub(crate) fn read_comparison(value: Value, path: &Path<'_>) -> Result<Comparison, ReadError> {
    let (variant, body) = tag_phase(
        value,
        path,
        "method",
        COMPARISONS,
        "internally tagged enum Comparison",
    )?;
    comparison(variant, body).map_err(|e| ReadError::at(path, e))
}

/// The buffered entries of an internally tagged enum, without the tag: an object's or, for an
/// array, the elements after the first.
enum Body {
    Map(Vec<(String, Value)>),
    Seq(Vec<Value>),
}

/// Phase 1 on the value itself (where `serde_path_to_error` still tracks places): the tag and
/// the entries; a problem at its place, with serde_json's value deserialiser's message.
fn tag_phase(
    value: Value,
    path: &Path<'_>,
    tag: &'static str,
    variants: &'static [&'static str],
    expecting: &'static str,
) -> Result<(usize, Body), ReadError> {
    let identifier = |v: &Value, at: &Path<'_>| match v {
        Value::String(s) => variants
            .iter()
            .position(|x| x == s)
            .ok_or_else(|| ReadError::at(at, Error::unknown_variant(s, variants))),
        other => Err(crate::json_read::invalid_type(
            other,
            "variant identifier",
            at,
        )),
    };
    match value {
        Value::Object(entries) => {
            let mut variant = None;
            let mut rest = Vec::with_capacity(entries.len());
            for (key, mut v) in entries {
                if key == tag {
                    variant = Some(identifier(&v, &path.key(&key))?);
                } else {
                    unbufferable(&v, &path.key(&key))?;
                    buffer(&mut v);
                    rest.push((key, v));
                }
            }
            match variant {
                Some(variant) => Ok((variant, Body::Map(rest))),
                None => Err(ReadError::at(path, Error::missing_field(tag))),
            }
        }
        Value::Array(items) => {
            let mut items = items.into_iter();
            let Some(first) = items.next() else {
                return Err(ReadError::at(path, Error::missing_field(tag)));
            };
            let variant = identifier(&first, &path.index(0))?;
            let mut rest: Vec<Value> = items.collect();
            for (i, v) in rest.iter_mut().enumerate() {
                unbufferable(v, &path.index(i + 1))?;
                buffer(v);
            }
            Ok((variant, Body::Seq(rest)))
        }
        // Anything else is handed to the visitor as serde_json's `deserialize_any` does: a
        // number kept as exact text comes as a map (without the tag).
        Value::Number(n) => {
            let what = if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else if let Some(u) = n.as_u128() {
                let what = format!("integer `{u}` as u128");
                return Err(ReadError::at(
                    path,
                    Error::invalid_type(Unexpected::Other(&what), &expecting),
                ));
            } else if let Some(i) = n.as_i128() {
                let what = format!("integer `{i}` as i128");
                return Err(ReadError::at(
                    path,
                    Error::invalid_type(Unexpected::Other(&what), &expecting),
                ));
            } else {
                match buffered(&n) {
                    Buffered::F64(f) => Unexpected::Float(f),
                    _ => return Err(ReadError::at(path, Error::missing_field(tag))),
                }
            };
            Err(ReadError::at(path, Error::invalid_type(what, &expecting)))
        }
        other => Err(ReadError::at(path, invalid_type(&other, &expecting))),
    }
}

/// A value as serde buffers it, in place: a number kept as exact text becomes the one-entry
/// map serde_json hands over for it (`{"$serde_json::private::Number": "1e2"}`), everywhere
/// inside.
fn buffer(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Buffered::Text(text) = buffered(n) {
                let mut map = serde_json::Map::new();
                map.insert(NUMBER_TOKEN.to_string(), Value::String(text.to_string()));
                *value = Value::Object(map);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(buffer),
        Value::Object(entries) => entries.values_mut().for_each(buffer),
        _ => {}
    }
}

/// The first whole number serde cannot buffer (beyond 64 bits but within 128), where it is.
fn unbufferable(value: &Value, path: &Path<'_>) -> Result<(), ReadError> {
    match value {
        Value::Number(n) if n.as_u64().is_none() && n.as_i64().is_none() => {
            let what = if let Some(u) = n.as_u128() {
                format!("integer `{u}` as u128")
            } else if let Some(i) = n.as_i128() {
                format!("integer `{i}` as i128")
            } else {
                return Ok(());
            };
            Err(ReadError::at(
                path,
                Error::invalid_type(Unexpected::Other(&what), &"any value"),
            ))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| unbufferable(v, &path.index(i))),
        Value::Object(entries) => entries
            .iter()
            .try_for_each(|(k, v)| unbufferable(v, &path.key(k))),
        _ => Ok(()),
    }
}

// --- phase 2: values as serde buffered them -------------------------------------------------

/// A number as serde_json hands it to a buffer: an integer, a float (when its text is the
/// float's own), or exact text (buffered as a one-entry map, see [`buffer`]).
enum Buffered<'a> {
    U64(u64),
    I64(i64),
    F64(f64),
    Text(&'a str),
}

fn buffered(n: &Number) -> Buffered<'_> {
    if let Some(u) = n.as_u64() {
        return Buffered::U64(u);
    }
    if let Some(i) = n.as_i64() {
        return Buffered::I64(i);
    }
    if let Some(f) = n.as_f64()
        && (Number::from_f64(f).is_some_and(|m| m.as_str() == n.as_str())
            || f.to_string() == n.as_str())
    {
        return Buffered::F64(f);
    }
    Buffered::Text(n.as_str())
}

/// How serde names a buffered value in a type error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match buffered(n) {
            Buffered::U64(u) => Unexpected::Unsigned(u),
            Buffered::I64(i) => Unexpected::Signed(i),
            Buffered::F64(f) => Unexpected::Float(f),
            Buffered::Text(_) => Unexpected::Map,
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn invalid_type(value: &Value, expected: &dyn Expected) -> Error {
    Error::invalid_type(unexpected(value), expected)
}

fn string(value: Value) -> R<String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(invalid_type(&other, &"a string")),
    }
}

fn boolean(value: Value) -> R<bool> {
    match value {
        Value::Bool(b) => Ok(b),
        other => Err(invalid_type(&other, &"a boolean")),
    }
}

/// A whole number of type `T` (named `name` in messages): serde's primitive visitors.
fn integer<T: TryFrom<u64> + TryFrom<i64>>(value: Value, name: &'static str) -> R<T> {
    if let Value::Number(n) = &value {
        match buffered(n) {
            Buffered::U64(u) => {
                return T::try_from(u)
                    .map_err(|_| Error::invalid_value(Unexpected::Unsigned(u), &name));
            }
            Buffered::I64(i) => {
                return T::try_from(i)
                    .map_err(|_| Error::invalid_value(Unexpected::Signed(i), &name));
            }
            _ => {}
        }
    }
    Err(invalid_type(&value, &name))
}

/// `Option<i32>`: a unit (`null`) is `None`.
fn optional_i32(value: Value) -> R<Option<i32>> {
    match value {
        Value::Null => Ok(None),
        other => integer(other, "i32").map(Some),
    }
}

/// A decimal, through [`NumVisitor`] as serde hands it each kind of buffered value.
fn num(value: Value) -> R<Num> {
    let exact = |text: &str| parse_decimal(text).map(Num).map_err(Error::custom);
    match value {
        Value::String(s) => NumVisitor.visit_str(&s),
        Value::Number(n) => match buffered(&n) {
            Buffered::U64(u) => NumVisitor.visit_u64(u),
            Buffered::I64(i) => NumVisitor.visit_i64(i),
            Buffered::F64(f) => NumVisitor.visit_f64(f),
            Buffered::Text(t) => exact(t),
        },
        // A map: serde_json's number (its first key), with nothing after it.
        Value::Object(entries) => {
            let len = entries.len();
            match entries.into_iter().next() {
                Some((key, v)) if key == NUMBER_TOKEN => {
                    let n = exact(&string(v)?)?;
                    if len > 1 {
                        return Err(Error::invalid_length(len, &"1 element in map"));
                    }
                    Ok(n)
                }
                _ => Err(Error::invalid_type(Unexpected::Map, &NumVisitor)),
            }
        }
        other => Err(invalid_type(&other, &NumVisitor)),
    }
}

/// Which of `variants` a unit-only enum is: its name, or a one-entry map from its name to a
/// unit (`null` or an empty map).
fn unit_enum(value: Value, variants: &'static [&'static str]) -> R<usize> {
    let find = |name: &str| {
        variants
            .iter()
            .position(|v| *v == name)
            .ok_or_else(|| Error::unknown_variant(name, variants))
    };
    match value {
        Value::String(name) => find(&name),
        Value::Object(entries) => {
            if entries.len() != 1 {
                return Err(Error::invalid_value(
                    Unexpected::Map,
                    &"map with a single key",
                ));
            }
            let Some((name, content)) = entries.into_iter().next() else {
                return Err(Error::invalid_value(
                    Unexpected::Map,
                    &"map with a single key",
                ));
            };
            let i = find(&name)?;
            match content {
                Value::Null => Ok(i),
                Value::Object(m) if m.is_empty() => Ok(i),
                other => Err(invalid_type(&other, &"unit")),
            }
        }
        other => Err(invalid_type(&other, &"string or map")),
    }
}

fn seq<T>(value: Value, read: impl Fn(Value) -> R<T>) -> R<Vec<T>> {
    match value {
        Value::Array(items) => items.into_iter().map(read).collect(),
        other => Err(invalid_type(&other, &"a sequence")),
    }
}

fn string_map(value: Value) -> R<BTreeMap<String, String>> {
    match value {
        Value::Object(entries) => entries
            .into_iter()
            .map(|(k, v)| string(v).map(|v| (k, v)))
            .collect(),
        other => Err(invalid_type(&other, &"a map")),
    }
}

enum Entries {
    Map(std::vec::IntoIter<(String, Value)>),
    Seq(std::vec::IntoIter<Value>),
}

/// A struct read from a buffer: a map's entries by name (a name the struct lacks is refused),
/// or a sequence's elements by position.
struct Fields {
    expecting: &'static str,
    names: &'static [&'static str],
    entries: Entries,
    taken: usize,
}

impl Fields {
    fn new(value: Value, expecting: &'static str, names: &'static [&'static str]) -> R<Fields> {
        match value {
            Value::Object(entries) => Ok(Fields::of(
                Body::Map(entries.into_iter().collect()),
                expecting,
                names,
            )),
            Value::Array(items) => Ok(Fields::of(Body::Seq(items), expecting, names)),
            other => Err(invalid_type(&other, &expecting)),
        }
    }

    fn of(body: Body, expecting: &'static str, names: &'static [&'static str]) -> Fields {
        let entries = match body {
            Body::Map(entries) => Entries::Map(entries.into_iter()),
            Body::Seq(items) => Entries::Seq(items.into_iter()),
        };
        Fields {
            expecting,
            names,
            entries,
            taken: 0,
        }
    }

    /// The next field: its position in `names` and its value.
    fn next(&mut self) -> R<Option<(usize, Value)>> {
        match &mut self.entries {
            Entries::Map(entries) => match entries.next() {
                None => Ok(None),
                Some((key, value)) => match self.names.iter().position(|n| *n == key) {
                    Some(i) => Ok(Some((i, value))),
                    None => Err(Error::unknown_field(&key, self.names)),
                },
            },
            Entries::Seq(items) => {
                if self.taken >= self.names.len() {
                    return Ok(None);
                }
                Ok(items.next().map(|value| {
                    self.taken += 1;
                    (self.taken - 1, value)
                }))
            }
        }
    }

    /// A required field's value, or serde's error for its absence.
    fn required<T>(&self, field: usize, value: Option<T>) -> R<T> {
        value.ok_or_else(|| match self.entries {
            Entries::Map(_) => {
                Error::missing_field(self.names.get(field).copied().unwrap_or_default())
            }
            Entries::Seq(_) => {
                let count = self.names.len();
                let expecting = if count == 1 {
                    format!("{} with 1 element", self.expecting)
                } else {
                    format!("{} with {count} elements", self.expecting)
                };
                Error::invalid_length(field, &expecting.as_str())
            }
        })
    }

    /// The end: a sequence with elements left over is refused.
    fn finish(self) -> R<()> {
        match self.entries {
            Entries::Seq(items) if items.len() > 0 => Err(Error::invalid_length(
                self.taken + items.len(),
                &in_sequence(self.taken).as_str(),
            )),
            _ => Ok(()),
        }
    }
}

fn in_sequence(count: usize) -> String {
    if count == 1 {
        "1 element in sequence".to_string()
    } else {
        format!("{count} elements in sequence")
    }
}

/// A nested internally tagged enum (a measure, a condition, a part's rule), read from a buffer:
/// the tag (a name, or a variant's index) and the rest.
fn nested(
    value: Value,
    tag: &'static str,
    variants: &'static [&'static str],
    expecting: &'static str,
) -> R<(usize, Body)> {
    let identifier = |v: Value| match v {
        Value::String(s) => variants
            .iter()
            .position(|x| *x == s)
            .ok_or_else(|| Error::unknown_variant(&s, variants)),
        Value::Number(n) => match buffered(&n) {
            Buffered::U64(u) => usize::try_from(u)
                .ok()
                .filter(|i| *i < variants.len())
                .ok_or_else(|| {
                    Error::invalid_value(
                        Unexpected::Unsigned(u),
                        &format!("variant index 0 <= i < {}", variants.len()).as_str(),
                    )
                }),
            _ => Err(invalid_type(&Value::Number(n), &"variant identifier")),
        },
        other => Err(invalid_type(&other, &"variant identifier")),
    };
    match value {
        Value::Object(entries) => {
            let mut variant = None;
            let mut rest = Vec::with_capacity(entries.len());
            for (key, v) in entries {
                if key == tag {
                    variant = Some(identifier(v)?);
                } else {
                    rest.push((key, v));
                }
            }
            match variant {
                Some(variant) => Ok((variant, Body::Map(rest))),
                None => Err(Error::missing_field(tag)),
            }
        }
        Value::Array(items) => {
            let mut items = items.into_iter();
            match items.next() {
                Some(first) => Ok((identifier(first)?, Body::Seq(items.collect()))),
                None => Err(Error::missing_field(tag)),
            }
        }
        other => Err(invalid_type(&other, &expecting)),
    }
}

fn text(value: Value) -> R<Text> {
    let mut f = Fields::new(value, "struct Text", &["zh", "en"])?;
    let (mut zh, mut en) = (None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => zh = Some(string(v)?),
            _ => en = Some(string(v)?),
        }
    }
    let text = Text {
        zh: f.required(0, zh)?,
        en: f.required(1, en)?,
    };
    f.finish()?;
    Ok(text)
}

fn rule(variant: usize, body: Body) -> R<Rule> {
    Ok(match variant {
        0 => Rule::Rate(rate(body)?),
        1 => Rule::Count(count(body)?),
        2 => Rule::ApproximateCount(approximate_count(body)?),
        3 => Rule::Duration(duration(body)?),
        4 => Rule::Coverage(coverage(body)?),
        5 => Rule::GrowthComparison(growth_comparison(body)?),
        6 => Rule::Milestones(milestones(body)?),
        _ => Rule::AllOf(all_of(body)?),
    })
}

/// A rule inside a rule (a part's).
fn nested_rule(value: Value) -> R<Rule> {
    let (variant, body) = nested(value, "type", &RULE_KINDS, "internally tagged enum Rule")?;
    rule(variant, body)
}

fn rate(body: Body) -> R<RateRule> {
    let mut f = Fields::of(
        body,
        "struct RateRule",
        &["numerator", "denominator", "target_percent"],
    );
    let (mut numerator, mut denominator, mut target_percent) = (None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => numerator = Some(measure(v)?),
            1 => denominator = Some(measure(v)?),
            _ => target_percent = Some(num(v)?),
        }
    }
    let r = RateRule {
        numerator: f.required(0, numerator)?,
        denominator: f.required(1, denominator)?,
        target_percent: f.required(2, target_percent)?,
    };
    f.finish()?;
    Ok(r)
}

fn count(body: Body) -> R<CountRule> {
    let mut f = Fields::of(body, "struct CountRule", &["measure", "target", "unit"]);
    let (mut measure_, mut target, mut unit) = (None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => measure_ = Some(measure(v)?),
            1 => target = Some(num(v)?),
            _ => unit = Some(string(v)?),
        }
    }
    let r = CountRule {
        measure: f.required(0, measure_)?,
        target: f.required(1, target)?,
        unit: f.required(2, unit)?,
    };
    f.finish()?;
    Ok(r)
}

fn approximate_count(body: Body) -> R<ApproximateCountRule> {
    let mut f = Fields::of(
        body,
        "struct ApproximateCountRule",
        &["measure", "nominal", "lower", "upper", "unit", "above_band"],
    );
    let (mut measure_, mut nominal, mut lower) = (None, None, None);
    let (mut upper, mut unit, mut above_band) = (None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => measure_ = Some(measure(v)?),
            1 => nominal = Some(num(v)?),
            2 => lower = Some(num(v)?),
            3 => upper = Some(num(v)?),
            4 => unit = Some(string(v)?),
            _ => {
                above_band = Some(match unit_enum(v, &["met", "not_met"])? {
                    0 => AboveBand::Met,
                    _ => AboveBand::NotMet,
                });
            }
        }
    }
    let r = ApproximateCountRule {
        measure: f.required(0, measure_)?,
        nominal: f.required(1, nominal)?,
        lower: f.required(2, lower)?,
        upper: f.required(3, upper)?,
        unit: f.required(4, unit)?,
        above_band: f.required(5, above_band)?,
    };
    f.finish()?;
    Ok(r)
}

fn duration(body: Body) -> R<DurationRule> {
    let mut f = Fields::of(body, "struct DurationRule", &["measure", "target_years"]);
    let (mut measure_, mut target_years) = (None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => measure_ = Some(measure(v)?),
            _ => target_years = Some(num(v)?),
        }
    }
    let r = DurationRule {
        measure: f.required(0, measure_)?,
        target_years: f.required(1, target_years)?,
    };
    f.finish()?;
    Ok(r)
}

fn coverage(body: Body) -> R<CoverageRule> {
    let mut f = Fields::of(
        body,
        "struct CoverageRule",
        &["entity_kind", "filter", "condition", "target_percent"],
    );
    let (mut entity_kind, mut filter_, mut condition_, mut target_percent) =
        (None, None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => entity_kind = Some(string(v)?),
            1 => filter_ = Some(seq(v, filter)?),
            2 => condition_ = Some(condition(v)?),
            _ => target_percent = Some(num(v)?),
        }
    }
    let r = CoverageRule {
        entity_kind: f.required(0, entity_kind)?,
        filter: filter_.unwrap_or_default(),
        condition: f.required(2, condition_)?,
        target_percent: target_percent.unwrap_or(Num(Decimal::ONE_HUNDRED)),
    };
    f.finish()?;
    Ok(r)
}

fn growth_comparison(body: Body) -> R<GrowthComparisonRule> {
    let mut f = Fields::of(
        body,
        "struct GrowthComparisonRule",
        &["subject", "benchmark", "mode", "from_year", "strict"],
    );
    let (mut subject, mut benchmark, mut mode) = (None, None, None);
    let (mut from_year, mut strict) = (None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => subject = Some(measure(v)?),
            1 => benchmark = Some(measure(v)?),
            2 => {
                mode = Some(match unit_enum(v, &["year_over_year", "cumulative"])? {
                    0 => GrowthMode::YearOverYear,
                    _ => GrowthMode::Cumulative,
                });
            }
            3 => from_year = Some(optional_i32(v)?),
            _ => strict = Some(boolean(v)?),
        }
    }
    let r = GrowthComparisonRule {
        subject: f.required(0, subject)?,
        benchmark: f.required(1, benchmark)?,
        mode: f.required(2, mode)?,
        from_year: from_year.unwrap_or_default(),
        strict: strict.unwrap_or(true),
    };
    f.finish()?;
    Ok(r)
}

fn milestones(body: Body) -> R<MilestonesRule> {
    let mut f = Fields::of(
        body,
        "struct MilestonesRule",
        &["entity_kind", "state_field", "required_state", "items"],
    );
    let (mut entity_kind, mut state_field, mut required_state, mut items) =
        (None, None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => entity_kind = Some(string(v)?),
            1 => state_field = Some(string(v)?),
            2 => required_state = Some(string(v)?),
            _ => items = Some(seq(v, milestone_item)?),
        }
    }
    let r = MilestonesRule {
        entity_kind: f.required(0, entity_kind)?,
        state_field: f.required(1, state_field)?,
        required_state: f.required(2, required_state)?,
        items: f.required(3, items)?,
    };
    f.finish()?;
    Ok(r)
}

fn milestone_item(value: Value) -> R<MilestoneItem> {
    let mut f = Fields::new(value, "struct MilestoneItem", &["id", "name", "attributes"])?;
    let (mut id, mut name, mut attributes) = (None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => id = Some(string(v)?),
            1 => name = Some(text(v)?),
            _ => attributes = Some(string_map(v)?),
        }
    }
    let item = MilestoneItem {
        id: f.required(0, id)?,
        name: f.required(1, name)?,
        attributes: attributes.unwrap_or_default(),
    };
    f.finish()?;
    Ok(item)
}

fn all_of(body: Body) -> R<AllOfRule> {
    let mut f = Fields::of(body, "struct AllOfRule", &["parts"]);
    let mut parts = None;
    while let Some((_, v)) = f.next()? {
        parts = Some(seq(v, part)?);
    }
    let r = AllOfRule {
        parts: f.required(0, parts)?,
    };
    f.finish()?;
    Ok(r)
}

fn part(value: Value) -> R<Part> {
    let mut f = Fields::new(value, "struct Part", &["id", "title", "rule"])?;
    let (mut id, mut title, mut rule_) = (None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => id = Some(string(v)?),
            1 => title = Some(text(v)?),
            _ => rule_ = Some(nested_rule(v)?),
        }
    }
    let part = Part {
        id: f.required(0, id)?,
        title: f.required(1, title)?,
        rule: f.required(2, rule_)?,
    };
    f.finish()?;
    Ok(part)
}

fn over_time(value: Value) -> R<OverTime> {
    Ok(match unit_enum(value, &["latest", "cumulative"])? {
        0 => OverTime::Latest,
        _ => OverTime::Cumulative,
    })
}

fn measure(value: Value) -> R<Measure> {
    let (variant, body) = nested(value, "from", MEASURES, "internally tagged enum Measure")?;
    if variant == 0 {
        let mut f = Fields::of(
            body,
            "struct variant Measure::Series",
            &["series", "over_time"],
        );
        let (mut series, mut over) = (None, None);
        while let Some((i, v)) = f.next()? {
            match i {
                0 => series = Some(string(v)?),
                _ => over = Some(over_time(v)?),
            }
        }
        let m = Measure::Series {
            series: f.required(0, series)?,
            over_time: over.unwrap_or_default(),
        };
        f.finish()?;
        return Ok(m);
    }
    let mut f = Fields::of(
        body,
        "struct variant Measure::EntitySum",
        &["entity_kind", "field", "filter", "over_time"],
    );
    let (mut entity_kind, mut field, mut filter_, mut over) = (None, None, None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => entity_kind = Some(string(v)?),
            1 => field = Some(string(v)?),
            2 => filter_ = Some(seq(v, filter)?),
            _ => over = Some(over_time(v)?),
        }
    }
    let m = Measure::EntitySum {
        entity_kind: f.required(0, entity_kind)?,
        field: f.required(1, field)?,
        filter: filter_.unwrap_or_default(),
        over_time: over.unwrap_or_default(),
    };
    f.finish()?;
    Ok(m)
}

fn filter(value: Value) -> R<AttributeFilter> {
    let mut f = Fields::new(value, "struct AttributeFilter", &["attribute", "one_of"])?;
    let (mut attribute, mut one_of) = (None, None);
    while let Some((i, v)) = f.next()? {
        match i {
            0 => attribute = Some(string(v)?),
            _ => one_of = Some(seq(v, string)?),
        }
    }
    let filter = AttributeFilter {
        attribute: f.required(0, attribute)?,
        one_of: f.required(1, one_of)?,
    };
    f.finish()?;
    Ok(filter)
}

fn condition(value: Value) -> R<Condition> {
    let (variant, body) = nested(
        value,
        "test",
        CONDITIONS,
        "internally tagged enum Condition",
    )?;
    let (expecting, names): (&'static str, &'static [&'static str]) = match variant {
        0 => ("struct variant Condition::IsTrue", &["field"]),
        1 => ("struct variant Condition::AtLeast", &["field", "value"]),
        2 => (
            "struct variant Condition::RatioAtLeast",
            &["numerator", "denominator", "percent"],
        ),
        _ => (
            "struct variant Condition::StateReached",
            &["field", "state"],
        ),
    };
    let mut f = Fields::of(body, expecting, names);
    // The fields by position: strings, except `value` and `percent`, the decimals.
    let decimal_at = match variant {
        1 => Some(1),
        2 => Some(2),
        _ => None,
    };
    let mut strings: [Option<String>; 3] = [None, None, None];
    let mut decimal = None;
    while let Some((i, v)) = f.next()? {
        if Some(i) == decimal_at {
            decimal = Some(num(v)?);
        } else if let Some(slot) = strings.get_mut(i) {
            *slot = Some(string(v)?);
        }
    }
    let [a, b, _] = strings;
    let c = match variant {
        0 => Condition::IsTrue {
            field: f.required(0, a)?,
        },
        1 => Condition::AtLeast {
            field: f.required(0, a)?,
            value: f.required(1, decimal)?,
        },
        2 => Condition::RatioAtLeast {
            numerator: f.required(0, a)?,
            denominator: f.required(1, b)?,
            percent: f.required(2, decimal)?,
        },
        _ => Condition::StateReached {
            field: f.required(0, a)?,
            state: f.required(1, b)?,
        },
    };
    f.finish()?;
    Ok(c)
}

fn comparison(variant: usize, body: Body) -> R<Comparison> {
    if variant == 0 {
        // A unit variant ignores a map's entries but refuses a sequence's elements.
        return match body {
            Body::Seq(items) if !items.is_empty() => {
                Err(Error::invalid_length(items.len(), &in_sequence(0).as_str()))
            }
            _ => Ok(Comparison::FullValue),
        };
    }
    let mut f = Fields::of(
        body,
        "struct variant Comparison::RoundedValue",
        &["decimals"],
    );
    let mut decimals = None;
    while let Some((_, v)) = f.next()? {
        decimals = Some(integer::<u32>(v, "u32")?);
    }
    let c = Comparison::RoundedValue {
        decimals: f.required(0, decimals)?,
    };
    f.finish()?;
    Ok(c)
}
