#!/usr/bin/env python3
"""The main job at scale, side by side (issue 14): a million school-years from a table to a
full report (every target: statuses, counts, culprits; no trail), by

- plan-rules through Python, one interpreter per build to compare (``--engine NAME=PYTHON``:
  the current build and an older wheel installed in another venv, e.g. commit 98f39b4's);
- a pandas peer that computes the school targets' verdicts and culprit lists by hand.

Each engine runs in its own process, once per round, the order rotating every round; every
figure is the median over the rounds. "Load" is ``Dataset.from_pandas`` (or the peer's
preparation), "evaluate" is ``Plan.evaluate(..., trail=False)``; "extra memory" is the peak
resident memory the load and evaluation add over the process with its table built
(``VmHWM`` after resetting it through ``/proc/self/clear_refs``), against the table's columns
(``DataFrame.memory_usage(deep=True)``).

The table: the benchmark's million generated rows (``bench/.work/data``, written by
``bench/run.sh``: seed 20161231) as 200,000 schools over 2016-2020 (row ``i`` is school
``i // 5`` in year ``2016 + i % 5``), int64 counts, bool flags and ``level`` (the level drawn
for the school's first row, so each school keeps one level) as a categorical, ids as strings.

    bench/evaluate.py --engine main=py/.venv/bin/python --engine 98f39b4=/tmp/base/bin/python
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".work" / "data"
YEARS = 5
SCHOOL_TARGETS = [
    "A4.1",
    "A6.1",
    "A6.2",
    "A7",
    "B3/schools",
    "B3/teachers",
    "B3/students",
]


def rss_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def table(rows: int):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from workload import columns

    meta = json.loads((DATA / "meta.json").read_text())
    cols = columns(DATA, meta, rows)
    n = len(cols["level_code"])
    n -= n % YEARS
    first = np.repeat(np.arange(0, n, YEARS), YEARS)
    levels = pd.Categorical.from_codes(cols.pop("level_code")[first], meta["levels"])
    school = np.arange(n) // YEARS
    frame = pd.DataFrame(
        {
            "id": np.char.add("S", np.char.zfill(school.astype(str), 6)).astype(object),
            "year": 2016 + np.arange(n) % YEARS,
            "level": levels,
            **{k: v[:n] for k, v in cols.items()},
        }
    )
    return frame


def pandas_peer(frame):  # type: ignore[no-untyped-def]
    """The school targets' verdicts as of 2020-12-31 (the deadline), by hand: each rate's
    total ratio against 100 % and the schools whose own ratio falls short; each coverage's
    share of schools and the schools that fail. Exact: whole numbers compared as products."""
    last = frame[frame["year"] == 2020]
    out = {}

    def rate(name, num, den, rows):  # type: ignore[no-untyped-def]
        n, d = int(rows[num].sum()), int(rows[den].sum())
        met = d > 0 and n * 100 >= 100 * d
        below = rows.loc[(rows[den] > 0) & (rows[num] * 100 < rows[den] * 100), "id"]
        out[name] = ("met" if met else "not_met", sorted(below) if not met else [])

    def coverage(name, ok, rows):  # type: ignore[no-untyped-def]
        out[name] = ("met" if ok.all() else "not_met", sorted(rows.loc[~ok, "id"]))

    rate("A4.1", "pe_teachers_ice_snow_trained", "pe_teachers", last)
    pop = last[last["level"].isin(["primary", "secondary", "nine_year"])]
    rate("A6.1", "health_test_passed", "health_test_eligible", pop)
    coverage("A6.2", last["ice_snow_activity"].astype(bool), last)
    coverage("A7", last["teachers_foreign_affairs"] >= 1, last)
    coverage("B3/schools", last["international_exchange"].astype(bool), last)
    rate("B3/teachers", "teachers_international_exchange", "teachers", last)
    rate("B3/students", "students_international_exchange", "students", last)
    return out


def child(engine: str, rows: int) -> None:
    frame = table(rows)
    input_mb = frame.memory_usage(deep=True).sum() / 2**20
    reset_peak()
    before = rss_kb("VmRSS:")
    t0 = time.perf_counter()
    if engine == "pandas":
        t1 = time.perf_counter()
        verdicts = pandas_peer(frame)
        t2 = time.perf_counter()
    else:
        import plan_rules

        plan = plan_rules.Plan.default()
        data = plan_rules.Dataset.from_pandas(entities=frame, kind="school", id="bench")
        t1 = time.perf_counter()
        report = plan.evaluate(data, as_of="2020-12-31", trail=False)
        t2 = time.perf_counter()
        # Memory up to here: reading the results as Python objects below is not the job.
        extra_job = max(0, rss_kb("VmHWM:") - before) / 1024
        verdicts = {}
        for r in report.results:
            for x in (r, *r.parts):
                if x.id in SCHOOL_TARGETS:
                    ids = sorted(c.id for c in x.culprits)
                    verdicts[x.id] = (x.status, ids)
    extra = max(0, rss_kb("VmHWM:") - before) / 1024
    if engine != "pandas":
        extra = extra_job
    digest = {
        k: [v[0], len(v[1]), hashlib.sha1("\n".join(v[1]).encode()).hexdigest()[:16]]
        for k, v in sorted(verdicts.items())
    }
    print(
        json.dumps(
            {
                "load_s": t1 - t0,
                "evaluate_s": t2 - t1,
                "extra_mb": extra,
                "input_mb": input_mb,
                "verdicts": digest,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--engine", action="append", default=[], help="NAME=PYTHON with plan_rules"
    )
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pandas-python", default=sys.executable)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    if not (DATA / "meta.json").exists():
        sys.exit(
            "bench/.work/data is missing: run bench/run.sh once (it writes the workload)"
        )
    engines = [tuple(e.split("=", 1)) for e in args.engine] + [
        ("pandas by hand", args.pandas_python)
    ]
    results: dict[str, list[dict]] = {name: [] for name, _ in engines}
    for r in range(args.rounds):
        order = engines[r % len(engines) :] + engines[: r % len(engines)]
        for name, python in order:
            kind = "pandas" if name == "pandas by hand" else "plan_rules"
            p = subprocess.run(
                [python, __file__, "--child", kind, "--rows", str(args.rows)],
                check=False,
                capture_output=True,
                text=True,
                timeout=1800,
                cwd=HERE,
            )
            lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
            if p.returncode != 0 or not lines:
                print(f"{name}: failed: {p.stderr.strip()[-400:]}", file=sys.stderr)
                continue
            results[name].append(json.loads(lines[-1]))
            print(f"round {r + 1} {name}: {lines[-1][:160]}", file=sys.stderr)
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    rows = []
    for name, runs in results.items():
        if not runs:
            continue
        load, ev = (
            med([x["load_s"] for x in runs]),
            med([x["evaluate_s"] for x in runs]),
        )
        extra, inp = med([x["extra_mb"] for x in runs]), runs[0]["input_mb"]
        rows.append((name, load, ev, load + ev, extra, inp, runs[0]["verdicts"]))
    base = {
        name: total
        for name, *_x, total, _e, _i, _v in [
            (r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows
        ]
    }
    print(
        "| engine | load | evaluate | end to end | extra memory / input columns | school verdicts agree with pandas |"
    )
    print("|---|---:|---:|---:|---:|:-:|")
    peer = next((r[6] for r in rows if r[0] == "pandas by hand"), None)
    for name, load, ev, total, extra, inp, verdicts in rows:
        agree = (
            "—"
            if name == "pandas by hand" or peer is None
            else ("yes" if verdicts == peer else "NO")
        )
        print(
            f"| {name} | {load:.2f} s | {ev:.2f} s | {total:.2f} s | {extra:.0f} MB / {inp:.0f} MB = {extra / inp:.2f}× | {agree} |"
        )
    names = [r[0] for r in rows]
    for a in names:
        for b in names:
            if a != b and "pandas" not in a:
                print(
                    f"{a} vs {b}: {base[b] / base[a]:.2f}× faster end to end",
                    file=sys.stderr,
                )
    (HERE / ".work" / "evaluate.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
