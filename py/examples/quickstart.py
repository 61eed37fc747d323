"""Quick start: evaluate the embedded plan on the synthetic sample and look at one target.

Run with ``python examples/quickstart.py`` after ``pip install ./py``.
"""

from __future__ import annotations

from decimal import Decimal

import plan_rules


def main() -> None:
    plan = plan_rules.Plan.default()
    report = plan.evaluate(plan_rules.Dataset.sample(), as_of="2018-12-31")
    print(report.to_table("en"))
    a1 = report.result("A1")
    observed: Decimal | None = a1.observed
    print(f"A1 {a1.status}: observed {observed}, target {a1.target}, R {a1.r}")
    trail = report.trail("A1")
    if trail is not None:
        print(trail)
    for target in plan.targets[:3]:
        print(target.id, target.kind, target.deadline, target.citation.location.en)


if __name__ == "__main__":
    main()
