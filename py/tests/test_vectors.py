"""The shared conformance vectors (tests/vectors/): the Python runner. The Rust runner
(core/tests/vectors.rs) and the Node runner read the same cases and expected bytes."""

from __future__ import annotations

import json
import pathlib
from decimal import Decimal
from typing import Any

import plan_rules
import pytest
from _paths import ROOT

VECTORS = ROOT / "tests" / "vectors"
CASES = sorted((VECTORS / "cases").glob("*.json"))


def _load(path: pathlib.Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def _resolve(value: Any) -> Any:
    return _load(ROOT / value) if isinstance(value, str) else value


def test_there_are_vectors() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
def test_vector(case_path: pathlib.Path) -> None:
    case = _load(case_path)
    options = case.get("options", {})
    expected = case["expected"]
    warnings: list[dict[str, Any]] = []

    def run() -> plan_rules.Report:
        plan = plan_rules.Plan.from_dict(_resolve(case["plan"]))
        warnings[:] = [{"code": w.code, "path": w.path, "target": w.target} for w in plan.warnings]
        return plan.evaluate(
            _resolve(case["data"]),
            as_of=case["as_of"],
            trail=options.get("trail", True),
            obligation=options.get("obligation"),
        )

    if isinstance(expected, dict):
        want = expected["error"]
        with pytest.raises(plan_rules.PlanRulesError) as raised:
            run()
        err = raised.value
        assert err.code == want["code"]
        if want["path"] is not None:
            assert err.path == want["path"]
        assert err.errors()
        assert err.errors()[0]["code"] == err.code
        return
    report = run()
    assert isinstance(expected, str), "expected an error, got a report"
    assert report.to_json() == (VECTORS / expected).read_text(encoding="utf-8")
    statuses = {r.id: [r.status, r.grade] for r in report.results}
    for id, want in case.get("checks", {}).items():
        if id == "$diagnostics":
            codes = {d.code for d in report.diagnostics}
            assert set(want) <= codes
        elif id == "$warnings":
            assert warnings == want
            assert report.plan_status == "draft"
        else:
            assert statuses[id] == want


# --- row cases (tests/vectors/rows/): one record in, a verdict per row-judgeable target out ------
ROW_CASES = sorted((VECTORS / "rows").glob("*.json"))


def test_there_are_row_vectors() -> None:
    assert len(ROW_CASES) >= 30


@pytest.mark.parametrize("case_path", ROW_CASES, ids=[c.stem for c in ROW_CASES])
def test_row_vector(case_path: pathlib.Path) -> None:
    case = _load(case_path)
    expected = case["expected"]
    plan = plan_rules.Plan.from_dict(_resolve(case["plan"]))
    targets = case.get("targets")
    if set(expected) == {"error"}:
        with pytest.raises(plan_rules.PlanRulesError) as raised:
            plan_rules.RowRules(plan, kind=case["kind"], targets=targets)
        err = raised.value
        assert err.code == expected["error"]["code"]
        if expected["error"]["path"] is not None:
            assert err.path == expected["error"]["path"]
        if "target" in expected["error"]:
            assert err.rule_id == expected["error"]["target"]
        return
    rules = plan_rules.RowRules(plan, kind=case["kind"], targets=targets)
    verdicts = rules.judge(case["record"], case["attributes"])
    # The verdicts in the rules' order, as JSON text: the same bytes as the hand-decided ones.
    assert json.dumps(verdicts) == json.dumps(expected)
    left_out = [{"id": x.id, "reason": x.reason} for x in rules.left_out]
    assert json.dumps(left_out) == json.dumps(case["left_out"])
