"""Pickles: plans, row rules, datasets and reports travel compactly (a report as its results, a
dataset's tables as their columns), read back exactly, with no size limit, and refuse a
malformed payload with a typed error."""

from __future__ import annotations

import json
import pickle
import time
from decimal import Decimal
from typing import Any

import plan_rules
import pytest
from plan_rules import _api
from plan_rules import _plan_rules as native

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

LIMIT = 64 * 1024 * 1024  # the limit of a JSON document read from text


def _round_trip(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


# Reports ----------------------------------------------------------------------------------


def test_a_report_pickles_as_its_results(report: plan_rules.Report) -> None:
    blob = pickle.dumps(report)
    again = pickle.loads(blob)
    assert again.to_json() == report.to_json()
    assert again == report
    assert again.plan == report.plan
    assert again.as_of == report.as_of
    assert again.trail("A1") == report.trail("A1")
    assert [r.status for r in again.results] == [r.status for r in report.results]
    assert again.culprits_to_pandas().equals(report.culprits_to_pandas())
    # The plan and the report's compact JSON, not the dataset.
    texts = (report._native.to_json_compact(), report.plan.to_json())
    assert len(blob) < sum(len(t.encode()) for t in texts) + 200
    assert report.data.to_json() not in blob.decode("utf-8", "replace")
    # And it pickles again to the same bytes.
    assert pickle.dumps(again) == blob


def test_a_restored_report_has_no_data(report: plan_rules.Report) -> None:
    again = _round_trip(report)
    for read in (lambda: again.data, lambda: again.history("A1"), lambda: again.plot("A1")):
        with pytest.raises(plan_rules.DataError) as raised:
            read()
        assert raised.value.code == "data_unavailable"
        assert report.data_hash in raised.value.message
    # Everything the report says is still there.
    assert again.data_hash == report.data_hash
    assert again.to_markdown() == report.to_markdown()


@pytest.mark.parametrize(
    ("as_of", "trail", "obligation"),
    [("mid_term", False, None), ("2020-12-31", True, "binding"), (None, False, "indicative")],
)
def test_review_trail_and_obligation_survive(
    plan: plan_rules.Plan,
    sample: plan_rules.Dataset,
    as_of: str | None,
    trail: bool,
    obligation: Any,
) -> None:
    report = plan.evaluate(sample, as_of=as_of, trail=trail, obligation=obligation)
    again = _round_trip(report)
    assert again.to_json() == report.to_json()
    assert again.review == report.review
    assert again._native.trail == trail
    assert again._native.obligation == obligation


def test_many_reports_of_one_plan_read_the_plan_once(
    plan: plan_rules.Plan, sample: plan_rules.Dataset
) -> None:
    reports = [plan.evaluate(sample, as_of=f"{y}-12-31", trail=False) for y in range(2016, 2021)]
    _api._read_plan.cache_clear()
    again = _round_trip(reports)
    assert [r.to_json() for r in again] == [r.to_json() for r in reports]
    assert _api._read_plan.cache_info().misses == 1


# Datasets ---------------------------------------------------------------------------------


def _mixed_table() -> Any:
    """Every kind of column the engine keeps, missing cells, rows out of order."""
    return pd.DataFrame(
        {
            "id": ["S3", "S1", "S3", "S2", "S1", "S1"],
            "year": [2017, 2018, 2016, 2016, 2016, 2017],
            "name": ["Third", None, "Third", None, "First", None],
            "active_from": pd.array([2016, None, None, None, 2015, None], dtype="Int64"),
            "level": pd.Categorical(["primary", "secondary", None, None, None, "secondary"]),
            "students": pd.array([900, None, 950, 1200, 1000, 1010], dtype="Int64"),
            "pe_teachers": [0.1, np.nan, 2.5, 1e16, 3.0, 1e-7],
            "ice_snow_activity": pd.array([True, None, False, True, None, True], dtype="boolean"),
            "teachers": [
                Decimal("4.50"),
                1e16,
                "ten",
                Decimal("1E-7"),
                None,
                7,
            ],
        }
    )


@pytest.fixture(scope="module")
def mixed(plan: plan_rules.Plan) -> plan_rules.Dataset:
    sample = plan_rules.Dataset.sample()
    return sample.with_entities(_mixed_table(), kind="school", plan=plan).with_entities(
        pd.DataFrame({"id": ["P9", "P9"], "year": [2020, 2019], "done": [True, False]}),
        kind="project",
    )


def test_a_dataset_pickles_its_tables_as_columns(
    plan: plan_rules.Plan, mixed: plan_rules.Dataset
) -> None:
    blob = pickle.dumps(mixed)
    again = pickle.loads(blob)
    assert again.content_hash == mixed.content_hash
    assert again.to_json() == mixed.to_json()
    assert again.entity_count == mixed.entity_count
    one = plan.evaluate(mixed, as_of="2018-12-31")
    two = plan.evaluate(again, as_of="2018-12-31")
    assert one.to_json() == two.to_json()
    # The tables are columns, not JSON: their entities' JSON is not in the pickle.
    text = blob.decode("utf-8", "replace")
    assert '"id":"S3"' not in text
    assert '"Third"' not in json.dumps(text)
    assert pickle.dumps(again) == blob


def test_the_columns_rebuild_the_dataset_in_either_order(mixed: plan_rules.Dataset) -> None:
    base = native.Dataset.from_json(mixed._native.to_json(tables=False))
    assert base.entity_count == mixed.entity_count - 4
    for grouped in (False, True):
        rebuilt = base
        for table in mixed._native.entity_columns(grouped=grouped):
            rebuilt = rebuilt.with_entity_columns(*table)
        assert rebuilt.content_hash == mixed.content_hash
        assert rebuilt.to_json() == mixed.to_json()
    school = mixed._native.entity_columns()[0]
    kind, ids, years, fields, attributes, names, active_from, active_until = school
    assert kind == "school"
    assert ids[0] == "coded"
    assert ids[2] == ["S3", "S1", "S2"]
    assert np.frombuffer(years[1], "<i8").tolist() == [2017, 2018, 2016, 2016, 2016, 2017]
    grouped_years = mixed._native.entity_columns(grouped=True)[0][2]
    assert np.frombuffer(grouped_years[1], "<i8").tolist() == [2016, 2017, 2016, 2017, 2018, 2016]
    tags = {name: spec[0] for name, spec in fields}
    assert tags == {
        "ice_snow_activity": "bool",
        "pe_teachers": "decimal",
        "students": "int",
        "teachers": "coded_json",
    }
    assert json.loads(dict(fields)["teachers"][2], parse_float=str, parse_int=str) == [
        "4.50",
        "10000000000000000",  # a float's repr digits, written out in full
        "ten",
        "1E-7",
        "7",
    ]
    assert [a for a, _ in attributes] == ["level"]
    assert names is not None
    assert active_from is not None
    assert active_until is None


def test_a_dataset_without_tables_pickles_as_json(sample: plan_rules.Dataset) -> None:
    assert sample._native.entity_columns() == []
    assert _round_trip(sample) == sample


def test_a_million_school_years_pickle_and_unpickle(plan: plan_rules.Plan) -> None:
    """1.2M school-years: the dataset's JSON (254 MB) and the report's compact JSON (75 MB)
    are both over the 64 MiB limit of a JSON document, which made their pickles fail to load
    before; the dataset now travels as columns and the report as its results."""
    import runpy

    from _paths import PY

    school_table = runpy.run_path(str(PY / "examples" / "schools_table.py"))["school_table"]
    data = plan_rules.Dataset.from_pandas(
        entities=school_table(1_200_000), kind="school", id="schools"
    )
    text = data.to_json()
    assert len(text) > LIMIT
    with pytest.raises(plan_rules.DataError) as raised:
        plan_rules.Dataset.from_json(text)
    assert raised.value.code == "too_large"
    del text
    blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.perf_counter()
    again = pickle.loads(blob)
    loaded = time.perf_counter() - start
    # Measured 99.6 MB (83 bytes a row) and 0.3 s: whole numbers as 8 bytes, flags as 1.
    assert len(blob) < 125e6, len(blob)
    assert again.content_hash == data.content_hash
    assert loaded < 30, loaded
    del blob, again

    report = plan.evaluate(data, as_of="2020-12-31", trail=False)
    compact = report._native.to_json_compact()
    assert len(compact) > LIMIT
    blob = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.perf_counter()
    again = pickle.loads(blob)
    loaded = time.perf_counter() - start
    # Measured 79.2 MB and 1.1 s (before: the dataset's JSON and a new evaluation, refused).
    assert len(blob) < 100e6, len(blob)
    assert again._native.to_json_compact() == compact
    assert loaded < 60, loaded


def _group_reports(part: Any, plan: plan_rules.Plan) -> dict[str, plan_rules.Report]:
    reports: dict[str, plan_rules.Report] = plan.evaluate_groups(
        part, by="district", kind="school", as_of="2020-12-31", reports=True
    )
    return reports


def test_dask_workers_return_reports(plan: plan_rules.Plan) -> None:
    """Workers of a cluster (worker processes) evaluate districts and send back the reports,
    which arrive as their results (no evaluation again on the client)."""
    distributed = pytest.importorskip("distributed")
    table = pd.DataFrame(
        {
            "id": np.repeat([f"S{i:03d}" for i in range(60)], 2),
            "year": np.tile([2019, 2020], 60),
            "district": np.repeat([f"d{i % 3}" for i in range(60)], 2),
            "level": "primary",
            "health_test_eligible": 200,
            "health_test_passed": np.tile([199, 200], 60),
            "ice_snow_activity": True,
        }
    )
    expected = _group_reports(table, plan)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        parts = [table[table.district == d] for d in sorted(expected)]
        got: dict[str, plan_rules.Report] = {}
        for reports in client.gather(client.map(_group_reports, parts, plan=plan)):
            got.update(reports)
    assert {g: r.to_json() for g, r in got.items()} == {g: r.to_json() for g, r in expected.items()}
    with pytest.raises(plan_rules.DataError):
        _ = got["d0"].data


# Plans and row rules ----------------------------------------------------------------------


def test_a_plan_and_its_row_rules_over_the_limit_pickle(plan: plan_rules.Plan) -> None:
    """A plan given as Python values may have a JSON over 64 MiB; its pickle (and that of row
    rules, which pickle their plan) reads back all the same."""
    doc = plan.to_dict()
    doc["targets"][0]["description"] = {"zh": "长" * 8, "en": "x" * (LIMIT + 10)}
    big = plan_rules.Plan.from_dict(doc)
    assert len(big.to_json()) > LIMIT
    with pytest.raises(plan_rules.SpecError) as raised:
        plan_rules.Plan.from_json(big.to_json())
    assert raised.value.code == "too_large"
    again = _round_trip(big)
    assert again == big
    rules = plan_rules.RowRules(big, kind="school")
    back = _round_trip(rules)
    assert back.plan == big
    record = {"health_test_eligible": 200, "health_test_passed": 199}
    assert back.judge(record, {"level": "primary"}) == rules.judge(record, {"level": "primary"})


def test_plans_and_row_rules_pickle(plan: plan_rules.Plan) -> None:
    assert _round_trip(plan) == plan
    rules = plan_rules.RowRules(plan, kind="school", targets=["A6.1"])
    back = _round_trip(rules)
    assert back.selection == rules.selection
    assert back.kind == "school"


# Bad payloads -----------------------------------------------------------------------------


class _Forged:
    """An object whose pickle calls a restore function with the arguments given."""

    def __init__(self, restore: Any, *args: Any) -> None:
        self.restore = restore
        self.args = args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.restore, self.args)


def _load_forged(restore: Any, *args: Any) -> Any:
    return pickle.loads(pickle.dumps(_Forged(restore, *args)))


def _report_doc(report: plan_rules.Report) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(report._native.to_json_compact())
    return doc


def _with(doc: dict[str, Any], key: str, **changes: Any) -> str:
    """The report's JSON with some fields of one of its objects changed."""
    return json.dumps({**doc, key: {**doc[key], **changes}})


def _first_result(doc: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**doc, "results": [{**doc["results"][0], **changes}]})


@pytest.mark.parametrize(
    ("edit", "code", "path"),
    [
        (lambda d: "{", "invalid_json", None),
        (lambda d: _with(d, "engine", version="0.0.1"), "invalid_shape", "/engine/version"),
        (lambda d: _first_result(d, status="done"), "invalid_shape", "/results/0/status"),
        (
            lambda d: _with(d, "plan", content_hash="sha256:" + "0" * 64),
            "invalid_shape",
            "/plan/content_hash",
        ),
        (
            lambda d: json.dumps({k: v for k, v in d.items() if k != "summary"}),
            "invalid_shape",
            "",
        ),
        (lambda d: "[" * 200 + "]" * 200, "too_deep", None),
    ],
)
def test_a_bad_report_payload_is_a_data_error(
    report: plan_rules.Report, edit: Any, code: str, path: str | None
) -> None:
    payload = edit(_report_doc(report))
    with pytest.raises(plan_rules.DataError) as raised:
        _load_forged(_api._restore_report, report.plan.to_json(), payload, True)
    assert isinstance(raised.value, ValueError)
    assert (raised.value.code, raised.value.path) == (code, path)


def test_a_report_over_the_limit_reads_back_from_a_pickle(report: plan_rules.Report) -> None:
    """Only a pickle reads a report of any size; from text it stops at 64 MiB."""
    padded = report._native.to_json_compact() + " " * LIMIT
    again = _load_forged(_api._restore_report, report.plan.to_json(), padded, True)
    assert again.to_json() == report.to_json()
    with pytest.raises(plan_rules.DataError) as raised:
        native.Report.from_json(report.plan._native, padded, True)
    assert raised.value.code == "too_large"


def test_bad_plan_payloads_are_typed_errors(report: plan_rules.Report) -> None:
    compact = report._native.to_json_compact()
    with pytest.raises(plan_rules.DataError) as data_error:
        _load_forged(_api._restore_report, b"{}", compact, True)
    assert data_error.value.code == "invalid_shape"
    with pytest.raises(plan_rules.SpecError):
        _load_forged(_api._restore_report, "{}", compact, True)
    with pytest.raises(plan_rules.SpecError):
        _load_forged(_api._restore_plan, '{"id": 1}')
    # The report of another plan.
    other = json.loads(report.plan.to_json())
    other["version"] = "other"
    with pytest.raises(plan_rules.DataError) as raised:
        _load_forged(_api._restore_report, json.dumps(other), compact, True)
    assert raised.value.path == "/plan/content_hash"
    assert "not of the one given" in raised.value.message


def _school_columns(mixed: plan_rules.Dataset) -> list[Any]:
    return list(mixed._native.entity_columns()[0])


def _with_field(table: list[Any], name: str, spec: Any) -> list[Any]:
    table = list(table)
    table[3] = [(n, spec if n == name else s) for n, s in table[3]]
    return table


def _field(name: str, tag: str, data: bytes, extra: Any) -> Any:
    return lambda t: _with_field(t, name, (tag, data, extra))


def _utf8(offsets: list[int], text: bytes) -> bytes:
    """A ``coded_utf8`` payload: the count, the offsets, the text."""
    import struct

    return struct.pack(f"<q{len(offsets)}q", len(offsets) - 1, *offsets) + text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_field("teachers", "coded_utf8", b"\0" * 48, b"\1"), "cut short"),
        (_field("teachers", "coded_utf8", b"\0" * 48, _utf8([0], b"")[:12]), "cut short"),
        (_field("teachers", "coded_utf8", b"\0" * 48, _utf8([0, 5], b"ab")), "not within"),
        (_field("teachers", "coded_utf8", b"\0" * 48, _utf8([2, 1], b"ab")), "not within"),
        (_field("teachers", "coded_utf8", b"\0" * 48, _utf8([0, 2], b"\xff\xfe")), "not UTF-8"),
        (_field("teachers", "coded_utf8", b"\1" * 48, _utf8([0, 2], b"12")), "out of range"),
        (_field("teachers", "coded_utf8", b"\0" * 48, "12"), "must be `bytes`"),
        (_field("students", "int", b"\0" * 7, None), "whole number of 8-byte"),
        (_field("students", "int", b"\0" * 16, None), "has 2 rows but the ids have 6"),
        (_field("students", "ints", b"", None), "unknown column encoding `ints`"),
        (_field("pe_teachers", "decimal", b"\xff" * 96, None), "16 bytes of a decimal"),
        (_field("teachers", "coded_json", b"\0" * 48, "[{}]"), "a number or a string"),
        (_field("teachers", "coded_json", b"\0" * 48, "[1"), "coded values:"),
        (_field("teachers", "coded_json", b"\1" * 48, "[1]"), "out of range"),
        (_field("teachers", "coded_json", b"\0" * 48, 5), "must be JSON text"),
        (lambda t: [*t[:1], ("coded", b"\0" * 48, [None]), *t[2:]], "id is missing"),
    ],
)
def test_a_bad_dataset_payload_is_a_data_error(
    mixed: plan_rules.Dataset, edit: Any, message: str
) -> None:
    json_part = mixed._native.to_json(tables=False)
    table = tuple(edit(_school_columns(mixed)))
    with pytest.raises(plan_rules.DataError) as raised:
        _load_forged(_api._restore_dataset, json_part, [table])
    assert message in raised.value.message, raised.value.message


@pytest.mark.parametrize(
    ("json_part", "tables", "code"),
    [
        ("{", [], "invalid_json"),
        ('{"series": []}', [], "invalid_shape"),
        ("{}", {"not": "a list"}, "invalid_shape"),
        ("{}", [("school",)], "invalid_shape"),
        ("{}", [(1, 2, 3, 4, 5, 6, 7, 8)], "invalid_shape"),
        (7, [], "invalid_shape"),
    ],
)
def test_a_malformed_dataset_payload_is_a_data_error(
    json_part: Any, tables: Any, code: str
) -> None:
    with pytest.raises(plan_rules.DataError) as raised:
        _load_forged(_api._restore_dataset, json_part, tables)
    assert raised.value.code == code
