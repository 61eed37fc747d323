"""Row verdicts: which school-years reach the per-school thresholds, one record or a million.

``python examples/row_verdicts.py [ROWS]`` judges one record from a dict, then a synthetic
table of school-years (default 100 000 rows) through column buffers, and prints the counts.
"""

from __future__ import annotations

import runpy
import sys
import time
from decimal import Decimal
from pathlib import Path

import plan_rules

#: A school-year as a form would hand it over.
RECORD = {
    "level": "primary",
    "students": 1200,
    "health_test_eligible": 1190,
    "health_test_passed": 1189,
    "ice_snow_activity": True,
    "teachers_foreign_affairs": Decimal("2"),
}


def main(rows: int) -> None:
    rules = plan_rules.RowRules(kind="school")
    verdicts: dict[str, str] = rules.judge(RECORD)
    print(verdicts)  # {'A4.1': 'missing', 'A6.1': 'not_met', 'A6.2': 'met', ...}

    school_table = runpy.run_path(str(Path(__file__).with_name("schools_table.py")))["school_table"]
    frame = school_table(rows)
    start = time.perf_counter()
    table = rules.judge_frame(frame)
    print(f"{len(frame)} rows judged in {time.perf_counter() - start:.2f} s")
    for id in rules.target_ids:
        print(id, table[id].value_counts().to_dict())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
