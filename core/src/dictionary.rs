//! The data dictionary (数据字典): the district series and entity fields a plan's targets read,
//! with their types and units. Loading data checks every value against it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::text::Text;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named, read_struct};

/// What data a plan reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dictionary {
    /// District-level series (数据序列), by name.
    #[serde(default)]
    pub series: BTreeMap<String, FieldSpec>,
    /// Entity kinds (主体类型: school, street, project ...), by name.
    #[serde(default)]
    pub entity_kinds: BTreeMap<String, EntityKindSpec>,
}

/// One kind of entity and what is recorded about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EntityKindSpec {
    /// Name of the kind.
    pub title: Text,
    /// Fixed, textual attributes (level, street ...), by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeSpec>,
    /// Yearly fields, by name.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
}

/// A textual attribute of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeSpec {
    /// Name of the attribute.
    pub title: Text,
    /// The values it may take; empty means any text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
}

/// A quantity recorded by year: its type, unit and constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Name of the quantity.
    pub title: Text,
    /// Its type.
    #[serde(rename = "type")]
    pub value_type: ValueType,
    /// Its unit (persons, schools, years, 10k CNY ...); required for numbers, absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// For `state`: the states in the order they are reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<String>,
    /// Whether a record must give it (forms report it missing otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Whether negative values are data (growth rates, changes): then a negative value is no
    /// `negative_value` diagnostic, and a signed percentage may also exceed 100.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed: bool,
    /// Another field (of the same series set or entity kind) this one may never exceed, e.g.
    /// students who passed may not exceed students eligible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<String>,
}

/// The type of a recorded quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueType {
    /// A whole, non-negative number (persons, schools, bases).
    Count,
    /// A non-negative decimal (money, years).
    Quantity,
    /// A percentage between 0 and 100 (any value when the field is signed).
    Percent,
    /// Yes or no.
    Flag,
    /// One of an ordered list of states.
    State,
}

impl ValueType {
    /// The type's name on the wire (`count`, `quantity`, `percent`, `flag`, `state`).
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Count => "count",
            ValueType::Quantity => "quantity",
            ValueType::Percent => "percent",
            ValueType::Flag => "flag",
            ValueType::State => "state",
        }
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ValueType::Count | ValueType::Quantity | ValueType::Percent
        )
    }
}

impl FieldSpec {
    /// The position of a state in the field's order, if it is one of its states.
    pub fn state_rank(&self, state: &str) -> Option<usize> {
        self.states.iter().position(|s| s == state)
    }
}

impl Dictionary {
    /// The spec of a district series.
    pub fn series_spec(&self, name: &str) -> Option<&FieldSpec> {
        self.series.get(name)
    }

    /// The spec of an entity kind's field.
    pub fn field_spec(&self, kind: &str, field: &str) -> Option<&FieldSpec> {
        self.entity_kinds
            .get(kind)
            .and_then(|k| k.fields.get(field))
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
            signed: def,
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
