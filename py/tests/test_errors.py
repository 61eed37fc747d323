"""The exception classes: hierarchy, fields, every problem, pickling."""

from __future__ import annotations

import pickle
from typing import Any

import plan_rules
import pytest


@pytest.mark.parametrize(
    "cls",
    [
        plan_rules.SpecError,
        plan_rules.DataError,
        plan_rules.RequestError,
        plan_rules.AuditLogError,
    ],
)
def test_hierarchy(cls: type[plan_rules.PlanRulesError]) -> None:
    assert issubclass(cls, plan_rules.PlanRulesError)
    assert issubclass(cls, ValueError)
    err = cls("boom", code="x", path="/a", rule_id="A1")
    assert (err.code, err.path, err.rule_id, str(err)) == ("x", "/a", "A1", "boom")
    assert err.errors() == [
        {
            "code": "x",
            "message": "boom",
            "path": "/a",
            "rule_id": "A1",
            "line": None,
            "column": None,
        }
    ]
    assert "code='x'" in repr(err)


def test_errors_are_copies() -> None:
    err = plan_rules.DataError("boom", code="x")
    err.errors()[0]["code"] = "changed"
    assert err.errors()[0]["code"] == "x"


def test_raised_errors_pickle() -> None:
    with pytest.raises(plan_rules.SpecError) as e:
        plan_rules.Plan.from_json("{")
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is plan_rules.SpecError
    assert (again.code, again.path, again.errors()) == (
        e.value.code,
        e.value.path,
        e.value.errors(),
    )


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value} if depth % 2 else [value]
    return value


@pytest.mark.parametrize("depth", [129, 15_000, 15_001, 200_000])
def test_any_depth_is_refused_with_the_nesting_limit_and_the_module_stays_usable(
    depth: int,
) -> None:
    deep = _nested(depth)
    data = {"series": {"bases": {"values": {"2020": deep}}}}
    with pytest.raises(plan_rules.DataError) as raised:
        plan_rules.Dataset.from_dict(data)
    assert raised.value.code == "too_deep"
    assert raised.value.path is not None
    assert raised.value.path.startswith("/series/bases/values/2020/")
    plan = plan_rules.Plan.default()
    with pytest.raises(plan_rules.DataError) as raised:
        plan.evaluate(data)
    assert raised.value.code == "too_deep"
    with pytest.raises(plan_rules.SpecError) as spec:
        plan_rules.Plan.from_dict({"id": deep})
    assert spec.value.code == "too_deep"
    assert spec.value.path is not None
    assert spec.value.path.startswith("/id/")
    # Still usable afterwards.
    assert plan.evaluate(plan_rules.Dataset.sample()).result("A1") is not None


def test_nesting_at_the_limit_is_read() -> None:
    # 128 containers: the dataset's own four levels and 124 more inside the value.
    data = {"series": {"bases": {"values": {"2020": _nested(124)}}}}
    with pytest.raises(plan_rules.DataError) as raised:
        plan_rules.Dataset.from_dict(data)
    assert raised.value.code == "invalid_shape"
