"""Edge cases as data: every folder in tests/cases/ is generated and checked.

A case either must be refused (``expected-error.txt``: exit code 2, exactly these
diagnostics, nothing written) or must generate (``expected.yaml``: these warnings,
models, enums and methods), in which case the package must import, pass
``mypy --strict`` and run the case's ``smoke.py`` if it has one. tests/cases/README.md
describes the format.

The successful cases are generated once per module; mypy runs once over all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cli_runner
import pytest
import yaml
from case_support import SPEC_PLACEHOLDER, Case, load_cases
from repo_paths import ROOT

from generator.output import read_tree

REPO_ROOT = ROOT
CASES = load_cases()
FAILING = [case for case in CASES if case.fails]
GENERATING = [case for case in CASES if not case.fails]


@dataclass
class CliRun:
    exit_code: int
    stdout: str
    stderr: str

    def diagnostics(self, case: Case) -> list[str]:
        """The stderr lines about the spec, its path replaced by the placeholder."""
        shown = case.spec.relative_to(REPO_ROOT).as_posix()
        return [
            SPEC_PLACEHOLDER + line[len(shown) :] for line in self.stderr.splitlines() if line.startswith(f"{shown}:")
        ]


def run_cli(case: Case, out: Path) -> CliRun:
    """``specforge generate --spec ... --name <case> --out <out>``, in-process, from the repo
    root so the spec is shown by its path in the repository."""
    argv = ["generate", "--spec", str(case.spec), "--name", case.name, "--out", str(out)]
    result = cli_runner.run_cli(*argv, cwd=REPO_ROOT)
    return CliRun(result.code, result.stdout, result.stderr)


def python_env(path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(path), "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Generated:
    out: Path
    runs: dict[str, CliRun]
    described: dict[str, Any]
    mypy_output: str
    mypy_exit: int


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("cases") / "packages"
    runs = {case.name: run_cli(case, out) for case in GENERATING}
    names = [name for name, run in runs.items() if run.exit_code == 0]
    described: dict[str, Any] = {}
    mypy_output, mypy_exit = "", 0
    if names:
        describe = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("case_support.py")), *names],
            capture_output=True,
            text=True,
            env=python_env(out),
            timeout=300,
        )
        assert describe.returncode == 0, describe.stderr
        described = json.loads(describe.stdout)
        mypy = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--python-version",
                "3.10",
                "--cache-dir",
                str(out.parent / ".mypy_cache"),
                *names,
            ],
            capture_output=True,
            text=True,
            cwd=out,
            timeout=600,
        )
        mypy_output, mypy_exit = mypy.stdout + mypy.stderr, mypy.returncode
    return Generated(out, runs, described, mypy_output, mypy_exit)


@pytest.mark.parametrize("case", FAILING, ids=[c.name for c in FAILING])
def test_refused_case(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / case.name).mkdir(parents=True)
    (out / case.name / "keep.txt").write_text("previous output\n")
    before = read_tree(out)

    run = run_cli(case, out)

    expected = case.expected_error.read_text(encoding="utf-8").splitlines()
    assert "Traceback" not in run.stderr
    assert run.exit_code == 2, run.stderr
    assert run.diagnostics(case) == expected
    assert read_tree(out) == before, "a refused spec must leave the output folder as it was"


@pytest.mark.parametrize("case", GENERATING, ids=[c.name for c in GENERATING])
def test_generated_case(case: Case, generated: Generated) -> None:
    run = generated.runs[case.name]
    assert "Traceback" not in run.stderr
    assert run.exit_code == 0, run.stderr
    expected = yaml.safe_load(case.expected.read_text(encoding="utf-8")) or {}
    if "warnings" in expected:
        assert run.diagnostics(case) == expected["warnings"]
    actual = generated.described[case.name]
    for key in ("constructor", "methods", "models", "enums"):
        if key in expected:
            assert actual[key] == expected[key], f"{key} of {case.name}"


@pytest.mark.parametrize("case", GENERATING, ids=[c.name for c in GENERATING])
def test_generated_case_passes_mypy_strict(case: Case, generated: Generated) -> None:
    if generated.runs[case.name].exit_code != 0:
        pytest.fail("the case did not generate")
    assert generated.mypy_exit in (0, 1), generated.mypy_output  # 2: mypy itself failed
    problems = [line for line in generated.mypy_output.splitlines() if line.startswith(f"{case.name}/")]
    assert not problems, "\n".join(problems)


SMOKED = [case for case in GENERATING if case.smoke.is_file()]


@pytest.mark.parametrize("case", SMOKED, ids=[c.name for c in SMOKED])
def test_generated_case_smoke(case: Case, generated: Generated) -> None:
    if generated.runs[case.name].exit_code != 0:
        pytest.fail("the case did not generate")
    result = subprocess.run(
        [sys.executable, "-W", "error", str(case.smoke)],
        capture_output=True,
        text=True,
        env=python_env(generated.out),
        cwd=generated.out,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
