//! `Plan`: a loaded, checked rule set held in WebAssembly memory, so a page that validates on
//! every keystroke parses and checks its rules once.

use plan_rules::ffi::{self, FfiError};
use wasm_bindgen::prelude::*;

use crate::error::{as_of_text, json_text, optional_json_text, to_js};
use crate::row::WasmRowRules;

/// A loaded and checked rule set.
#[wasm_bindgen(js_name = Plan)]
pub struct WasmPlan {
    plan: plan_rules::Plan,
    hash: String,
}

impl WasmPlan {
    pub(crate) fn from_plan(plan: plan_rules::Plan) -> WasmPlan {
        let hash = plan.content_hash().to_string();
        WasmPlan { plan, hash }
    }

    pub(crate) fn evaluate_inner(
        &self,
        data: &JsValue,
        as_of: &JsValue,
        options: &JsValue,
    ) -> Result<String, FfiError> {
        let as_of = as_of_text(as_of)?;
        let options = ffi::read_options(optional_json_text(options, "options")?.as_deref())?;
        let data = ffi::data_document(&json_text(data, "data")?)?;
        Ok(ffi::evaluate(&self.plan, data, as_of.as_deref(), options)?.to_json())
    }

    pub(crate) fn validate_inner(&self, data: &JsValue) -> Result<String, FfiError> {
        let data = ffi::data_document(&json_text(data, "data")?)?;
        Ok(ffi::answer_text(&ffi::validate(&self.plan, data)?))
    }

    pub(crate) fn check_inner(&self, data: &JsValue) -> Result<String, FfiError> {
        let data = optional_json_text(data, "data")?
            .map(|text| ffi::data_document(&text))
            .transpose()?;
        Ok(ffi::answer_text(&ffi::check(&self.plan, data)?))
    }
}

#[wasm_bindgen(js_class = Plan)]
impl WasmPlan {
    /// Loads a rule set from JSON text and runs every static check; throws a `PlanRulesError`
    /// (kind `spec`) listing every problem.
    #[wasm_bindgen(constructor)]
    pub fn new(rules: JsValue) -> Result<WasmPlan, JsValue> {
        json_text(&rules, "plan")
            .and_then(|text| Ok(plan_rules::Plan::from_json(&text)?))
            .map(WasmPlan::from_plan)
            .map_err(to_js)
    }

    /// The embedded Xicheng District 2016-2020 education plan.
    pub fn xicheng() -> Result<WasmPlan, JsValue> {
        ffi::load_plan(None).map(WasmPlan::from_plan).map_err(to_js)
    }

    /// The plan id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.plan.id.clone()
    }

    /// The rule set's version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.plan.version.clone()
    }

    /// SHA-256 of the canonical rule set (as recorded in reports).
    #[wasm_bindgen(getter, js_name = contentHash)]
    pub fn content_hash(&self) -> String {
        self.hash.clone()
    }

    /// `published` or `draft`.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> String {
        self.plan.status.as_str().to_string()
    }

    /// What a draft leaves out, as JSON text: `[{code, path, target, message_zh, message_en}]`
    /// (empty for a published rule set).
    #[wasm_bindgen(getter, js_name = warningsJson)]
    pub fn warnings_json(&self) -> String {
        serde_json::to_string(&self.plan.warnings()).unwrap_or_else(|_| "[]".into())
    }

    /// Number of targets.
    #[wasm_bindgen(getter, js_name = targetCount)]
    pub fn target_count(&self) -> usize {
        self.plan.targets.len()
    }

    /// The checked rule set as canonical JSON text.
    pub fn rules(&self) -> String {
        ffi::rules_text(&self.plan)
    }

    /// Evaluates a dataset (JSON text) as of a date (`YYYY-MM-DD`); `options` is optional JSON
    /// text (`{"trail": false}`). Returns the report JSON text.
    pub fn evaluate(
        &self,
        data: JsValue,
        as_of: JsValue,
        options: JsValue,
    ) -> Result<String, JsValue> {
        self.evaluate_inner(&data, &as_of, &options).map_err(to_js)
    }

    /// Validates a dataset (JSON text): `{ok, errors, warnings, diagnostics}` as JSON text.
    pub fn validate(&self, data: JsValue) -> Result<String, JsValue> {
        self.validate_inner(&data).map_err(to_js)
    }

    /// The plan's identity and, if a dataset is given, its diagnostics, as JSON text.
    pub fn check(&self, data: JsValue) -> Result<String, JsValue> {
        self.check_inner(&data).map_err(to_js)
    }

    /// The row verdicts of this plan for an entity kind (`"school"`), or for the district
    /// series when `kind` is undefined; throws `invalid_request` for a kind the plan lacks.
    /// `targets`, when given, names the targets to judge; one that a record cannot decide is
    /// refused (`not_row_judgeable`).
    #[wasm_bindgen(js_name = rowRules)]
    pub fn row_rules(
        &self,
        kind: Option<String>,
        targets: Option<Vec<String>>,
    ) -> Result<WasmRowRules, JsValue> {
        WasmRowRules::compile(&self.plan, kind, targets)
    }
}
