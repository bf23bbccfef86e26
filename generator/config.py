"""Settings from the ``[tool.specforge]`` table of the nearest ``pyproject.toml``.

::

    [tool.specforge]
    specs-dir = "specs"                        # folder of specs
    out-dir = "generated"                      # where generated/<name>/ packages go
    packages = { musement = "musement_api" }   # spec file stem -> package name

Every key is optional; without the table (or without a pyproject.toml) the defaults are the
layout above, relative to the current directory. Paths in the table are relative to the
folder holding the pyproject.toml, so the command gives the same result from any
subdirectory. Options on the command line override the table.

The table that applies is the one in the nearest pyproject.toml, walking up from the
current directory, that has a ``[tool.specforge]`` table (as ruff finds ``[tool.ruff]``);
a pyproject.toml without one, such as a sub-package's, is passed over.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from .errors import Diagnostic, GeneratorError
from .names import package_name_problem

TABLE = "specforge"
DEFAULT_SPECS_DIR = "specs"
DEFAULT_OUT_DIR = "generated"
KNOWN_KEYS = ("specs-dir", "out-dir", "packages")


@dataclass(frozen=True)
class Config:
    root: Path  # what relative paths in the table, and spec paths in generated files, start from
    specs_dir: Path
    out_dir: Path
    packages: Mapping[str, str] = field(default_factory=dict)  # spec stem -> package name
    source: Path | None = None  # the pyproject.toml the table came from


def defaults(root: Path) -> Config:
    return Config(root, root / DEFAULT_SPECS_DIR, root / DEFAULT_OUT_DIR)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` that has a ``[tool.specforge]`` table."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
    return None


def _has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(rf"^\s*\[\s*tool\s*\.\s*{TABLE}\s*[\].]", text, re.MULTILINE) is not None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """The settings for a run from ``start``: from ``explicit`` (a pyproject.toml) if given,
    else from the nearest pyproject.toml with the table, else the defaults."""
    path = explicit if explicit is not None else find_pyproject(start)
    if path is None:
        return defaults(start)
    return read_config(path)


def read_config(path: Path) -> Config:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"cannot read: {exc.strerror or exc}")]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _position(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise GeneratorError([Diagnostic(shown, line, column, "error", f"invalid TOML: {message}")]) from None
    table = document.get("tool", {}).get(TABLE, {})
    root = path.resolve().parent
    problems: list[Diagnostic] = []

    def problem(key: str, message: str) -> None:
        problems.append(Diagnostic(shown, _line_of(text, key), 1, "error", f"[tool.{TABLE}] {message}"))

    if not isinstance(table, dict):
        problem(TABLE, "must be a table")
        raise GeneratorError(problems)
    for key in table:
        if key not in KNOWN_KEYS:
            hint = _suggestion(key)
            problem(key, f"unknown key {key!r}{hint}; known keys: {', '.join(KNOWN_KEYS)}")
    folders: dict[str, Path] = {}
    for key, default in (("specs-dir", DEFAULT_SPECS_DIR), ("out-dir", DEFAULT_OUT_DIR)):
        value: Any = table.get(key, default)
        if not isinstance(value, str) or not value:
            problem(key, f"{key} must be a non-empty string (a folder, relative to {path.name})")
            value = default
        folders[key] = root / value
    packages: dict[str, str] = {}
    raw_packages = table.get("packages", {})
    if not isinstance(raw_packages, dict):
        problem("packages", 'packages must be a table of spec stem = "package_name"')
    else:
        for stem, name in raw_packages.items():
            reason = package_name_problem(name) if isinstance(name, str) else "is not a Python identifier"
            if reason is not None:
                problem(stem, f"packages.{stem}: {name!r} {reason}")
            else:
                packages[str(stem)] = name
    if problems:
        raise GeneratorError(problems)
    return Config(root, folders["specs-dir"], folders["out-dir"], packages, path)


def _position(message: str) -> tuple[int, int]:
    found = re.search(r"at line (\d+), column (\d+)", message)
    return (int(found[1]), int(found[2])) if found else (1, 1)


def _line_of(text: str, key: str) -> int:
    """The line that sets ``key`` inside the table, for a located message (1 if not found)."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if re.match(rf"\s*\[\s*tool\s*\.\s*{TABLE}\s*[\].]", line)),
        0,
    )
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=|[{{,]\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for index in range(start, len(lines)):
        if pattern.search(lines[index]):
            return index + 1
    return start + 1


def _suggestion(key: str) -> str:
    normalised = key.replace("_", "-").lower()
    if normalised in KNOWN_KEYS:
        return f" (did you mean {normalised!r}?)"
    return ""


# --- how this repository regenerates -------------------------------------------------------

MAKEFILE_NAMES = ("GNUmakefile", "makefile", "Makefile")  # the order GNU make looks in
_RUNS_SPECFORGE = re.compile(r"\bspecforge\b|-m\s+generator\b")


def make_target_runs_specforge(makefile: Path, target: str = "generate") -> bool:
    """Whether ``makefile`` has a rule for ``target`` whose recipe runs specforge (the
    ``specforge`` command or ``python -m generator``)."""
    try:
        lines = makefile.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    rule = re.compile(rf"^(?:[^\s:#=][^:#=]*\s)?{re.escape(target)}(?:\s[^:#=]*)?::?(?!=)")
    for index, line in enumerate(lines):
        if not rule.match(line):
            continue
        recipe = [line.partition(";")[2]] if ";" in line.partition("#")[0] else []
        for following in lines[index + 1 :]:
            if not following.startswith("\t") and following.strip() and not following.lstrip().startswith("#"):
                break
            recipe.append(following)
        if any(_RUNS_SPECFORGE.search(step) for step in recipe):
            return True
    return False


def regenerate_command(cwd: Path, stop: Path | None = None) -> str:
    """The command that regenerates this repository's output, as its people run it:
    ``make generate`` where a Makefile's ``generate`` rule runs specforge (``make -C DIR
    generate`` when that Makefile is above ``cwd``), else ``specforge generate``.

    The search goes up from ``cwd`` to ``stop`` (the project root) or to the repository's
    root, whichever comes first; a Makefile of an enclosing, unrelated repository is no
    answer."""
    here = cwd.resolve()
    for folder in (here, *here.parents):
        makefile = next((folder / name for name in MAKEFILE_NAMES if (folder / name).is_file()), None)
        if makefile is not None:
            # make reads only the first of these names it finds, so only that one counts.
            if make_target_runs_specforge(makefile):
                if folder == here:
                    return "make generate"
                return f"make -C {Path(os.path.relpath(folder, here)).as_posix()} generate"
        if folder == stop or (folder / ".git").exists():
            break
    return "specforge generate"


# What marks the root of a project: where a spec's path, as written into the output, starts.
PROJECT_MARKERS = ("pyproject.toml", ".git")


def project_root_of(path: Path) -> Path | None:
    """The root of the project ``path`` lies in, found from its own location: the nearest
    folder above it holding a pyproject.toml or a repository's ``.git``; failing that, the
    folder holding the default ``specs/`` folder the spec lies in."""
    folders = path.resolve().parents
    for folder in folders:
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    for folder in folders:
        if folder.name == DEFAULT_SPECS_DIR:
            return folder.parent
    return None


def display_path_for(path: Path, root: Path | None = None) -> str:
    """How the spec is named in generated files: relative to the root of its project, so the
    same spec gives the same bytes whatever the working directory or configuration; by file
    name alone outside any project, so no machine's directories end up in the output.
    (``root`` is accepted for older callers; it does not change the answer.)"""
    home = project_root_of(path)
    if home is None:
        return path.name
    return path.resolve().relative_to(home).as_posix()
