//! Rule sets on the wire: [`Plan`] and everything in it, read with [`read_struct!`], then
//! checked. Reading is the only way to get a [`Plan`] from JSON, and it always runs the static
//! checks.

use super::json::Json;
use super::pointer::Path;
use super::read::{FromJson, Object, WireError, named, read_struct, tagged};
use crate::check;
use crate::dictionary::{AttributeSpec, Dictionary, EntityKindSpec, FieldSpec, ValueType};
use crate::error::{SpecError, SpecErrors};
use crate::limits;
use crate::plan::{
    Citation, CitationSource, Comparison, DeadlineBasis, Importance, MissingData, Note, NoteKind,
    Period, Plan, Target,
};
use crate::text::Text;

impl Plan {
    /// Reads a rule set from JSON and runs every static check; all problems found are returned
    /// together.
    ///
    /// ```
    /// use plan_rules::Plan;
    /// let plan = Plan::from_json(plan_rules::plan::XICHENG_2016_2020_JSON).unwrap();
    /// assert_eq!(plan.id, "xicheng-education-2016-2020");
    /// let err = Plan::from_json("{\"id\": 1}").unwrap_err();
    /// assert_eq!(err.first().code(), "invalid_shape");
    /// assert_eq!(err.first().path(), Some("/id"));
    /// ```
    pub fn from_json(text: &str) -> Result<Plan, SpecErrors> {
        if text.len() > limits::MAX_DOCUMENT_BYTES {
            return Err(SpecErrors::one(SpecError::TooLarge {
                bytes: text.len(),
                limit: limits::MAX_DOCUMENT_BYTES,
            }));
        }
        let value = Json::parse(text).map_err(|e| SpecErrors::one(e.into()))?;
        Plan::from_wire(value)
    }

    /// Reads a rule set from a parsed JSON document and runs every static check.
    pub fn from_wire(value: Json) -> Result<Plan, SpecErrors> {
        let plan = read_plan(value)?;
        let problems = check::check_plan(&plan);
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(SpecErrors::new(problems))
        }
    }

    /// The embedded Xicheng 2016-2020 education plan, checked like any other rule set (the
    /// test suite guarantees it passes).
    ///
    /// ```
    /// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
    /// assert!(plan.targets.iter().any(|t| t.id == "A1"));
    /// ```
    pub fn xicheng_2016_2020() -> Result<Plan, SpecErrors> {
        Plan::from_json(crate::plan::XICHENG_2016_2020_JSON)
    }
}

/// The plan's shape; a problem inside a target names the target.
fn read_plan(value: Json) -> Result<Plan, SpecErrors> {
    let root = Path::Root;
    // The targets' ids, for naming the target a problem is in.
    let ids: Vec<Option<String>> = match value.get("targets") {
        Some(Json::Array(targets)) => targets
            .iter()
            .map(|t| t.get("id").and_then(Json::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let read = || -> Result<Plan, WireError> {
        read_struct!(
            value,
            &root,
            "a rule set",
            Plan {
                id: req,
                version: req,
                title: req,
                source: req,
                period: req,
                baseline_year: req,
                dictionary: req,
                targets: req,
                notes: def,
            }
        )
    };
    read().map_err(|e| {
        let target = e
            .path
            .strip_prefix("/targets/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| ids.get(i).cloned().flatten());
        SpecErrors::one(match e.unknown_tag {
            Some(kind) if e.path.ends_with("/rule/type") => SpecError::UnknownKind {
                target: target.unwrap_or_default(),
                kind,
                path: e.path,
            },
            _ => SpecError::Shape {
                path: e.path,
                message: e.message,
                target,
            },
        })
    })
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

impl FromJson for Text {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(value, at, "a text (zh and en)", Text { zh: req, en: req })
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
                deadline: req,
                deadline_basis: req,
                citation: req,
                related_citations: def,
                rule: req,
                missing_data: def,
                comparison: def,
                baseline_year: opt,
                notes: def,
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
                quote: req,
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

impl FromJson for Dictionary {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a data dictionary",
            Dictionary {
                series: def,
                entity_kinds: def,
            }
        )
    }
}

impl FromJson for EntityKindSpec {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an entity kind",
            EntityKindSpec {
                title: req,
                attributes: def,
                fields: def,
            }
        )
    }
}

impl FromJson for AttributeSpec {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an attribute",
            AttributeSpec {
                title: req,
                allowed: def,
            }
        )
    }
}

impl FromJson for FieldSpec {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(value, at, "a field", FieldSpec {
            title: req,
            value_type = "type": req,
            unit: opt,
            states: def,
            required: def,
            at_most: opt,
        })
    }
}

impl FromJson for ValueType {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(
            value,
            at,
            "value type",
            &[
                ("count", ValueType::Count),
                ("quantity", ValueType::Quantity),
                ("percent", ValueType::Percent),
                ("flag", ValueType::Flag),
                ("state", ValueType::State),
            ],
        )
    }
}
