"""The public classes of plan_rules: Plan, Dataset, Report, and the functions around them.

Each class wraps its native counterpart from ``plan_rules._plan_rules`` (the Rust core) and
only converts types: every rule, judgement, rendering and hash comes from the core.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Union, cast

from . import _plan_rules as _native
from ._errors import DataError, ErrorDetail, RequestError
from ._types import (
    Diagnostic,
    LogVerification,
    Obligation,
    Review,
    SpecWarning,
    Summary,
    Target,
    TargetResult,
    Text,
    Trail,
)
from ._types import Validation as Validation

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DataLike",
    "Dataset",
    "Language",
    "Plan",
    "PlanStatus",
    "Report",
    "append_to_audit_log",
    "audit_log_line",
    "validate",
    "verify_audit_log",
    "verify_audit_log_text",
]

#: Languages of the text renderings.
Language = Literal["both", "zh", "en"]
#: Whether a rule set is published or a draft (``Plan.status``, ``Report.plan_status``).
PlanStatus = Literal["published", "draft"]
#: A path to a JSON file.
PathLike = Union[str, "os.PathLike[str]"]
#: What ``evaluate`` and ``validate`` accept as data: a Dataset, a path to a JSON file, the JSON
#: shape as a dict, or a dict of pandas DataFrames (``{"series": ..., "entities": ...}``).
DataLike = Union["Dataset", PathLike, Mapping[str, Any]]


def _read(path: PathLike) -> str:
    with open(os.fspath(path), encoding="utf-8") as f:
        return f.read()


def _is_frame(value: Any) -> bool:
    from ._tables import is_table

    return is_table(value)


def _holds_tables(value: Any) -> bool:
    if _is_frame(value):
        return True
    if isinstance(value, Mapping):
        return bool(value) and all(_is_frame(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_frame(v) for v in value)
    return False


class Dataset:
    """Observed values handed to an evaluation (数据集): district series and entities by year.

    Build one from a JSON file, JSON text, the JSON shape as Python values, or pandas tables;
    ``Plan.evaluate`` accepts all of these directly too.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Dataset) -> None:
        if not isinstance(native, _native.Dataset):
            raise TypeError("use Dataset.from_file, from_json, from_dict or from_pandas")
        self._native = native

    @classmethod
    def sample(cls) -> Dataset:
        """The synthetic sample for the Xicheng plan, 2015-2020 (made-up figures)."""
        return cls(_native.Dataset.sample())

    @classmethod
    def from_file(cls, path: PathLike) -> Dataset:
        """A dataset from a JSON file (numbers keep their exact text)."""
        return cls(_native.Dataset.from_json(_read(path)))

    @classmethod
    def from_json(cls, text: str | bytes) -> Dataset:
        """A dataset from JSON text."""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return cls(_native.Dataset.from_json(text))

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Dataset:
        """A dataset from the JSON shape as Python values. Numbers may be ``int``,
        ``decimal.Decimal``, ``str`` or finite ``float`` (read from its shortest repr); NaN,
        infinities and other types raise ``DataError``."""
        return cls(_native.Dataset.from_value(value))

    @classmethod
    def from_pandas(
        cls,
        series: pd.DataFrame | None = None,
        entities: Any = None,
        *,
        kind: str | None = None,
        attributes: Iterable[str] | None = None,
        plan: Plan | None = None,
        id: str | None = None,
        description: str | None = None,
        synthetic: bool = False,
        progress: bool | Callable[[int, int], object] | None = None,
    ) -> Dataset:
        """A dataset from pandas tables (long or wide; see ``plan_rules._columns``).

        ``series`` is the district-by-year table. ``entities`` is one table (with a ``kind``
        column, or ``kind=``), a list of them, or a dict of tables by kind; its rows (one per
        entity and year) cross to the core as column buffers, not row by row. Attribute columns
        are those the plan's dictionary defines for the kind (``plan``, default the embedded
        Xicheng plan), unless ``attributes`` names them.

        Loading shows a tqdm bar (columns encoded, then tables built) once it has lasted a
        second, when tqdm is installed and the first entity table has 200,000 rows or more
        (``progress=True``: from the start;
        ``False``: never; a callable: called with the steps done and the steps known so far).
        Ctrl-C between steps raises ``KeyboardInterrupt``; no half-made dataset is returned.
        """
        from ._columns import Steps, dataset_from_pandas

        dictionary = (plan or Plan.default())._dict()["dictionary"]
        meta = {"id": id, "description": description, "synthetic": synthetic}
        bars: list[Any] = []

        def start(rows: int) -> Callable[[int, int], object] | None:
            hook, bar = _progress(progress, rows, "column", desc="loading")
            if bar is not None:
                bars.append(bar)
            return hook

        try:
            return cls(
                dataset_from_pandas(
                    series,
                    entities,
                    kind=kind,
                    attributes=attributes,
                    meta=meta,
                    dictionary=dictionary,
                    steps=Steps(start),
                )
            )
        finally:
            for bar in bars:
                bar.close()

    def with_entities(
        self,
        frame: pd.DataFrame,
        *,
        kind: str | None = None,
        attributes: Iterable[str] | None = None,
        plan: Plan | None = None,
    ) -> Dataset:
        """A copy with the entities of an entity table added (see ``from_pandas``)."""
        from ._columns import _add_entities

        dictionary = (plan or Plan.default())._dict()["dictionary"]
        return Dataset(_add_entities(self._native, frame, kind, attributes, dictionary))

    @property
    def id(self) -> str | None:
        """The dataset's id, if it has one."""
        return self._native.id

    @property
    def synthetic(self) -> bool:
        """Whether the data is marked synthetic."""
        return self._native.synthetic

    @property
    def entity_count(self) -> int:
        """How many entities it holds."""
        return self._native.entity_count

    @property
    def series_names(self) -> list[str]:
        """The district series it holds."""
        return self._native.series_names()

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical dataset, as reports record it."""
        return self._native.content_hash

    def to_json(self) -> str:
        """The canonical dataset as compact JSON."""
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The dataset as Python values (numbers as ``int`` or ``decimal.Decimal``)."""
        out: dict[str, Any] = self._native.to_dict()
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        # The JSON part (series, JSON entities, judgements) as JSON, each entity table as its
        # columns (whole numbers, decimals and flags as raw bytes, labels coded): compact and
        # exact (the same content hash), read back without the 64 MiB limit of JSON documents.
        native = self._native
        return (_restore_dataset, (native.to_json(tables=False), native.entity_columns()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dataset) and self.content_hash == other.content_hash

    def __hash__(self) -> int:
        return hash(self.content_hash)

    def __repr__(self) -> str:
        return repr(self._native)


def _malformed(what: str, e: Exception) -> DataError:
    return DataError(f"pickled {what} is malformed: {e}", code="invalid_shape")


def _restore_dataset(json_part: str, tables: list[tuple[Any, ...]]) -> Dataset:
    """A pickled dataset: its JSON part, then its tables added back as ``with_entity_columns``
    adds them (see ``Dataset.__reduce__``)."""
    try:
        native = _native.Dataset.from_json(json_part, size_limit=False)
        if not isinstance(tables, list):
            raise TypeError(f"tables are a `{type(tables).__name__}`, not a list")
        for table in tables:
            if not (isinstance(table, tuple) and len(table) == 8):
                raise TypeError("a table is not a tuple of its 8 columns")
            native = native.with_entity_columns(*table)
    except TypeError as e:
        raise _malformed("dataset", e) from None
    return Dataset(native)


def as_dataset(data: DataLike, plan: Plan | None = None) -> Dataset:
    """Any accepted form of data as a Dataset."""
    if isinstance(data, Dataset):
        return data
    if isinstance(data, (str, os.PathLike)):
        return Dataset.from_file(data)
    if isinstance(data, Mapping):
        if any(_holds_tables(v) for v in data.values()):
            unknown = set(data) - {"series", "entities"}
            if unknown:
                raise DataError(
                    f"tables must be given as `series` and `entities`, not {sorted(unknown)}",
                    code="invalid_shape",
                )
            return Dataset.from_pandas(data.get("series"), data.get("entities"), plan=plan)
        return Dataset.from_dict(data)
    if _is_frame(data):
        raise DataError(
            "pass tables as {'series': frame, 'entities': frame} or use Dataset.from_pandas",
            code="invalid_type",
        )
    raise DataError(
        f"data of type `{type(data).__name__}` cannot be read: pass a Dataset, a path, a dict "
        "or pandas tables",
        code="invalid_type",
    )


def _as_of_text(as_of: str | datetime.date | None) -> str | None:
    if as_of is None or isinstance(as_of, str):
        return as_of
    if isinstance(as_of, datetime.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, datetime.date):
        return as_of.isoformat()
    raise RequestError(
        f"as-of date of type `{type(as_of).__name__}` is not a date (expected YYYY-MM-DD)",
        code="invalid_as_of",
        path="/as_of",
    )


class Plan:
    """A checked rule set (规划): the plan's targets, their rules, deadlines and citations."""

    __slots__ = ("_cache", "_native")

    def __init__(self, native: _native.Plan) -> None:
        if not isinstance(native, _native.Plan):
            raise TypeError("use Plan.default, Plan.from_file, Plan.from_json or Plan.from_dict")
        self._native = native
        self._cache: dict[str, Any] = {}

    @classmethod
    def default(cls) -> Plan:
        """The embedded Xicheng District education plan, 2016-2020."""
        return cls(_native.Plan.default())

    @classmethod
    def from_file(cls, path: PathLike) -> Plan:
        """A rule set from a JSON file; raises ``SpecError`` listing every problem."""
        return cls(_native.Plan.from_json(_read(path)))

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        """A rule set from JSON text; raises ``SpecError`` listing every problem."""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return cls(_native.Plan.from_json(text))

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Plan:
        """A rule set from the JSON shape as Python values."""
        return cls(_native.Plan.from_value(value))

    def _dict(self) -> dict[str, Any]:
        if "dict" not in self._cache:
            self._cache["dict"] = self._native.to_dict()
        out: dict[str, Any] = self._cache["dict"]
        return out

    @property
    def id(self) -> str:
        """The plan's id."""
        return self._native.id

    @property
    def version(self) -> str:
        """The rule set's version."""
        return self._native.version

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical rule set, as reports record it."""
        return self._native.content_hash

    @property
    def status(self) -> PlanStatus:
        """``"published"`` (the default) or ``"draft"``: a draft may leave out quotes and one
        language of its texts, and its reports say they come from a draft."""
        return cast("PlanStatus", self._native.status)

    @property
    def warnings(self) -> list[SpecWarning]:
        """What a draft leaves out that a published rule set must give (each citation without
        its quote, each text in one language only), in document order; empty for a published
        rule set, which does not load with such omissions (``SpecError``)."""
        return [SpecWarning(**w) for w in self._native.warnings()]

    @property
    def title(self) -> Text:
        """The plan's title."""
        return Text._from(self._dict()["title"])

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """The implementation period (first and last day)."""
        p = self._dict()["period"]
        return (datetime.date.fromisoformat(p["start"]), datetime.date.fromisoformat(p["end"]))

    @property
    def baseline_year(self) -> int:
        """The year trajectories start from."""
        year: int = self._dict()["baseline_year"]
        return year

    @property
    def targets(self) -> list[Target]:
        """The targets, in plan order."""
        if "targets" not in self._cache:
            self._cache["targets"] = tuple(Target._from(t) for t in self._dict()["targets"])
        return list(self._cache["targets"])

    @property
    def reviews(self) -> list[Review]:
        """The plan's monitoring calendar (年度监测, 中期评估, the final evaluation): pass a
        review's ``id`` as ``as_of`` to evaluate at its date (``plan.evaluate(data,
        as_of="mid_term")``)."""
        return [Review._from(r) for r in self._dict().get("monitoring", [])]

    def target(self, id: str) -> Target:
        """A target by id; raises ``RequestError`` (``unknown_target``) if there is none."""
        for t in self.targets:
            if t.id == id:
                return t
        raise RequestError(f"target `{id}` is not in the plan", code="unknown_target", rule_id=id)

    def evaluate(
        self,
        data: DataLike,
        *,
        as_of: str | datetime.date | None = None,
        trail: bool = True,
        strict: bool = False,
        obligation: Obligation | None = None,
        progress: bool | Callable[[int, int], object] | None = None,
    ) -> Report:
        """Evaluates every target on ``data`` as of a date (default: the end of the plan period).

        The evaluation runs in Rust without holding the GIL. Problems with single values become
        diagnostics and ``not_assessable`` results, as in the CLI; with ``strict=True`` any
        error-level diagnostic raises ``DataError`` listing them all instead. With
        ``obligation="binding"`` (约束性) or ``"indicative"`` (预期性) only the targets of that
        attribute are evaluated, and the report says so.

        Progress: a ``tqdm`` bar of targets judged once the work has lasted a second, when
        tqdm is installed and the data's entity tables have 200,000 rows or more
        (``progress=True``: from the start; ``False``: never; a callable: called with
        ``(targets done, targets)``). Ctrl-C stops the work between targets and raises
        ``KeyboardInterrupt``; no half-made report is returned.

        The report's dataset hash is computed the first time the whole report is shown (see
        ``Report.data_hash``): reading results does not wait for it.
        """
        dataset = as_dataset(data, self)
        if strict:
            checked = self.validate(dataset)
            if not checked.ok:
                raise _strict_error(checked)
        hook, bar = _progress(progress, dataset._native.table_rows, "target")
        try:
            native = self._native.evaluate(
                dataset._native, _as_of_text(as_of), trail, obligation, progress=hook
            )
        finally:
            if bar is not None:
                bar.close()
        return Report(native)

    def evaluate_groups(
        self,
        table: Any,
        by: str,
        *,
        kind: str | None = None,
        series: Any = None,
        attributes: Iterable[str] | None = None,
        as_of: str | datetime.date | None = None,
        trail: bool = False,
        obligation: Obligation | None = None,
        numbers: Literal["decimal", "float"] = "decimal",
        reports: bool = False,
        progress: bool | Callable[[int, int], object] | None = None,
    ) -> Any:
        """Evaluates the plan on each group of an entity table in one call: one tidy table.

        ``table`` is one entity kind's table (pandas, or any Arrow table: polars, pyarrow,
        DuckDB), long or wide as for ``Dataset.from_pandas``, with a column ``by`` (a
        district, a street ...). Its rows are encoded once, split by ``by`` in Rust, and each
        group is evaluated as its own dataset, the groups in parallel without the GIL.
        ``series`` gives each group's district series: a long series table with the same
        ``by`` column, or a dict of series tables by group (a group with series but no rows is
        evaluated on its series alone).

        Returns a pandas DataFrame with one row per group and target (an all-of target's parts
        after it): ``group, target, kind, obligation, status, grade, unit, observed,
        observed_year, op, goal, gap, population, met, unmet, missing, reason`` (``goal`` is
        the target value; numbers are ``Decimal`` unless ``numbers="float"``). With
        ``reports=True``, a dict of each group's ``Report`` instead.

        Progress: a ``tqdm`` bar of groups done once the work has lasted a second, when tqdm
        is installed and the table has 200,000 rows or more (``progress=True``: from the
        start; ``False``: never; a callable: called with ``(groups done, groups)``). Ctrl-C
        stops the work between groups and raises ``KeyboardInterrupt``; nothing is returned
        half done.
        """
        from ._columns import _entity_tables, _years, dataset_from_pandas, encode
        from ._frames import group_frame
        from ._tables import as_frame

        if numbers not in ("decimal", "float"):
            raise RequestError(
                f"numbers must be 'decimal' or 'float', not {numbers!r}", code="invalid_request"
            )
        dictionary = self._dict()["dictionary"]
        frame = as_frame(table, "entity table").rename(columns=str)
        if by not in frame.columns:
            raise DataError(
                f"the entity table has no column `{by}` to group by",
                code="invalid_shape",
                path=f"/columns/{by}",
            )
        tables = _entity_tables(frame, kind, attributes, dictionary, exclude=(by,))
        if len(tables) != 1:
            raise DataError(
                f"evaluate_groups takes one entity kind per call; the table has {len(tables)}",
                code="invalid_shape",
            )
        group_kind, rows, fields, attrs, optional = tables[0]
        per_group: list[tuple[str, _native.Dataset]] = []
        if series is not None:
            if isinstance(series, Mapping):
                parts = [(str(g), part) for g, part in series.items()]
            else:
                long = as_frame(series, "series table").rename(columns=str)
                if by not in long.columns:
                    raise DataError(
                        f"the series table has no column `{by}` to group by",
                        code="invalid_shape",
                        path=f"/columns/{by}",
                    )
                parts = [
                    (str(g), part.drop(columns=[by]))
                    for g, part in long.groupby(by, sort=False, observed=True)
                ]
            for g, part in parts:
                per_group.append(
                    (
                        g,
                        dataset_from_pandas(
                            part, None, kind=None, attributes=None, meta={}, dictionary=dictionary
                        ),
                    )
                )
        hook, bar = _progress(progress, len(frame), "group")
        try:
            pairs = self._native.evaluate_groups(
                _native.Dataset.from_value({}),
                per_group,
                group_kind,
                encode(rows["id"], arrow_text=True),
                _years(rows["year"]),
                fields,
                attrs,
                (by, encode(rows[by], arrow_text=True)),
                as_of=_as_of_text(as_of),
                trail=trail,
                obligation=obligation,
                progress=hook,
                **optional,
            )
        finally:
            if bar is not None:
                bar.close()
        if reports:
            return {g: Report(r) for g, r in pairs}
        return group_frame(_native.group_rows(pairs), floats=numbers == "float")

    def validate(self, data: DataLike) -> Validation:
        """The diagnostics of a dataset against this plan."""
        dataset = as_dataset(data, self)
        return Validation._from(self._native.validate(dataset._native))

    def listing(self, lang: Language = "both") -> str:
        """The rule set as text: each target with its kind, deadline, citation and notes."""
        return self._native.listing(lang)

    def to_json(self) -> str:
        """The canonical rule set as compact JSON."""
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The canonical rule set as Python values."""
        out: dict[str, Any] = self._native.to_dict()
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        # The canonical JSON, read back without the 64 MiB limit of JSON documents (a pickle
        # is trusted).
        return (_restore_plan, (self.to_json(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plan) and self.content_hash == other.content_hash

    def __hash__(self) -> int:
        return hash(self.content_hash)

    def _repr_html_(self) -> str:
        """The targets as a table in Jupyter: id, attribute, kind, title, deadline, citation."""
        from html import escape

        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}<br><small>{}</small></td><td>{}</td>"
            "<td>{}<br><small>「{}」</small></td></tr>".format(
                escape(t.id),
                escape(t.obligation or "—"),
                escape(t.kind),
                escape(t.title.zh),
                escape(t.title.en),
                t.deadline.isoformat(),
                escape(t.citation.location.zh),
                escape(t.citation.quote),
            )
            for t in self.targets
        )
        return (
            f'<div class="plan-rules-plan"><p><b>{escape(self.id)}</b> {escape(self.version)}'
            f" · {len(self.targets)} targets</p><table><thead><tr><th>编号 ID</th>"
            "<th>属性 Attribute</th><th>规则 Kind</th><th>指标 Title</th><th>期限 Deadline</th>"
            f"<th>出处 Citation</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        return repr(self._native)


def _progress(
    progress: bool | Callable[[int, int], object] | None,
    rows: int,
    unit: str,
    desc: str = "evaluating",
) -> tuple[Callable[[int, int], object] | None, _Bar | None]:
    """The hook a long native call reports the pieces (groups, targets) done to, and the tqdm
    bar behind it: from 200,000 rows, a bar once the work has lasted a second, when tqdm is
    installed (``progress=True``: a bar from the start; ``False``: none)."""
    if callable(progress):
        return progress, None
    if progress is False or (progress is None and rows < 200_000):
        return None, None
    if progress:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            raise RequestError(
                "progress=True needs tqdm (pip install tqdm)", code="invalid_request"
            ) from None
    bar = _Bar(unit, desc, wait=0.0 if progress else 1.0)
    return bar, bar


class _Bar:
    """A tqdm bar of the pieces done, made once the work has lasted ``wait`` seconds: work
    that ends sooner shows nothing (and does not import tqdm). Without tqdm, nothing."""

    __slots__ = ("_bar", "_desc", "_since", "_unit", "_wait")

    def __init__(self, unit: str, desc: str, wait: float) -> None:
        self._bar: Any = None
        self._unit, self._desc, self._wait = unit, desc, wait
        self._since = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if time.monotonic() - self._since < self._wait:
                return
            try:
                from tqdm.auto import tqdm
            except ImportError:
                self._wait = float("inf")
                return
            self._bar = tqdm(total=total, initial=0, unit=self._unit, desc=self._desc)
        if self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _strict_error(checked: Validation) -> DataError:
    errors = [d for d in checked.diagnostics if d.severity == "error"]
    details = [
        ErrorDetail(
            code=d.code, message=d.message_en, path=d.path, rule_id=None, line=None, column=None
        )
        for d in errors
    ]
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return DataError(f"{first.message_en}{more}", code=first.code, path=first.path, errors=details)


@functools.lru_cache(maxsize=8)
def _read_plan(text: str) -> _native.Plan:
    return _native.Plan.from_json(text, size_limit=False)


def _plan_of_json(text: str) -> _native.Plan:
    """A pickled plan, read once for the many reports of one plan a process may unpickle."""
    if not isinstance(text, str):
        raise _malformed("plan", TypeError(f"its JSON is a `{type(text).__name__}`"))
    return _read_plan(text)


def _restore_plan(text: str) -> Plan:
    """A pickled plan (see ``Plan.__reduce__``)."""
    return Plan(_plan_of_json(text))


def _restore_report(plan_json: str, report_json: str, trail: bool) -> Report:
    """A pickled report, read back from its JSON without evaluating again (see
    ``Report.__reduce__``)."""
    plan = _plan_of_json(plan_json)
    try:
        native = _native.Report.from_json(plan, report_json, bool(trail), size_limit=False)
    except TypeError as e:
        raise _malformed("report", e) from None
    return Report(native)


class Report:
    """An evaluation (评估报告): one result per target, a summary, the data's diagnostics."""

    __slots__ = ("_cache", "_native")

    def __init__(self, native: _native.Report) -> None:
        if not isinstance(native, _native.Report):
            raise TypeError("reports come from Plan.evaluate")
        self._native = native
        self._cache: dict[str, Any] = {}

    def _dict(self) -> dict[str, Any]:
        # Everything but ``data``: reading results does not compute the dataset's hash.
        if "dict" not in self._cache:
            self._cache["dict"] = self._native.body_dict()
        out: dict[str, Any] = self._cache["dict"]
        return out

    @property
    def as_of(self) -> datetime.date:
        """The as-of date (评估基准日)."""
        return datetime.date.fromisoformat(self._native.as_of)

    @property
    def review(self) -> str | None:
        """The review of the plan's calendar the report was asked for (``mid_term``), if any."""
        return self._native.review

    @property
    def plan(self) -> Plan:
        """The plan evaluated."""
        return Plan(self._native.plan)

    @property
    def data(self) -> Dataset:
        """The data evaluated; ``DataError`` (``data_unavailable``) for an unpickled report,
        which carries its results but not its data."""
        return Dataset(self._native.data)

    @property
    def plan_hash(self) -> str:
        """The rule set's content hash."""
        value: str = self._dict()["plan"]["content_hash"]
        return value

    @property
    def plan_status(self) -> PlanStatus:
        """``"draft"`` when the report comes from a draft rule set (a quick check, not the
        published evaluation), else ``"published"``."""
        return cast("PlanStatus", self._dict()["plan"].get("status", "published"))

    @property
    def data_hash(self) -> str:
        """The dataset's content hash (SHA-256 of its canonical JSON). It is computed the first
        time the whole report is shown (this property, ``to_json``, ``to_dict``, the
        renderings, a pickle, the audit log), not by ``Plan.evaluate``: results, summaries and
        tables are read without it."""
        value: str = self._native.data_hash
        return value

    @property
    def engine_version(self) -> str:
        """The version of the engine that made the report."""
        value: str = self._dict()["engine"]["version"]
        return value

    @property
    def summary(self) -> Summary:
        """Counts of results by status."""
        return Summary._from(self._dict()["summary"])

    @property
    def results(self) -> list[TargetResult]:
        """One result per target, in plan order."""
        if "results" not in self._cache:
            self._cache["results"] = tuple(TargetResult._from(r) for r in self._dict()["results"])
        return list(self._cache["results"])

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem found in the data."""
        return [Diagnostic(**d) for d in self._dict()["diagnostics"]]

    def result(self, id: str) -> TargetResult:
        """A result by target id (``A1``) or part (``A8.2/community``); raises ``RequestError``
        (``unknown_target``) if there is none."""
        return TargetResult._from(self._native.result_dict(id))

    def trail(self, id: str) -> Trail | None:
        """The inputs and arithmetic behind a result (None when evaluated with
        ``trail=False``)."""
        return self.result(id).trail

    def to_json(self) -> str:
        """The report as JSON: the same bytes ``plan-rules report --format json`` writes."""
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The report's JSON as Python values (decimals stay decimal strings, as on the wire;
        the typed ``results`` give ``decimal.Decimal``)."""
        out: dict[str, Any] = self._native.to_dict()
        return out

    def to_html(self) -> str:
        """A bilingual HTML table with status colours."""
        return self._native.to_html()

    def to_markdown(self, lang: Language = "both") -> str:
        """The report as Markdown."""
        return self._native.to_markdown(lang)

    def to_table(self, lang: Language = "both") -> str:
        """The report as a plain text table (as the CLI prints it, without colours)."""
        return self._native.to_table(lang)

    def _repr_html_(self) -> str:
        return self._native.to_html()

    def to_pandas(
        self, *, parts: bool = False, numbers: Literal["decimal", "float"] = "decimal"
    ) -> pd.DataFrame:
        """One row per target (and per part with ``parts=True``), indexed by id, with status,
        grade, observed, target, gap, progress and R as exact ``decimal.Decimal`` (object
        columns), or as ``float64`` columns with ``numbers="float"`` (for plotting; the
        verdicts were made on the exact values)."""
        from ._frames import results_frame

        if numbers not in ("decimal", "float"):
            raise RequestError(
                f"numbers must be 'decimal' or 'float', not {numbers!r}",
                code="invalid_request",
                path="/numbers",
            )
        return results_frame(self.results, parts=parts, floats=numbers == "float")

    def culprits_to_pandas(self) -> pd.DataFrame:
        """One row per entity, item or year at fault, per target."""
        from ._frames import culprits_frame

        return culprits_frame(self.results)

    def history(self, id: str) -> list[tuple[int, Any]]:
        """The observed value of a target at each year end from the baseline to the as-of date,
        as the engine computes it: ``[(year, Decimal), ...]``."""
        return self._native.history(id)

    def plot(self, id: str, ax: Axes | None = None) -> Axes:
        """Draws a target's trajectory: observed values by year, the required path from the
        baseline to the target, the deadline and the status. Needs ``plan-rules[plot]``."""
        from ._plot import plot_target

        return plot_target(self, id, ax)

    def plot_grid(self, ids: Sequence[str] | None = None, *, ncols: int = 3) -> Figure:
        """Draws every target (or those named) in a grid of plots."""
        from ._plot import plot_grid

        return plot_grid(self, ids, ncols)

    def __reduce__(self) -> tuple[Any, ...]:
        # A report is pickled as what it says, not as what it was made from: the plan's
        # canonical JSON, the report's compact JSON (its results, summary and diagnostics) and
        # whether trails were asked for. Unpickling reads them back, without evaluating again
        # and without the 64 MiB limit of JSON documents; the data does not travel, so a
        # restored report's `data` and `history` raise DataError (`data_unavailable`).
        native = self._native
        return (_restore_report, (native.plan.to_json(), native.to_json_compact(), native.trail))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Report) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._native)


def validate(data: DataLike, plan: Plan | None = None) -> Validation:
    """The diagnostics of a dataset (code, path, entity, period, zh/en message) against a plan
    (default: the embedded Xicheng plan)."""
    return (plan or Plan.default()).validate(data)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def audit_log_line(log: str, report: Report, recorded_at: str | None = None) -> str:
    """The line that appends ``report`` to the log whose text is ``log`` (raises
    ``AuditLogError`` if the log does not verify)."""
    return _native.audit_log_line(log, report._native, recorded_at or _now())


def append_to_audit_log(path: PathLike, report: Report, *, recorded_at: str | None = None) -> str:
    """Appends a report to a hash-chained JSON Lines log (created if absent), after verifying
    it; returns the new entry's hash. ``recorded_at`` defaults to now (UTC)."""
    path = os.fspath(path)
    existing = _read(path) if os.path.exists(path) else ""
    line = audit_log_line(existing, report, recorded_at)
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())
    digest: str = json.loads(line)["hash"]
    return digest


def verify_audit_log_text(log: str) -> LogVerification:
    """Verifies a log's text; names the first altered, removed, reordered or truncated line."""
    return LogVerification._from(_native.verify_audit_log_text(log))


def verify_audit_log(path: PathLike) -> LogVerification:
    """Verifies a log file."""
    return verify_audit_log_text(_read(path))
