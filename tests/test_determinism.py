"""The same inputs give the same bytes, whatever the hash seed or working directory."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from repo_paths import ROOT


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(out: Path, seed: str, cwd: Path) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    for spec in sorted((ROOT / "specs").glob("*.yaml")):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                "-q",
                "--spec",
                str(spec),
                "--name",
                spec.stem,
                "--out",
                str(out),
            ],
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )


def test_two_runs_with_different_seeds_and_directories_are_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _generate(first, "1", ROOT)
    _generate(second, "4242", elsewhere)
    first_files, second_files = _digest(first), _digest(second)
    # Run from elsewhere, the spec lies outside the working directory and is named by file name.
    assert set(first_files) == set(second_files)
    differing = [name for name in first_files if first_files[name] != second_files[name]]
    # The lock holds the hashes of the files compared here: it differs exactly when they do.
    differing = [name for name in differing if name != "specforge-lock.json"]
    for name in differing:
        text_a = (first / name).read_text(encoding="utf-8")
        text_b = (second / name).read_text(encoding="utf-8")
        assert text_a.replace("specs/", "") == text_b, name


def test_same_directory_different_seeds_byte_identical(tmp_path: Path) -> None:
    _generate(tmp_path / "a", "0", ROOT)
    _generate(tmp_path / "b", "987654", ROOT)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_output_carries_no_machine_paths() -> None:
    for path in sorted((ROOT / "generated").rglob("*")):
        if path.is_file() and not {"__pycache__", ".mypy_cache", ".ruff_cache"} & set(path.parts):
            text = path.read_text(encoding="utf-8")
            assert str(ROOT) not in text, path
            assert "/tmp/" not in text and "/home/" not in text and "/root/" not in text, path
