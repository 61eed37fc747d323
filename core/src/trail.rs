//! The audit trail (审计轨迹): every input a result read and every step of arithmetic behind it,
//! with exact decimals, so anyone can redo the judgement by hand.

use serde::Serialize;

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// Every kind of [`Step`] the engine records (its `op`).
pub const STEP_OPS: [&str; 17] = [
    "aspiration",
    "cagr",
    "chain",
    "change",
    "classify",
    "compare",
    "count",
    "growth",
    "judgement",
    "missing",
    "r",
    "ratio",
    "root",
    "round",
    "select",
    "sum",
    "years",
];

/// The inputs and steps behind one result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Trail {
    /// Every value read, in the order read.
    pub inputs: Vec<InputRead>,
    /// Every step of arithmetic and judgement, in order.
    pub steps: Vec<Step>,
}

/// One value read from the dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputRead {
    /// The series (`preschool_enrolled`) or entity field (`school.pe_teachers`).
    pub field: String,
    /// The entity id, for entity data.
    pub entity: Option<String>,
    /// The year.
    pub period: i32,
    /// The value as read (a decimal, `true`/`false`, a state), or null when missing.
    pub value: Option<String>,
    /// Where the value comes from, when the data says.
    pub source: Option<String>,
}

/// One step of arithmetic or judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Step {
    /// What kind of step: `sum`, `ratio`, `round`, `compare`, `growth`, `root`, `cagr`, `r`,
    /// `classify`, `count`, `missing`, `select` ...
    pub op: &'static str,
    /// What it computes, in words and numbers (`9650 ÷ 9700 × 100`).
    pub expr: String,
    /// The outcome (`99.48453608247422680412371134`, `true`).
    pub result: String,
    /// False when the result was rounded: under the arithmetic contract (28 significant digits
    /// or 28 places) or to the fixed places the step names.
    pub exact: bool,
}

impl FromJson for Trail {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a trail",
            Trail {
                inputs: req,
                steps: req
            }
        )
    }
}

impl FromJson for InputRead {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "an input read",
            InputRead {
                field: req,
                entity: req,
                period: req,
                value: req,
                source: req,
            }
        )
    }
}

impl FromJson for Step {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        read_struct!(
            value,
            at,
            "a step",
            Step {
                op: name(&STEP_OPS),
                expr: req,
                result: req,
                exact: req,
            }
        )
    }
}

/// Collects a trail when asked to, and costs nothing when not.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    trail: Option<Trail>,
}

impl Recorder {
    pub fn new(enabled: bool) -> Recorder {
        Recorder {
            trail: enabled.then(Trail::default),
        }
    }

    pub fn enabled(&self) -> bool {
        self.trail.is_some()
    }

    pub fn read(&mut self, f: impl FnOnce() -> InputRead) {
        if let Some(t) = self.trail.as_mut() {
            t.inputs.push(f());
        }
    }

    pub fn step(&mut self, op: &'static str, f: impl FnOnce() -> (String, String)) {
        if let Some(t) = self.trail.as_mut() {
            let (expr, result) = f();
            t.steps.push(Step {
                op,
                expr,
                result,
                exact: true,
            });
        }
    }

    pub fn step_inexact(
        &mut self,
        op: &'static str,
        exact: bool,
        f: impl FnOnce() -> (String, String),
    ) {
        if let Some(t) = self.trail.as_mut() {
            let (expr, result) = f();
            t.steps.push(Step {
                op,
                expr,
                result,
                exact,
            });
        }
    }

    pub fn finish(self) -> Option<Trail> {
        self.trail
    }
}
