"""Evaluation releases the GIL: Python threads run while the engine works."""

from __future__ import annotations

import threading
import time

import plan_rules
import pytest


def test_other_threads_run_during_evaluation(plan: plan_rules.Plan) -> None:
    pytest.importorskip("pandas")
    import runpy

    from _paths import PY

    table = runpy.run_path(str(PY / "examples" / "schools_table.py"))["school_table"](200_000)
    data = plan_rules.Dataset.from_pandas(entities=table, kind="school")
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
        # Evaluations until a measurable time has passed (one takes about 0.15 s now); a
        # call holding the GIL would let the ticker run only between calls.
        calls = 0
        while time.perf_counter() - start < 0.3:
            plan._native.evaluate(data._native, "2020-12-31", False)
            calls += 1
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    assert elapsed > 0.2, "the evaluations are long enough to measure"
    assert calls < 20, calls
    # Holding the GIL would have frozen the ticker for the whole call.
    assert during > elapsed * 1000 * 0.2, (during, elapsed)


def test_threads_evaluate_in_parallel(plan: plan_rules.Plan) -> None:
    sample = plan_rules.Dataset.sample()
    results: list[str] = []

    def work() -> None:
        results.append(plan.evaluate(sample, as_of="2018-12-31").to_json())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert len(results) == 4
