#!/usr/bin/env bash
# The Python suite on a fresh machine: a virtual environment in py/.venv with the pinned tools of
# requirements-dev.txt, the extension built by maturin (release), then ruff, mypy (--strict on the
# package, tests' helpers and examples), mypy.stubtest on the native module, and pytest (which
# runs the shared conformance vectors, the README's code and the example notebook); then the
# release artifacts as users install them: the wheel (test-wheel.sh) and the sdist (test-sdist.sh).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "== py: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
stamp="$VENV/.requirements-dev.txt"
if ! cmp -s requirements-dev.txt "$stamp"; then
  echo "== py: installing tools"
  "$PY" -m pip install --quiet --upgrade pip
  "$PY" -m pip install --quiet -r requirements-dev.txt
  cp requirements-dev.txt "$stamp"
fi

echo "== py: building the extension"
start=$(date +%s)
"$VENV/bin/maturin" develop --release --quiet
echo "   built in $(( $(date +%s) - start )) s"

echo "== py: ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# The benchmark's scripts (bench/, not shipped) pass ruff's default rules.
ruff="$PWD/$VENV/bin/ruff"
(cd .. && "$ruff" check --isolated bench && "$ruff" format --isolated --check bench)

echo "== py: mypy --strict"
"$VENV/bin/mypy" python/plan_rules examples check_installed.py

echo "== py: stubtest"
"$PY" -m mypy.stubtest plan_rules._plan_rules

echo "== py: pytest"
start=$(date +%s)
set +e
"$PY" -m pytest -p no:cacheprovider
status=$?
set -e
echo "   pytest took $(( $(date +%s) - start )) s"
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
./test-wheel.sh
./test-sdist.sh
