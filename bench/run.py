"""Runs every engine side by side and prints one table (called by bench/run.sh).

Each engine runs in its own process (so peak memory is its own), once per round; the rounds
interleave the engines (the order rotates every round) and every figure is the median over the
rounds. Results are also written to bench/.work/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
DATA = WORK / "data"
VENV_PY = str(WORK / "venv/bin/python")
PLAN_RULES_PY = os.environ.get(
    "PLAN_RULES_PYTHON", str(HERE.parent / "py/.venv/bin/python")
)

# name, door, command, note
ENGINES = [
    (
        "plan-rules (Rust)",
        "rust",
        [str(WORK / "target/release/plan-rules-bench"), "run", str(DATA)],
        "",
    ),
    (
        "plan-rules (Node, wasm)",
        "node",
        ["node", "node_engines.mjs", "wasm", str(DATA)],
        "",
    ),
    (
        "hand-written JS floats",
        "node",
        ["node", "node_engines.mjs", "node-float", str(DATA)],
        "",
    ),
    (
        "json-rules-engine",
        "node",
        ["node", "node_engines.mjs", "json-rules-engine", str(DATA), "--rows", "5000"],
        "batch: 5k rows",
    ),
    (
        "ZEN (Node, decision tables)",
        "node",
        ["node", "node_engines.mjs", "zen-node", str(DATA), "--rows", "5000"],
        "batch: 5k rows",
    ),
    (
        "plan-rules (Python)",
        "python",
        [PLAN_RULES_PY, "py_engines.py", "plan_rules", str(DATA)],
        "",
    ),
    (
        "hand-written Python decimal",
        "python",
        [VENV_PY, "py_engines.py", "decimal", str(DATA), "--rows", "100000"],
        "batch: 100k rows",
    ),
    (
        "ZEN (Python, expressions)",
        "python",
        [VENV_PY, "py_engines.py", "zen-expr", str(DATA), "--rows", "20000"],
        "batch: 20k rows",
    ),
    (
        "ZEN (Python, decision tables)",
        "python",
        [VENV_PY, "py_engines.py", "zen-table", str(DATA), "--rows", "5000"],
        "batch: 5k rows",
    ),
    (
        "pandas vectorised (int64)",
        "python",
        [VENV_PY, "py_engines.py", "pandas", str(DATA)],
        "batch only",
    ),
    ("plan-rules (Chromium, wasm)", "browser", ["node", "browser.mjs", str(DATA)], ""),
]
D20 = DATA / "district20"
D20_PLAN = str(HERE / "plans/district-20.json")
W2 = ["--workload", "district20"]
# The second workload (bench/plans/district-20.json): 13 targets on one district-year record of
# 20 integer fields; the batch is a million district-years. No browser row.
ENGINES_D20 = [
    (
        "plan-rules (Rust)",
        "rust",
        [str(WORK / "target/release/plan-rules-bench"), "run", str(D20), D20_PLAN],
        "",
    ),
    (
        "plan-rules (Node, wasm)",
        "node",
        ["node", "node_engines.mjs", "wasm", str(D20), *W2],
        "",
    ),
    (
        "hand-written JS floats",
        "node",
        ["node", "node_engines.mjs", "node-float", str(D20), *W2],
        "",
    ),
    (
        "json-rules-engine",
        "node",
        [
            "node",
            "node_engines.mjs",
            "json-rules-engine",
            str(D20),
            "--rows",
            "5000",
            *W2,
        ],
        "batch: 5k rows",
    ),
    (
        "ZEN (Node, decision tables)",
        "node",
        ["node", "node_engines.mjs", "zen-node", str(D20), "--rows", "5000", *W2],
        "batch: 5k rows",
    ),
    (
        "plan-rules (Python)",
        "python",
        [PLAN_RULES_PY, "py_engines.py", "plan_rules", str(D20), *W2],
        "",
    ),
    (
        "hand-written Python decimal",
        "python",
        [VENV_PY, "py_engines.py", "decimal", str(D20), "--rows", "50000", *W2],
        "batch: 50k rows",
    ),
    (
        "ZEN (Python, expressions)",
        "python",
        [VENV_PY, "py_engines.py", "zen-expr", str(D20), "--rows", "10000", *W2],
        "batch: 10k rows",
    ),
    (
        "ZEN (Python, decision tables)",
        "python",
        [VENV_PY, "py_engines.py", "zen-table", str(D20), "--rows", "2000", *W2],
        "batch: 2k rows",
    ),
    (
        "pandas vectorised (int64)",
        "python",
        [VENV_PY, "py_engines.py", "pandas", str(D20), *W2],
        "batch only",
    ),
]
WORKLOADS = {
    "schools": (ENGINES, "latency / record (12 targets)", "batch, 7 school targets"),
    "district20": (
        ENGINES_D20,
        "latency / record (13 district targets)",
        "batch, 13 district targets",
    ),
}
OURS = {
    "rust": "plan-rules (Rust)",
    "node": "plan-rules (Node, wasm)",
    "python": "plan-rules (Python)",
    "browser": "plan-rules (Chromium, wasm)",
}


def run_one(cmd: list[str]) -> dict | None:
    try:
        p = subprocess.run(
            cmd, check=False, cwd=HERE, capture_output=True, text=True, timeout=900
        )
    except subprocess.TimeoutExpired:
        return {"error": "timeout"}
    except OSError as e:
        return {"error": str(e)[:200]}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(lines[-1])


def med(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(values) if values else None


def fmt(v, digits=0, unit=""):
    if v is None:
        return "—"
    if v >= 1e6 and unit == "/s":
        return f"{v / 1e6:.2f} M"
    if v >= 1e3 and unit == "/s":
        return f"{v / 1e3:.1f} k"
    return f"{v:,.{digits}f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="engine names (substrings) to run")
    ap.add_argument(
        "--workload",
        nargs="*",
        choices=list(WORKLOADS),
        help="workloads to run (default: both)",
    )
    args = ap.parse_args()
    chosen = args.workload or list(WORKLOADS)
    # (workload, engine) pairs, every round interleaving both workloads' engines.
    jobs = [
        (w, e)
        for w in chosen
        for e in WORKLOADS[w][0]
        if not args.only or any(o in e[0] for o in args.only)
    ]
    runs: dict[tuple[str, str], list[dict]] = {(w, e[0]): [] for w, e in jobs}
    start = time.time()
    for r in range(args.rounds):
        order = jobs[r % len(jobs) :] + jobs[: r % len(jobs)]
        for w, (name, _door, cmd, _note) in order:
            key = (w, name)
            if runs[key] and "not_measured" in runs[key][-1]:
                continue
            res = run_one(cmd)
            runs[key].append(res)
            print(
                f"  round {r + 1}/{args.rounds} [{w}] {name}: {json.dumps(res)[:160]}",
                file=sys.stderr,
            )
    texts, tables = [], {}
    for w in chosen:
        engines = [e for ww, e in jobs if ww == w]
        table, text = render(
            engines, {e[0]: runs[(w, e[0])] for e in engines}, *WORKLOADS[w][1:]
        )
        tables[w] = table
        texts.append(f"Workload `{w}`:\n\n{text}")
        print(f"\nWorkload `{w}`:\n\n{text}")
    print(f"\n{args.rounds} rounds, medians; {time.time() - start:.0f} s in all.")
    (WORK / "results.json").write_text(
        json.dumps(
            {"table": tables, "runs": {f"{w}/{n}": v for (w, n), v in runs.items()}},
            indent=1,
        )
    )
    (WORK / "table.md").write_text("\n\n".join(texts) + "\n")


def render(engines, runs, lat_head, batch_head):
    """One workload's table: (medians per engine, markdown text)."""
    # medians
    table = {}
    for name, door, _cmd, note in engines:
        rs = [x for x in runs[name] if x and "error" not in x]
        if not rs:
            err = next((x for x in runs[name] if x), {})
            table[name] = {
                "door": door,
                "note": err.get("not_measured") or err.get("error", "failed"),
                "failed": True,
            }
            continue
        keys = set().union(*rs)
        row = {
            k: med([x.get(k) for x in rs])
            for k in keys
            if k not in ("verdicts", "batch_met", "engine", "user_agent")
        }
        row["verdicts"] = rs[-1].get("verdicts")
        row["batch_met"] = rs[-1].get("batch_met")
        row["door"], row["note"], row["runs"] = door, note, len(rs)
        table[name] = row
    rust = table.get("plan-rules (Rust)", {})
    lines = []
    lines.append(
        f"| engine | door | {lat_head} | {batch_head} | batch extra memory / input | verdicts agree | ours, same door: × faster per record | × faster in batch |"
    )
    lines.append("|---|---|---:|---:|---:|:-:|---:|---:|")
    for name, door, _cmd, _note in engines:
        row = table[name]
        if row.get("failed"):
            lines.append(f"| {name} | {door} | not measured: {row['note']} | | | | | |")
            continue
        lat = row.get("latency_ns") or row.get("row_judge_ns")
        lat_s = f"{fmt(lat)} ns" if lat else "—"
        if name.startswith("plan-rules (Chromium"):
            lat_s += (
                f"; school form: `plan.validate()` {fmt(row.get('validate_us'), 0)} µs,"
                f" `validate()` {fmt(row.get('validate_default_plan_us'), 0)} µs,"
                f" first 300 calls {fmt(row.get('validate_first_us'), 0)} µs"
            )
        bat = row.get("batch_rows_per_s")
        bat_s = f"{fmt(bat, unit='/s')}rows/s" if bat else "—"
        if bat and row.get("note"):
            bat_s += f" ({row['note']})"
        mem = row.get("batch_extra_mb")
        inp = row.get("input_mb")
        mem_s = (
            "—"
            if mem is None
            else f"{mem:.0f} MB"
            + (f" / {inp:.0f} MB = {mem / inp:.2f}×" if inp else "")
        )
        agree = "—"
        if rust.get("verdicts") and row.get("verdicts"):
            agree = "yes" if row["verdicts"] == rust["verdicts"] else "NO"
            if row.get("batch_met") and row.get("batch_rows") == rust.get("batch_rows"):
                agree += (
                    ", batch yes"
                    if row["batch_met"] == rust.get("batch_met")
                    else ", batch NO"
                )
        ours = table.get(OURS[door], {"failed": True})
        r_lat = r_bat = "—"
        if name != OURS[door] and not ours.get("failed"):
            ol = ours.get("latency_ns") or ours.get("row_judge_ns")
            if lat and ol:
                r_lat = f"{lat / ol:.2f}×"
            ob = ours.get("batch_rows_per_s")
            if bat and ob:
                r_bat = f"{ob / bat:.2f}×"
        lines.append(
            f"| {name} | {door} | {lat_s} | {bat_s} | {mem_s} | {agree} | {r_lat} | {r_bat} |"
        )
    return table, "\n".join(lines)


if __name__ == "__main__":
    main()
