"""`check` notices every way generated/ can fall out of step, and names the file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

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


# --- a fresh clone: no local cache, only what is committed ---------------------------------
#
# `generate` commits generated/specforge-lock.json, and `check` on a clone verifies the
# output against it by hashing instead of regenerating (generator/cache.py). Each change
# below makes the committed output differ from what the inputs produce, or leaves it the
# same while the proof no longer vouches for the inputs: either way the fast path must not
# answer, and the full check that runs instead must give the true result.

LOCK = "specforge-lock.json"
FAST = "every file verified by hash"
CASES = Path(__file__).resolve().parent / "cases"


def _fresh_run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo), "SPECFORGE_CACHE": "off"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository as committed after `generate`, with a spec that pulls in other files."""
    repo = copy_repository(tmp_path_factory.mktemp("committed"))
    source = CASES / "external_refs"
    shutil.copy(source / "spec.yaml", repo / "specs" / "pets.yaml")
    for folder in ("common", "paths"):
        shutil.copytree(source / folder, repo / "specs" / folder)
    result = _fresh_run(repo, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo / "generated" / LOCK).is_file()
    assert not (repo / ".specforge-cache.json").exists()
    return repo


@pytest.fixture
def clone(committed: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(committed, tmp_path / "clone"))


def test_a_fresh_clone_is_verified_by_hashing(clone: Path) -> None:
    result = _fresh_run(clone, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert FAST in result.stdout and LOCK in result.stdout


def test_check_full_regenerates_even_when_the_lock_vouches(clone: Path) -> None:
    result = _fresh_run(clone, "check", "--full")
    assert result.returncode == 0, result.stdout + result.stderr
    assert FAST not in result.stdout


def _edit_bundled_file(repo: Path) -> str:
    models = repo / "specs" / "common" / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace("enum: [a, b]", "enum: [a, b, c]"), encoding="utf-8")
    return "generated/pets/models.py"


def _edit_jinja_template(repo: Path) -> str:
    template = repo / "templates" / "errors.py.jinja"
    template.write_text(template.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    return "generated/musement/errors.py"


def _edit_generator(repo: Path) -> str:
    source = repo / "generator" / "pipeline.py"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "def header_line(display_path: str) -> str:\n",
            "def header_line(display_path: str) -> str:\n    display_path = display_path + ' (edited)'\n",
        ),
        encoding="utf-8",
    )
    return "generated/musement/client.py"


def _stray_package(repo: Path) -> str:
    shutil.copytree(repo / "generated" / "musement", repo / "generated" / "orphan")
    return "generated/orphan/"


def _edit_generated_and_its_hash(repo: Path) -> str:
    """A hand edit with the lock's hash of the file changed to match, as a careless merge
    of two branches' locks could leave it: the entry's seal no longer fits."""
    named = hand_edit_generated(repo)
    path = repo / named
    data = json.loads((repo / "generated" / LOCK).read_text(encoding="utf-8"))
    data["packages"]["commercelayer"]["files"]["models.py"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (repo / "generated" / LOCK).write_text(json.dumps(data), encoding="utf-8")
    return named


@pytest.mark.parametrize(
    "change",
    [
        hand_edit_generated,
        _edit_generated_and_its_hash,
        add_stray_file,
        _delete_generated,
        _stray_package,
        _edit_spec,
        _delete_spec,
        _edit_bundled_file,
        _edit_template,
        _edit_jinja_template,
        _edit_generator,
    ],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_a_fresh_clone_never_hides_drift(clone: Path, change: Callable[[Path], str]) -> None:
    named = change(clone)
    result = _fresh_run(clone, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert named in result.stdout
    assert FAST not in result.stdout


def test_a_stale_lock_is_not_drift_and_generate_refreshes_it(clone: Path) -> None:
    """The generator changed in a way that changes no output: only the slow path."""
    source = clone / "generator" / "output.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    result = _fresh_run(clone, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert FAST not in result.stdout and "make generate" in result.stdout
    before = (clone / "generated" / LOCK).read_bytes()
    assert _fresh_run(clone, "generate").returncode == 0
    assert (clone / "generated" / LOCK).read_bytes() != before
    assert FAST in _fresh_run(clone, "check").stdout


def test_the_lock_is_the_same_wherever_the_clone_is(committed: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(committed, tmp_path / "deeper" / "elsewhere"))
    (other / "generated" / LOCK).unlink()
    assert _fresh_run(other, "generate").returncode == 0
    assert (other / "generated" / LOCK).read_bytes() == (committed / "generated" / LOCK).read_bytes()


def _lock_verifies(repo: Path) -> bool:
    from generator.cache import RunCache

    specs = [(path, path.stem) for path in sorted((repo / "specs").glob("*.yaml"))]
    return RunCache(None, specs, repo / "generated", repo, prune=True).verify() is not None


def test_another_tool_version_is_not_vouched_for(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import fingerprint

    assert _lock_verifies(clone)
    real = fingerprint._distribution

    def another_version(name: str, tool: str) -> tuple[str, list[str]]:
        version, requirements = real(name)
        return ("0.0.1" if name == tool else version), requirements

    for tool in ("black", "isort", "pydantic-core"):  # a direct tool, and what tools depend on
        monkeypatch.setattr(fingerprint, "_distribution", lambda name, tool=tool: another_version(name, tool))
        assert not _lock_verifies(clone), tool


def test_another_python_is_not_vouched_for(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import fingerprint

    assert _lock_verifies(clone)
    other = SimpleNamespace(implementation=sys.implementation, version_info=(3, 99, 0))
    monkeypatch.setattr(fingerprint, "sys", other)
    assert not _lock_verifies(clone)
