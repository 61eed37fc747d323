#!/usr/bin/env python3
"""Generates the SYNTHETIC sample dataset for the Xicheng 2016-2020 plan.

Nothing here is real: every figure is made up, from a fixed seed, to exercise every status of
the engine at some as-of date (see spec/samples/README.md for which). Run it from anywhere:

    python3 spec/samples/generate.py

It rewrites spec/samples/xicheng-sample-2015-2020.json deterministically (stdlib only).
"""
import json
import random
from decimal import Decimal, ROUND_HALF_EVEN
from pathlib import Path

OUT = Path(__file__).with_name("xicheng-sample-2015-2020.json")
YEARS = list(range(2015, 2021))
SOURCE = "synthetic: spec/samples/generate.py (made-up figures, not statistics)"
STREETS = ["西长安街", "新街口", "月坛", "展览路", "德胜", "金融街", "什刹海", "大栅栏", "天桥", "椿树",
           "陶然亭", "广内", "牛街", "白纸坊", "广外"]

rng = random.Random(20161231)


def series(unit, values):
    return {"unit": unit, "source": SOURCE, "values": {str(y): v for y, v in values.items()}}


def money(x):
    return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def district():
    s = {}
    # A1: rate reaches 100% in 2020 (met); on track at mid-term.
    children = {2015: 9800, 2016: 9950, 2017: 10120, 2018: 10260, 2019: 10310, 2020: 10400}
    rate = {2015: "0.970", 2016: "0.978", 2017: "0.986", 2018: "0.993", 2019: "0.997", 2020: "1"}
    s["preschool_children_hukou"] = series("persons", children)
    s["preschool_enrolled_hukou"] = series("persons", {
        y: int((Decimal(children[y]) * Decimal(rate[y])).to_integral_value(ROUND_HALF_EVEN)) for y in YEARS})
    # A2: 12 years until 2019, then 15 (met at the end; insufficient at mid-term).
    s["free_education_years_disabled"] = series("years", {2015: 12, 2016: 12, 2017: 12, 2018: 12, 2019: 15, 2020: 15})
    # A3: 99.96% in 2020 falls short of 100% by full-value comparison (not met); accelerate at mid-term.
    cohort = {2015: 2530, 2016: 2490, 2017: 2470, 2018: 2450, 2019: 2480, 2020: 2500}
    grads = {2015: 2502, 2016: 2466, 2017: 2450, 2018: 2435, 2019: 2474, 2020: 2499}
    s["hs_graduation_cohort"] = series("persons", cohort)
    s["hs_graduates"] = series("persons", grads)
    # Cumulative counts from 2016 (baseline 0, so trajectories are straight-line).
    s["excellent_teacher_seminars"] = series("persons", {2015: 0, 2016: 5, 2017: 6, 2018: 7, 2019: 6, 2020: 7})
    s["reserve_cadres_selected"] = series("persons", {2015: 0, 2016: 8, 2017: 9, 2018: 10, 2019: 10, 2020: 9})
    s["principals_offjob_trained"] = series("persons", {2015: 0, 2016: 12, 2017: 11, 2018: 10, 2019: 10, 2020: 9})
    s["principal_seminars"] = series("persons", {2015: 0, 2016: 2, 2017: 3, 2018: 4, 2019: 5, 2020: 6})
    s["lifelong_learning_bases"] = series("bases", {2015: 62, 2016: 70, 2017: 78, 2018: 86, 2019: 94, 2020: 103})
    s["certification_points"] = series("points", {2015: 120, 2016: 180, 2017: 250, 2018: 320, 2019: 400, 2020: 480})
    # F1: appropriation grows faster every year but 2018 (off track at mid-term, not met at the end).
    growth_a = {2016: "0.08", 2017: "0.07", 2018: "0.04", 2019: "0.08", 2020: "0.06"}
    growth_b = {2016: "0.06", 2017: "0.05", 2018: "0.05", 2019: "0.04", 2020: "0.03"}
    a, b = {2015: Decimal("450000")}, {2015: Decimal("3200000")}
    for y in YEARS[1:]:
        a[y] = a[y - 1] * (1 + Decimal(growth_a[y]))
        b[y] = b[y - 1] * (1 + Decimal(growth_b[y]))
    s["education_appropriation"] = series("10k CNY", {y: money(v) for y, v in a.items()})
    s["recurring_fiscal_revenue"] = series("10k CNY", {y: money(v) for y, v in b.items()})
    return s


def share_schedule(n, shares, rng):
    """For n entities, the first year each one qualifies, so that the share qualifying in each
    year follows `shares` (non-decreasing). Entities that never qualify get None."""
    order = list(range(n))
    rng.shuffle(order)
    start = [None] * n
    done = 0
    for y in YEARS:
        want = round(n * shares[y])
        for k in order[done:want]:
            start[k] = y
        done = max(done, want)
    return start


def schools():
    n = 100
    levels = ["primary"] * 40 + ["secondary"] * 30 + ["nine_year"] * 25 + ["special_education"] * 5
    ice = share_schedule(n, {2015: .40, 2016: .55, 2017: .70, 2018: .85, 2019: .95, 2020: 1.0}, rng)
    foreign = share_schedule(n, {2015: .60, 2016: .65, 2017: .70, 2018: .75, 2019: .82, 2020: .90}, rng)
    intl = share_schedule(n, {2015: .50, 2016: .60, 2017: .70, 2018: .80, 2019: .90, 2020: .95}, rng)
    pass_rate = {2015: 92.0, 2016: 92.8, 2017: 93.6, 2018: 94.5, 2019: 95.6, 2020: 97.0}
    trained_share = {2015: .10, 2016: .25, 2017: .45, 2018: .65, 2019: .85, 2020: 1.0}
    teacher_intl = {2015: .40, 2016: .38, 2017: .36, 2018: .35, 2019: .50, 2020: .60}
    student_intl = {2015: .10, 2016: .13, 2017: .16, 2018: .20, 2019: .25, 2020: .30}
    missing_foreign_2020 = {"S017", "S052", "S088"}
    out = []
    for i in range(n):
        sid = f"S{i + 1:03d}"
        level = levels[i]
        base_students = rng.randint(300, 2400) if level != "special_education" else rng.randint(60, 180)
        pe = rng.randint(3, 10)
        entity = {
            "kind": "school", "id": sid, "name": f"示例学校{i + 1:03d}（虚构）",
            "attributes": {"level": level, "street": STREETS[i % len(STREETS)]},
            "source": SOURCE, "records": {},
        }
        years = YEARS
        if sid == "S100":  # a school opened in 2018: outside every population before
            entity["active_from"] = 2018
            years = [y for y in YEARS if y >= 2018]
        for y in years:
            students = base_students + rng.randint(-30, 30) * (y - 2015)
            students = max(students, 40)
            eligible = students - rng.randint(0, max(1, students // 60))
            rate = min(100.0, max(80.0, rng.gauss(pass_rate[y], 1.6)))
            passed = min(eligible, int(eligible * rate / 100))
            trained = min(pe, round(pe * trained_share[y] + rng.choice([-1, 0, 0, 1]) * (y < 2020)))
            teachers = max(8, students // 12)
            rec = {
                "students": students,
                "health_test_eligible": eligible,
                "health_test_passed": passed,
                "pe_teachers": pe,
                "pe_teachers_ice_snow_trained": max(0, trained),
                "ice_snow_activity": ice[i] is not None and ice[i] <= y,
                "teachers": teachers,
                "teachers_foreign_affairs": (rng.randint(1, 6) if foreign[i] is not None and foreign[i] <= y else 0),
                "international_exchange": intl[i] is not None and intl[i] <= y,
                "teachers_international_exchange": min(teachers, round(teachers * teacher_intl[y])),
                "students_international_exchange": min(students, round(students * student_intl[y])),
            }
            if y == 2020 and sid in missing_foreign_2020:
                del rec["teachers_foreign_affairs"]  # not reported: A7 cannot be judged in 2020
            entity["records"][str(y)] = rec
        out.append(entity)
    return out


def streets():
    community = {2015: 5, 2016: 7, 2017: 10, 2018: 12, 2019: 15, 2020: 15}
    inservice = {2015: 0, 2016: 2, 2017: 4, 2018: 6, 2019: 10, 2020: 14}
    out = []
    for i, name in enumerate(STREETS):
        recs = {str(y): {"community_credit_certification": i < community[y],
                         "inservice_credit_certification": i < inservice[y]} for y in YEARS}
        out.append({"kind": "street", "id": name, "name": f"{name}街道", "source": SOURCE, "records": recs})
    return out


def projects():
    # Year each project is in use (None: not by 2020); under construction two years before.
    in_use = {1: 2016, 2: 2017, 3: 2017, 4: 2018, 5: 2018, 6: 2018, 7: 2019, 8: 2019, 9: 2019, 10: 2019,
              11: None, 12: 2019, 13: 2020, 14: 2020, 15: 2020, 16: 2020, 17: 2020}
    out = []
    for k in range(1, 18):
        recs = {}
        done = in_use[k]
        for y in YEARS:
            if done is not None and y >= done:
                state = "in_use"
            elif done is None and y >= 2020:
                state = "completed"  # 华嘉小学: built, not yet in use
            elif (done or 2021) - y <= 2:
                state = "under_construction"
            else:
                state = "planned"
            recs[str(y)] = {"state": state}
        out.append({"kind": "project", "id": f"P{k:02d}", "source": SOURCE, "records": recs})
    return out


def main():
    data = {
        "id": "xicheng-sample-synthetic-2015-2020",
        "description": "SYNTHETIC sample data for the Xicheng 2016-2020 education plan: made-up figures "
                       "for 2015 (baseline) to 2020, 100 fictional schools, 15 streets and the 17 key "
                       "projects of annex 2. Not statistics; for demonstrations and tests only.",
        "synthetic": True,
        "series": district(),
        "entities": schools() + streets() + projects(),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
