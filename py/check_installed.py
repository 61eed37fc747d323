"""Runs the root README's Python example against an installed `plan_rules` and checks where it
was imported from. Used by test-wheel.sh and test-sdist.sh, each with the interpreter of the
fresh environment it installed the package into:

    ENV/bin/python check_installed.py ../README.md ENV
"""

from __future__ import annotations

import pathlib
import re
import sys
from typing import Any


def main(readme: str, env: str) -> None:
    import plan_rules

    origin = pathlib.Path(plan_rules.__file__).resolve()
    if not origin.is_relative_to(pathlib.Path(env).resolve()):
        sys.exit(f"plan_rules was imported from {origin}, not from the environment {env}")
    text = pathlib.Path(readme).read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", text, re.S)
    if found is None:
        sys.exit(f"{readme} has no ```python block")
    scope: dict[str, Any] = {}
    exec(compile(found.group(1), readme, "exec"), scope)
    status = scope["report"].result("A1").status
    if status != "on_track":
        sys.exit(f"A1 of the embedded Xicheng plan on the sample: {status!r}, not 'on_track'")
    if scope["report"].summary.total != 70:
        sys.exit(f"the embedded Xicheng plan gave {scope['report'].summary.total} targets, not 70")
    print(f"   the README example ran from {origin.parent}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python check_installed.py README.md ENV_DIR")
    main(sys.argv[1], sys.argv[2])
