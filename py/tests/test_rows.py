"""Row verdicts: one record as a dict, many rows as a pandas table (plan_rules.RowRules)."""

from __future__ import annotations

import json
import pickle
import time
from decimal import Decimal
from typing import Any

import plan_rules
import pytest
from plan_rules import RowRules

SCHOOL = ("A4.1", "A6.1", "A6.2", "A7", "B3/schools", "B3/teachers", "B3/students")
DISTRICT = ("A1", "A2", "A3", "A8.1", "B1")


@pytest.fixture(scope="module")
def school() -> RowRules:
    return RowRules(kind="school")


@pytest.fixture(scope="module")
def district() -> RowRules:
    return RowRules()


def _school(**values: Any) -> dict[str, Any]:
    """A complete school-year record that meets every school target, with changes."""
    record: dict[str, Any] = {
        "level": "primary",
        "students": 2000,
        "health_test_eligible": 2000,
        "health_test_passed": 2000,
        "pe_teachers": 8,
        "pe_teachers_ice_snow_trained": 8,
        "ice_snow_activity": True,
        "teachers": 150,
        "teachers_foreign_affairs": 2,
        "international_exchange": True,
        "teachers_international_exchange": 150,
        "students_international_exchange": 2000,
    }
    record.update(values)
    return record


def test_targets_fields_attributes(school: RowRules, district: RowRules) -> None:
    assert school.target_ids == SCHOOL
    assert school.targets[1] == plan_rules.RowTarget("A6.1", "rate")
    assert school.targets[2].kind == "coverage"
    assert school.kind == "school"
    assert "health_test_passed" in school.fields
    assert school.attributes == ("level",)
    assert district.kind is None
    assert district.target_ids == DISTRICT
    assert district.attributes == ()
    assert "lifelong_learning_bases" in district.fields
    assert school.plan.id == plan_rules.Plan.default().id
    assert repr(school).startswith("<plan_rules.RowRules school")


def test_a_complete_record_meets_every_school_target(school: RowRules) -> None:
    verdicts = school.judge(_school())
    assert verdicts == dict.fromkeys(SCHOOL, "met")
    assert list(verdicts) == list(SCHOOL)


@pytest.mark.parametrize(
    ("values", "target", "verdict"),
    [
        # 1999 / 2000 = 99.95%: full-value comparison against 100% is not met.
        ({"health_test_passed": 1999}, "A6.1", "not_met"),
        ({"health_test_passed": 2000}, "A6.1", "met"),
        ({"health_test_passed": 2001}, "A6.1", "invalid"),  # passed above eligible
        ({"health_test_eligible": 0, "health_test_passed": 0}, "A6.1", "invalid"),
        ({"health_test_passed": None}, "A6.1", "missing"),
        ({"level": "special_education"}, "A6.1", "not_applicable"),
        ({"level": "special_education"}, "A6.2", "met"),  # A6.2 has no filter
        ({"teachers_foreign_affairs": Decimal("1.5")}, "A7", "invalid"),  # fractional count
        ({"teachers_foreign_affairs": Decimal("1.0")}, "A7", "met"),  # a whole number
        ({"teachers_foreign_affairs": 0}, "A7", "not_met"),
        ({"teachers_foreign_affairs": -1}, "A7", "invalid"),
        ({"teachers_foreign_affairs": Decimal("-0")}, "A7", "not_met"),  # -0 is zero
        ({"teachers_foreign_affairs": Decimal("-0.00")}, "A7", "not_met"),
        ({"teachers_foreign_affairs": "3"}, "A7", "met"),  # decimal text
        ({"teachers_foreign_affairs": "three"}, "A7", "invalid"),
        ({"teachers_foreign_affairs": True}, "A7", "invalid"),  # a bool is no number
        ({"teachers_foreign_affairs": 1.0}, "A7", "met"),
        ({"teachers_foreign_affairs": 0.5}, "A7", "invalid"),
        ({"teachers_foreign_affairs": 10**30}, "A7", "invalid"),  # beyond exact decimals
        ({"ice_snow_activity": False}, "A6.2", "not_met"),
        ({"ice_snow_activity": 1}, "A6.2", "invalid"),  # an int is no flag
        ({"ice_snow_activity": "true"}, "A6.2", "invalid"),
        ({"pe_teachers_ice_snow_trained": 7}, "A4.1", "not_met"),
        ({"students_international_exchange": 1999}, "B3/students", "not_met"),
    ],
)
def test_exact_verdicts(
    school: RowRules, values: dict[str, Any], target: str, verdict: str
) -> None:
    assert school.judge(_school(**values))[target] == verdict


def test_missing_keys_are_missing(school: RowRules) -> None:
    verdicts = school.judge({})
    del verdicts["A6.1"]  # filtered by level, which is absent too
    assert verdicts == {
        "A4.1": "missing",
        "A6.2": "missing",
        "A7": "missing",
        "B3/schools": "missing",
        "B3/teachers": "missing",
        "B3/students": "missing",
    }
    only_rate = {"level": "secondary", "health_test_eligible": 2000, "health_test_passed": 1999}
    assert school.judge(only_rate)["A6.1"] == "not_met"


def test_a_part_above_its_total_is_invalid_for_every_target_reading_it(
    school: RowRules,
) -> None:
    # eligible (2001) above students (2000): A6.1 reads eligible, so it is invalid.
    verdicts = school.judge(_school(health_test_eligible=2001, health_test_passed=2001))
    assert verdicts["A6.1"] == "invalid"
    assert verdicts["A6.2"] == "met"


def test_attributes_argument(school: RowRules) -> None:
    record = _school()
    del record["level"]
    # No level: unknown, so missing (as full evaluation counts it), not outside the population.
    assert school.judge(record)["A6.1"] == "missing"
    assert school.judge(record, {"level": None})["A6.1"] == "missing"
    assert school.judge(record, {"level": "nine_year"})["A6.1"] == "met"
    assert school.judge(record, {"level": "special_education"})["A6.1"] == "not_applicable"
    assert school.judge(record, {"level": "kindergarten"})["A6.1"] == "not_applicable"
    # `attributes` wins over the record's own.
    assert school.judge(_school(), {"level": "special_education"})["A6.1"] == "not_applicable"


def test_district_record(district: RowRules) -> None:
    record = {
        "preschool_children_hukou": 10400,
        "preschool_enrolled_hukou": 10400,
        "free_education_years_disabled": 15,
        "hs_graduation_cohort": 2500,
        "hs_graduates": Decimal("2499"),
        "lifelong_learning_bases": "99",
        "certification_points": 480.0,
    }
    assert district.judge(record) == {
        "A1": "met",
        "A2": "met",
        "A3": "not_met",
        "A8.1": "not_met",
        "B1": "not_met",
    }


def test_states_by_name() -> None:
    projects = RowRules(kind="project")
    (target,) = projects.target_ids
    assert projects.judge({"state": "in_use"}) == {target: "met"}
    assert projects.judge({"state": "planned"}) == {target: "not_met"}
    assert projects.judge({"state": "demolished"}) == {target: "invalid"}
    assert projects.judge({"state": 3}) == {target: "invalid"}
    assert projects.judge({}) == {target: "missing"}


def test_numpy_scalars(school: RowRules) -> None:
    np = pytest.importorskip("numpy")
    verdicts = school.judge(
        _school(
            health_test_passed=np.int64(1999),
            ice_snow_activity=np.bool_(False),
            teachers_foreign_affairs=np.float64(2.0),
        )
    )
    assert (verdicts["A6.1"], verdicts["A6.2"], verdicts["A7"]) == ("not_met", "not_met", "met")


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity"), [1], {"a": 1}, object()],
)
def test_values_with_no_exact_form_raise(school: RowRules, value: Any) -> None:
    with pytest.raises(plan_rules.DataError) as e:
        school.judge(_school(students=value))
    assert e.value.path == "/students"


def test_bad_arguments_raise(school: RowRules) -> None:
    with pytest.raises(plan_rules.DataError, match="must be a dict"):
        school.judge([("students", 1)])  # type: ignore[arg-type]
    with pytest.raises(plan_rules.DataError, match="attribute must be text"):
        school.judge(_school(level=1.5))
    with pytest.raises(plan_rules.RequestError) as e:
        RowRules(kind="castle")
    assert e.value.code == "invalid_request"
    assert e.value.path == "/kind"


def test_other_plans_and_pickle() -> None:
    from _paths import ROOT

    case = json.loads((ROOT / "tests/vectors/cases/003-rate-99.95-rounded-1dp.json").read_text())
    plan = plan_rules.Plan.from_dict(case["plan"])  # one rate, rounded-value at one place
    rules = RowRules(plan)
    # Rounded-value comparison at one place: 99.95% rounds (half to even) to 100.0%.
    assert rules.target_ids == ("T",)
    assert rules.judge({"num": 1999, "den": 2000}) == {"T": "met"}
    assert rules.judge({"num": 1998, "den": 2000}) == {"T": "not_met"}
    again = pickle.loads(pickle.dumps(rules))
    assert isinstance(again, RowRules)
    assert again.plan.content_hash == plan.content_hash
    assert again.judge({"num": 1999, "den": 2000}) == {"T": "met"}


# --- tables --------------------------------------------------------------------------------


def test_judge_frame_agrees_with_judge(school: RowRules) -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    records = [
        _school(),
        _school(health_test_passed=1999, level="secondary"),
        _school(health_test_passed=2001),
        _school(level="special_education", ice_snow_activity=False),
        _school(teachers_foreign_affairs=None, pe_teachers=None),
        _school(teachers_foreign_affairs=0, level=None),
    ]
    frame = pd.DataFrame(records, index=[10, 11, 12, 13, 14, 15])
    out = school.judge_frame(frame)
    assert list(out.columns) == list(SCHOOL)
    assert list(out.index) == [10, 11, 12, 13, 14, 15]
    assert isinstance(out["A6.1"].dtype, pd.CategoricalDtype)
    assert list(out["A6.1"].cat.categories) == list(plan_rules.VERDICTS)
    for i, record in enumerate(records):
        assert out.iloc[i].astype(str).to_dict() == school.judge(record), i
    codes = school.judge_frame(frame, codes=True)
    assert codes["A6.1"].dtype == np.int8
    assert [plan_rules.VERDICTS[c] for c in codes["A6.1"]] == list(out["A6.1"].astype(str))


def test_judge_frame_dtypes(school: RowRules) -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    frame = pd.DataFrame(
        {
            "health_test_eligible": pd.array([2000, 2000, 2000, None, 2000], dtype="Int64"),
            "health_test_passed": [Decimal("1999"), Decimal("2000"), "2000", 5, Decimal("1e3")],
            "teachers_foreign_affairs": [1.0, np.nan, 0.5, 2.0, 0.0],
            "ice_snow_activity": pd.array([True, None, False, True, True], dtype="boolean"),
            "level": pd.Categorical(["primary", "primary", None, "secondary", "nine_year"]),
            "unrelated": ["x"] * 5,
        }
    )
    out = school.judge_frame(frame).astype(str)
    assert list(out["A6.1"]) == ["not_met", "met", "missing", "missing", "not_met"]
    assert list(out["A7"]) == ["met", "missing", "invalid", "met", "not_met"]
    assert list(out["A6.2"]) == ["met", "missing", "not_met", "met", "met"]
    assert set(out["A4.1"]) == {"missing"}  # no columns for it
    fixed = school.judge_frame(frame, attributes={"level": "special_education"}).astype(str)
    assert set(fixed["A6.1"]) == {"not_applicable"}


def test_judge_frame_refuses_what_tables_refuse(school: RowRules) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"students": [1.0, float("inf")]})
    with pytest.raises(plan_rules.DataError, match="finite") as e:
        school.judge_frame(frame)
    assert e.value.path == "/columns/students/1"
    empty = school.judge_frame(pd.DataFrame({"students": pd.Series([], dtype="int64")}))
    assert empty.shape == (0, len(SCHOOL))


def test_a_million_rows_through_buffers(school: RowRules) -> None:
    """One million school-year rows judged from column buffers, exactly, in about a second."""
    import runpy

    pd = pytest.importorskip("pandas")
    from _paths import PY

    frame = runpy.run_path(str(PY / "examples" / "schools_table.py"))["school_table"](1_000_000)
    start = time.perf_counter()
    out = school.judge_frame(frame)
    elapsed = time.perf_counter() - start
    assert out.shape == (1_000_000, len(SCHOOL))
    met = out == "met"
    # What pandas computes by hand, exactly (integers only).
    expected_a61 = frame.health_test_passed >= frame.health_test_eligible
    assert (met["A6.1"] == expected_a61).all()
    assert met["A6.2"].sum() == frame.ice_snow_activity.sum()
    assert met["A7"].sum() == (frame.teachers_foreign_affairs >= 1).sum()
    a41 = frame.pe_teachers_ice_snow_trained >= frame.pe_teachers
    assert (met["A4.1"] == a41).all()
    assert isinstance(out["A6.1"].dtype, pd.CategoricalDtype)
    assert elapsed < 30, f"took {elapsed:.1f} s"


def test_judge_frame_releases_the_gil(school: RowRules) -> None:
    import threading

    pd = pytest.importorskip("pandas")
    n = 2_000_000
    frame = pd.DataFrame(
        {"health_test_eligible": [2000] * n, "health_test_passed": [1999] * n, "level": "primary"}
    )
    ticks = 0
    stop = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        time.sleep(0.05)
        before = ticks
        start = time.perf_counter()
        school.judge_frame(frame)
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    assert during > elapsed * 1000 * 0.2, (during, elapsed)
