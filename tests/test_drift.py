"""`check` notices every way generated/ can fall out of step, and names the file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from repo_copies import add_stray_file, copy_repository, hand_edit_generated


def _check(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("repo"))


def _edit_spec(repo: Path) -> str:
    spec = repo / "specs" / "sitecore_cdp.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("summary:", "summary: Edited.", 1), encoding="utf-8")
    return "generated/sitecore_cdp/client.py"


def _edit_template(repo: Path) -> str:
    template = repo / "templates" / "runtime" / "_exceptions.py"
    template.write_text(template.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    return "generated/musement/_exceptions.py"


def _delete_generated(repo: Path) -> str:
    (repo / "generated" / "sitecore_cdp" / "errors.py").unlink()
    return "generated/sitecore_cdp/errors.py"


def _delete_spec(repo: Path) -> str:
    (repo / "specs" / "commercelayer.yaml").unlink()
    return "generated/commercelayer/"


def test_check_passes_on_an_unchanged_copy(pristine: Path) -> None:
    result = _check(pristine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.mark.parametrize(
    "change",
    [_edit_spec, _edit_template, hand_edit_generated, add_stray_file, _delete_generated, _delete_spec],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_check_reports_drift(tmp_path: Path, change: Callable[[Path], str]) -> None:
    repo = copy_repository(tmp_path)
    named = change(repo)
    result = _check(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert named in result.stdout
    assert "make generate" in result.stdout


def test_check_shows_a_unified_diff_of_a_changed_file(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path)
    hand_edit_generated(repo)
    result = _check(repo)
    assert "--- generated/commercelayer/models.py (on disk)" in result.stdout
    assert "+++ generated/commercelayer/models.py (generated)" in result.stdout
    assert "-class  " in result.stdout


def test_generate_repairs_drift_and_leaves_nothing_to_check(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path)
    hand_edit_generated(repo)
    add_stray_file(repo)
    env = {**os.environ, "PYTHONPATH": str(repo)}
    subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=repo, env=env, check=True, capture_output=True, timeout=300
    )
    assert _check(repo).returncode == 0
