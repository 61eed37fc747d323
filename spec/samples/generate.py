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
# Figures added after the first version draw from their own generator, so the older figures stay as they were.
rng2 = random.Random(20201231)

# Annex 2 of the plan: each key project's row, type, name and subdistrict (街道), as the plan lists them.
PROJECTS = [
    ("中学", "铁二中改扩建项目", "月坛"), ("中学", "十四中初中部改建", "广内"), ("中学", "161中学改扩建", "西长安街"),
    ("中学", "北纬路中学改建", "天桥"), ("中学", "北京八中初中部（中信城）", "陶然亭"),
    ("小学", "顺城街一小教学楼翻扩建", "西长安街"), ("小学", "实验二小广外分校翻扩建", "广外"),
    ("小学", "北京小学宿舍楼及综合楼改造", "广内"), ("小学", "中古小学分校翻建", "展览路"), ("小学", "涭水河小学翻建", "金融街"),
    ("小学", "华嘉小学", "西长安街"), ("小学", "长安小学新建项目", "西长安街"),
    ("幼儿园", "四幼", "白纸坊"), ("幼儿园", "陶然亭幼儿园", "陶然亭"), ("幼儿园", "百万庄还建幼儿园", "展览路"),
    ("幼儿园", "三教寺幼儿园扩建", "白纸坊"), ("直属单位", "研修学院扩建", "新街口"),
]


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
    # R1: subject leaders and key teachers stay above 25% of full-time teachers every year (met at the end).
    teachers = {2015: 9420, 2016: 9510, 2017: 9640, 2018: 9730, 2019: 9810, 2020: 9900}
    key_share = {2015: "0.258", 2016: "0.261", 2017: "0.266", 2018: "0.270", 2019: "0.274", 2020: "0.279"}
    s["teachers_fulltime_total"] = series("persons", teachers)
    s["key_teachers_total"] = series("persons", {
        y: int((Decimal(teachers[y]) * Decimal(key_share[y])).to_integral_value(ROUND_HALF_EVEN)) for y in YEARS})
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
                # R2: every school has a key teacher of district level or above, except S100 in its
                # first year (2018): a failed year of an every-year floor is final.
                "district_key_teachers": 0 if (sid, y) == ("S100", 2018) else min(teachers, rng2.randint(1, 12)),
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
        kind, name, street = PROJECTS[k - 1]
        out.append({"kind": "project", "id": f"P{k:02d}", "name": name, "attributes": {"type": kind, "street": street},
                    "source": SOURCE, "records": recs})
    return out


# Recorded judgements on three qualitative targets: MADE UP, by a fictional panel, to show how a
# recorded verdict reads (spec/README.md 4.10). Nothing here says what Xicheng actually did.
PANEL = "示例评审组（虚构） fictional review panel"


def judgements():
    def j(target, verdict, on, evidence):
        return {"target": target, "verdict": verdict, "by": PANEL, "on": on,
                "evidence": f"虚构示例，非真实评估 synthetic, not a real assessment: {evidence}"}
    return [
        j("C9.1", "met", "2018-09-30", "学区办公室均已挂牌运行（虚构） every school cluster's office open (made up)"),
        j("C7.7", "on_track", "2018-06-30", "教育人才中心筹建方案已批复（虚构） the centre's plan approved, not yet open (made up)"),
        j("C10.1", "not_met", "2020-12-31", "教育史馆尚未建成（虚构） the museum not built by the end of 2020 (made up)"),
    ]


def main():
    data = {
        "id": "xicheng-sample-synthetic-2015-2020",
        "description": "SYNTHETIC sample data for the Xicheng 2016-2020 education plan: made-up figures "
                       "for 2015 (baseline) to 2020, 100 fictional schools, 15 subdistricts (jiedao) and the 17 key "
                       "projects of annex 2, and three made-up recorded judgements. Not statistics; for "
                       "demonstrations and tests only.",
        "synthetic": True,
        "series": district(),
        "entities": schools() + streets() + projects(),
        "judgements": judgements(),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
