"""validate() and the audit log."""

from __future__ import annotations

import pathlib

import plan_rules
import pytest


def test_validate_sample(sample: plan_rules.Dataset, plan: plan_rules.Plan) -> None:
    checked = plan_rules.validate(sample)
    assert isinstance(checked, plan_rules.Validation)
    assert checked.ok
    assert checked.errors == 0
    assert plan_rules.validate(sample, plan) == checked


def test_validate_names_each_problem() -> None:
    data = {
        "series": {"hs_graduates": {"values": {"2016": True, "2017": "abc"}}},
        "entities": [
            {"kind": "school", "id": "S1", "records": {"2016": {"students": -3}}},
        ],
    }
    checked = plan_rules.validate(data)
    assert not checked.ok
    codes = {d.code for d in checked.diagnostics}
    assert {"invalid_type", "invalid_number", "negative_value"} <= codes
    d = next(d for d in checked.diagnostics if d.code == "negative_value")
    assert d.entity == "S1"
    assert d.period == 2016
    assert d.path == "/entities/0/records/2016/students"
    assert d.message_zh
    assert d.message_en
    assert d.severity == "error"
    assert checked.errors == sum(1 for x in checked.diagnostics if x.severity == "error")


def test_validate_shape_errors_raise() -> None:
    with pytest.raises(plan_rules.DataError):
        plan_rules.validate({"entities": {}})


def test_audit_log_file(tmp_path: pathlib.Path, report: plan_rules.Report) -> None:
    log = tmp_path / "audit.jsonl"
    h1 = plan_rules.append_to_audit_log(log, report, recorded_at="2026-01-01T00:00:00Z")
    h2 = plan_rules.append_to_audit_log(str(log), report)
    assert h1 != h2
    assert h1.startswith("sha256:")
    outcome = plan_rules.verify_audit_log(log)
    assert outcome.ok
    assert outcome.verified == 2
    assert outcome.head == h2
    assert outcome.problem is None
    text = log.read_text(encoding="utf-8")
    log.write_text(text.replace("2026-01-01T00:00:00Z", "2026-01-01T09:00:00Z"), encoding="utf-8")
    bad = plan_rules.verify_audit_log(log)
    assert not bad.ok
    assert bad.problem is not None
    assert (bad.problem.line, bad.problem.kind) == (1, "altered")
    with pytest.raises(plan_rules.AuditLogError) as e:
        plan_rules.append_to_audit_log(log, report)
    assert e.value.code == "audit_log_damaged"
    assert e.value.path == "line 1"


def test_audit_log_text(report: plan_rules.Report) -> None:
    line = plan_rules.audit_log_line("", report, "2026-01-01T00:00:00Z")
    assert line.endswith("\n")
    assert plan_rules.verify_audit_log_text(line).ok
    cut = plan_rules.verify_audit_log_text(line + line[:50])
    assert cut.problem is not None
    assert cut.problem.kind == "truncated"
    assert plan_rules.verify_audit_log_text("").verified == 0
