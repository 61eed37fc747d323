"""The vocabulary of plan indicator tables from Python: bounds, changes, every-year bounds,
binding and indicative targets, aspirations, recorded judgements (issue 12)."""

from __future__ import annotations

import pickle
from decimal import Decimal

import plan_rules
import pytest
from _paths import ROOT

PLAN = ROOT / "spec/plans/china-national-14th-fyp-2021-2025.json"
SAMPLE = ROOT / "spec/samples/china-national-14th-fyp-2021-2025-sample.json"


@pytest.fixture(scope="module")
def plan() -> plan_rules.Plan:
    return plan_rules.Plan.from_json(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data() -> plan_rules.Dataset:
    return plan_rules.Dataset.from_json(SAMPLE.read_text(encoding="utf-8"))


def test_targets_carry_their_obligation(plan: plan_rules.Plan) -> None:
    assert plan.target("N14").obligation == "binding"
    assert plan.target("N3").obligation == "indicative"


def test_only_binding_targets_are_evaluated_and_the_report_says_so(
    plan: plan_rules.Plan, data: plan_rules.Dataset
) -> None:
    report = plan.evaluate(data, as_of="2025-03-31", trail=False, obligation="binding")
    ids = [r.id for r in report.results]
    assert ids == ["N9", "N14", "N15", "N16", "N17", "N18", "N19", "N20"]
    assert report.to_dict()["obligation"] == "binding"
    assert report.summary.total == 8
    assert [(o.obligation, o.total) for o in report.summary.by_obligation] == [("binding", 8)]
    # A pickled report keeps the filter (it is read back from its JSON).
    again = pickle.loads(pickle.dumps(report))
    assert again.to_json() == report.to_json()


def test_an_unknown_obligation_is_a_request_error(
    plan: plan_rules.Plan, data: plan_rules.Dataset
) -> None:
    with pytest.raises(plan_rules.RequestError) as raised:
        plan.evaluate(data, obligation="mandatory")  # type: ignore[arg-type]
    assert raised.value.code == "invalid_request"
    assert raised.value.path == "/options/obligation"
    assert "binding, indicative" in str(raised.value)


def test_result_fields_of_the_new_shapes(plan: plan_rules.Plan, data: plan_rules.Dataset) -> None:
    report = plan.evaluate(data, as_of="2025-03-31", trail=True)
    n8 = report.result("N8")
    assert (n8.kind, n8.status, n8.op, n8.target) == ("every_year", "not_met", "<", Decimal("5.5"))
    assert [c.id for c in n8.culprits] == ["2022"]
    n14 = report.result("N14")
    assert (n14.kind, n14.op, n14.status, n14.grade) == (
        "change",
        "<=",
        "off_track",
        "insufficient",
    )
    # The chained yearly rates are in the trail, step by step.
    assert n14.trail is not None
    assert any(s.op == "chain" for s in n14.trail.steps)
    n1 = report.result("N1")
    assert (n1.basis, n1.status) == ("recorded", "on_track")
    assert n1.judgement is not None
    assert n1.judgement.on.isoformat() == "2025-03-01"
    assert report.result("N3").basis == "computed"
    frame = report.to_pandas()
    assert list(frame.loc["N8", ["obligation", "op", "basis"]]) == ["indicative", "<", "computed"]


def test_aspirations_and_gross_rates_from_a_dict() -> None:
    text = lambda zh, en: {"zh": zh, "en": en}  # noqa: E731
    plan = plan_rules.Plan.from_dict(
        {
            "id": "p",
            "version": "1",
            "title": text("规划", "plan"),
            "source": text("测试", "test"),
            "period": {"start": "2021-01-01", "end": "2025-12-31"},
            "baseline_year": 2020,
            "dictionary": {
                "series": {
                    "rd": {"title": text("研发", "R&D growth"), "type": "percent", "unit": "%"},
                    "enrolled": {"title": text("在学", "enrolled"), "type": "count", "unit": "p"},
                    "age": {"title": text("适龄", "of age"), "type": "count", "unit": "p"},
                }
            },
            "targets": [
                {
                    "id": t,
                    "title": text(t, t),
                    "description": text(t, t),
                    "category": text("c", "c"),
                    "importance": "key",
                    "deadline": "2025-12-31",
                    "deadline_basis": "plan_end",
                    "citation": {
                        "source": "indicator_table",
                        "location": text("表", "table"),
                        "quote": "q",
                    },
                    "rule": rule,
                }
                for t, rule in [
                    (
                        "A",
                        {
                            "type": "value",
                            "measure": {"from": "series", "series": "rd"},
                            "op": ">=",
                            "limit": "7",
                            "aspiration": "8",
                            "unit": "%",
                        },
                    ),
                    (
                        "G",
                        {
                            "type": "rate",
                            "gross": True,
                            "numerator": {"from": "series", "series": "enrolled"},
                            "denominator": {"from": "series", "series": "age"},
                            "target_percent": "100",
                        },
                    ),
                ]
            ],
        }
    )
    report = plan.evaluate(
        {
            "series": {
                "rd": {"values": {"2025": "7.5"}},
                "enrolled": {"values": {"2025": 58}},
                "age": {"values": {"2025": 57}},
            }
        },
        trail=False,
    )
    a = report.result("A")
    assert a.status == "met"
    assert a.aspiration == plan_rules.Aspiration(level=Decimal("8"), reached=False)
    g = report.result("G")
    assert (g.status, g.observed) == ("met", Decimal("101.754385964912280701754386"))


def test_the_mid_term_review_by_name() -> None:
    plan = plan_rules.Plan.default()
    ids = [r.id for r in plan.reviews]
    assert ids[-2:] == ["mid_term", "final"]
    mid = next(r for r in plan.reviews if r.id == "mid_term")
    assert mid.as_of.isoformat() == "2018-06-30"
    assert mid.kind == "mid_term"
    sample = plan_rules.Dataset.sample()
    by_name = plan.evaluate(sample, as_of="mid_term", trail=False)
    by_date = plan.evaluate(sample, as_of="2018-06-30", trail=False)
    assert by_name.review == "mid_term"
    assert by_date.review is None
    assert [r.status for r in by_name.results] == [r.status for r in by_date.results]
    assert pickle.loads(pickle.dumps(by_name)).review == "mid_term"
    with pytest.raises(plan_rules.RequestError) as raised:
        plan.evaluate(sample, as_of="midterm")
    assert raised.value.code == "invalid_as_of"
    assert "mid_term" in str(raised.value)


def test_jupyter_views_and_frames(plan: plan_rules.Plan, data: plan_rules.Dataset) -> None:
    """``_repr_html_`` on plans, results and validations; frames with exact or float numbers."""
    assert "<table>" in plan._repr_html_()
    assert "N8" in plan._repr_html_()
    report = plan.evaluate(data, as_of="2025-03-31", trail=False)
    html = report.result("N8")._repr_html_()
    assert "not_met" in html
    assert "&lt; 5.5%" in html
    exact = report.to_pandas()
    floats = report.to_pandas(numbers="float")
    assert isinstance(exact.loc["N3", "observed"], Decimal)
    assert str(floats["observed"].dtype) == "float64"
    assert floats.loc["N3", "observed"] == float(exact.loc["N3", "observed"])
    with pytest.raises(plan_rules.RequestError):
        report.to_pandas(numbers="double")  # type: ignore[arg-type]
    checked = plan_rules.Plan.default().validate(
        {"series": {"preschool_enrolled_hukou": {"values": {"2018": -1}}}}
    )
    frame = checked.to_pandas()
    assert list(frame["code"]) == ["negative_value"]
    assert frame.loc[0, "path"] == "/series/preschool_enrolled_hukou/values/2018"
    assert "negative_value" in checked._repr_html_()
