"""Per-school targets from a pandas table: one row per school and year, through column buffers.

``python examples/schools_table.py [ROWS]`` builds a synthetic table (default 100 000 rows) and
evaluates the school targets (A4.1, A6.1, A6.2, A7) on it.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import plan_rules

YEARS = np.arange(2016, 2021)


def school_table(rows: int, seed: int = 1) -> pd.DataFrame:
    """A synthetic table of schools by year (made-up figures)."""
    rng = np.random.default_rng(seed)
    schools = max(1, rows // len(YEARS))
    n = schools * len(YEARS)
    ids = np.repeat(np.array([f"S{i:06d}" for i in range(schools)], dtype=object), len(YEARS))
    levels = rng.choice(["primary", "secondary", "nine_year"], schools)
    students = rng.integers(200, 3000, n)
    eligible = students - rng.integers(0, 50, n)
    pe = rng.integers(2, 12, n)
    return pd.DataFrame(
        {
            "id": ids,
            "year": np.tile(YEARS, schools),
            "level": pd.Categorical(np.repeat(levels, len(YEARS))),
            "students": students,
            "health_test_eligible": eligible,
            "health_test_passed": np.maximum(eligible - rng.integers(0, 100, n), 0),
            "pe_teachers": pe,
            "pe_teachers_ice_snow_trained": (pe * rng.random(n)).astype("int64"),
            "ice_snow_activity": rng.random(n) < 0.97,
            "teachers": rng.integers(20, 200, n),
            "teachers_foreign_affairs": rng.integers(0, 4, n),
        }
    )


def main(rows: int) -> plan_rules.Report:
    plan = plan_rules.Plan.default()
    frame = school_table(rows)
    start = time.perf_counter()
    data = plan_rules.Dataset.from_pandas(entities=frame, kind="school", id="schools")
    loaded = time.perf_counter()
    report = plan.evaluate(data, as_of="2020-12-31", trail=False)
    done = time.perf_counter()
    print(
        f"{len(frame)} rows: loaded in {loaded - start:.1f} s, evaluated in {done - loaded:.1f} s"
    )
    for id in ("A4.1", "A6.1", "A6.2", "A7"):
        r = report.result(id)
        print(id, r.status, r.observed, r.counts)
    return report


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
