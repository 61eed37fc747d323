//! Core errors as Python exceptions: `plan_rules.SpecError`, `DataError`, `RequestError` and
//! `AuditLogError`, all subclasses of `plan_rules.PlanRulesError(ValueError)`, defined in
//! `plan_rules/_errors.py` and raised from here with `.code`, `.path`, `.rule_id` and every
//! problem for `.errors()`.

use plan_rules::error::ErrorDetail;
use plan_rules::ffi::FfiError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// The exception class for an entry-layer error kind.
fn class_for(kind: &str) -> &'static str {
    match kind {
        "spec" => "SpecError",
        "data" => "DataError",
        "request" => "RequestError",
        "audit_log" => "AuditLogError",
        _ => "PlanRulesError",
    }
}

fn detail_dict<'py>(py: Python<'py>, d: &ErrorDetail) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("code", &d.code)?;
    out.set_item("message", &d.message)?;
    out.set_item("path", &d.path)?;
    out.set_item("rule_id", &d.target)?;
    out.set_item("line", d.line)?;
    out.set_item("column", d.column)?;
    Ok(out)
}

fn build(py: Python<'_>, e: &FfiError) -> PyResult<PyErr> {
    let class = py
        .import("plan_rules._errors")?
        .getattr(class_for(e.kind))?;
    let errors = PyList::empty(py);
    for d in &e.errors {
        errors.append(detail_dict(py, d)?)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", &e.code)?;
    kwargs.set_item("path", &e.path)?;
    kwargs.set_item("rule_id", &e.target)?;
    kwargs.set_item("errors", errors)?;
    let exc = class.call((e.message.as_str(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exc))
}

/// The Python exception for an entry-layer error.
pub(crate) fn to_py(py: Python<'_>, e: &FfiError) -> PyErr {
    build(py, e).unwrap_or_else(|err| err)
}

/// A converter from core errors (anything the entry layer's error comes from) to Python.
pub(crate) fn raise<E: Into<FfiError>>(py: Python<'_>) -> impl FnOnce(E) -> PyErr + '_ {
    move |e| to_py(py, &e.into())
}

/// An error of the binding's own, shaped like the entry layer's.
pub(crate) fn own(
    kind: &'static str,
    code: &str,
    message: String,
    path: Option<String>,
) -> FfiError {
    FfiError {
        kind,
        code: code.to_string(),
        message: message.clone(),
        path: path.clone(),
        target: None,
        errors: vec![ErrorDetail {
            code: code.to_string(),
            message,
            path,
            target: None,
            line: None,
            column: None,
        }],
    }
}
