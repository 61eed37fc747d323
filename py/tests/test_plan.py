"""Plan: loading, targets, checks, renderings, pickling."""

from __future__ import annotations

import copy
import datetime
import json
import pathlib
import pickle

import plan_rules
import pytest
from _paths import ROOT

PLAN_FILE = ROOT / "spec" / "plans" / "xicheng-education-2016-2020.json"


def test_default_plan(plan: plan_rules.Plan) -> None:
    assert plan.id == "xicheng-education-2016-2020"
    assert plan.version
    assert plan.content_hash.startswith("sha256:")
    assert plan.period == (datetime.date(2016, 1, 1), datetime.date(2020, 12, 31))
    assert plan.baseline_year == 2015
    assert plan.title.zh
    assert plan.title.en
    assert "targets" in repr(plan)


def test_targets_are_typed(plan: plan_rules.Plan) -> None:
    ids = [t.id for t in plan.targets]
    assert ids[:3] == ["A1", "A2", "A3"]
    a1 = plan.target("A1")
    assert isinstance(a1, plan_rules.Target)
    assert a1.title_zh == "户籍适龄儿童学前教育率"
    assert a1.title_en == "Preschool education rate of children with Xicheng hukou"
    assert a1.kind == "rate"
    assert a1.deadline == datetime.date(2020, 12, 31)
    assert a1.citation.source == "annex1"
    assert a1.citation.quote
    assert a1.rule["type"] == "rate"
    assert {t.kind for t in plan.targets} >= {"rate", "coverage", "milestones", "all_of"}


def test_unknown_target(plan: plan_rules.Plan) -> None:
    with pytest.raises(plan_rules.RequestError) as e:
        plan.target("Z9")
    assert e.value.code == "unknown_target"
    assert e.value.rule_id == "Z9"


def test_from_file_json_dict_agree(plan: plan_rules.Plan) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert plan_rules.Plan.from_file(PLAN_FILE) == plan
    assert plan_rules.Plan.from_file(str(PLAN_FILE)) == plan
    assert plan_rules.Plan.from_json(text) == plan
    assert plan_rules.Plan.from_json(text.encode()) == plan
    assert plan_rules.Plan.from_dict(json.loads(text)) == plan
    assert plan_rules.Plan.from_json(plan.to_json()).content_hash == plan.content_hash
    assert plan.to_dict()["id"] == plan.id
    # The embedded text is the file without its indentation: the same document.
    assert json.loads(text) == json.loads(plan_rules.PLAN_JSON)
    assert len(plan_rules.PLAN_JSON) < len(text)


def test_missing_file() -> None:
    with pytest.raises(FileNotFoundError):
        plan_rules.Plan.from_file("/nonexistent/plan.json")


def test_invalid_json_is_a_spec_error() -> None:
    with pytest.raises(plan_rules.SpecError) as e:
        plan_rules.Plan.from_json("{not json")
    err = e.value
    assert isinstance(err, plan_rules.PlanRulesError)
    assert isinstance(err, ValueError)
    assert err.code == "invalid_json"
    assert err.errors()[0]["line"] == 1


def test_wrong_shape_names_the_path() -> None:
    with pytest.raises(plan_rules.SpecError) as e:
        plan_rules.Plan.from_dict({"id": 1})
    assert e.value.code == "invalid_shape"
    assert e.value.path == "/id"


def test_every_static_problem_is_listed(plan: plan_rules.Plan) -> None:
    doc = copy.deepcopy(plan.to_dict())
    doc["targets"][1]["id"] = "A1"  # duplicate id
    doc["targets"][2]["deadline"] = "2030-12-31"  # outside the period
    with pytest.raises(plan_rules.SpecError) as e:
        plan_rules.Plan.from_dict(doc)
    codes = [d["code"] for d in e.value.errors()]
    assert "duplicate_id" in codes
    assert "deadline_outside_period" in codes
    assert len(codes) >= 2
    assert e.value.code == codes[0]
    assert any(d["rule_id"] == "A1" for d in e.value.errors())
    assert e.value.rule_id is not None


def test_python_values_a_rule_set_cannot_hold() -> None:
    with pytest.raises(plan_rules.SpecError) as e:
        plan_rules.Plan.from_dict({"id": float("nan")})
    assert e.value.path == "/id"
    with pytest.raises(plan_rules.SpecError):
        plan_rules.Plan.from_dict({"id": {1, 2}})


def test_listing(plan: plan_rules.Plan) -> None:
    assert "A1" in plan.listing()
    assert "Preschool" in plan.listing("en")
    assert "学前" in plan.listing("zh")
    with pytest.raises(ValueError, match="language"):
        plan.listing("fr")  # type: ignore[arg-type]


def test_plan_pickles(plan: plan_rules.Plan) -> None:
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan
    assert again.content_hash == plan.content_hash
    assert [t.id for t in again.targets] == [t.id for t in plan.targets]
    assert hash(again) == hash(plan)


def test_constructors_are_guarded() -> None:
    with pytest.raises(TypeError):
        plan_rules.Plan(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        plan_rules.Dataset(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        plan_rules.Report(object())  # type: ignore[arg-type]


def test_plan_file_path_object(tmp_path: pathlib.Path, plan: plan_rules.Plan) -> None:
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json(), encoding="utf-8")
    assert plan_rules.Plan.from_file(path) == plan
