"""The committed JSON Schemas (spec/schema) accept every rule set and dataset the project ships
and every conformance vector's input, and refuse what the engine refuses by shape."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from _paths import ROOT

SCHEMAS = ROOT / "spec/schema"
PLAN_SCHEMA = json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8"))
DATA_SCHEMA = json.loads((SCHEMAS / "dataset.schema.json").read_text(encoding="utf-8"))


def _inputs(key: str) -> list[Any]:
    """The distinct inputs under `key` of the cases the engine evaluates (not the error cases)."""
    seen: dict[str, Any] = {}
    for path in sorted((ROOT / "tests/vectors/cases").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(case["expected"], dict):
            continue
        value = case[key]
        if isinstance(value, str):
            value = json.loads((ROOT / value).read_text(encoding="utf-8"))
        seen.setdefault(json.dumps(value, sort_keys=True), value)
    return list(seen.values())


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "spec/plans").glob("*.json")))
def test_shipped_rule_sets_match_the_schema(name: str) -> None:
    plan = json.loads((ROOT / "spec/plans" / name).read_text(encoding="utf-8"))
    jsonschema.validate(plan, PLAN_SCHEMA)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "spec/samples").glob("*.json")))
def test_shipped_samples_match_the_schema(name: str) -> None:
    data = json.loads((ROOT / "spec/samples" / name).read_text(encoding="utf-8"))
    jsonschema.validate(data, DATA_SCHEMA)


def test_every_vector_input_the_engine_accepts_matches_the_schema() -> None:
    for plan in _inputs("plan"):
        jsonschema.validate(plan, PLAN_SCHEMA)
    for data in _inputs("data"):
        jsonschema.validate(data, DATA_SCHEMA)


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        ({"op": "=<"}, "an op is one of >=, >, <=, <"),
        ({"tolerance": {"points": "0.5", "relative_percent": "1"}}, "one tolerance at a time"),
    ],
)
def test_the_schema_refuses_bad_bounds(edit: dict[str, Any], why: str) -> None:
    plan = json.loads(
        (ROOT / "spec/plans/china-national-14th-fyp-2021-2025.json").read_text("utf-8")
    )
    rule = next(t["rule"] for t in plan["targets"] if t["rule"]["type"] == "growth_comparison")
    if "op" in edit:
        rule = next(t["rule"] for t in plan["targets"] if t["rule"]["type"] == "value")
    rule.update(edit)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(plan, PLAN_SCHEMA)


# What the engine writes: reports (report.schema.json) and rule sets in their canonical form
# (plan.canonical.schema.json); the wasm package's TypeScript types are generated from them.
REPORT_SCHEMA = json.loads((SCHEMAS / "report.schema.json").read_text(encoding="utf-8"))
CANONICAL_SCHEMA = json.loads((SCHEMAS / "plan.canonical.schema.json").read_text(encoding="utf-8"))


def _written_reports() -> list[Any]:
    paths = sorted((ROOT / "tests/golden").glob("*.json"))
    paths += sorted((ROOT / "tests/vectors/expected").glob("*.json"))
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def test_written_reports_match_the_report_schema() -> None:
    reports = _written_reports()
    assert len(reports) > 100
    validator = jsonschema.Draft202012Validator(REPORT_SCHEMA)
    statuses = set()
    for report in reports:
        validator.validate(report)
        statuses |= {r["status"] for r in report["results"]}
    assert statuses == {"met", "not_met", "on_track", "off_track", "not_assessable"}


def test_the_report_schema_refuses_what_the_engine_never_writes() -> None:
    report = json.loads((ROOT / "tests/golden/xicheng-sample-2020-12-31.json").read_text("utf-8"))
    for edit in (
        {"status": "passed"},
        {"observed": 99.5},
        {"kind": "unknown_kind"},
        {"grade": "slow"},
    ):
        bad = json.loads(json.dumps(report))
        bad["results"][0].update(edit)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(bad)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "spec/plans").glob("*.json")))
def test_canonical_rule_sets_match_the_canonical_schema(name: str) -> None:
    import plan_rules

    text = (ROOT / "spec/plans" / name).read_text(encoding="utf-8")
    canonical = json.loads(plan_rules.Plan.from_json(text).to_json())
    jsonschema.validate(canonical, CANONICAL_SCHEMA)
