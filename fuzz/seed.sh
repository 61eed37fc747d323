#!/usr/bin/env bash
# Seeds the fuzz corpora from spec/ and the conformance vectors (corpora are git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/load_plan corpus/load_data corpus/evaluate
cp ../spec/plans/*.json corpus/load_plan/
python3 - <<'PY'
import json, pathlib
root = pathlib.Path("..")
for i, case in enumerate(sorted((root / "tests/vectors/cases").glob("*.json"))):
    c = json.loads(case.read_text())
    data = c["data"] if not isinstance(c["data"], str) else json.loads((root / c["data"]).read_text())
    text = json.dumps(data, ensure_ascii=False)
    for target in ("load_data", "evaluate"):
        (pathlib.Path("corpus") / target / f"vector-{i:03d}.json").write_text(text)
    if isinstance(c["plan"], dict):
        (pathlib.Path("corpus/load_plan") / f"vector-{i:03d}.json").write_text(json.dumps(c["plan"], ensure_ascii=False))
PY
cp ../spec/samples/*.json corpus/load_data/
cp ../spec/samples/*.json corpus/evaluate/
echo "seeded: $(ls corpus/load_plan | wc -l) plans, $(ls corpus/load_data | wc -l) datasets"
