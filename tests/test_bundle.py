"""Specs split over several files: references into other files are pulled in, recorded in
the provenance, and watched by the drift check like the spec itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from repo_paths import ROOT

CASE = ROOT / "tests" / "cases" / "external_refs"


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _repo(tmp_path: Path) -> Path:
    shutil.copytree(CASE, tmp_path / "specs", ignore=shutil.ignore_patterns("expected.yaml"))
    (tmp_path / "specs" / "spec.yaml").rename(tmp_path / "specs" / "pets.yaml")
    return tmp_path


def test_provenance_lists_every_file_pulled_in(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert _run(repo, "generate").returncode == 0
    record = json.loads((repo / "generated" / "pets" / "provenance.json").read_text(encoding="utf-8"))
    assert sorted(record["bundled"]) == ["common/models.yaml", "common/params.yaml", "paths/pets.yaml"]


def test_editing_a_referenced_file_is_drift_even_with_a_warm_cache(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert _run(repo, "generate").returncode == 0
    warm = _run(repo, "check")
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert "inputs unchanged" in warm.stdout  # the cache answered, without regenerating
    models = repo / "specs" / "common" / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace("enum: [a, b]", "enum: [a, b, c]"), encoding="utf-8")
    result = _run(repo, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "generated/pets/models.py" in result.stdout
    assert "generated/pets/provenance.json" in result.stdout
