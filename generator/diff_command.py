"""``specforge diff``: find the two sides of each package, read their surfaces, report.

A side is the text of a package's files, however it was obtained:

- a generated package folder (``generated/musement/``), read as it is;
- a spec file, generated in memory by the pure core (:mod:`generator.pipeline`);
- with ``--against REV``: the package committed under the output folder at that revision
  (``git show REV:generated/<name>/...``), which is what teams vendored; where that
  revision has no committed package, the spec of that revision, generated in memory. The
  revision's tree is unpacked into a temporary folder for this, so a spec split over
  several files finds its other files as they were then;
- with no arguments: every spec of the specs folder, generated in memory, against the
  package under the output folder on disk.

The new side of ``--against`` and of the default is always generated from the working
tree's specs with the current generator, so a template change shows up as well as a spec
change. Nothing is written to the output folder.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .console import SPEC_SUFFIXES, Console, Settings, shown, spec_paths
from .diff import diff_surfaces
from .diff_report import Change, PackageDiff, exit_status, render_json, render_text
from .errors import Diagnostic, GeneratorError
from .surface import is_surface_file, read_surface

HELP = "report what changed in the generated packages' public surface, and what it breaks"
EPILOG = """\
examples:
  specforge diff                            every spec in specs/ against the committed generated/
  specforge diff --against origin/main      the working tree against a revision (for pull requests)
  specforge diff old.yaml new.yaml          two specs, generated in memory
  specforge diff vendor/musement generated/musement
                                            two package folders (a generator upgrade)
  specforge diff --format json              the same, for tools
  specforge diff -q --against origin/main   only what fails the run, and the closing count
  specforge diff -v                         every symbol, AsyncClient's too, listed on its own

Breaking: a caller's code may stop type-checking or fail (something removed or renamed, a
parameter or field that became required, a narrowed input type, a widened or nullable
output). See docs/diff.md.
exit status: 0 nothing breaking; 1 something breaks (or, with --fail-on compatible, anything
changed); 2 bad input
"""


@dataclass
class Side:
    package: str
    files: dict[str, str]
    origin: str  # as shown in the report


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(
        "diff",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG + "\n" + epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_argument("old", nargs="?", type=Path, metavar="OLD", help="a spec file or a generated package folder")
    sub.add_argument("new", nargs="?", type=Path, metavar="NEW", help="a spec file or a generated package folder")
    sub.add_argument("--against", metavar="REV", help="compare the working tree with git revision REV")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    sub.add_argument(
        "--fail-on",
        choices=("breaking", "compatible"),
        default="breaking",
        help="exit 1 on breaking changes only (default), or on any change",
    )
    sub.add_argument("--specs-dir", type=Path, metavar="DIR", help="folder of specs (default: specs)")
    sub.add_argument("--out", type=Path, metavar="DIR", help="folder of generated packages (default: generated)")
    sub.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="read [tool.specforge] from FILE instead of the nearest pyproject.toml",
    )
    sub.set_defaults(spec=None, name=None)
    return sub


def run_diff(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    if (args.old is None) != (args.new is None):
        raise GeneratorError([Diagnostic("specforge diff", 1, 1, "error", "give both OLD and NEW, or neither")])
    if args.old is not None and args.against is not None:
        raise GeneratorError([Diagnostic("specforge diff", 1, 1, "error", "give OLD and NEW, or --against, not both")])
    pairs: list[tuple[Side | None, Side | None]]
    if args.old is not None:
        pairs = [(path_side(args.old, settings.root), path_side(args.new, settings.root))]
    elif args.against is not None:
        pairs = against_revision(args.against, settings)
    else:
        pairs = against_output_folder(settings)
    diffs = [compare_sides(old, new) for old, new in pairs]
    if args.format == "json":
        print(json.dumps(render_json(diffs), indent=2))
    else:
        for line in render_text(diffs, console.verbose, args.fail_on).splitlines():
            heading = line.strip()
            if heading in ("breaking:", "compatible:"):  # coloured on a terminal only
                line = console.paint(line, "bad" if heading == "breaking:" else "ok")
            print(line)
    return exit_status(diffs, args.fail_on)


def compare_sides(old: Side | None, new: Side | None) -> PackageDiff:
    if old is None and new is not None:
        return PackageDiff(new.package, "nothing", new.origin, [Change("compatible", new.package, "package added")])
    if new is None and old is not None:
        return PackageDiff(old.package, old.origin, "nothing", [Change("breaking", old.package, "package removed")])
    assert old is not None and new is not None
    changes = diff_surfaces(
        read_surface(old.files, old.package, old.origin), read_surface(new.files, new.package, new.origin)
    )
    return PackageDiff(new.package, old.origin, new.origin, changes)


# --- the sides --------------------------------------------------------------------------------


def _shown(path: Path) -> str:

    return shown(path)


def folder_side(folder: Path, package: str | None = None) -> Side:
    files: dict[str, str] = {}
    found = (p.relative_to(folder).as_posix() for p in (*folder.glob("*.py"), *folder.glob("*/*.py")))
    for rel in sorted(r for r in found if is_surface_file(r)):
        path = folder / rel
        if not path.is_file():
            continue
        try:
            files[rel] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise GeneratorError([Diagnostic(_shown(path), 1, 1, "error", f"cannot read file: {reason}")]) from None
    if "client.py" not in files:
        raise GeneratorError(
            [Diagnostic(_shown(folder), 1, 1, "error", "not a generated package folder: it has no client.py")]
        )
    return Side(package or folder.resolve().name, files, f"{_shown(folder)}/")


def spec_side(path: Path, package: str, root: Path, origin: str | None = None) -> Side:
    from .pipeline import generate_package

    result = generate_package(path, package, root)
    return Side(package, result.files, origin or _shown(path))


def path_side(path: Path, root: Path) -> Side:
    from .names import snake_case

    if path.is_dir():
        return folder_side(path)
    if not path.exists():
        raise GeneratorError([Diagnostic(_shown(path), 1, 1, "error", "no such spec file or package folder")])
    return spec_side(path, snake_case(path.stem, prefix="api"), root)


def _specs(settings: Settings) -> list[tuple[Path, str]]:

    return spec_paths(settings)


def _generate_new(specs: list[tuple[Path, str]], settings: Settings) -> dict[str, Side]:
    """Every spec of the working tree, generated in memory; all problems reported together."""
    sides: dict[str, Side] = {}
    problems: list[Diagnostic] = []
    for path, name in specs:
        try:
            sides[name] = spec_side(path, name, settings.root)
        except GeneratorError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise GeneratorError(problems)
    return sides


def against_output_folder(settings: Settings) -> list[tuple[Side | None, Side | None]]:
    new = _generate_new(_specs(settings), settings)
    old: dict[str, Side] = {}
    if settings.out_dir.is_dir():
        for folder in sorted(settings.out_dir.iterdir()):
            if (folder / "client.py").is_file():
                old[folder.name] = folder_side(folder)
    return [(old.get(name), new.get(name)) for name in sorted(set(old) | set(new))]


# --- git ------------------------------------------------------------------------------------------


def _git(args: Sequence[str], cwd: Path, what: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, check=False)
    except OSError as exc:
        raise GeneratorError([Diagnostic(what, 1, 1, "error", f"cannot run git: {exc.strerror}")]) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GeneratorError([Diagnostic(what, 1, 1, "error", reason[-1] if reason else "git failed")])
    return done.stdout


def against_revision(rev: str, settings: Settings) -> list[tuple[Side | None, Side | None]]:
    root = settings.root.resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], root, _shown(root)).decode().strip())
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top, rev).decode().strip()
    except GeneratorError:
        commit = ""
    if not commit:
        raise GeneratorError([Diagnostic(rev or "--against", 1, 1, "error", "not a revision of this repository")])
    try:
        specs_rel = settings.specs_dir.resolve().relative_to(top).as_posix()
        out_rel = settings.out_dir.resolve().relative_to(top).as_posix()
    except ValueError:
        raise GeneratorError(
            [
                Diagnostic(
                    _shown(settings.specs_dir), 1, 1, "error", f"the specs and output folders are not inside {top}"
                )
            ]
        ) from None
    new = _generate_new(_specs(settings), settings)
    listed = _git(["ls-tree", "-r", "--name-only", commit, "--", f"{specs_rel}/", f"{out_rel}/"], top, rev)
    paths = listed.decode("utf-8", "replace").splitlines()
    old_specs = {
        _package_name(Path(p), settings): p
        for p in paths
        if p.startswith(f"{specs_rel}/") and "/" not in p[len(specs_rel) + 1 :] and p.lower().endswith(SPEC_SUFFIXES)
    }
    committed: dict[str, dict[str, str]] = {}
    for p in paths:
        if not p.startswith(f"{out_rel}/"):
            continue
        package, _, rel = p[len(out_rel) + 1 :].partition("/")
        if is_surface_file(rel):
            text = _git(["show", f"{commit}:{p}"], top, f"{rev}:{p}").decode("utf-8", "replace")
            committed.setdefault(package, {})[rel] = text
    old: dict[str, Side] = {
        name: Side(name, files, f"{rev}:{out_rel}/{name}/") for name, files in committed.items() if "client.py" in files
    }
    uncommitted = [name for name in old_specs if name not in old]
    if uncommitted:
        old.update(_specs_at(commit, rev, top, {name: old_specs[name] for name in uncommitted}))
    return [(old.get(name), new.get(name)) for name in sorted(set(old) | set(new))]


def _package_name(path: Path, settings: Settings) -> str:
    from .names import snake_case

    return settings.packages.get(path.stem) or snake_case(path.stem, prefix="api")


def _specs_at(commit: str, rev: str, top: Path, specs: dict[str, str]) -> dict[str, Side]:
    """Generate ``specs`` (package -> path in the repository) as they were at ``commit``."""
    archive = _git(["archive", "--format=tar", commit], top, rev)
    sides: dict[str, Side] = {}
    with tempfile.TemporaryDirectory(prefix="specforge-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        for name, rel in sorted(specs.items()):
            sides[name] = spec_side(Path(tmp) / rel, name, Path(tmp), f"{rev}:{rel}")
    return sides
