"""Row verdicts (逐行判定): the targets one record can be judged on, for forms and batches.

``RowRules(plan, kind="school")`` compiles, once, the plan's targets that a single school-year
record answers (a school's own pass rate against 100%, its ice-and-snow flag ...);
``RowRules(plan)`` (``kind=None``) those a district-year record answers. Then ``judge`` takes one
record as a dict and ``judge_frame`` a pandas table of many, and both say for each target
whether the record reaches its threshold: ``met``, ``not_met``, ``missing`` (a value it needs is
absent), ``invalid`` (a value is impossible: negative, a fractional count, a part above its
total, a zero denominator, the wrong type, an unknown state) or ``not_applicable`` (the record is
outside the target's population, e.g. a special-education school for A6.1).

A row verdict is not a report status: deadlines, trajectories and populations are the business
of ``Plan.evaluate``. It is the fast path for "which records fall short?".

Targets one record cannot decide (a count over the years since the plan began, a growth
comparison, a target on another kind of record) are never dropped silently: ``left_out`` lists
each with a reason code and a message in Chinese and English, and ``RowRules(...,
targets=[...])`` refuses a selection that names one with ``RequestError`` (code
``not_row_judgeable``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from . import _plan_rules as _native
from ._columns import RESERVED, attribute_column, field_column
from ._errors import DataError, MissingColumnsWarning
from ._tables import as_frame

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._api import Plan

__all__ = ["VERDICTS", "LeftOut", "LeftOutReason", "RowRules", "RowTarget", "Verdict"]

#: A row verdict.
Verdict = Literal["met", "not_met", "missing", "invalid", "not_applicable"]
#: The verdicts in the order of their codes (``judge_frame(..., codes=True)`` gives positions).
VERDICTS: tuple[Verdict, ...] = ("met", "not_met", "missing", "invalid", "not_applicable")


def _categorical(codes: Any) -> Any:
    """Verdict codes as a categorical over `VERDICTS`, without copying them; the codes come
    from Rust and are valid, so pandas (2.1 and later) is told not to check them again."""
    import pandas as pd

    try:
        return pd.Categorical.from_codes(codes, VERDICTS, validate=False)
    except TypeError:  # pandas before 2.1: no `validate`
        return pd.Categorical.from_codes(codes, VERDICTS)


class RowTarget(NamedTuple):
    """A row-judgeable target: its id (``A6.1``, or ``B3/teachers`` for a part) and rule kind."""

    id: str
    kind: str


#: Why a target cannot be judged on one record (see ``spec/README.md``, *Row verdicts*).
LeftOutReason = Literal[
    "cumulative_over_time",
    "needs_several_years",
    "other_entity_kind",
    "district_series",
    "entity_records",
    "different_filters",
    "not_row_judgeable_kind",
    "unknown_reference",
]


class LeftOut(NamedTuple):
    """A target (or all-of part) one record cannot decide: its id, rule kind, the reason's
    stable code, and the reason in Chinese and English."""

    id: str
    kind: str
    reason: LeftOutReason
    message_zh: str
    message_en: str


def _check_columns(
    names: Mapping[str, Any],
    fields: Iterable[str],
    attributes: Iterable[str],
    fixed: Mapping[str, str],
    missing: str,
) -> None:
    """Reports a table that has columns the rules do not read while fields the rules read
    have no column (a misspelt column, most often): a ``MissingColumnsWarning``, or a
    ``DataError`` with ``missing="error"``. A table that only lacks fields, or only has extra
    columns, is fine."""
    import difflib
    import warnings

    if missing not in ("warn", "error"):
        raise DataError(
            f"missing must be 'warn', 'error' or 'ignore', not {missing!r}", code="invalid_request"
        )
    known = set(fields) | set(attributes) | set(fixed) | set(RESERVED)
    absent = [f for f in fields if f not in names]
    unknown = [c for c in names if c not in known]
    if not absent or not unknown:
        return
    hints = []
    for f in absent:
        close = difflib.get_close_matches(f, unknown, n=1, cutoff=0.6)
        if close:
            hints.append(f"`{close[0]}` for `{f}`?")
    message = (
        f"the table's column(s) {', '.join(f'`{c}`' for c in unknown)} match no field the "
        f"rules read, and {len(absent)} field(s) have no column "
        f"({', '.join(f'`{f}`' for f in absent)}): those are judged missing on every row"
        + (f" (did you mean {'; '.join(hints)})" if hints else "")
    )
    if missing == "error":
        raise DataError(message, code="invalid_shape")
    warnings.warn(message, MissingColumnsWarning, stacklevel=3)


class RowRules(_native.RowRules):
    """The row-judgeable targets of a plan for one kind of record, compiled once.

    ``kind`` is an entity kind of the plan's dictionary (``"school"``), or ``None`` for the
    district-year record of series values. ``plan`` defaults to the embedded Xicheng plan.

    >>> rules = RowRules(kind="school")
    >>> record = {"health_test_eligible": 200, "health_test_passed": 199, "level": "primary"}
    >>> rules.judge(record)["A6.1"]  # 99.5% does not reach 100%
    'not_met'

    ``judge(record, attributes=None)`` takes ``{field: value}`` (missing keys and ``None`` are
    missing values; numbers as ``int``, ``decimal.Decimal``, ``str`` or finite ``float``, read
    from its shortest repr; flags as ``bool``; states by name) and returns ``{target id:
    verdict}``. Attributes the targets' filters read (``level``) come from ``attributes`` or,
    when it is ``None``, from the record itself. A value of the wrong type is judged
    ``invalid``; NaN, infinities and unsupported types raise ``DataError``, as in
    ``Dataset.from_dict``. It runs entirely in Rust (about a microsecond).

    ``targets`` selects the targets to judge (ids such as ``"A6.1"`` or ``"B3/teachers"``; an
    all-of target's id such as ``"B3"`` selects its parts); verdicts keep the rules' order. A
    selection that names a target one record cannot decide raises ``RequestError`` with code
    ``not_row_judgeable``, the target as ``rule_id`` and the name's place as ``path``; see
    ``left_out`` for every such target and its reason.

    >>> RowRules(kind="school", targets=["A6.1"]).target_ids
    ('A6.1',)
    >>> try:
    ...     RowRules(targets=["A5.1"])  # cadres counted over the years since 2016
    ... except ValueError as e:  # a RequestError
    ...     (e.code, e.rule_id, e.path)
    ('not_row_judgeable', 'A5.1', '/targets/0')
    """

    __slots__ = ()

    def __new__(
        cls,
        plan: Plan | None = None,
        kind: str | None = None,
        targets: Iterable[str] | None = None,
    ) -> RowRules:
        from ._api import Plan

        native = (plan if plan is not None else Plan.default())._native
        return super().__new__(cls, native, kind, targets)

    @property
    def plan(self) -> Plan:
        """The plan the rules come from."""
        from ._api import Plan

        return Plan(self.native_plan)

    @property
    def targets(self) -> tuple[RowTarget, ...]:
        """The targets, in the order verdicts are given."""
        return tuple(RowTarget(id, kind) for id, kind in self.target_list())

    @property
    def left_out(self) -> tuple[LeftOut, ...]:
        """The plan's targets (and all-of parts) one record of this kind cannot decide, with
        the reason, in plan order (the same whatever ``targets`` selected).

        >>> [(x.id, x.reason) for x in RowRules().left_out][:2]
        [('A4.1', 'entity_records'), ('A4.2', 'cumulative_over_time')]
        """
        return tuple(
            LeftOut(id, kind, cast("LeftOutReason", reason), zh, en)
            for id, kind, reason, zh, en in self.left_out_list()
        )

    @property
    def target_ids(self) -> tuple[str, ...]:
        """The targets' ids, in order."""
        return tuple(id for id, _ in self.target_list())

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields a record is read for."""
        return tuple(self.field_names())

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attributes the targets' filters read (``level`` for schools)."""
        return tuple(self.attribute_names())

    def judge_frame(
        self,
        frame: Any,
        *,
        attributes: Mapping[str, str] | None = None,
        codes: bool = False,
        threads: int | None = None,
        missing: Literal["warn", "error", "ignore"] = "warn",
    ) -> pd.DataFrame:
        """Judges every row of a table: one column per target (by id), with the table's index.

        Columns named like the fields and attributes are read (others are ignored; a field with
        no column is missing). NumPy integer and bool columns, and a categorical's codes, are
        read by Rust where they are, without a copy (int64, int32, bool and int8 codes straight
        into the engine's block path, each category judged once); floats
        (NaN is missing), nullable and other columns cross as buffers, dictionary-encoded when
        they hold objects, so each distinct value is converted once. The rows are judged
        without the GIL and without Python code per row, on up to ``threads`` threads (by
        default the machine's cores, at most 4); the verdicts do not depend on it. Do not write
        to the table's columns from another thread meanwhile. ``attributes`` gives fixed
        attribute values for every row (``{"level": "primary"}``) instead of columns.

        The verdict columns are categoricals over ``VERDICTS``; with ``codes=True`` they are
        ``int8`` positions in ``VERDICTS`` instead.

        ``frame`` is a pandas DataFrame or any Arrow table (polars, pyarrow, DuckDB; read
        through pyarrow without copying its columns). A field the rules read that has no
        column is judged missing on every row; that is a ``MissingColumnsWarning`` naming the
        closest columns (``missing="error"``: a ``DataError``; ``"ignore"``: silence).
        """
        import numpy as np
        import pandas as pd

        frame = as_frame(frame, "table")
        names = {str(c): c for c in frame.columns}
        rows = len(frame)
        if missing != "ignore":
            _check_columns(names, self.fields, self.attributes, attributes or {}, missing)
        fields = [(f, field_column(frame, names[f])) for f in self.fields if f in names]
        fixed = dict(attributes or {})
        attrs: list[tuple[str, tuple[str, Any, Any]]] = []
        for a in self.attributes:
            if a in fixed:
                attrs.append((a, ("coded", np.zeros(rows, dtype=np.int8), [fixed[a]])))
            elif a in names:
                attrs.append((a, attribute_column(frame, names[a])))
        # One row per target; the array is the verdicts' own memory.
        out = self.judge_columns(fields, attrs, rows, threads).view(np.int8)
        if codes:
            return pd.DataFrame(out.T, index=frame.index, columns=list(self.target_ids), copy=False)
        columns = {id: _categorical(data) for id, data in zip(self.target_ids, out)}
        return pd.DataFrame(columns, index=frame.index, copy=False)

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowRules, (self.plan, self.kind, self.selection))
