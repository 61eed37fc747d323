"""Docs that run: the README's code blocks, the examples and the notebook."""

from __future__ import annotations

import re
from typing import Any

import pytest
from _paths import PY


def test_readme_code_blocks_run(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    text = (PY / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    namespace: dict[str, Any] = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"README.md block {i + 1}", "exec"), namespace)
    assert namespace["report"].summary.total == 70


def test_quickstart_example(capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    runpy.run_path(str(PY / "examples" / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "A1 on_track" in out


def test_schools_table_example() -> None:
    import runpy

    pytest.importorskip("pandas")
    module = runpy.run_path(str(PY / "examples" / "schools_table.py"))
    report = module["main"](5_000)
    assert report.result("A6.2").counts.population == 1_000


def test_row_verdicts_example(capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    pytest.importorskip("pandas")
    runpy.run_path(str(PY / "examples" / "row_verdicts.py"))["main"](5_000)
    out = capsys.readouterr().out
    assert "'A6.1': 'not_met'" in out
    assert "5000 rows judged" in out


def test_notebook_runs_in_a_kernel() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(str(PY / "examples" / "quickstart.ipynb"), as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(PY)}}
    )
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("plan-rules-report" in h for h in html), "the report shows as HTML"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "classify" in text, "the trail is printed"


def test_root_readme_python_block_runs() -> None:
    pytest.importorskip("pandas")
    text = (PY.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "README.md (root)", "exec"), namespace)
    assert namespace["report"].result("A1").status == "on_track"
