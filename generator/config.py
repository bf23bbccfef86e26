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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from .errors import Diagnostic, GeneratorError

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
            if not isinstance(name, str) or not name.isidentifier():
                problem(stem, f"packages.{stem}: {name!r} is not a Python identifier")
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
