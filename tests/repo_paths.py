"""Where things are in the repository, for every test module."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"
FIXTURES = ROOT / "tests" / "fixtures"
CASES = ROOT / "tests" / "cases"  # edge cases as data (tests/cases/README.md)
DIFF_CASES = ROOT / "tests" / "diff"  # revision pairs for `specforge diff`
