"""The one way tests run the command line: in-process (fast, and coverage sees it) or as a
separate ``python -m generator`` process (when the process itself matters: exit codes on a
crash, the environment, imports a fresh interpreter makes)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from repo_paths import ROOT

from generator.cli import main


@dataclass(frozen=True)
class CliRun:
    code: int
    stdout: str
    stderr: str


def run_cli(*argv: str, cwd: Path | None = None) -> CliRun:
    """``specforge <argv>`` in this process, its output captured, from ``cwd`` if given."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(stdout))
        stack.enter_context(contextlib.redirect_stderr(stderr))
        code = main(list(argv))
    return CliRun(code, stdout.getvalue(), stderr.getvalue())


def run_cli_process(
    *argv: str, cwd: Path, pythonpath: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m generator <argv>`` as its own process, with ``generator`` importable from
    ``pythonpath``; ``env`` replaces the inherited environment when given."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "generator", *argv],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
