//! `Dataset`: observed values (the core's [`plan_rules::Dataset`]), from JSON text, Python values
//! or columns of a table (through the core's [`plan_rules::batch`]).

use std::sync::Arc;

use plan_rules::Dataset;
use plan_rules::error::{DataError, Nesting};
use plan_rules::ffi::FfiError;
use plan_rules::unbatch::{self, RowOrder};
use plan_rules::wire::Json;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::columns::{self, ColumnSpec};
use crate::convert::{self, Refusal};
use crate::errors;

/// Observed values (native part of `plan_rules.Dataset`).
#[pyclass(frozen, name = "Dataset", module = "plan_rules._plan_rules")]
pub struct PyDataset {
    pub(crate) inner: Arc<Dataset>,
}

/// A refused Python value in a dataset, as the entry layer's data error.
pub(crate) fn data_refusal(py: Python<'_>, r: Refusal) -> PyErr {
    match r {
        Refusal::Python(e) => e,
        Refusal::Value { path, message } => {
            let e: FfiError = DataError::Shape { path, message }.into();
            errors::to_py(py, &e)
        }
        Refusal::TooDeep(path) => {
            let e: FfiError = DataError::TooDeep(Nesting {
                line: None,
                column: None,
                path: Some(path),
            })
            .into();
            errors::to_py(py, &e)
        }
    }
}

impl PyDataset {
    pub(crate) fn new(data: Dataset) -> PyDataset {
        PyDataset {
            inner: Arc::new(data),
        }
    }
}

#[pymethods]
impl PyDataset {
    /// The embedded synthetic sample for the Xicheng plan (made-up figures).
    #[staticmethod]
    fn sample(py: Python<'_>) -> PyResult<PyDataset> {
        Dataset::from_json(plan_rules::SAMPLE_DATA_JSON)
            .map(PyDataset::new)
            .map_err(errors::raise(py))
    }

    /// A dataset from JSON text (numbers keep their exact text). With `size_limit=False` the
    /// text may be larger than the 64 MiB of any JSON document (for pickles, which are trusted).
    #[staticmethod]
    #[pyo3(signature = (text, size_limit = true))]
    fn from_json(py: Python<'_>, text: &str, size_limit: bool) -> PyResult<PyDataset> {
        let data = py.detach(|| {
            if size_limit {
                Dataset::from_json(text)
            } else {
                Dataset::from_wire(Json::parse(text)?)
            }
        });
        data.map(PyDataset::new).map_err(errors::raise(py))
    }

    /// A dataset from Python values (the JSON shape as dicts and lists).
    #[staticmethod]
    fn from_value(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<PyDataset> {
        let value = convert::to_value(value).map_err(|r| data_refusal(py, r))?;
        let data = py.detach(|| Dataset::from_wire(value));
        data.map(PyDataset::new).map_err(errors::raise(py))
    }

    /// A copy with the entities of one kind added from columns of equal length (one row per
    /// entity and year). See `plan_rules._columns` for the encoding.
    #[pyo3(signature = (kind, ids, years, fields, attributes = Vec::new(), names = None, active_from = None, active_until = None))]
    #[allow(clippy::too_many_arguments)]
    fn with_entity_columns(
        &self,
        py: Python<'_>,
        kind: String,
        ids: ColumnSpec<'_>,
        years: ColumnSpec<'_>,
        fields: Vec<(String, ColumnSpec<'_>)>,
        attributes: Vec<(String, ColumnSpec<'_>)>,
        names: Option<ColumnSpec<'_>>,
        active_from: Option<ColumnSpec<'_>>,
        active_until: Option<ColumnSpec<'_>>,
    ) -> PyResult<PyDataset> {
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
        let base = Arc::clone(&self.inner);
        let out = py.detach(move || {
            let mut data = (*base).clone();
            plan_rules::batch::add_entity_table(&mut data, table).map(|_| data)
        });
        out.map(PyDataset::new).map_err(errors::raise(py))
    }

    /// The rows (entity-years) of the dataset's entity tables.
    #[getter]
    fn table_rows(&self) -> usize {
        self.inner.tables.iter().map(|t| t.row_count()).sum()
    }

    /// Dataset id, if it has one.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id.as_deref()
    }

    /// Whether the data is marked synthetic.
    #[getter]
    fn synthetic(&self) -> bool {
        self.inner.synthetic
    }

    /// Number of entities.
    #[getter]
    fn entity_count(&self) -> usize {
        self.inner.entity_count()
    }

    /// Names of the district series.
    fn series_names(&self) -> Vec<String> {
        self.inner.series.keys().cloned().collect()
    }

    /// SHA-256 of the canonical dataset (`sha256:...`).
    #[getter]
    fn content_hash(&self, py: Python<'_>) -> String {
        let data = Arc::clone(&self.inner);
        py.detach(move || data.content_hash().to_string())
    }

    /// The canonical dataset as compact JSON; with `tables=False`, without the entities held
    /// as columns (the series, the JSON entities and the judgements).
    #[pyo3(signature = (tables = true))]
    fn to_json(&self, py: Python<'_>, tables: bool) -> String {
        let data = Arc::clone(&self.inner);
        py.detach(move || {
            if tables || data.tables.is_empty() {
                data.to_json()
            } else {
                Dataset {
                    id: data.id.clone(),
                    description: data.description.clone(),
                    synthetic: data.synthetic,
                    series: data.series.clone(),
                    entities: data.entities.clone(),
                    tables: Vec::new(),
                    judgements: data.judgements.clone(),
                }
                .to_json()
            }
        })
    }

    /// The entities held as columns, one tuple per table in the order they were added: the
    /// arguments of `with_entity_columns` that add it again (`kind, ids, years, fields,
    /// attributes, names, active_from, active_until`), exactly, in the table's row order or
    /// grouped by entity (`grouped=True`). Added back in order to the dataset without its tables
    /// they give the same content hash either way.
    #[pyo3(signature = (grouped = false))]
    fn entity_columns<'py>(
        &self,
        py: Python<'py>,
        grouped: bool,
    ) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        let order = if grouped {
            RowOrder::Grouped
        } else {
            RowOrder::Table
        };
        let data = Arc::clone(&self.inner);
        let tables = py.detach(move || unbatch::entity_tables(&data, order));
        tables
            .iter()
            .map(|t| columns::encode_table(py, t))
            .collect()
    }

    /// The dataset as Python values (numbers as `int` or `decimal.Decimal`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serialize_to_py(py, &*self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<plan_rules.Dataset {}: {} series, {} entities>",
            self.inner.id.as_deref().unwrap_or("(no id)"),
            self.inner.series.len(),
            self.inner.entity_count()
        )
    }
}
