"""plan_rules: a development plan's quantitative targets as typed, checkable rules.

Give it a plan (the embedded Xicheng 2016-2020 education plan, or a rule set of your own),
observed data and an as-of date; it says for each target whether it is met, not met, on track,
off track (with a grade) or not assessable, with every input and step of exact decimal
arithmetic behind the verdict. The engine is the Rust core; this package converts types.

>>> import plan_rules
>>> plan = plan_rules.Plan.default()
>>> report = plan.evaluate(plan_rules.Dataset.sample(), as_of="2018-12-31")
>>> report.result("A1").status
'on_track'
"""

from __future__ import annotations

from ._api import (
    DataLike,
    Dataset,
    Language,
    Plan,
    PlanStatus,
    Report,
    append_to_audit_log,
    audit_log_line,
    validate,
    verify_audit_log,
    verify_audit_log_text,
)
from ._errors import (
    AuditLogError,
    DataError,
    ErrorDetail,
    MissingColumnsWarning,
    PlanRulesError,
    RequestError,
    SpecError,
)
from ._plan_rules import ENGINE_VERSION, PLAN_JSON, SAMPLE_DATA_JSON
from ._rows import VERDICTS, LeftOut, LeftOutReason, RowRules, RowTarget, Verdict
from ._types import (
    Aspiration,
    Band,
    Basis,
    Citation,
    Counts,
    Culprit,
    Diagnostic,
    Grade,
    InputRead,
    Judgement,
    LogProblem,
    LogVerification,
    Note,
    Obligation,
    ObligationSummary,
    Op,
    Reason,
    Review,
    SpecWarning,
    Status,
    Step,
    Summary,
    Target,
    TargetResult,
    Text,
    Trail,
    Trajectory,
    Validation,
    YearValue,
)

__version__ = ENGINE_VERSION

__all__ = [
    "ENGINE_VERSION",
    "PLAN_JSON",
    "SAMPLE_DATA_JSON",
    "VERDICTS",
    "Aspiration",
    "AuditLogError",
    "Band",
    "Basis",
    "Citation",
    "Counts",
    "Culprit",
    "DataError",
    "DataLike",
    "Dataset",
    "Diagnostic",
    "ErrorDetail",
    "Grade",
    "InputRead",
    "Judgement",
    "Language",
    "LeftOut",
    "LeftOutReason",
    "LogProblem",
    "LogVerification",
    "MissingColumnsWarning",
    "Note",
    "Obligation",
    "ObligationSummary",
    "Op",
    "Plan",
    "PlanRulesError",
    "PlanStatus",
    "Reason",
    "Report",
    "RequestError",
    "Review",
    "RowRules",
    "RowTarget",
    "SpecError",
    "SpecWarning",
    "Status",
    "Step",
    "Summary",
    "Target",
    "TargetResult",
    "Text",
    "Trail",
    "Trajectory",
    "Validation",
    "Verdict",
    "YearValue",
    "__version__",
    "append_to_audit_log",
    "audit_log_line",
    "validate",
    "verify_audit_log",
    "verify_audit_log_text",
]
