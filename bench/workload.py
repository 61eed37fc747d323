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
    {"id": "A1", "test": "rate", "n": "preschool_enrolled_hukou", "d": "preschool_children_hukou"},
    {"id": "A2", "test": "min", "field": "free_education_years_disabled", "min": "15", "type": "quantity"},
    {"id": "A3", "test": "rate", "n": "hs_graduates", "d": "hs_graduation_cohort"},
    {"id": "A8.1", "test": "min", "field": "lifelong_learning_bases", "min": "100", "type": "count"},
    {"id": "B1", "test": "min", "field": "certification_points", "min": "500", "type": "count"},
    {"id": "A4.1", "test": "rate", "n": "pe_teachers_ice_snow_trained", "d": "pe_teachers"},
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
    {"id": "B3/teachers", "test": "rate", "n": "teachers_international_exchange", "d": "teachers"},
    {"id": "B3/students", "test": "rate", "n": "students_international_exchange", "d": "students"},
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
    out["level_code"] = np.fromfile(data / "level.u8", dtype="u1", count=-1 if rows is None else rows)
    return out
