#!/usr/bin/env python3
"""Writes the conformance cases under tests/vectors/cases/ (stdlib only, deterministic).

Each case is the input of one evaluation plus the verdicts a person decided by hand (`checks`).
The full expected report (or error) is produced once by the Rust engine with
`UPDATE_VECTORS=1 cargo test -p plan-rules --test vectors`, reviewed, committed under
tests/vectors/expected/, and from then on every binding must reproduce it byte for byte.

    python3 tests/vectors/generate.py
"""
import json
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"


def T(zh, en):
    return {"zh": zh, "en": en}


DICTIONARY = {
    "series": {
        "num": {"title": T("分子", "numerator"), "type": "count", "unit": "persons", "at_most": "den"},
        "den": {"title": T("分母", "denominator"), "type": "count", "unit": "persons"},
        "bases": {"title": T("基地", "bases"), "type": "count", "unit": "bases"},
        "flow": {"title": T("当年人数", "yearly number"), "type": "count", "unit": "persons"},
        "level": {"title": T("水平", "level"), "type": "quantity", "unit": "units"},
        "years": {"title": T("年限", "years"), "type": "quantity", "unit": "years"},
        "money_a": {"title": T("拨款", "appropriation"), "type": "quantity", "unit": "10k CNY"},
        "money_b": {"title": T("收入", "revenue"), "type": "quantity", "unit": "10k CNY"},
        "share": {"title": T("比例", "share"), "type": "percent", "unit": "%"},
    },
    "entity_kinds": {
        "school": {
            "title": T("学校", "school"),
            "attributes": {"level": {"title": T("学段", "level"), "allowed": ["primary", "secondary", "special"]}},
            "fields": {
                "eligible": {"title": T("应测", "eligible"), "type": "count", "unit": "persons", "required": True},
                "passed": {"title": T("合格", "passed"), "type": "count", "unit": "persons", "at_most": "eligible"},
                "active": {"title": T("参与", "takes part"), "type": "flag"},
                "staff": {"title": T("人员", "staff"), "type": "count", "unit": "persons"},
                "stage": {"title": T("阶段", "stage"), "type": "state", "states": ["none", "partial", "full"]},
            },
        },
        "project": {
            "title": T("项目", "project"),
            "fields": {"state": {"title": T("状态", "state"), "type": "state", "states": ["planned", "building", "in_use"]}},
        },
    },
}


def target(tid, rule, **extra):
    t = {
        "id": tid, "title": T(f"目标{tid}", f"target {tid}"), "description": T("测试", "test"),
        "category": T("测试", "test"), "importance": "key", "deadline": "2020-12-31",
        "deadline_basis": "plan_end",
        "citation": {"source": "annex1", "location": T("附件1", "annex 1"), "quote": "达到100%。"},
        "rule": rule,
    }
    t.update(extra)
    return t


def plan(*targets):
    return {
        "id": "vector-plan", "version": "1", "title": T("测试规划", "test plan"), "source": T("测试", "test"),
        "period": {"start": "2016-01-01", "end": "2020-12-31"}, "baseline_year": 2015,
        "dictionary": DICTIONARY, "targets": list(targets),
    }


def series(**kw):
    return {"series": {name: {"values": {str(y): v for y, v in vals.items()}} for name, vals in kw.items()}}


def rate(p="100"):
    return {"type": "rate", "numerator": {"from": "series", "series": "num"},
            "denominator": {"from": "series", "series": "den"}, "target_percent": p}


def count(name="bases", unit="bases", n="100", over=None):
    m = {"from": "series", "series": name}
    if over:
        m["over_time"] = over
    return {"type": "count", "measure": m, "target": n, "unit": unit}


def approx(above="met"):
    return {"type": "approximate_count", "measure": {"from": "series", "series": "flow"}, "nominal": "30",
            "lower": "27", "upper": "33", "unit": "persons", "above_band": above}


def cover(condition=None, **kw):
    r = {"type": "coverage", "entity_kind": "school", "condition": condition or {"test": "is_true", "field": "active"}}
    r.update(kw)
    return r


def growth(mode="year_over_year", **kw):
    r = {"type": "growth_comparison", "subject": {"from": "series", "series": "money_a"},
         "benchmark": {"from": "series", "series": "money_b"}, "mode": mode}
    r.update(kw)
    return r


def milestones():
    return {"type": "milestones", "entity_kind": "project", "state_field": "state", "required_state": "in_use",
            "items": [{"id": "P1", "name": T("一号", "one")}, {"id": "P2", "name": T("二号", "two")}]}


def schools(*rows, year="2020"):
    ents = []
    for row in rows:
        sid, rec = row[0], row[1]
        e = {"kind": "school", "id": sid, "records": {year: rec} if rec is not None else {}}
        if len(row) > 2:
            e.update(row[2])
        ents.append(e)
    return {"entities": ents}


def projects(**states):
    return {"entities": [{"kind": "project", "id": k, "records": {"2020": {"state": v}}} for k, v in states.items()]}


CASES_LIST = []


def case(name, description, plan_value, data, as_of, checks=None, error=None, options=None):
    c = {"description": description, "plan": plan_value, "data": data, "as_of": as_of}
    if options:
        c["options"] = options
    if error:
        c["expected"] = {"error": error}
    else:
        c["expected"] = f"expected/{name}.json"
        c["checks"] = checks or {}
    CASES_LIST.append((name, c))


def one(name, description, rule, data, as_of, status, grade=None, target_extra=None, **kw):
    case(name, description, plan(target("T", rule, **(target_extra or {}))), data, as_of,
         checks={"T": [status, grade]}, **kw)


S = lambda **kw: series(**kw)  # noqa: E731

# --- rate ---------------------------------------------------------------------------------------
one("rate-exactly-100", "2000 of 2000 is exactly 100%: met (达到 is inclusive)", rate(), S(num={2020: 2000}, den={2020: 2000}), "2020-12-31", "met")
one("rate-99.95-full-value", "1999 of 2000 is 99.95%: full-value comparison does not reach 100%", rate(), S(num={2020: 1999}, den={2020: 2000}), "2020-12-31", "not_met")
one("rate-99.95-rounded-1dp", "99.95% rounded half-even to 1 place is 100.0: met under rounded-value comparison", rate(), S(num={2020: 1999}, den={2020: 2000}), "2020-12-31", "met", target_extra={"comparison": {"method": "rounded_value", "decimals": 1}})
one("rate-99.85-rounded-half-even", "99.85% rounds half-even to 99.8, short of 99.9", rate("99.9"), S(num={2020: 1997}, den={2020: 2000}), "2020-12-31", "not_met", target_extra={"comparison": {"method": "rounded_value", "decimals": 1}})
one("rate-99.95-rounded-0dp", "99.95% rounded to 0 places is 100: met", rate(), S(num={2020: 1999}, den={2020: 2000}), "2020-12-31", "met", target_extra={"comparison": {"method": "rounded_value", "decimals": 0}})
one("rate-one-below", "89 of 100 against 90%: one unit below, not met", rate("90"), S(num={2020: 89}, den={2020: 100}), "2020-12-31", "not_met")
one("rate-at-90", "90 of 100 against 90%: met", rate("90"), S(num={2020: 90}, den={2020: 100}), "2020-12-31", "met")
one("rate-one-third", "1 of 3 is 33.33…%: reaches 33.33 but not 33.34", rate("33.33"), S(num={2020: 1}, den={2020: 3}), "2020-12-31", "met")
one("rate-zero-denominator", "0 of 0: zero denominator, not assessable", rate(), S(num={2020: 0}, den={2020: 0}), "2020-12-31", "not_assessable")
one("rate-missing-denominator", "no denominator: missing value, not assessable (skip_if_any)", rate(), S(num={2020: 10}), "2020-12-31", "not_assessable")
one("rate-no-data", "no data at all: not assessable, never met", rate(), {}, "2020-12-31", "not_assessable")
one("rate-never-skip", "never_skip: a missing numerator is 0", rate(), S(den={2020: 10}), "2020-12-31", "not_met", target_extra={"missing_data": "never_skip"})
one("rate-skip-if-all-one-missing", "skip_if_all with the denominator missing: not assessable (a single value cannot be left out)", rate(), S(num={2020: 10}), "2020-12-31", "not_assessable", target_extra={"missing_data": "skip_if_all"})
one("rate-numerator-above-denominator", "11 of 10: inconsistent total diagnostic, not assessable", rate(), S(num={2020: 11}, den={2020: 10}), "2020-12-31", "not_assessable")
one("rate-explicit-null", "an explicit null in the latest year is missing, not skipped", rate(), S(num={2019: 10, 2020: None}, den={2019: 10, 2020: 10}), "2020-12-31", "not_assessable")
TRAJ = S(num={2015: 50, 2019: 80, 2020: 90}, den={2015: 100, 2019: 100, 2020: 100})
one("deadline-day-before", "2020-12-30: the 2020 value is not yet visible; 2019 gives the trajectory", rate(), TRAJ, "2020-12-30", "off_track", "accelerate")
one("deadline-day", "2020-12-31, the deadline day: final judgement on 2020", rate(), TRAJ, "2020-12-31", "not_met")
one("deadline-day-after", "2021-01-01: still not met", rate(), TRAJ, "2021-01-01", "not_met")
one("data-after-deadline-ignored", "a 2019 value that reaches the target does not rescue a 2018 deadline", rate(),
    S(num={2015: 50, 2018: 90, 2019: 100}, den={2015: 100, 2018: 100, 2019: 100}), "2020-12-31", "not_met", target_extra={"deadline": "2018-12-31"})
one("rate-entity-sum-filtered", "passed / eligible over primary and secondary schools; the special school is filtered out; school B is named",
    {"type": "rate", "numerator": {"from": "entity_sum", "entity_kind": "school", "field": "passed", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]},
     "denominator": {"from": "entity_sum", "entity_kind": "school", "field": "eligible", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]}, "target_percent": "100"},
    schools(("A", {"eligible": 100, "passed": 100}, {"attributes": {"level": "primary"}}), ("B", {"eligible": 50, "passed": 45}, {"attributes": {"level": "secondary"}}), ("C", {"eligible": 10, "passed": 0}, {"attributes": {"level": "special"}})),
    "2020-12-31", "not_met")

# --- trajectories ---------------------------------------------------------------------------------
def traj(latest):
    return S(num={2015: 50, 2018: latest}, den={2015: 100, 2018: 100})
one("trajectory-on-track", "50% → 76% in 3 years, 100% due in 5: R ≈ 1.01, on track", rate(), traj(76), "2019-06-30", "on_track")
one("trajectory-accelerate", "50% → 68%: R ≈ 0.73, accelerate", rate(), traj(68), "2019-06-30", "off_track", "accelerate")
one("trajectory-insufficient", "50% → 55%: R ≈ 0.22, insufficient", rate(), traj(55), "2019-06-30", "off_track", "insufficient")
one("trajectory-flat", "flat at 50%: R = 0, insufficient", rate(), traj(50), "2019-06-30", "off_track", "insufficient")
one("trajectory-regressing", "50% → 45%: R < 0, regressing", rate(), traj(45), "2019-06-30", "off_track", "regressing")
one("trajectory-baseline-at-target", "100% at the baseline, 98% now: regressing", rate(), S(num={2015: 100, 2017: 98}, den={2015: 100, 2017: 100}), "2018-01-01", "off_track", "regressing")
one("trajectory-only-baseline", "only 2015 visible: fewer than two data points", rate(), S(num={2015: 50}, den={2015: 100}), "2016-06-30", "not_assessable")
one("trajectory-missing-baseline", "no 2015 value: missing baseline", rate(), S(num={2018: 50}, den={2018: 100}), "2018-12-31", "not_assessable")
one("trajectory-met-at-baseline", "already 100% at the baseline: met", rate(), S(num={2015: 100}, den={2015: 100}), "2016-06-30", "met")
LIN = lambda v: S(level={2015: 0, 2019: v})  # noqa: E731
one("linear-r-exactly-0.95", "zero baseline, straight line: 19 a year against 20 required is R = 0.95, on track", count("level", "units", "100"), LIN("76"), "2019-12-31", "on_track")
one("linear-r-just-below-0.95", "75.99 after 4 years: R = 0.949875, accelerate", count("level", "units", "100"), LIN("75.99"), "2019-12-31", "off_track", "accelerate")
one("linear-r-exactly-0.60", "48 after 4 years: R = 0.6, accelerate", count("level", "units", "100"), LIN("48"), "2019-12-31", "off_track", "accelerate")
one("linear-r-just-below-0.60", "47.99 after 4 years: R = 0.59975, insufficient", count("level", "units", "100"), LIN("47.99"), "2019-12-31", "off_track", "insufficient")
one("linear-r-zero", "still 0 after 4 years: R = 0, insufficient", count("level", "units", "100"), LIN("0"), "2019-12-31", "off_track", "insufficient")
one("trajectory-negative-baseline-rejected", "a negative baseline is a negative_value diagnostic: missing baseline", count("level", "units", "100"), S(level={2015: -5, 2018: 40}), "2018-12-31", "not_assessable")

# --- count, duration, approximate ---------------------------------------------------------------
one("count-exactly-n", "100 bases against 100: met", count(), S(bases={2015: 60, 2020: 100}), "2020-12-31", "met")
one("count-n-minus-one", "99 bases against 100 at the deadline: not met", count(), S(bases={2015: 60, 2020: 99}), "2020-12-31", "not_met")
one("count-cumulative-met", "10 a year for five years is 50: met", count("flow", "persons", "50", "cumulative"), S(flow={2016: 10, 2017: 10, 2018: 10, 2019: 10, 2020: 10}), "2020-12-31", "met")
one("count-cumulative-mid-term", "30 of 50 after 3 years from zero: R = 1, on track", count("flow", "persons", "50", "cumulative"), S(flow={2016: 10, 2017: 10, 2018: 10}), "2018-12-31", "on_track")
one("count-cumulative-gap-year", "a missing year inside a cumulative sum: not assessable", count("flow", "persons", "50", "cumulative"), S(flow={2016: 10, 2018: 10}), "2018-12-31", "not_assessable")
one("count-fractional", "99.5 bases: fractional_count, not assessable", count(), S(bases={2015: 60, 2020: "99.5"}), "2020-12-31", "not_assessable")
one("count-negative", "-1 bases: negative_value, not assessable", count(), S(bases={2015: 60, 2020: -1}), "2020-12-31", "not_assessable")
DUR = {"type": "duration", "measure": {"from": "series", "series": "years"}, "target_years": "15"}
one("duration-met", "15 years of free education: met", DUR, S(years={2015: 12, 2020: 15}), "2020-12-31", "met")
one("duration-not-met", "14 years: not met", DUR, S(years={2015: 12, 2020: 14}), "2020-12-31", "not_met")
one("duration-flat", "12 years at mid-term, as at the baseline: insufficient", DUR, S(years={2015: 12, 2018: 12}), "2018-12-31", "off_track", "insufficient")
for v, above, st in [("26", "met", "not_met"), ("27", "met", "met"), ("30", "met", "met"), ("33", "not_met", "met"), ("34", "met", "met"), ("34", "not_met", "not_met")]:
    one(f"approx-{v}-above-{above}", f"about 30 (band 27-33), {v} with above_band={above}", approx(above), S(flow={2020: int(v)}), "2020-12-31", st)

# --- coverage -------------------------------------------------------------------------------------
one("coverage-all-met", "every school takes part: met", cover(), schools(("A", {"active": True}), ("B", {"active": True})), "2020-12-31", "met")
one("coverage-one-unmet", "one school of three does not: not met, B named", cover(), schools(("A", {"active": True}), ("B", {"active": False}), ("C", {"active": True})), "2020-12-31", "not_met")
one("coverage-missing-skip-if-any", "one school without data: not assessable, counts shown", cover(), schools(("A", {"active": True}), ("B", {"eligible": 1})), "2020-12-31", "not_assessable")
one("coverage-missing-skip-if-all", "skip_if_all: the school without data is left out: met", cover(), schools(("A", {"active": True}), ("B", {"eligible": 1})), "2020-12-31", "met", target_extra={"missing_data": "skip_if_all"})
one("coverage-missing-never-skip", "never_skip: the school without data does not take part: not met", cover(), schools(("A", {"active": True}), ("B", {"eligible": 1})), "2020-12-31", "not_met", target_extra={"missing_data": "never_skip"})
one("coverage-empty-population", "no school active in 2020: empty population, never met", cover(), schools(("A", {"active": True}, {"active_from": 2021})), "2020-12-31", "not_assessable")
one("coverage-inactive-excluded", "a school closed in 2019 is outside the 2020 population", cover(), {"entities": [{"kind": "school", "id": "A", "records": {"2020": {"active": True}}}, {"kind": "school", "id": "OLD", "active_until": 2019, "records": {"2019": {"active": False}}}]}, "2020-12-31", "met")
one("coverage-ratio-condition", "each school's pass rate ≥ 90%: B at 80% is named", cover({"test": "ratio_at_least", "numerator": "passed", "denominator": "eligible", "percent": "90"}), schools(("A", {"eligible": 10, "passed": 9}), ("B", {"eligible": 10, "passed": 8})), "2020-12-31", "not_met")
one("coverage-at-least", "each school has at least one staff member in exchange", cover({"test": "at_least", "field": "staff", "value": "1"}), schools(("A", {"staff": 1}), ("B", {"staff": 3})), "2020-12-31", "met")
one("coverage-state-reached", "each school reached stage `partial` or beyond", cover({"test": "state_reached", "field": "stage", "state": "partial"}), schools(("A", {"stage": "full"}), ("B", {"stage": "none"})), "2020-12-31", "not_met")
one("coverage-share-target", "a coverage target of 50%: 1 of 2 reaches it", cover(target_percent="50"), schools(("A", {"active": True}), ("B", {"active": False})), "2020-12-31", "met")
one("coverage-filtered", "only primary schools count", cover(filter=[{"attribute": "level", "one_of": ["primary"]}]), schools(("A", {"active": True}, {"attributes": {"level": "primary"}}), ("B", {"active": False}, {"attributes": {"level": "special"}})), "2020-12-31", "met")

# --- growth comparison ----------------------------------------------------------------------------
A_OK = {2015: "100", 2016: "110", 2017: "121", 2018: "133.1", 2019: "146.41", 2020: "161.051"}
B_OK = {2015: "100", 2016: "105", 2017: "110.25", 2018: "115.7625", 2019: "121.550625", 2020: "127.62815625"}
one("growth-met", "10% a year against 5% a year, every year: met at the deadline", growth(), S(money_a=A_OK, money_b=B_OK), "2020-12-31", "met")
one("growth-on-track", "every year so far: on track", growth(), S(money_a=A_OK, money_b=B_OK), "2018-12-31", "on_track")
one("growth-cumulative", "cumulative 2015-2020: met", growth("cumulative"), S(money_a=A_OK, money_b=B_OK), "2020-12-31", "met")
one("growth-one-year-insufficient", "2016→2017 grew 1.82% against 5%: R = 0.36, insufficient", growth(), S(money_a={2015: "100", 2016: "110", 2017: "112"}, money_b={2015: "100", 2016: "105", 2017: "110.25"}), "2017-12-31", "off_track", "insufficient")
one("growth-one-year-accelerate", "4% against 5%: R = 0.8, accelerate", growth(), S(money_a={2015: "100", 2016: "104"}, money_b={2015: "100", 2016: "105"}), "2016-12-31", "off_track", "accelerate")
one("growth-regressing", "the subject shrank while the benchmark grew: regressing", growth(), S(money_a={2015: "100", 2016: "98"}, money_b={2015: "100", 2016: "105"}), "2016-12-31", "off_track", "regressing")
one("growth-equal-strict", "equal growth is not higher", growth(), S(money_a={2015: "100", 2016: "105"}, money_b={2015: "200", 2016: "210"}), "2016-12-31", "off_track", "accelerate")
one("growth-equal-not-strict", "equal growth passes when strict is false", growth(strict=False), S(money_a={2015: "100", 2016: "105"}, money_b={2015: "200", 2016: "210"}), "2016-12-31", "on_track")
one("growth-non-positive-base", "growth from 0: not assessable", growth(), S(money_a={2015: "0", 2016: "10"}, money_b={2015: "100", 2016: "110"}), "2016-12-31", "not_assessable")
one("growth-one-year-only", "one year of data: fewer than two points", growth(), S(money_a={2015: "100"}, money_b={2015: "100"}), "2016-12-31", "not_assessable")
one("growth-missing-final-year", "no 2020 subject value: not assessable at the deadline", growth(), S(money_a={k: v for k, v in A_OK.items() if k < 2020}, money_b=B_OK), "2020-12-31", "not_assessable")
one("growth-failure-outranks-gap", "2016 failed, 2020 missing: not met", growth(), S(money_a={2015: "100", 2016: "100", 2017: "121", 2018: "133.1", 2019: "146.41"}, money_b=B_OK), "2020-12-31", "not_met")

# --- milestones -----------------------------------------------------------------------------------
one("milestones-met", "both projects in use: met", milestones(), projects(P1="in_use", P2="in_use"), "2020-12-31", "met")
one("milestones-one-building", "P2 still building: not met, P2 named", milestones(), projects(P1="in_use", P2="building"), "2020-12-31", "not_met")
one("milestones-missing-skip-if-any", "P2 has no record: not assessable", milestones(), projects(P1="in_use"), "2020-12-31", "not_assessable")
one("milestones-missing-never-skip", "never_skip: P2 without a record is not in use", milestones(), projects(P1="in_use"), "2020-12-31", "not_met", target_extra={"missing_data": "never_skip"})
one("milestones-unknown-entity", "P9 is not a listed item: unknown_entity, not assessable", milestones(), projects(P1="in_use", P2="in_use", P9="in_use"), "2020-12-31", "not_assessable")
one("milestones-invalid-state", "`opened` is not a state: invalid_state, not assessable", milestones(), projects(P1="in_use", P2="opened"), "2020-12-31", "not_assessable")

# --- all-of ---------------------------------------------------------------------------------------
def all_of(*parts):
    return {"type": "all_of", "parts": [{"id": pid, "title": T(pid, pid), "rule": r} for pid, r in parts]}
AO = all_of(("a", count("bases", "bases", "10")), ("b", count("flow", "persons", "10")))
one("all-of-met", "both parts met", AO, S(bases={2020: 10}, flow={2020: 10}), "2020-12-31", "met")
one("all-of-one-not-met", "one part short: not met", AO, S(bases={2020: 10}, flow={2020: 9}), "2020-12-31", "not_met")
one("all-of-one-not-assessable", "one part without data: not assessable", AO, S(bases={2020: 10}), "2020-12-31", "not_assessable")
one("all-of-worst-part", "on track, regressing and not assessable: off track, regressing",
    all_of(("a", count("bases", "bases", "100")), ("b", count("flow", "persons", "100")), ("c", count("years", "years", "100"))),
    S(bases={2015: 10, 2018: 80}, flow={2015: 50, 2018: 40}), "2018-12-31", "off_track", "regressing")

# --- diagnostics (each code; the count target reads `bases`) --------------------------------------
def diag(name, description, data, code=None):
    code = code or name.replace("-", "_")
    case(f"diagnostic-{name}", description, plan(target("T", count()), target("R", rate())), data, "2020-12-31",
         checks={"$diagnostics": [code]})
diag("invalid-type", "a boolean where a count belongs", S(bases={2020: True}))
diag("invalid-number", "text that is not a number", S(bases={2020: "lots"}))
diag("too-many-digits", "29 significant digits is an error, not a rounding", S(bases={2020: "1.0000000000000000000000000001"}), "invalid_number")
diag("negative-value", "a negative count", S(bases={2020: -3}))
diag("fractional-count", "a count with a fraction", S(bases={2020: 2.5}))
diag("percent-out-of-range", "a percentage above 100", S(share={2020: 100.5}))
diag("inconsistent-total", "a numerator above its at_most total", S(num={2020: 12}, den={2020: 10}))
diag("invalid-state", "a state that is not in the list", schools(("A", {"eligible": 1, "stage": "most"})))
diag("missing-required", "a school record without the required eligible count", schools(("A", {"passed": 1})))
diag("invalid-period", "a year key that is not a year", {"series": {"bases": {"values": {"20x0": 1}}}})
diag("period-outside-plan", "a year after the plan", S(bases={2021: 100}))
diag("unknown-series", "a series the plan does not read (warning, ignored)", S(mystery={2020: 1}))
diag("unknown-entity-kind", "an entity kind the plan does not know (warning, ignored)", {"entities": [{"kind": "alien", "id": "Z"}]})
diag("unknown-field", "a field a school does not have (warning, ignored)", schools(("A", {"eligible": 1, "colour": "red"})))
diag("invalid-attribute", "an attribute value outside the allowed list", schools(("A", {"eligible": 1}, {"attributes": {"level": "college"}})))
diag("duplicate-entity", "two schools with one id", schools(("A", {"eligible": 1}), ("A", {"eligible": 2})))
diag("unit-mismatch", "a series given in another unit", {"series": {"bases": {"unit": "sites", "values": {"2020": 100}}}})
diag("invalid-active-years", "active_from after active_until", schools(("A", {"eligible": 1}, {"active_from": 2019, "active_until": 2017})))
case("diagnostic-unknown-entity", "a project that is not a listed item", plan(target("M", milestones())), projects(P1="in_use", P2="in_use", PX="planned"), "2020-12-31", checks={"M": ["not_assessable", None], "$diagnostics": ["unknown_entity"]})

# --- malformed input: errors with code and path ---------------------------------------------------
case("error-data-wrong-shape", "series must be an object", plan(target("T", count())), {"series": []}, "2020-12-31", error={"code": "invalid_shape", "path": "/series"})
case("error-data-value-array", "a value cannot be an array", plan(target("T", count())), {"series": {"bases": {"values": {"2020": [1]}}}}, "2020-12-31", error={"code": "invalid_shape", "path": "/series/bases/values/2020"})
case("error-data-entity-without-id", "an entity needs an id", plan(target("T", count())), {"entities": [{"kind": "school"}]}, "2020-12-31", error={"code": "invalid_shape", "path": "/entities/0"})
case("error-data-unknown-field", "unknown top-level fields are rejected", plan(target("T", count())), {"extra": 1}, "2020-12-31", error={"code": "invalid_shape", "path": "/extra"})
case("error-as-of-invalid", "2020-02-30 is not a date", plan(target("T", count())), {}, "2020-02-30", error={"code": "invalid_as_of", "path": "/as_of"})
case("error-plan-unknown-kind", "a rule kind that does not exist names the target", plan(target("T", {"type": "ratio"})), {}, "2020-12-31", error={"code": "unknown_kind", "path": "/targets/0/rule/type"})
case("error-plan-duplicate-id", "two targets with one id", plan(target("T", count()), target("T", count())), {}, "2020-12-31", error={"code": "duplicate_id", "path": "/targets/1/id"})
case("error-plan-shape", "importance must be key or supporting", plan(target("T", count(), importance="very")), {}, "2020-12-31", error={"code": "invalid_shape", "path": "/targets/0/importance"})
case("error-plan-too-precise", "a target with 29 significant digits is rejected", plan(target("T", count(n="1.0000000000000000000000000001"))), {}, "2020-12-31", error={"code": "invalid_shape", "path": "/targets/0/rule/target"})
case("error-plan-rate-units", "a rate dividing persons by bases", plan(target("T", {"type": "rate", "numerator": {"from": "series", "series": "num"}, "denominator": {"from": "series", "series": "bases"}, "target_percent": "100"})), {}, "2020-12-31", error={"code": "rate_unit_mismatch", "path": None})

# --- the embedded plan and sample -----------------------------------------------------------------
for as_of in ["2016-06-30", "2018-12-31", "2020-12-31"]:
    case(f"xicheng-sample-{as_of}", f"the Xicheng plan on the synthetic sample at {as_of} (no trails)",
         "spec/plans/xicheng-education-2016-2020.json", "spec/samples/xicheng-sample-2015-2020.json", as_of,
         checks={}, options={"trail": False})

# --- nesting beyond the documented limit (128 levels), whichever door the data comes through ----
def nested(depth):
    v = 1
    for _ in range(depth):
        v = [v]
    return v


case("error-data-too-deep", "a value nested 300 levels deep is refused with too_deep, not a crash",
     plan(target("T", count())), {"series": {"bases": {"values": {"2020": nested(300)}}}}, "2020-12-31",
     error={"code": "too_deep", "path": None})


# --- regressions found by the row agreement test (appended, so earlier cases keep their numbers) --
case("total-that-is-itself-bad", "5 of a denominator of 0.5 (itself a fractional count): the part is above its total all the same; bad data",
     plan(target("T", rate())), S(num={2020: 5}, den={2020: "0.5"}), "2020-12-31",
     checks={"T": ["not_assessable", None], "$diagnostics": ["inconsistent_total", "fractional_count"]})
case("bad-entity-without-the-fields", "a school with a level the dictionary does not allow and none of the target's fields: its record is bad data, not no data",
     plan(target("T", cover())), schools(("A", {"eligible": 1}, {"attributes": {"level": "college"}})), "2020-12-31",
     checks={"T": ["not_assessable", None], "$diagnostics": ["invalid_attribute"]})

# --- the vocabulary of plan indicator tables (issue 12): bounds, changes, every year, in step,
# aspirations, gross rates, signed series, qualitative targets, binding or indicative -------------
import copy

DICTIONARY12 = copy.deepcopy(DICTIONARY)
DICTIONARY12["series"].update({
    "unemployment": {"title": T("城镇调查失业率", "surveyed urban unemployment rate"), "type": "percent", "unit": "%"},
    "capacity": {"title": T("粮食综合生产能力", "grain production capacity"), "type": "quantity", "unit": "100m t"},
    "life": {"title": T("人均预期寿命", "life expectancy"), "type": "quantity", "unit": "years"},
    "intensity": {"title": T("单位GDP能耗", "energy per unit of GDP"), "type": "quantity", "unit": "tce per 10k CNY"},
    "intensity_rate": {"title": T("单位GDP能耗年度变化率", "yearly change of energy per unit of GDP"), "type": "percent", "unit": "%", "signed": True},
    "output": {"title": T("产出", "output"), "type": "quantity", "unit": "100m CNY"},
    "myopia": {"title": T("近视率", "myopia rate"), "type": "percent", "unit": "%"},
    "income_growth": {"title": T("居民收入实际增长", "real income growth"), "type": "percent", "unit": "%", "signed": True},
    "gdp_growth": {"title": T("GDP实际增长", "real GDP growth"), "type": "percent", "unit": "%", "signed": True},
    "enrolled": {"title": T("在学人数", "enrolled (any age)"), "type": "count", "unit": "persons"},
    "age_group": {"title": T("学龄人口", "population of official age"), "type": "count", "unit": "persons"},
})


def plan12(*targets):
    p = plan(*targets)
    p["dictionary"] = DICTIONARY12
    return p


def one12(name, description, rule, data, as_of, status, grade=None, target_extra=None, **kw):
    case(name, description, plan12(target("T", rule, **(target_extra or {}))), data, as_of,
         checks={"T": [status, grade]}, **kw)


def value(name, op, limit, unit, **kw):
    r = {"type": "value", "measure": {"from": "series", "series": name}, "op": op, "limit": limit, "unit": unit}
    r.update(kw)
    return r


def change(name, method, op, amount, **kw):
    r = {"type": "change", "measure": {"from": "series", "series": name}, "method": method, "op": op, "amount": amount}
    r.update(kw)
    return r


def every(rule, **kw):
    r = {"type": "every_year", "rule": rule}
    r.update(kw)
    return r


one12("value-below-strict-met", "< 5.5: 5.2 is below", value("unemployment", "<", "5.5", "%"), S(unemployment={2020: "5.2"}), "2020-12-31", "met")
one12("value-below-strict-at-limit", "< 5.5: 5.5 itself is not below (低于 is strict)", value("unemployment", "<", "5.5", "%"), S(unemployment={2020: "5.5"}), "2020-12-31", "not_met")
one12("value-above-strict-at-limit", "> 46: 46 is not above (no N + 1e-10 workaround)", value("capacity", ">", "46", "100m t"), S(capacity={2020: 46}), "2020-12-31", "not_met")
one12("value-above-strict-just-above", "> 46: 46.01 is above", value("capacity", ">", "46", "100m t"), S(capacity={2020: "46.01"}), "2020-12-31", "met")
one12("value-at-most-falling-on-track", "<= 10 from 20 in 2015: 13 in 2018 falls faster than required (R > 0.95)", value("intensity", "<=", "10", "tce per 10k CNY"), S(intensity={2015: 20, 2018: 13}), "2018-12-31", "on_track")
one12("value-at-most-falling-too-slowly", "<= 10 from 20 in 2015: 17 in 2018 falls too slowly", value("intensity", "<=", "10", "tce per 10k CNY"), S(intensity={2015: 20, 2018: 17}), "2018-12-31", "off_track", "insufficient")
one12("value-at-most-rising-is-regressing", "<= 10 from 20 in 2015: 22 in 2018 moves the wrong way", value("intensity", "<=", "10", "tce per 10k CNY"), S(intensity={2015: 20, 2018: 22}), "2018-12-31", "off_track", "regressing")
one12("value-at-most-baseline-within", "<= 10 with 8 in 2015 and 12 in 2018: the baseline was within the bound and the value left it", value("intensity", "<=", "10", "tce per 10k CNY"), S(intensity={2015: 8, 2018: 12}), "2018-12-31", "off_track", "regressing")
one12("change-absolute-met", "提高1岁: 77.3 to 78.5 is +1.2 years", change("life", "absolute", ">=", "1"), S(life={2015: "77.3", 2020: "78.5"}), "2020-12-31", "met")
one12("change-absolute-short", "提高1岁: 77.3 to 78.2 is +0.9 years", change("life", "absolute", ">=", "1"), S(life={2015: "77.3", 2020: "78.2"}), "2020-12-31", "not_met")
one12("change-absolute-no-later-year", "a change needs a year after the baseline", change("life", "absolute", ">=", "1"), S(life={2015: "77.3"}), "2020-12-31", "not_assessable")
one12("change-relative-level-met", "降低13.5%: 1.00 to 0.86 is -14%", change("intensity", "relative", "<=", "-13.5"), S(intensity={2015: "1.00", 2020: "0.86"}), "2020-12-31", "met")
one12("change-relative-yearly-rates-short", "降低〔13.5%〕 from yearly rates -3, -3, -3, -3, -2: chained -13.24%, short", change("intensity_rate", "relative", "<=", "-13.5", input="yearly_rates"),
      S(intensity_rate={2016: -3, 2017: -3, 2018: -3, 2019: -3, 2020: -2}), "2020-12-31", "not_met")
one12("change-relative-yearly-rates-on-track", "降低〔13.5%〕 from yearly rates -3, -3, -3 by 2018: ahead of the straight line", change("intensity_rate", "relative", "<=", "-13.5", input="yearly_rates"),
      S(intensity_rate={2016: -3, 2017: -3, 2018: -3}), "2018-12-31", "on_track")
one12("change-relative-yearly-rates-missing-year", "a missing yearly rate breaks the chain", change("intensity_rate", "relative", "<=", "-13.5", input="yearly_rates"),
      S(intensity_rate={2016: -3, 2018: -3, 2019: -3, 2020: -5}), "2020-12-31", "not_assessable")
one12("change-annual-rate-met", "年均增长7%: 100 to 141 over 5 years is 7.11% a year", change("output", "annual_rate", ">=", "7"), S(output={2015: 100, 2020: 141}), "2020-12-31", "met")
one12("change-annual-rate-early-is-not-met", "年均增长7%: 7.72% a year by 2018 is on track, never met before the deadline", change("output", "annual_rate", ">=", "7"), S(output={2015: 100, 2018: 125}), "2018-12-31", "on_track")
one12("change-annual-rate-early-slow", "年均增长7%: 3.1% a year by 2018 is off track", change("output", "annual_rate", ">=", "7"), S(output={2015: 100, 2018: "109.6"}), "2018-12-31", "off_track", "insufficient")
one12("every-year-fails-early", "< 5.5 every year: 5.6 in 2017 fails, final before the deadline", every(value("unemployment", "<", "5.5", "%")), S(unemployment={2016: "5.0", 2017: "5.6", 2018: "5.1"}), "2018-12-31", "not_met")
one12("every-year-so-far", "< 5.5 every year: 2016-2018 hold; 2019-2020 are not yet due, so not met yet", every(value("unemployment", "<", "5.5", "%")), S(unemployment={2016: "5.0", 2017: "5.2", 2018: "5.1"}), "2018-12-31", "on_track")
one12("every-year-all-held", "< 5.5 every year 2016-2020: met", every(value("unemployment", "<", "5.5", "%")), S(unemployment={2016: "5.0", 2017: "5.2", 2018: "5.1", 2019: "5.2", 2020: "5.4"}), "2020-12-31", "met")
one12("every-year-missing-year", "a due year without data: not assessable, never met", every(value("unemployment", "<", "5.5", "%")), S(unemployment={2016: "5.0", 2018: "5.1", 2019: "5.2", 2020: "5.4"}), "2020-12-31", "not_assessable")
one12("every-year-nothing-due", "as of mid-2016 no year is due", every(value("unemployment", "<", "5.5", "%")), S(unemployment={2015: "5.0"}), "2016-06-30", "not_assessable")
one12("every-year-change-from-previous-year", "近视率每年降低0.5个百分点以上: -0.6, then -0.4 in 2017 fails", every(change("myopia", "absolute", "<=", "-0.5", **{"from": "previous_year"})),
      S(myopia={2015: "50.0", 2016: "49.4", 2017: "49.0", 2018: "48.2"}), "2018-12-31", "not_met")
one12("every-year-from-year", "from 2018 only: 5.6 in 2017 does not count", every(value("unemployment", "<", "5.5", "%"), from_year=2018), S(unemployment={2017: "5.6", 2018: "5.1", 2019: "5.2", 2020: "5.4"}), "2020-12-31", "met")
one12("signed-series-negative-is-data", "a signed growth rate of -0.5 is data, not a negative_value diagnostic", value("gdp_growth", ">=", "-1", "%"), S(gdp_growth={2020: "-0.5"}), "2020-12-31", "met")
one12("in-step-within-tolerance", "与经济增长基本同步 within 0.5 points, from yearly growth rates: every year within", {"type": "growth_comparison", "subject": {"from": "series", "series": "income_growth"}, "benchmark": {"from": "series", "series": "gdp_growth"}, "mode": "year_over_year", "strict": False, "tolerance": {"points": "0.5"}, "input": "yearly_rates"},
      S(income_growth={2016: "6.5", 2017: "6.6", 2018: "6.5", 2019: "5.8", 2020: "2.1"}, gdp_growth={2016: "6.8", 2017: "6.9", 2018: "6.7", 2019: "6.0", 2020: "2.3"}), "2020-12-31", "met")
one12("in-step-beyond-tolerance", "与经济增长基本同步 within 0.5 points: 6.0 against 6.9 in 2017 falls 0.9 behind", {"type": "growth_comparison", "subject": {"from": "series", "series": "income_growth"}, "benchmark": {"from": "series", "series": "gdp_growth"}, "mode": "year_over_year", "strict": False, "tolerance": {"points": "0.5"}, "input": "yearly_rates"},
      S(income_growth={2016: "6.5", 2017: "6.0", 2018: "6.5", 2019: "5.8", 2020: "2.1"}, gdp_growth={2016: "6.8", 2017: "6.9", 2018: "6.7", 2019: "6.0", 2020: "2.3"}), "2020-12-31", "not_met")
one12("aspiration-not-reached", "不低于7%、力争达到8%: 7.5 meets the target, not the aspiration", value("unemployment", ">=", "7", "%", aspiration="8"), S(unemployment={2020: "7.5"}), "2020-12-31", "met")
one12("aspiration-reached", "不低于7%、力争达到8%: 8.2 reaches both", value("unemployment", ">=", "7", "%", aspiration="8"), S(unemployment={2020: "8.2"}), "2020-12-31", "met")
one12("gross-rate-above-100", "a gross rate: 58 enrolled over 57 of official age is 101.75%, data, and meets 100%", {"type": "rate", "numerator": {"from": "series", "series": "enrolled"}, "denominator": {"from": "series", "series": "age_group"}, "target_percent": "100", "gross": True},
      S(enrolled={2020: 58}, age_group={2020: 57}), "2020-12-31", "met")
one12("net-rate-above-100", "the same figures for a rate not declared gross: numerator above denominator, not assessable", {"type": "rate", "numerator": {"from": "series", "series": "enrolled"}, "denominator": {"from": "series", "series": "age_group"}, "target_percent": "100"},
      S(enrolled={2020: 58}, age_group={2020: 57}), "2020-12-31", "not_assessable")
QUAL = {"type": "qualitative", "criterion": T("成立教育人才中心", "an education talent centre is set up")}
JUDGED = {"judgements": [{"target": "T", "verdict": "met", "by": "区教委督导室", "on": "2019-06-30", "evidence": "区编办批复（2019）12号"}]}
one12("qualitative-without-judgement", "a qualitative target is never judged by arithmetic", QUAL, {}, "2020-12-31", "not_assessable")
one12("qualitative-recorded-met", "a recorded judgement decides it, shown as recorded", QUAL, JUDGED, "2020-12-31", "met")
one12("qualitative-judgement-not-yet-visible", "a judgement dated after the as-of date is not yet visible", QUAL, JUDGED, "2018-12-31", "not_assessable")
case("judgement-on-computed-target", "a judgement cannot decide a computed target: diagnostic, the computed verdict stands",
     plan12(target("T", value("unemployment", "<", "5.5", "%")), target("Q", QUAL)),
     {"series": {"unemployment": {"values": {"2020": "5.0"}}}, "judgements": [{"target": "T", "verdict": "not_met", "by": "x", "on": "2020-01-01", "evidence": "y"}, {"target": "Q", "verdict": "not_met", "by": "区政府", "on": "2020-12-01", "evidence": "未成立"}]},
     "2020-12-31", checks={"T": ["met", None], "Q": ["not_met", None], "$diagnostics": ["invalid_judgement"]})
case("binding-and-indicative", "the summary counts targets by obligation",
     plan12(target("B", value("unemployment", "<", "5.5", "%"), obligation="binding"), target("I", change("life", "absolute", ">=", "1"), obligation="indicative"), target("U", count())),
     S(unemployment={2020: "5.0"}, life={2015: "77.3", 2020: "78.0"}), "2020-12-31", checks={"B": ["met", None], "I": ["not_met", None], "U": ["not_assessable", None]})
case("error-plan-every-year-of-growth", "every_year holds only threshold rules", plan12(target("T", every({"type": "growth_comparison", "subject": {"from": "series", "series": "money_a"}, "benchmark": {"from": "series", "series": "money_b"}, "mode": "cumulative"}))), {}, "2020-12-31", error={"code": "invalid_rule", "path": None})
case("error-plan-aspiration-not-beyond", "an aspiration below a lower bound's limit", plan12(target("T", value("unemployment", ">=", "7", "%", aspiration="6"))), {}, "2020-12-31", error={"code": "invalid_rule", "path": None})
case("error-plan-previous-year-outside-every-year", "a change from the previous year is judged only inside every_year", plan12(target("T", change("myopia", "absolute", "<=", "-0.5", **{"from": "previous_year"}))), {}, "2020-12-31", error={"code": "invalid_rule", "path": None})
case("error-plan-unknown-op", "op must be one of >=, >, <=, <", plan12(target("T", value("unemployment", "=<", "5.5", "%"))), {}, "2020-12-31", error={"code": "invalid_shape", "path": "/targets/0/rule/op"})
for as_of in ["2024-12-31", "2025-03-31"]:
    case(f"national-14th-sample-{as_of}", f"the national 14th five-year plan's main indicators on their synthetic sample at {as_of} (no trails)",
         "spec/plans/china-national-14th-fyp-2021-2025.json", "spec/samples/china-national-14th-fyp-2021-2025-sample.json", as_of,
         checks={"N8": ["not_met", None], "N1": ["on_track" if as_of == "2025-03-31" else "not_assessable", None]}, options={"trail": False})
case("only-binding-targets", "options.obligation = binding evaluates only the binding targets, and the report says so",
     "spec/plans/china-national-14th-fyp-2021-2025.json", "spec/samples/china-national-14th-fyp-2021-2025-sample.json", "2025-03-31",
     checks={"N14": ["off_track", "insufficient"]}, options={"trail": False, "obligation": "binding"})
case("error-unknown-obligation", "an obligation other than binding or indicative is refused",
     plan12(target("T", QUAL)), {}, "2020-12-31", options={"obligation": "mandatory"}, error={"code": "invalid_request", "path": "/options/obligation"})
case("error-plan-every-year-mid-year-deadline", "an every_year target due mid-year could never see its last year", plan12(target("T", every(value("unemployment", "<", "5.5", "%")), deadline="2020-06-30")), {}, "2020-12-31", error={"code": "invalid_rule", "path": None})
case("error-plan-aspiration-inside-every-year", "an aspiration inside every_year would not be judged", plan12(target("T", every(value("unemployment", ">=", "5", "%", aspiration="6")))), {}, "2020-12-31", error={"code": "invalid_rule", "path": None})
case("error-plan-qualitative-part", "a qualitative rule as a part cannot take a recorded judgement", plan12(target("T", {"type": "all_of", "parts": [{"id": "p", "title": T("部分", "part"), "rule": QUAL}]})), {}, "2020-12-31", error={"code": "invalid_rule", "path": None})
one12("qualitative-progress-verdict-after-deadline", "a recorded on_track is no final verdict once the deadline has come", QUAL,
      {"judgements": [{"target": "T", "verdict": "on_track", "by": "区教委督导室", "on": "2019-06-30", "evidence": "筹建中"}]}, "2020-12-31", "not_assessable")
one12("in-step-relative-tolerance-falling-benchmark", "a relative tolerance of 10% when the benchmark falls 2%: -2.2% is within (the slack is 10% of 2 points), -2.3% is not",
      {"type": "growth_comparison", "subject": {"from": "series", "series": "income_growth"}, "benchmark": {"from": "series", "series": "gdp_growth"}, "mode": "year_over_year", "strict": False, "tolerance": {"relative_percent": "10"}, "input": "yearly_rates", "from_year": 2018},
      S(income_growth={2019: "-2.2", 2020: "-2.3"}, gdp_growth={2019: "-2", 2020: "-2"}), "2020-12-31", "not_met")
one12("aspiration-without-a-value", "an aspiration is reported even when the target is not assessable (reached: null)", value("unemployment", ">=", "7", "%", aspiration="8"), {}, "2020-12-31", "not_assessable")
one12("aspiration-of-a-rate-exact", "1 of 3 reaches 33.33% but not the aspiration 33.34%, compared exactly", dict(rate("33.33"), aspiration="33.34"), S(num={2020: 1}, den={2020: 3}), "2020-12-31", "met")
one12("deadline-without-the-deadline-year", "at the deadline, 2019's 90% short of 100% says nothing final: 2020 has no value, so not assessable, never not_met on stale data",
      rate(), S(num={2015: 50, 2019: 90}, den={2015: 100, 2019: 100}), "2020-12-31", "not_assessable")
one12("deadline-early-reach-stays-met", "a level reached in 2019 is met at the deadline even without a 2020 value (the latest observation reaches it)",
      rate(), S(num={2015: 50, 2019: 100}, den={2015: 100, 2019: 100}), "2020-12-31", "met")
case("xicheng-sample-mid-term-by-name", "the mid-term review asked for by name: the plan's calendar puts it at 2018-06-30 (no trails)",
     "spec/plans/xicheng-education-2016-2020.json", "spec/samples/xicheng-sample-2015-2020.json", "mid_term",
     checks={}, options={"trail": False})
case("error-unknown-review", "an as-of that is neither a date nor a review of the plan's calendar",
     "spec/plans/xicheng-education-2016-2020.json", {}, "midterm", error={"code": "invalid_as_of", "path": "/as_of"})
case("error-data-unknown-verdict", "a verdict must be met, not_met, on_track or off_track", plan12(target("T", QUAL)), {"judgements": [{"target": "T", "verdict": "done", "by": "x", "on": "2020-01-01", "evidence": "y"}]}, "2020-12-31", error={"code": "invalid_shape", "path": "/judgements/0/verdict"})

# --- draft rule sets: quotes and one language may be left out, each a warning --------------------
def draft_plan(status="draft"):
    t = target("T", count())
    del t["citation"]["quote"]
    t["title"] = T("目标T", "")
    del t["description"]["zh"]
    p = plan(t)
    if status is not None:
        p["status"] = status
    return p


case("draft-omissions-warned", "a draft leaves out T's quote, its English title and its Chinese description: it loads, each omission a warning; the report says it is a draft and judges as a published rule set would",
     draft_plan(), S(bases={2020: 100}), "2020-12-31",
     checks={"T": ["met", None], "$warnings": [
         {"code": "missing_translation", "path": "/targets/0/title/en", "target": "T"},
         {"code": "missing_translation", "path": "/targets/0/description/zh", "target": "T"},
         {"code": "missing_quote", "path": "/targets/0/citation/quote", "target": "T"}]})
case("error-published-omissions", "the same rule set without a status is published: the first omission is the error (every one is listed)",
     draft_plan(None), S(bases={2020: 100}), "2020-12-31", error={"code": "missing_translation", "path": "/targets/0/title/en"})
case("error-published-missing-quote", "a published rule set whose citation gives no quote", plan(target("T", count(), citation={"source": "annex1", "location": T("附件1", "annex 1"), "quote": " "})),
     S(bases={2020: 100}), "2020-12-31", error={"code": "missing_quote", "path": "/targets/0/citation/quote"})
case("error-draft-text-without-language", "even a draft gives one language of a text", plan(target("T", count(), category={})) | {"status": "draft"},
     S(bases={2020: 100}), "2020-12-31", error={"code": "missing_text", "path": "/targets/0/category"})


# === row cases: one record in, a verdict per row-judgeable target out ============================
ROWS = HERE / "rows"
XICHENG = "spec/plans/xicheng-education-2016-2020.json"
ROW_PLAN = "tests/vectors/rows/plans/row-kinds.json"

# A plan of the row-judgeable kinds the Xicheng plan lacks: rates other than 100%, rounded
# comparisons, bands, a percent field, coverage by ratio, state and filter, a one-item milestone.
ROW_PLAN_VALUE = plan(
    target("R90", rate("90")),
    target("R33", rate("33.33")),
    target("RR1", rate(), comparison={"method": "rounded_value", "decimals": 1}),
    target("C100", count()),
    target("CR0", count("level", "units", "100"), comparison={"method": "rounded_value", "decimals": 0}),
    target("D15", {"type": "duration", "measure": {"from": "series", "series": "years"}, "target_years": "15"}),
    target("AP", approx("met")),
    target("AN", approx("not_met")),
    target("SH", {"type": "count", "measure": {"from": "series", "series": "share"}, "target": "99.9", "unit": "%"}, comparison={"method": "rounded_value", "decimals": 1}),
    target("SR", {"type": "rate", "numerator": {"from": "entity_sum", "entity_kind": "school", "field": "passed", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]},
                  "denominator": {"from": "entity_sum", "entity_kind": "school", "field": "eligible", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]}, "target_percent": "100"}),
    target("SC", cover()),
    target("SA", cover({"test": "at_least", "field": "staff", "value": "2"})),
    target("SQ", cover({"test": "ratio_at_least", "numerator": "passed", "denominator": "eligible", "percent": "90"})),
    target("SS", cover({"test": "state_reached", "field": "stage", "state": "partial"})),
    target("SF", cover(filter=[{"attribute": "level", "one_of": ["special"]}])),
    target("M", {"type": "milestones", "entity_kind": "project", "state_field": "state", "required_state": "in_use", "items": [{"id": "P1", "name": T("一号", "one")}]}),
    # Targets no one record can decide (listed by `left_out`, never judged): a band over the
    # years since the plan began, a growth comparison, a rate over two populations, an all-of
    # made of such parts.
    target("CB", {"type": "approximate_count", "measure": {"from": "series", "series": "flow", "over_time": "cumulative"}, "nominal": "30",
                  "lower": "27", "upper": "33", "unit": "persons", "above_band": "met"}),
    target("G", growth()),
    target("MIX", {"type": "rate", "numerator": {"from": "entity_sum", "entity_kind": "school", "field": "passed", "filter": [{"attribute": "level", "one_of": ["primary"]}]},
                   "denominator": {"from": "entity_sum", "entity_kind": "school", "field": "eligible", "filter": [{"attribute": "level", "one_of": ["primary", "secondary"]}]}, "target_percent": "90"}),
    target("ALL", {"type": "all_of", "parts": [
        {"id": "since", "title": T("累计", "so far"), "rule": count(over="cumulative")},
        {"id": "growth", "title": T("增长", "growth"), "rule": growth()},
    ]}),
)

# A second row plan: the bounds of plan indicator tables on one record (issue 12): strict and
# upper bounds, a gross rate, a signed series, an upper bound on a school field; and the shapes
# no record decides (a change, an every-year bound, a qualitative target).
BOUNDS_PLAN = "tests/vectors/rows/plans/row-bounds.json"
BOUNDS_PLAN_VALUE = plan12(
    target("VLT", value("unemployment", "<", "5.5", "%")),
    target("VGT", value("capacity", ">", "46", "100m t")),
    target("RLE", dict(rate("50"), op="<=")),
    target("GR", {"type": "rate", "numerator": {"from": "series", "series": "enrolled"}, "denominator": {"from": "series", "series": "age_group"}, "target_percent": "100", "gross": True}),
    target("SG", value("gdp_growth", ">=", "-1", "%")),
    target("SST", {"type": "count", "measure": {"from": "entity_sum", "entity_kind": "school", "field": "staff"}, "target": "50", "unit": "persons", "op": "<"}),
    target("CH", change("life", "absolute", ">=", "1")),
    target("EY", every(value("unemployment", "<", "5.5", "%"))),
    target("Q", {"type": "qualitative", "criterion": T("成立中心", "a centre is set up")}),
)
_RB_SERIES = ["VLT", "VGT", "RLE", "GR", "SG"]


def _row_bounds_left_out(kind):
    out = [(t, "district_series") for t in _RB_SERIES] if kind is not None else []
    if kind is None:
        out.append(("SST", "entity_records"))
    elif kind != "school":
        out.append(("SST", "other_entity_kind"))
    if kind is None:
        out += [("CH", "needs_several_years"), ("EY", "needs_several_years"), ("Q", "not_row_judgeable_kind")]
    else:
        out += [("CH", "district_series"), ("EY", "district_series"), ("Q", "not_row_judgeable_kind")]
    return out


ROW_CASES = []


def row(name, description, plan_path, kind, record, expected, attributes=None, targets=None):
    """A row case: `expected` maps every row-judgeable target (or every selected one, when
    `targets` names some), in the rules' order, to the verdict decided by hand (or is
    {"error": {code, path, target?}}); `left_out` lists, as decided by hand, the plan's targets
    the kind of record leaves out, with the reason code."""
    c = {"description": description, "plan": plan_path, "kind": kind}
    if targets is not None:
        c["targets"] = targets
    c["record"] = record
    c["attributes"] = attributes or {}
    c["expected"] = expected
    if "error" not in expected:
        c["left_out"] = [{"id": i, "reason": r} for i, r in LEFT_OUT[(plan_path, kind)]]
    ROW_CASES.append((name, c))


def verdicts(ids, *vs):
    assert len(ids) == len(vs), (ids, vs)
    return dict(zip(ids, vs))


# What each kind of record leaves out, decided by hand (spec/README.md, *Row verdicts*): the
# kind of record a target reads first, then what one record cannot hold.
_X_SERIES_CUMULATIVE = ["A4.2", "A5.1", "A5.2", "A5.3"]
_X_SCHOOL = ["A4.1", "A6.1", "A6.2", "A7"]
_X_B3 = ["B3/schools", "B3/teachers", "B3/students"]
_X_STREET = ["A8.2/community", "A8.2/inservice"]
# The body's commitments without a number (C*, D*): qualitative, so no record of any kind decides
# them. Their ids are read from the rule set (all qualitative targets, in plan order); the reason
# is the same for every kind of record.
_X_QUALITATIVE = [t["id"] for t in json.loads((HERE.parent.parent / XICHENG).read_text(encoding="utf-8"))["targets"]
                  if t["rule"]["type"] == "qualitative"]


def _xicheng_left_out(kind):
    reads = {**{t: "school" for t in _X_SCHOOL + _X_B3}, **{t: "street" for t in _X_STREET}, "B2": "project"}
    series = ["A1", "A2", "A3", *_X_SERIES_CUMULATIVE, "A8.1", "B1", "F1"]
    order = ["A1", "A2", "A3", "A4.1", *_X_SERIES_CUMULATIVE, "A6.1", "A6.2", "A7", "A8.1", *_X_STREET, "B1", "B2", *_X_B3,
             *_X_QUALITATIVE, "F1", "R1", "R2"]
    out = []
    for t in order:
        if t in _X_QUALITATIVE:
            out.append((t, "not_row_judgeable_kind"))
        elif t == "R1":  # every year, on the district series
            out.append((t, "needs_several_years" if kind is None else "district_series"))
        elif t == "R2":  # every year, on school records
            out.append((t, {None: "entity_records", "school": "needs_several_years"}.get(kind, "other_entity_kind")))
        elif t in series:
            if kind is not None:
                out.append((t, "district_series"))
            elif t in _X_SERIES_CUMULATIVE:
                out.append((t, "cumulative_over_time"))
            elif t == "F1":
                out.append((t, "needs_several_years"))
        elif kind is None:
            out.append((t, "entity_records"))
        elif reads[t] != kind:
            out.append((t, "other_entity_kind"))
    return out


_RK_SERIES = ["R90", "R33", "RR1", "C100", "CR0", "D15", "AP", "AN", "SH"]
_RK_SCHOOL = ["SR", "SC", "SA", "SQ", "SS", "SF"]
_RK_TAIL = {  # the targets no record decides: by kind of record
    None: [("CB", "cumulative_over_time"), ("G", "needs_several_years"), ("MIX", "entity_records"),
           ("ALL/since", "cumulative_over_time"), ("ALL/growth", "needs_several_years")],
    "school": [("CB", "district_series"), ("G", "district_series"), ("MIX", "different_filters"),
               ("ALL/since", "district_series"), ("ALL/growth", "district_series")],
    "project": [("CB", "district_series"), ("G", "district_series"), ("MIX", "other_entity_kind"),
                ("ALL/since", "district_series"), ("ALL/growth", "district_series")],
}


def _row_kinds_left_out(kind):
    out = []
    for t in _RK_SERIES:
        if kind is not None:
            out.append((t, "district_series"))
    for t in _RK_SCHOOL:
        if kind is None:
            out.append((t, "entity_records"))
        elif kind != "school":
            out.append((t, "other_entity_kind"))
    if kind is None:
        out.append(("M", "entity_records"))
    elif kind != "project":
        out.append(("M", "other_entity_kind"))
    return out + _RK_TAIL[kind]


LEFT_OUT = {(XICHENG, k): _xicheng_left_out(k) for k in [None, "school", "street", "project"]}
LEFT_OUT.update({(ROW_PLAN, k): _row_kinds_left_out(k) for k in [None, "school", "project"]})
LEFT_OUT.update({(BOUNDS_PLAN, k): _row_bounds_left_out(k) for k in [None, "school"]})

DISTRICT = ["A1", "A2", "A3", "A8.1", "B1"]
SCHOOL = ["A4.1", "A6.1", "A6.2", "A7", "B3/schools", "B3/teachers", "B3/students"]
STREET = ["A8.2/community", "A8.2/inservice"]
D = lambda *vs: verdicts(DISTRICT, *vs)  # noqa: E731
SC = lambda *vs: verdicts(SCHOOL, *vs)  # noqa: E731
FULL_SCHOOL = {"students": 500, "health_test_eligible": 480, "health_test_passed": 480, "pe_teachers": 12, "pe_teachers_ice_snow_trained": 12,
               "ice_snow_activity": True, "teachers": 40, "teachers_foreign_affairs": 1, "international_exchange": True,
               "teachers_international_exchange": 40, "students_international_exchange": 500}


def school(**changes):
    r = dict(FULL_SCHOOL)
    for k, v in changes.items():
        if v is ...:
            r.pop(k)
        else:
            r[k] = v
    return r


# --- the Xicheng plan, district series -----------------------------------------------------------
row("xicheng-district-exactly-at", "every district target exactly at its threshold: 2000 of 2000, 15 years, 500 of 500, 100 bases, 500 points", XICHENG, None,
    {"preschool_children_hukou": 2000, "preschool_enrolled_hukou": 2000, "free_education_years_disabled": 15, "hs_graduation_cohort": 500, "hs_graduates": 500, "lifelong_learning_bases": 100, "certification_points": 500},
    D("met", "met", "met", "met", "met"))
row("xicheng-district-one-below", "one unit below each threshold: 1999 of 2000 is 99.95% (full value), 14 years, 499 of 500, 99 bases, 499 points", XICHENG, None,
    {"preschool_children_hukou": 2000, "preschool_enrolled_hukou": 1999, "free_education_years_disabled": 14, "hs_graduation_cohort": 500, "hs_graduates": 499, "lifelong_learning_bases": 99, "certification_points": 499},
    D("not_met", "not_met", "not_met", "not_met", "not_met"))
row("xicheng-district-decimals", "a quantity just below (14.99 years), a whole count written with decimals (500.0), a fractional count (99.5 bases), rates above 100% of their cohort", XICHENG, None,
    {"preschool_children_hukou": 10, "preschool_enrolled_hukou": 11, "free_education_years_disabled": "14.99", "hs_graduation_cohort": 100, "hs_graduates": 101, "lifelong_learning_bases": 99.5, "certification_points": "500.0"},
    D("invalid", "not_met", "invalid", "invalid", "met"))
row("xicheng-district-zero-and-missing", "0 of 0 (zero denominator), a numerator without its denominator, no duration, an explicit null, a negative count", XICHENG, None,
    {"preschool_children_hukou": 0, "preschool_enrolled_hukou": 0, "hs_graduates": 10, "lifelong_learning_bases": None, "certification_points": -1},
    D("invalid", "missing", "missing", "missing", "invalid"))
row("xicheng-district-wrong-types", "values of the wrong type: a flag for a count, text that is no number, a number as text (read), -0 years", XICHENG, None,
    {"preschool_children_hukou": True, "preschool_enrolled_hukou": 5, "free_education_years_disabled": "-0", "hs_graduation_cohort": "abc", "hs_graduates": 1, "lifelong_learning_bases": "100", "certification_points": 1e3},
    D("invalid", "not_met", "invalid", "met", "met"))
row("xicheng-district-empty", "an empty record: every target missing", XICHENG, None, {}, D("missing", "missing", "missing", "missing", "missing"))

# --- the Xicheng plan, school-years ---------------------------------------------------------------
row("xicheng-school-exactly-at", "a primary school at every threshold: all passed, all trained, one teacher abroad, every teacher and student in exchange", XICHENG, "school",
    school(), SC("met", "met", "met", "met", "met", "met", "met"), {"level": "primary"})
row("xicheng-school-one-below", "one unit below each threshold (479 of 480, 11 of 12, no teacher abroad, flags false)", XICHENG, "school",
    school(health_test_passed=479, pe_teachers_ice_snow_trained=11, ice_snow_activity=False, teachers_foreign_affairs=0, international_exchange=False, teachers_international_exchange=39, students_international_exchange=499),
    SC("not_met", "not_met", "not_met", "not_met", "not_met", "not_met", "not_met"), {"level": "nine_year"})
row("xicheng-school-filter-out", "a special-education school is outside A6.1's population (level filter); the rest judged", XICHENG, "school",
    school(health_test_passed=0), SC("met", "not_applicable", "met", "met", "met", "met", "met"), {"level": "special_education"})
row("xicheng-school-filter-attribute-missing", "no level: A6.1 cannot tell whether the school belongs (missing); the rest judged", XICHENG, "school",
    school(), SC("met", "missing", "met", "met", "met", "met", "met"), {})
row("xicheng-school-invalid", "passed above eligible, 0 PE teachers (zero denominator), a fractional teacher count, a negative student count", XICHENG, "school",
    school(health_test_passed=481, pe_teachers=0, pe_teachers_ice_snow_trained=0, teachers_foreign_affairs=1.5, students_international_exchange=-1),
    SC("invalid", "invalid", "met", "invalid", "met", "met", "invalid"), {"level": "secondary"})
row("xicheng-school-above-total", "eligible above the school's students: A6.1's denominator is impossible; teachers abroad above teachers", XICHENG, "school",
    school(students=400, students_international_exchange=400, teachers_foreign_affairs=41),
    SC("met", "invalid", "met", "invalid", "met", "met", "met"), {"level": "primary"})
row("xicheng-school-missing-fields", "no PE teachers, no pass count, no flags, no teacher count: each target reading one is missing", XICHENG, "school",
    school(pe_teachers=..., health_test_passed=..., ice_snow_activity=..., international_exchange=..., teachers=..., teachers_foreign_affairs=..., teachers_international_exchange=...),
    SC("missing", "missing", "missing", "missing", "missing", "missing", "met"), {"level": "primary"})
row("xicheng-school-wrong-types", "a flag given as text, a flag given as 1, a count given as a flag", XICHENG, "school",
    school(ice_snow_activity="yes", international_exchange=1, teachers_foreign_affairs=True),
    SC("met", "met", "invalid", "invalid", "invalid", "met", "met"), {"level": "primary"})

row("xicheng-school-more-invalid", "a fractional count of teachers in exchange (B3/teachers), no student count (B3/students)", XICHENG, "school",
    school(teachers_international_exchange="39.5", students=..., students_international_exchange=...),
    SC("met", "met", "met", "met", "met", "invalid", "missing"), {"level": "primary"})
row("xicheng-district-negative-years", "a negative duration is impossible", XICHENG, None,
    {"free_education_years_disabled": -1}, D("missing", "invalid", "missing", "missing", "missing"))
# Regressions: row verdicts that disagreed with evaluate() before the fix (see core/tests/row_agrees.rs).
row("xicheng-school-attribute-not-allowed", "regression: a level the dictionary does not allow (college) makes every value of the school bad data in evaluate(); A6.1's filter leaves it out first", XICHENG, "school",
    school(ice_snow_activity=...), SC("invalid", "not_applicable", "invalid", "invalid", "invalid", "invalid", "invalid"), {"level": "college"})
row("xicheng-school-bad-total", "regression: 89 teachers abroad against 0.5 teachers (itself a fractional count) is above its total: invalid, as evaluate() now checks a part against a bad total that is a number", XICHENG, "school",
    school(teachers="0.5", teachers_foreign_affairs=89, teachers_international_exchange=0),
    SC("met", "met", "met", "invalid", "met", "invalid", "met"), {"level": "primary"})

# --- the Xicheng plan, streets and projects -------------------------------------------------------
row("xicheng-street", "a street certifying community education but not in-service education", XICHENG, "street",
    {"community_credit_certification": True, "inservice_credit_certification": False}, verdicts(STREET, "met", "not_met"))
row("xicheng-street-missing", "a street with no in-service flag and a number for a flag", XICHENG, "street",
    {"community_credit_certification": 1}, verdicts(STREET, "invalid", "missing"))
row("xicheng-street-swapped", "in-service certified, community not; then the other way round's gaps", XICHENG, "street",
    {"community_credit_certification": False, "inservice_credit_certification": True}, verdicts(STREET, "not_met", "met"))
row("xicheng-street-gaps", "no community flag, an in-service flag given as text", XICHENG, "street",
    {"community_credit_certification": None, "inservice_credit_certification": "true"}, verdicts(STREET, "missing", "invalid"))
for state, v in [("in_use", "met"), ("completed", "not_met"), ("planned", "not_met"), ("demolished", "invalid"), (None, "missing")]:
    row(f"xicheng-project-{state or 'null'}", f"a project whose state is {state!r}: B2 asks for in_use", XICHENG, "project", {"state": state}, {"B2": v})

# --- the row-kinds plan ---------------------------------------------------------------------------
RK_DISTRICT = ["R90", "R33", "RR1", "C100", "CR0", "D15", "AP", "AN", "SH"]
RK_SCHOOL = ["SR", "SC", "SA", "SQ", "SS", "SF"]
RD = lambda *vs: verdicts(RK_DISTRICT, *vs)  # noqa: E731
RS = lambda *vs: verdicts(RK_SCHOOL, *vs)  # noqa: E731
row("rows-at-90", "90 of 100 reaches 90% and 33.33%; 99.5 rounds (half-even, 0 places) to 100; 27 is the band's lower end; 99.85% rounds to 99.8 (1 place), short of 99.9", ROW_PLAN, None,
    {"num": 90, "den": 100, "bases": 100, "level": 99.5, "years": 15, "flow": 27, "share": "99.85"}, RD("met", "met", "not_met", "met", "met", "met", "met", "met", "not_met"))
row("rows-one-below-90", "89 of 100 misses 90%; 99.4 rounds to 99; 26 is below the band; 99.86% rounds to 99.9", ROW_PLAN, None,
    {"num": 89, "den": 100, "bases": 99, "level": 99.4, "years": 14, "flow": 26, "share": "99.86"}, RD("not_met", "met", "not_met", "not_met", "not_met", "not_met", "not_met", "not_met", "met"))
row("rows-rounded-99.95", "1999 of 2000 is 99.95%: rounded to 1 place it is 100.0 (met), at full value it misses 100% but reaches 90%; 33 is the band's upper end; 34 is above it", ROW_PLAN, None,
    {"num": 1999, "den": 2000, "bases": 2000, "level": "100", "years": "15.0", "flow": 34, "share": 100}, RD("met", "met", "met", "met", "met", "met", "met", "not_met", "met"))
row("rows-one-third", "1 of 3 is 33.33…%: reaches 33.33; rounded to 1 place 33.3 misses 100; 33 at the band's upper end; a percent above 100 is impossible", ROW_PLAN, None,
    {"num": 1, "den": 3, "flow": 33, "share": 100.5}, RD("not_met", "met", "not_met", "missing", "missing", "missing", "met", "met", "invalid"))
row("rows-invalid", "0 of 0 (zero denominator), a negative quantity, a fractional count in the band, a negative percent", ROW_PLAN, None,
    {"num": 0, "den": 0, "bases": "abc", "level": -0.5, "years": False, "flow": 27.5, "share": -1}, RD("invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid"))
row("rows-school-in", "a primary school: 9 of 10 (not all passed, but ≥ 90%), active, 2 staff, stage partial; outside SF's special-only filter", ROW_PLAN, "school",
    {"eligible": 10, "passed": 9, "active": True, "staff": 2, "stage": "partial"}, RS("not_met", "met", "met", "met", "met", "not_applicable"), {"level": "primary"})
row("rows-school-special", "a special school: outside SR's filter, inside SF's; 8 of 10 is below 90%; 1 staff; stage none", ROW_PLAN, "school",
    {"eligible": 10, "passed": 8, "active": False, "staff": 1, "stage": "none"}, RS("not_applicable", "not_met", "not_met", "not_met", "not_met", "not_met"), {"level": "special"})
row("rows-school-zero-and-unknown", "no level (SR and SF cannot tell whether the school belongs), 0 of 0 in a ratio condition (missing, as coverage defines it), a fractional staff count, an unknown stage", ROW_PLAN, "school",
    {"eligible": 0, "passed": 0, "active": True, "staff": 2.5, "stage": "done"}, RS("missing", "met", "invalid", "missing", "invalid", "missing"))
row("rows-project", "the one-item milestone: in use", ROW_PLAN, "project", {"state": "in_use"}, {"M": "met"})

# --- errors ----------------------------------------------------------------------------------------
row("error-unknown-kind", "an entity kind the plan does not define", XICHENG, "hospital", {}, {"error": {"code": "invalid_request", "path": "/kind"}})
row("error-unknown-kind-row-plan", "an entity kind of the other plan", ROW_PLAN, "street", {}, {"error": {"code": "invalid_request", "path": "/kind"}})

# --- selections: the targets a request names (RowRules::compile_selected) ---------------------------
row("select-school-targets", "two school targets named out of order: judged in the rules' order, the rest not judged", XICHENG, "school",
    school(health_test_passed=479), {"A6.1": "not_met", "A7": "met"}, {"level": "primary"}, targets=["A7", "A6.1"])
row("select-all-of", "an all-of target whose parts one school-year decides: its parts", XICHENG, "school",
    school(teachers_international_exchange=39), {"B3/schools": "met", "B3/teachers": "not_met", "B3/students": "met"}, {"level": "primary"}, targets=["B3"])
row("select-row-kinds", "a part-free selection on the row-kinds plan", ROW_PLAN, None,
    {"num": 90, "den": 100, "flow": 27}, {"R90": "met", "AP": "met"}, targets=["AP", "R90"])
row("error-select-cumulative", "A5.1 counts cadres over the years since 2016: one district-year cannot decide it", XICHENG, None, {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/1", "target": "A5.1"}}, targets=["A1", "A5.1"])
row("error-select-growth", "F1 compares growth over the years", XICHENG, None, {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/0", "target": "F1"}}, targets=["F1"])
row("error-select-other-kind", "A8.2's parts read street records, not school records: the error names the first part", XICHENG, "school", {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/1", "target": "A8.2/community"}}, targets=["A6.1", "A8.2"])
row("error-select-district-target-on-schools", "A1 reads the district series, not school records", XICHENG, "school", {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/0", "target": "A1"}}, targets=["A1"])
row("error-select-cumulative-band", "a band over the years since the plan began", ROW_PLAN, None, {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/0", "target": "CB"}}, targets=["CB"])
row("error-select-two-populations", "a rate whose numerator and denominator sum different populations of schools", ROW_PLAN, "school", {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/0", "target": "MIX"}}, targets=["MIX"])
row("error-select-all-of-left-out-part", "an all-of made of parts no record decides: the error names the first part", ROW_PLAN, None, {},
    {"error": {"code": "not_row_judgeable", "path": "/targets/0", "target": "ALL/since"}}, targets=["ALL"])
row("error-select-unknown", "a target the plan does not have", XICHENG, None, {},
    {"error": {"code": "unknown_target", "path": None, "target": "Z9"}}, targets=["Z9"])
row("error-select-nothing", "an empty selection judges nothing, so it is refused", XICHENG, None, {},
    {"error": {"code": "invalid_request", "path": "/targets"}}, targets=[])


# --- the bounds of plan indicator tables, on one record ------------------------------------------
row("bounds-district-within", "5.2 < 5.5, 46 is not > 46, 40% <= 50%, a gross 58 of 57 (101.75%) reaches 100%, a signed -0.5 >= -1", BOUNDS_PLAN, None,
    {"unemployment": "5.2", "capacity": 46, "num": 40, "den": 100, "enrolled": 58, "age_group": 57, "gdp_growth": "-0.5"},
    verdicts(_RB_SERIES, "met", "not_met", "met", "met", "met"))
row("bounds-district-beyond", "5.5 is not < 5.5, 46.01 > 46, 51% is not <= 50%, 50 of 57 falls short of 100%, a signed -1.5 is data below -1", BOUNDS_PLAN, None,
    {"unemployment": "5.5", "capacity": "46.01", "num": 51, "den": 100, "enrolled": 50, "age_group": 57, "gdp_growth": "-1.5"},
    verdicts(_RB_SERIES, "not_met", "met", "not_met", "not_met", "not_met"))
row("bounds-district-impossible", "a negative unsigned rate is impossible; a gross rate's zero denominator too; a missing capacity; the net rate's part above its total", BOUNDS_PLAN, None,
    {"unemployment": "-1", "num": 101, "den": 100, "enrolled": 5, "age_group": 0, "gdp_growth": "-100"},
    verdicts(_RB_SERIES, "invalid", "missing", "invalid", "invalid", "not_met"))
row("bounds-school-upper", "fewer than 50 staff: 49 meets it", BOUNDS_PLAN, "school", {"staff": 49}, verdicts(["SST"], "met"))
row("bounds-school-upper-at-limit", "fewer than 50 staff: 50 does not", BOUNDS_PLAN, "school", {"staff": 50}, verdicts(["SST"], "not_met"))


def write_rows():
    (ROWS / "plans").mkdir(parents=True, exist_ok=True)
    (ROWS / "plans" / "row-kinds.json").write_text(json.dumps(ROW_PLAN_VALUE, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (ROWS / "plans" / "row-bounds.json").write_text(json.dumps(BOUNDS_PLAN_VALUE, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for old in ROWS.glob("*.json"):
        old.unlink()
    names = set()
    for i, (name, c) in enumerate(ROW_CASES, 1):
        assert name not in names, name
        names.add(name)
        (ROWS / f"{i:03d}-{name}.json").write_text(json.dumps(c, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(ROW_CASES)} row cases")


def main():
    write_rows()
    CASES.mkdir(parents=True, exist_ok=True)
    for old in CASES.glob("*.json"):
        old.unlink()
    names = set()
    for i, (name, c) in enumerate(CASES_LIST, 1):
        assert name not in names, name
        names.add(name)
        stem = f"{i:03d}-{name}"
        if isinstance(c["expected"], str):
            c["expected"] = f"expected/{stem}.json"
        (CASES / f"{stem}.json").write_text(json.dumps(c, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(CASES_LIST)} cases")


if __name__ == "__main__":
    main()
