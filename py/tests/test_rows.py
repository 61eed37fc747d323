"""Row verdicts: one record as a dict, many rows as a pandas table (plan_rules.RowRules)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
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
    # `unrelated` matches no field while A4.1's fields have no column: reported.
    with pytest.warns(plan_rules.MissingColumnsWarning, match="`unrelated` match no field"):
        out = school.judge_frame(frame).astype(str)
    assert list(out["A6.1"]) == ["not_met", "met", "missing", "missing", "not_met"]
    assert list(out["A7"]) == ["met", "missing", "invalid", "met", "not_met"]
    assert list(out["A6.2"]) == ["met", "missing", "not_met", "met", "met"]
    assert set(out["A4.1"]) == {"missing"}  # no columns for it
    fixed = school.judge_frame(
        frame, attributes={"level": "special_education"}, missing="ignore"
    ).astype(str)
    assert set(fixed["A6.1"]) == {"not_applicable"}


def test_judge_frame_refuses_what_tables_refuse(school: RowRules) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"students": [1.0, float("inf")]})
    with pytest.raises(plan_rules.DataError, match="finite") as e:
        school.judge_frame(frame)
    assert e.value.path == "/columns/students/1"
    empty = school.judge_frame(pd.DataFrame({"students": pd.Series([], dtype="int64")}))
    assert empty.shape == (0, len(SCHOOL))


LEVELS = ["primary", "secondary", "nine_year", "special_education", "kindergarten", None]


def _random_table(school: RowRules, rows: int, seed: int, dtype: str = "int64") -> Any:
    """Random school rows: small counts (zeros, parts above totals; negatives for signed
    dtypes), flags, and levels inside, outside and missing from A6.1's population."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(seed)
    low = 0 if np.dtype(dtype).kind == "u" else -2
    columns: dict[str, Any] = {}
    for field, kind in zip(school.fields, school.field_types()):
        if kind == "flag":
            columns[field] = rng.random(rows) < 0.7
        else:
            columns[field] = rng.integers(low, 12, rows).astype(dtype)
    columns["level"] = pd.Categorical(rng.choice(np.array(LEVELS, dtype=object), rows))
    return pd.DataFrame(columns)


def _by_record(school: RowRules, frame: Any) -> list[dict[str, str]]:
    pd = pytest.importorskip("pandas")
    records = frame.astype(object).to_dict("records")
    return [school.judge({k: v for k, v in r.items() if not pd.isna(v)}) for r in records]


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "uint16", "uint32"])
def test_judge_frame_reads_numpy_integer_columns_in_place(school: RowRules, dtype: str) -> None:
    """NumPy integer and bool columns cross without a copy and give `judge`'s verdicts."""
    frame = _random_table(school, 3000, seed=len(dtype), dtype=dtype)
    out = school.judge_frame(frame).astype(str)
    assert out.to_dict("records") == _by_record(school, frame)
    # The same values as Python objects take the coded path: the same verdicts.
    assert school.judge_frame(frame.astype(object)).astype(str).equals(out)


def test_judge_frame_reads_attribute_columns_of_every_coding(school: RowRules) -> None:
    """`level` as a categorical with int8 codes (read in place), with int16 codes (more than
    127 categories), as plain strings (factorized) and with missing labels: `judge`'s verdicts."""
    np = pytest.importorskip("numpy")
    frame = _random_table(school, 5000, seed=21)
    frame.loc[::7, "level"] = None
    assert frame["level"].cat.codes.dtype == np.int8
    expected = school.judge_frame(frame).astype(str)
    assert expected.to_dict("records") == _by_record(school, frame)
    assert {"met", "missing", "not_applicable"} <= set(expected["A6.1"])
    many = frame.copy()
    many["level"] = frame["level"].cat.add_categories([f"level {i}" for i in range(200)])
    assert many["level"].cat.codes.dtype == np.int16
    assert school.judge_frame(many).astype(str).equals(expected)
    plain = frame.copy()
    plain["level"] = frame["level"].astype(object)
    assert school.judge_frame(plain).astype(str).equals(expected)


def test_judge_frame_without_pandas_column_accessor(
    school: RowRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Columns are read through pandas' own `_get_column_array` where it exists, else as
    Series: the same verdicts either way."""
    pd = pytest.importorskip("pandas")
    frame = _random_table(school, 3000, seed=5)
    frame.loc[::11, "level"] = None
    fast = school.judge_frame(frame, codes=True)
    assert hasattr(pd.DataFrame, "_get_column_array")
    monkeypatch.delattr(pd.DataFrame, "_get_column_array")
    assert school.judge_frame(frame, codes=True).equals(fast)
    assert school.judge_frame(frame).astype(str).to_dict("records") == _by_record(school, frame)


def test_judge_frame_reads_strided_and_read_only_columns(school: RowRules) -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    frame = _random_table(school, 50_000, seed=7)
    expected = school.judge_frame(frame, codes=True)
    # Every column a view of every other element of a twice-as-long array (not contiguous).
    strided: dict[str, Any] = {}
    for name in frame.columns:
        if name == "level":
            strided[name] = frame[name]
            continue
        values = frame[name].to_numpy()
        wide = np.empty(2 * len(values), dtype=values.dtype)
        wide[::2] = values
        wide[1::2] = values[::-1]
        wide.flags.writeable = False
        strided[name] = pd.Series(wide[::2], copy=False)
    table = pd.DataFrame(strided, copy=False)
    column = table["students"].to_numpy(copy=False)
    assert not column.flags.c_contiguous
    assert not column.flags.writeable
    assert school.judge_frame(table, codes=True).equals(expected)
    # The same through the native call, arrays as they are.
    arrays = []
    for f in school.fields:
        values = strided[f].to_numpy(copy=False)
        assert values.strides[0] == 2 * values.itemsize
        if values.dtype == bool:
            arrays.append((f, ("bool", values.view(np.uint8), None)))
        else:
            arrays.append((f, ("int", values, None)))
    codes = frame["level"].cat.codes.to_numpy()
    attrs = [("level", ("coded", codes, list(frame["level"].cat.categories)))]
    native = school.judge_columns(arrays, attrs, len(frame))
    for id, got in zip(school.target_ids, native):
        assert got.dtype == np.uint8
        assert (got.view(np.int8) == expected[id].to_numpy()).all(), id
    # Strided bool arrays as they are (not their uint8 views): the same verdicts.
    arrays = [
        (f, (k, v if k == "int" else strided[f].to_numpy(copy=False), m)) for f, (k, v, m) in arrays
    ]
    assert any(k == "bool" and v.dtype == bool for _, (k, v, _) in arrays)
    native = school.judge_columns(arrays, attrs, len(frame))
    for id, got in zip(school.target_ids, native):
        assert (got.view(np.int8) == expected[id].to_numpy()).all(), id


def test_judge_columns_without_field_columns(school: RowRules) -> None:
    """No field column: every row is missing, or outside a filter that its attribute decides
    (read in place, the whole range in one call)."""
    np = pytest.importorskip("numpy")
    out = dict(zip(school.target_ids, school.judge_columns([], [], 3)))
    assert all(list(v) == [2, 2, 2] for v in out.values())
    codes = np.array([0, 1, -1], dtype=np.int8)
    out = dict(
        zip(
            school.target_ids,
            school.judge_columns(
                [], [("level", ("coded", codes, ["primary", "special_education"]))], 3
            ),
        )
    )
    assert list(out["A6.1"]) == [2, 4, 2]
    assert list(out["A6.2"]) == [2, 2, 2]


def test_judge_frame_other_columns_take_the_buffer_path(school: RowRules) -> None:
    """Big-endian, nullable and float columns still cross as buffers, with the same verdicts."""
    pd = pytest.importorskip("pandas")
    frame = _random_table(school, 2000, seed=3)
    frame["pe_teachers"] = frame["pe_teachers"].clip(lower=0)  # to be held as uint64
    expected = school.judge_frame(frame, codes=True)
    changed = frame.copy()
    changed["students"] = frame["students"].astype(">i8")
    changed["health_test_eligible"] = frame["health_test_eligible"].astype("Int64")
    changed["teachers"] = frame["teachers"].astype("float64")
    changed["pe_teachers"] = frame["pe_teachers"].astype("uint64")
    changed["ice_snow_activity"] = frame["ice_snow_activity"].astype("boolean")
    assert school.judge_frame(changed, codes=True).equals(expected)
    # With a missing value in a nullable column (the int and mask path).
    changed["health_test_eligible"] = changed["health_test_eligible"].astype("Int64")
    changed.loc[0, "health_test_eligible"] = pd.NA
    out = school.judge_frame(changed[["health_test_eligible", "health_test_passed", "level"]])
    assert out["A6.1"][0] in ("missing", "not_applicable")


def test_judge_frame_verdicts_do_not_depend_on_threads(school: RowRules) -> None:
    np = pytest.importorskip("numpy")
    frame = _random_table(school, 200_003, seed=11)
    one = school.judge_frame(frame, codes=True, threads=1)
    for threads in (2, 3, 8):
        other = school.judge_frame(frame, codes=True, threads=threads)
        for id in school.target_ids:
            assert np.array_equal(one[id].to_numpy(), other[id].to_numpy()), (threads, id)
    # And on the slow path (a float column), errors included: the first bad cell is named.
    slow = frame.astype({"students": "float64"})
    slow.loc[150_000, "students"] = float("inf")
    slow.loc[190_000, "students"] = float("-inf")
    for threads in (1, 2, 3):
        with pytest.raises(plan_rules.DataError) as e:
            school.judge_frame(slow, threads=threads)
        assert e.value.path == "/columns/students/150000"
    with pytest.raises(plan_rules.RequestError) as r:
        school.judge_frame(frame, threads=0)
    assert r.value.path == "/threads"


def test_judge_columns_refuses_bad_arrays(school: RowRules) -> None:
    np = pytest.importorskip("numpy")
    ones = np.ones(4, dtype=np.int64)
    with pytest.raises(plan_rules.DataError, match="3 values, expected 4") as e:
        school.judge_columns([("students", ("int", ones[:3], None))], [], 4)
    assert e.value.path == "/columns/students"
    with pytest.raises(plan_rules.DataError, match="bytes"):
        school.judge_columns([("students", ("int", ones.astype(float), None))], [], 4)
    with pytest.raises(plan_rules.DataError, match="uint8"):
        school.judge_columns([("ice_snow_activity", ("bool", ones, None))], [], 4)
    codes = np.array([0, 1, 2, 0], dtype=np.int8)
    with pytest.raises(plan_rules.DataError, match="code 2 is out of range") as e:
        school.judge_columns([], [("level", ("coded", codes, ["primary", None]))], 4)
    assert e.value.path == "/columns/level/2"
    # Wider codes are checked alike (narrowed by Rust, not read in place).
    for wide in (np.int16, np.int32, np.int64):
        codes = np.array([0, -1, 1, 5], dtype=wide)
        with pytest.raises(plan_rules.DataError, match="code 5 is out of range") as e:
            school.judge_columns([], [("level", ("coded", codes, ["primary", None]))], 4)
        assert e.value.path == "/columns/level/3"


def test_judge_columns_without_numpy_is_an_error_not_a_panic() -> None:
    # A process where NumPy cannot be imported: the verdict arrays cannot be made, which is a
    # RequestError (a ValueError) before any work, never a panic inside the numpy crate.
    script = """
import sys
sys.modules["numpy"] = None
import plan_rules
rules = plan_rules.RowRules(None, "school")
for data in ([1, 2], (5).to_bytes(8, "little") * 2):
    try:
        rules.judge_columns([("students", ("int", data, None))], [], 2)
    except ValueError as e:
        print(type(e).__name__, "NumPy cannot be imported" in str(e))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["RequestError True"] * 2, out.stderr


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
