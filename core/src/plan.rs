//! The plan (规划): its period, baseline, data dictionary and targets, loaded from JSON and
//! checked before anything is evaluated.

use serde::Serialize;

use crate::date::Date;
use crate::dictionary::Dictionary;
use crate::hash::{Sha256Hex, sha256_json};
use crate::rules::Rule;
use crate::text::Text;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, Object, WireError, named, read_struct, tagged};

/// The embedded default rule set: the Xicheng District education plan for 2016-2020, as the
/// text of `spec/plans/xicheng-education-2016-2020.json` without its indentation (`build.rs`).
pub const XICHENG_2016_2020_JSON: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/xicheng-education-2016-2020.min.json"
));

/// A development plan: what it promises, by when, and what data its targets read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Stable identifier of the plan, e.g. `xicheng-education-2016-2020`.
    pub id: String,
    /// Version of this rule set (not of the plan document).
    pub version: String,
    /// Whether the rule set is published (the default) or a draft, which may leave out quotes
    /// and one language of its texts (see `spec/README.md`, *Draft rule sets*).
    #[serde(default, skip_serializing_if = "PlanStatus::is_published")]
    pub status: PlanStatus,
    /// The plan's title.
    pub title: Text,
    /// The document the rules are taken from.
    pub source: Text,
    /// The implementation period (规划实施期).
    pub period: Period,
    /// The year trajectories start from (基期), usually the year before the period starts.
    pub baseline_year: i32,
    /// The quantities the targets read: district series and the fields of each entity kind.
    pub dictionary: Dictionary,
    /// The targets (目标 / 指标).
    pub targets: Vec<Target>,
    /// Notes on the rule set as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The plan's monitoring calendar (年度监测, 中期评估, the final evaluation): named as-of
    /// dates a report can be asked for by name (`--as-of mid_term`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monitoring: Vec<Review>,
}

/// One date of a plan's monitoring calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Its name, asked for instead of a date (`mid_term`, `annual_2017`, `final`).
    pub id: String,
    /// What kind of review it is.
    pub kind: ReviewKind,
    /// Its title.
    pub title: Text,
    /// The date it stands at.
    pub as_of: Date,
    /// Where the plan calls for it.
    pub citation: Citation,
    /// How the date was chosen, when the plan gives none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// The kinds of review a plan calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// 年度监测: the yearly monitoring.
    Annual,
    /// 中期评估: the mid-term review.
    MidTerm,
    /// The final evaluation (终期评估, 总结评估).
    Final,
}

/// Whether a rule set is published or a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Complete: every citation quotes the plan, every text is in Chinese and English (the
    /// default, also when `status` is absent).
    #[default]
    Published,
    /// Written for a quick check: quotes and one language of a text may be left out, each
    /// omission a warning of `check`; its reports say they come from a draft.
    Draft,
}

impl PlanStatus {
    /// The stable code (`published`, `draft`).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Published => "published",
            PlanStatus::Draft => "draft",
        }
    }

    /// Whether it is [`PlanStatus::Published`].
    pub fn is_published(&self) -> bool {
        *self == PlanStatus::Published
    }
}

/// A closed range of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day of the period.
    pub start: Date,
    /// Last day of the period.
    pub end: Date,
}

impl Period {
    /// Whether a date lies within the period (both ends included).
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// One commitment of the plan, with the rule that decides it, its deadline and its citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Stable identifier, e.g. `A1` or `A4.2`.
    pub id: String,
    /// Short title.
    pub title: Text,
    /// What the target asks, in full.
    pub description: Text,
    /// The plan's heading for it, e.g. 学前教育 / preschool education.
    pub category: Text,
    /// How the plan ranks it.
    pub importance: Importance,
    /// Whether the plan's indicator table marks it binding (约束性) or indicative (预期性).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obligation: Option<Obligation>,
    /// The day by which it must be reached.
    pub deadline: Date,
    /// Whether the plan states the deadline or it falls due at the plan's end.
    pub deadline_basis: DeadlineBasis,
    /// Where the plan says it, with the quoted sentence.
    pub citation: Citation,
    /// Other places in the plan that state the same or a related commitment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_citations: Vec<Citation>,
    /// The rule that decides it.
    pub rule: Rule,
    /// What missing values mean for this target (DHIS2's missing-value strategies).
    #[serde(default, skip_serializing_if = "MissingData::is_default")]
    pub missing_data: MissingData,
    /// How an observed value is judged against the limit (GB/T 8170-2008).
    #[serde(default, skip_serializing_if = "Comparison::is_default")]
    pub comparison: Comparison,
    /// A baseline year for this target, overriding the plan's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_year: Option<i32>,
    /// Vagueness, discrepancies and interpretations, stated openly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// What a reader must know next to the verdict (a population narrower than the plan's
    /// words, a reading of an ambiguous sentence): shown beside the status in every rendering
    /// and in the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<Text>,
}

/// How the plan ranks a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// One of the plan's listed quantitative indicators (量化指标, annex 1 for Xicheng).
    Key,
    /// A quantitative commitment made elsewhere in the plan's text or in law.
    Supporting,
}

/// The attribute (属性) an indicator table gives each indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Obligation {
    /// 约束性: a commitment the government must keep.
    Binding,
    /// 预期性: an expected outcome the government works toward.
    Indicative,
}

impl Obligation {
    /// The stable code (`binding`, `indicative`).
    pub fn as_str(self) -> &'static str {
        match self {
            Obligation::Binding => "binding",
            Obligation::Indicative => "indicative",
        }
    }

    /// Its name in Chinese and English.
    pub fn label(self) -> Text {
        match self {
            Obligation::Binding => Text::new("约束性", "binding"),
            Obligation::Indicative => Text::new("预期性", "indicative"),
        }
    }
}

/// Where a deadline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineBasis {
    /// The plan states it (到2020年).
    Stated,
    /// The plan states none; the target falls due at the end of the plan period.
    PlanEnd,
}

/// Where the plan makes a commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// What kind of place it is.
    pub source: CitationSource,
    /// The section, table row or article, in free text, e.g. 附件1 第4行 / annex 1, row 4.
    pub location: Text,
    /// The sentence quoted verbatim from the plan (Chinese). Required in a published rule set;
    /// a draft may leave it out (read as empty, a warning of `check`).
    #[serde(default)]
    pub quote: String,
    /// The document quoted and where it was published, when it is not the plan's own `source`
    /// (a law, a national outline as carried by a news agency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Text>,
    /// Where the quoted text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The kind of place a citation points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CitationSource {
    /// The annex of quantitative indicators.
    Annex1,
    /// The annex of key projects.
    Annex2,
    /// The body of the plan.
    Body,
    /// The plan's review of the previous period.
    Review,
    /// A law the plan applies.
    Law,
    /// A plan's table of main indicators (主要指标表, 专栏).
    IndicatorTable,
    /// Any annex of a plan.
    Annex,
    /// A section of a plan's text.
    Section,
    /// Any other document or place.
    Other,
}

/// A remark that keeps an interpretation visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What kind of remark it is.
    pub kind: NoteKind,
    /// The remark.
    pub text: Text,
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoteKind {
    /// The plan's wording is vague; the rule set makes a declared choice.
    Vague,
    /// Two places in the plan say different things.
    Discrepancy,
    /// How the rule set reads the plan's words.
    Interpretation,
    /// Where the commitment comes from, when not from the plan's own annex.
    Source,
    /// Anything else.
    Other,
}

/// What missing values mean for a target (after DHIS2 validation rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MissingData {
    /// Any missing input makes the value not assessable (the default).
    #[default]
    SkipIfAny,
    /// Only when every input is missing is the value not assessable; otherwise missing inputs
    /// are left out (of sums, and of coverage populations).
    SkipIfAll,
    /// Missing means zero (a missing flag means false).
    NeverSkip,
}

impl MissingData {
    fn is_default(&self) -> bool {
        *self == MissingData::SkipIfAny
    }
}

/// How an observed value is judged against its limit (GB/T 8170-2008, 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Comparison {
    /// 全数值比较法: the exact value is compared; 99.95% does not reach 100% (the default).
    #[default]
    FullValue,
    /// 修约值比较法: the value is first rounded half-to-even to `decimals` places.
    RoundedValue {
        /// Decimal places kept (0-10).
        decimals: u32,
    },
}

impl Comparison {
    fn is_default(&self) -> bool {
        *self == Comparison::FullValue
    }
}

impl Plan {
    /// The target with an id.
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// SHA-256 of the plan's canonical JSON (its parsed form re-serialised with a fixed field
    /// order and normalised decimals), so formatting does not change the hash.
    pub fn content_hash(&self) -> Sha256Hex {
        sha256_json(self)
    }

    /// The plan as canonical JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The as-of date an evaluation stands at when none is given: the last day of the plan
    /// period, the date of the final evaluation. Every door (CLI, Python, JavaScript) uses it.
    ///
    /// ```
    /// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
    /// assert_eq!(plan.default_as_of().to_string(), "2020-12-31");
    /// ```
    pub fn default_as_of(&self) -> Date {
        self.period.end
    }

    /// Every value the plan names for an entity attribute, sorted: in its filters (`one_of`,
    /// anywhere in its rules) and as the dictionary's allowed values. A value outside this list
    /// is judged alike by every filter (none lists it), which is what lets a batch of records be
    /// judged by label codes.
    ///
    /// ```
    /// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
    /// assert!(plan.attribute_values("level").contains(&"primary".to_string()));
    /// ```
    pub fn attribute_values(&self, attribute: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .dictionary
            .entity_kinds
            .values()
            .filter_map(|k| k.attributes.get(attribute))
            .flat_map(|spec| spec.allowed.iter().cloned())
            .collect();
        for t in &self.targets {
            for f in t.rule.attribute_filters() {
                if f.attribute == attribute {
                    out.extend(f.one_of.iter().cloned());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// A review of the monitoring calendar, by id.
    pub fn review(&self, id: &str) -> Option<&Review> {
        self.monitoring.iter().find(|r| r.id == id)
    }

    /// The last year observations may describe (the year the period ends).
    pub fn last_year(&self) -> i32 {
        self.period.end.year()
    }
}

impl FromJson for Period {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a period",
            Period {
                start: req,
                end: req
            }
        )
    }
}

impl FromJson for Target {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a target",
            Target {
                id: req,
                title: req,
                description: req,
                category: req,
                importance: req,
                obligation: opt,
                deadline: req,
                deadline_basis: req,
                citation: req,
                related_citations: def,
                rule: req,
                missing_data: def,
                comparison: def,
                baseline_year: opt,
                notes: def,
                caveat: opt,
            }
        )
    }
}

impl FromJson for Citation {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a citation",
            Citation {
                source: req,
                location: req,
                // Absent reads as empty; the static checks decide (a draft may omit it).
                quote: def,
                document: opt,
                url: opt,
            }
        )
    }
}

impl FromJson for Note {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a note",
            Note {
                kind: req,
                text: req
            }
        )
    }
}

impl FromJson for Comparison {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        let (method, body) = tagged(
            value,
            at,
            "method",
            &["full_value", "rounded_value"],
            "a comparison",
        )?;
        match method {
            "full_value" => {
                Object::new(body, at, "a full-value comparison", &[])?;
                Ok(Comparison::FullValue)
            }
            _ => read_struct!(
                body,
                at,
                "a rounded-value comparison",
                Comparison::RoundedValue { decimals: req }
            ),
        }
    }
}

impl FromJson for Importance {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "importance",
            &[
                ("key", Importance::Key),
                ("supporting", Importance::Supporting),
            ],
        )
    }
}

impl FromJson for Review {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a review",
            Review {
                id: req,
                kind: req,
                title: req,
                as_of: req,
                citation: req,
                notes: def,
            }
        )
    }
}

impl FromJson for ReviewKind {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "review kind",
            &[
                ("annual", ReviewKind::Annual),
                ("mid_term", ReviewKind::MidTerm),
                ("final", ReviewKind::Final),
            ],
        )
    }
}

impl FromJson for Obligation {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "obligation",
            &[
                ("binding", Obligation::Binding),
                ("indicative", Obligation::Indicative),
            ],
        )
    }
}

impl FromJson for DeadlineBasis {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "deadline basis",
            &[
                ("stated", DeadlineBasis::Stated),
                ("plan_end", DeadlineBasis::PlanEnd),
            ],
        )
    }
}

impl FromJson for CitationSource {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "citation source",
            &[
                ("annex1", CitationSource::Annex1),
                ("annex2", CitationSource::Annex2),
                ("body", CitationSource::Body),
                ("review", CitationSource::Review),
                ("law", CitationSource::Law),
                ("indicator_table", CitationSource::IndicatorTable),
                ("annex", CitationSource::Annex),
                ("section", CitationSource::Section),
                ("other", CitationSource::Other),
            ],
        )
    }
}

impl FromJson for PlanStatus {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "rule set status",
            &[
                ("published", PlanStatus::Published),
                ("draft", PlanStatus::Draft),
            ],
        )
    }
}

impl FromJson for NoteKind {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "note kind",
            &[
                ("vague", NoteKind::Vague),
                ("discrepancy", NoteKind::Discrepancy),
                ("interpretation", NoteKind::Interpretation),
                ("source", NoteKind::Source),
                ("other", NoteKind::Other),
            ],
        )
    }
}

impl FromJson for MissingData {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "missing-data strategy",
            &[
                ("skip_if_any", MissingData::SkipIfAny),
                ("skip_if_all", MissingData::SkipIfAll),
                ("never_skip", MissingData::NeverSkip),
            ],
        )
    }
}
