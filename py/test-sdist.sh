#!/usr/bin/env bash
# The source distribution as pip builds it on a machine with Rust but no repository: `maturin
# sdist`, a check of the archive (the embedded rule set, the sample and the READMEs the crates
# reach through symlinks are inside it as real files equal to the repository's, the LICENSE
# files, no symlink, no built binary), then `pip install` of the archive into a fresh virtual
# environment (PEP 517: pip fetches maturin and compiles the crates from the archive) and the
# root README's Python example run from there. Run by py/test.sh after the wheel's test.
#
# The build is a debug one (`MATURIN_PEP517_ARGS="--profile dev"`) into a kept target directory,
# `${CARGO_TARGET_DIR:-../target}/sdist`, so the registry crates compile once; the project's own
# crates are cleaned from it before each build, since the archive's files carry a fixed old
# mtime that cargo would take for unchanged.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd .. && pwd)"

maturin=.venv/bin/maturin
if [ ! -x "$maturin" ]; then
  echo "== py: installing maturin into .venv"
  [ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
  .venv/bin/python -m pip install --quiet "$(grep -E '^maturin==' requirements-dev.txt)"
fi

work=.work-sdist
rm -rf "$work"
mkdir -p "$work"
echo "== py: the sdist, built and installed in a fresh environment"
start=$(date +%s)
"$maturin" sdist -o "$work/dist" 2>"$work/sdist.log" || { cat "$work/sdist.log" >&2; exit 1; }
sdist=$(ls "$work"/dist/plan_rules-*.tar.gz)

echo "   contents of $(basename "$sdist")"
"${PYTHON:-python3}" - "$sdist" "$root" <<'PY'
import pathlib
import sys
import tarfile

sdist, root = sys.argv[1], pathlib.Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
    problems = []
    links = sorted(name for name, m in members.items() if m.issym() or m.islnk())
    if links:
        problems.append(f"symlinks, which pip cannot build from: {links}")
    binaries = sorted(n for n in members if n.endswith((".so", ".pyd", ".dylib", ".whl")))
    if binaries:
        problems.append(f"built binaries: {binaries}")
    # What the crates and the package read, and the repository file each must equal.
    expected = {
        "core/data/xicheng-education-2016-2020.json": "spec/plans/xicheng-education-2016-2020.json",
        "core/data/xicheng-sample-2015-2020.json": "spec/samples/xicheng-sample-2015-2020.json",
        "core/README.md": "README.md",
        "core/LICENSE": "LICENSE",
        "core/build.rs": "core/build.rs",
        "py/LICENSE": "LICENSE",
        "LICENSE": "LICENSE",
        "README.md": "py/README.md",
        "Cargo.lock": "Cargo.lock",
        "python/plan_rules/py.typed": "py/python/plan_rules/py.typed",
        "python/plan_rules/_plan_rules.pyi": "py/python/plan_rules/_plan_rules.pyi",
    }
    for name, source in expected.items():
        member = members.get(name)
        if member is None:
            problems.append(f"missing: {name} (the repository's {source})")
        elif member.isfile():
            data = tar.extractfile(member).read()
            if data != (root / source).read_bytes():
                problems.append(f"{name} differs from the repository's {source}")
    pkg_info = tar.extractfile(members["PKG-INFO"]).read().decode()
    for line in ("License: Apache-2.0", "License-File: LICENSE", "Name: plan-rules"):
        if line not in pkg_info.splitlines():
            problems.append(f"PKG-INFO lacks `{line}`")
if problems:
    sys.exit("the sdist is not buildable as it is:\n  " + "\n  ".join(problems))
print(f"   {len(members)} files; the rule set, sample, READMEs and LICENSEs are real files")
PY

target="${CARGO_TARGET_DIR:-$root/target}/sdist"
cargo clean --quiet --manifest-path "$root/Cargo.toml" --target-dir "$target" --profile dev \
  -p plan-rules -p plan-rules-py
"${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet pandas
echo "   pip install $(basename "$sdist") (debug build into $target)"
if ! CARGO_TARGET_DIR="$target" MATURIN_PEP517_ARGS="--profile dev" \
  "$work/venv/bin/python" -m pip install --no-cache-dir --verbose "$sdist" \
  >"$work/pip.log" 2>&1; then
  tail -n 60 "$work/pip.log" >&2
  echo "error: pip could not build the sdist (log: py/$work/pip.log)" >&2
  exit 1
fi
grep -E '^ +(Compiling plan-rules|Finished)' "$work/pip.log" | sed 's/^ */   /'
if ! grep -q 'Compiling plan-rules-py' "$work/pip.log"; then
  echo "error: pip did not compile the extension from the sdist (a cached wheel?)" >&2
  exit 1
fi
"$work/venv/bin/python" check_installed.py ../README.md "$work/venv"
echo "   sdist test took $(( $(date +%s) - start )) s"
