"""Stage 7, the only one that touches the disk: write packages, or compare them with disk.

Writing is all or nothing. Every changed package is first written in full to a temporary
folder beside its destination, and only when all of them are complete are they swapped
into place, so a failure halfway leaves the previous output as it was.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "provenance.json"  # a folder holding this was written by the generator
IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache"})


def _directory_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


_DIRECTORY_MODE = _directory_mode()


class OutputError(Exception):
    """The output folder cannot be written; nothing in it was changed."""


@dataclass
class Drift:
    missing: list[str] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)  # path -> unified diff
    stale: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.changed or self.stale)


def read_tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` by relative POSIX path (caches left out)."""
    files: dict[str, str] = {}
    if not folder.is_dir():
        return files
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not IGNORED_PARTS.intersection(path.relative_to(folder).parts):
            try:
                files[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                files[path.relative_to(folder).as_posix()] = "<binary file>"
    return files


def generated_packages(out_dir: Path) -> list[str]:
    """Names of the package folders in ``out_dir`` that the generator wrote."""
    if not out_dir.is_dir():
        return []
    return sorted(p.name for p in out_dir.iterdir() if p.is_dir() and (p / MARKER).is_file())


def compare(out_dir: Path, packages: dict[str, dict[str, str]], *, prune: bool) -> Drift:
    """How ``out_dir`` differs from ``packages``; with ``prune``, packages with no spec count too."""
    drift = Drift()
    for name, files in sorted(packages.items()):
        on_disk = read_tree(out_dir / name)
        for rel, text in files.items():
            shown = f"{out_dir.name}/{name}/{rel}"
            if rel not in on_disk:
                drift.missing.append(shown)
            elif on_disk[rel] != text:
                diff = difflib.unified_diff(
                    on_disk[rel].splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{shown} (on disk)",
                    tofile=f"{shown} (generated)",
                )
                drift.changed[shown] = "".join(diff)
        drift.stale.extend(f"{out_dir.name}/{name}/{rel}" for rel in sorted(set(on_disk) - set(files)))
    if prune:
        for name in generated_packages(out_dir):
            if name not in packages:
                drift.stale.append(f"{out_dir.name}/{name}/ (its spec is gone)")
    return drift


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_packages(out_dir: Path, packages: dict[str, dict[str, str]], *, prune: bool) -> WriteReport:
    """Make ``out_dir/<name>/`` hold exactly ``files`` for every package, atomically."""
    report = WriteReport()
    pending: dict[str, dict[str, str]] = {}
    for name, files in sorted(packages.items()):
        if read_tree(out_dir / name) == files:
            report.unchanged.append(name)
        else:
            pending[name] = files
    stale = [n for n in generated_packages(out_dir) if n not in packages] if prune else []
    if not pending and not stale:
        return report
    staged: dict[str, Path] = {}
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: cannot write: it is a file, and the output is a folder of packages")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, files in pending.items():
            staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".new", dir=out_dir))
            staging.chmod(_DIRECTORY_MODE)  # mkdtemp makes it private; a package is not
            staged[name] = staging
            for rel, text in files.items():
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
    except OSError as exc:
        for staging in staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{out_dir}: cannot write: {exc.strerror or exc}") from None
    try:
        for name, staging in staged.items():
            _swap_into_place(staging, out_dir / name)
            report.written.append(name)
    except OSError as exc:
        for staging in staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        done = f" ({', '.join(report.written)} already replaced)" if report.written else ""
        raise OutputError(f"{out_dir}: cannot write: {exc.strerror or exc}{done}") from None
    for name in stale:
        shutil.rmtree(out_dir / name)
        report.removed.append(name)
    return report


def _swap_into_place(staging: Path, destination: Path) -> None:
    """Replace ``destination`` by ``staging`` with renames only."""
    if destination.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".old", dir=destination.parent))
        os.rmdir(retired)
        os.replace(destination, retired)
        try:
            os.replace(staging, destination)
        except OSError:
            os.replace(retired, destination)  # put the previous output back before failing
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, destination)
