"""Trajectory plots with matplotlib (the optional extra ``plan-rules[plot]``).

Only drawing happens here: the observed values come from the engine (``Report.history``), the
baseline, target, deadline, status and required growth from the result. Floats are used for
drawing alone, never for judging. Labels are in English, which every matplotlib font can draw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._api import Report

__all__ = ["STATUS_COLOURS", "plot_grid", "plot_target"]

#: Colours by status, as in the HTML table.
STATUS_COLOURS = {
    "met": "#2e7d32",
    "not_met": "#c62828",
    "on_track": "#0277bd",
    "off_track": "#ef6c00",
    "not_assessable": "#757575",
}


def _pyplot() -> ModuleType:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'plan-rules[plot]'") from e
    return plt


def plot_target(report: Report, id: str, ax: Axes | None = None) -> Axes:
    result = report.result(id)
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(6, 4))
    colour = STATUS_COLOURS.get(result.status, "#000000")
    history = report.history(id)
    if history:
        years = [y for y, _ in history]
        values = [float(v) for _, v in history]
        ax.plot(years, values, marker="o", color=colour, label="observed")
    deadline = result.deadline.year
    if result.baseline is not None and result.target is not None:
        start, base = result.baseline.year, float(result.baseline.value)
        goal = float(result.target)
        path_years = list(range(start, deadline + 1))
        span = max(deadline - start, 1)
        growth = result.trajectory.required_growth if result.trajectory else None
        method = result.trajectory.method if result.trajectory else "linear"
        if method == "cagr" and growth is not None and base > 0:
            g = float(growth)
            path = [base * math.pow(1 + g, y - start) for y in path_years]
        else:
            path = [base + (goal - base) * (y - start) / span for y in path_years]
        ax.plot(path_years, path, linestyle="--", color="#9e9e9e", label="required path")
    if result.band is not None:
        ax.axhspan(
            float(result.band.lower),
            float(result.band.upper),
            color="#9e9e9e",
            alpha=0.15,
            label="tolerance band",
        )
    if result.target is not None:
        ax.axhline(float(result.target), color="#424242", linewidth=0.8, label="target")
    ax.axvline(deadline, color="#424242", linestyle=":", linewidth=0.8, label="deadline")
    status = result.status.replace("_", " ")
    if result.grade:
        status += f" ({result.grade})"
    ax.set_title(f"{result.id} {result.title.en}\n{status}", fontsize=9, color=colour)
    ax.set_xlabel("year")
    if result.unit:
        ax.set_ylabel(result.unit)
    ax.legend(fontsize=6, loc="best")
    return ax


def plot_grid(report: Report, ids: Sequence[str] | None, ncols: int) -> Figure:
    chosen = list(ids) if ids is not None else [r.id for r in report.results]
    if ncols < 1:
        raise ValueError("ncols must be at least 1")
    nrows = max(1, math.ceil(len(chosen) / ncols))
    fig: Figure
    fig, axes = _pyplot().subplots(nrows, ncols, figsize=(4.5 * ncols, 3.4 * nrows), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, id in zip(flat, chosen):
        plot_target(report, id, ax)
    for ax in flat[len(chosen) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
