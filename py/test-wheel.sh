#!/usr/bin/env bash
# The wheel as a user without Rust installs it: build the abi3 wheel (`maturin build --release`),
# install it with pandas into a fresh virtual environment, and run the root README's Python
# example there with no Rust toolchain on PATH. Run by py/test.sh after the tests.
set -euo pipefail
cd "$(dirname "$0")"

work=.work-wheel
rm -rf "$work"
mkdir -p "$work"
echo "== py: the wheel in a fresh environment without Rust"
.venv/bin/maturin build --release --quiet -o "$work/dist"
wheel=$(ls "$work"/dist/plan_rules-*-abi3-*.whl)
"${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel" pandas

# PATH without cargo, rustc or rustup: only the system's directories and the new environment.
clean_path="$(pwd)/$work/venv/bin:/usr/local/bin:/usr/bin:/bin"
env -i HOME="$HOME" PATH="$clean_path" LANG=C.UTF-8 bash -c '
  if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    echo "a Rust toolchain is on PATH: the test would not show the wheel needs none" >&2
    exit 1
  fi
  cd "$1"
  python check_installed.py ../README.md .work-wheel/venv
' _ "$(pwd)"
