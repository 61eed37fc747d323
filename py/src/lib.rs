//! Python bindings of plan-rules: built by maturin from `py/pyproject.toml` (work in progress).
