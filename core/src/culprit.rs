//! [`Culprit`]: an entity, item or year at fault, held as data. Its two sentences (Chinese and
//! English) are written when they are asked for ([`Culprit::zh`], [`Culprit::en`]) and when the
//! report is serialized, not when the culprit is found: a national table can give a million
//! culprits, and their sentences took twice the memory of everything else they hold.
//!
//! ```
//! use plan_rules::bound::Op;
//! use plan_rules::report::{Culprit, CulpritDetail};
//! use rust_decimal::Decimal;
//!
//! let c = Culprit {
//!     id: "S001".into(),
//!     name: None,
//!     problem: "below_target",
//!     detail: CulpritDetail::Ratio {
//!         year: 2020,
//!         numerator: Decimal::from(47),
//!         denominator: Decimal::from(50),
//!         op: Op::AtLeast,
//!         target: Decimal::from(95),
//!     },
//! };
//! assert_eq!(c.en(), "47 / 50 = 94% in 2020, below 95%");
//! assert_eq!(c.zh(), "2020年 47 / 50 = 94%，低于 95%");
//! let json = serde_json::to_string(&c).unwrap();
//! assert_eq!(
//!     json,
//!     r#"{"id":"S001","name":null,"problem":"below_target","zh":"2020年 47 / 50 = 94%，低于 95%","en":"47 / 50 = 94% in 2020, below 95%"}"#
//! );
//! ```

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::arith;
use crate::bound::Op;
use crate::number::fmt_decimal;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// What is wrong with a culprit ([`Culprit::problem`]): `unmet` (an entity or item that does
/// not meet the condition), `missing` (one without data), `below_target` (a part below its
/// target), `failed_year` (a year that breaks the bound).
pub const CULPRIT_PROBLEMS: [&str; 4] = ["unmet", "missing", "below_target", "failed_year"];

/// An entity or item at fault. Two culprits are equal when they have the same id, name and
/// problem and say the same (a culprit read back from JSON holds its sentences as text).
#[derive(Debug, Clone)]
pub struct Culprit {
    /// Its id (an entity id, an item id, or a year for growth comparisons); an entity's id is
    /// shared with the dataset's table where the entity comes from one.
    pub id: Arc<str>,
    /// Its name, when known.
    pub name: Option<String>,
    /// `unmet`, `missing`, `below_target` or `failed_year`.
    pub problem: &'static str,
    /// What is wrong, as data; [`Culprit::zh`] and [`Culprit::en`] say it.
    pub detail: CulpritDetail,
}

/// What is wrong with a culprit, as the numbers and names its sentences are written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CulpritDetail {
    /// A ratio that fails its percentage: `numerator / denominator`, shown rounded to two
    /// places, against `op target %` (an entity's own rate, or a coverage condition).
    Ratio {
        /// The year of the values.
        year: i32,
        /// The numerator's value.
        numerator: Decimal,
        /// The denominator's value.
        denominator: Decimal,
        /// The comparison that fails.
        op: Op,
        /// The percentage, as the rule set writes it.
        target: Decimal,
    },
    /// A value below the least one a condition asks for.
    Below {
        /// The field.
        field: Arc<str>,
        /// The year of the value.
        year: i32,
        /// The value.
        value: Decimal,
        /// The least value, as the rule set writes it.
        least: Decimal,
    },
    /// A flag that is not set.
    FlagFalse {
        /// The field.
        field: Arc<str>,
        /// The year of the flag.
        year: i32,
    },
    /// A field without a value in a year.
    MissingField {
        /// The field.
        field: Arc<str>,
        /// The year.
        year: i32,
    },
    /// A ratio whose denominator is zero.
    ZeroDenominator {
        /// The denominator field.
        field: Arc<str>,
        /// The year.
        year: i32,
    },
    /// An attribute that a filter needs is missing.
    FilterAttributeMissing,
    /// A value that is not usable (a diagnostic says why).
    BadValue,
    /// Sentences written when the culprit was found (rare culprits, and reports read back
    /// from JSON).
    Text {
        /// In Chinese.
        zh: String,
        /// In English.
        en: String,
    },
}

impl PartialEq for Culprit {
    fn eq(&self, other: &Culprit) -> bool {
        self.id == other.id
            && self.name == other.name
            && self.problem == other.problem
            && (self.detail == other.detail || (self.zh() == other.zh() && self.en() == other.en()))
    }
}

impl Eq for Culprit {}

impl Culprit {
    /// What is wrong, in Chinese.
    pub fn zh(&self) -> String {
        self.detail.sentence(Lang::Zh)
    }

    /// What is wrong, in English.
    pub fn en(&self) -> String {
        self.detail.sentence(Lang::En)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

impl CulpritDetail {
    /// The detail's sentence in one language.
    fn sentence(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            CulpritDetail::Ratio {
                year,
                numerator,
                denominator,
                op,
                target,
            } => {
                let pct = arith::round_percent(*numerator, *denominator, 2)
                    .map(fmt_decimal)
                    .unwrap_or_default();
                let (n, d, t) = (
                    fmt_decimal(*numerator),
                    fmt_decimal(*denominator),
                    fmt_decimal(*target),
                );
                let words = op.failure_words();
                if zh {
                    format!("{year}年 {n} / {d} = {pct}%，{} {t}%", words.zh)
                } else {
                    format!("{n} / {d} = {pct}% in {year}, {} {t}%", words.en)
                }
            }
            CulpritDetail::Below {
                field,
                year,
                value,
                least,
            } => {
                let (v, l) = (fmt_decimal(*value), fmt_decimal(*least));
                if zh {
                    format!("{year}年 `{field}` = {v}，低于 {l}")
                } else {
                    format!("`{field}` = {v} in {year}, below {l}")
                }
            }
            CulpritDetail::FlagFalse { field, year } => {
                if zh {
                    format!("{year}年 `{field}` 为否")
                } else {
                    format!("`{field}` is false in {year}")
                }
            }
            CulpritDetail::MissingField { field, year } => {
                if zh {
                    format!("{year}年缺少 `{field}`")
                } else {
                    format!("`{field}` missing for {year}")
                }
            }
            CulpritDetail::ZeroDenominator { field, year } => {
                if zh {
                    format!("{year}年 `{field}` 为0，无法计算比例")
                } else {
                    format!("`{field}` is 0 in {year}, so there is no ratio")
                }
            }
            CulpritDetail::FilterAttributeMissing => if zh {
                "缺少筛选所需的属性"
            } else {
                "an attribute the filter needs is missing"
            }
            .to_string(),
            CulpritDetail::BadValue => if zh { "数据有误" } else { "bad value" }.to_string(),
            CulpritDetail::Text { zh: z, en: e } => if zh { z } else { e }.clone(),
        }
    }
}

// A culprit as it is written out: its sentences instead of its detail. (Its doc comment is
// the schema's description of a culprit.)
/// An entity or item at fault.
#[derive(Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Culprit"))]
struct CulpritOut<'a> {
    /// Its id (an entity id, an item id, or a year for growth comparisons).
    id: &'a str,
    /// Its name, when known.
    name: Option<&'a str>,
    /// `unmet`, `missing`, `below_target` or `failed_year`.
    #[cfg_attr(
        feature = "schema",
        schemars(extend("enum" = ["unmet", "missing", "below_target", "failed_year"]))
    )]
    problem: &'static str,
    /// What is wrong, in Chinese.
    zh: String,
    /// What is wrong, in English.
    en: String,
}

impl Serialize for Culprit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CulpritOut {
            id: &self.id,
            name: self.name.as_deref(),
            problem: self.problem,
            zh: self.zh(),
            en: self.en(),
        }
        .serialize(serializer)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Culprit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Culprit".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        CulpritOut::json_schema(generator)
    }
}

/// A culprit as it is read back: its sentences, as written.
struct CulpritIn {
    id: String,
    name: Option<String>,
    problem: &'static str,
    zh: String,
    en: String,
}

impl FromJson for Culprit {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let c = read_struct!(
            value,
            at,
            "a culprit",
            CulpritIn {
                id: req,
                name: req,
                problem: name(&CULPRIT_PROBLEMS),
                zh: req,
                en: req,
            }
        )?;
        Ok(Culprit {
            id: Arc::from(c.id),
            name: c.name,
            problem: c.problem,
            detail: CulpritDetail::Text { zh: c.zh, en: c.en },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn culprit(detail: CulpritDetail) -> Culprit {
        Culprit {
            id: "S1".into(),
            name: None,
            problem: "unmet",
            detail,
        }
    }

    /// Each detail's sentences, word for word as the judges wrote them when they were text.
    #[test]
    fn every_detail_says_what_it_said_as_text() {
        let field: Arc<str> = Arc::from("pe_teachers");
        let cases = [
            (
                CulpritDetail::Ratio {
                    year: 2020,
                    numerator: Decimal::new(2, 0),
                    denominator: Decimal::new(3, 0),
                    op: Op::AtLeast,
                    target: Decimal::new(9550, 2),
                },
                "2020年 2 / 3 = 66.67%，低于 95.5%",
                "2 / 3 = 66.67% in 2020, below 95.5%",
            ),
            (
                CulpritDetail::Ratio {
                    year: 2019,
                    numerator: Decimal::new(1, 0),
                    denominator: Decimal::new(4, 0),
                    op: Op::AtMost,
                    target: Decimal::new(20, 0),
                },
                "2019年 1 / 4 = 25%，高于 20%",
                "1 / 4 = 25% in 2019, above 20%",
            ),
            (
                CulpritDetail::Below {
                    field: Arc::clone(&field),
                    year: 2020,
                    value: Decimal::new(15, 1),
                    least: Decimal::new(200, 2),
                },
                "2020年 `pe_teachers` = 1.5，低于 2",
                "`pe_teachers` = 1.5 in 2020, below 2",
            ),
            (
                CulpritDetail::FlagFalse {
                    field: Arc::clone(&field),
                    year: 2018,
                },
                "2018年 `pe_teachers` 为否",
                "`pe_teachers` is false in 2018",
            ),
            (
                CulpritDetail::MissingField {
                    field: Arc::clone(&field),
                    year: 2017,
                },
                "2017年缺少 `pe_teachers`",
                "`pe_teachers` missing for 2017",
            ),
            (
                CulpritDetail::ZeroDenominator {
                    field: Arc::clone(&field),
                    year: 2016,
                },
                "2016年 `pe_teachers` 为0，无法计算比例",
                "`pe_teachers` is 0 in 2016, so there is no ratio",
            ),
            (
                CulpritDetail::FilterAttributeMissing,
                "缺少筛选所需的属性",
                "an attribute the filter needs is missing",
            ),
            (CulpritDetail::BadValue, "数据有误", "bad value"),
            (
                CulpritDetail::Text {
                    zh: "中".into(),
                    en: "en".into(),
                },
                "中",
                "en",
            ),
        ];
        for (detail, zh, en) in cases {
            let c = culprit(detail);
            assert_eq!((c.zh().as_str(), c.en().as_str()), (zh, en));
        }
    }

    /// A culprit and the same culprit read back (its sentences as text) are equal; a different
    /// sentence, id or problem is not.
    #[test]
    fn culprits_compare_by_what_they_say() {
        let data = culprit(CulpritDetail::BadValue);
        let text = culprit(CulpritDetail::Text {
            zh: "数据有误".into(),
            en: "bad value".into(),
        });
        assert_eq!(data, text);
        let other = culprit(CulpritDetail::Text {
            zh: "数据有误".into(),
            en: "a bad value".into(),
        });
        assert_ne!(data, other);
        let mut renamed = text.clone();
        renamed.id = "S2".into();
        assert_ne!(data, renamed);
        let mut missing = text;
        missing.problem = "missing";
        assert_ne!(data, missing);
    }
}
