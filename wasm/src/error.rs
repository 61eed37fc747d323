//! Errors across the boundary: every [`FfiError`] becomes a JS `Error` named `PlanRulesError`
//! with `code`, `kind`, `path`, `target`, `errors` and `details` properties. Never a trap.

use js_sys::{Error, JSON, Reflect};
use plan_rules::RequestError;
use plan_rules::ffi::FfiError;
use wasm_bindgen::JsValue;

/// Sets a property, ignoring failure (it cannot fail on a fresh `Error` object).
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn opt(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// Turns an entry-layer error into a JS `Error` with its code and details.
pub fn to_js(e: FfiError) -> JsValue {
    let err = Error::new(&e.message);
    err.set_name("PlanRulesError");
    let err: JsValue = err.into();
    set(&err, "code", &JsValue::from_str(&e.code));
    set(&err, "kind", &JsValue::from_str(e.kind));
    set(&err, "path", &opt(e.path.as_deref()));
    set(&err, "target", &opt(e.target.as_deref()));
    let details = JSON::parse(&e.to_json()).unwrap_or(JsValue::NULL);
    let errors = Reflect::get(&details, &JsValue::from_str("errors")).unwrap_or(JsValue::NULL);
    set(&err, "errors", &errors);
    set(&err, "details", &details);
    err
}

/// A JS argument that must be JSON text.
pub fn json_text(value: &JsValue, name: &str) -> Result<String, FfiError> {
    value.as_string().ok_or_else(|| {
        RequestError::Shape {
            path: format!("/{name}"),
            message: format!(
                "expected JSON text (a string), found {}",
                value.js_typeof().as_string().unwrap_or_default()
            ),
        }
        .into()
    })
}

/// An optional JS argument that must be JSON text when present.
pub fn optional_json_text(value: &JsValue, name: &str) -> Result<Option<String>, FfiError> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        json_text(value, name).map(Some)
    }
}

/// The as-of date argument, `YYYY-MM-DD`; `undefined` or `null` leaves the core's default.
pub fn as_of_text(value: &JsValue) -> Result<Option<String>, FfiError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        RequestError::AsOf(format!(
            "<{}>",
            value.js_typeof().as_string().unwrap_or_default()
        ))
        .into()
    })
}
