"""Results as pandas DataFrames (decimals stay ``decimal.Decimal``, in object columns)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ._types import TargetResult

__all__ = ["culprits_frame", "group_frame", "results_frame"]

COLUMNS = [
    "title_zh",
    "title_en",
    "kind",
    "obligation",
    "status",
    "basis",
    "grade",
    "approximate",
    "deadline",
    "unit",
    "observed",
    "observed_year",
    "op",
    "target",
    "gap",
    "progress",
    "R",
    "baseline_year",
    "baseline",
    "reason",
    "explanation_en",
]


def _row(r: TargetResult, id: str) -> dict[str, Any]:
    return {
        "id": id,
        "title_zh": r.title.zh,
        "title_en": r.title.en,
        "kind": r.kind,
        "obligation": r.obligation,
        "status": r.status,
        "basis": r.basis,
        "grade": r.grade,
        "approximate": r.approximate,
        "deadline": r.deadline,
        "unit": r.unit,
        "observed": r.observed,
        "observed_year": r.observed_year,
        "op": r.op,
        "target": r.target,
        "gap": r.gap,
        "progress": r.progress,
        "R": r.r,
        "baseline_year": r.baseline.year if r.baseline else None,
        "baseline": r.baseline.value if r.baseline else None,
        "reason": r.reason.code if r.reason else None,
        "explanation_en": r.explanation.en,
    }


def results_frame(
    results: Iterable[TargetResult], *, parts: bool, floats: bool = False
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for r in results:
        rows.append(_row(r, r.id))
        if parts:
            rows.extend(_row(p, p.id) for p in r.parts)
    frame = pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")
    for column in (
        "observed",
        "target",
        "gap",
        "progress",
        "R",
        "baseline",
        "grade",
        "unit",
        "obligation",
        "op",
    ):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    for column in ("observed_year", "baseline_year"):
        frame[column] = frame[column].astype("Int64")
    if floats:
        for column in ("observed", "target", "gap", "progress", "R", "baseline"):
            frame[column] = pd.to_numeric(
                frame[column].map(lambda v: None if v is None else float(v)), errors="coerce"
            ).astype("float64")
    return frame


def culprits_frame(results: Iterable[TargetResult]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for r in results:
        for owner in (r, *r.parts):
            target = owner.id
            rows.extend(
                {
                    "target": target,
                    "id": c.id,
                    "name": c.name,
                    "problem": c.problem,
                    "zh": c.zh,
                    "en": c.en,
                }
                for c in owner.culprits
            )
    return pd.DataFrame(rows, columns=["target", "id", "name", "problem", "zh", "en"])


GROUP_COLUMNS = [
    "group",
    "target",
    "kind",
    "obligation",
    "status",
    "grade",
    "unit",
    "observed",
    "observed_year",
    "op",
    "goal",
    "gap",
    "population",
    "met",
    "unmet",
    "missing",
    "reason",
]


def group_frame(rows: list[dict[str, Any]], *, floats: bool = False) -> pd.DataFrame:
    """The tidy table of grouped results (``plan_rules::groups::tidy``): one row per group and
    target; ``observed``, ``goal`` and ``gap`` as ``Decimal`` (or floats), counts as nullable
    integers."""
    from decimal import Decimal

    frame = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    for column in ("observed", "goal", "gap"):
        values = frame[column].map(lambda v: None if v is None else Decimal(v))
        if floats:
            frame[column] = pd.to_numeric(
                values.map(lambda v: None if v is None else float(v)), errors="coerce"
            ).astype("float64")
        else:
            frame[column] = values.astype(object).where(values.notna(), None)
    for column in ("observed_year", "population", "met", "unmet", "missing"):
        frame[column] = frame[column].astype("Int64")
    for column in ("obligation", "grade", "unit", "op", "reason"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
