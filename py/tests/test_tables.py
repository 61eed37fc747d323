"""Tables from where they live (Arrow: polars, pyarrow, DuckDB; pandas with Arrow dtypes) and
groups in one call (``Plan.evaluate_groups``)."""

from __future__ import annotations

import warnings
from decimal import Decimal
from typing import Any

import plan_rules
import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

PLAN = plan_rules.Plan.default()
YEARS = [2016, 2017, 2018, 2019, 2020]


def _schools(n: int, seed: int = 3) -> Any:
    """n schools over five years, in three districts (made-up figures)."""
    rng = np.random.default_rng(seed)
    rows = n * len(YEARS)
    students = rng.integers(200, 3000, rows)
    eligible = students - rng.integers(0, 50, rows)
    pe = rng.integers(2, 12, rows)
    return pd.DataFrame(
        {
            "id": np.repeat([f"S{i:04d}" for i in range(n)], len(YEARS)),
            "year": np.tile(YEARS, n),
            "district": np.repeat([["east", "west", "north"][i % 3] for i in range(n)], len(YEARS)),
            "level": np.repeat(rng.choice(["primary", "secondary", "nine_year"], n), len(YEARS)),
            "students": students,
            "health_test_eligible": eligible,
            "health_test_passed": np.maximum(eligible - rng.integers(0, 100, rows), 0),
            "pe_teachers": pe,
            "pe_teachers_ice_snow_trained": (pe * rng.random(rows)).astype("int64"),
            "ice_snow_activity": rng.random(rows) < 0.9,
            "teachers": rng.integers(20, 200, rows),
            "teachers_foreign_affairs": rng.integers(0, 4, rows),
        }
    )


def _dataset(table: Any) -> plan_rules.Dataset:
    return plan_rules.Dataset.from_pandas(entities=table, kind="school", id="t")


@pytest.fixture(scope="module")
def frame() -> Any:
    return _schools(60).drop(columns=["district"])


@pytest.mark.parametrize("door", ["polars", "pyarrow", "duckdb", "pandas-arrow", "record-batch"])
def test_arrow_tables_load_as_pandas_does(frame: Any, door: str) -> None:
    expected = _dataset(frame)
    if door == "polars":
        table: Any = pl.from_pandas(frame)
    elif door == "pyarrow":
        table = pa.Table.from_pandas(frame, preserve_index=False)
    elif door == "duckdb":
        duckdb = pytest.importorskip("duckdb")
        polars_frame = pl.from_pandas(frame)  # noqa: F841 (read by the query below)
        table = duckdb.sql("select * from polars_frame")
    elif door == "record-batch":
        table = pa.RecordBatch.from_pandas(frame, preserve_index=False)
    else:
        table = frame.convert_dtypes(dtype_backend="pyarrow")
    got = _dataset(table)
    assert got.content_hash == expected.content_hash
    a = PLAN.evaluate(expected, as_of="2020-12-31", trail=False)
    b = PLAN.evaluate(got, as_of="2020-12-31", trail=False)
    assert a.to_json().replace(expected.content_hash, "") == b.to_json().replace(
        got.content_hash, ""
    )


def test_arrow_nulls_decimals_and_categoricals_read_exactly() -> None:
    table = pl.DataFrame(
        {
            "id": ["S1", "S1", "S2"],
            "year": [2019, 2020, 2020],
            "level": pl.Series(["primary", "primary", None], dtype=pl.Categorical),
            "students": pl.Series([900, None, 1200], dtype=pl.Int32),
            "pe_teachers": pl.Series(
                [Decimal("4.50"), Decimal("5"), None], dtype=pl.Decimal(10, 2)
            ),
            "ice_snow_activity": [True, None, False],
        }
    )
    data = _dataset(table)
    doc = data.to_dict()
    s1, s2 = doc["entities"]
    assert s1["attributes"] == {"level": "primary"}
    assert s1["records"]["2019"] == {
        "ice_snow_activity": True,
        "pe_teachers": Decimal("4.50"),
        "students": 900,
    }
    assert s1["records"]["2020"] == {"pe_teachers": Decimal("5.00")}
    assert "attributes" not in s2
    assert s2["records"]["2020"] == {"ice_snow_activity": False, "students": 1200}


def test_huge_and_negative_integers_are_diagnosed_not_wrapped() -> None:
    table = pa.table(
        {
            "id": ["S1", "S2", "S3"],
            "year": [2020, 2020, 2020],
            "students": pa.array([2**63 - 1, -5, None], pa.int64()),
            "teachers": pa.array([2**64 - 1, 3, 4], pa.uint64()),
        }
    )
    data = _dataset(table)
    records = [e["records"]["2020"] for e in data.to_dict()["entities"]]
    assert records[0] == {"students": 2**63 - 1, "teachers": 2**64 - 1}
    checked = PLAN.validate(data)
    codes = sorted((d.code, d.entity) for d in checked.diagnostics if d.severity == "error")
    assert ("negative_value", "S2") in codes


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (object(), "is not a table"),
        ([1, 2], "is not a table"),
        ({"id": [1]}, "tables must be given"),
    ],
)
def test_what_is_not_a_table_is_a_data_error(value: Any, match: str) -> None:
    def load() -> None:
        if isinstance(value, dict):
            PLAN.evaluate({"entities": pl.DataFrame(value), "other": 1})
        else:
            plan_rules.Dataset.from_pandas(entities=value, kind="school")

    with pytest.raises(plan_rules.DataError, match=match) as e:
        load()
    assert isinstance(e.value, ValueError)
    assert e.value.code in ("invalid_type", "invalid_shape")


def test_bad_arrow_columns_are_typed_errors() -> None:
    import datetime

    # A duration holds no data: refused, naming the column.
    durations = pa.table({"id": ["S1"], "year": [2020], "students": [datetime.timedelta(days=1)]})
    with pytest.raises(plan_rules.DataError, match="students") as e:
        _dataset(durations)
    assert e.value.code == "invalid_shape"
    # A timestamp is text (as the CLI reads Parquet's): in a count field, the engine's
    # diagnostic for that cell, as text there would be from CSV.
    times = pa.table({"id": ["S1"], "year": [2020], "students": [datetime.datetime(2020, 1, 1)]})
    found = [
        (d.code, d.field, d.message_en)
        for d in PLAN.validate(_dataset(times)).diagnostics
        if d.field == "school.students"
    ]
    assert found == [
        (
            "invalid_number",
            "school.students",
            "`2020-01-01T00:00:00` is not a number (expected a decimal number)",
        )
    ]
    no_year = pl.DataFrame({"id": ["S1"], "students": [1]})
    with pytest.raises(plan_rules.DataError, match="no `year` column"):
        _dataset(no_year)
    null_year = pl.DataFrame({"id": ["S1", "S2"], "year": [2020, None], "students": [1, 2]})
    with pytest.raises(plan_rules.DataError, match="year"):
        _dataset(null_year)
    null_id = pl.DataFrame({"id": ["S1", None], "year": [2020, 2020], "students": [1, 2]})
    with pytest.raises(plan_rules.DataError, match="id") as e:
        _dataset(null_id)
    assert e.value.path == "/columns/id/1"


def test_an_unknown_column_is_one_warning_in_the_report(frame: Any) -> None:
    data = _dataset(pl.from_pandas(frame.rename(columns={"students": "studnets"})))
    report = PLAN.evaluate(data, as_of="2020-12-31", trail=False)
    unknown = [d for d in report.diagnostics if d.code == "unknown_field"]
    assert [(d.field, d.severity) for d in unknown] == [("school.studnets", "warning")]


def test_judge_frame_reports_a_misspelt_column() -> None:
    rules = plan_rules.RowRules(kind="school")
    table = pl.DataFrame(
        {
            "level": ["primary"],
            "health_test_eligibl": [10],
            "health_test_passed": [10],
            "ice_snow_activity": [True],
        }
    )
    with pytest.warns(plan_rules.MissingColumnsWarning, match="`health_test_eligibl` for"):
        out = rules.judge_frame(table)
    assert out["A6.1"].astype(str).tolist() == ["missing"]
    with pytest.raises(plan_rules.DataError, match="health_test_eligible"):
        rules.judge_frame(table, missing="error")
    fixed = table.rename({"health_test_eligibl": "health_test_eligible"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = rules.judge_frame(fixed)
    assert out["A6.1"].astype(str).tolist() == ["met"]
    assert out["A6.2"].astype(str).tolist() == ["met"]


def test_judge_frame_reads_arrow_as_pandas(frame: Any) -> None:
    rules = plan_rules.RowRules(kind="school")
    cols = [c for c in frame.columns if c not in ("id", "year")]
    a = rules.judge_frame(frame[cols])
    b = rules.judge_frame(pl.from_pandas(frame[cols]))
    assert (a.astype(str).to_numpy() == b.astype(str).to_numpy()).all()


def test_groups_are_each_group_evaluated_alone() -> None:
    table = _schools(90)
    tidy = PLAN.evaluate_groups(table, by="district", kind="school", as_of="2020-12-31")
    assert list(tidy["group"].unique()) == ["east", "west", "north"]
    assert len(tidy) == 3 * len(tidy[tidy.group == "east"])
    for group in ("east", "west", "north"):
        part = table[table.district == group].drop(columns=["district"])
        alone = PLAN.evaluate(_dataset(part), as_of="2020-12-31", trail=False)
        rows = tidy[tidy.group == group].set_index("target")
        for r in alone.results:
            row = rows.loc[r.id]
            assert row.status == r.status, r.id
            assert row.observed == r.observed, r.id
            assert row.goal == r.target, r.id
            if r.counts is not None:
                assert (row.population, row.met, row.unmet, row.missing) == (
                    r.counts.population,
                    r.counts.met,
                    r.counts.unmet,
                    r.counts.missing,
                )
    a62 = tidy[tidy.target == "A6.2"]
    assert a62.population.tolist() == [30, 30, 30]
    assert str(a62.met.dtype) == "Int64"
    assert isinstance(a62.observed.iloc[0], Decimal)
    floats = PLAN.evaluate_groups(
        pl.from_pandas(table), by="district", kind="school", as_of="2020-12-31", numbers="float"
    )
    assert floats.observed.dtype == "float64"
    assert floats.status.tolist() == tidy.status.tolist()


def test_groups_with_series_and_reports() -> None:
    table = _schools(6)
    series = pd.DataFrame(
        {
            "district": ["east", "east", "west", "west", "south"],
            "series": ["lifelong_learning_bases"] * 5,
            "year": [2015, 2020, 2015, 2020, 2020],
            "value": [60, 100, 60, 90, 120],
        }
    )
    reports = PLAN.evaluate_groups(
        table, by="district", kind="school", series=series, as_of="2020-12-31", reports=True
    )
    assert list(reports) == ["east", "west", "north", "south"]
    assert reports["east"].result("A8.1").status == "met"
    assert reports["west"].result("A8.1").status == "not_met"
    assert reports["north"].result("A8.1").status == "not_assessable"
    assert reports["south"].result("A8.1").status == "met"
    assert reports["south"].result("A6.2").status == "not_assessable"
    assert reports["east"].result("A6.2").counts.population == 2


def test_group_errors_are_typed() -> None:
    table = _schools(3)
    with pytest.raises(plan_rules.DataError, match="no column `street`") as e:
        PLAN.evaluate_groups(table, by="street", kind="school")
    assert e.value.path == "/columns/street"
    table.loc[4, "district"] = None
    with pytest.raises(plan_rules.DataError, match="row 4 has no value") as e:
        PLAN.evaluate_groups(table, by="district", kind="school")
    assert e.value.path == "/columns/district/4"
    with pytest.raises(plan_rules.DataError, match="is not a table"):
        PLAN.evaluate_groups("schools.csv", by="district", kind="school")


def test_group_progress_is_reported_and_an_exception_stops_the_work() -> None:
    table = _schools(30)
    seen: list[tuple[int, int]] = []
    PLAN.evaluate_groups(
        table, by="district", kind="school", progress=lambda d, t: seen.append((d, t))
    )
    assert seen[0] == (0, 3)
    assert sorted(seen)[-1] == (3, 3)
    assert {t for _, t in seen} == {3}

    class Stop(Exception):
        pass

    def refuse(done: int, total: int) -> None:
        raise Stop(f"{done}/{total}")

    with pytest.raises(Stop, match="0/3"):
        PLAN.evaluate_groups(table, by="district", kind="school", progress=refuse)


def test_ctrl_c_interrupts_a_long_group_evaluation() -> None:
    import _thread
    import threading

    table = _schools(3000)
    table["district"] = table["id"]  # 3,000 groups: long enough to interrupt
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            PLAN.evaluate_groups(table, by="district", kind="school", progress=False)
    finally:
        timer.cancel()
    # The engine is usable afterwards.
    small = PLAN.evaluate_groups(_schools(3), by="district", kind="school")
    assert len(small) > 0


def test_a_tqdm_bar_shows_groups(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    PLAN.evaluate_groups(_schools(9), by="district", kind="school", progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err
    assert "group" in err


def test_evaluate_reports_progress_by_target_and_stops_on_an_exception(frame: Any) -> None:
    data = _dataset(frame)
    seen: list[tuple[int, int]] = []
    report = PLAN.evaluate(data, trail=False, progress=lambda d, t: seen.append((d, t)))
    total = len(PLAN.targets)
    assert seen[0] == (0, total)
    assert max(seen) == (total, total)
    quiet = PLAN.evaluate(data, trail=False)
    assert report.to_json() == quiet.to_json()

    def refuse(done: int, total: int) -> None:
        raise RuntimeError(f"stopped at {done}/{total}")

    with pytest.raises(RuntimeError, match="stopped at 0/"):
        PLAN.evaluate(data, progress=refuse)
    assert data._native.table_rows == len(frame)


def test_loading_reports_progress_by_column_and_stops_on_an_exception() -> None:
    table = _schools(30).drop(columns=["district"])
    seen: list[tuple[int, int]] = []
    data = plan_rules.Dataset.from_pandas(
        entities=table, kind="school", progress=lambda d, t: seen.append((d, t))
    )
    quiet = plan_rules.Dataset.from_pandas(entities=table, kind="school")
    assert data.to_json() == quiet.to_json()
    # Every column but id and year once, then id, year and the table's build: 3 more steps.
    fields = len(table.columns) - 2
    total = fields + 3
    assert seen[0] == (0, total)
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == list(range(total + 1))

    def refuse(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        plan_rules.Dataset.from_pandas(entities=table, kind="school", progress=refuse)


def test_a_tqdm_bar_shows_loading(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    table = _schools(9).drop(columns=["district"])
    plan_rules.Dataset.from_pandas(entities=table, kind="school", progress=True)
    err = capsys.readouterr().err
    assert "loading" in err
    assert "column" in err
