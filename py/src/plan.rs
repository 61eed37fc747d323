//! `Plan`: a checked rule set (the core's [`plan_rules::Plan`]), with its targets, evaluation and
//! validation through the core's entry layer.

use std::sync::Arc;

use plan_rules::error::{Nesting, SpecError, SpecErrors};
use plan_rules::ffi::{self, FfiError};
use plan_rules::render;
use plan_rules::wire::Json;
use plan_rules::{Dataset, Plan};
use pyo3::prelude::*;

use crate::columns::{self, ColumnSpec};
use crate::convert::{self, Refusal};
use crate::dataset::{PyDataset, data_refusal};
use crate::errors;
use crate::report::PyReport;

/// A checked rule set (native part of `plan_rules.Plan`).
#[pyclass(frozen, name = "Plan", module = "plan_rules._plan_rules")]
pub struct PyPlan {
    pub(crate) inner: Arc<Plan>,
}

/// A language for text renderings, by name.
pub(crate) fn language(lang: &str) -> PyResult<render::Language> {
    match lang {
        "both" => Ok(render::Language::Both),
        "zh" => Ok(render::Language::Zh),
        "en" => Ok(render::Language::En),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "language `{other}` is not one of `both`, `zh`, `en`"
        ))),
    }
}

/// A refused Python value in a rule set, as the entry layer's spec error.
fn spec_refusal(py: Python<'_>, r: Refusal) -> PyErr {
    match r {
        Refusal::Python(e) => e,
        Refusal::Value { path, message } => {
            let e: FfiError = SpecErrors::one(SpecError::Shape {
                path,
                message,
                target: None,
            })
            .into();
            errors::to_py(py, &e)
        }
        Refusal::TooDeep(path) => {
            let e: FfiError = SpecErrors::one(SpecError::TooDeep(Nesting {
                line: None,
                column: None,
                path: Some(path),
            }))
            .into();
            errors::to_py(py, &e)
        }
    }
}

impl PyPlan {
    pub(crate) fn new(plan: Plan) -> PyPlan {
        PyPlan {
            inner: Arc::new(plan),
        }
    }
}

#[pymethods]
impl PyPlan {
    /// The embedded Xicheng District education plan, 2016-2020.
    #[staticmethod]
    fn default(py: Python<'_>) -> PyResult<PyPlan> {
        ffi::load_plan(None)
            .map(PyPlan::new)
            .map_err(errors::raise(py))
    }

    /// A rule set from JSON text, checked. With `size_limit=False` the text may be larger than
    /// the 64 MiB of any JSON document (for pickles, which are trusted).
    #[staticmethod]
    #[pyo3(signature = (text, size_limit = true))]
    fn from_json(py: Python<'_>, text: &str, size_limit: bool) -> PyResult<PyPlan> {
        let plan = py.detach(|| {
            if size_limit {
                Plan::from_json(text)
            } else {
                let value = Json::parse(text).map_err(|e| SpecErrors::one(e.into()))?;
                Plan::from_wire(value)
            }
        });
        plan.map(PyPlan::new).map_err(errors::raise(py))
    }

    /// A rule set from Python values (the JSON shape as dicts and lists), checked.
    #[staticmethod]
    fn from_value(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<PyPlan> {
        let value = convert::to_value(value).map_err(|r| spec_refusal(py, r))?;
        let plan = py.detach(|| ffi::load_plan(Some(value)));
        plan.map(PyPlan::new).map_err(errors::raise(py))
    }

    /// Plan id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// Version of the rule set.
    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }

    /// `published` or `draft`.
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }

    /// What a draft leaves out (`plan_rules::Plan::warnings`) as Python values: a list of
    /// `{code, path, target, message_zh, message_en}`; empty for a published rule set.
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize_to_py(py, &self.inner.warnings())
    }

    /// SHA-256 of the canonical rule set (`sha256:...`).
    #[getter]
    fn content_hash(&self) -> String {
        self.inner.content_hash().to_string()
    }

    /// The canonical rule set as compact JSON (what `content_hash` hashes).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The canonical rule set as Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize_to_py(py, &*self.inner)
    }

    /// The targets' ids, in plan order.
    fn target_ids(&self) -> Vec<String> {
        self.inner.targets.iter().map(|t| t.id.clone()).collect()
    }

    /// The rule set as a text listing (`both`, `zh` or `en`).
    #[pyo3(signature = (lang = "both"))]
    fn listing(&self, lang: &str) -> PyResult<String> {
        Ok(render::rules_listing(&self.inner, language(lang)?))
    }

    /// Evaluates the plan on a dataset as of a date (default: the end of the plan period),
    /// without holding the GIL.
    /// `progress`, when given, is called with `(targets done, targets)` on the calling thread
    /// as targets finish; Ctrl-C stops the work between targets (`KeyboardInterrupt`), as does
    /// an exception from `progress`.
    #[pyo3(signature = (data, as_of = None, trail = true, obligation = None, progress = None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        data: &PyDataset,
        as_of: Option<&str>,
        trail: bool,
        obligation: Option<&str>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<PyReport> {
        let (as_of, review) = ffi::resolve_as_of(&self.inner, as_of).map_err(errors::raise(py))?;
        let review = review.map(str::to_string);
        let obligation = ffi::obligation(obligation).map_err(errors::raise(py))?;
        let plan = Arc::clone(&self.inner);
        let dataset = Arc::clone(&data.inner);
        let options = plan_rules::EvaluateOptions::default()
            .with_trail(trail)
            .with_obligation(obligation);
        // The report's dataset hash is computed when the whole report is first shown.
        let report = if progress.is_none() {
            py.detach(|| {
                plan_rules::eval::evaluate_unhashed(&plan, &dataset, as_of, options, &|_| true)
                    .map(|r| r.for_review(&plan, review.as_deref()))
            })
            .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("the evaluation was lost"))?
        } else {
            let total = plan
                .targets
                .iter()
                .filter(|t| obligation.is_none_or(|o| t.obligation == Some(o)))
                .count();
            let (plan2, dataset2) = (Arc::clone(&plan), Arc::clone(&dataset));
            let work = move |report: &(dyn Fn(Event) -> bool + Sync)| {
                if !report(Event::Total(total)) {
                    return None;
                }
                plan_rules::eval::evaluate_unhashed(&plan2, &dataset2, as_of, options, &|n| {
                    report(Event::Done(n))
                })
                .map(|r| r.for_review(&plan2, review.as_deref()))
            };
            let (out, stopped) = py.detach(move || run_watched(work, progress));
            if let Some(e) = stopped {
                return Err(e);
            }
            out.flatten().ok_or_else(|| {
                pyo3::exceptions::PyRuntimeError::new_err("the evaluation thread failed")
            })?
        };
        Ok(PyReport::new(report, plan, dataset, trail))
    }

    /// Evaluates the plan on each group of an entity table (the rows split by the group column
    /// `by`, see `plan_rules::groups`), the groups in parallel without holding the GIL. Each
    /// group's dataset is its series dataset from `series` (or `base`) plus its rows; a group
    /// with series but no rows is evaluated on its series alone, after the table's groups.
    /// `progress`, when given, is called with `(groups done, groups)` on the calling thread as
    /// groups finish; Ctrl-C (a signal for the main thread) stops the work between groups and
    /// raises `KeyboardInterrupt`, as does an exception from `progress`.
    #[pyo3(signature = (base, series, kind, ids, years, fields, attributes, by, names = None, active_from = None, active_until = None, as_of = None, trail = false, obligation = None, progress = None))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate_groups(
        &self,
        py: Python<'_>,
        base: &PyDataset,
        series: Vec<(String, PyRef<'_, PyDataset>)>,
        kind: String,
        ids: ColumnSpec<'_>,
        years: ColumnSpec<'_>,
        fields: Vec<(String, ColumnSpec<'_>)>,
        attributes: Vec<(String, ColumnSpec<'_>)>,
        by: (String, ColumnSpec<'_>),
        names: Option<ColumnSpec<'_>>,
        active_from: Option<ColumnSpec<'_>>,
        active_until: Option<ColumnSpec<'_>>,
        as_of: Option<&str>,
        trail: bool,
        obligation: Option<&str>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Vec<(String, PyReport)>> {
        let (as_of, review) = ffi::resolve_as_of(&self.inner, as_of).map_err(errors::raise(py))?;
        let review = review.map(str::to_string);
        let obligation = ffi::obligation(obligation).map_err(errors::raise(py))?;
        let (by_name, by_spec) = by;
        let table = columns::entity_table(
            kind,
            ids,
            years,
            fields,
            attributes,
            names,
            active_from,
            active_until,
        )
        .map_err(|r| data_refusal(py, r))?;
        let by = columns::text_column(&by_spec, &by_name).map_err(|r| data_refusal(py, r))?;
        let series: Vec<(String, Arc<Dataset>)> = series
            .into_iter()
            .map(|(g, d)| (g, Arc::clone(&d.inner)))
            .collect();
        let plan = Arc::clone(&self.inner);
        let base = Arc::clone(&base.inner);
        let options = plan_rules::EvaluateOptions::default()
            .with_trail(trail)
            .with_obligation(obligation);
        let work = move |report: &(dyn Fn(Event) -> bool + Sync)| {
            let split = plan_rules::groups::split_table(table, &by, &by_name)?;
            let mut datasets: Vec<(String, Dataset)> = Vec::with_capacity(split.len());
            for (group, rows) in split {
                let mut data = series
                    .iter()
                    .find(|(g, _)| *g == group)
                    .map_or_else(|| (*base).clone(), |(_, d)| (**d).clone());
                plan_rules::batch::add_entity_table(&mut data, rows)?;
                datasets.push((group, data));
            }
            let mut extra: Vec<&(String, Arc<Dataset>)> = series
                .iter()
                .filter(|(g, _)| !datasets.iter().any(|(d, _)| d == g))
                .collect();
            extra.sort_by(|a, b| a.0.cmp(&b.0));
            datasets.extend(extra.into_iter().map(|(g, d)| (g.clone(), (**d).clone())));
            if !report(Event::Total(datasets.len())) {
                return Ok(None);
            }
            let reports = plan_rules::groups::evaluate_groups_unhashed_with(
                &plan,
                &datasets,
                as_of,
                options,
                &|n| report(Event::Done(n)),
            );
            Ok::<_, plan_rules::DataError>(reports.map(|reports| {
                reports
                    .into_iter()
                    .zip(datasets)
                    .map(|((group, report), (_, data))| {
                        let report = report.for_review(&plan, review.as_deref());
                        (group, report, Arc::new(data))
                    })
                    .collect::<Vec<_>>()
            }))
        };
        let (out, stopped) = py.detach(move || run_watched(work, progress));
        if let Some(e) = stopped {
            return Err(e);
        }
        let out = out.ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err("the evaluation thread failed")
        })?;
        let out = out.map_err(errors::raise(py))?.unwrap_or_default();
        Ok(out
            .into_iter()
            .map(|(group, report, data)| {
                (
                    group,
                    PyReport::new(report, Arc::clone(&self.inner), data, trail),
                )
            })
            .collect())
    }

    /// The dataset's diagnostics against this plan (`{ok, errors, warnings, diagnostics}`).
    fn validate<'py>(&self, py: Python<'py>, data: &PyDataset) -> PyResult<Bound<'py, PyAny>> {
        let plan = Arc::clone(&self.inner);
        let dataset = Arc::clone(&data.inner);
        let answer = py.detach(|| ffi::validate_dataset(&plan, &dataset));
        convert::serialize_to_py(py, &answer)
    }

    fn __repr__(&self) -> String {
        format!(
            "<plan_rules.Plan {} version {}: {} targets>",
            self.inner.id,
            self.inner.version,
            self.inner.targets.len()
        )
    }
}

/// What a long native call tells the thread that watches it.
enum Event {
    /// How many groups there are.
    Total(usize),
    /// How many are done.
    Done(usize),
}

/// Runs `work` on another thread while this one (the caller's, without the GIL) takes its
/// events: each reports progress to `progress` with the GIL held and checks for Ctrl-C
/// (`KeyboardInterrupt`); an error there makes `work`'s hook answer `false`, so it stops
/// between groups. Returns the work's answer (`None` if its thread failed) and the error that
/// stopped it, if any.
fn run_watched<T: Send>(
    work: impl FnOnce(&(dyn Fn(Event) -> bool + Sync)) -> T + Send,
    progress: Option<Py<PyAny>>,
) -> (Option<T>, Option<PyErr>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    let mut stopped: Option<PyErr> = None;
    let answer = std::thread::scope(|s| {
        let stop = &stop;
        // The sender moves into the worker: the channel closes when the work is done, which
        // ends the watch below.
        let worker = s.spawn(move || {
            let hook = |e: Event| {
                let _ = tx.send(e);
                !stop.load(Ordering::SeqCst)
            };
            work(&hook)
        });
        let mut total = 0;
        loop {
            let event = rx.recv_timeout(std::time::Duration::from_millis(100));
            let done = match event {
                Ok(Event::Total(n)) => {
                    total = n;
                    Some(0)
                }
                Ok(Event::Done(n)) => Some(n),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            };
            if stopped.is_some() {
                continue;
            }
            let failed = Python::attach(|py| {
                if let (Some(n), Some(callback)) = (done, progress.as_ref()) {
                    callback.call1(py, (n, total))?;
                }
                py.check_signals()
            });
            if let Err(e) = failed {
                stop.store(true, Ordering::SeqCst);
                stopped = Some(e);
            }
        }
        worker.join()
    });
    // A worker that failed (an engine defect) gives no answer rather than a panic.
    (answer.ok(), stopped)
}
