//! `Report`: one evaluation (the core's [`plan_rules::Report`]) with its renderings, and the
//! plan and data it came from (the data for `history` and plots). A report read back from its
//! JSON (a pickle) has its plan but not its data.

use std::sync::Arc;

use plan_rules::error::ReportError;
use plan_rules::report::TargetResult;
use plan_rules::wire::Json;
use plan_rules::{Dataset, Date, EvaluateOptions, Plan, Report};
use plan_rules::{error::RequestError, render};
use pyo3::prelude::*;

use crate::convert;
use crate::dataset::PyDataset;
use crate::errors;
use crate::plan::{PyPlan, language};

/// An evaluation (native part of `plan_rules.Report`).
#[pyclass(frozen, name = "Report", module = "plan_rules._plan_rules")]
pub struct PyReport {
    pub(crate) report: Arc<Report>,
    plan: Arc<Plan>,
    /// The data evaluated; `None` for a report read back from its JSON.
    data: Option<Arc<Dataset>>,
    trail: bool,
}

impl PyReport {
    pub(crate) fn new(report: Report, plan: Arc<Plan>, data: Arc<Dataset>, trail: bool) -> Self {
        PyReport {
            report: Arc::new(report),
            plan,
            data: Some(data),
            trail,
        }
    }

    /// The data evaluated, or the `data_unavailable` error of a report read back from JSON.
    fn dataset(&self, py: Python<'_>) -> PyResult<Arc<Dataset>> {
        self.data.as_ref().map(Arc::clone).ok_or_else(|| {
            let e = errors::own(
                "data",
                "data_unavailable",
                format!(
                    "the report was read back without its data ({}): evaluate the plan on the \
                     data again for its history and plots",
                    self.report.data.content_hash
                ),
                None,
            );
            errors::to_py(py, &e)
        })
    }
}

/// The tidy table of grouped reports (`plan_rules::groups::tidy`): one dict per group and
/// target.
#[pyfunction]
pub(crate) fn group_rows<'py>(
    py: Python<'py>,
    reports: Vec<(String, PyRef<'py, PyReport>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let rows = plan_rules::groups::tidy_refs(reports.iter().map(|(g, r)| (g.as_str(), &*r.report)));
    convert::serialize_to_py(py, &rows)
}

/// A result by id: a target (`A1`) or a part of an all-of target (`A8.2/community`, the id the
/// core gives parts).
fn find<'r>(report: &'r Report, id: &str) -> Option<&'r TargetResult> {
    report.result(id).or_else(|| {
        report
            .results
            .iter()
            .flat_map(|r| r.parts.iter())
            .find(|p| p.id == id)
    })
}

#[pymethods]
impl PyReport {
    /// A report read back from its JSON (`to_json` or `to_json_compact`) for the plan it
    /// evaluated, without its data (`data` and `history` raise `DataError`,
    /// `data_unavailable`). `trail` says whether trails were asked for. With `size_limit=False`
    /// the text may be larger than the 64 MiB of any JSON document (for pickles, which are
    /// trusted). The report must be of this plan (its content hash) and of this engine version.
    #[staticmethod]
    #[pyo3(signature = (plan, text, trail, size_limit = true))]
    fn from_json(
        py: Python<'_>,
        plan: &PyPlan,
        text: &str,
        trail: bool,
        size_limit: bool,
    ) -> PyResult<PyReport> {
        let plan = Arc::clone(&plan.inner);
        let read = py.detach(|| -> Result<(Report, Arc<Plan>), ReportError> {
            let report = if size_limit {
                Report::from_json(text)?
            } else {
                Report::from_wire(Json::parse(text)?)?
            };
            let hash = plan.content_hash();
            if report.plan.content_hash != hash {
                return Err(ReportError::Shape {
                    path: "/plan/content_hash".into(),
                    message: format!(
                        "the report is of the rule set {}, not of the one given ({hash})",
                        report.plan.content_hash
                    ),
                });
            }
            Ok((report, plan))
        });
        let (report, plan) = read.map_err(errors::raise(py))?;
        Ok(PyReport {
            report: Arc::new(report),
            plan,
            data: None,
            trail,
        })
    }

    /// The report as JSON: the very bytes `plan-rules report --format json` writes.
    fn to_json(&self, py: Python<'_>) -> String {
        let report = Arc::clone(&self.report);
        py.detach(move || report.to_json())
    }

    /// The report as compact JSON (one line, as the audit log stores it).
    fn to_json_compact(&self, py: Python<'_>) -> String {
        let report = Arc::clone(&self.report);
        py.detach(move || report.to_json_compact())
    }

    /// The report as Python values (decimals stay decimal strings, as in JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize_to_py(py, &*self.report)
    }

    /// One result as Python values, by target id (`A1`) or part (`A8.2/community`).
    fn result_dict<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        match find(&self.report, id) {
            Some(r) => convert::serialize_to_py(py, r),
            None => Err(errors::to_py(
                py,
                &RequestError::UnknownTarget(id.to_string()).into(),
            )),
        }
    }

    /// The HTML table with status colours (the core's rendering).
    fn to_html(&self) -> String {
        render::html(&self.report)
    }

    /// The report as Markdown (`both`, `zh` or `en`).
    #[pyo3(signature = (lang = "both"))]
    fn to_markdown(&self, lang: &str) -> PyResult<String> {
        Ok(render::markdown(&self.report, language(lang)?))
    }

    /// The report as a plain text table (`both`, `zh` or `en`).
    #[pyo3(signature = (lang = "both"))]
    fn to_table(&self, lang: &str) -> PyResult<String> {
        Ok(render::table(&self.report, language(lang)?, false))
    }

    /// The as-of date, `YYYY-MM-DD`.
    #[getter]
    fn as_of(&self) -> String {
        self.report.as_of.to_string()
    }

    /// Whether trails were recorded.
    #[getter]
    fn trail(&self) -> bool {
        self.trail
    }

    /// The review of the plan's calendar the report was asked for (`mid_term`), or `None`.
    #[getter]
    fn review(&self) -> Option<String> {
        self.report.review.as_ref().map(|r| r.id.clone())
    }

    /// The attribute the evaluation was limited to (`binding`, `indicative`), or `None`.
    #[getter]
    fn obligation(&self) -> Option<&'static str> {
        self.report.obligation.map(|o| o.as_str())
    }

    /// The plan evaluated.
    #[getter]
    fn plan(&self) -> PyPlan {
        PyPlan {
            inner: Arc::clone(&self.plan),
        }
    }

    /// The data evaluated (`DataError`, `data_unavailable`, for a report read back from its
    /// JSON).
    #[getter]
    fn data(&self, py: Python<'_>) -> PyResult<PyDataset> {
        Ok(PyDataset {
            inner: self.dataset(py)?,
        })
    }

    /// The value the engine observes for a target at the end of each year from the baseline
    /// to the as-of date: `[(year observed, value), ...]`, each from a full evaluation as of
    /// that year's end (or the as-of date), without trails. Years without a value are left out.
    fn history<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Vec<(i32, Bound<'py, PyAny>)>> {
        if find(&self.report, id).is_none() {
            return Err(errors::to_py(
                py,
                &RequestError::UnknownTarget(id.to_string()).into(),
            ));
        }
        let plan = Arc::clone(&self.plan);
        let data = self.dataset(py)?;
        let as_of = self.report.as_of;
        let wanted = id.to_string();
        let points: Vec<(i32, String)> = py.detach(move || {
            let mut out: Vec<(i32, String)> = Vec::new();
            for year in plan.baseline_year..=as_of.year() {
                let Some(end) = Date::year_end(year) else {
                    continue;
                };
                let at = if end < as_of { end } else { as_of };
                let report = plan_rules::evaluate(
                    &plan,
                    &data,
                    at,
                    EvaluateOptions::default().with_trail(false),
                );
                if let Some(r) = find(&report, &wanted)
                    && let (Some(y), Some(v)) = (r.observed_year, r.observed)
                    && out.last().is_none_or(|(last, _)| *last < y)
                {
                    out.push((y, plan_rules::number::fmt_decimal(v.0)));
                }
            }
            out
        });
        points
            .into_iter()
            .map(|(y, v)| Ok((y, convert::decimal(py, &v)?)))
            .collect()
    }

    fn __repr__(&self) -> String {
        let s = &self.report.summary;
        format!(
            "<plan_rules.Report {} as of {}: {} met, {} not met, {} on track, {} off track, {} not assessable>",
            self.report.plan.id,
            self.report.as_of,
            s.met,
            s.not_met,
            s.on_track,
            s.off_track,
            s.not_assessable
        )
    }
}
