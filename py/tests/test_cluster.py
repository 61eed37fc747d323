"""The same evaluation on a Dask cluster (distributed.LocalCluster with worker processes): the
table partitioned by district, each partition's groups evaluated on a worker, the tidy tables
concatenated: the same table as one call on one machine."""

from __future__ import annotations

from typing import Any

import plan_rules
import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

YEARS = [2016, 2017, 2018, 2019, 2020]
DISTRICTS = [f"d{i:02d}" for i in range(8)]


def _schools(n: int) -> Any:
    rng = np.random.default_rng(11)
    rows = n * len(YEARS)
    students = rng.integers(200, 3000, rows)
    eligible = students - rng.integers(0, 50, rows)
    return pd.DataFrame(
        {
            "id": np.repeat([f"S{i:05d}" for i in range(n)], len(YEARS)),
            "year": np.tile(YEARS, n),
            "district": np.repeat([DISTRICTS[i % len(DISTRICTS)] for i in range(n)], len(YEARS)),
            "level": np.repeat(rng.choice(["primary", "secondary"], n), len(YEARS)),
            "students": students,
            "health_test_eligible": eligible,
            "health_test_passed": np.maximum(eligible - rng.integers(0, 60, rows), 0),
            "ice_snow_activity": rng.random(rows) < 0.95,
            "teachers_foreign_affairs": rng.integers(0, 3, rows),
        }
    )


def _evaluate_partition(part: Any, plan: plan_rules.Plan) -> Any:
    if part.empty:
        return _empty()
    return plan.evaluate_groups(part, by="district", kind="school", as_of="2020-12-31")


def _empty() -> Any:
    from plan_rules._frames import GROUP_COLUMNS, group_frame

    return group_frame([], floats=False)[GROUP_COLUMNS]


def _canonical(frame: Any) -> Any:
    out = frame.sort_values(["group", "target"]).reset_index(drop=True)
    return out.astype(str)


def test_a_dask_cluster_gives_the_one_machine_table() -> None:
    table = _schools(4000)  # 20,000 school-years in 8 districts
    plan = plan_rules.Plan.default()
    expected = plan.evaluate_groups(table, by="district", kind="school", as_of="2020-12-31")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        # Whole districts in each partition: a shuffle on the group column.
        frame = dd.from_pandas(table, npartitions=4).shuffle(on="district", npartitions=3)
        meta = _empty()
        got = frame.map_partitions(_evaluate_partition, plan, meta=meta).compute()
        workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2  # two worker processes did the work
    assert sorted(got["group"].unique()) == DISTRICTS
    pd.testing.assert_frame_equal(_canonical(got), _canonical(expected))
