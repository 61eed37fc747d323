"""pandas tables in: series long and wide, entity tables long and wide, a million rows."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import plan_rules
import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")


def _sample_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(plan_rules.SAMPLE_DATA_JSON)
    return doc


def _schools_wide(doc: dict[str, Any]) -> Any:
    rows = []
    for e in doc["entities"]:
        if e["kind"] != "school":
            continue
        for year, record in e["records"].items():
            rows.append(
                {
                    "id": e["id"],
                    "year": int(year),
                    "name": e.get("name"),
                    "active_from": e.get("active_from"),
                    **e["attributes"],
                    **record,
                }
            )
    frame = pd.DataFrame(rows)
    frame["active_from"] = frame["active_from"].astype("Int64")
    return frame


def _without_schools(doc: dict[str, Any]) -> dict[str, Any]:
    rest = dict(doc)
    rest["entities"] = [e for e in doc["entities"] if e["kind"] != "school"]
    return rest


def _verdicts(report: plan_rules.Report) -> list[Any]:
    return [
        (r.id, r.status, r.grade, r.observed, r.counts, [c.id for c in r.culprits])
        for r in report.results
    ]


@pytest.fixture(scope="module")
def json_report(plan: plan_rules.Plan) -> plan_rules.Report:
    return plan.evaluate(plan_rules.Dataset.sample(), as_of="2018-12-31", trail=False)


def test_wide_school_table_matches_json(
    plan: plan_rules.Plan, json_report: plan_rules.Report
) -> None:
    doc = _sample_doc()
    frame = _schools_wide(doc)
    assert frame["teachers_foreign_affairs"].isna().sum() == 3  # cells the sample leaves out
    data = plan_rules.Dataset.from_dict(_without_schools(doc)).with_entities(frame, kind="school")
    assert data.entity_count == 132
    report = plan.evaluate(data, as_of="2018-12-31", trail=False)
    assert _verdicts(report) == _verdicts(json_report)


def test_long_tables_match_json(plan: plan_rules.Plan, json_report: plan_rules.Report) -> None:
    doc = _sample_doc()
    wide = _schools_wide(doc)
    fields = [
        c for c in wide.columns if c not in ("id", "year", "name", "active_from", "level", "street")
    ]
    long = wide.melt(
        id_vars=["id", "year", "name", "active_from", "level", "street"],
        value_vars=fields,
        var_name="field",
        value_name="value",
    ).dropna(subset=["value"])
    long.insert(0, "kind", "school")
    series = pd.DataFrame(
        [
            {"series": name, "year": int(year), "value": value, "unit": s.get("unit")}
            for name, s in doc["series"].items()
            for year, value in s["values"].items()
        ]
    )
    rest = _without_schools(doc)
    data = plan_rules.Dataset.from_pandas(
        series, [long], id=doc["id"], synthetic=True
    ).with_entities(pd.DataFrame(_others(rest)))
    report = plan.evaluate(data, as_of="2018-12-31", trail=False)
    # Tables hold no recorded judgements: the targets the sample's judgements decide are
    # compared apart (without one they are not assessable).
    recorded = {r.id for r in json_report.results if r.judgement is not None}
    assert recorded == {"C7.7", "C9.1"}
    assert {report.result(t).status for t in recorded} == {"not_assessable"}
    assert [v for v in _verdicts(report) if v[0] not in recorded] == [
        v for v in _verdicts(json_report) if v[0] not in recorded
    ]


def _others(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for e in doc["entities"]:
        for year, record in e["records"].items():
            rows.append(
                {
                    "kind": e["kind"],
                    "id": e["id"],
                    "year": int(year),
                    "name": e.get("name"),
                    **e.get("attributes", {}),
                    **record,
                }
            )
    return rows


def test_wide_series_and_evaluate_with_frames(plan: plan_rules.Plan) -> None:
    series = pd.DataFrame({"year": [2015, 2016, 2017], "lifelong_learning_bases": [60, 70, np.nan]})
    report = plan.evaluate({"series": series}, as_of="2017-12-31")
    a81 = report.result("A8.1")
    assert a81.observed == Decimal("70")
    assert a81.observed_year == 2016
    indexed = series.set_index("year")
    again = plan.evaluate({"series": indexed}, as_of="2017-12-31")
    assert again.to_json() == report.to_json()


def test_dtypes_cross_exactly(plan: plan_rules.Plan) -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "year": [2020.0, 2020.0, 2020.0],
            "students": pd.array([100, None, 300], dtype="Int64"),
            "pe_teachers": [Decimal("4.50"), Decimal("3"), None],
            "pe_teachers_ice_snow_trained": [0.1, np.nan, 2.0],
            "ice_snow_activity": pd.array([True, None, False], dtype="boolean"),
            "level": pd.Categorical(["primary", "primary", "secondary"]),
            "teachers": pd.array(["10", "20", None], dtype="string"),
        }
    )
    data = plan_rules.Dataset.from_pandas(entities=frame, kind="school")
    entities = data.to_dict()["entities"]
    first = entities[0]
    assert first["id"] == "1"
    assert first["attributes"] == {"level": "primary"}
    record = first["records"]["2020"]
    assert record["students"] == 100
    assert record["pe_teachers"] == Decimal("4.50")
    assert str(record["pe_teachers"]) == "4.50"
    assert record["pe_teachers_ice_snow_trained"] == Decimal("0.1")
    assert record["ice_snow_activity"] is True
    assert record["teachers"] == "10"
    second = entities[1]["records"]["2020"]
    assert "students" not in second
    assert "ice_snow_activity" not in second
    assert plan.validate(data).diagnostics  # values are checked against the plan as usual


@pytest.mark.parametrize(
    ("frame", "kind", "message"),
    [
        ({"year": [2020]}, "school", "no `id` column"),
        ({"id": ["S1"]}, "school", "no `year` column"),
        ({"id": ["S1"], "year": [2020]}, None, "pass `kind=`"),
        (
            {"id": ["S1", "S1"], "year": [2020, 2020], "students": [1, 2]},
            "school",
            "more than one row for 2020",
        ),
        (
            {"id": ["S1", "S1"], "year": [2019, 2020], "level": ["primary", "secondary"]},
            "school",
            "attribute `level` both",
        ),
        ({"id": ["S1"], "year": [2020], "students": [float("inf")]}, "school", "finite"),
        ({"id": ["S1"], "year": [np.nan]}, "school", "missing values"),
        ({"id": ["S1"], "year": [2020.5]}, "school", "fractional"),
        ({"id": [None], "year": [2020]}, "school", "id is missing"),
        ({"id": ["S1"], "year": [2020], "students": [{1, 2}]}, "school", "cannot be used"),
        (
            {"id": ["S1"], "year": [2020], "when": [pd.Timedelta("1D")]},
            "school",
            "cannot hold data",
        ),
    ],
)
def test_bad_tables_raise(frame: dict[str, Any], kind: str | None, message: str) -> None:
    with pytest.raises(plan_rules.DataError, match=message):
        plan_rules.Dataset.from_pandas(entities=pd.DataFrame(frame), kind=kind)


def test_kind_column_and_dict_of_tables() -> None:
    frame = pd.DataFrame({"kind": ["school", "street"], "id": ["S1", "月坛"], "year": [2020, 2020]})
    data = plan_rules.Dataset.from_pandas(entities=frame)
    assert sorted(e["kind"] for e in data.to_dict()["entities"]) == ["school", "street"]
    by_kind = plan_rules.Dataset.from_pandas(
        entities={"school": frame.iloc[:1].drop(columns="kind")}
    )
    assert by_kind.entity_count == 1
    with pytest.raises(plan_rules.DataError, match="kind"):
        plan_rules.Dataset.from_pandas(entities=frame, kind="school")
    with pytest.raises(plan_rules.DataError):
        plan_rules.Plan.default().evaluate({"schools": frame})


def test_a_lone_frame_is_refused(plan: plan_rules.Plan) -> None:
    with pytest.raises(plan_rules.DataError, match="tables"):
        plan.evaluate(pd.DataFrame({"id": ["S1"]}))  # type: ignore[arg-type]


def test_explicit_attributes() -> None:
    frame = pd.DataFrame({"id": ["S1"], "year": [2020], "district": ["x"], "students": [1]})
    data = plan_rules.Dataset.from_pandas(entities=frame, kind="school", attributes=["district"])
    entity = data.to_dict()["entities"][0]
    assert entity["attributes"] == {"district": "x"}
    with pytest.raises(plan_rules.DataError, match="no attribute column"):
        plan_rules.Dataset.from_pandas(entities=frame, kind="school", attributes=["nope"])


def test_a_million_school_years(plan: plan_rules.Plan) -> None:
    """One million rows cross as column buffers and evaluate in seconds, not a row loop."""
    import runpy

    from _paths import PY

    school_table = runpy.run_path(str(PY / "examples" / "schools_table.py"))["school_table"]
    frame = school_table(1_000_000)
    assert len(frame) == 1_000_000
    start = time.perf_counter()
    data = plan_rules.Dataset.from_pandas(entities=frame, kind="school", id="million")
    report = plan.evaluate(data, as_of="2020-12-31", trail=False)
    a62 = report.result("A6.2")
    elapsed = time.perf_counter() - start
    assert a62.counts is not None
    assert a62.counts.population == 200_000
    expected = Decimal(int(frame.loc[frame.year == 2020, "ice_snow_activity"].sum()))
    assert a62.counts.met == expected
    assert a62.observed == expected * 100 / 200_000
    assert elapsed < 240, f"took {elapsed:.0f} s"


@pytest.mark.parametrize(
    "value", [-134310626912275.625, 0.1, 0.1 + 0.2, 2.5, 1e16, 1e-7, 9007199254740993.0]
)
def test_float_columns_read_as_python_shows_them(value: float) -> None:
    """A float64 column's value is read from the digits ``repr`` shows, as the same float in a
    dict is, including an exact tie between two shortest texts (``-134310626912275.625`` shows
    as ``...275.62``; Rust's own formatting would round it up to ``...275.63``)."""
    frame = pd.DataFrame({"id": ["S1"], "year": [2020], "students": [value]})
    from_column = plan_rules.Dataset.from_pandas(entities=frame, kind="school")
    from_dict = plan_rules.Dataset.from_dict(
        {"entities": [{"kind": "school", "id": "S1", "records": {"2020": {"students": value}}}]}
    )
    got = from_column.to_dict()["entities"][0]["records"]["2020"]["students"]
    assert Decimal(got) == Decimal(repr(value))
    assert Decimal(from_dict.to_dict()["entities"][0]["records"]["2020"]["students"]) == Decimal(
        got
    )


def test_timestamp_columns_are_text_as_the_cli_reads_them(plan: plan_rules.Plan) -> None:
    """A timestamp column (an export's ``updated_at``) is text, not a refusal of the table:
    ``YYYY-MM-DDTHH:MM:SS``, a fraction only when there is one, ``Z`` for a zoned column
    (converted to UTC), as ``plan-rules`` reads a Parquet timestamp; NaT is missing."""
    import datetime

    import pyarrow as pa

    frame = pd.DataFrame(
        {
            "id": ["S1", "S2", "S3"],
            "year": [2020, 2020, 2020],
            "students": [900, 1000, 1100],
            "updated": pd.to_datetime(["2020-01-01 00:00:00.5", "1969-12-31 23:59:59.999", None]),
            "seen": pd.to_datetime(["2020-01-01 00:00", "2021-06-01 12:00", None]).tz_localize(
                "Asia/Shanghai"
            ),
            "loaded": pd.array(
                [datetime.datetime(2020, 1, 1, 0, 0, 0, 123), None, datetime.datetime(1999, 1, 1)],
                dtype=pd.ArrowDtype(pa.timestamp("us")),
            ),
        }
    )
    data = plan_rules.Dataset.from_pandas(entities=frame, kind="school")
    records = [e["records"]["2020"] for e in data.to_dict()["entities"]]
    assert [(r.get("updated"), r.get("seen"), r.get("loaded")) for r in records] == [
        ("2020-01-01T00:00:00.5", "2019-12-31T16:00:00Z", "2020-01-01T00:00:00.000123"),
        ("1969-12-31T23:59:59.999", "2021-06-01T04:00:00Z", None),
        (None, None, "1999-01-01T00:00:00"),
    ]
    unknown = [d for d in plan.validate(data).diagnostics if d.code == "unknown_field"]
    assert sorted(d.field for d in unknown) == [
        "school.loaded",
        "school.seen",
        "school.updated",
    ]


def test_a_large_table_converts_its_columns_on_threads_as_a_small_one_does() -> None:
    """From 50,000 rows the columns are converted on several threads: the dataset is the one
    the same rows give in small tables, and of two bad columns the first is reported, with its
    row, whichever thread found it."""
    n = 60_000
    frame = pd.DataFrame(
        {
            "id": [f"S{i // 3:05d}" for i in range(n)],
            "year": [2018 + i % 3 for i in range(n)],
            "level": ["primary" if i // 3 % 7 else "secondary" for i in range(n)],
            "students": np.arange(n, dtype="int64") % 900,
            "teachers": [float(i % 50) for i in range(n)],
            "ice_snow_activity": [i % 5 != 0 for i in range(n)],
        }
    )
    large = plan_rules.Dataset.from_pandas(entities=frame, kind="school")
    # Each school's three rows together, in tables under the threshold.
    parts = [frame.iloc[a : a + 20_001] for a in range(0, n, 20_001)]
    assert all(len(p) % 3 == 0 and len(p) < 50_000 for p in parts)
    small = plan_rules.Dataset.from_pandas(entities=parts[0], kind="school")
    for part in parts[1:]:
        small = small.with_entities(part, kind="school")
    assert large.to_json() == small.to_json()
    assert large.content_hash == small.content_hash

    bad = frame.copy()
    bad["teachers"] = bad["teachers"].astype(float)
    bad.loc[59_000, "teachers"] = float("inf")
    with pytest.raises(plan_rules.DataError, match="finite") as raised:
        plan_rules.Dataset.from_pandas(entities=bad, kind="school")
    assert raised.value.path == "/columns/teachers/59000"
    bad["year"] = bad["year"].astype("int64")
    bad.loc[59_999, "year"] = 2**40
    with pytest.raises(plan_rules.DataError, match="not a year") as raised:
        plan_rules.Dataset.from_pandas(entities=bad, kind="school")
    assert raised.value.path == "/columns/year/59999"


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "large_string[pyarrow]"])
def test_arrow_strings_cross_as_buffers_and_read_as_python_strings(dtype: str) -> None:
    """Arrow-backed text (pandas 3's default ``str``) crosses as its UTF-8 buffers, not one
    Python object per value: the dataset is the one the same text as Python objects gives."""
    import pyarrow as pa

    ids = ["月坛", "S2", "", "S2", "a\u00e9\U0001f600", "月坛", None]
    years = [2019, 2019, 2019, 2020, 2020, 2020, 2020]
    levels = ["primary", None, "secondary", None, "nine_year", "primary", "primary"]
    as_dtype: Any = pd.ArrowDtype(pa.large_string()) if dtype.startswith("large") else dtype
    frame = pd.DataFrame({"id": ids, "year": years, "level": levels}).iloc[:-1]
    arrow = frame.astype({"id": as_dtype, "level": as_dtype})
    objects = frame.astype({"id": object, "level": object})
    a = plan_rules.Dataset.from_pandas(entities=arrow, kind="school")
    b = plan_rules.Dataset.from_pandas(entities=objects, kind="school")
    assert a.to_json() == b.to_json()
    assert [e["id"] for e in a.to_dict()["entities"]] == ["月坛", "S2", "", "a\u00e9\U0001f600"]
    from plan_rules._columns import encode

    tag, _, _ = encode(arrow["id"], arrow_text=True)
    assert tag == "coded_utf8"
    assert encode(objects["id"], arrow_text=True)[0] == "coded"
    assert encode(arrow["id"])[0] == "coded"


def test_a_sliced_arrow_array_gives_its_own_strings() -> None:
    import struct

    from plan_rules._columns import _utf8

    values = pd.array(["zero", "一", "two", "", "four"], dtype="str")[1:4]
    payload = _utf8(values)
    assert payload is not None
    (count,) = struct.unpack_from("<q", payload)
    offsets = struct.unpack_from(f"<{count + 1}q", payload, 8)
    text = payload[8 * (count + 2) :]
    assert [text[a:b].decode() for a, b in zip(offsets, offsets[1:])] == ["一", "two", ""]
    assert _utf8(pd.array(["a", None], dtype="str")) is None
    assert _utf8(pd.array(["a"], dtype="string[python]")) is None


def test_a_large_load_gives_freed_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """From 200,000 rows, a load ends by giving the memory it freed back to the system (glibc's
    ``malloc_trim``), once; a smaller load does not."""
    from plan_rules import _columns

    calls: list[int] = []
    monkeypatch.setattr(_columns, "_give_back_freed_memory", lambda: calls.append(1))
    n = _columns.TRIM_ROWS
    frame = pd.DataFrame({"id": np.arange(n) // 2, "year": 2019 + np.arange(n) % 2})
    plan_rules.Dataset.from_pandas(entities=frame, kind="school")
    assert calls == [1]
    plan_rules.Dataset.from_pandas(entities=frame.iloc[1:], kind="school")
    assert calls == [1]
    monkeypatch.undo()
    _columns._give_back_freed_memory()  # on this machine, really (no error either way)
