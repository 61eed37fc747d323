"""Tables from where they live: pandas DataFrames as they are, and any object with the Arrow
PyCapsule interface (``__arrow_c_stream__`` or ``__arrow_c_array__``: polars, pyarrow, DuckDB
results, ...) read through pyarrow into a pandas DataFrame whose columns are the Arrow arrays
themselves (``pd.ArrowDtype``: no copy of the data). Anything else is a ``DataError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["as_frame", "is_table"]


def _is_pandas(value: Any) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return False
    return isinstance(value, pd.DataFrame)


def _is_arrow(value: Any) -> bool:
    kind = type(value)
    return hasattr(kind, "__arrow_c_stream__") or hasattr(kind, "__arrow_c_array__")


def is_table(value: Any) -> bool:
    """Whether a value is a table the engine reads (pandas, or Arrow through its interface)."""
    return _is_pandas(value) or _is_arrow(value)


def as_frame(value: Any, what: str = "table") -> pd.DataFrame:
    """A table as a pandas DataFrame: pandas as it is, Arrow without copying its columns."""
    if _is_pandas(value):
        return value
    if not _is_arrow(value):
        raise DataError(
            f"the {what} of type `{type(value).__name__}` is not a table: pass a pandas "
            "DataFrame or an object with the Arrow PyCapsule interface (polars, pyarrow, DuckDB)",
            code="invalid_type",
        )
    try:
        import pandas as pd
        import pyarrow as pa
    except ImportError as e:
        raise DataError(
            f"reading the Arrow {what} of type `{type(value).__name__}` needs pyarrow and "
            f"pandas (pip install 'plan-rules[arrow]'): {e}",
            code="invalid_type",
        ) from None
    try:
        if hasattr(type(value), "__arrow_c_stream__"):
            table = pa.table(value)
        else:
            batch = pa.record_batch(value)
            table = pa.Table.from_batches([batch])
    except (TypeError, ValueError, pa.ArrowException) as e:
        raise DataError(
            f"the Arrow {what} of type `{type(value).__name__}` cannot be read: {e}",
            code="invalid_type",
        ) from None
    names = table.column_names
    if len(set(names)) != len(names):
        raise DataError(f"the {what} has repeated column names", code="invalid_shape")
    table = _without_views(pa, table)
    return table.to_pandas(types_mapper=pd.ArrowDtype, self_destruct=False)


def _without_views(pa: Any, table: Any) -> Any:
    """String and binary views (polars' strings) as large strings and binaries, and
    dictionary-encoded columns (polars' categoricals) as their values, which pandas reads as
    Arrow columns (a cast of those columns only)."""

    def plain(t: Any) -> Any:
        if pa.types.is_string_view(t):
            return pa.large_string()
        if pa.types.is_binary_view(t):
            return pa.large_binary()
        return t

    def decoded(chunk: Any) -> Any:
        if pa.types.is_dictionary(chunk.type):
            values = chunk.dictionary.cast(plain(chunk.dictionary.type))
            return values.take(chunk.indices)
        return chunk.cast(plain(chunk.type))

    columns = []
    changed = False
    for field, column in zip(table.schema, table.columns):
        t = field.type
        if pa.types.is_dictionary(t) or plain(t) != t:
            chunks = [decoded(c) for c in column.chunks]
            target = plain(t.value_type) if pa.types.is_dictionary(t) else plain(t)
            column = pa.chunked_array(chunks, type=target)
            changed = True
        columns.append(column)
    return pa.table(columns, names=table.column_names) if changed else table
