"""Row rules never drop a target silently: ``RowRules.left_out`` lists every target one record
cannot decide, with the reason, and ``RowRules(..., targets=[...])`` refuses to name one."""

# ruff: noqa: RUF001 (the messages in Chinese use full-width punctuation)
from __future__ import annotations

import copy
import pickle
from typing import Any

import plan_rules
import pytest
from plan_rules import LeftOut, RowRules

CUMULATIVE_EN = (
    "it reads `reserve_cadres_selected` summed over the years since the plan began "
    "(`over_time: cumulative`), and one record holds one year"
)
CUMULATIVE_ZH = (
    "它读取`reserve_cadres_selected`自规划首年起的逐年累计值（`over_time: cumulative`），"
    "而一条记录只有一年的数据"
)


def test_the_district_rules_list_what_they_leave_out() -> None:
    rules = RowRules()
    assert [(x.id, x.kind, x.reason) for x in rules.left_out[:14]] == [
        ("A4.1", "rate", "entity_records"),
        ("A4.2", "approximate_count", "cumulative_over_time"),
        ("A5.1", "count", "cumulative_over_time"),
        ("A5.2", "count", "cumulative_over_time"),
        ("A5.3", "count", "cumulative_over_time"),
        ("A6.1", "rate", "entity_records"),
        ("A6.2", "coverage", "entity_records"),
        ("A7", "coverage", "entity_records"),
        ("A8.2/community", "coverage", "entity_records"),
        ("A8.2/inservice", "coverage", "entity_records"),
        ("B2", "milestones", "entity_records"),
        ("B3/schools", "coverage", "entity_records"),
        ("B3/teachers", "rate", "entity_records"),
        ("B3/students", "rate", "entity_records"),
    ]
    # The body's commitments without a number (C*, D*): no record decides them.
    middle = [(x.id[0], x.kind, x.reason) for x in rules.left_out[14:-3]]
    assert len(middle) == 51
    assert set(middle) == {
        ("C", "qualitative", "not_row_judgeable_kind"),
        ("D", "qualitative", "not_row_judgeable_kind"),
    }
    assert [(x.id, x.kind, x.reason) for x in rules.left_out[-3:]] == [
        ("F1", "growth_comparison", "needs_several_years"),
        ("R1", "every_year", "needs_several_years"),
        ("R2", "every_year", "entity_records"),
    ]
    a51 = rules.left_out[2]
    assert a51 == LeftOut("A5.1", "count", "cumulative_over_time", CUMULATIVE_ZH, CUMULATIVE_EN)
    assert rules.left_out[-3].message_en == (
        "it compares growth over several years, and one record holds one year"
    )
    assert repr(rules).endswith("5 targets over 7 fields, 68 left out>")


def test_the_school_rules_name_the_kind_of_record_a_target_reads() -> None:
    rules = RowRules(kind="school")
    reasons = {x.id: (x.reason, x.message_en, x.message_zh) for x in rules.left_out}
    assert reasons["A1"] == (
        "district_series",
        "it reads the district series, not `school` records",
        "它读取全区数据序列，而非`school`的记录",
    )
    assert reasons["B2"] == (
        "other_entity_kind",
        "it reads `project` records, not `school` records",
        "它读取`project`的记录，而非`school`的记录",
    )
    # Every target is judged or listed (A8.2 and B3 by their parts).
    assert len(rules.targets) + len(rules.left_out) == len(rules.plan.targets) + 3


def test_a_selection_judges_the_named_targets_in_the_rules_order() -> None:
    rules = RowRules(kind="school", targets=("A7", "A6.1"))
    assert rules.target_ids == ("A6.1", "A7")
    assert rules.selection == ["A7", "A6.1"]
    assert rules.fields == (
        "health_test_passed",
        "health_test_eligible",
        "students",
        "teachers_foreign_affairs",
        "teachers",
    )
    record = {"health_test_eligible": 200, "health_test_passed": 199, "level": "primary"}
    assert rules.judge(record) == {"A6.1": "not_met", "A7": "missing"}
    # The left-out list is the kind of record's, whatever was selected.
    assert rules.left_out == RowRules(kind="school").left_out
    # An all-of target names its parts.
    assert RowRules(kind="school", targets=["B3"]).target_ids == (
        "B3/schools",
        "B3/teachers",
        "B3/students",
    )
    # Pickled with its selection.
    again = pickle.loads(pickle.dumps(rules))
    assert again.target_ids == ("A6.1", "A7")
    assert again.selection == ["A7", "A6.1"]
    assert copy.deepcopy(rules).judge(record) == rules.judge(record)


def test_naming_a_left_out_target_is_refused_with_the_reason() -> None:
    with pytest.raises(plan_rules.RequestError) as raised:
        RowRules(targets=["A1", "A5.1"])
    e = raised.value
    assert isinstance(e, ValueError)
    assert (e.code, e.path, e.rule_id) == ("not_row_judgeable", "/targets/1", "A5.1")
    assert str(e) == (
        "target `A5.1` (at `/targets/1`) cannot be judged on one record "
        f"(cumulative_over_time): {CUMULATIVE_EN}"
    )
    assert e.errors() == [
        {
            "code": "not_row_judgeable",
            "message": str(e),
            "path": "/targets/1",
            "rule_id": "A5.1",
            "line": None,
            "column": None,
        }
    ]
    # An all-of with a part on another kind of record: the error names the part.
    with pytest.raises(plan_rules.RequestError) as raised:
        RowRules(kind="school", targets=["A8.2"])
    assert (raised.value.code, raised.value.rule_id, raised.value.path) == (
        "not_row_judgeable",
        "A8.2/community",
        "/targets/0",
    )
    assert str(raised.value) == (
        "target `A8.2/community` (at `/targets/0`) cannot be judged on one record "
        "(other_entity_kind): it reads `street` records, not `school` records"
    )


@pytest.mark.parametrize(
    ("targets", "code", "path", "message"),
    [
        (["Z9"], "unknown_target", None, "target `Z9` is not in the plan"),
        (
            [],
            "invalid_request",
            "/targets",
            "request is invalid at `/targets`: the selection names no target (leave it out to "
            "judge every row-judgeable target)",
        ),
        (
            "A1",
            "invalid_request",
            "/targets",
            "request is invalid at `/targets`: `targets` must be a list of target ids, not one "
            "string",
        ),
        (
            ["A1", 7],
            "invalid_request",
            "/targets/1",
            "request is invalid at `/targets/1`: a target id must be text, not `int`",
        ),
        (
            5,
            "invalid_request",
            "/targets",
            "request is invalid at `/targets`: `targets` must be a list of target ids, not `int`",
        ),
    ],
)
def test_bad_selections_are_request_errors(
    targets: Any, code: str, path: str | None, message: str
) -> None:
    with pytest.raises(plan_rules.RequestError) as raised:
        RowRules(targets=targets)
    assert (raised.value.code, raised.value.path, str(raised.value)) == (code, path, message)


def test_the_docstring_examples_of_row_rules_run() -> None:
    import doctest

    from plan_rules import _rows

    result = doctest.testmod(_rows)
    assert result.attempted >= 6
    assert result.failed == 0
