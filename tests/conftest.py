"""Shared test setup: the committed packages under generated/ are importable by name."""

from __future__ import annotations

import sys

from repo_paths import GENERATED

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))
