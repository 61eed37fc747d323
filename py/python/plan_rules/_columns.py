"""pandas DataFrames to the engine's dataset, column by column.

The district-by-year table (``series``) is small and becomes the JSON shape directly. Entity
tables (one row per entity and year, a million rows if need be) cross as raw NumPy buffers, one
per column, and the core (``plan_rules::batch``) groups the rows into entities: no Python code
runs per row.

Shapes
------
series, long:  columns ``series``, ``year``, ``value`` (and optionally ``unit``, ``source``).
series, wide:  one row per year (a ``year`` column, or the index), one column per series.
entities, wide: columns ``id``, ``year``, one column per field, and optionally ``kind`` (else
               pass ``kind=``), ``name``, ``active_from``, ``active_until`` and attribute columns
               (by default the attributes the plan's dictionary defines for the kind).
entities, long: columns ``id``, ``year``, ``field``, ``value`` (and the optional columns above).

A missing cell (``NaN``, ``None``, ``pd.NA``) is no observation. Numbers are read exactly:
integers as they are, ``Decimal`` objects by their text, floats from their shortest repr.
Timestamps are text (``2020-01-01T08:30:00``, ``Z`` when zoned), as the CLI reads Parquet's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import _plan_rules as _native
from ._errors import DataError
from ._tables import as_frame, is_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["RESERVED", "dataset_from_pandas"]

#: Columns of an entity table that are not fields.
RESERVED = ("kind", "id", "year", "name", "active_from", "active_until", "field", "value")

Encoded = tuple[str, Any, Any]


def _data_error(message: str, path: str | None = None) -> DataError:
    return DataError(message, code="invalid_shape", path=path)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python scalar it holds."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        return item()
    return value


def encode(column: pd.Series, *, arrow_text: bool = False) -> Encoded:
    """A column as a tagged buffer (see ``py/src/columns.rs``); with ``arrow_text``, distinct
    Arrow-backed strings as their UTF-8 buffers (``coded_utf8``, which datasets read; row
    verdicts read ``coded``)."""
    import numpy as np
    import pandas as pd
    from pandas.api import types

    dtype = column.dtype
    mask = column.isna().to_numpy(dtype=bool)
    mask_bytes = mask.astype(np.uint8).tobytes() if mask.any() else None
    if types.is_bool_dtype(dtype):
        data = column.to_numpy(dtype=bool, na_value=False).astype(np.uint8)
        return ("bool", data.tobytes(), mask_bytes)
    if types.is_integer_dtype(dtype):
        # An unsigned 64-bit value above the int64 range would wrap: such a column goes coded.
        unsigned64 = types.is_unsigned_integer_dtype(dtype) and "64" in str(dtype)
        if unsigned64 and len(column) and column.max() > 2**63 - 1:
            return _coded(column, arrow_text)
        # A native int64 array is read by Rust as it is (one copy, the dataset's own): without
        # missing values the column's own array crosses (`na_value` would copy it first).
        if mask_bytes is None:
            data = column.to_numpy(dtype=np.int64, copy=False)
        else:
            data = column.to_numpy(dtype=np.int64, na_value=0)
        return ("int", np.ascontiguousarray(data), mask_bytes)
    if types.is_float_dtype(dtype) and str(dtype).lower() in (
        "float64",
        "double[pyarrow]",
        "float64[pyarrow]",
    ):
        data = column.to_numpy(dtype="<f8", na_value=np.nan)
        return ("float", data.tobytes(), None)
    if isinstance(dtype, pd.ArrowDtype) and _arrow_decimal(dtype):
        # Arrow decimals as Python decimals, each distinct value converted once.
        return _coded(column.astype(object))
    if (
        isinstance(dtype, pd.CategoricalDtype)
        or types.is_object_dtype(dtype)
        or (types.is_string_dtype(dtype))
    ):
        return _coded(column, arrow_text)
    if types.is_float_dtype(dtype):
        # float32 and other widths: their own shortest text, through the coded path.
        return _coded(column.astype(object).map(lambda v: v if _missing(v) else str(v)))
    if _timestamp_dtype(dtype):
        return _timestamps(column)
    raise _data_error(f"column `{column.name}` has type `{dtype}`, which cannot hold data")


def _timestamp_dtype(dtype: Any) -> bool:
    import pandas as pd
    from pandas.api import types

    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        return bool(pa.types.is_timestamp(dtype.pyarrow_dtype))
    return bool(types.is_datetime64_any_dtype(dtype))


def _timestamps(column: pd.Series) -> Encoded:
    """A timestamp column coded as text, as the CLI reads a Parquet timestamp:
    ``YYYY-MM-DDTHH:MM:SS``, the fraction of a second only when there is one (``.5``,
    ``.000123``), and ``Z`` for a column with a time zone (converted to UTC first); ``NaT`` is
    missing. Each distinct timestamp is written once."""
    import numpy as np
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):
        unit, tz = dtype.pyarrow_dtype.unit, dtype.pyarrow_dtype.tz
        column = column.astype(f"datetime64[{unit}, {tz}]" if tz else f"datetime64[{unit}]")
    utc = getattr(column.dtype, "tz", None) is not None
    if utc:
        column = column.dt.tz_convert("UTC").dt.tz_localize(None)
    values = column.to_numpy()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = []
    for text in np.datetime_as_string(np.asarray(uniques, dtype=values.dtype)):
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        texts.append(text + "Z" if utc else text)
    return ("coded", np.ascontiguousarray(codes, dtype=np.int64), texts)


def _arrow_decimal(dtype: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_decimal(dtype.pyarrow_dtype))


def in_place(column: pd.Series) -> Encoded:
    """A field column for row verdicts: a NumPy integer column (``int8`` to ``int64``,
    ``uint8`` to ``uint32``, native byte order) or ``bool`` column as its array, read in place
    by Rust (no copy, any strides); other columns as ``encode`` gives them."""
    import numpy as np

    if isinstance(column.dtype, np.dtype):
        spec = _array_spec(column.to_numpy(copy=False))
        if spec is not None:
            return spec
    return encode(column)


def _array_spec(values: Any) -> Encoded | None:
    """A 1-D NumPy array of a native-order integer (up to ``uint32``) or bool dtype as Rust
    reads it in place; ``None`` for anything else."""
    import numpy as np

    if not (isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.isnative):
        return None
    kind, size = values.dtype.kind, values.dtype.itemsize
    if kind == "i" or (kind == "u" and size <= 4):
        return ("int", values, None)
    if kind == "b":
        return ("bool", values, None)
    return None


def _values(frame: pd.DataFrame, name: Any) -> Any:
    """The values of column `name` as pandas keeps them (a NumPy array, a ``Categorical`` ...)
    without making a Series of them, which costs more than judging a small table, or the
    Series where pandas has no such accessor (``_get_column_array``, pandas' own, not public)
    or the name is not one column."""
    get = getattr(frame, "_get_column_array", None)
    if get is not None:
        loc = frame.columns.get_loc(name)
        if isinstance(loc, int):
            return get(loc)
    return frame[name]


def field_column(frame: pd.DataFrame, name: Any) -> Encoded:
    """``in_place`` of the column `name` of `frame`, reading a NumPy integer or bool column's
    array without making a Series of it."""
    spec = _array_spec(_values(frame, name))
    return spec if spec is not None else in_place(frame[name])


def attribute_column(frame: pd.DataFrame, name: Any) -> Encoded:
    """``_coded_labels`` of the column `name` of `frame`, reading a categorical's codes without
    making a Series of it."""
    spec = _categorical_spec(_values(frame, name))
    return spec if spec is not None else _coded_labels(frame[name])


def _coded_labels(column: pd.Series) -> Encoded:
    """An attribute column coded for row verdicts, the codes as a NumPy array (read in place):
    a categorical of strings as it is (its codes, -1 for missing, and its categories), without
    a factorizing pass; other columns factorized."""
    spec = _categorical_spec(column.array)
    if spec is not None:
        return spec
    codes, values = _factorize(column)
    return ("coded", codes, values)


def _categorical_spec(values: Any) -> Encoded | None:
    """A ``Categorical`` of strings as its codes and categories; ``None`` for anything else."""
    import pandas as pd

    if isinstance(values, pd.Categorical) and all(isinstance(c, str) for c in values.categories):
        return ("coded", values.codes, list(values.categories))
    return None


def _factorize_raw(column: pd.Series) -> tuple[Any, Any]:
    """The codes (-1 for missing) and distinct values of a column, as pandas gives them."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        return codes, uniques
    except TypeError as e:
        raise _data_error(
            f"column `{column.name}` holds values that cannot be used: {e}",
            f"/columns/{column.name}",
        ) from None


def _factorize(column: pd.Series) -> tuple[Any, list[Any]]:
    """The codes (-1 for missing) and distinct values of a column."""
    codes, uniques = _factorize_raw(column)
    return codes, _listed(uniques)


def _listed(uniques: Any) -> list[Any]:
    """Distinct values from ``pd.factorize`` as Python scalars."""
    # `tolist` gives Python scalars at C speed (iterating an Arrow-backed array makes one
    # scalar object per value).
    values = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    if str(getattr(uniques, "dtype", "object")) != "object":
        return values  # typed arrays give Python scalars already
    return [_plain(u) for u in values]


def _utf8(uniques: Any) -> bytes | None:
    """Arrow-backed distinct strings (pandas 3's default ``str``, ``string[pyarrow]``, an
    ``ArrowDtype`` string) as Rust reads them without a Python object per value: their
    number, their int64 offsets, their UTF-8 text (see ``coded_utf8`` in
    ``py/src/columns.rs``); ``None`` for anything else."""
    import pandas as pd

    dtype = getattr(uniques, "dtype", None)
    arrow = isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        arrow = pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(
            dtype.pyarrow_dtype
        )
    if not arrow:
        return None
    import numpy as np
    import pyarrow as pa

    array = pa.array(uniques)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    if array.null_count:
        return None
    _, offsets, data = array.buffers()
    at = np.frombuffer(offsets, dtype="<i8")[array.offset : array.offset + len(array) + 1]
    text = data.to_pybytes() if data is not None else b""
    count: bytes = np.int64(len(array)).astype("<i8").tobytes()
    return count + at.tobytes() + text


def _coded(column: pd.Series, arrow_text: bool = False) -> Encoded:
    import numpy as np

    codes, uniques = _factorize_raw(column)
    # The codes' own array when it is native int64 (read by Rust in place, not copied first).
    codes = np.ascontiguousarray(codes, dtype=np.int64)
    text = _utf8(uniques) if arrow_text else None
    if text is not None:
        return ("coded_utf8", codes, text)
    return ("coded", codes, _listed(uniques))


def _series_dict(frame: pd.DataFrame) -> dict[str, Any]:
    columns = set(map(str, frame.columns))
    out: dict[str, Any] = {}
    if {"series", "year", "value"} <= columns:
        extra = [c for c in ("unit", "source") if c in columns]
        for row in frame[["series", "year", "value", *extra]].itertuples(index=False):
            name, year, value = str(row[0]), _plain(row[1]), _plain(row[2])
            entry = out.setdefault(name, {"values": {}})
            for key, item in zip(extra, row[3:]):
                if not _missing(item):
                    entry.setdefault(key, str(item))
            if not _missing(value):
                entry["values"][str(int(year))] = value
        return out
    table = frame.set_index("year") if "year" in columns else frame
    for name in table.columns:
        values: dict[str, Any] = {}
        for year, value in table[name].items():
            value = _plain(value)
            if not _missing(value):
                values[str(int(_plain(year)))] = value
        out[str(name)] = {"values": values}
    return out


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """A long entity table (``field``/``value`` columns) as a wide one."""
    keys = [c for c in ("kind", "id", "year") if c in frame.columns]
    try:
        wide = frame.set_index([*keys, "field"])["value"].unstack("field")
    except ValueError as e:
        raise _data_error(f"entity table has a repeated (entity, year, field): {e}") from None
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    extra = [c for c in frame.columns if c not in (*keys, "field", "value")]
    if extra:
        fixed = frame[[*keys, *extra]].drop_duplicates(subset=keys)
        wide = wide.merge(fixed, on=keys, how="left")
    return wide


def _years(column: pd.Series) -> Encoded:
    from pandas.api import types

    if column.isna().any():
        raise _data_error("column `year` has missing values", "/columns/year")
    if types.is_float_dtype(column.dtype):
        if not (column % 1 == 0).all():
            raise _data_error("column `year` holds fractional years", "/columns/year")
        column = column.astype("int64")
    return encode(column)


class Steps:
    """The steps of a load (columns encoded, tables built) counted for a progress hook
    ``hook(done, total)``; ``start(rows)`` gives the hook for a table of that many rows (or
    ``None``: no progress shown), the first time a table is seen."""

    def __init__(self, start: Callable[[int], Callable[[int, int], object] | None]) -> None:
        self._start = start
        self._hook: Callable[[int, int], object] | None = None
        self._started = False
        self.done = 0
        self.total = 0

    def plan(self, steps: int, rows: int) -> None:
        if not self._started:
            self._started = True
            self._hook = self._start(rows)
        self.total += steps
        self._report()

    def step(self) -> None:
        self.done += 1
        self._report()

    def _report(self) -> None:
        if self._hook is not None:
            self._hook(self.done, self.total)


def _encoded(column: pd.Series, steps: Steps | None) -> Encoded:
    out = encode(column, arrow_text=True)
    if steps is not None:
        steps.step()
    return out


def _entity_tables(
    frame: Any,
    kind: str | None,
    attributes: Iterable[str] | None,
    dictionary: Mapping[str, Any],
    exclude: Iterable[str] = (),
    steps: Steps | None = None,
) -> list[
    tuple[
        str, pd.DataFrame, list[tuple[str, Encoded]], list[tuple[str, Encoded]], dict[str, Encoded]
    ]
]:
    """An entity table's rows by kind, each with its encoded fields, attributes and optional
    columns (``exclude`` names columns that are neither: a grouping column)."""
    frame = as_frame(frame, "entity table").rename(columns=str)
    if "field" in frame.columns and "value" in frame.columns:
        frame = _wide(frame)
    for needed in ("id", "year"):
        if needed not in frame.columns:
            raise _data_error(f"entity table has no `{needed}` column")
    if "kind" in frame.columns:
        if kind is not None:
            raise _data_error("entity table has a `kind` column and `kind=` was given too")
        groups = [(str(k), g) for k, g in frame.groupby("kind", sort=False)]
    elif kind is None:
        raise _data_error("entity table has no `kind` column: pass `kind=`")
    else:
        groups = [(kind, frame)]
    out = []
    for group_kind, rows in groups:
        if attributes is None:
            known = dictionary.get("entity_kinds", {}).get(group_kind, {}).get("attributes", {})
            attrs = [c for c in rows.columns if c in known]
        else:
            attrs = [str(a) for a in attributes]
            for a in attrs:
                if a not in rows.columns:
                    raise _data_error(f"entity table has no attribute column `{a}`")
        skip = set(exclude)
        fields = [c for c in rows.columns if c not in RESERVED and c not in attrs and c not in skip]
        extra = [c for c in ("name", "active_from", "active_until") if c in rows.columns]
        if steps is not None:
            # Its columns, the id and year columns (encoded by the caller), building it.
            steps.plan(len(fields) + len(attrs) + len(extra) + 3, len(rows))
        optional = {("names" if c == "name" else c): _encoded(rows[c], steps) for c in extra}
        out.append(
            (
                group_kind,
                rows,
                [(f, _encoded(rows[f], steps)) for f in fields],
                [(a, _encoded(rows[a], steps)) for a in attrs],
                optional,
            )
        )
    return out


def _add_entities(
    data: _native.Dataset,
    frame: Any,
    kind: str | None,
    attributes: Iterable[str] | None,
    dictionary: Mapping[str, Any],
    steps: Steps | None = None,
) -> _native.Dataset:
    data, rows = _add_tables(data, frame, kind, attributes, dictionary, steps)
    # The encoded columns are let go by now.
    if rows >= TRIM_ROWS:
        _give_back_freed_memory()
    return data


def _add_tables(
    data: _native.Dataset,
    frame: Any,
    kind: str | None,
    attributes: Iterable[str] | None,
    dictionary: Mapping[str, Any],
    steps: Steps | None,
) -> tuple[_native.Dataset, int]:
    """``_add_entities`` before memory is given back, and the rows added."""
    added = 0
    for group_kind, rows, fields, attrs, optional in _entity_tables(
        frame, kind, attributes, dictionary, steps=steps
    ):
        ids = _encoded(rows["id"], steps)
        years = _years(rows["year"])
        if steps is not None:
            steps.step()
        data = data.with_entity_columns(group_kind, ids, years, fields, attrs, **optional)
        added += len(rows)
        if steps is not None:
            steps.step()
    return data, added


#: Rows from which a load gives the memory it freed back to the system.
TRIM_ROWS = 200_000


def _give_back_freed_memory() -> None:
    """Gives the memory a large load has freed back to the system. glibc keeps freed memory in
    its heaps (one per thread) until told: a million rows loaded leave about 60 MB there,
    which the evaluation that follows does not all reuse (its peak was 30 MB higher). Nothing
    elsewhere (macOS, Windows, musl, which has no ``malloc_trim``)."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def dataset_from_pandas(
    series: pd.DataFrame | None,
    entities: Any,
    *,
    kind: str | None,
    attributes: Iterable[str] | None,
    meta: Mapping[str, Any],
    dictionary: Mapping[str, Any],
    steps: Steps | None = None,
) -> _native.Dataset:
    """The native dataset for a series table and entity tables (see the module docs)."""
    doc: dict[str, Any] = {k: v for k, v in meta.items() if v is not None and v is not False}
    if series is not None:
        doc["series"] = _series_dict(as_frame(series, "series table"))
    data = _native.Dataset.from_value(doc)
    if entities is None:
        return data
    frames: list[tuple[str | None, pd.DataFrame]]
    if isinstance(entities, Mapping):
        if kind is not None:
            raise _data_error("`kind=` cannot be combined with entity tables keyed by kind")
        frames = [(str(k), f) for k, f in entities.items()]
    elif isinstance(entities, (list, tuple)) and not is_table(entities):
        frames = [(kind, f) for f in entities]
    else:
        frames = [(kind, entities)]
    for frame_kind, frame in frames:
        data = _add_entities(data, frame, frame_kind, attributes, dictionary, steps)
    return data
