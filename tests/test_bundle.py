"""Specs split over several files: references into other files are pulled in, recorded in
the provenance, and watched by the drift check like the spec itself."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from cli_runner import run_cli_process
from repo_paths import ROOT

CASE = ROOT / "tests" / "cases" / "external_refs"


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli_process(*args, cwd=repo)


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


def test_problems_inside_a_pulled_in_file_name_that_file_and_its_line(tmp_path: Path) -> None:
    """The validator sees one bundled document; what it refuses is reported where it is written."""
    repo = _repo(tmp_path)
    (repo / "pyproject.toml").write_text("[project]\nname = 'pets'\n", encoding="utf-8")
    edits = {
        "common/params.yaml": ("in: query", "in: body"),  # a parameter pulled into a pulled-in path item
        "common/models.yaml": ("required: [name]", "required: name"),  # a schema pulled in as a component
        "paths/pets.yaml": ("description: ok", "description: [ok]"),  # a path item copied in place
    }
    expected = []
    for rel, (before, after) in edits.items():
        path = repo / "specs" / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        number = next(i for i, line in enumerate(lines) if before in line)
        lines[number] = lines[number].replace(before, after)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        column = lines[number].index(after.split(": ")[1]) + 1
        expected.append(f"specs/{rel}:{number + 1}:{column}: error: ")
    (repo / "elsewhere").mkdir()

    result = _run(repo / "elsewhere", "generate", "--spec", str(repo / "specs" / "pets.yaml"))

    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    located = [line for line in result.stderr.splitlines() if ": error: " in line and not line.startswith("error:")]
    assert len(located) == len(expected), result.stderr
    for prefix in expected:
        assert any(line.startswith(prefix) for line in located), (prefix, result.stderr)


def test_a_broken_file_pulled_in_twice_is_reported_once_per_reference(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
        '    L: {$ref: "list.yaml#/0"}\n'
        '    Again: {$ref: "spec.yaml#/components/schemas/L"}\n',  # the spec naming itself
        encoding="utf-8",
    )
    result = _run(tmp_path, "generate", "--spec", "spec.yaml", "--out", "out")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    located = [line for line in result.stderr.splitlines() if line.startswith("spec.yaml:")]
    assert located == [
        "spec.yaml:6:15: error: $ref 'list.yaml#/0': cannot use list.yaml: expected a mapping at the top level, "
        "found list"
    ], result.stderr
