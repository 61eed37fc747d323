//! Python bindings of plan-rules: the native module `plan_rules._plan_rules`, built by maturin
//! from `py/pyproject.toml`. The public API is the Python package in `py/python/plan_rules/`,
//! which wraps these classes.
//!
//! This crate only converts types and maps errors: every rule, judgement, rendering and hash comes
//! from the `plan-rules` core (its `ffi` entry layer, `render`, `audit_log` and `batch`). The
//! modules mirror the core's concepts: [`plan`], [`dataset`] (with [`columns`] for tables),
//! [`report`], [`row`] (row verdicts for forms and column batches, with [`arrays`] for NumPy
//! columns read in place), [`audit_log`], plus [`convert`] (Python values to and from JSON
//! values) and [`errors`] (core errors to `plan_rules.PlanRulesError` subclasses).

// These docs are for the crate's developers (the Python API is documented in the package and its
// stubs), so they link to the private modules.
#![allow(rustdoc::private_intra_doc_links)]

use pyo3::prelude::*;

mod arrays;
mod audit_log;
mod columns;
mod convert;
mod dataset;
mod errors;
mod plan;
mod report;
mod row;

/// The native part of `plan_rules`.
#[pymodule]
fn _plan_rules(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<plan::PyPlan>()?;
    m.add_class::<dataset::PyDataset>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<row::PyRowRules>()?;
    m.add_function(wrap_pyfunction!(audit_log::audit_log_line, m)?)?;
    m.add_function(wrap_pyfunction!(audit_log::verify_audit_log_text, m)?)?;
    m.add_function(wrap_pyfunction!(report::group_rows, m)?)?;
    m.add("ENGINE_VERSION", plan_rules::report::ENGINE_VERSION)?;
    m.add("PLAN_JSON", plan_rules::plan::XICHENG_2016_2020_JSON)?;
    m.add("SAMPLE_DATA_JSON", plan_rules::SAMPLE_DATA_JSON)?;
    Ok(())
}
