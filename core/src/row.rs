//! Row verdicts (逐行判定): the targets that can be judged on a single record (one school-year,
//! one district-year) compiled once, then applied to many rows without building datasets,
//! reports or trails. This is the fast path for a form that checks each record as it is typed and
//! for a notebook judging a million school-year rows from columns.
//!
//! A row verdict answers "does this record, on its own, reach the target's threshold?" — a
//! school's own pass rate against 100%, a school's ice-and-snow flag, a district-year's count
//! against 100 bases. It is not a [`crate::Status`]: deadlines, trajectories and populations are
//! the business of [`crate::evaluate`]. Targets that need several years (cumulative counts,
//! growth comparisons) are not row-judgeable and are left out.
//!
//! It is, though, exactly what [`crate::evaluate`] concludes on a dataset holding that record
//! alone, at the deadline: [`RowVerdict::agrees_with`] is that mapping, written once, and the
//! row vectors (`tests/vectors/rows/`) and `core/tests/row_agrees.rs` hold both paths to it.
//!
//! ```
//! use plan_rules::row::{RowRules, RowValue, RowVerdict};
//!
//! let plan = plan_rules::Plan::xicheng_2016_2020()?;
//! let rules = RowRules::for_entity_kind(&plan, "school");
//! let ids: Vec<&str> = rules.targets().iter().map(|t| t.id.as_str()).collect();
//! assert!(ids.contains(&"A6.1") && ids.contains(&"A6.2"));
//!
//! // One school-year: every field missing but the two the pass rate needs.
//! let mut row = vec![RowValue::Missing; rules.fields().len()];
//! row[rules.field_index("health_test_eligible").unwrap()] = RowValue::Int(200);
//! row[rules.field_index("health_test_passed").unwrap()] = RowValue::Int(199);
//! let attrs = vec![Some("primary"); rules.attributes().len()];
//! let mut out = vec![RowVerdict::Missing; rules.targets().len()];
//! rules.judge(&row, &attrs, &mut out);
//! let a61 = ids.iter().position(|i| *i == "A6.1").unwrap();
//! assert_eq!(out[a61], RowVerdict::NotMet); // 99.5% does not reach 100%
//! # Ok::<(), plan_rules::SpecErrors>(())
//! ```

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::arith;
use crate::bound::Op;
use crate::dataset::RawValue;
use crate::dictionary::{FieldSpec, ValueType};
use crate::error::RequestError;
use crate::eval::ReasonCode;
use crate::measure::{AttributeFilter, Measure, OverTime};
use crate::plan::{Comparison, Plan};
use crate::report::{Report, Status, TargetResult};
use crate::rules::{AboveBand, Condition, Rule};

mod block;
mod filters;
mod lanes;
mod left_out;
use block::Block;
use filters::Filters;
use lanes::Lanes;
pub use left_out::{LeftOut, LeftOutReason};

/// One record's answer for one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum RowVerdict {
    /// The record reaches the target's threshold.
    Met = 0,
    /// It does not.
    NotMet = 1,
    /// A value the target needs is missing.
    Missing = 2,
    /// A value is impossible (negative, fractional count, above its total, zero denominator,
    /// wrong type, unknown state).
    Invalid = 3,
    /// The record is outside the target's population (filtered out by an attribute).
    NotApplicable = 4,
}

impl RowVerdict {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            RowVerdict::Met => "met",
            RowVerdict::NotMet => "not_met",
            RowVerdict::Missing => "missing",
            RowVerdict::Invalid => "invalid",
            RowVerdict::NotApplicable => "not_applicable",
        }
    }

    /// Whether `result` is the conclusion this row verdict stands for: the one mapping between
    /// a row verdict and [`crate::evaluate`].
    ///
    /// `result` is what `evaluate()` concludes for the same target (or all-of part, see
    /// [`RowTarget::result_in`]) on a dataset that holds the record alone: one entity of the
    /// record's kind with the record's attributes (or the district series), its values in one
    /// year, the deadline's year, evaluated as of the deadline. For milestones the plan's list
    /// of items is the record's entity alone (the population is the list, not the dataset).
    /// Then:
    ///
    /// | row verdict | `evaluate()` status | reason code |
    /// |---|---|---|
    /// | `met` | `met` | |
    /// | `not_met` | `not_met` | |
    /// | `missing` | `not_assessable` | `missing_value`, `no_data` |
    /// | `invalid` | `not_assessable` | `bad_data`, `zero_denominator`, `numerator_exceeds_denominator`, `arithmetic_overflow` |
    /// | `not_applicable` | `not_assessable` | `empty_population`, `no_data` |
    ///
    /// `no_data` stands beside `missing` (the record has none of the values the target reads)
    /// and beside `not_applicable` (the filter leaves no record to read). The one record is
    /// judged at the deadline, so `on_track` and `off_track` answer no row verdict.
    ///
    /// ```
    /// use plan_rules::row::{RowRules, RowValue, RowVerdict};
    ///
    /// let plan = plan_rules::Plan::xicheng_2016_2020()?;
    /// let rules = RowRules::for_series(&plan);
    /// let a81 = rules.targets().iter().find(|t| t.id == "A8.1").unwrap();
    /// let data = r#"{"series": {"lifelong_learning_bases": {"values": {"2020": 99}}}}"#;
    /// let data = plan_rules::Dataset::from_json(data).unwrap();
    /// let as_of = "2020-12-31".parse().unwrap();
    /// let report = plan_rules::evaluate(&plan, &data, as_of, Default::default());
    /// let result = a81.result_in(&report).unwrap();
    /// assert!(RowVerdict::NotMet.agrees_with(result));
    /// assert!(!RowVerdict::Met.agrees_with(result));
    /// # Ok::<(), plan_rules::SpecErrors>(())
    /// ```
    pub fn agrees_with(self, result: &TargetResult) -> bool {
        let reason = result.reason.as_ref().map(|r| r.code);
        match (self, result.status) {
            (RowVerdict::Met, Status::Met) | (RowVerdict::NotMet, Status::NotMet) => true,
            (verdict, Status::NotAssessable) => {
                let Some(reason) = reason else {
                    return false;
                };
                let codes: &[ReasonCode] = match verdict {
                    RowVerdict::Missing => &[ReasonCode::MissingValue, ReasonCode::NoData],
                    RowVerdict::Invalid => &[
                        ReasonCode::BadData,
                        ReasonCode::ZeroDenominator,
                        ReasonCode::NumeratorExceedsDenominator,
                        ReasonCode::ArithmeticOverflow,
                    ],
                    RowVerdict::NotApplicable => &[ReasonCode::EmptyPopulation, ReasonCode::NoData],
                    RowVerdict::Met | RowVerdict::NotMet => &[],
                };
                codes.iter().any(|c| c.as_str() == reason)
            }
            _ => false,
        }
    }
}

/// One value of a row, typed by the dictionary.
///
/// A number is either [`RowValue::Int`] (a whole number, the fast form the readers produce
/// whenever they can) or [`RowValue::Num`] (any exact decimal); `Int(n)` and
/// `Num(Decimal::from(n))` are equal and judged alike.
#[derive(Debug, Clone, Copy)]
pub enum RowValue {
    /// No value.
    Missing,
    /// A whole number.
    Int(i64),
    /// A number.
    Num(Decimal),
    /// A flag.
    Flag(bool),
    /// A state, as its position in the field's list of states (a position beyond the list is
    /// an unknown state, judged invalid).
    State(usize),
    /// A value that cannot be read as its field's type (not a number, an unknown state name,
    /// a non-finite float); judged invalid.
    Invalid,
}

impl PartialEq for RowValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RowValue::Missing, RowValue::Missing) | (RowValue::Invalid, RowValue::Invalid) => true,
            (RowValue::Flag(a), RowValue::Flag(b)) => a == b,
            (RowValue::State(a), RowValue::State(b)) => a == b,
            (a, b) => match (Number::of(*a), Number::of(*b)) {
                (Some(a), Some(b)) => a.order(b).is_eq(),
                _ => false,
            },
        }
    }
}

impl Eq for RowValue {}

impl RowValue {
    /// A decimal as a row value: [`RowValue::Int`] when it is written without decimals and
    /// fits in `i64`, [`RowValue::Num`] otherwise.
    pub fn number(d: Decimal) -> RowValue {
        if d.scale() == 0
            && let Ok(n) = i64::try_from(d.mantissa())
        {
            return RowValue::Int(n);
        }
        RowValue::Num(d)
    }

    /// A binary float as a number, the way JSON writers and the dataset loader read one:
    /// integers exactly, any other finite value by its shortest round-trip decimal text
    /// (`0.1` is `0.1`, never `0.1000000000000000055511151231257827`); NaN and the infinities
    /// are [`RowValue::Invalid`].
    pub fn from_f64(v: f64) -> RowValue {
        if !v.is_finite() {
            return RowValue::Invalid;
        }
        // Below 2^53 every integral float is an exact i64.
        if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            return RowValue::Int(v as i64);
        }
        match crate::number::shortest_text(v).map(|t| crate::number::parse_decimal(&t)) {
            Some(Ok(d)) => RowValue::number(d),
            _ => RowValue::Invalid,
        }
    }
}

/// A typed column of a batch, for [`RowRules::judge_typed_columns`].
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// No values (every row missing).
    Missing,
    /// Whole numbers.
    Int64(&'a [i64]),
    /// Whole numbers.
    Int32(&'a [i32]),
    /// Whole numbers, `None` missing.
    OptInt64(&'a [Option<i64>]),
    /// Flags.
    Flags(&'a [bool]),
    /// Any values.
    Values(&'a [RowValue]),
}

impl Column<'_> {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Missing => 0,
            Column::Int64(v) => v.len(),
            Column::Int32(v) => v.len(),
            Column::OptInt64(v) => v.len(),
            Column::Flags(v) => v.len(),
            Column::Values(v) => v.len(),
        }
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of row `i` (missing beyond the end).
    pub fn get(&self, i: usize) -> RowValue {
        match self {
            Column::Missing => None,
            Column::Int64(v) => v.get(i).map(|&n| RowValue::Int(n)),
            Column::Int32(v) => v.get(i).map(|&n| RowValue::Int(i64::from(n))),
            Column::OptInt64(v) => v.get(i).map(|n| n.map_or(RowValue::Missing, RowValue::Int)),
            Column::Flags(v) => v.get(i).map(|&b| RowValue::Flag(b)),
            Column::Values(v) => v.get(i).copied(),
        }
        .unwrap_or(RowValue::Missing)
    }
}

/// An attribute column of a batch, for [`RowRules::judge_into`]: a label per row, or a code per
/// row into a list of labels (a categorical column: pandas' codes and categories, an Arrow
/// dictionary array's keys and values), whose filters are then decided once per label.
#[derive(Debug, Clone, Copy)]
pub enum Labels<'a> {
    /// A label per row; `None` is missing.
    Text(&'a [Option<&'a str>]),
    /// A code per row into `labels`; a negative code, a code beyond the list and a `None`
    /// label are missing.
    Codes8 {
        /// The codes.
        codes: &'a [i8],
        /// The labels.
        labels: &'a [Option<&'a str>],
    },
    /// A code per row into `labels`; a negative code, a code beyond the list and a `None`
    /// label are missing.
    Codes32 {
        /// The codes.
        codes: &'a [i32],
        /// The labels.
        labels: &'a [Option<&'a str>],
    },
}

impl<'a> Labels<'a> {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Labels::Text(v) => v.len(),
            Labels::Codes8 { codes, .. } => codes.len(),
            Labels::Codes32 { codes, .. } => codes.len(),
        }
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The label of row `i` (missing beyond the end).
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let coded = |code: Option<usize>, labels: &'a [Option<&'a str>]| {
            code.and_then(|c| labels.get(c)).copied().flatten()
        };
        match *self {
            Labels::Text(v) => v.get(i).copied().flatten(),
            Labels::Codes8 { codes, labels } => {
                coded(codes.get(i).and_then(|c| usize::try_from(*c).ok()), labels)
            }
            Labels::Codes32 { codes, labels } => {
                coded(codes.get(i).and_then(|c| usize::try_from(*c).ok()), labels)
            }
        }
    }
}

/// A row-judgeable target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowTarget {
    /// Target id (`A6.1`, or `B3/teachers` for a part).
    pub id: String,
    /// The rule kind.
    pub kind: &'static str,
}

impl RowTarget {
    /// This target's result in a report: the target's own, or for a part (`B3/teachers`) the
    /// part's result inside its all-of target's. See [`RowVerdict::agrees_with`].
    pub fn result_in<'r>(&self, report: &'r Report) -> Option<&'r TargetResult> {
        // A part's id is its target's, a slash, and its own (`B3/teachers`).
        let holds = |r: &TargetResult| {
            self.id
                .strip_prefix(r.id.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let mut result = report.results.iter().find(|r| holds(r))?;
        while result.id != self.id {
            result = result.parts.iter().find(|r| holds(r))?;
        }
        Some(result)
    }
}

#[derive(Debug, Clone)]
enum Test {
    /// `num / den × 100 ≥ percent`. A rate's ratio is invalid above 100 % and for a zero
    /// denominator; a coverage condition's (`ratio_at_least`, one entity's own ratio) is
    /// missing for a zero denominator, as coverage reads it, and may exceed 100 %.
    Ratio {
        num: usize,
        den: usize,
        percent: Decimal,
        condition: bool,
        /// How the percentage must stand against `percent` (a coverage condition's is `>=`).
        op: Op,
        /// A gross rate: a numerator above its denominator is data.
        gross: bool,
    },
    /// `value op limit` for a bound other than `>=` (`>`, `<=`, `<`), the value rounded first
    /// under a rounded comparison.
    Bound {
        field: usize,
        op: Op,
        limit: Decimal,
    },
    /// `value ≥ min`, the value rounded first under a rounded comparison unless `exact` (a
    /// coverage condition, which compares one entity's value as it is).
    AtLeast {
        field: usize,
        min: Decimal,
        exact: bool,
    },
    Band {
        field: usize,
        lower: Decimal,
        upper: Decimal,
        above_met: bool,
    },
    Flag {
        field: usize,
    },
    State {
        field: usize,
        rank: usize,
    },
}

/// A test on a record of whole numbers, flags and states, without decimals: what [`Test`]
/// decides for such a record, worked out in `i64`/`i128` (compiled once per target).
#[derive(Debug, Clone, Copy)]
enum WholeTest {
    /// A 100 % rate at full value: `n ≥ d`.
    Covers {
        num: usize,
        den: usize,
    },
    /// Any other rate at full value, `percent = p / 10^s`: `n / d × 100 op percent` is
    /// `n × k op p × d` with `k = 100 × 10^s` (both sides multiplied by `d × 10^s`, as
    /// `arith::compare_products` compares them), exact in `i128` for `i64` values, `p` and `k`.
    Rate {
        num: usize,
        den: usize,
        p: i64,
        k: i64,
        op: Op,
        gross: bool,
    },
    /// `v ≥ ⌈min⌉` (rounded comparisons too: a whole number is its own rounding).
    AtLeast {
        field: usize,
        min: i128,
    },
    /// `⌈lower⌉ ≤ v ≤ ⌊upper⌋`, or only the lower bound when above the band is met.
    Band {
        field: usize,
        lower: i128,
        upper: i128,
        above_met: bool,
    },
    Flag {
        field: usize,
    },
    State {
        field: usize,
        rank: usize,
    },
    /// Needs decimals (a rate compared rounded, a coverage condition's ratio, a percent whose
    /// digits do not fit `i64`).
    Decimal,
}

impl WholeTest {
    fn of(test: &Test, comparison: Comparison) -> WholeTest {
        match *test {
            Test::Ratio {
                num,
                den,
                percent,
                condition: false,
                op: Op::AtLeast,
                gross: false,
            } if percent == Decimal::ONE_HUNDRED && comparison == Comparison::FullValue => {
                WholeTest::Covers { num, den }
            }
            Test::Ratio {
                num,
                den,
                percent,
                condition: false,
                op,
                gross,
            } if comparison == Comparison::FullValue => {
                let k = 10i64
                    .checked_pow(percent.scale())
                    .and_then(|x| x.checked_mul(100));
                match (i64::try_from(percent.mantissa()), k) {
                    (Ok(p), Some(k)) => WholeTest::Rate {
                        num,
                        den,
                        p,
                        k,
                        op,
                        gross,
                    },
                    _ => WholeTest::Decimal,
                }
            }
            Test::Ratio { .. } => WholeTest::Decimal,
            // On whole numbers every bound is a range: > L is ≥ ⌊L⌋ + 1, ≤ U is ≤ ⌊U⌋, < U is
            // ≤ ⌈U⌉ − 1 (a whole number is its own rounding).
            Test::Bound { field, op, limit } => match op {
                Op::AtLeast => WholeTest::AtLeast {
                    field,
                    min: ceil_i128(limit),
                },
                Op::Above => WholeTest::AtLeast {
                    field,
                    min: floor_i128(limit).saturating_add(1),
                },
                Op::AtMost => WholeTest::Band {
                    field,
                    lower: i128::MIN,
                    upper: floor_i128(limit),
                    above_met: false,
                },
                _ => WholeTest::Band {
                    field,
                    lower: i128::MIN,
                    upper: ceil_i128(limit).saturating_sub(1),
                    above_met: false,
                },
            },
            Test::AtLeast { field, min, .. } => WholeTest::AtLeast {
                field,
                min: ceil_i128(min),
            },
            Test::Band {
                field,
                lower,
                upper,
                above_met,
            } => WholeTest::Band {
                field,
                lower: ceil_i128(lower),
                upper: floor_i128(upper),
                above_met,
            },
            Test::Flag { field } => WholeTest::Flag { field },
            Test::State { field, rank } => WholeTest::State { field, rank },
        }
    }
}

#[derive(Debug, Clone)]
struct Compiled {
    test: Test,
    whole: WholeTest,
    filter: Vec<(usize, Vec<String>)>,
    comparison: Comparison,
}

/// Per-field checks: type, whole number, at most another field, known state.
#[derive(Debug, Clone)]
struct FieldCheck {
    value_type: ValueType,
    /// Negative values (and percentages above 100) are data.
    signed: bool,
    at_most: Option<usize>,
    states: Vec<String>,
}

impl FieldCheck {
    /// The range a whole number must be in for this field (an empty one for flags and states).
    fn whole_range(&self) -> (i64, i64) {
        match self.value_type {
            ValueType::Count if self.signed => (i64::MIN, i64::MAX),
            ValueType::Quantity | ValueType::Percent if self.signed => (i64::MIN, i64::MAX),
            ValueType::Count | ValueType::Quantity => (0, i64::MAX),
            ValueType::Percent => (0, 100),
            ValueType::Flag | ValueType::State => (1, 0),
        }
    }
}

/// The row-judgeable targets of a plan for one kind of record, compiled.
#[derive(Debug, Clone)]
pub struct RowRules {
    fields: Vec<String>,
    checks: Vec<FieldCheck>,
    attributes: Vec<String>,
    targets: Vec<RowTarget>,
    compiled: Vec<Compiled>,
    /// The plan's targets (and parts) one record of this kind cannot decide, in plan order.
    left_out: Vec<LeftOut>,
    /// The attributes the dictionary gives a list of values, with the list: a record with
    /// another value is invalid for every target whose filter does not leave it out.
    allowed: Vec<(usize, Vec<String>)>,
}

struct Builder<'p> {
    plan: &'p Plan,
    kind: Option<&'p str>,
    /// The row targets to compile (all when `None`).
    only: Option<BTreeSet<String>>,
    rules: RowRules,
}

impl<'p> Builder<'p> {
    fn spec(&self, name: &str) -> Option<&'p FieldSpec> {
        match self.kind {
            Some(k) => self.plan.dictionary.field_spec(k, name),
            None => self.plan.dictionary.series_spec(name),
        }
    }

    fn field(&mut self, name: &str) -> Option<usize> {
        let spec = self.spec(name)?;
        if let Some(i) = self.rules.fields.iter().position(|f| f == name) {
            return Some(i);
        }
        self.rules.fields.push(name.to_string());
        self.rules.checks.push(FieldCheck {
            value_type: spec.value_type,
            signed: spec.signed,
            at_most: None,
            states: spec.states.clone(),
        });
        let i = self.rules.fields.len() - 1;
        if let Some(total) = spec.at_most.as_deref() {
            let t = self.field(total);
            if let Some(c) = self.rules.checks.get_mut(i) {
                c.at_most = t;
            }
        }
        Some(i)
    }

    fn attribute(&mut self, name: &str) -> usize {
        match self.rules.attributes.iter().position(|a| a == name) {
            Some(i) => i,
            None => {
                self.rules.attributes.push(name.to_string());
                self.rules.attributes.len() - 1
            }
        }
    }

    /// Why one record of this kind cannot give a measure, if it cannot: the kind of record
    /// first, then time (a cumulative measure needs every year since the plan began).
    fn reads(&self, m: &Measure) -> Result<(), LeftOutReason> {
        let reads = match m {
            Measure::Series { .. } => None,
            Measure::EntitySum { entity_kind, .. } => Some(entity_kind.as_str()),
        };
        self.record_kind(reads)?;
        match m.over_time() {
            OverTime::Latest => Ok(()),
            OverTime::Cumulative => Err(LeftOutReason::CumulativeOverTime { measure: m.label() }),
        }
    }

    /// Whether a rule reading records of `reads` (`None`: the district series) reads this
    /// rules' kind of record.
    fn record_kind(&self, reads: Option<&str>) -> Result<(), LeftOutReason> {
        match (reads, self.kind) {
            (None, None) => Ok(()),
            (Some(r), Some(k)) if r == k => Ok(()),
            (None, Some(k)) => Err(LeftOutReason::DistrictSeries { record: k.into() }),
            (Some(r), None) => Err(LeftOutReason::EntityRecords { reads: r.into() }),
            (Some(r), Some(k)) => Err(LeftOutReason::OtherEntityKind {
                reads: r.into(),
                record: k.into(),
            }),
        }
    }

    /// A field of this record kind, by name.
    fn resolve(&mut self, name: &str) -> Result<usize, LeftOutReason> {
        self.field(name)
            .ok_or_else(|| LeftOutReason::UnknownReference {
                name: name.to_string(),
            })
    }

    /// The field a measure reads on one record, with its filter (see [`Builder::reads`]).
    fn measure(&mut self, m: &Measure) -> Result<(usize, Vec<AttributeFilter>), LeftOutReason> {
        self.reads(m)?;
        match m {
            Measure::Series { series, .. } => Ok((self.resolve(series)?, Vec::new())),
            Measure::EntitySum { field, filter, .. } => Ok((self.resolve(field)?, filter.clone())),
        }
    }

    fn filter(&mut self, filter: &[AttributeFilter]) -> Vec<(usize, Vec<String>)> {
        filter
            .iter()
            .map(|f| (self.attribute(&f.attribute), f.one_of.clone()))
            .collect()
    }

    /// Compiles a target (or part), or lists it as left out; an all-of's parts one by one. A
    /// target outside the selection, if there is one, is neither compiled nor listed.
    fn add(&mut self, id: String, rule: &Rule, comparison: Comparison) {
        if let Rule::AllOf(a) = rule {
            for p in &a.parts {
                self.add(format!("{id}/{}", p.id), &p.rule, comparison);
            }
            return;
        }
        // Decided before any field is taken, so the fields are those the targets read.
        if let Err(reason) = self.judgeable(rule) {
            self.rules.left_out.push(LeftOut {
                id,
                kind: rule.kind(),
                reason,
            });
            return;
        }
        if self.only.as_ref().is_some_and(|only| !only.contains(&id)) {
            return;
        }
        match self.compile(rule) {
            Ok((test, filter)) => {
                let filter = self.filter(&filter);
                self.rules.targets.push(RowTarget {
                    id,
                    kind: rule.kind(),
                });
                self.rules.compiled.push(Compiled {
                    whole: WholeTest::of(&test, comparison),
                    test,
                    filter,
                    comparison,
                });
            }
            Err(reason) => self.rules.left_out.push(LeftOut {
                id,
                kind: rule.kind(),
                reason,
            }),
        }
    }

    /// Whether one record of this kind can decide a rule (not an all-of: its parts are judged
    /// one by one), and if not, why.
    fn judgeable(&self, rule: &Rule) -> Result<(), LeftOutReason> {
        match rule {
            Rule::Rate(r) => {
                self.reads(&r.numerator)?;
                self.reads(&r.denominator)?;
                let filter = |m: &Measure| match m {
                    Measure::EntitySum { filter, .. } => filter.clone(),
                    Measure::Series { .. } => Vec::new(),
                };
                if filter(&r.numerator) != filter(&r.denominator) {
                    return Err(LeftOutReason::DifferentFilters);
                }
                Ok(())
            }
            Rule::Count(r) => self.reads(&r.measure),
            Rule::Value(r) => self.reads(&r.measure),
            Rule::Duration(r) => self.reads(&r.measure),
            // The record kind first, then the years: a change and an every-year bound read
            // several years of one quantity.
            Rule::Change(r) => {
                self.reads(&r.measure)?;
                Err(LeftOutReason::NeedsSeveralYears)
            }
            Rule::EveryYear(e) => {
                self.judgeable(&e.rule)?;
                Err(LeftOutReason::NeedsSeveralYears)
            }
            Rule::ApproximateCount(r) => self.reads(&r.measure),
            Rule::Coverage(c) => self.record_kind(Some(&c.entity_kind)),
            Rule::Milestones(m) => self.record_kind(Some(&m.entity_kind)),
            Rule::GrowthComparison(g) => {
                self.reads(&g.subject)?;
                self.reads(&g.benchmark)?;
                Err(LeftOutReason::NeedsSeveralYears)
            }
            Rule::AllOf(_) => Ok(()),
            // A rule kind added later is left out, with its reason, until it is taught here.
            #[allow(unreachable_patterns)]
            _ => Err(LeftOutReason::NotRowJudgeableKind { kind: rule.kind() }),
        }
    }

    /// The test a judgeable rule makes on one record, with the filter of its population.
    fn compile(&mut self, rule: &Rule) -> Result<(Test, Vec<AttributeFilter>), LeftOutReason> {
        Ok(match rule {
            Rule::Rate(r) => {
                let (num, filter) = self.measure(&r.numerator)?;
                let (den, _) = self.measure(&r.denominator)?;
                let test = Test::Ratio {
                    num,
                    den,
                    percent: r.target_percent.0,
                    condition: false,
                    op: r.op,
                    gross: r.gross,
                };
                (test, filter)
            }
            Rule::Count(r) => {
                let (field, filter) = self.measure(&r.measure)?;
                (bound(field, r.op, r.target.0), filter)
            }
            Rule::Value(r) => {
                let (field, filter) = self.measure(&r.measure)?;
                (bound(field, r.op, r.limit.0), filter)
            }
            Rule::Duration(r) => {
                let (field, filter) = self.measure(&r.measure)?;
                (bound(field, r.op, r.target_years.0), filter)
            }
            Rule::ApproximateCount(r) => {
                let (field, filter) = self.measure(&r.measure)?;
                let test = Test::Band {
                    field,
                    lower: r.lower.0,
                    upper: r.upper.0,
                    above_met: r.above_band == AboveBand::Met,
                };
                (test, filter)
            }
            Rule::Coverage(c) => {
                let test = match &c.condition {
                    Condition::IsTrue { field } => Test::Flag {
                        field: self.resolve(field)?,
                    },
                    Condition::AtLeast { field, value } => Test::AtLeast {
                        field: self.resolve(field)?,
                        min: value.0,
                        exact: true,
                    },
                    Condition::RatioAtLeast {
                        numerator,
                        denominator,
                        percent,
                    } => Test::Ratio {
                        num: self.resolve(numerator)?,
                        den: self.resolve(denominator)?,
                        percent: percent.0,
                        condition: true,
                        op: Op::AtLeast,
                        gross: false,
                    },
                    Condition::StateReached { field, state } => self.state(field, state)?,
                };
                (test, c.filter.clone())
            }
            Rule::Milestones(m) => (self.state(&m.state_field, &m.required_state)?, Vec::new()),
            other => return Err(LeftOutReason::NotRowJudgeableKind { kind: other.kind() }),
        })
    }

    /// A test that a state field has reached a state.
    fn state(&mut self, field: &str, state: &str) -> Result<Test, LeftOutReason> {
        let rank = self
            .spec(field)
            .and_then(|s| s.state_rank(state))
            .ok_or_else(|| LeftOutReason::UnknownReference {
                name: format!("{field}: {state}"),
            })?;
        Ok(Test::State {
            field: self.resolve(field)?,
            rank,
        })
    }
}

impl RowRules {
    fn build(plan: &Plan, kind: Option<&str>, only: Option<BTreeSet<String>>) -> RowRules {
        let mut b = Builder {
            plan,
            kind,
            only,
            rules: RowRules {
                fields: Vec::new(),
                checks: Vec::new(),
                attributes: Vec::new(),
                targets: Vec::new(),
                compiled: Vec::new(),
                left_out: Vec::new(),
                allowed: Vec::new(),
            },
        };
        for t in &plan.targets {
            b.add(t.id.clone(), &t.rule, t.comparison);
        }
        // The attributes are checked against the values the dictionary allows: full evaluation
        // counts every value of an entity with another value as bad data.
        b.rules.allowed = b
            .rules
            .attributes
            .iter()
            .enumerate()
            .filter_map(|(a, name)| {
                let spec = kind
                    .and_then(|k| plan.dictionary.entity_kinds.get(k))
                    .and_then(|k| k.attributes.get(name))?;
                (!spec.allowed.is_empty()).then(|| (a, spec.allowed.clone()))
            })
            .collect();
        b.rules
    }

    /// The targets judged on one record of an entity kind (a school-year).
    pub fn for_entity_kind(plan: &Plan, kind: &str) -> RowRules {
        RowRules::build(plan, Some(kind), None)
    }

    /// The row rules for an entity kind, or for the district series when `kind` is `None`; an
    /// entity kind the plan does not define is a request error (path `/kind`).
    ///
    /// ```
    /// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
    /// assert_eq!(plan_rules::row::RowRules::compile(&plan, None).unwrap().targets().len(), 5);
    /// let e = plan_rules::row::RowRules::compile(&plan, Some("hospital")).unwrap_err();
    /// assert_eq!(e.code(), "invalid_request");
    /// ```
    pub fn compile(plan: &Plan, kind: Option<&str>) -> Result<RowRules, RequestError> {
        match kind {
            None => Ok(RowRules::for_series(plan)),
            Some(k) if plan.dictionary.entity_kinds.contains_key(k) => {
                Ok(RowRules::for_entity_kind(plan, k))
            }
            Some(k) => Err(RequestError::Shape {
                path: "/kind".into(),
                message: format!(
                    "`{k}` is not an entity kind of the plan (expected one of {})",
                    plan.dictionary
                        .entity_kinds
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// The row rules of [`compile`](Self::compile) for the named targets only, in the rules'
    /// order (a selection does not reorder verdicts). A name is a row target's id (`A6.1`, a
    /// part `B3/teachers`) or an all-of target's (`B3`: all its parts). A request that names
    /// a target one record cannot decide is refused, naming it and the reason
    /// (`not_row_judgeable`, path `/targets/<i>`), as is an all-of target with such a part (the
    /// error names the part); so is a name the plan does not have (`unknown_target`) and an
    /// empty selection (`invalid_request`, path `/targets`). [`left_out`](Self::left_out)
    /// still lists every target the kind of record leaves out.
    ///
    /// ```
    /// use plan_rules::row::RowRules;
    ///
    /// let plan = plan_rules::Plan::xicheng_2016_2020()?;
    /// let rules = RowRules::compile_selected(&plan, None, &["B1", "A1"]).unwrap();
    /// let ids: Vec<&str> = rules.targets().iter().map(|t| t.id.as_str()).collect();
    /// assert_eq!(ids, ["A1", "B1"]);
    ///
    /// // A5.1 counts cadres over the years since 2016: one district-year cannot decide it.
    /// let e = RowRules::compile_selected(&plan, None, &["A1", "A5.1"]).unwrap_err();
    /// assert_eq!(e.code(), "not_row_judgeable");
    /// assert_eq!(
    ///     e.to_string(),
    ///     "target `A5.1` (at `/targets/1`) cannot be judged on one record \
    ///      (cumulative_over_time): it reads `reserve_cadres_selected` summed over the years \
    ///      since the plan began (`over_time: cumulative`), and one record holds one year"
    /// );
    /// # Ok::<(), plan_rules::SpecErrors>(())
    /// ```
    pub fn compile_selected<S: AsRef<str>>(
        plan: &Plan,
        kind: Option<&str>,
        targets: &[S],
    ) -> Result<RowRules, RequestError> {
        let all = RowRules::compile(plan, kind)?;
        if targets.is_empty() {
            return Err(RequestError::Shape {
                path: "/targets".into(),
                message: "the selection names no target (leave it out to judge every \
                          row-judgeable target)"
                    .into(),
            });
        }
        let mut only = BTreeSet::new();
        for (i, name) in targets.iter().enumerate() {
            let name = name.as_ref();
            let refuse = |l: &LeftOut| RequestError::NotRowJudgeable {
                target: l.id.clone(),
                path: format!("/targets/{i}"),
                reason: l.reason.code(),
                message: l.message().en,
            };
            if all.targets.iter().any(|t| t.id == name) {
                only.insert(name.to_string());
                continue;
            }
            if let Some(l) = all.left_out.iter().find(|l| l.id == name) {
                return Err(refuse(l));
            }
            let prefix = format!("{name}/");
            let is_all_of = plan
                .target(name)
                .is_some_and(|t| matches!(t.rule, Rule::AllOf(_)));
            if !is_all_of {
                return Err(RequestError::UnknownTarget(name.to_string()));
            }
            if let Some(l) = all.left_out.iter().find(|l| l.id.starts_with(&prefix)) {
                return Err(refuse(l));
            }
            only.extend(
                all.targets
                    .iter()
                    .filter(|t| t.id.starts_with(&prefix))
                    .map(|t| t.id.clone()),
            );
        }
        Ok(RowRules::build(plan, kind, Some(only)))
    }

    /// The plan's targets (and all-of parts) that one record of this kind cannot decide, each
    /// with the reason, in plan order. An all-of target is never listed itself: its parts are
    /// judged, or left out, one by one. With a selection
    /// ([`compile_selected`](Self::compile_selected)) the list is the same: it is what the
    /// kind of record leaves out.
    ///
    /// ```
    /// let plan = plan_rules::Plan::xicheng_2016_2020()?;
    /// let rules = plan_rules::row::RowRules::for_series(&plan);
    /// let a51 = rules.left_out().iter().find(|l| l.id == "A5.1").unwrap();
    /// assert_eq!(a51.reason.code(), "cumulative_over_time");
    /// let f1 = rules.left_out().iter().find(|l| l.id == "F1").unwrap();
    /// assert_eq!(f1.reason.code(), "needs_several_years");
    /// # Ok::<(), plan_rules::SpecErrors>(())
    /// ```
    pub fn left_out(&self) -> &[LeftOut] {
        &self.left_out
    }

    /// The targets judged on one district-year record of series values.
    pub fn for_series(plan: &Plan) -> RowRules {
        RowRules::build(plan, None, None)
    }

    /// The fields a row holds, in order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The position of a field in a row.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }

    /// The attributes a row's filters read, in order.
    pub fn attributes(&self) -> &[String] {
        &self.attributes
    }

    /// The position of an attribute in a row's attributes.
    pub fn attribute_index(&self, name: &str) -> Option<usize> {
        self.attributes.iter().position(|a| a == name)
    }

    /// The dictionary type of the field at `field`.
    pub fn value_type(&self, field: usize) -> Option<ValueType> {
        self.checks.get(field).map(|c| c.value_type)
    }

    /// The states of a `state` field, in the order they are reached (empty for other types).
    pub fn states(&self, field: usize) -> &[String] {
        self.checks.get(field).map_or(&[], |c| c.states.as_slice())
    }

    /// The position of a state name in a `state` field's states.
    pub fn state_index(&self, field: usize, name: &str) -> Option<usize> {
        self.states(field).iter().position(|s| s == name)
    }

    /// Reads a raw value (as a dataset holds it) for the field at `field`, by the dataset
    /// loader's rules: numbers and decimal strings for numeric fields (exact digits), booleans
    /// for flags, state names for states, null as missing. Anything else is
    /// [`RowValue::Invalid`]. Range checks (negative, fractional count, above its total) are
    /// left to [`judge`](Self::judge).
    pub fn read(&self, field: usize, raw: &RawValue) -> RowValue {
        match raw {
            RawValue::Null => RowValue::Missing,
            RawValue::Bool(b) => match self.value_type(field) {
                Some(ValueType::Flag) => RowValue::Flag(*b),
                _ => RowValue::Invalid,
            },
            RawValue::Number(text) => match self.value_type(field) {
                Some(t) if t.is_numeric() => {
                    crate::number::parse_decimal(text).map_or(RowValue::Invalid, RowValue::number)
                }
                _ => RowValue::Invalid,
            },
            RawValue::Decimal(d) => match self.value_type(field) {
                Some(t) if t.is_numeric() => {
                    crate::number::exact_decimal(*d).map_or(RowValue::Invalid, RowValue::number)
                }
                _ => RowValue::Invalid,
            },
            RawValue::Text(text) => self.read_text(field, text),
        }
    }

    /// Reads a string for the field at `field` (what [`read`](Self::read) does with
    /// [`RawValue::Text`]): a decimal for numeric fields, a state name for states; anything
    /// else is [`RowValue::Invalid`].
    pub fn read_text(&self, field: usize, text: &str) -> RowValue {
        match self.value_type(field) {
            Some(t) if t.is_numeric() => {
                crate::number::parse_decimal(text).map_or(RowValue::Invalid, RowValue::number)
            }
            Some(ValueType::State) => self
                .state_index(field, text)
                .map_or(RowValue::Invalid, RowValue::State),
            _ => RowValue::Invalid,
        }
    }

    /// The targets, in the order verdicts are written.
    pub fn targets(&self) -> &[RowTarget] {
        &self.targets
    }

    /// A field's value as a test reads it: invalid when it is impossible on its own or against
    /// its total (or the row has no such field), missing when absent.
    #[inline(always)]
    fn checked(&self, row: &[RowValue], field: usize) -> Result<RowValue, RowVerdict> {
        let (Some(check), Some(&v)) = (self.checks.get(field), row.get(field)) else {
            return Err(RowVerdict::Invalid);
        };
        if !value_possible(check, v)
            || !within_total(v, check.at_most.and_then(|t| row.get(t).copied()))
        {
            return Err(RowVerdict::Invalid);
        }
        match v {
            RowValue::Missing => Err(RowVerdict::Missing),
            v => Ok(v),
        }
    }

    /// Judges one row: `row` holds one value per [`fields`](Self::fields), `attrs` one per
    /// [`attributes`](Self::attributes); one verdict per target is written to `out` (extra
    /// targets beyond `out`'s length are skipped).
    pub fn judge(&self, row: &[RowValue], attrs: &[Option<&str>], out: &mut [RowVerdict]) {
        let attr = |a: usize| attrs.get(a).copied().flatten();
        // An attribute outside the dictionary's values, decided once for every target.
        let outside = self
            .allowed
            .iter()
            .any(|(a, allowed)| attr(*a).is_some_and(|v| !allowed.iter().any(|x| x == v)));
        for (c, slot) in self.compiled.iter().zip(out.iter_mut()) {
            *slot = match filter_verdict(&c.filter, attr) {
                Some(v) => v,
                None if outside => RowVerdict::Invalid,
                None => match self.judge_whole(c, row) {
                    Ok(Some(v)) | Err(v) => v,
                    Ok(None) => test(c, |f| self.checked(row, f)).unwrap_or_else(|v| v),
                },
            };
        }
    }

    /// A target's verdict on a record of whole numbers, flags and states, without decimals;
    /// `Ok(None)` when a value it reads needs the decimal test (a decimal, an unexpected kind
    /// of value). Reads values in the order [`test()`] does, so the first missing or invalid
    /// value decides alike.
    #[inline(always)]
    fn judge_whole(
        &self,
        c: &Compiled,
        row: &[RowValue],
    ) -> Result<Option<RowVerdict>, RowVerdict> {
        let verdict = |met: bool| {
            Some(if met {
                RowVerdict::Met
            } else {
                RowVerdict::NotMet
            })
        };
        Ok(match c.whole {
            WholeTest::Covers { num, den } => {
                // The numerator first: when it needs decimals, so does the whole test.
                let Some(n) = self.whole(row, num)? else {
                    return Ok(None);
                };
                let Some(d) = self.whole(row, den)? else {
                    return Ok(None);
                };
                if d == 0 || n > d {
                    return Err(RowVerdict::Invalid);
                }
                verdict(n >= d)
            }
            WholeTest::Rate {
                num,
                den,
                p,
                k,
                op,
                gross,
            } => {
                let Some(n) = self.whole(row, num)? else {
                    return Ok(None);
                };
                let Some(d) = self.whole(row, den)? else {
                    return Ok(None);
                };
                if d == 0 || (n > d && !gross) {
                    return Err(RowVerdict::Invalid);
                }
                let (lhs, rhs) = (i128::from(n) * i128::from(k), i128::from(p) * i128::from(d));
                verdict(op.holds(lhs.cmp(&rhs)))
            }
            WholeTest::AtLeast { field, min } => self
                .whole(row, field)?
                .and_then(|v| verdict(i128::from(v) >= min)),
            WholeTest::Band {
                field,
                lower,
                upper,
                above_met,
            } => self.whole(row, field)?.and_then(|v| {
                let v = i128::from(v);
                verdict(v >= lower && (above_met || v <= upper))
            }),
            WholeTest::Flag { field } => match (row.get(field), self.checks.get(field)) {
                (Some(RowValue::Flag(b)), Some(check)) if check.value_type == ValueType::Flag => {
                    verdict(*b)
                }
                (Some(RowValue::Missing), Some(_)) => return Err(RowVerdict::Missing),
                _ => None,
            },
            WholeTest::State { field, rank } => match (row.get(field), self.checks.get(field)) {
                (Some(RowValue::State(r)), Some(check))
                    if check.value_type == ValueType::State && *r < check.states.len() =>
                {
                    verdict(*r >= rank)
                }
                (Some(RowValue::Missing), Some(_)) => return Err(RowVerdict::Missing),
                _ => None,
            },
            WholeTest::Decimal => None,
        })
    }

    /// A numeric field as the whole-number tests read it: `Ok(Some(v))` for a whole number
    /// possible for its type and within its total, the verdict for a missing or impossible
    /// one (as [`checked`](Self::checked) decides), `Ok(None)` when deciding needs decimals.
    #[inline(always)]
    fn whole(&self, row: &[RowValue], field: usize) -> Result<Option<i64>, RowVerdict> {
        let (Some(check), Some(v)) = (self.checks.get(field), row.get(field)) else {
            return Err(RowVerdict::Invalid);
        };
        match *v {
            RowValue::Int(n) => {
                let (lo, hi) = check.whole_range();
                if n < lo || n > hi {
                    return Err(RowVerdict::Invalid);
                }
                match check.at_most.and_then(|t| row.get(t)) {
                    Some(RowValue::Int(t)) if n > *t => Err(RowVerdict::Invalid),
                    Some(RowValue::Num(_)) => Ok(None),
                    _ => Ok(Some(n)),
                }
            }
            RowValue::Missing => Err(RowVerdict::Missing),
            _ => Ok(None),
        }
    }

    /// Judges many rows given as typed columns ([`Column`]: whole numbers, flags, or
    /// [`RowValue`]s): the same verdicts as [`judge_columns`](Self::judge_columns) on the same
    /// values, without converting the columns first, so the memory it needs is the verdicts
    /// (one byte per row and target) and one block of rows. Whole-number and flag columns are
    /// judged a block at a time (see [`judge_typed_into`](Self::judge_typed_into)), a batch with
    /// [`Column::Values`] row by row. Columns that are too short count as missing values.
    pub fn judge_typed_columns(
        &self,
        fields: &[Column<'_>],
        attrs: &[&[Option<&str>]],
    ) -> Vec<Vec<RowVerdict>> {
        let rows = fields
            .iter()
            .map(Column::len)
            .chain(attrs.iter().map(|c| c.len()))
            .max()
            .unwrap_or(0);
        let mut codes: Vec<Vec<u8>> = vec![vec![MISSING; rows]; self.targets.len()];
        {
            let mut views: Vec<&mut [u8]> = codes.iter_mut().map(Vec::as_mut_slice).collect();
            self.judge_typed_into(fields, attrs, &mut views);
        }
        codes
            .into_iter()
            .map(|c| c.into_iter().map(verdict_of).collect())
            .collect()
    }

    /// What [`judge_typed_columns`](Self::judge_typed_columns) gives, as verdict codes
    /// (`RowVerdict as u8`) written to `out` (one slice per target; rows beyond a slice's
    /// length are skipped, targets beyond `out` too).
    ///
    /// Whole-number and flag columns are judged a block of rows at a time. A block whose columns
    /// are complete and whose numbers fit in `i32` (the usual case: counts from a table) takes
    /// the lane path (`row/lanes.rs`): each target in one loop over `i32` lanes that works out
    /// its numbers' validity where it reads them (`n ≥ d` for the 100 % rates, `v ≥ ⌈min⌉` for
    /// minimums, flags). Other blocks take the general path: each
    /// field checked into a state per row (fine, missing, invalid; then against its total), then
    /// each target in a loop on `i32` or `i64` (`n × 100 × 10^s ≥ p × d` in `i128` for a rate
    /// `p / 10^s`). Rounded comparisons and state tests go through the decimal test of
    /// [`judge`](Self::judge). A [`Column::Values`] column sends the batch row by row. Attribute
    /// filters are decided by [`judge_into`](Self::judge_into)'s rules for [`Labels::Text`].
    pub fn judge_typed_into(
        &self,
        fields: &[Column<'_>],
        attrs: &[&[Option<&str>]],
        out: &mut [&mut [u8]],
    ) {
        let attrs: Vec<Labels<'_>> = attrs.iter().map(|c| Labels::Text(c)).collect();
        self.judge_into(fields, &attrs, out);
    }

    /// What [`judge_typed_into`](Self::judge_typed_into) does, with attribute columns that
    /// may be coded ([`Labels`]): a coded column's filters are decided once per label, then
    /// looked up by each row's code.
    ///
    /// ```
    /// use plan_rules::row::{Column, Labels, RowRules, RowVerdict};
    ///
    /// let plan = plan_rules::Plan::xicheng_2016_2020()?;
    /// let rules = RowRules::for_entity_kind(&plan, "school");
    /// let mut fields = vec![Column::Missing; rules.fields().len()];
    /// let eligible = [200, 200, 200];
    /// let passed = [200, 199, 200];
    /// fields[rules.field_index("health_test_eligible").unwrap()] = Column::Int32(&eligible);
    /// fields[rules.field_index("health_test_passed").unwrap()] = Column::Int32(&passed);
    /// // `level` as a categorical column: codes into its categories (-1: missing).
    /// let level = Labels::Codes8 {
    ///     codes: &[0, 0, 1],
    ///     labels: &[Some("primary"), Some("special_education")],
    /// };
    /// let mut verdicts = vec![vec![0u8; 3]; rules.targets().len()];
    /// let mut out: Vec<&mut [u8]> = verdicts.iter_mut().map(Vec::as_mut_slice).collect();
    /// rules.judge_into(&fields, &[level], &mut out);
    /// let a61 = rules.targets().iter().position(|t| t.id == "A6.1").unwrap();
    /// let codes = [RowVerdict::Met, RowVerdict::NotMet, RowVerdict::NotApplicable];
    /// assert_eq!(verdicts[a61], codes.map(|v| v as u8));
    /// # Ok::<(), plan_rules::SpecErrors>(())
    /// ```
    pub fn judge_into(&self, fields: &[Column<'_>], attrs: &[Labels<'_>], out: &mut [&mut [u8]]) {
        let rows = fields
            .iter()
            .map(Column::len)
            .chain(attrs.iter().map(Labels::len))
            .max()
            .unwrap_or(0);
        if fields.iter().any(|c| matches!(c, Column::Values(_))) {
            let value = |f: usize, i: usize| fields.get(f).map_or(RowValue::Missing, |c| c.get(i));
            self.judge_each_row(rows, value, attrs, |i, verdicts| {
                for (col, v) in out.iter_mut().zip(verdicts) {
                    if let Some(slot) = col.get_mut(i) {
                        *slot = *v as u8;
                    }
                }
            });
            return;
        }
        let filters = Filters::new(
            self.compiled.iter().map(|c| c.filter.as_slice()),
            &self.allowed,
            attrs,
        );
        let nf = self.fields.len();
        // The general path's buffers, made when a block first needs them.
        let mut general: Option<Block> = None;
        let mut lanes = Lanes::plan(self, fields, BLOCK);
        let mut start = 0;
        while start < rows {
            let end = rows.min(start + BLOCK);
            if let Some(lanes) = lanes.as_mut()
                && lanes.judge_block(self, fields, (&filters, attrs), start..end, out)
            {
                start = end;
                continue;
            }
            let block = general.get_or_insert_with(|| Block::new(fields, nf));
            self.judge_block(block, fields, (&filters, attrs), start..end, out);
            start = end;
        }
    }

    /// Judges many rows given as columns (one slice per field and per attribute, all the same
    /// length); returns one column of verdicts per target. Columns that are too short count as
    /// missing values. Each row is judged as [`judge`](Self::judge) judges it (whole numbers
    /// without decimals); for whole-number and flag columns,
    /// [`judge_typed_columns`](Self::judge_typed_columns) is faster.
    pub fn judge_columns(
        &self,
        fields: &[&[RowValue]],
        attrs: &[&[Option<&str>]],
    ) -> Vec<Vec<RowVerdict>> {
        let rows = fields
            .iter()
            .map(|c| c.len())
            .chain(attrs.iter().map(|c| c.len()))
            .max()
            .unwrap_or(0);
        let mut out = vec![vec![RowVerdict::Missing; rows]; self.targets.len()];
        let value = |f: usize, i: usize| {
            fields
                .get(f)
                .and_then(|c| c.get(i))
                .copied()
                .unwrap_or(RowValue::Missing)
        };
        let attrs: Vec<Labels<'_>> = attrs.iter().map(|c| Labels::Text(c)).collect();
        self.judge_each_row(rows, value, &attrs, |i, verdicts| {
            for (col, v) in out.iter_mut().zip(verdicts) {
                if let Some(slot) = col.get_mut(i) {
                    *slot = *v;
                }
            }
        });
        out
    }

    /// Judges rows `0..rows` one record at a time with [`judge`](Self::judge): `value(f, i)` is
    /// field `f` of row `i`; `verdicts(i, ..)` receives each row's verdicts.
    fn judge_each_row(
        &self,
        rows: usize,
        value: impl Fn(usize, usize) -> RowValue,
        attrs: &[Labels<'_>],
        mut verdicts: impl FnMut(usize, &[RowVerdict]),
    ) {
        let mut row = vec![RowValue::Missing; self.fields.len()];
        let mut arow: Vec<Option<&str>> = vec![None; self.attributes.len()];
        let mut out = vec![RowVerdict::Missing; self.targets.len()];
        for i in 0..rows {
            for (f, slot) in row.iter_mut().enumerate() {
                *slot = value(f, i);
            }
            for (a, slot) in arow.iter_mut().enumerate() {
                *slot = attrs.get(a).and_then(|c| c.get(i));
            }
            self.judge(&row, &arow, &mut out);
            verdicts(i, &out);
        }
    }
}

/// The verdict of a code.
fn verdict_of(code: u8) -> RowVerdict {
    match code {
        MET => RowVerdict::Met,
        NOT_MET => RowVerdict::NotMet,
        INVALID => RowVerdict::Invalid,
        NOT_APPLICABLE => RowVerdict::NotApplicable,
        _ => RowVerdict::Missing,
    }
}

/// Rows per block of [`RowRules::judge_typed_into`]. Longer runs of each column let the
/// hardware prefetchers keep up: 2,048 rows took 22 ms where 8,192 to 65,536 took 15-17 ms for
/// `bench/`'s `district20` million rows on `i64` columns (one thread); the lane path's
/// narrowed block of 20 columns (1.3 MB at 16,384 rows) stays in the caches.
const BLOCK: usize = 16384;
/// A field's state in a block: a possible value, or the verdict codes of missing and invalid.
const FINE: u8 = u8::MAX;
const MISSING: u8 = RowVerdict::Missing as u8;
const INVALID: u8 = RowVerdict::Invalid as u8;
const MET: u8 = RowVerdict::Met as u8;
const NOT_MET: u8 = RowVerdict::NotMet as u8;
const NOT_APPLICABLE: u8 = RowVerdict::NotApplicable as u8;

/// A target's verdicts with its filter's: a row the filter leaves out ([`MISSING`],
/// [`NOT_APPLICABLE`]) takes the filter's verdict.
fn merge_filter(o: &mut [u8], filter: &[u8]) {
    for (o, f) in o.iter_mut().zip(filter) {
        *o = if *f != FINE { *f } else { *o };
    }
}

/// The least whole number at or above `d`.
fn ceil_i128(d: Decimal) -> i128 {
    let mut c = d.ceil();
    c.rescale(0);
    c.mantissa()
}

/// The greatest whole number at or below `d`.
fn floor_i128(d: Decimal) -> i128 {
    let mut c = d.floor();
    c.rescale(0);
    c.mantissa()
}

/// The verdict an attribute filter gives before any value is read: `not_applicable` when an
/// attribute the filter reads is outside its list, else `missing` when one is absent (as full
/// evaluation counts an entity whose attribute is unknown), else `None` (the record is in; an
/// attribute outside the dictionary's values then makes it invalid, see [`RowRules::judge`]).
fn filter_verdict<'a>(
    filter: &[(usize, Vec<String>)],
    attr: impl Fn(usize) -> Option<&'a str>,
) -> Option<RowVerdict> {
    let mut unknown = false;
    for (a, allowed) in filter {
        match attr(*a) {
            None => unknown = true,
            Some(v) if !allowed.iter().any(|x| x == v) => return Some(RowVerdict::NotApplicable),
            Some(_) => {}
        }
    }
    unknown.then_some(RowVerdict::Missing)
}

/// Whether a value fits its type (`-0` is zero, as the dataset loader reads it).
#[inline(always)]
fn value_possible(check: &FieldCheck, v: RowValue) -> bool {
    match (check.value_type, v) {
        (_, RowValue::Missing) => true,
        (_, RowValue::Invalid) => false,
        (ValueType::Count, RowValue::Int(_)) if check.signed => true,
        (ValueType::Count, RowValue::Num(d)) if check.signed => {
            d.scale() == 0 || d.fract().is_zero()
        }
        (ValueType::Quantity | ValueType::Percent, RowValue::Int(_) | RowValue::Num(_))
            if check.signed =>
        {
            true
        }
        (ValueType::Count | ValueType::Quantity, RowValue::Int(n)) => n >= 0,
        (ValueType::Percent, RowValue::Int(n)) => (0..=100).contains(&n),
        (ValueType::Count, RowValue::Num(d)) => {
            !negative(d) && (d.scale() == 0 || d.fract().is_zero())
        }
        (ValueType::Quantity, RowValue::Num(d)) => !negative(d),
        (ValueType::Percent, RowValue::Num(d)) => {
            !negative(d) && arith::order(d, Decimal::ONE_HUNDRED).is_le()
        }
        (ValueType::Flag, RowValue::Flag(_)) => true,
        (ValueType::State, RowValue::State(i)) => i < check.states.len(),
        _ => false,
    }
}

/// Below zero (`-0` is not).
fn negative(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// Whether a value is within its total (when both are numbers).
#[inline(always)]
fn within_total(v: RowValue, total: Option<RowValue>) -> bool {
    match (Number::of(v), total.and_then(Number::of)) {
        (Some(v), Some(t)) => v.order(t).is_le(),
        _ => true,
    }
}

/// A number of a row: whole numbers stay in `i64`, so a record of counts is judged without
/// decimal arithmetic.
#[derive(Debug, Clone, Copy)]
enum Number {
    Int(i64),
    Dec(Decimal),
}

impl Number {
    #[inline(always)]
    fn of(v: RowValue) -> Option<Number> {
        match v {
            RowValue::Int(n) => Some(Number::Int(n)),
            RowValue::Num(d) => Some(Number::Dec(d)),
            _ => None,
        }
    }

    fn decimal(self) -> Decimal {
        match self {
            Number::Int(n) => Decimal::from(n),
            Number::Dec(d) => d,
        }
    }

    fn is_zero(self) -> bool {
        match self {
            Number::Int(n) => n == 0,
            Number::Dec(d) => d.is_zero(),
        }
    }

    /// Exact ordering.
    #[inline(always)]
    fn order(self, other: Number) -> std::cmp::Ordering {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a.cmp(&b),
            (Number::Int(a), Number::Dec(b)) if b.scale() == 0 => i128::from(a).cmp(&b.mantissa()),
            (Number::Dec(a), Number::Int(b)) if a.scale() == 0 => a.mantissa().cmp(&i128::from(b)),
            (a, b) => arith::order(a.decimal(), b.decimal()),
        }
    }

    /// The value a comparison reads: itself, or rounded half to even (whole numbers are their
    /// own rounding).
    fn rounded(self, cmp: Comparison) -> Number {
        match (self, cmp) {
            (Number::Dec(d), Comparison::RoundedValue { decimals }) => {
                Number::Dec(arith::round_half_even(d, decimals))
            }
            (n, _) => n,
        }
    }
}

/// The test of a measure against a limit: reaching it (`>=`, with the fast minimum paths) or
/// another bound.
fn bound(field: usize, op: Op, limit: Decimal) -> Test {
    if op.is_default() {
        Test::AtLeast {
            field,
            min: limit,
            exact: false,
        }
    } else {
        Test::Bound { field, op, limit }
    }
}

/// Applies a compiled test, reading values through `get`.
fn test(
    c: &Compiled,
    get: impl Fn(usize) -> Result<RowValue, RowVerdict>,
) -> Result<RowVerdict, RowVerdict> {
    let verdict = |met: bool| {
        if met {
            RowVerdict::Met
        } else {
            RowVerdict::NotMet
        }
    };
    match &c.test {
        Test::Ratio {
            num,
            den,
            percent,
            condition,
            op,
            gross,
        } => {
            let number = |f: usize| get(f).map(Number::of);
            let (n, d) = (number(*num), number(*den));
            // A condition reads both values first: either's being impossible decides before
            // either's absence (as coverage reads an entity).
            if *condition
                && [&n, &d]
                    .iter()
                    .any(|v| matches!(v, Err(RowVerdict::Invalid)))
            {
                return Err(RowVerdict::Invalid);
            }
            let (Some(n), Some(d)) = (n?, d?) else {
                return Err(RowVerdict::Invalid);
            };
            let n_to_d = n.order(d);
            if *condition {
                // One entity's condition: no ratio without a denominator; arithmetic beyond
                // exact decimals does not reach the percentage (as coverage judges it).
                if d.is_zero() {
                    return Err(RowVerdict::Missing);
                }
                let met = match c.comparison {
                    Comparison::FullValue => {
                        arith::percent_at_least(n.decimal(), d.decimal(), *percent).unwrap_or(false)
                    }
                    Comparison::RoundedValue { decimals } => {
                        arith::round_percent(n.decimal(), d.decimal(), decimals)
                            .is_ok_and(|r| r >= *percent)
                    }
                };
                return Ok(verdict(met));
            }
            if d.is_zero() || (n_to_d.is_gt() && !*gross) {
                return Err(RowVerdict::Invalid);
            }
            let met = match c.comparison {
                // n / d × 100 against 100 is n against d: no multiplication needed.
                Comparison::FullValue if *percent == Decimal::ONE_HUNDRED => Ok(op.holds(n_to_d)),
                Comparison::FullValue => Ok(op.holds(arith::compare_products(
                    n.decimal(),
                    Decimal::ONE_HUNDRED,
                    *percent,
                    d.decimal(),
                ))),
                Comparison::RoundedValue { decimals } => {
                    arith::round_percent(n.decimal(), d.decimal(), decimals)
                        .map(|r| op.holds(r.cmp(percent)))
                }
            };
            met.map(verdict).map_err(|_| RowVerdict::Invalid)
        }
        Test::AtLeast { field, min, exact } => {
            let Some(v) = Number::of(get(*field)?) else {
                return Err(RowVerdict::Invalid);
            };
            let v = if *exact { v } else { v.rounded(c.comparison) };
            Ok(verdict(v.order(Number::Dec(*min)).is_ge()))
        }
        Test::Bound { field, op, limit } => {
            let Some(v) = Number::of(get(*field)?) else {
                return Err(RowVerdict::Invalid);
            };
            let v = v.rounded(c.comparison);
            Ok(verdict(op.holds(v.order(Number::Dec(*limit)))))
        }
        Test::Band {
            field,
            lower,
            upper,
            above_met,
        } => {
            let Some(v) = Number::of(get(*field)?) else {
                return Err(RowVerdict::Invalid);
            };
            let v = v.rounded(c.comparison);
            Ok(verdict(
                v.order(Number::Dec(*lower)).is_ge()
                    && (*above_met || v.order(Number::Dec(*upper)).is_le()),
            ))
        }
        Test::Flag { field } => match get(*field)? {
            RowValue::Flag(b) => Ok(verdict(b)),
            _ => Err(RowVerdict::Invalid),
        },
        Test::State { field, rank } => match get(*field)? {
            RowValue::State(r) => Ok(verdict(r >= *rank)),
            _ => Err(RowVerdict::Invalid),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: i64) -> RowValue {
        RowValue::Num(Decimal::from(v))
    }

    #[test]
    fn school_rows() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let rules = RowRules::for_entity_kind(&plan, "school");
        let ids: Vec<&str> = rules.targets().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "A4.1",
                "A6.1",
                "A6.2",
                "A7",
                "B3/schools",
                "B3/teachers",
                "B3/students"
            ]
        );
        let idx = |f: &str| rules.field_index(f).unwrap();
        let mut row = vec![RowValue::Missing; rules.fields().len()];
        row[idx("pe_teachers")] = n(4);
        row[idx("pe_teachers_ice_snow_trained")] = n(4);
        row[idx("health_test_eligible")] = n(100);
        row[idx("health_test_passed")] = n(101);
        row[idx("students")] = n(120);
        row[idx("ice_snow_activity")] = RowValue::Flag(false);
        row[idx("teachers_foreign_affairs")] = RowValue::Num(Decimal::new(15, 1));
        let mut out = vec![RowVerdict::Missing; ids.len()];
        rules.judge(&row, &[Some("special_education")], &mut out);
        assert_eq!(out[0], RowVerdict::Met);
        assert_eq!(
            out[1],
            RowVerdict::NotApplicable,
            "special education is outside A6.1"
        );
        rules.judge(&row, &[Some("primary")], &mut out);
        assert_eq!(out[1], RowVerdict::Invalid, "passed above eligible");
        assert_eq!(out[2], RowVerdict::NotMet);
        assert_eq!(out[3], RowVerdict::Invalid, "a fractional count");
        assert_eq!(out[4], RowVerdict::Missing);
    }

    #[test]
    fn district_rows_and_columns() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let rules = RowRules::for_series(&plan);
        let ids: Vec<&str> = rules.targets().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["A1", "A2", "A3", "A8.1", "B1"]);
        let bases = rules.field_index("lifelong_learning_bases").unwrap();
        let mut cols: Vec<Vec<RowValue>> = vec![vec![RowValue::Missing; 2]; rules.fields().len()];
        cols[bases] = vec![n(99), n(100)];
        let views: Vec<&[RowValue]> = cols.iter().map(Vec::as_slice).collect();
        let out = rules.judge_columns(&views, &[]);
        let a81 = ids.iter().position(|i| *i == "A8.1").unwrap();
        assert_eq!(out[a81], vec![RowVerdict::NotMet, RowVerdict::Met]);
        assert_eq!(out[0], vec![RowVerdict::Missing, RowVerdict::Missing]);
    }

    #[test]
    fn raw_values_are_read_by_the_dataset_rules() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let school = RowRules::for_entity_kind(&plan, "school");
        let students = school.field_index("students").unwrap();
        let flag = school.field_index("ice_snow_activity").unwrap();
        assert_eq!(school.value_type(students), Some(ValueType::Count));
        assert_eq!(school.attribute_index("level"), Some(0));
        assert_eq!(school.attribute_index("street"), None);
        let num = |t: &str| RawValue::Number(t.into());
        let text = |t: &str| RawValue::Text(t.into());
        assert_eq!(school.read(students, &num("120")), n(120));
        assert_eq!(
            school.read(students, &text("99.950")),
            RowValue::Num(Decimal::new(99950, 3))
        );
        assert_eq!(school.read(students, &text("abc")), RowValue::Invalid);
        assert_eq!(
            school.read(students, &RawValue::Bool(true)),
            RowValue::Invalid
        );
        assert_eq!(school.read(students, &RawValue::Null), RowValue::Missing);
        assert_eq!(
            school.read(flag, &RawValue::Bool(false)),
            RowValue::Flag(false)
        );
        assert_eq!(school.read(flag, &text("true")), RowValue::Invalid);
        assert_eq!(school.read_text(students, " 7 "), n(7));
        assert_eq!(school.read_text(flag, "true"), RowValue::Invalid);
        assert_eq!(school.read(99, &num("1")), RowValue::Invalid);

        let projects = RowRules::for_entity_kind(&plan, "project");
        let state = projects.field_index("state").unwrap();
        assert_eq!(projects.states(state).len(), 4);
        assert_eq!(projects.states(students), &[] as &[String]);
        assert_eq!(projects.read(state, &text("in_use")), RowValue::State(3));
        assert_eq!(projects.read(state, &text("demolished")), RowValue::Invalid);
        assert_eq!(projects.read(state, &num("3")), RowValue::Invalid);
        let mut out = vec![RowVerdict::Missing; projects.targets().len()];
        for (value, verdict) in [
            (RowValue::State(3), RowVerdict::Met),
            (RowValue::State(2), RowVerdict::NotMet),
            (RowValue::State(4), RowVerdict::Invalid),
            (RowValue::Invalid, RowVerdict::Invalid),
            (RowValue::Flag(true), RowVerdict::Invalid),
            (RowValue::Missing, RowVerdict::Missing),
        ] {
            projects.judge(&[value], &[], &mut out);
            assert_eq!(out, vec![verdict], "{value:?}");
            let cols = projects.judge_columns(&[&[value]], &[]);
            assert_eq!(cols, vec![vec![verdict]], "{value:?}");
        }
    }

    #[test]
    fn an_absent_filter_attribute_is_missing_and_minus_zero_is_zero() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let rules = RowRules::for_entity_kind(&plan, "school");
        let ids: Vec<&str> = rules.targets().iter().map(|t| t.id.as_str()).collect();
        let a61 = ids.iter().position(|i| *i == "A6.1").unwrap();
        let idx = |f: &str| rules.field_index(f).unwrap();
        let mut row = vec![RowValue::Missing; rules.fields().len()];
        row[idx("health_test_eligible")] = n(10);
        row[idx("health_test_passed")] = n(10);
        let mut out = vec![RowVerdict::Missing; ids.len()];
        // Full evaluation counts an entity whose filter attribute is unknown as missing.
        for (level, verdict) in [
            (None, RowVerdict::Missing),
            (Some("special_education"), RowVerdict::NotApplicable),
            (Some("primary"), RowVerdict::Met),
        ] {
            rules.judge(&row, &[level], &mut out);
            assert_eq!(out[a61], verdict, "{level:?}");
            let cols: Vec<&[RowValue]> = row.iter().map(std::slice::from_ref).collect();
            assert_eq!(rules.judge_columns(&cols, &[&[level]])[a61], vec![verdict]);
            let typed: Vec<Column<'_>> = cols.iter().map(|c| Column::Values(c)).collect();
            assert_eq!(
                rules.judge_typed_columns(&typed, &[&[level]])[a61],
                vec![verdict]
            );
        }
        rules.judge(&row, &[], &mut out);
        assert_eq!(out[a61], RowVerdict::Missing, "no attribute at all");
        // `-0` is zero, as the dataset loader reads it.
        let mut minus_zero = Decimal::ZERO;
        minus_zero.set_sign_negative(true);
        assert!(minus_zero.is_sign_negative());
        row[idx("health_test_passed")] = RowValue::Num(minus_zero);
        rules.judge(&row, &[Some("primary")], &mut out);
        assert_eq!(out[a61], RowVerdict::NotMet);
        row[idx("health_test_eligible")] = RowValue::Num(minus_zero);
        rules.judge(&row, &[Some("primary")], &mut out);
        assert_eq!(out[a61], RowVerdict::Invalid, "a zero denominator");
        let district = RowRules::for_series(&plan);
        let bases = district.field_index("lifelong_learning_bases").unwrap();
        let mut drow = vec![RowValue::Missing; district.fields().len()];
        drow[bases] = RowValue::Num(minus_zero);
        let mut dout = vec![RowVerdict::Missing; district.targets().len()];
        district.judge(&drow, &[], &mut dout);
        let a81 = district
            .targets()
            .iter()
            .position(|t| t.id == "A8.1")
            .unwrap();
        assert_eq!(dout[a81], RowVerdict::NotMet);
    }

    /// Every rule set of the plan, and the school's again with other percentages, another
    /// minimum and band, and rounded comparisons put in.
    fn rule_sets() -> Vec<RowRules> {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let mut altered = RowRules::for_entity_kind(&plan, "school");
        for (k, c) in altered.compiled.iter_mut().enumerate() {
            match &mut c.test {
                Test::Ratio {
                    percent,
                    op,
                    gross,
                    condition: false,
                    ..
                } => {
                    *percent = [
                        Decimal::new(955, 1),
                        Decimal::new(50, 0),
                        Decimal::new(1, 28),
                    ][k % 3];
                    // Every bound, and gross rates, through the same paths.
                    *op = [Op::AtLeast, Op::Above, Op::AtMost, Op::Below][k % 4];
                    *gross = k % 5 == 0;
                }
                Test::Ratio { percent, .. } => {
                    *percent = [
                        Decimal::new(955, 1),
                        Decimal::new(50, 0),
                        Decimal::new(1, 28),
                    ][k % 3];
                }
                Test::AtLeast { min, .. } => *min = Decimal::new(25, 1),
                Test::Band { lower, upper, .. } => {
                    (*lower, *upper) = (Decimal::new(-15, 1), Decimal::new(45, 1));
                }
                _ => {}
            }
            // The plan's bands are not row-judgeable on a school-year: make some minimums bands
            // ("about 3", above it met or not).
            if let Test::AtLeast { field, .. } = c.test
                && k % 3 != 1
            {
                c.test = Test::Band {
                    field,
                    lower: Decimal::new(25, 1),
                    upper: Decimal::new(35, 1),
                    above_met: k % 3 == 0,
                };
            } else if let Test::AtLeast { field, .. } = c.test
                && k % 2 == 1
            {
                // And the other bounds on a field (`> 2.5`, `<= 2.5`, `< 3`).
                let i = (k / 6) % 3;
                c.test = Test::Bound {
                    field,
                    op: [Op::Above, Op::AtMost, Op::Below][i],
                    limit: [Decimal::new(25, 1), Decimal::new(25, 1), Decimal::new(3, 0)][i],
                };
            }
            if k % 2 == 1 {
                c.comparison = Comparison::RoundedValue { decimals: 1 };
            }
            c.whole = WholeTest::of(&c.test, c.comparison);
        }
        // At full value, rates at other percentages and bands, bounds: what the lane path
        // judges besides the plan's own tests (a district series such as bench/plans/district-20.json).
        let mut banded = RowRules::for_entity_kind(&plan, "school");
        for (k, c) in banded.compiled.iter_mut().enumerate() {
            match &mut c.test {
                Test::Ratio {
                    percent,
                    condition: false,
                    ..
                } => {
                    *percent = [
                        Decimal::new(955, 1),
                        Decimal::new(50, 0),
                        Decimal::new(12345, 3),
                    ][k % 3];
                }
                Test::AtLeast { field, .. } => {
                    let field = *field;
                    c.test = match k % 3 {
                        0 => Test::Band {
                            field,
                            lower: Decimal::new(25, 1),
                            upper: Decimal::new(35, 1),
                            above_met: k % 2 == 0,
                        },
                        1 => Test::Bound {
                            field,
                            op: Op::AtMost,
                            limit: Decimal::new(3, 0),
                        },
                        _ => Test::Bound {
                            field,
                            op: Op::Below,
                            limit: Decimal::new(1, 0),
                        },
                    };
                }
                _ => {}
            }
            c.whole = WholeTest::of(&c.test, c.comparison);
        }
        // The same with signed fields: a rate's values may then be negative and possible,
        // which the lane path's unsigned products cannot take (it leaves such a rate to the
        // general path); and percents whose whole-number form is beyond 32 bits.
        let mut signed = banded.clone();
        for check in &mut signed.checks {
            check.signed = true;
        }
        let mut wide = banded.clone();
        for (k, c) in wide.compiled.iter_mut().enumerate() {
            if let Test::Ratio { percent, .. } = &mut c.test {
                *percent = [
                    Decimal::new(99_999_999_999, 9),
                    Decimal::new(4_294_967_296, 8),
                ][k % 2];
            }
            c.whole = WholeTest::of(&c.test, c.comparison);
        }
        vec![
            RowRules::for_series(&plan),
            RowRules::for_entity_kind(&plan, "school"),
            RowRules::for_entity_kind(&plan, "project"),
            altered,
            banded,
            signed,
            wide,
        ]
    }

    /// What `judge_columns` gives for the values of typed columns, row by row: the reference
    /// the block paths are compared with.
    fn by_rows(
        rules: &RowRules,
        typed: &[Column<'_>],
        attrs: &[&[Option<&str>]],
        rows: usize,
    ) -> Vec<Vec<RowVerdict>> {
        let values: Vec<Vec<RowValue>> = typed
            .iter()
            .map(|c| (0..rows).map(|i| c.get(i)).collect())
            .collect();
        let views: Vec<&[RowValue]> = values.iter().map(Vec::as_slice).collect();
        rules.judge_columns(&views, attrs)
    }

    /// A small deterministic generator: `next(n)` is below `n`.
    fn xorshift(mut state: u64) -> impl FnMut(u64) -> u64 {
        move |n| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        }
    }

    /// The typed path against `judge_columns` on random whole numbers (edge values, extremes),
    /// flags, missing values and labels, for every rule set of the plan, also with other
    /// percentages and rounded comparisons put in.
    #[test]
    fn typed_columns_agree_with_decimals_on_random_inputs() {
        let sets = rule_sets();
        let mut next = xorshift(987_654_321);
        for rules in &sets {
            let nf = rules.fields().len();
            let rows = 3000;
            let edge = [-1, 0, 1, 2, 3, 5, 8, 99, 100, 101, 1000, i64::MAX, i64::MIN];
            let edge32 = [-1, 0, 1, 2, 3, 5, 99, 100, 101, i32::MAX, i32::MIN].map(i64::from);
            let mut ints: Vec<Vec<i64>> = vec![Vec::new(); nf];
            let mut ints32: Vec<Vec<i32>> = vec![Vec::new(); nf];
            let mut opts: Vec<Vec<Option<i64>>> = vec![Vec::new(); nf];
            let mut flags: Vec<Vec<bool>> = vec![Vec::new(); nf];
            let mut levels = Vec::new();
            for row in 0..rows {
                for f in 0..nf {
                    // Some fields' values fit in i32 in some blocks (the narrow loops), others
                    // reach the whole i64 range.
                    let small = !(f + row / BLOCK).is_multiple_of(3);
                    let v = match (next(4), small) {
                        (0, true) => next(1 << 21) as i64 - (1 << 20),
                        (0, false) => next(1 << 40) as i64 - (1 << 20),
                        (_, true) => edge32[next(edge32.len() as u64) as usize],
                        (_, false) => edge[next(edge.len() as u64) as usize],
                    };
                    ints[f].push(v);
                    ints32[f].push(i32::try_from(v).unwrap_or(i32::MAX));
                    opts[f].push((next(5) != 0).then_some(v));
                    flags[f].push(next(2) == 0);
                }
                levels.push([Some("primary"), Some("special_education"), None][next(3) as usize]);
            }
            for round in 0..7 {
                let typed: Vec<Column<'_>> = (0..nf)
                    .map(|f| match (next(7) + round) % 7 {
                        0 => Column::Flags(&flags[f]),
                        1 => Column::Missing,
                        2 => Column::OptInt64(&opts[f]),
                        3 => Column::Int64(&ints[f][..rows - 7]),
                        4 => Column::Int32(&ints32[f]),
                        _ => Column::Int64(&ints[f]),
                    })
                    .collect();
                let attrs = [levels.as_slice()];
                let expected = by_rows(rules, &typed, &attrs, rows);
                assert_eq!(rules.judge_typed_columns(&typed, &attrs), expected);
            }
        }
    }

    /// Complete whole-number and flag columns (the lane path, `row/lanes.rs`) against
    /// `judge_columns`: small values that meet, miss and exceed their totals, the edges of
    /// `i32`, and some blocks of `Int64` values beyond it (judged by the general path).
    #[test]
    fn lanes_agree_with_judging_row_by_row() {
        let mut next = xorshift(55_555);
        let mut lane_blocks = 0;
        for rules in &rule_sets() {
            let nf = rules.fields().len();
            let rows = 5 * BLOCK + 77;
            let edge = [-1, 0, 1, 2, 3, 4, 99, 100, 101, i32::MAX, i32::MIN];
            let mut ints32: Vec<Vec<i32>> = vec![Vec::new(); nf];
            let mut ints: Vec<Vec<i64>> = vec![Vec::new(); nf];
            let mut flags: Vec<Vec<bool>> = vec![Vec::new(); nf];
            let mut levels = Vec::new();
            for row in 0..rows {
                for f in 0..nf {
                    let v = match next(8) {
                        0 => edge[next(edge.len() as u64) as usize],
                        _ => next(6) as i32,
                    };
                    ints32[f].push(v);
                    // The fourth block of every third field's Int64 column does not fit i32.
                    let wide = row / BLOCK == 3 && f % 3 == 0 && next(50) == 0;
                    ints[f].push(if wide { i64::MAX - 1 } else { i64::from(v) });
                    flags[f].push(next(2) == 0);
                }
                levels.push([Some("primary"), Some("special_education"), None][next(3) as usize]);
            }
            let attrs = [levels.as_slice()];
            for round in 0..4 {
                let typed: Vec<Column<'_>> = (0..nf)
                    .map(|f| match (rules.value_type(f), (f as u64 + round) % 4) {
                        (Some(ValueType::Flag), 3) => Column::Int32(&ints32[f]),
                        (Some(ValueType::Flag), _) => Column::Flags(&flags[f]),
                        (_, 0 | 2) => Column::Int32(&ints32[f]),
                        _ => Column::Int64(&ints[f]),
                    })
                    .collect();
                let Some(mut lanes) = Lanes::plan(rules, &typed, BLOCK) else {
                    continue;
                };
                let mut scratch = vec![vec![0u8; BLOCK]; rules.targets().len()];
                let mut views: Vec<&mut [u8]> = scratch.iter_mut().map(Vec::as_mut_slice).collect();
                let labels = [Labels::Text(&levels)];
                let filters = Filters::new(
                    rules.compiled.iter().map(|c| &c.filter[..]),
                    &rules.allowed,
                    &labels,
                );
                if lanes.judge_block(rules, &typed, (&filters, &labels), 0..BLOCK, &mut views) {
                    lane_blocks += 1;
                }
                let expected = by_rows(rules, &typed, &attrs, rows);
                assert_eq!(rules.judge_typed_columns(&typed, &attrs), expected);
                // Verdict slices shorter than the rows, as the binding's chunks may be.
                let mut short = vec![vec![9u8; rows - 100]; rules.targets().len()];
                let mut views: Vec<&mut [u8]> = short.iter_mut().map(Vec::as_mut_slice).collect();
                rules.judge_typed_into(&typed, &attrs, &mut views);
                for (s, e) in short.iter().zip(&expected) {
                    let e: Vec<u8> = e.iter().take(rows - 100).map(|v| *v as u8).collect();
                    assert_eq!(s, &e);
                }
            }
        }
        // The district, school and banded targets take the lane path in every round; the
        // altered set (rounded comparisons, other bounds of rates), the project set (a state
        // test), the signed set (rates on fields that may be negative) and the wide set (rates
        // beyond 32 bits) never do.
        assert_eq!(lane_blocks, 12);
    }

    /// Coded attribute columns give the verdicts of the same labels row by row: 8- and 32-bit
    /// codes, negative codes, codes beyond the list, missing labels, short columns, on the lane
    /// path and the general one.
    #[test]
    fn coded_labels_give_the_verdicts_of_their_labels() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let rules = RowRules::for_entity_kind(&plan, "school");
        let nf = rules.fields().len();
        let mut next = xorshift(4242);
        let rows = 3 * BLOCK + 5;
        let ints: Vec<Vec<i32>> = (0..nf)
            .map(|_| (0..rows).map(|_| next(4) as i32).collect())
            .collect();
        let opts: Vec<Vec<Option<i64>>> = ints
            .iter()
            .map(|c| {
                c.iter()
                    .map(|v| (*v != 3).then_some(i64::from(*v)))
                    .collect()
            })
            .collect();
        let flags: Vec<Vec<bool>> = ints
            .iter()
            .map(|c| c.iter().map(|v| *v > 1).collect())
            .collect();
        let list = [
            Some("primary"),
            Some("special_education"),
            None,
            Some("middle"),
            Some("primary"),
        ];
        // A longer list (more labels than the per-label passes take), "primary" again at 17.
        let mut long = list.to_vec();
        long.extend((0..15).map(|k| [Some("x"), Some("primary")][usize::from(k == 12)]));
        let codes8: Vec<i8> = (0..rows - 3).map(|_| next(8) as i8 - 2).collect();
        let long8: Vec<i8> = (0..rows).map(|_| next(24) as i8 - 2).collect();
        let codes32: Vec<i32> = codes8
            .iter()
            .map(|c| if *c == 5 { i32::MAX } else { i32::from(*c) })
            .collect();
        let decode = |list: &[Option<&'static str>], code: i64| {
            usize::try_from(code)
                .ok()
                .and_then(|c| list.get(c))
                .copied()
                .flatten()
        };
        let text8: Vec<Option<&str>> = codes8.iter().map(|c| decode(&list, (*c).into())).collect();
        let long_text: Vec<Option<&str>> =
            long8.iter().map(|c| decode(&long, (*c).into())).collect();
        let text32: Vec<Option<&str>> =
            codes32.iter().map(|c| decode(&list, (*c).into())).collect();
        for lanes in [true, false] {
            let typed: Vec<Column<'_>> = (0..nf)
                .map(|f| match (rules.value_type(f), lanes) {
                    (Some(ValueType::Flag), _) => Column::Flags(&flags[f]),
                    (_, true) => Column::Int32(&ints[f]),
                    (_, false) => Column::OptInt64(&opts[f]),
                })
                .collect();
            assert_eq!(Lanes::plan(&rules, &typed, BLOCK).is_some(), lanes);
            for (coded, text) in [
                (
                    Labels::Codes8 {
                        codes: &codes8,
                        labels: &list,
                    },
                    &text8,
                ),
                (
                    Labels::Codes8 {
                        codes: &long8,
                        labels: &long,
                    },
                    &long_text,
                ),
                (
                    Labels::Codes32 {
                        codes: &codes32,
                        labels: &list,
                    },
                    &text32,
                ),
            ] {
                let expected = rules.judge_typed_columns(&typed, &[text.as_slice()]);
                let mut got = vec![vec![9u8; rows]; rules.targets().len()];
                let mut views: Vec<&mut [u8]> = got.iter_mut().map(Vec::as_mut_slice).collect();
                rules.judge_into(&typed, &[coded], &mut views);
                let got: Vec<Vec<RowVerdict>> = got
                    .into_iter()
                    .map(|c| c.into_iter().map(verdict_of).collect())
                    .collect();
                assert_eq!(got, expected);
                // Every filter verdict occurs.
                let a61 = rules.targets().iter().position(|t| t.id == "A6.1").unwrap();
                for v in [
                    RowVerdict::Met,
                    RowVerdict::Missing,
                    RowVerdict::NotApplicable,
                ] {
                    assert!(expected[a61].contains(&v), "{v:?}");
                }
                // A filter on two attributes (the plan has none): left out by either, missing
                // when either is absent and neither leaves the row out, as `judge` decides.
                let mut two = rules.clone();
                two.attributes.push("street".into());
                two.compiled[a61].filter.push((1, vec!["月坛".into()]));
                let streets = [Some("月坛"), Some("德胜"), None];
                let street: Vec<i8> = (0..rows).map(|_| next(4) as i8 - 1).collect();
                let street_text: Vec<Option<&str>> = street
                    .iter()
                    .map(|c| usize::try_from(*c).ok().and_then(|c| streets[c]))
                    .collect();
                let expected = by_rows(&two, &typed, &[text.as_slice(), &street_text], rows);
                assert_eq!(
                    two.judge_typed_columns(&typed, &[text.as_slice(), &street_text]),
                    expected
                );
                let coded_street = Labels::Codes8 {
                    codes: &street,
                    labels: &streets,
                };
                for attrs in [[coded, coded_street], [coded, Labels::Text(&street_text)]] {
                    let mut got = vec![vec![9u8; rows]; two.targets().len()];
                    let mut out: Vec<&mut [u8]> = got.iter_mut().map(Vec::as_mut_slice).collect();
                    two.judge_into(&typed, &attrs, &mut out);
                    let got: Vec<Vec<RowVerdict>> = got
                        .into_iter()
                        .map(|c| c.into_iter().map(verdict_of).collect())
                        .collect();
                    assert_eq!(got, expected);
                }
            }
        }
    }

    #[test]
    fn whole_numbers_are_judged_as_their_decimals_are() {
        let sets = rule_sets();
        let mut next = xorshift(123_456_789);
        let edge = [
            -1,
            0,
            1,
            2,
            3,
            4,
            5,
            29,
            30,
            99,
            100,
            101,
            1000,
            i64::MAX,
            i64::MIN,
        ];
        let mut met = 0;
        for rules in &sets {
            let nf = rules.fields().len();
            for _ in 0..20_000 {
                let row: Vec<RowValue> = (0..nf)
                    .map(|f| match next(12) {
                        0 => RowValue::Missing,
                        1 => RowValue::Invalid,
                        2 => RowValue::Flag(next(2) == 0),
                        3 => RowValue::State(next(4) as usize),
                        4 => RowValue::Num(Decimal::new(next(2000) as i64 - 100, 1)),
                        5 => RowValue::Int(next(1 << 40) as i64 - (1 << 20)),
                        _ if rules.value_type(f) == Some(ValueType::Flag) && next(2) == 0 => {
                            RowValue::Flag(next(3) != 0)
                        }
                        _ => RowValue::Int(edge[next(edge.len() as u64) as usize]),
                    })
                    .collect();
                // The same values with every whole number as a decimal: judged by the
                // decimal test alone.
                let decimals: Vec<RowValue> = row
                    .iter()
                    .map(|v| match v {
                        RowValue::Int(n) => RowValue::Num(Decimal::from(*n)),
                        v => *v,
                    })
                    .collect();
                assert_eq!(row, decimals);
                let level = [Some("primary"), Some("special_education"), None][next(3) as usize];
                let attrs = vec![level; rules.attributes().len()];
                let mut fast = vec![RowVerdict::Missing; rules.targets().len()];
                let mut slow = fast.clone();
                rules.judge(&row, &attrs, &mut fast);
                rules.judge(&decimals, &attrs, &mut slow);
                assert_eq!(fast, slow, "{row:?}");
                met += fast.iter().filter(|v| **v == RowVerdict::Met).count();
            }
        }
        // The random rows reach met verdicts too, not only missing and invalid ones.
        assert!(met > 1000, "{met}");
    }

    #[test]
    fn a_whole_number_equals_its_decimal() {
        assert_eq!(RowValue::Int(5), RowValue::Num(Decimal::new(50, 1)));
        assert_eq!(RowValue::Num(Decimal::new(-0, 2)), RowValue::Int(0));
        assert_ne!(RowValue::Int(5), RowValue::Num(Decimal::new(51, 1)));
        assert_ne!(RowValue::Int(1), RowValue::Flag(true));
        assert_eq!(RowValue::number(Decimal::new(12, 0)), RowValue::Int(12));
        assert!(matches!(
            RowValue::number(Decimal::new(120, 1)),
            RowValue::Num(_)
        ));
        assert!(matches!(RowValue::number(Decimal::MAX), RowValue::Num(_)));
        assert!(matches!(RowValue::from_f64(-3.0), RowValue::Int(-3)));
    }

    #[test]
    fn floats_read_as_their_shortest_decimal_text() {
        assert_eq!(RowValue::from_f64(120.0), n(120));
        assert_eq!(RowValue::from_f64(-0.0), n(0));
        assert_eq!(RowValue::from_f64(0.1), RowValue::Num(Decimal::new(1, 1)));
        assert_eq!(
            RowValue::from_f64(99.95),
            RowValue::Num(Decimal::new(9995, 2))
        );
        assert_eq!(
            RowValue::from_f64(9_007_199_254_740_993.0),
            RowValue::Num(Decimal::from(9_007_199_254_740_992_i64))
        );
        // -134310626912275.625 exactly, a tie between two shortest texts: the even digit, as
        // JavaScript shows it
        // (`String(-134310626912275.625)` is `-134310626912275.62`).
        assert_eq!(
            RowValue::from_f64(f64::from_bits(0xc2de_89e8_4d3a_04e8)),
            RowValue::Num(Decimal::new(-13_431_062_691_227_562, 2))
        );
        assert_eq!(RowValue::from_f64(1e300), RowValue::Invalid);
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(RowValue::from_f64(v), RowValue::Invalid);
        }
    }

    #[test]
    fn typed_columns_give_the_verdicts_of_value_columns() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let rules = RowRules::for_entity_kind(&plan, "school");
        let nf = rules.fields().len();
        // A small deterministic generator over edge values: negative, zero, equal, above.
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let rows = 4000;
        let mut ints: Vec<Vec<i64>> = vec![Vec::new(); nf];
        let mut opts: Vec<Vec<Option<i64>>> = vec![Vec::new(); nf];
        let mut flags: Vec<Vec<bool>> = vec![Vec::new(); nf];
        let mut levels = Vec::new();
        for _ in 0..rows {
            for f in 0..nf {
                let v = [-1, 0, 1, 2, 3, 5, 8][next(7) as usize];
                ints[f].push(v);
                opts[f].push((next(5) != 0).then_some(v));
                flags[f].push(next(2) == 0);
            }
            levels.push([Some("primary"), Some("special_education"), None][next(3) as usize]);
        }
        let kinds: Vec<u64> = (0..nf).map(|_| next(4)).collect();
        let typed: Vec<Column<'_>> = (0..nf)
            .map(|f| match (rules.value_type(f), kinds[f]) {
                (Some(ValueType::Flag), 0) => Column::Int64(&ints[f]),
                (Some(ValueType::Flag), _) => Column::Flags(&flags[f]),
                (_, 0) => Column::OptInt64(&opts[f]),
                (_, 1) => Column::Missing,
                _ => Column::Int64(&ints[f]),
            })
            .collect();
        let values: Vec<Vec<RowValue>> = typed
            .iter()
            .map(|c| (0..rows).map(|i| c.get(i)).collect())
            .collect();
        let views: Vec<&[RowValue]> = values.iter().map(Vec::as_slice).collect();
        let attrs = [levels.as_slice()];
        let expected = rules.judge_columns(&views, &attrs);
        let got = rules.judge_typed_columns(&typed, &attrs);
        assert_eq!(got, expected);
        let as_values: Vec<Column<'_>> = views.iter().map(|v| Column::Values(v)).collect();
        assert_eq!(rules.judge_typed_columns(&as_values, &attrs), expected);
        let narrow: Vec<i32> = ints[0].iter().map(|&v| v as i32).collect();
        let mut typed64 = typed.clone();
        typed64[0] = Column::Int64(&ints[0]);
        let mut typed32 = typed.clone();
        typed32[0] = Column::Int32(&narrow);
        assert_eq!(
            rules.judge_typed_columns(&typed32, &attrs),
            rules.judge_typed_columns(&typed64, &attrs)
        );
        // Every kind of verdict occurs, so the comparison means something.
        for v in [
            RowVerdict::Met,
            RowVerdict::NotMet,
            RowVerdict::Missing,
            RowVerdict::Invalid,
            RowVerdict::NotApplicable,
        ] {
            assert!(expected.iter().flatten().any(|x| *x == v), "{v:?}");
        }
        assert_eq!(
            rules.judge_typed_columns(&[], &[]),
            vec![Vec::<RowVerdict>::new(); 7]
        );
    }
}
