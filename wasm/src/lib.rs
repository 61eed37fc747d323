//! # plan-rules-wasm
//!
//! WebAssembly bindings of [`plan_rules`], built with `wasm-bindgen` for browsers and Node
//! (see `wasm/README.md` and `wasm/build.sh`). The crate only converts types and maps errors:
//! every call goes through the core's JSON entry layer ([`plan_rules::ffi`]), so a report made
//! here is byte for byte the report Rust and Python make.
//!
//! - [`error`]: `FfiError` to a JS `Error` with `code`, `kind`, `path`, `errors`, `details`.
//! - [`plan`]: the `Plan` class, a loaded rule set kept in wasm memory.
//! - [`row`]: the `RowRules` class, the core's compiled row verdicts for forms and batches.
//! - the free functions below use the embedded Xicheng plan, loaded once.
//!
//! Data, options and rule sets cross as JSON text; decimals are strings in the output. The
//! hand-written JS wrapper (`wasm/js/api.js`) adds object input and parsed output.

pub mod error;
pub mod plan;
pub mod row;

use std::cell::OnceCell;

use plan_rules::ffi::FfiError;
use wasm_bindgen::prelude::*;

use crate::error::to_js;
use crate::plan::WasmPlan;
use crate::row::WasmRowRules;

thread_local! {
    static DEFAULT_PLAN: OnceCell<Result<WasmPlan, FfiError>> = const { OnceCell::new() };
}

fn with_default<T>(f: impl FnOnce(&WasmPlan) -> Result<T, FfiError>) -> Result<T, JsValue> {
    DEFAULT_PLAN
        .with(|cell| {
            match cell.get_or_init(|| plan_rules::ffi::load_plan(None).map(WasmPlan::from_plan)) {
                Ok(plan) => f(plan),
                Err(e) => Err(e.clone()),
            }
        })
        .map_err(to_js)
}

/// Installs the panic hook, the last line of defence: no code path is meant to panic, but if
/// one ever does, the message reaches the console instead of a bare `unreachable`.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's version (the `plan-rules` crate version recorded in reports).
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    plan_rules::report::ENGINE_VERSION.to_string()
}

/// The embedded Xicheng rule set as canonical JSON text.
#[wasm_bindgen]
pub fn rules() -> Result<String, JsValue> {
    with_default(|p| Ok(p.rules()))
}

/// Evaluates a dataset (JSON text) with the embedded plan as of a date; returns the report JSON.
#[wasm_bindgen]
pub fn evaluate(data: JsValue, as_of: JsValue, options: JsValue) -> Result<String, JsValue> {
    with_default(|p| p.evaluate_inner(&data, &as_of, &options))
}

/// Validates a dataset (JSON text) against the embedded plan; returns the diagnostics JSON.
#[wasm_bindgen]
pub fn validate(data: JsValue) -> Result<String, JsValue> {
    with_default(|p| p.validate_inner(&data))
}

/// Checks the embedded plan and, if given, a dataset; returns JSON.
#[wasm_bindgen]
pub fn check(data: JsValue) -> Result<String, JsValue> {
    with_default(|p| p.check_inner(&data))
}

/// The row verdicts of the embedded plan for an entity kind (`"school"`), or for the district
/// series when `kind` is undefined; `targets`, when given, names the targets to judge.
#[wasm_bindgen(js_name = rowRules)]
pub fn row_rules(
    kind: Option<String>,
    targets: Option<Vec<String>>,
) -> Result<WasmRowRules, JsValue> {
    DEFAULT_PLAN.with(|cell| {
        match cell.get_or_init(|| plan_rules::ffi::load_plan(None).map(WasmPlan::from_plan)) {
            Ok(plan) => plan.row_rules(kind, targets),
            Err(e) => Err(to_js(e.clone())),
        }
    })
}
