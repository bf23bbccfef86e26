"""The committed packages pass the checks a careful consumer would run on them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import black
import pytest
from repo_paths import GENERATED

PACKAGES = sorted(p for p in GENERATED.iterdir() if p.is_dir() and (p / "provenance.json").is_file())


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_mypy_strict_for_python_3_10(tmp_path: Path) -> None:
    result = _run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-version",
        "3.10",
        "--cache-dir",
        str(tmp_path / "mypy-cache"),
        *[p.name for p in PACKAGES],
        cwd=GENERATED,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_with_default_rules(tmp_path: Path) -> None:
    result = _run(
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--isolated",
        "--no-cache",
        "--target-version",
        "py310",
        *[p.name for p in PACKAGES],
        cwd=GENERATED,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*/*.py")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stable_under_black(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert black.format_str(text, mode=black.Mode(target_versions={black.TargetVersion.PY310})) == text


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_module_declares_its_exports(package: Path) -> None:
    for module in sorted(package.glob("*.py")):
        assert "\n__all__ = [" in module.read_text(encoding="utf-8"), module


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_package_ships_its_marker_files(package: Path) -> None:
    assert (package / "py.typed").is_file()
    assert (package / "README.md").is_file()
    assert (package / "testing.py").is_file()  # the fake, type-checked with the rest above
    provenance = (package / "provenance.json").read_text(encoding="utf-8")
    assert f'"spec": "specs/{package.name}.yaml"' in provenance
    assert '"spec_sha256": "' in provenance and '"generator": "specforge' in provenance
