"""The report of ``specforge diff``: each change found, per package, as text or JSON.

Takes the :class:`Change` lists :mod:`generator.diff` finds, gathered per package in a
:class:`PackageDiff`; gives the readable report (:func:`render_text`), the JSON one
(:func:`render_json`) and the exit status (:func:`exit_status`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .subtyping import Severity


@dataclass(frozen=True)
class Change:
    severity: Severity
    path: str
    message: str
    hint: str | None = None

    def as_dict(self) -> dict[str, str]:
        found = {"severity": self.severity, "path": self.path, "message": self.message}
        if self.hint:
            found["hint"] = self.hint
        return found


@dataclass
class PackageDiff:
    package: str
    old: str  # where each side came from, as shown to people
    new: str
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity == "breaking"]

    @property
    def compatible(self) -> list[Change]:
        return [c for c in self.changes if c.severity == "compatible"]


def exit_status(diffs: Iterable[PackageDiff], fail_on: Severity = "breaking") -> int:
    changes = [c for d in diffs for c in d.changes]
    if any(c.severity == "breaking" for c in changes):
        return 1
    if fail_on == "compatible" and changes:
        return 1
    return 0


def render_text(diffs: list[PackageDiff], verbose: int = 0, fail_on: Severity = "breaking") -> str:
    """The readable report: per package, what breaks, then what does not.

    ``AsyncClient`` mirrors ``Client``, so a change both have alike is one line (and counts
    once); with ``verbose`` above 0 each symbol is listed, as in the JSON report. With
    ``verbose`` below 0 (``-q``) only what fails the run under ``fail_on`` is shown, and the
    closing count.
    """
    shown_titles = ("breaking", "compatible") if verbose >= 0 or fail_on == "compatible" else ("breaking",)
    lines: list[str] = []
    totals = {"breaking": 0, "compatible": 0}
    for package in diffs:
        groups = {
            title: list(_collapse_async(changes) if verbose <= 0 else _each(changes))
            for title, changes in (("breaking", package.breaking), ("compatible", package.compatible))
        }
        for title, found in groups.items():
            totals[title] += len(found)
        if verbose < 0 and not any(groups[title] for title in shown_titles):
            continue
        if not package.changes:
            lines.append(f"{package.package}: no change to the public surface ({package.old} -> {package.new})")
            continue
        counts = ", ".join(f"{len(found)} {title}" for title, found in groups.items())
        lines.append(f"{package.package}: {counts} ({package.old} -> {package.new})")
        for title in shown_titles:
            if not groups[title]:
                continue
            lines.append(f"  {title}:")
            for path, message, hint in groups[title]:
                lines.append(f"    {path}: {message}")
                if hint:
                    lines.append(f"      ({hint})")
    lines.append(
        f"{totals['breaking']} breaking, {totals['compatible']} compatible change(s) in {len(diffs)} package(s)"
    )
    return "\n".join(lines) + "\n"


def _each(changes: list[Change]) -> Iterator[tuple[str, str, str | None]]:
    for change in changes:
        yield change.path, change.message, change.hint


def _collapse_async(changes: list[Change]) -> Iterator[tuple[str, str, str | None]]:
    """``AsyncClient`` mirrors ``Client``: one line for a change both have alike."""
    sync = {(c.path, c.message) for c in changes if c.path.startswith("Client")}
    for change in changes:
        if change.path.startswith("AsyncClient") and (change.path.removeprefix("Async"), change.message) in sync:
            continue
        path = change.path
        if path.startswith("Client") and any(c.path == "Async" + path and c.message == change.message for c in changes):
            path += " (and AsyncClient)"
        yield path, change.message, change.hint


def render_json(diffs: list[PackageDiff]) -> dict[str, object]:
    return {
        "breaking": sum(len(d.breaking) for d in diffs),
        "compatible": sum(len(d.compatible) for d in diffs),
        "packages": [
            {
                "package": d.package,
                "old": d.old,
                "new": d.new,
                "changes": [c.as_dict() for c in d.changes],
            }
            for d in diffs
        ],
    }
