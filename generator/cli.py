"""The command line: ``specforge generate | check | validate``.

Exit codes: 0 all good, 1 generated code has drifted from the specs, 2 bad input (a spec
that cannot be used, or an output folder that cannot be written).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import RunCache, cache_path
from .errors import Diagnostic, GeneratorError
from .output import OutputError, compare, write_packages

if TYPE_CHECKING:
    from .pipeline import PackageResult

# The generating stages (and the model generator, formatter and validator they bring in)
# are imported only when a command needs them: `check` with nothing changed does not.

EXIT_OK, EXIT_DRIFT, EXIT_BAD_INPUT = 0, 1, 2
SPEC_SUFFIXES = (".yaml", ".yml", ".json")

EPILOG = """examples:
  specforge generate                       every spec in specs/ -> generated/<stem>/
  specforge check                          exit 1, with a diff, if generated/ is out of date
  specforge validate                       check the specs only
  specforge generate --spec api.yaml --name acme_api --out vendor/
"""


@dataclass
class Settings:
    specs_dir: Path
    out_dir: Path
    spec: Path | None
    name: str | None
    verbose: int
    color: bool


class Console:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.settings.color else text

    def info(self, text: str) -> None:
        if self.settings.verbose >= 0:
            print(text)

    def detail(self, text: str) -> None:
        if self.settings.verbose > 0:
            print(text)

    def problem(self, diagnostic: Diagnostic) -> None:
        code = "31" if diagnostic.severity == "error" else "33"
        location = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}:"
        print(f"{location} {self._paint(diagnostic.severity + ':', code)} {diagnostic.message}", file=sys.stderr)

    def error(self, text: str) -> None:
        print(f"{self._paint('error:', '31')} {text}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specforge",
        description="Generate typed Python clients (pydantic v2 models, httpx clients) from OpenAPI specs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"specforge {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    helps = {
        "generate": "write generated/<name>/ for every spec (or for --spec)",
        "check": "compare what would be generated with what is on disk; exit 1 on drift",
        "validate": "check the specs without generating anything",
    }
    for name, text in helps.items():
        sub = commands.add_parser(name, help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("--spec", type=Path, help="one spec file instead of every spec in --specs-dir")
        sub.add_argument("--name", help="package name for --spec (default: the file's stem)")
        sub.add_argument("--specs-dir", type=Path, default=Path("specs"), help="folder of specs (default: specs)")
        sub.add_argument("--out", type=Path, default=Path("generated"), help="output folder (default: generated)")
        verbosity = sub.add_mutually_exclusive_group()
        verbosity.add_argument("-q", "--quiet", action="store_true", help="print problems only")
        verbosity.add_argument("-v", "--verbose", action="store_true", help="print each file and warning")
    return parser


def _spec_paths(settings: Settings) -> list[tuple[Path, str]]:
    from .names import snake_case

    if settings.spec is not None:
        return [(settings.spec, settings.name or snake_case(settings.spec.stem, prefix="api"))]
    if not settings.specs_dir.is_dir():
        raise GeneratorError([Diagnostic(str(settings.specs_dir), 1, 1, "error", "no such folder of specs")])
    paths = sorted(p for p in settings.specs_dir.iterdir() if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
    return [(p, snake_case(p.stem, prefix="api")) for p in paths]


def _generate_all(settings: Settings, console: Console) -> dict[str, PackageResult]:
    from .pipeline import generate_package

    results: dict[str, PackageResult] = {}
    problems: list[Diagnostic] = []
    root = Path.cwd()
    for path, name in _spec_paths(settings):
        if not name.isidentifier():
            problems.append(Diagnostic(str(path), 1, 1, "error", f"package name {name!r} is not a Python identifier"))
            continue
        try:
            results[name] = generate_package(path, name, root)
        except GeneratorError as exc:
            problems.extend(exc.diagnostics)
    for result in results.values():
        for warning in result.warnings:
            console.problem(warning) if console.settings.verbose >= 0 else None
    if problems:
        raise GeneratorError(problems)
    return results


def _run(command: str, settings: Settings, console: Console) -> int:
    started = time.perf_counter()
    if command == "validate":
        from .load import load_spec
        from .pipeline import display_path_for
        from .validate import validate_spec

        count = 0
        problems: list[Diagnostic] = []
        for path, _ in _spec_paths(settings):
            try:
                for warning in validate_spec(load_spec(path, display_path_for(path, Path.cwd()))):
                    console.problem(warning)
                count += 1
            except GeneratorError as exc:
                problems.extend(exc.diagnostics)
        if problems:
            raise GeneratorError(problems)
        console.info(f"{count} spec(s) valid in {time.perf_counter() - started:.2f}s")
        return EXIT_OK
    prune = settings.spec is None
    root = Path.cwd()
    run_cache = RunCache(cache_path(root), _spec_paths(settings), settings.out_dir, root, prune=prune)
    if command == "check" and (verified := run_cache.verify()) is not None:
        for warning in verified.warnings:
            console.problem(warning) if settings.verbose >= 0 else None
        elapsed = time.perf_counter() - started
        console.info(
            f"{verified.packages} package(s) up to date "
            f"({elapsed:.2f}s; inputs unchanged, every file verified by hash)"
        )
        return EXIT_OK
    results = _generate_all(settings, console)
    packages = {name: result.files for name, result in results.items()}
    warnings = [warning for result in results.values() for warning in result.warnings]
    if command == "check":
        drift = compare(settings.out_dir, packages, prune=prune)
        for path in drift.missing:
            console.info(f"missing: {path}")
        for path, diff in drift.changed.items():
            console.info(f"changed: {path}")
            if settings.verbose >= 0:
                sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
        for path in drift.stale:
            console.info(f"stale:   {path}")
        elapsed = time.perf_counter() - started
        if drift:
            console.info(
                f"drift: {len(drift.missing)} missing, {len(drift.changed)} changed, {len(drift.stale)} stale "
                f"({elapsed:.2f}s); run `make generate` and commit the result"
            )
            return EXIT_DRIFT
        run_cache.record(packages, warnings)
        console.info(f"{len(packages)} package(s) up to date ({elapsed:.2f}s)")
        return EXIT_OK
    report = write_packages(settings.out_dir, packages, prune=prune)
    run_cache.record(packages, warnings)
    for name in report.written:
        console.info(f"written:   {settings.out_dir / name}")
    for name in report.unchanged:
        console.detail(f"unchanged: {settings.out_dir / name}") if False else console.info(f"unchanged: {settings.out_dir / name}")
    for name in report.removed:
        console.info(f"removed:   {settings.out_dir / name} (its spec is gone)")
    console.info(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed "
        f"in {time.perf_counter() - started:.2f}s"
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings(
        specs_dir=args.specs_dir,
        out_dir=args.out,
        spec=args.spec,
        name=args.name,
        verbose=-1 if args.quiet else (1 if args.verbose else 0),
        color=sys.stderr.isatty() and "NO_COLOR" not in os.environ,
    )
    console = Console(settings)
    try:
        return _run(args.command, settings, console)
    except GeneratorError as exc:
        for diagnostic in exc.diagnostics:
            console.problem(diagnostic)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        console.error(f"{errors} error(s); nothing was written")
        return EXIT_BAD_INPUT
    except OutputError as exc:
        console.error(f"{exc}; the previous output is unchanged")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
