"""Plots (the optional extra `plot`): drawn to PNG files."""

from __future__ import annotations

import pathlib

import plan_rules
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("id", ["A1", "A4.2", "A6.2", "B2", "F1", "A8.2/community"])
def test_plot_one_target(report: plan_rules.Report, tmp_path: pathlib.Path, id: str) -> None:
    ax = report.plot(id)
    assert id.split("/")[-1] in ax.get_title()
    status = report.result(id).status.replace("_", " ")
    assert status in ax.get_title()
    path = tmp_path / "plot.png"
    ax.figure.savefig(path)
    assert path.read_bytes().startswith(PNG)
    assert path.stat().st_size > 5_000
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_plot_draws_history_and_required_path(report: plan_rules.Report) -> None:
    import matplotlib.pyplot as plt

    ax = report.plot("A1")
    labels = [line.get_label() for line in ax.get_lines()]
    assert {"observed", "required path", "target", "deadline"} <= set(labels)
    observed = next(line for line in ax.get_lines() if line.get_label() == "observed")
    assert list(observed.get_xdata()) == [y for y, _ in report.history("A1")]
    plt.close(ax.figure)


def test_grid(report: plan_rules.Report, tmp_path: pathlib.Path) -> None:
    import matplotlib.pyplot as plt

    fig = report.plot_grid()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(report.results)
    path = tmp_path / "grid.png"
    fig.savefig(path, dpi=50)
    assert path.read_bytes().startswith(PNG)
    plt.close(fig)
    fig = report.plot_grid(["A1", "A3"], ncols=1)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="ncols"):
        report.plot_grid(ncols=0)
    with pytest.raises(plan_rules.RequestError):
        report.plot("nope")
