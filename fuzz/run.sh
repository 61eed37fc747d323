#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 600) on the seeded corpora, one after another.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain RUSTC_BOOTSTRAP=1 lets it
# use libFuzzer's instrumentation flags.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
[ -d corpus/load_plan ] || ./seed.sh
mkdir -p logs
for t in load_plan load_data evaluate; do
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=4096 -print_final_stats=1 > "logs/$t.log" 2>&1 || echo "$t: exited non-zero (see fuzz/logs/$t.log and fuzz/artifacts/$t/)"
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done|SUMMARY|panicked" "logs/$t.log" | sed "s/^/$t: /" || true
done
