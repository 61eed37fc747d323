"""Exceptions of plan_rules: one base class, one subclass per layer of the engine.

Every exception carries the stable ``code`` of its first problem, the JSON ``path`` where it
is (when known), the ``rule_id`` of the target it concerns (when it applies), and
``errors()``, every problem found.
"""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "AuditLogError",
    "DataError",
    "ErrorDetail",
    "MissingColumnsWarning",
    "PlanRulesError",
    "RequestError",
    "SpecError",
]


class ErrorDetail(TypedDict):
    """One problem: its stable code, message, and where it is."""

    code: str
    message: str
    path: str | None
    rule_id: str | None
    line: int | None
    column: int | None


class PlanRulesError(ValueError):
    """Base class of every error plan_rules raises."""

    kind: str = "plan_rules"

    def __init__(
        self,
        message: str,
        *,
        code: str,
        path: str | None = None,
        rule_id: str | None = None,
        errors: list[ErrorDetail] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.rule_id = rule_id
        self._errors: list[ErrorDetail] = (
            list(errors)
            if errors is not None
            else [
                ErrorDetail(
                    code=code, message=message, path=path, rule_id=rule_id, line=None, column=None
                )
            ]
        )

    def errors(self) -> list[ErrorDetail]:
        """Every problem found, the first being the one the exception is named after."""
        return [ErrorDetail(**e) for e in self._errors]

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (type(self), self.message, self.code, self.path, self.rule_id, self._errors),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


def _rebuild(
    cls: type[PlanRulesError],
    message: str,
    code: str,
    path: str | None,
    rule_id: str | None,
    errors: list[ErrorDetail],
) -> PlanRulesError:
    return cls(message, code=code, path=path, rule_id=rule_id, errors=errors)


class SpecError(PlanRulesError):
    """The rule set is not valid: not JSON, the wrong shape, or failing a static check."""

    kind = "spec"


class DataError(PlanRulesError):
    """The data as a whole cannot be read: not JSON, the wrong shape, a value with no exact form
    (NaN, infinity, an unsupported type), or over a limit. Problems with single values that can
    be read are diagnostics, not errors (see ``plan_rules.validate``), unless ``strict=True``."""

    kind = "data"


class RequestError(PlanRulesError):
    """A request is invalid: a bad as-of date, an unknown target id."""

    kind = "request"


class AuditLogError(PlanRulesError):
    """An audit log does not verify, so nothing is appended to it."""

    kind = "audit_log"


class MissingColumnsWarning(UserWarning):
    """A table has columns the rules do not read while fields they read have no column: those
    fields are judged missing on every row (a misspelt column name, most often; the warning
    names the closest columns)."""
