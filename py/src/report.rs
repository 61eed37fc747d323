//! `Report`: one evaluation (the core's [`plan_rules::Report`]) with its renderings, and the
//! plan and data it came from (the data for `history` and plots). A report read back from its
//! JSON (a pickle) has its plan but not its data.
//!
//! A report from `Plan.evaluate` starts without its dataset's content hash
//! ([`UnhashedReport`]): results, summary and diagnostics are read without it, and the hash is
//! computed the first time something shows the whole report (its JSON, dict, renderings, a
//! pickle, the audit log).

use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use plan_rules::error::ReportError;
use plan_rules::eval::UnhashedReport;
use plan_rules::report::{Summary, TargetResult};
use plan_rules::wire::Json;
use plan_rules::{Dataset, Date, EvaluateOptions, Plan, Report};
use plan_rules::{error::RequestError, render};
use pyo3::prelude::*;
use serde::Serialize;

use crate::convert;
use crate::dataset::PyDataset;
use crate::errors;
use crate::plan::{PyPlan, language};

/// An evaluation (native part of `plan_rules.Report`).
#[pyclass(frozen, name = "Report", module = "plan_rules._plan_rules")]
pub struct PyReport {
    /// The report without its dataset's hash, until [`PyReport::full`] finishes it.
    unhashed: RwLock<Option<UnhashedReport>>,
    /// The whole report, once finished (or read back from JSON).
    full: OnceLock<Arc<Report>>,
    plan: Arc<Plan>,
    /// The data evaluated; `None` for a report read back from its JSON.
    data: Option<Arc<Dataset>>,
    trail: bool,
}

/// What every report has before its dataset hash: what results, summaries and plots read.
#[derive(Clone, Copy)]
enum Body<'r> {
    Unhashed(&'r UnhashedReport),
    Full(&'r Report),
}

impl<'r> Body<'r> {
    fn results(self) -> &'r [TargetResult] {
        match self {
            Body::Unhashed(u) => u.results(),
            Body::Full(r) => &r.results,
        }
    }

    fn summary(self) -> &'r Summary {
        match self {
            Body::Unhashed(u) => u.summary(),
            Body::Full(r) => &r.summary,
        }
    }

    fn as_of(self) -> Date {
        match self {
            Body::Unhashed(u) => u.as_of(),
            Body::Full(r) => r.as_of,
        }
    }

    /// Everything but the dataset's hash, as the report's JSON writes it.
    fn dict(self) -> BodyDict<'r> {
        match self {
            Body::Unhashed(u) => BodyDict {
                engine: u.engine(),
                plan: u.plan(),
                as_of: u.as_of(),
                obligation: u.obligation(),
                review: u.review(),
                summary: u.summary(),
                results: u.results(),
                diagnostics: u.diagnostics(),
            },
            Body::Full(r) => BodyDict {
                engine: &r.engine,
                plan: &r.plan,
                as_of: r.as_of,
                obligation: r.obligation,
                review: r.review.as_ref(),
                summary: &r.summary,
                results: &r.results,
                diagnostics: &r.diagnostics,
            },
        }
    }
}

/// A report's fields but `data` (see [`Body::dict`]), in the report's order.
#[derive(Serialize)]
struct BodyDict<'r> {
    engine: &'r plan_rules::report::EngineInfo,
    plan: &'r plan_rules::report::PlanInfo,
    as_of: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    obligation: Option<plan_rules::plan::Obligation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'r plan_rules::report::ReviewInfo>,
    summary: &'r Summary,
    results: &'r [TargetResult],
    diagnostics: &'r [plan_rules::Diagnostic],
}

/// An engine defect: a report that is neither waiting for its hash nor finished.
fn lost() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("the report was lost (an engine defect)")
}

impl PyReport {
    /// A report from an evaluation of `data`, its dataset hash computed when first shown.
    pub(crate) fn new(
        report: UnhashedReport,
        plan: Arc<Plan>,
        data: Arc<Dataset>,
        trail: bool,
    ) -> Self {
        PyReport {
            unhashed: RwLock::new(Some(report)),
            full: OnceLock::new(),
            plan,
            data: Some(data),
            trail,
        }
    }

    /// `f` of what the report holds before its hash (without computing the hash).
    fn body<R>(&self, f: impl FnOnce(Body<'_>) -> R) -> PyResult<R> {
        if let Some(r) = self.full.get() {
            return Ok(f(Body::Full(r)));
        }
        let unhashed = self.unhashed.read().unwrap_or_else(PoisonError::into_inner);
        // `full` finishes the report while holding the lock for writing: once it is ours for
        // reading, the report is either still unhashed or finished.
        match (unhashed.as_ref(), self.full.get()) {
            (Some(u), _) => Ok(f(Body::Unhashed(u))),
            (None, Some(r)) => Ok(f(Body::Full(r))),
            (None, None) => Err(lost()),
        }
    }

    /// The whole report, its dataset's hash computed the first time (without the GIL).
    pub(crate) fn full(&self, py: Python<'_>) -> PyResult<Arc<Report>> {
        if let Some(r) = self.full.get() {
            return Ok(Arc::clone(r));
        }
        let data = self.data.as_ref().map(Arc::clone);
        py.detach(|| {
            let mut unhashed = self
                .unhashed
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            if let (Some(u), Some(data)) = (unhashed.take(), data) {
                let _ = self.full.set(Arc::new(u.finish(&data)));
            }
        });
        self.full.get().map(Arc::clone).ok_or_else(lost)
    }

    /// The report's JSON (`compact` or pretty), without the GIL. The first time, the dataset
    /// is hashed while the rest is written ([`UnhashedReport::finish_to_json`]).
    fn json(&self, py: Python<'_>, compact: bool) -> PyResult<String> {
        let write = |r: &Report| {
            if compact {
                r.to_json_compact()
            } else {
                r.to_json()
            }
        };
        if let Some(r) = self.full.get() {
            let r = Arc::clone(r);
            return Ok(py.detach(move || write(&r)));
        }
        let data = self.data.as_ref().map(Arc::clone);
        let text = py.detach(|| {
            let mut unhashed = self
                .unhashed
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            match (unhashed.take(), data) {
                (Some(u), Some(data)) => {
                    let (report, text) = if compact {
                        u.finish_to_json_compact(&data)
                    } else {
                        u.finish_to_json(&data)
                    };
                    let _ = self.full.set(Arc::new(report));
                    Some(text)
                }
                // Finished by another thread meanwhile.
                (None, _) => self.full.get().map(|r| write(r)),
                (Some(u), None) => {
                    *unhashed = Some(u);
                    None
                }
            }
        });
        text.ok_or_else(lost)
    }

    /// The data evaluated, or the `data_unavailable` error of a report read back from JSON.
    fn dataset(&self, py: Python<'_>) -> PyResult<Arc<Dataset>> {
        self.data.as_ref().map(Arc::clone).ok_or_else(|| {
            let hash = self
                .full
                .get()
                .map(|r| r.data.content_hash.to_string())
                .unwrap_or_default();
            let e = errors::own(
                "data",
                "data_unavailable",
                format!(
                    "the report was read back without its data ({hash}): evaluate the plan on \
                     the data again for its history and plots"
                ),
                None,
            );
            errors::to_py(py, &e)
        })
    }
}

/// The tidy table of grouped reports (`plan_rules::groups::tidy`): one dict per group and
/// target. The reports' dataset hashes are not computed: the table has no column for them.
#[pyfunction]
pub(crate) fn group_rows<'py>(
    py: Python<'py>,
    reports: Vec<(String, PyRef<'py, PyReport>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut rows = Vec::new();
    for (group, report) in &reports {
        rows.extend(
            report.body(|b| plan_rules::groups::tidy_results([(group.as_str(), b.results())]))?,
        );
    }
    convert::serialize_to_py(py, &rows)
}

/// A result by id: a target (`A1`) or a part of an all-of target (`A8.2/community`, the id the
/// core gives parts).
fn find<'r>(results: &'r [TargetResult], id: &str) -> Option<&'r TargetResult> {
    results.iter().find(|r| r.id == id).or_else(|| {
        results
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
            unhashed: RwLock::new(None),
            full: OnceLock::from(Arc::new(report)),
            plan,
            data: None,
            trail,
        })
    }

    /// The report as JSON: the very bytes `plan-rules report --format json` writes.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.json(py, false)
    }

    /// The report as compact JSON (one line, as the audit log stores it).
    fn to_json_compact(&self, py: Python<'_>) -> PyResult<String> {
        self.json(py, true)
    }

    /// The report as Python values (decimals stay decimal strings, as in JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize_to_py(py, &*self.full(py)?)
    }

    /// The report as Python values without `data` (the dataset's id and hash): what results,
    /// summaries and diagnostics are read from, the hash not computed.
    fn body_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.body(|b| convert::serialize_to_py(py, &b.dict()))?
    }

    /// The dataset's content hash (`sha256:...`), computed the first time it is asked for.
    #[getter]
    fn data_hash(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.full(py)?.data.content_hash.to_string())
    }

    /// One result as Python values, by target id (`A1`) or part (`A8.2/community`).
    fn result_dict<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        self.body(|b| match find(b.results(), id) {
            Some(r) => convert::serialize_to_py(py, r),
            None => Err(errors::to_py(
                py,
                &RequestError::UnknownTarget(id.to_string()).into(),
            )),
        })?
    }

    /// The HTML table with status colours (the core's rendering).
    fn to_html(&self, py: Python<'_>) -> PyResult<String> {
        Ok(render::html(&*self.full(py)?))
    }

    /// The report as Markdown (`both`, `zh` or `en`).
    #[pyo3(signature = (lang = "both"))]
    fn to_markdown(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = language(lang)?;
        Ok(render::markdown(&*self.full(py)?, lang))
    }

    /// The report as a plain text table (`both`, `zh` or `en`).
    #[pyo3(signature = (lang = "both"))]
    fn to_table(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = language(lang)?;
        Ok(render::table(&*self.full(py)?, lang, false))
    }

    /// The as-of date, `YYYY-MM-DD`.
    #[getter]
    fn as_of(&self) -> PyResult<String> {
        self.body(|b| b.as_of().to_string())
    }

    /// Whether trails were recorded.
    #[getter]
    fn trail(&self) -> bool {
        self.trail
    }

    /// The review of the plan's calendar the report was asked for (`mid_term`), or `None`.
    #[getter]
    fn review(&self) -> PyResult<Option<String>> {
        self.body(|b| b.dict().review.map(|r| r.id.clone()))
    }

    /// The attribute the evaluation was limited to (`binding`, `indicative`), or `None`.
    #[getter]
    fn obligation(&self) -> PyResult<Option<&'static str>> {
        self.body(|b| b.dict().obligation.map(|o| o.as_str()))
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
        let (known, as_of) = self.body(|b| (find(b.results(), id).is_some(), b.as_of()))?;
        if !known {
            return Err(errors::to_py(
                py,
                &RequestError::UnknownTarget(id.to_string()).into(),
            ));
        }
        let plan = Arc::clone(&self.plan);
        let data = self.dataset(py)?;
        let wanted = id.to_string();
        let points: Vec<(i32, String)> = py.detach(move || {
            let mut out: Vec<(i32, String)> = Vec::new();
            for year in plan.baseline_year..=as_of.year() {
                let Some(end) = Date::year_end(year) else {
                    continue;
                };
                let at = if end < as_of { end } else { as_of };
                // The values alone: the dataset's hash is not computed.
                let Some(report) = plan_rules::eval::evaluate_unhashed(
                    &plan,
                    &data,
                    at,
                    EvaluateOptions::default().with_trail(false),
                    &|_| true,
                ) else {
                    continue;
                };
                if let Some(r) = find(report.results(), &wanted)
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

    fn __repr__(&self) -> PyResult<String> {
        self.body(|b| {
            let s = b.summary();
            format!(
                "<plan_rules.Report {} as of {}: {} met, {} not met, {} on track, {} off track, {} not assessable>",
                b.dict().plan.id,
                b.as_of(),
                s.met,
                s.not_met,
                s.on_track,
                s.off_track,
                s.not_assessable
            )
        })
    }
}
