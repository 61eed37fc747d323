# ruff: noqa: RUF001 (the messages in Chinese use full-width punctuation)
"""Draft rule sets: ``"status": "draft"`` lets a rule set leave out quotes and one language of
its texts; ``Plan.warnings`` lists each omission, and reports say they come from a draft. A
published rule set with the same omissions raises ``SpecError``."""

from __future__ import annotations

import json
from typing import Any

import plan_rules
import pytest
from plan_rules import Plan, SpecWarning


def _sketchy(status: str | None) -> dict[str, Any]:
    """The embedded plan with A1's quote and A2's English title left out."""
    doc: dict[str, Any] = json.loads(plan_rules.PLAN_JSON)
    del doc["targets"][0]["citation"]["quote"]
    del doc["targets"][1]["title"]["en"]
    if status is not None:
        doc["status"] = status
    return doc


QUOTE_EN = "target `A1`: the citation at `/targets/0/citation` quotes nothing"
TITLE_EN = "target `A2`: the text at `/targets/1/title` has no English (`en`)"


def test_a_draft_loads_with_a_warning_for_each_omission() -> None:
    plan = Plan.from_dict(_sketchy("draft"))
    assert plan.status == "draft"
    assert plan.warnings == [
        SpecWarning(
            code="missing_quote",
            path="/targets/0/citation/quote",
            target="A1",
            message_zh="目标`A1`：`/targets/0/citation`处的引文没有引用规划原文"
            "（草稿规则集可以省略，正式发布前须补全）",
            message_en=f"{QUOTE_EN} (a draft may leave it out; complete it before publishing)",
        ),
        SpecWarning(
            code="missing_translation",
            path="/targets/1/title/en",
            target="A2",
            message_zh="目标`A2`：`/targets/1/title`处的文本缺少英文（`en`）"
            "（草稿规则集可以省略，正式发布前须补全）",
            message_en=f"{TITLE_EN} (a draft may leave it out; complete it before publishing)",
        ),
    ]
    # What is left out reads as empty text; listings fall back to the other language.
    assert plan.targets[1].title.en == ""
    assert "A2  [duration] 残疾儿童15年免费教育" in plan.listing("en").splitlines()


def test_a_draft_s_report_says_so() -> None:
    plan = Plan.from_dict(_sketchy("draft"))
    report = plan.evaluate(plan_rules.Dataset.sample(), as_of="2018-12-31")
    assert report.plan_status == "draft"
    assert report.to_dict()["plan"]["status"] == "draft"
    assert "(draft rule set: a quick check, not the published evaluation)" in report.to_table("en")
    published = Plan.default().evaluate(plan_rules.Dataset.sample(), as_of="2018-12-31")
    assert published.plan_status == "published"
    assert "status" not in published.to_dict()["plan"]
    # The verdicts are the published rule set's: a draft changes no judgement.
    assert [(r.id, r.status) for r in report.results] == [
        (r.id, r.status) for r in published.results
    ]


@pytest.mark.parametrize("status", [None, "published"])
def test_a_published_rule_set_refuses_the_same_omissions(status: str | None) -> None:
    with pytest.raises(plan_rules.SpecError) as raised:
        Plan.from_dict(_sketchy(status))
    e = raised.value
    assert (e.code, e.path, e.rule_id) == ("missing_quote", "/targets/0/citation/quote", "A1")
    assert [(x["code"], x["path"], x["rule_id"], x["message"]) for x in e.errors()] == [
        (
            "missing_quote",
            "/targets/0/citation/quote",
            "A1",
            f'{QUOTE_EN}; only a draft rule set (`"status": "draft"`) may leave the quote out',
        ),
        (
            "missing_translation",
            "/targets/1/title/en",
            "A2",
            f'{TITLE_EN}; only a draft rule set (`"status": "draft"`) may give one language',
        ),
    ]


def test_published_rule_sets_have_no_warnings_and_a_bad_status_is_refused() -> None:
    assert Plan.default().status == "published"
    assert Plan.default().warnings == []
    doc = json.loads(plan_rules.PLAN_JSON)
    doc["status"] = "final"
    with pytest.raises(plan_rules.SpecError) as raised:
        Plan.from_dict(doc)
    assert (raised.value.code, raised.value.path) == ("invalid_shape", "/status")
