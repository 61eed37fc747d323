//! Qualitative: a commitment carried with its citation but never judged by arithmetic (保持在
//! 合理区间, 基本建立…体系, 成立…中心). Only a judgement recorded in the data decides it.

use serde::Serialize;

use crate::text::Text;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// A target decided by a recorded judgement (met or not, by whom, when, on what evidence), never
/// by arithmetic. Without one it is `not_assessable` with reason `qualitative`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QualitativeRule {
    /// What a reviewer must establish to record it as met.
    pub criterion: Text,
}

impl FromJson for QualitativeRule {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a qualitative rule",
            QualitativeRule { criterion: req }
        )
    }
}
