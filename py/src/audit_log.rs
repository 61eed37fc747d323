//! The audit log through the core's [`plan_rules::audit_log`]: the line that appends a report,
//! and the verification of a log's text. Reading and writing the file is the Python side's.

use plan_rules::audit_log;
use pyo3::prelude::*;

use crate::convert;
use crate::errors;
use crate::report::PyReport;

/// The line (with its newline) that appends `report` to the log whose text is `log`; raises
/// `AuditLogError` when the log does not verify.
#[pyfunction]
pub(crate) fn audit_log_line(
    py: Python<'_>,
    log: &str,
    report: &PyReport,
    recorded_at: &str,
) -> PyResult<String> {
    let report = report.full(py)?;
    let result = py.detach(|| audit_log::append(log, &report, recorded_at));
    result.map_err(|e| {
        let path = match &e {
            audit_log::AuditLogError::Damaged(p) => Some(format!("line {}", p.line)),
            audit_log::AuditLogError::Serialize(_) => None,
        };
        errors::to_py(py, &errors::own("audit_log", e.code(), e.to_string(), path))
    })
}

/// Verifies a log's text: `{ok, verified, head, problem}`.
#[pyfunction]
pub(crate) fn verify_audit_log_text<'py>(
    py: Python<'py>,
    log: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let outcome = py.detach(|| audit_log::verify(log));
    convert::serialize_to_py(py, &outcome)
}
