//! The targets row rules leave out, and why: a target that one record cannot decide is listed
//! with a typed reason, never dropped without a word.

use serde::Serialize;

use crate::text::Text;

/// Why a target (or an all-of part) cannot be judged on one record of the rules' kind.
///
/// The record kind is checked first: a target that reads another kind of record is
/// [`OtherEntityKind`](Self::OtherEntityKind), [`DistrictSeries`](Self::DistrictSeries) or
/// [`EntityRecords`](Self::EntityRecords) whatever else it does; then what one record of the
/// right kind cannot hold (several years, two populations).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LeftOutReason {
    /// A measure sums the years since the plan began (`over_time: cumulative`); one record
    /// holds one year.
    CumulativeOverTime {
        /// The measure (`series` or `kind.field`).
        measure: String,
    },
    /// The rule compares values of several years (a growth comparison); one record holds one
    /// year.
    NeedsSeveralYears,
    /// The rule reads records of another entity kind than the rules'.
    OtherEntityKind {
        /// The entity kind the rule reads.
        reads: String,
        /// The entity kind of the rules' records.
        record: String,
    },
    /// The rule reads the district series; the rules are for an entity kind's records.
    DistrictSeries {
        /// The entity kind of the rules' records.
        record: String,
    },
    /// The rule reads an entity kind's records; the rules are for the district series.
    EntityRecords {
        /// The entity kind the rule reads.
        reads: String,
    },
    /// A rate whose numerator and denominator sum different populations (different attribute
    /// filters): one record is in both or neither, so it cannot stand for the rate.
    DifferentFilters,
    /// The rule kind is not judged on one record.
    NotRowJudgeableKind {
        /// The rule kind.
        kind: &'static str,
    },
    /// The rule reads a name the dictionary does not define (a checked plan never does).
    UnknownReference {
        /// The name.
        name: String,
    },
}

impl LeftOutReason {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LeftOutReason::CumulativeOverTime { .. } => "cumulative_over_time",
            LeftOutReason::NeedsSeveralYears => "needs_several_years",
            LeftOutReason::OtherEntityKind { .. } => "other_entity_kind",
            LeftOutReason::DistrictSeries { .. } => "district_series",
            LeftOutReason::EntityRecords { .. } => "entity_records",
            LeftOutReason::DifferentFilters => "different_filters",
            LeftOutReason::NotRowJudgeableKind { .. } => "not_row_judgeable_kind",
            LeftOutReason::UnknownReference { .. } => "unknown_reference",
        }
    }

    /// Why, in Chinese and English.
    ///
    /// ```
    /// use plan_rules::row::LeftOutReason;
    /// let r = LeftOutReason::CumulativeOverTime { measure: "reserve_cadres_selected".into() };
    /// assert_eq!(
    ///     r.message().en,
    ///     "it reads `reserve_cadres_selected` summed over the years since the plan began \
    ///      (`over_time: cumulative`), and one record holds one year"
    /// );
    /// ```
    pub fn message(&self) -> Text {
        match self {
            LeftOutReason::CumulativeOverTime { measure } => Text::new(
                format!(
                    "它读取`{measure}`自规划首年起的逐年累计值（`over_time: cumulative`），而一条记录只有一年的数据"
                ),
                format!(
                    "it reads `{measure}` summed over the years since the plan began \
                     (`over_time: cumulative`), and one record holds one year"
                ),
            ),
            LeftOutReason::NeedsSeveralYears => Text::new(
                "它比较多个年份的增长，而一条记录只有一年的数据",
                "it compares growth over several years, and one record holds one year",
            ),
            LeftOutReason::OtherEntityKind { reads, record } => Text::new(
                format!("它读取`{reads}`的记录，而非`{record}`的记录"),
                format!("it reads `{reads}` records, not `{record}` records"),
            ),
            LeftOutReason::DistrictSeries { record } => Text::new(
                format!("它读取全区数据序列，而非`{record}`的记录"),
                format!("it reads the district series, not `{record}` records"),
            ),
            LeftOutReason::EntityRecords { reads } => Text::new(
                format!("它读取`{reads}`的记录，而非全区数据序列"),
                format!("it reads `{reads}` records, not the district series"),
            ),
            LeftOutReason::DifferentFilters => Text::new(
                "它的分子与分母按不同的筛选条件统计不同的范围，一条记录无法代表这一比率",
                "its numerator and denominator sum different populations (different filters), \
                 which one record cannot stand for",
            ),
            LeftOutReason::NotRowJudgeableKind { kind } => Text::new(
                format!("`{kind}`规则不按单条记录判定"),
                format!("a `{kind}` rule is not judged on one record"),
            ),
            LeftOutReason::UnknownReference { name } => Text::new(
                format!("它读取的`{name}`未在数据字典中定义"),
                format!("it reads `{name}`, which the dictionary does not define"),
            ),
        }
    }
}

/// A target (or an all-of part, `B3/teachers`) that row rules leave out, with the reason.
///
/// Serialised as `{"id", "kind", "reason", "message_zh", "message_en"}`, `reason` being
/// [`LeftOutReason::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Target id (`A5.1`, or `A8.2/community` for a part).
    pub id: String,
    /// The rule kind.
    pub kind: &'static str,
    /// Why it is left out.
    pub reason: LeftOutReason,
}

impl LeftOut {
    /// Why, in Chinese and English ([`LeftOutReason::message`]).
    pub fn message(&self) -> Text {
        self.reason.message()
    }
}

impl Serialize for LeftOut {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            id: &'a str,
            kind: &'a str,
            reason: &'a str,
            message_zh: String,
            message_en: String,
        }
        let Text { zh, en } = self.message();
        Wire {
            id: &self.id,
            kind: self.kind,
            reason: self.reason.code(),
            message_zh: zh,
            message_en: en,
        }
        .serialize(serializer)
    }
}
