"""Paths of the repository, for the tests."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PY = ROOT / "py"
