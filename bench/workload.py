"""The benchmark workload, shared by the Python engines and written out for the Node ones.

The 12 row-judgeable threshold targets of the Xicheng plan, exactly what
``RowRules::for_series`` (5 district-year targets) and ``RowRules::for_entity_kind(plan,
"school")`` (7 school-year targets) judge, written down as data so every hand-written peer does
the same work: a verdict per target among met / not_met / missing / invalid / not_applicable,
with the dictionary's checks (whole non-negative counts, a value never above its declared
total, a positive denominator).
"""

from __future__ import annotations

import json
from pathlib import Path

# (id, test, fields...)  test: rate (numerator, denominator) at 100 %, full value: met iff n >= d;
# min (field, minimum, value type); flag (field). `totals` are the dictionary's at_most
# relations the target's fields must respect; `levels` the population filter on `level`.
TARGETS: list[dict] = [
    {
        "id": "A1",
        "test": "rate",
        "n": "preschool_enrolled_hukou",
        "d": "preschool_children_hukou",
    },
    {
        "id": "A2",
        "test": "min",
        "field": "free_education_years_disabled",
        "min": "15",
        "type": "quantity",
    },
    {"id": "A3", "test": "rate", "n": "hs_graduates", "d": "hs_graduation_cohort"},
    {
        "id": "A8.1",
        "test": "min",
        "field": "lifelong_learning_bases",
        "min": "100",
        "type": "count",
    },
    {
        "id": "B1",
        "test": "min",
        "field": "certification_points",
        "min": "500",
        "type": "count",
    },
    {
        "id": "A4.1",
        "test": "rate",
        "n": "pe_teachers_ice_snow_trained",
        "d": "pe_teachers",
    },
    {
        "id": "A6.1",
        "test": "rate",
        "n": "health_test_passed",
        "d": "health_test_eligible",
        "totals": [["health_test_eligible", "students"]],
        "levels": ["primary", "secondary", "nine_year"],
    },
    {"id": "A6.2", "test": "flag", "field": "ice_snow_activity"},
    {
        "id": "A7",
        "test": "min",
        "field": "teachers_foreign_affairs",
        "min": "1",
        "type": "count",
        "totals": [["teachers_foreign_affairs", "teachers"]],
    },
    {"id": "B3/schools", "test": "flag", "field": "international_exchange"},
    {
        "id": "B3/teachers",
        "test": "rate",
        "n": "teachers_international_exchange",
        "d": "teachers",
    },
    {
        "id": "B3/students",
        "test": "rate",
        "n": "students_international_exchange",
        "d": "students",
    },
]
DISTRICT_IDS = ["A1", "A2", "A3", "A8.1", "B1"]
SCHOOL_IDS = ["A4.1", "A6.1", "A6.2", "A7", "B3/schools", "B3/teachers", "B3/students"]
SCHOOL_TARGETS = [t for t in TARGETS if t["id"] in SCHOOL_IDS]


def load(data: Path) -> tuple[dict, dict]:
    """The one record (`record.json`) and the batch's metadata (`meta.json`)."""
    record = json.loads((data / "record.json").read_text())
    meta = json.loads((data / "meta.json").read_text())
    return record, meta


def columns(data: Path, meta: dict, rows: int | None = None) -> dict:
    """The batch as NumPy arrays: int64 counts, bool flags, and `level` as strings' codes."""
    import numpy as np

    out = {}
    for field, name in meta["columns"].items():
        dtype = "<i4" if name.endswith(".i32") else "u1"
        a = np.fromfile(data / name, dtype=dtype, count=-1 if rows is None else rows)
        out[field] = a.astype("int64") if dtype == "<i4" else a.astype(bool)
    out["level_code"] = np.fromfile(
        data / "level.u8", dtype="u1", count=-1 if rows is None else rows
    )
    return out


# --- the second workload: one district-year record of 20 integer fields, 13 threshold targets --
# The rule set is bench/plans/district-20.json (district series only: rates at 95-100 %, counts
# with `>=` and `<=`, a band, a duration, values). More tests than the first workload's: a rate
# may have a `percent` other than 100 (met iff n × 100 ≥ percent × d, exact); `max` (v ≤ max) and
# `band` (lower ≤ v ≤ upper, above the band not met).
DISTRICT20_TARGETS: list[dict] = [
    {
        "id": "D1",
        "test": "rate",
        "n": "children_3_5_enrolled",
        "d": "children_3_5",
        "percent": "95",
    },
    {
        "id": "D2",
        "test": "rate",
        "n": "compulsory_enrolled",
        "d": "compulsory_age_children",
    },
    {
        "id": "D3",
        "test": "rate",
        "n": "hs_graduates",
        "d": "hs_cohort",
        "percent": "98",
        "totals": [["hs_cohort", "students"]],
    },
    {
        "id": "D4",
        "test": "rate",
        "n": "teachers_bachelor",
        "d": "teachers",
        "percent": "90",
    },
    {"id": "D5", "test": "rate", "n": "schools_standard_playground", "d": "schools"},
    {
        "id": "D6",
        "test": "rate",
        "n": "disabled_children_enrolled",
        "d": "disabled_children",
        "percent": "97.5",
    },
    {
        "id": "D7",
        "test": "min",
        "field": "free_education_years",
        "min": "15",
        "type": "quantity",
    },
    {
        "id": "D8",
        "test": "min",
        "field": "new_kindergarten_places",
        "min": "3000",
        "type": "count",
    },
    {
        "id": "D9",
        "test": "min",
        "field": "community_learning_centres",
        "min": "50",
        "type": "count",
    },
    {
        "id": "D10",
        "test": "max",
        "field": "school_safety_incidents",
        "max": "0",
        "type": "count",
    },
    {
        "id": "D11",
        "test": "band",
        "field": "exchange_programmes",
        "lower": "27",
        "upper": "33",
        "type": "count",
    },
    {
        "id": "D12",
        "test": "max",
        "field": "max_class_size",
        "max": "45",
        "type": "quantity",
    },
    {
        "id": "D13",
        "test": "min",
        "field": "library_books_per_student",
        "min": "30",
        "type": "quantity",
    },
]
DISTRICT20_IDS = [t["id"] for t in DISTRICT20_TARGETS]
DISTRICT20_PLAN = Path(__file__).resolve().parent / "plans/district-20.json"


def percent_of(t: dict) -> tuple[int, int]:
    """A rate's percent as whole numbers (m, k): met iff n × k ≥ m × d (k = 100 × 10^scale)."""
    from decimal import Decimal

    p = Decimal(t.get("percent", "100"))
    scale = max(0, -p.as_tuple().exponent)
    return int(p * 10**scale), 100 * 10**scale


def district20_columns(data: Path, meta: dict, rows: int | None = None) -> dict:
    """The second workload's batch as int64 NumPy arrays (20 fields)."""
    import numpy as np

    return {
        field: np.fromfile(
            data / name, dtype="<i4", count=-1 if rows is None else rows
        ).astype("int64")
        for field, name in meta["columns"].items()
    }
