//! Milestones: named items each reach a state by the deadline (the 17 key projects of annex 2,
//! each "in use" by 2020). The result names the items still missing.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::text::Text;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// Every item reaches `required_state` in the ordered states of `state_field`. Items are
/// entities of `entity_kind` whose ids the rule lists; data about any other entity of that kind
/// is an unknown entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MilestonesRule {
    /// The entity kind of the items (project).
    pub entity_kind: String,
    /// The state field (a `state` field of that kind).
    pub state_field: String,
    /// The state every item must reach.
    pub required_state: String,
    /// The items.
    pub items: Vec<MilestoneItem>,
}

/// One named item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MilestoneItem {
    /// Its id (the entity id in the data).
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Descriptive attributes from the plan (type, street).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

impl FromJson for MilestonesRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a milestones rule",
            MilestonesRule {
                entity_kind: req,
                state_field: req,
                required_state: req,
                items: req,
            }
        )
    }
}

impl FromJson for MilestoneItem {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a milestone item",
            MilestoneItem {
                id: req,
                name: req,
                attributes: def,
            }
        )
    }
}
