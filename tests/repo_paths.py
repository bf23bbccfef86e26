"""Where things are in the repository, for every test module."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"
FIXTURES = ROOT / "tests" / "fixtures"
