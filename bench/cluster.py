"""Ten million school-years, grouped by district, on one machine and on a Dask cluster
(issue 14): ``Plan.evaluate_groups`` over the whole table in one process, and the same over a
partitioned Dask dataframe on ``distributed.LocalCluster`` worker processes (each partition
holding whole districts, each evaluated by ``evaluate_groups`` on its worker). Prints both
times and checks that the two tidy tables are the same.

    py/.venv/bin/python bench/cluster.py [--rows 10000000] [--workers 2] [--districts 300]

The table is generated (seed 11): schools spread over the districts, five years each, the
school fields of the Xicheng plan as int64 counts and bool flags, ``level`` as a categorical.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import plan_rules

YEARS = np.arange(2016, 2021)


def table(rows: int, districts: int) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    schools = rows // len(YEARS)
    n = schools * len(YEARS)
    school = np.arange(n) // len(YEARS)
    students = rng.integers(200, 3000, n)
    eligible = students - rng.integers(0, 50, n)
    pe = rng.integers(2, 12, n)
    names = np.array([f"D{d:03d}" for d in range(districts)], dtype=object)
    return pd.DataFrame(
        {
            "id": pd.Series(
                np.char.add("S", np.char.zfill(school.astype(str), 7)), dtype=object
            ),
            "year": np.tile(YEARS, schools),
            "district": pd.Categorical(names[school % districts]),
            "level": pd.Categorical(
                np.repeat(
                    rng.choice(["primary", "secondary", "nine_year"], schools),
                    len(YEARS),
                )
            ),
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


def evaluate_partition(part: pd.DataFrame, plan: plan_rules.Plan) -> pd.DataFrame:
    if part.empty:
        return empty()
    return plan.evaluate_groups(part, by="district", kind="school", as_of="2020-12-31")


def empty() -> pd.DataFrame:
    from plan_rules._frames import group_frame

    return group_frame([])


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["group", "target"]).reset_index(drop=True).astype(str)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--districts", type=int, default=300)
    args = ap.parse_args()
    import dask.dataframe as dd
    import distributed

    t = time.perf_counter()
    frame = table(args.rows, args.districts)
    print(
        f"table: {len(frame):,} rows, {frame.memory_usage(deep=True).sum() / 2**20:.0f} MB, "
        f"built in {time.perf_counter() - t:.1f} s"
    )
    plan = plan_rules.Plan.default()
    t = time.perf_counter()
    one = plan.evaluate_groups(frame, by="district", kind="school", as_of="2020-12-31")
    one_s = time.perf_counter() - t
    print(f"one machine: evaluate_groups in {one_s:.1f} s ({len(one):,} rows out)")
    with (
        distributed.LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster),
    ):
        t = time.perf_counter()
        parts = dd.from_pandas(frame, npartitions=4 * args.workers).shuffle(
            on="district", npartitions=2 * args.workers
        )
        parts = parts.persist()
        distributed.wait(parts)
        ship_s = time.perf_counter() - t
        t = time.perf_counter()
        got = parts.map_partitions(evaluate_partition, plan, meta=empty()).compute()
        dask_s = time.perf_counter() - t
    print(
        f"dask, {args.workers} worker processes: table partitioned by district in {ship_s:.1f} s, "
        f"evaluated in {dask_s:.1f} s"
    )
    same = canonical(got).equals(canonical(one))
    print(f"same table: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
