"""The command line: ``specforge generate | check | validate | diff``.

Exit codes: 0 all good, 1 generated code has drifted from the specs, 2 bad input (a spec
or configuration that cannot be used, or an output folder that cannot be written).

Settings come from, in order of precedence: the command line, the ``[tool.specforge]``
table of the nearest pyproject.toml (:mod:`generator.config`), and the defaults
(``specs/`` -> ``generated/``). Output: problems go to stderr, compiler-style; progress and
a closing summary with counts and the elapsed time go to stdout. Colour is used only on a
terminal, and never when ``NO_COLOR`` is set (https://no-color.org).
"""

from __future__ import annotations

import argparse
import gc
import shlex
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import BlockCache, RunCache, blocks_path, cache_path
from .cli_help import COMMANDS, CONFIGURATION_HELP, MAIN_EPILOG
from .config import Config, load_config, regenerate_command
from .console import Console, Settings, shown, spec_paths
from .errors import Diagnostic, GeneratorError
from .names import package_name_problem
from .output import OutputError, compare, write_packages

if TYPE_CHECKING:
    from .pipeline import PackageResult

# The generating stages (and the model generator, formatter and validator they bring in)
# are imported only when a command needs them: `check` with nothing changed does not.

EXIT_OK, EXIT_DRIFT, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
# --- arguments ---------------------------------------------------------------------------


def _verbosity_options(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: given before or after the command, either way it counts.
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print problems only: errors, and the names of files that differ",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="also print the settings used, every file and every warning",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specforge",
        description="Generate typed Python clients (pydantic v2 models, httpx clients) " "from OpenAPI specs.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"specforge {__version__}")
    _verbosity_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (text, examples) in COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=text,
            description=text[0].upper() + text[1:] + ".",
            epilog=examples + "\n" + CONFIGURATION_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "--spec",
            type=Path,
            metavar="FILE",
            help="one spec file instead of every spec in the specs folder",
        )
        sub.add_argument(
            "--name",
            help="package name for --spec " "(default: from [tool.specforge] packages, else the file's stem)",
        )
        sub.add_argument("--specs-dir", type=Path, metavar="DIR", help="folder of specs (default: specs)")
        sub.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: generated)")
        sub.add_argument(
            "--config",
            type=Path,
            metavar="FILE",
            help="read [tool.specforge] from FILE instead of the nearest pyproject.toml",
        )
        if name == "check":
            sub.add_argument(
                "--full",
                action="store_true",
                help="regenerate and compare even when the inputs match a recorded run",
            )
        _verbosity_options(sub)
    from .diff_command import add_parser as add_diff_parser

    _verbosity_options(add_diff_parser(commands, CONFIGURATION_HELP))
    return parser


def _settings(args: argparse.Namespace, config: Config, verbose: int) -> Settings:
    return Settings(
        root=config.root,
        specs_dir=args.specs_dir if args.specs_dir is not None else config.specs_dir,
        out_dir=args.out if args.out is not None else config.out_dir,
        spec=args.spec,
        name=args.name,
        packages=dict(config.packages),
        config_source=config.source,
        verbose=verbose,
        regenerate=_regenerate(args, config),
        full=getattr(args, "full", False),
    )


def _regenerate(args: argparse.Namespace, config: Config) -> str:
    """The command that fixes a drift this run reports: the repository's own (its Makefile's
    ``generate`` rule, when that runs specforge) for a plain run; for a run with options,
    ``specforge generate`` with the same options, which the Makefile may not pass on."""
    options = [
        (flag, value)
        for flag, value in (
            ("--spec", args.spec),
            ("--name", args.name),
            ("--specs-dir", args.specs_dir),
            ("--out", args.out),
            ("--config", args.config),
        )
        if value is not None
    ]
    if not options:
        return regenerate_command(Path.cwd(), config.root if config.source else None)
    return " ".join(["specforge generate", *(f"{flag} {shlex.quote(str(value))}" for flag, value in options)])


# --- running -----------------------------------------------------------------------------


def _unused_package_names(settings: Settings, specs: list[tuple[Path, str]]) -> list[Diagnostic]:
    """A ``packages`` entry that names no spec is most likely a typo."""
    if settings.spec is not None or settings.config_source is None:
        return []
    stems = {path.stem for path, _ in specs}
    return [
        Diagnostic(
            shown(settings.config_source),
            1,
            1,
            "warning",
            f"[tool.specforge] packages.{stem}: no spec {stem}.yaml in {shown(settings.specs_dir)}",
        )
        for stem in sorted(settings.packages)
        if stem not in stems
    ]


def _describe_settings(settings: Settings, console: Console) -> None:
    source = (
        f"{shown(settings.config_source)} [tool.specforge]"
        if settings.config_source
        else "defaults (no [tool.specforge] found)"
    )
    console.detail(f"config:    {source}")
    where = shown(settings.spec) if settings.spec else f"{shown(settings.specs_dir)}/"
    console.detail(f"specs:     {where}")
    console.detail(f"output:    {shown(settings.out_dir)}/")


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cycle collector far less often while generating.

    Generating allocates millions of small objects that live until the package is done
    (the parsed spec and its source map, the model generator's and black's syntax trees).
    With CPython's default thresholds the collector rescans them again and again, at a
    cost that grows faster than the spec: a fifth of the time on a mid-sized spec, a third
    at 1,000 operations (bench/RESULTS.md). What importing the tools created is frozen out
    of the scans altogether. Memory use grows somewhat; the thresholds come back after.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(30_000, 10, 10)  # young objects only: the older generations keep their defaults
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _generate_all(
    settings: Settings, console: Console, specs: list[tuple[Path, str]], blocks: BlockCache | None = None
) -> dict[str, PackageResult]:
    """Every package; ``blocks`` (``generate`` only) lends black's output of earlier runs."""
    from .pipeline import generate_packages, import_stages, start_formatting

    jobs = [(path, name) for path, name in specs if package_name_problem(name) is None]
    # The helpers are forked before the stages are imported, and those imported before the
    # collector is told to leave what exists alone, so the tools' objects are frozen too.
    with start_formatting(jobs, None if blocks is None else blocks.entries) as pool:
        import_stages()
        with _fewer_collections():
            outcomes = generate_packages(jobs, pool)
    if blocks is not None and pool.formatted is not None:
        blocks.used = pool.formatted
    results: dict[str, PackageResult] = {}
    problems: list[Diagnostic] = []
    done = iter(outcomes)
    for path, name in specs:
        reason = package_name_problem(name)
        if reason is not None:
            message = (
                f"package name {name!r} {reason}; choose another with --name, or in [packages] of the configuration"
            )
            problems.append(Diagnostic(shown(path), 1, 1, "error", message))
            continue
        outcome = next(done)
        problems.extend(outcome.problems)
        if outcome.result is not None:
            results[name] = outcome.result
            count = len(outcome.result.files)
            console.detail(f"generated: {shown(path)} -> {name} ({count} files, {outcome.seconds:.2f}s)")
    for result in results.values():
        for warning in result.warnings:
            console.problem(warning)
    if problems:
        raise GeneratorError(problems)
    return results


def _validate(settings: Settings, console: Console, specs: list[tuple[Path, str]], started: float) -> int:
    from .config import display_path_for
    from .load import load_spec
    from .validate import validate_spec

    count = 0
    problems: list[Diagnostic] = []
    for path, _ in specs:
        try:
            for warning in validate_spec(load_spec(path, display_path_for(path, settings.root))):
                console.problem(warning)
            count += 1
            console.detail(f"valid:     {shown(path)}")
        except GeneratorError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise GeneratorError(problems)
    console.info(console.paint(f"{count} spec(s) valid", "ok") + f" in {time.perf_counter() - started:.2f}s")
    return EXIT_OK


def _check(settings: Settings, console: Console, packages: dict[str, dict[str, str]], started: float) -> bool:
    """Report drift; True when there is none."""
    prune = settings.spec is None
    drift = compare(settings.out_dir, packages, prune=prune)
    for name, files in sorted(packages.items()):
        for rel in files:
            label = f"{settings.out_dir.name}/{name}/{rel}"
            if label not in drift.changed and label not in drift.missing:
                console.detail(f"same:      {label}")
    for label in drift.missing:
        console.finding(f"{console.paint('missing:', 'bad')}   {label}")
    for label, diff in drift.changed.items():
        console.finding(f"{console.paint('changed:', 'bad')}   {label}")
        console.diff(diff)
    for label in drift.stale:
        console.finding(f"{console.paint('stale:', 'bad')}     {label}")
    elapsed = time.perf_counter() - started
    if drift:
        counts = (len(drift.missing), len(drift.changed), len(drift.stale))
        summary = "drift: {} missing, {} changed, {} stale".format(*counts)
        console.info(
            f"{console.paint(summary, 'bad')} in {len(packages)} package(s) ({elapsed:.2f}s); "
            f"run `{settings.regenerate}` and commit the result"
        )
        return False
    total = sum(len(contents) for contents in packages.values())
    console.info(console.paint(f"{len(packages)} package(s) up to date", "ok") + f", {total} files ({elapsed:.2f}s)")
    return True


def _run(command: str, settings: Settings, console: Console) -> int:
    started = time.perf_counter()
    _describe_settings(settings, console)
    specs = spec_paths(settings)
    for warning in _unused_package_names(settings, specs):
        console.problem(warning)
    if command == "validate":
        return _validate(settings, console, specs, started)
    prune = settings.spec is None
    run_cache = RunCache(cache_path(settings.root), specs, settings.out_dir, settings.root, prune=prune)
    if command == "check" and not settings.full and (verified := run_cache.verify()) is not None:
        for warning in verified.warnings:
            console.problem(warning)
        for name, files in verified.files.items():
            for rel in files:
                console.detail(f"same:      {settings.out_dir.name}/{name}/{rel}")
        elapsed = time.perf_counter() - started
        console.info(
            console.paint(f"{verified.packages} package(s) up to date", "ok")
            + f" ({elapsed:.2f}s; {verified.how}, every file verified by hash)"
        )
        return EXIT_OK
    # Black's output of earlier runs serves `generate` only: `check` formats everything itself.
    blocks = BlockCache(blocks_path(run_cache.cache_file)) if command == "generate" else None
    results = _generate_all(settings, console, specs, blocks)
    packages = {name: result.files for name, result in results.items()}
    warnings = [warning for result in results.values() for warning in result.warnings]
    sources = {path: sha for result in results.values() for path, sha in result.sources.items()}
    if command == "check":
        if not _check(settings, console, packages, started):
            return EXIT_DRIFT
        run_cache.record(packages, warnings, sources)
        if not run_cache.lock_is_current():
            # Not drift: the output is what these inputs make, but the committed proof of it is
            # out of date, so a fresh clone (CI) pays for a full check until it is refreshed.
            lock = shown(run_cache.lock_file)
            console.info(f"note: {lock} does not vouch for these inputs; `{settings.regenerate}` refreshes it")
        return EXIT_OK
    report = write_packages(settings.out_dir, packages, prune=prune)
    run_cache.record(packages, warnings, sources)
    if blocks is not None:
        blocks.save()
    run_cache.record_lock(
        packages,
        {name: result.warnings for name, result in results.items()},
        {name: result.sources for name, result in results.items()},
    )
    for name in report.written:
        console.info(f"written:   {shown(settings.out_dir / name)}")
        for rel in packages[name]:
            console.detail(f"           {shown(settings.out_dir / name / rel)}")
    for name in report.unchanged:
        console.detail(f"unchanged: {shown(settings.out_dir / name)}")
    for name in report.removed:
        console.info(f"removed:   {shown(settings.out_dir / name)} (its spec is gone)")
    console.info(
        console.paint(f"{len(report.written)} written", "ok")
        + f", {len(report.unchanged)} unchanged, {len(report.removed)} removed"
        f" in {time.perf_counter() - started:.2f}s"
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.name is not None and args.spec is None:
        parser.error("--name needs --spec (use [tool.specforge] packages to rename specs of a folder)")
    verbose = -1 if getattr(args, "quiet", False) else (1 if getattr(args, "verbose", False) else 0)
    console = Console(verbose)
    started = time.perf_counter()
    try:
        config = load_config(Path.cwd(), args.config)
        settings = _settings(args, config, verbose)
        if args.command == "diff":
            from .diff_command import run_diff

            return run_diff(args, settings, console)
        return _run(args.command, settings, console)
    except GeneratorError as exc:
        for diagnostic in exc.diagnostics:
            console.problem(diagnostic)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        elapsed = time.perf_counter() - started
        written = "" if args.command in ("validate", "diff") else "; nothing was written"
        console.error(f"{errors} error(s){written} ({elapsed:.2f}s)")
        return EXIT_BAD_INPUT
    except OutputError as exc:
        console.error(f"{exc}; the previous output is unchanged")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        console.error("interrupted")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
