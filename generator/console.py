"""The command line's settings and output: where each line goes, with what emphasis.

Shared by :mod:`generator.cli` and :mod:`generator.diff_command`, so neither imports the other.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, TextIO

from .errors import Diagnostic, GeneratorError
from .names import snake_case

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Settings:
    root: Path  # spec paths in generated files, and the cache, are relative to this
    specs_dir: Path
    out_dir: Path
    spec: Path | None
    name: str | None
    packages: dict[str, str] = field(default_factory=dict)
    config_source: Path | None = None
    verbose: int = 0  # -1 quiet, 0 normal, 1 verbose
    regenerate: str = "specforge generate"  # what a drift report tells people to run
    full: bool = False  # check: regenerate even when a recorded run vouches for the output


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (to anything but "")."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def shown(path: Path) -> str:
    """``path`` as people typed it: relative to the current directory where it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


class Console:
    """Where every line of output goes, with what emphasis, at which verbosity."""

    STYLES: ClassVar[dict[str, str]] = {
        "error": "1;31",
        "warning": "1;33",
        "ok": "32",
        "bad": "31",
        "add": "32",
        "remove": "31",
        "hunk": "36",
    }

    def __init__(self, verbose: int) -> None:
        self.verbose = verbose
        self.color_out = use_color(sys.stdout)
        self.color_err = use_color(sys.stderr)

    def paint(self, text: str, style: str, *, err: bool = False) -> str:
        if not (self.color_err if err else self.color_out):
            return text
        return f"\033[{self.STYLES[style]}m{text}\033[0m"

    def info(self, text: str) -> None:
        """Progress and summaries; not with --quiet."""
        if self.verbose >= 0:
            print(text)

    def detail(self, text: str) -> None:
        """Only with --verbose."""
        if self.verbose > 0:
            print(text)

    def finding(self, text: str) -> None:
        """What is wrong with the output (drift); printed even with --quiet."""
        print(text)

    def diff(self, text: str) -> None:
        if self.verbose < 0:
            return
        for line in text.splitlines():
            if line.startswith(("+++", "---")):
                print(line)
            elif line.startswith("+"):
                print(self.paint(line, "add"))
            elif line.startswith("-"):
                print(self.paint(line, "remove"))
            elif line.startswith("@@"):
                print(self.paint(line, "hunk"))
            else:
                print(line)

    def problem(self, diagnostic: Diagnostic) -> None:
        if diagnostic.severity == "warning" and self.verbose < 0:
            return
        location = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}:"
        label = self.paint(f"{diagnostic.severity}:", diagnostic.severity, err=True)
        print(f"{location} {label} {diagnostic.message}", file=sys.stderr)

    def error(self, text: str) -> None:
        print(f"{self.paint('error:', 'error', err=True)} {text}", file=sys.stderr)


def spec_paths(settings: Settings) -> list[tuple[Path, str]]:
    """Each spec to generate, with the name of the package it becomes."""

    def package_name(path: Path) -> str:
        return settings.packages.get(path.stem) or snake_case(path.stem, prefix="api")

    if settings.spec is not None:
        return [(settings.spec, settings.name or package_name(settings.spec))]
    if not settings.specs_dir.is_dir():
        raise GeneratorError([Diagnostic(shown(settings.specs_dir), 1, 1, "error", "no such folder of specs")])
    paths = sorted(p for p in settings.specs_dir.iterdir() if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
    return [(p, package_name(p)) for p in paths]
