"""The exception classes: hierarchy, fields, every problem, pickling."""

from __future__ import annotations

import pickle

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
