"""Throwaway copies of the repository, and the edits that should make `check` report drift."""

from __future__ import annotations

import shutil
from pathlib import Path

from repo_paths import ROOT


def copy_repository(target: Path) -> Path:
    """Everything `generate` and `check` read and write, copied below ``target``."""
    for name in ("specs", "templates", "generated", "generator"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "Makefile", target)  # a drift report names the repository's own command
    return target


def hand_edit_generated(repo: Path) -> str:
    target = repo / "generated" / "commercelayer" / "models.py"
    target.write_text(target.read_text(encoding="utf-8").replace("class ", "class  ", 1), encoding="utf-8")
    return "generated/commercelayer/models.py"


def add_stray_file(repo: Path) -> str:
    (repo / "generated" / "musement" / "helpers.py").write_text("x = 1\n", encoding="utf-8")
    return "generated/musement/helpers.py"
