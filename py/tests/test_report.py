"""Report: results, summary, trails, JSON bytes, renderings, pandas, pickling."""

from __future__ import annotations

import datetime
import os
import pathlib
import pickle
import shutil
import subprocess
from decimal import Decimal

import plan_rules
import pytest
from _paths import ROOT

GOLDEN = ROOT / "tests" / "golden"


def test_summary_and_results(report: plan_rules.Report, plan: plan_rules.Plan) -> None:
    s = report.summary
    assert s.total == len(plan.targets) == len(report.results)
    assert s.met + s.not_met + s.on_track + s.off_track + s.not_assessable == s.total
    assert report.as_of == datetime.date(2018, 12, 31)
    assert report.plan == plan
    assert report.data.id == "xicheng-sample-synthetic-2015-2020"
    assert report.plan_hash == plan.content_hash
    assert report.data_hash == report.data.content_hash
    assert report.engine_version == plan_rules.ENGINE_VERSION
    assert "as of 2018-12-31" in repr(report)


def test_the_data_hash_is_computed_when_the_whole_report_is_shown(
    plan: plan_rules.Plan, sample: plan_rules.Dataset
) -> None:
    """Results are read from the report without its dataset hash; the whole report, asked for
    from several threads at once, is finished once and is the same bytes from each."""
    from concurrent.futures import ThreadPoolExecutor

    report = plan.evaluate(sample, as_of="2018-12-31")
    body = report._native.body_dict()
    assert "data" not in body
    assert [r["id"] for r in body["results"]] == [r.id for r in report.results]
    assert report.summary.total == len(plan.targets)
    whole = plan.evaluate(sample, as_of="2018-12-31").to_json()
    with ThreadPoolExecutor(8) as pool:
        texts = list(pool.map(lambda _: report.to_json(), range(8)))
    assert texts == [whole] * 8
    full = report.to_dict()
    assert full["data"]["content_hash"] == sample.content_hash == report.data_hash
    assert {k: v for k, v in full.items() if k != "data"} == body
    assert report._native.body_dict() == body


def test_numbers_are_decimals(report: plan_rules.Report) -> None:
    a1 = report.result("A1")
    assert a1.status == "on_track"
    assert a1.grade is None
    assert a1.observed == Decimal("99.29824561403508771929824561")
    assert a1.target == Decimal("100")
    assert a1.gap == Decimal("0.70175438596491228070175439")
    assert a1.r == Decimal("1.282427")
    assert a1.baseline is not None
    assert a1.baseline.value == Decimal("97")
    for r in report.results:
        for value in (r.observed, r.target, r.gap, r.progress, r.r):
            assert value is None or isinstance(value, Decimal)
            assert not isinstance(value, float)


def test_trail(report: plan_rules.Report) -> None:
    trail = report.trail("A1")
    assert trail is not None
    assert trail.inputs[0].field == "preschool_enrolled_hukou"
    assert trail.inputs[0].decimal == Decimal("10188")
    assert any(s.op == "classify" for s in trail.steps)
    assert "10188" in str(trail)


def test_without_trail(plan: plan_rules.Plan, sample: plan_rules.Dataset) -> None:
    report = plan.evaluate(sample, as_of="2018-12-31", trail=False)
    assert report.trail("A1") is None
    assert '"trail"' not in report.to_json()


def test_parts_and_unknown_ids(report: plan_rules.Report) -> None:
    a82 = report.result("A8.2")
    assert a82.kind == "all_of"
    assert a82.parts
    assert a82.parts[0].id == "A8.2/community"
    part = report.result("A8.2/community")
    assert part == a82.parts[0]
    with pytest.raises(plan_rules.RequestError) as e:
        report.result("nope")
    assert e.value.code == "unknown_target"
    assert e.value.rule_id == "nope"
    with pytest.raises(plan_rules.RequestError):
        report.trail("A8.2/nope")
    with pytest.raises(plan_rules.RequestError):
        report.history("nope")


@pytest.mark.parametrize(
    ("as_of", "golden", "trail"),
    [
        ("2020-12-31", "xicheng-sample-2020-12-31.json", True),
        ("2018-12-31", "xicheng-sample-2018-12-31.notrail.json", False),
        ("2016-06-30", "xicheng-sample-2016-06-30.notrail.json", False),
    ],
)
def test_json_is_the_golden_bytes(
    plan: plan_rules.Plan, sample: plan_rules.Dataset, as_of: str, golden: str, trail: bool
) -> None:
    report = plan.evaluate(sample, as_of=as_of, trail=trail)
    assert report.to_json() == (GOLDEN / golden).read_text(encoding="utf-8")


def _cli() -> list[str] | None:
    # The most recently built of the workspace's binaries: a stale one would compare old bytes.
    built = [ROOT / "target" / p / "plan-rules" for p in ("release", "debug")]
    built = [path for path in built if path.exists()]
    if built:
        return [str(max(built, key=lambda path: path.stat().st_mtime))]
    found = shutil.which("plan-rules")
    return [found] if found else None


def test_json_is_what_the_cli_writes(plan: plan_rules.Plan, tmp_path: pathlib.Path) -> None:
    cli = _cli()
    if cli is None:
        pytest.skip("the plan-rules CLI is not built (the golden-file test covers the bytes)")
    data = tmp_path / "data.json"
    data.write_text(plan_rules.SAMPLE_DATA_JSON, encoding="utf-8")
    out = subprocess.run(
        [*cli, "report", "--format", "json", "--as-of", "2018-12-31", "--data", str(data)],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
    ).stdout
    assert plan.evaluate(data, as_of="2018-12-31").to_json().encode() == out
    # The CLI's default as-of is the end of the plan period, as evaluate's is.
    out = subprocess.run([*cli, "report", "--format", "json"], check=True, capture_output=True)
    assert plan.evaluate(plan_rules.Dataset.sample()).to_json().encode() == out.stdout


def test_default_as_of_is_the_plan_end(plan: plan_rules.Plan, sample: plan_rules.Dataset) -> None:
    assert plan.evaluate(sample).as_of == datetime.date(2020, 12, 31)
    assert plan.evaluate(sample, as_of=datetime.date(2018, 12, 31)).as_of.year == 2018
    dt = datetime.datetime(2018, 12, 31, 23, 0)
    assert plan.evaluate(sample, as_of=dt).as_of == datetime.date(2018, 12, 31)


@pytest.mark.parametrize("bad", ["2018-13-01", "yesterday", "", "2018-02-30"])
def test_bad_as_of(plan: plan_rules.Plan, sample: plan_rules.Dataset, bad: str) -> None:
    with pytest.raises(plan_rules.RequestError) as e:
        plan.evaluate(sample, as_of=bad)
    assert e.value.code == "invalid_as_of"
    assert e.value.path == "/as_of"


def test_as_of_of_the_wrong_type(plan: plan_rules.Plan, sample: plan_rules.Dataset) -> None:
    with pytest.raises(plan_rules.RequestError):
        plan.evaluate(sample, as_of=20181231)  # type: ignore[arg-type]


def test_to_dict(report: plan_rules.Report) -> None:
    d = report.to_dict()
    assert d["as_of"] == "2018-12-31"
    assert d["results"][0]["observed"] == "99.29824561403508771929824561"
    assert d["summary"]["total"] == 70


def test_renderings(report: plan_rules.Report) -> None:
    html = report._repr_html_()
    assert html == report.to_html()
    assert html.startswith('<div class="plan-rules-report">')
    assert "#d1ecf1" in html  # on-track colour
    assert "户籍适龄儿童学前教育率" in html
    assert "Preschool education" in html
    assert "| A1 |" in report.to_markdown("en")
    assert "A1" in report.to_table()
    assert "达标" not in report.to_table("en")


def test_to_pandas(report: plan_rules.Report) -> None:
    frame = report.to_pandas()
    assert list(frame.index) == [r.id for r in report.results]
    for column in ("status", "grade", "observed", "target", "gap", "R"):
        assert column in frame.columns
    assert frame.loc["A1", "status"] == "on_track"
    assert isinstance(frame.loc["A1", "observed"], Decimal)
    assert isinstance(frame.loc["A1", "R"], Decimal)
    assert frame["observed"].map(lambda v: isinstance(v, float)).sum() == 0
    with_parts = report.to_pandas(parts=True)
    assert len(with_parts) > len(frame)
    assert any("/" in i for i in with_parts.index)


def test_culprits_to_pandas(report: plan_rules.Report) -> None:
    frame = report.culprits_to_pandas()
    assert list(frame.columns) == ["target", "id", "name", "problem", "zh", "en"]
    assert len(frame) == sum(
        len(r.culprits) + sum(len(p.culprits) for p in r.parts) for r in report.results
    )


def test_history(report: plan_rules.Report) -> None:
    history = report.history("A1")
    years = [y for y, _ in history]
    assert years == sorted(years)
    assert years[0] == 2015
    assert years[-1] == 2018
    assert all(isinstance(v, Decimal) for _, v in history)
    assert history[-1][1] == report.result("A1").observed


def test_report_pickles(report: plan_rules.Report) -> None:
    again = pickle.loads(pickle.dumps(report))
    assert again.to_json() == report.to_json()
    assert again == report


def test_report_in_a_worker_process(report: plan_rules.Report) -> None:
    import concurrent.futures
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        job = pool.submit(plan_rules.Plan.evaluate, report.plan, report.data, as_of="2018-12-31")
        again = job.result(timeout=120)
    assert again.to_json() == report.to_json()
