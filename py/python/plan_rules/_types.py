"""Typed records of plan_rules: targets, results, trails, diagnostics.

They are plain frozen dataclasses built from the engine's JSON form; every number in them is a
``decimal.Decimal`` (or an ``int`` for counts and years), never a ``float``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any, Literal

#: A verdict.
Status = Literal["met", "not_met", "on_track", "off_track", "not_assessable"]
#: How far off track.
Grade = Literal["accelerate", "insufficient", "regressing"]
#: What a verdict rests on.
Basis = Literal["computed", "recorded"]
#: The attribute (属性) an indicator table gives an indicator.
Obligation = Literal["binding", "indicative"]
#: How a value must stand against its limit.
Op = Literal[">=", ">", "<=", "<"]
#: Why a target is not assessable.
ReasonCode = Literal[
    "no_data",
    "missing_value",
    "insufficient_data_points",
    "missing_baseline",
    "zero_denominator",
    "empty_population",
    "bad_data",
    "numerator_exceeds_denominator",
    "non_positive_base",
    "arithmetic_overflow",
    "part_not_assessable",
    "qualitative",
]
#: How serious a diagnostic is.
Severity = Literal["error", "warning"]

_STATUS_COLOURS = {
    "met": "#d4edda",
    "not_met": "#f8d7da",
    "on_track": "#d1ecf1",
    "off_track": "#fff3cd",
    "not_assessable": "#e2e3e5",
}

__all__ = [
    "Aspiration",
    "Band",
    "Basis",
    "Citation",
    "Counts",
    "Culprit",
    "Diagnostic",
    "Grade",
    "InputRead",
    "Judgement",
    "LogProblem",
    "LogVerification",
    "Note",
    "Obligation",
    "ObligationSummary",
    "Op",
    "Reason",
    "ReasonCode",
    "Review",
    "Severity",
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
    "YearValue",
]


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@dataclass(frozen=True)
class Text:
    """Text in Chinese and English."""

    zh: str
    en: str

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Text:
        return cls(zh=d["zh"], en=d["en"])

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Citation:
    """Where the plan makes a commitment: the kind of place, the section, the quoted sentence."""

    source: str
    location: Text
    quote: str
    #: The document quoted and where it was published, when not the plan itself.
    document: Text | None = None
    #: Where the quoted text can be read.
    url: str | None = None

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Citation:
        document = d.get("document")
        return cls(
            source=d["source"],
            location=Text._from(d["location"]),
            quote=d["quote"],
            document=None if document is None else Text._from(document),
            url=d.get("url"),
        )


@dataclass(frozen=True)
class Note:
    """A remark that keeps an interpretation visible (vague wording, a discrepancy ...)."""

    kind: str
    text: Text

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Note:
        return cls(kind=d["kind"], text=Text._from(d["text"]))


@dataclass(frozen=True)
class Target:
    """One commitment of the plan, with its rule, deadline and citation."""

    id: str
    title: Text
    description: Text
    category: Text
    importance: str
    kind: str
    deadline: datetime.date
    deadline_basis: str
    citation: Citation
    related_citations: tuple[Citation, ...]
    notes: tuple[Note, ...]
    rule: dict[str, Any] = field(repr=False, compare=False, hash=False)
    #: ``binding`` (约束性) or ``indicative`` (预期性), when the plan's table says.
    obligation: Obligation | None = None
    #: What a reader must know next to the verdict.
    caveat: Text | None = None

    @property
    def title_zh(self) -> str:
        """The title in Chinese."""
        return self.title.zh

    @property
    def title_en(self) -> str:
        """The title in English."""
        return self.title.en

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Target:
        return cls(
            id=d["id"],
            title=Text._from(d["title"]),
            description=Text._from(d["description"]),
            category=Text._from(d["category"]),
            importance=d["importance"],
            kind=d["rule"]["type"],
            deadline=_date(d["deadline"]),
            deadline_basis=d["deadline_basis"],
            citation=Citation._from(d["citation"]),
            related_citations=tuple(Citation._from(c) for c in d.get("related_citations", [])),
            notes=tuple(Note._from(n) for n in d.get("notes", [])),
            rule=d["rule"],
            obligation=d.get("obligation"),
            caveat=None if d.get("caveat") is None else Text._from(d["caveat"]),
        )


@dataclass(frozen=True)
class ObligationSummary:
    """Counts of results by status among the binding (or the indicative) targets."""

    obligation: Obligation
    total: int
    met: int
    not_met: int
    on_track: int
    off_track: int
    not_assessable: int


@dataclass(frozen=True)
class Review:
    """A date of the plan's monitoring calendar (年度监测, 中期评估), asked for by its id."""

    id: str
    kind: Literal["annual", "mid_term", "final"]
    title: Text
    as_of: datetime.date
    citation: Citation
    notes: tuple[Note, ...]

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Review:
        return cls(
            id=d["id"],
            kind=d["kind"],
            title=Text._from(d["title"]),
            as_of=_date(d["as_of"]),
            citation=Citation._from(d["citation"]),
            notes=tuple(Note._from(n) for n in d.get("notes", [])),
        )


@dataclass(frozen=True)
class Summary:
    """Counts of results by status, and the same counts by obligation when the plan marks any."""

    total: int
    met: int
    not_met: int
    on_track: int
    off_track: int
    not_assessable: int
    by_obligation: tuple[ObligationSummary, ...] = ()

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Summary:
        counts = {
            k: int(d[k])
            for k in ("total", "met", "not_met", "on_track", "off_track", "not_assessable")
        }
        by = tuple(ObligationSummary(**o) for o in d.get("by_obligation", []))
        return cls(**counts, by_obligation=by)


@dataclass(frozen=True)
class YearValue:
    """A year and a value."""

    year: int
    value: Decimal


@dataclass(frozen=True)
class Trajectory:
    """The projection behind an on-track or off-track status: R = observed / required growth."""

    method: str
    observed_growth: Decimal | None
    required_growth: Decimal | None
    r: Decimal | None

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Trajectory:
        return cls(
            method=d["method"],
            observed_growth=_dec(d["observed_growth"]),
            required_growth=_dec(d["required_growth"]),
            r=_dec(d["r"]),
        )


@dataclass(frozen=True)
class Band:
    """The tolerance band of an approximate target ("about N")."""

    nominal: Decimal
    lower: Decimal
    upper: Decimal
    position: str | None

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Band:
        return cls(
            nominal=Decimal(d["nominal"]),
            lower=Decimal(d["lower"]),
            upper=Decimal(d["upper"]),
            position=d["position"],
        )


@dataclass(frozen=True)
class Counts:
    """Counts over a population of entities or items."""

    population: int
    met: int
    unmet: int
    missing: int


@dataclass(frozen=True)
class Culprit:
    """An entity, item or year at fault."""

    id: str
    name: str | None
    problem: str
    zh: str
    en: str


@dataclass(frozen=True)
class Reason:
    """Why a target is not assessable."""

    code: ReasonCode
    zh: str
    en: str


@dataclass(frozen=True)
class InputRead:
    """One value a result read (``value`` as the engine shows it, or None when missing)."""

    field: str
    entity: str | None
    period: int
    value: str | None
    source: str | None

    @property
    def decimal(self) -> Decimal | None:
        """The value as a decimal, when it is a number."""
        try:
            return None if self.value is None else Decimal(self.value)
        except ArithmeticError:
            return None


@dataclass(frozen=True)
class Step:
    """One step of arithmetic or judgement (``exact`` is False when a result was rounded)."""

    op: str
    expr: str
    result: str
    exact: bool


@dataclass(frozen=True)
class Trail:
    """Every input read and every step behind one result."""

    inputs: tuple[InputRead, ...]
    steps: tuple[Step, ...]

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Trail:
        return cls(
            inputs=tuple(InputRead(**i) for i in d["inputs"]),
            steps=tuple(Step(**s) for s in d["steps"]),
        )

    def __str__(self) -> str:
        lines = ["inputs:"]
        for i in self.inputs:
            who = f" [{i.entity}]" if i.entity else ""
            lines.append(f"  {i.field}{who} {i.period} = {i.value}")
        lines.append("steps:")
        for s in self.steps:
            mark = "" if s.exact else " (rounded)"
            lines.append(f"  {s.op}: {s.expr} -> {s.result}{mark}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Aspiration:
    """A second, stricter level (力争达到) and whether the observed value reaches it."""

    level: Decimal
    reached: bool | None


@dataclass(frozen=True)
class Judgement:
    """A reviewer's recorded judgement on a qualitative target."""

    target: str
    verdict: Status
    by: str
    on: datetime.date
    evidence: str


@dataclass(frozen=True)
class TargetResult:
    """The judgement on one target (or one part of an all-of target)."""

    id: str
    title: Text
    kind: str
    status: Status
    grade: Grade | None
    approximate: bool
    deadline: datetime.date
    unit: str | None
    observed: Decimal | None
    observed_year: int | None
    target: Decimal | None
    gap: Decimal | None
    progress: Decimal | None
    baseline: YearValue | None
    trajectory: Trajectory | None
    band: Band | None
    counts: Counts | None
    culprits: tuple[Culprit, ...]
    reason: Reason | None
    diagnostics: tuple[int, ...]
    explanation: Text
    parts: tuple[TargetResult, ...]
    trail: Trail | None = field(repr=False)
    #: ``computed`` by the engine, or ``recorded`` by a reviewer (qualitative targets).
    basis: Basis = "computed"
    #: How ``observed`` must stand against ``target``: ``>=``, ``>``, ``<=`` or ``<``.
    op: Op | None = None
    #: The aspiration (力争) level and whether it is reached.
    aspiration: Aspiration | None = None
    #: ``binding`` (约束性) or ``indicative`` (预期性), when the plan says.
    obligation: Obligation | None = None
    #: The recorded judgement the verdict rests on.
    judgement: Judgement | None = None
    #: What a reader must know next to the verdict (※ in renderings).
    caveat: Text | None = None

    @property
    def r(self) -> Decimal | None:
        """R = observed / required growth, when projected."""
        return self.trajectory.r if self.trajectory is not None else None

    def _repr_html_(self) -> str:
        def value(v: Decimal | None) -> str:
            if v is None:
                return "—"
            return f"{v}%" if self.unit == "%" else f"{v} {self.unit or ''}".strip()

        op = "" if self.op in (None, ">=") else f"{self.op} "
        grade = f" ({self.grade})" if self.grade else ""
        caveat = (
            f"<p><b>※ {escape(self.caveat.zh)}</b><br><small>{escape(self.caveat.en)}</small></p>"
            if self.caveat
            else ""
        )
        year = f" ({self.observed_year})" if self.observed_year else ""
        return (
            f'<div class="plan-rules-result"><p><b>{escape(self.id)}</b> {escape(self.title.zh)} / '
            f"{escape(self.title.en)}</p>"
            f'<p><span style="background:{_STATUS_COLOURS.get(self.status, "#fff")};padding:0 4px">'
            f"{escape(self.status)}{escape(grade)}</span> · {escape(self.basis)} · "
            f"observed {escape(value(self.observed))}{year} · target "
            f"{escape(op + value(self.target))}</p>{caveat}"
            f"<p>{escape(self.explanation.zh)}<br><small>{escape(self.explanation.en)}</small></p></div>"
        )

    @classmethod
    def _from(cls, d: dict[str, Any]) -> TargetResult:
        baseline = d["baseline"]
        return cls(
            id=d["id"],
            title=Text._from(d["title"]),
            kind=d["kind"],
            status=d["status"],
            grade=d["grade"],
            approximate=d["approximate"],
            deadline=_date(d["deadline"]),
            unit=d["unit"],
            observed=_dec(d["observed"]),
            observed_year=d["observed_year"],
            target=_dec(d["target"]),
            gap=_dec(d["gap"]),
            progress=_dec(d["progress"]),
            baseline=(
                None
                if baseline is None
                else YearValue(year=baseline["year"], value=Decimal(baseline["value"]))
            ),
            trajectory=None if d["trajectory"] is None else Trajectory._from(d["trajectory"]),
            band=None if d["band"] is None else Band._from(d["band"]),
            counts=None if d["counts"] is None else Counts(**d["counts"]),
            culprits=tuple(Culprit(**c) for c in d["culprits"]),
            reason=None if d["reason"] is None else Reason(**d["reason"]),
            diagnostics=tuple(d["diagnostics"]),
            explanation=Text._from(d["explanation"]),
            parts=tuple(TargetResult._from(p) for p in d["parts"]),
            trail=Trail._from(d["trail"]) if d.get("trail") is not None else None,
            basis=d["basis"],
            op=d["op"],
            aspiration=(
                None
                if d["aspiration"] is None
                else Aspiration(
                    level=Decimal(d["aspiration"]["level"]), reached=d["aspiration"]["reached"]
                )
            ),
            obligation=d["obligation"],
            caveat=None if d.get("caveat") is None else Text._from(d["caveat"]),
            judgement=(
                None
                if d["judgement"] is None
                else Judgement(
                    target=d["judgement"]["target"],
                    verdict=d["judgement"]["verdict"],
                    by=d["judgement"]["by"],
                    on=_date(d["judgement"]["on"]),
                    evidence=d["judgement"]["evidence"],
                )
            ),
        )


@dataclass(frozen=True)
class Diagnostic:
    """A problem with one value in the data, with a message in Chinese and English."""

    code: str
    severity: Severity
    path: str
    field: str | None
    entity: str | None
    period: int | None
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class SpecWarning:
    """Something a draft rule set leaves out that a published one must give: ``code``
    (``missing_quote``, ``missing_translation``), the JSON pointer of what is left out, the
    target (or all-of part) it is in, and a message in Chinese and English."""

    code: str
    path: str
    target: str | None
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Validation:
    """The diagnostics of a dataset against a plan."""

    ok: bool
    errors: int
    warnings: int
    diagnostics: tuple[Diagnostic, ...]

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Validation:
        return cls(
            ok=d["ok"],
            errors=d["errors"],
            warnings=d["warnings"],
            diagnostics=tuple(Diagnostic(**x) for x in d["diagnostics"]),
        )

    def to_pandas(self) -> Any:
        """One row per diagnostic: code, severity, path, field, entity, period, messages."""
        import pandas as pd

        columns = list(Diagnostic.__dataclass_fields__)
        rows = [{c: getattr(x, c) for c in columns} for x in self.diagnostics]
        frame = pd.DataFrame(rows, columns=columns)
        frame["period"] = frame["period"].astype("Int64")
        return frame

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>{'通过 ok' if self.ok else '有错误 errors'}</b> · "
            f"{self.errors} 错误 errors · {self.warnings} 警告 warnings</p>"
        )
        if not self.diagnostics:
            return f'<div class="plan-rules-validation">{head}</div>'
        rows = "".join(
            f"<tr><td>{escape(x.severity)}</td><td>{escape(x.code)}</td><td><code>{escape(x.path)}</code></td><td>{escape(x.message_zh)}<br><small>{escape(x.message_en)}</small></td></tr>"
            for x in self.diagnostics
        )
        return (
            f'<div class="plan-rules-validation">{head}<table><thead><tr><th>级别 Severity</th>'
            f"<th>代码 Code</th><th>位置 Path</th><th>说明 Message</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )


@dataclass(frozen=True)
class LogProblem:
    """The first bad line of an audit log."""

    line: int
    kind: str
    message: str


@dataclass(frozen=True)
class LogVerification:
    """The outcome of verifying an audit log; keep ``head`` elsewhere to detect rewrites."""

    ok: bool
    verified: int
    head: str
    problem: LogProblem | None

    @classmethod
    def _from(cls, d: dict[str, Any]) -> LogVerification:
        p = d["problem"]
        return cls(
            ok=d["ok"],
            verified=d["verified"],
            head=d["head"],
            problem=None if p is None else LogProblem(**p),
        )
