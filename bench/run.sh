#!/usr/bin/env bash
# The benchmarks against real peers, side by side, in one command:
#
#   bench/run.sh                 install peers (bench/.work/, git-ignored), build, run 3 rounds
#   bench/run.sh --rounds 5      more rounds
#   bench/run.sh --only Rust ZEN only engines whose names contain these words
#
# Installs into bench/.work/: a Python venv with zen-engine, pandas and numpy; npm's
# json-rules-engine, @gorules/zen-engine and playwright-core. Builds the Rust bench binary
# (bench/rust, its own workspace) and the wasm package if it is missing (wasm/build.sh), writes the
# shared workloads (one record, one million school-year rows, seed 20161231; and the second one,
# bench/plans/district-20.json: one district-year record, one million district-year rows, seed
# 20211231), then runs bench/run.py.
# The Python binding is measured with $PLAN_RULES_PYTHON (default py/.venv/bin/python) if it
# imports `plan_rules` with a `RowRules`; otherwise its rows say "not measured".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$here/.work"
mkdir -p "$work"

if [ ! -x "$work/venv/bin/python" ]; then
  echo "== python venv with zen-engine, pandas, numpy" >&2
  python3 -m venv "$work/venv"
fi
"$work/venv/bin/python" -c 'import zen, pandas, numpy' 2>/dev/null ||
  "$work/venv/bin/pip" install -q zen-engine pandas numpy

if [ ! -d "$work/node/node_modules/json-rules-engine" ] || [ ! -d "$work/node/node_modules/playwright-core" ]; then
  echo "== npm: json-rules-engine, @gorules/zen-engine, playwright-core" >&2
  mkdir -p "$work/node"
  (cd "$work/node" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund json-rules-engine playwright-core >&2 &&
    { npm install --no-audit --no-fund @gorules/zen-engine >&2 || echo "(@gorules/zen-engine did not install)" >&2; })
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "warning: /usr/bin/chromium missing (apt-get install chromium); the browser row will fail" >&2
fi

echo "== cargo build --release (bench/rust)" >&2
CARGO_TARGET_DIR="$work/target" cargo build --release --quiet --manifest-path "$here/rust/Cargo.toml"
if [ ! -f "$here/../wasm/pkg/node/index.mjs" ]; then
  echo "== wasm/build.sh" >&2
  "$here/../wasm/build.sh" >&2
fi

echo "== workload" >&2
"$work/target/release/plan-rules-bench" gen "$work/data"
(cd "$here" && "$work/venv/bin/python" - <<'EOF'
import json
from workload import TARGETS, DISTRICT_IDS, SCHOOL_IDS
from py_engines import zen_graph
t = {x["id"]: x for x in TARGETS}
open(".work/data/targets.json", "w").write(json.dumps(TARGETS))
open(".work/data/zen_district.json", "w").write(json.dumps(zen_graph([t[i] for i in DISTRICT_IDS])))
open(".work/data/zen_school.json", "w").write(json.dumps(zen_graph([t[i] for i in SCHOOL_IDS])))
from workload import DISTRICT20_TARGETS
open(".work/data/district20/targets.json", "w").write(json.dumps(DISTRICT20_TARGETS))
open(".work/data/district20/zen_district.json", "w").write(json.dumps(zen_graph(DISTRICT20_TARGETS)))
EOF
)

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB" >&2
cd "$here"
"$work/venv/bin/python" run.py "$@"
