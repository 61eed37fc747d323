"""Differential test of the engine's arithmetic against Python's ``decimal`` (issue 4).

Hypothesis generates values; small inline rule sets (the conformance vectors' plan with one
target swapped in) are evaluated through the public API (``Plan.from_dict`` + ``evaluate``),
and every status, grade and number is checked against an independent computation with Python's
``decimal`` module. Statuses and grades must agree exactly.

The arithmetic contract (spec/README.md, "Arithmetic") is computed here with exact fractions
(``contract``): a value a 96-bit decimal holds (at most 28 places, mantissa below 2**96) is
kept exact; any other is rounded half-to-even once, from the exact value, to 28 significant
digits or to 28 decimal places, whichever keeps fewer digits (``contract(x, places)`` caps the
places lower: 16 for growth rates, 6 for R, *d* for rounded-value comparison); beyond
±(2**96 - 1) it is an overflow. Every displayed number is checked against it: observed values,
targets, gaps, progress, growth rates, R and the trail's sum, ratio, growth and R steps with
their ``exact`` flags. n-th roots are the documented exception: the reference takes
``factor ** (1/n)`` in ``decimal.Context(prec=PREC, rounding=ROUND_HALF_EVEN)`` (``PREC`` = 80
significant digits, far beyond the engine's 28) and quantizes it half-even to 16 places.

- **Rate quotients** ``num * 100 ÷ den``: ``contract``; tiny quotients (28 places, fewer
  digits), 29-digit quotients (1/3 → 28 digits) and huge denominators included.
- **Full-value comparison** (全数值比较法): met iff ``num * 100 ≥ P * den``, exactly (integers).
- **Rounded-value comparison** (修约值比较法, GB/T 8170) at ``k`` decimals: the exact quotient
  quantized to ``k`` places with ``ROUND_HALF_EVEN``, then compared with ``P``.
- **Sums** (cumulative counts): added one at a time in year order, each under ``contract``;
  a sum beyond the range is ``not_assessable`` (``arithmetic_overflow``).
- **CAGR and R** (spec/README.md section 3, core/src/trajectory.rs): growth factor ``x ÷ x₀``
  under ``contract``; its ``n``-th root quantized half-even to 16 places; CAGR = root - 1,
  for the observed span and for the required one; R = ``contract(observed ÷ required, 6)``;
  graded on R (≥ 0.95 on track, ≥ 0.60 accelerate, ≥ 0 insufficient, else regressing).
- **Growth rates** (growth comparisons): ``(b - a) ÷ a`` kept exact when a decimal holds it,
  else ``contract(…, 16)``; shown times 100; "higher" decided exactly
  (``(sb - sa) * ba > (bb - ba) * sa``); R = ``contract(subject ÷ benchmark, 6)``.
"""

from __future__ import annotations

import copy
import json
import os
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from fractions import Fraction
from typing import Any

import plan_rules
import pytest
from _paths import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

PREC = 80
CONTEXT = Context(prec=PREC, rounding=ROUND_HALF_EVEN)
#: Examples per property: 150 keeps the file under a few seconds; set PLAN_RULES_EXAMPLES for a
#: longer search (e.g. 20000, a few minutes).
SETTINGS = settings(
    max_examples=int(os.environ.get("PLAN_RULES_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_CASE = json.loads(
    (ROOT / "tests" / "vectors" / "cases" / "003-rate-99.95-rounded-1dp.json").read_text("utf-8")
)
_PLAN: dict[str, Any] = _CASE["plan"]


def _plan(rule: dict[str, Any], comparison: dict[str, Any] | None = None) -> plan_rules.Plan:
    doc = copy.deepcopy(_PLAN)
    target = doc["targets"][0]
    target["rule"] = rule
    if comparison is None:
        target.pop("comparison", None)
    else:
        target["comparison"] = comparison
    return plan_rules.Plan.from_dict(doc)


def _evaluate(
    rule: dict[str, Any],
    series: dict[str, dict[int, Decimal]],
    as_of: str,
    comparison: dict[str, Any] | None = None,
) -> dict[str, Any]:
    data = {
        "series": {
            name: {"values": {str(y): str(v) for y, v in values.items()}}
            for name, values in series.items()
        }
    }
    report = _plan(rule, comparison).evaluate(data, as_of=as_of, trail=True)
    result: dict[str, Any] = report.to_dict()["results"][0]
    return result


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _round(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=CONTEXT)


#: 2**96: mantissas of the engine's decimals are below it.
LIMIT = 2**96


def contract(x: Fraction | Decimal | int, places: int = 28) -> Decimal:
    """The engine's arithmetic contract for the exact value ``x``: exact when a decimal holds it
    (at most ``places`` places, mantissa below 2**96), else rounded half-to-even once to 28
    significant digits or ``places`` decimal places, whichever keeps fewer digits. Raises
    ``OverflowError`` past ±(2**96 - 1)."""
    x = Fraction(x)
    if x == 0:
        return Decimal(0)
    sign = "-" if x < 0 else ""
    a = abs(x)
    rest = a.denominator
    for p in (2, 5):
        while rest % p == 0:
            rest //= p
    if rest == 1:  # it terminates: its shortest form
        scale = 0
        while (a * 10**scale).denominator != 1:
            scale += 1
        mantissa = int(a * 10**scale)
        if scale <= places and mantissa < LIMIT:
            return Decimal(f"{sign}{mantissa}E-{scale}")
    e = 0  # 10**e <= a < 10**(e + 1)
    while a >= Fraction(10) ** (e + 1):
        e += 1
    while a < Fraction(10) ** e:
        e -= 1
    quantum = max(e - 27, -places)
    digits = round(a / Fraction(10) ** quantum)  # Fraction rounds half to even
    if digits * Fraction(10) ** quantum >= LIMIT:
        raise OverflowError(x)
    return Decimal(f"{sign}{digits}E{quantum}")


def _fr(value: Any) -> Fraction:
    return Fraction(Decimal(str(value)))


def _shown(value: Any) -> Decimal | None:
    """A reported number, checked to be written plainly (no exponent, no trailing zeros)."""
    if value is None:
        return None
    text = str(value)
    assert "E" not in text.upper(), text
    if "." in text:
        assert not text.endswith("0"), text
    return Decimal(text)


def _check(shown: Any, exact: Fraction, places: int = 28) -> Decimal:
    """A displayed value equals the contract's value of ``exact``."""
    expected = contract(exact, places)
    got = _shown(shown)
    assert got == expected, (shown, exact, expected)
    return expected


def _steps(result: dict[str, Any], op: str) -> list[dict[str, Any]]:
    trail = result["trail"]
    assert trail is not None
    return [s for s in trail["steps"] if s["op"] == op]


def _check_step(step: dict[str, Any], exact: Fraction, places: int = 28) -> None:
    """A trail step's result under the contract, and its ``exact`` flag."""
    expected = contract(exact, places)
    assert Decimal(step["result"]) == expected, (step, exact)
    assert step["exact"] == (Fraction(expected) == exact), (step, exact)


def _check_gap_progress(result: dict[str, Any]) -> None:
    """``gap`` = target - observed and ``progress`` = observed ÷ target * 100 (for a positive
    target and a value of 0 or more), from the reported values, under the contract (left out past
    the range)."""
    observed, target = result["observed"], result["target"]
    if observed is None or target is None:
        return
    o, t = _fr(observed), _fr(target)
    try:
        _check(result["gap"], t - o)
    except OverflowError:
        assert result["gap"] is None
    if t <= 0 or o < 0:
        # A share of a zero or negative target, or of a negative value, says nothing.
        assert result["progress"] is None
        return
    try:
        _check(result["progress"], o * 100 / t)
    except OverflowError:
        assert result["progress"] is None


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        (Fraction(100, 3), "33.33333333333333333333333333"),
        (Fraction(2, 3), "0.6666666666666666666666666667"),
        (Fraction(100, 812345), "0.0001231004068468446288214983"),
        (Fraction(100, 999999937), "0.0000001000000063000003969"),
        (Fraction(1, 7 * 10**20), "0.0000000000000000000014285714"),
        (Fraction(1, 3 * 10**28), "0"),
        (Fraction(2**96 - 2, 3), "26409387504754779197847983440"),
        (Fraction(2**96 - 1, 3), "26409387504754779197847983445"),
        (Fraction(9999999999999999999999999999 + 2), "10000000000000000000000000001"),
        (Fraction(10) + Fraction(1, 10**28), "10"),
    ],
)
def test_contract_reference(exact: Fraction, shown: str) -> None:
    """The reference agrees with the examples of spec/README.md and core/src/arith.rs."""
    assert format(contract(exact).normalize(CONTEXT), "f") == shown


RATE = {
    "type": "rate",
    "numerator": {"from": "series", "series": "num"},
    "denominator": {"from": "series", "series": "den"},
}


@st.composite
def _rates(draw: st.DrawFn) -> tuple[int, int]:
    den = draw(
        st.one_of(
            st.integers(1, 10_000),
            st.integers(1, 10**12),
            st.integers(1, 10**28 - 1),  # up to the 28 digits an input may have
            st.sampled_from([3, 7, 2000, 9999, 812345, 999999937, 7 * 10**20, 10**28 - 1]),
        )
    )
    num = draw(st.one_of(st.integers(0, den), st.just(den), st.just(max(den - 1, 0)), st.just(1)))
    return num, den


def _percents() -> st.SearchStrategy[Decimal]:
    return st.one_of(
        st.sampled_from([Decimal(100), Decimal("99.95"), Decimal("99.9"), Decimal("0.01")]),
        st.decimals(Decimal("0.01"), 100, places=2, allow_nan=False, allow_infinity=False),
    )


@SETTINGS
@given(rate=_rates(), percent=_percents())
@example(rate=(1999, 2000), percent=Decimal(100))
@example(rate=(1, 3), percent=Decimal("33.33"))
@example(rate=(2, 3), percent=Decimal("66.67"))
@example(rate=(1, 812345), percent=Decimal("0.01"))
@example(rate=(1, 999999937), percent=Decimal("0.01"))
@example(rate=(1, 7 * 10**20), percent=Decimal("0.01"))
@example(rate=(1, 10**28 - 1), percent=Decimal("0.01"))
@example(rate=(7, 9), percent=Decimal("77.78"))
def test_rate_quotient_and_full_value_comparison(rate: tuple[int, int], percent: Decimal) -> None:
    num, den = rate
    rule = {**RATE, "target_percent": str(percent)}
    result = _evaluate(
        rule, {"num": {2020: Decimal(num)}, "den": {2020: Decimal(den)}}, "2020-12-31"
    )
    met = num * 100 >= percent * den  # exact: integers and a two-place decimal
    assert result["status"] == ("met" if met else "not_met")
    exact = Fraction(num * 100, den)
    observed = _check(result["observed"], exact)
    if Fraction(observed) != exact:
        assert len(observed.normalize(CONTEXT).as_tuple().digits) <= 28
    (ratio,) = _steps(result, "ratio")
    _check_step(ratio, exact)
    assert _dec(result["target"]) == percent
    _check_gap_progress(result)


@SETTINGS
@given(rate=_rates(), decimals=st.integers(0, 3), data=st.data())
@example(rate=(1999, 2000), decimals=1, data=None)
@example(rate=(1997, 2000), decimals=1, data=None)
@example(rate=(1, 8), decimals=1, data=None)
def test_rounded_value_comparison_half_to_even(
    rate: tuple[int, int], decimals: int, data: st.DataObject | None
) -> None:
    num, den = rate
    rounded = contract(Fraction(num * 100, den), decimals)
    unit = Decimal(1).scaleb(-decimals)
    # Targets at, just above and just below the rounded value decide the boundary.
    # (A target percentage is above 0 and at most 100.)
    candidates = sorted({c for c in (rounded, rounded + unit, rounded - unit) if 0 < c <= 100})
    candidates = candidates or [Decimal(100)]
    # The explicit examples take the rounded value itself.
    percent = candidates[0] if data is None else data.draw(st.sampled_from(candidates))
    if data is None and rounded in candidates:
        percent = rounded
    rule = {**RATE, "target_percent": str(percent)}
    result = _evaluate(
        rule,
        {"num": {2020: Decimal(num)}, "den": {2020: Decimal(den)}},
        "2020-12-31",
        {"method": "rounded_value", "decimals": decimals},
    )
    assert result["status"] == ("met" if rounded >= percent else "not_met"), (
        num,
        den,
        decimals,
        percent,
        rounded,
    )
    (step,) = _steps(result, "round")
    _check_step(step, Fraction(num * 100, den), decimals)
    _check_gap_progress(result)


@st.composite
def _wide(draw: st.DrawFn, negative: bool = False) -> Decimal:
    """Decimals across the whole input range: 1-28 significant digits, 0-28 places."""
    digits = draw(st.integers(1, 28))
    mantissa = draw(
        st.one_of(
            st.integers(10 ** (digits - 1), 10**digits - 1),
            st.sampled_from([10 ** (digits - 1), 10**digits - 1]),
        )
    )
    scale = draw(st.integers(0, 28))
    sign = "-" if negative and draw(st.booleans()) else ""
    return Decimal(f"{sign}{mantissa}E-{scale}")


COUNT = {
    "type": "count",
    "measure": {"from": "series", "series": "money_a", "over_time": "cumulative"},
    "unit": "10k CNY",
}


@SETTINGS
@given(values=st.lists(_wide(), min_size=1, max_size=5), target=_wide())
@example(values=[Decimal("9999999999999999999999999999"), Decimal(2)], target=Decimal(1))
@example(values=[Decimal(10), Decimal("1E-28")], target=Decimal(3))
@example(values=[Decimal("1"), Decimal("1E-28")], target=Decimal("0.0000000000000000000000000003"))
@example(values=[Decimal("9999999999999999999999999999")] * 4, target=Decimal(7))
@example(values=[Decimal("9999999999999999999999999999")] * 8 + [Decimal("0.4")], target=Decimal(7))
def test_sums_gaps_and_progress(values: list[Decimal], target: Decimal) -> None:
    """A cumulative count: the sum (one addition at a time, in year order), its trail step, the
    gap and the progress, over the whole range of input digits and places."""
    values = values[:5]
    years = range(2016, 2016 + len(values))
    rule = {**COUNT, "target": str(target)}
    result = _evaluate(rule, {"money_a": dict(zip(years, values, strict=True))}, "2020-12-31")
    total, exact = Fraction(0), True
    try:
        for v in values:
            added = Fraction(contract(total + Fraction(v)))
            exact = exact and added == total + Fraction(v)
            total = added
    except OverflowError:
        assert result["status"] == "not_assessable"
        assert result["reason"]["code"] == "arithmetic_overflow"
        return
    _check(result["observed"], total)
    if total >= Fraction(target):
        assert result["status"] == "met"
    elif len(values) == 5:
        assert result["status"] == "not_met"
    else:
        # The deadline's year (2020) has no value: a shortfall before it is not final.
        assert result["status"] == "not_assessable"
        assert result["reason"]["code"] == "missing_value"
    steps = _steps(result, "sum")
    if len(values) > 1:
        (step,) = steps
        assert Fraction(Decimal(step["result"])) == total
        assert step["exact"] == exact
    _check_gap_progress(result)


def _grade(r: Decimal) -> str | None:
    if r >= Decimal("0.95"):
        return None
    if r >= Decimal("0.60"):
        return "accelerate"
    if r >= 0:
        return "insufficient"
    return "regressing"


def _cagr(to: Decimal, start: Decimal, years: int) -> Decimal:
    factor = contract(Fraction(to) / Fraction(start))
    with localcontext(CONTEXT):
        root = factor ** (Decimal(1) / Decimal(years)) if factor else Decimal(0)
    return _round(root, 16) - 1


_AMOUNTS = st.decimals(
    Decimal("0.01"), Decimal("1000000"), places=2, allow_nan=False, allow_infinity=False
)


@SETTINGS
@given(
    baseline=_AMOUNTS,
    target=_AMOUNTS,
    value=st.one_of(_AMOUNTS, st.just(Decimal(0))),
    year=st.integers(2016, 2019),
)
@example(baseline=Decimal(60), target=Decimal(100), value=Decimal(90), year=2017)
@example(baseline=Decimal(100), target=Decimal(200), value=Decimal(100), year=2018)
@example(baseline=Decimal(50), target=Decimal(100), value=Decimal(40), year=2016)
def test_cagr_and_r(baseline: Decimal, target: Decimal, value: Decimal, year: int) -> None:
    rule = {
        "type": "count",
        "measure": {"from": "series", "series": "level"},
        "target": str(target),
        "unit": "units",
    }
    result = _evaluate(rule, {"level": {2015: baseline, year: value}}, f"{year}-12-31")
    if value >= target:
        assert result["status"] == "met"
        return
    trajectory = result["trajectory"]
    if baseline >= target:
        assert (result["status"], result["grade"]) == ("off_track", "regressing")
        assert trajectory["method"] == "baseline_at_target"
        return
    observed = _cagr(value, baseline, year - 2015)
    required = _cagr(target, baseline, 2020 - 2015)
    assert trajectory["method"] == "cagr"
    assert _dec(trajectory["observed_growth"]) == observed
    assert _dec(trajectory["required_growth"]) == required
    factors = _steps(result, "ratio")
    _check_step(factors[0], Fraction(value) / Fraction(baseline))
    _check_step(factors[1], Fraction(target) / Fraction(baseline))
    r = _check(trajectory["r"], Fraction(observed) / Fraction(required), 6)
    (r_step,) = _steps(result, "r")
    _check_step(r_step, Fraction(observed) / Fraction(required), 6)
    _check_gap_progress(result)
    grade = _grade(r)
    assert result["grade"] == grade
    assert result["status"] == ("on_track" if grade is None else "off_track")


@SETTINGS
@given(target=_wide(), value=_wide(), year=st.integers(2016, 2019))
@example(target=Decimal("9999999999999999999999999999"), value=Decimal(1), year=2018)
@example(target=Decimal(1), value=Decimal("1E-28"), year=2018)
@example(target=Decimal(3), value=Decimal(1), year=2016)
@example(target=Decimal("2E-28"), value=Decimal("1E-28"), year=2016)
def test_linear_trajectory(target: Decimal, value: Decimal, year: int) -> None:
    """From a zero baseline the straight line: yearly changes under the contract, R at 6."""
    rule = {
        "type": "count",
        "measure": {"from": "series", "series": "level"},
        "target": str(target),
        "unit": "units",
    }
    result = _evaluate(rule, {"level": {2015: Decimal(0), year: value}}, f"{year}-12-31")
    if value >= target:
        assert result["status"] == "met"
        return
    trajectory = result["trajectory"]
    assert trajectory["method"] == "linear"
    observed = _check(trajectory["observed_growth"], Fraction(value) / (year - 2015))
    required = _check(trajectory["required_growth"], Fraction(target) / 5)
    steps = _steps(result, "growth")
    _check_step(steps[0], Fraction(value) / (year - 2015))
    _check_step(steps[1], Fraction(target) / 5)
    if required == 0:  # a change per year below 28 places: nothing is required
        assert trajectory["r"] is None
        assert result["grade"] == ("regressing" if observed < 0 else None)
        return
    r = _check(trajectory["r"], Fraction(observed) / Fraction(required), 6)
    grade = _grade(r)
    assert result["grade"] == grade
    _check_gap_progress(result)


def _growth(a: Decimal, b: Decimal) -> Decimal:
    """(b - a) / a: exact when a decimal holds it, else rounded half-even once to 16 places."""
    g = (Fraction(b) - Fraction(a)) / Fraction(a)
    exact = contract(g)
    return exact if Fraction(exact) == g else contract(g, 16)


@SETTINGS
@given(
    sa=_AMOUNTS,
    sb=_AMOUNTS,
    ba=_AMOUNTS,
    bb=_AMOUNTS,
    year=st.integers(2016, 2019),
)
@example(sa=Decimal(100), sb=Decimal(112), ba=Decimal(100), bb=Decimal("110.25"), year=2017)
@example(sa=Decimal(100), sb=Decimal(105), ba=Decimal(100), bb=Decimal(105), year=2016)
def test_growth_rates(sa: Decimal, sb: Decimal, ba: Decimal, bb: Decimal, year: int) -> None:
    rule = {
        "type": "growth_comparison",
        "subject": {"from": "series", "series": "money_a"},
        "benchmark": {"from": "series", "series": "money_b"},
        "mode": "cumulative",
    }
    series = {"money_a": {2015: sa, year: sb}, "money_b": {2015: ba, year: bb}}
    result = _evaluate(rule, series, f"{year}-12-31")
    gs, gb = _growth(sa, sb), _growth(ba, bb)
    _check(result["observed"], Fraction(gs) * 100)
    _check(result["target"], Fraction(gb) * 100)
    growths = _steps(result, "growth")
    assert [Decimal(g["result"]) for g in growths] == [gs, gb]
    assert [g["exact"] for g in growths] == [
        Fraction(gs) == (Fraction(sb) - Fraction(sa)) / Fraction(sa),
        Fraction(gb) == (Fraction(bb) - Fraction(ba)) / Fraction(ba),
    ]
    _check_gap_progress(result)
    holds = (sb - sa) * ba > (bb - ba) * sa  # exact: strictly higher growth
    if holds:
        assert (result["status"], result["grade"]) == ("on_track", None)
        return
    assert result["status"] == "off_track"
    trajectory = result["trajectory"]
    if gb > 0:
        r = _check(trajectory["r"], Fraction(gs) / Fraction(gb), 6)
        (r_step,) = _steps(result, "r")
        _check_step(r_step, Fraction(gs) / Fraction(gb), 6)
        expected = (
            "accelerate" if r >= Decimal("0.60") else "insufficient" if r >= 0 else "regressing"
        )
    else:
        expected = "regressing" if gs < 0 else "insufficient"
    assert result["grade"] == expected, (sa, sb, ba, bb, gs, gb)


def test_reference_contexts_are_documented() -> None:
    """The module docstring states the precision and rounding the reference uses."""
    assert "prec=PREC, rounding=ROUND_HALF_EVEN" in (__doc__ or "")
    assert CONTEXT.prec == PREC
    assert CONTEXT.rounding == ROUND_HALF_EVEN


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
