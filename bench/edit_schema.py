"""Target 3 of issue 15 for bench/run.py: a user's edit of one schema, and proof that the
regenerated output shows that edit and nothing else.

The edit adds one optional, described property to one component schema, in the spec's
own text: the rest of the file keeps its bytes, as when a person edits it, so the
edited spec differs from the original by one insertion. (Rewriting the whole file would
also move every source position and could change far more of the output than a person's
edit does.)
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SchemaEdit:
    schema: str  # the component schema edited
    prop: str  # the property added to it
    description: str

    def summary(self) -> str:
        return (
            f"an optional string property `{self.prop}`, with a description, added to the "
            f"component schema `{self.schema}`"
        )


# Schemas most of their specs' operations return, so the class edited is a central one.
EDITS = {
    "stripe": SchemaEdit(
        "customer",
        "loyalty_tier",
        "The customer's tier in your loyalty programme, if they are enrolled in one.",
    ),
    "star_trek": SchemaEdit("CharacterBase", "nickname", "Nickname the character is best known by"),
}


def edited_text(text: str, suffix: str, edit: SchemaEdit) -> str:
    """``text`` (a spec, JSON or YAML by ``suffix``) with ``edit`` made in it."""
    if suffix == ".json":
        return _edit_json(text, edit)
    return _edit_yaml(text, edit)


def _edit_json(text: str, edit: SchemaEdit) -> str:
    document = json.loads(text)
    compact = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    if compact != text.rstrip("\n"):
        # Re-serialising would rewrite more than the one schema: refuse rather than measure that.
        raise ValueError("the JSON spec is not compact, so it cannot be edited in place")
    properties: dict[str, Any] = document["components"]["schemas"][edit.schema]["properties"]
    if edit.prop in properties:
        raise ValueError(f"{edit.schema} already has a property {edit.prop}")
    properties[edit.prop] = {
        "description": edit.description,
        "maxLength": 5000,
        "nullable": True,
        "type": "string",
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + text[len(compact) :]


def _edit_yaml(text: str, edit: SchemaEdit) -> str:
    """Insert the property as the first one of the schema's ``properties:`` block, found by
    indentation (components at 0, schemas at 2, the schema at 4, its keys at 6)."""
    lines = text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if line.rstrip() == f"    {edit.schema}:"),
        None,
    )
    if start is None:
        raise ValueError(f"no schema {edit.schema} at the indentation expected")
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= 4:
            break
        if line.rstrip() == "      properties:":
            added = [
                f"        {edit.prop}:\n",
                "          type: string\n",
                f"          description: {edit.description}\n",
            ]
            return "".join(lines[: i + 1] + added + lines[i + 1 :])
    raise ValueError(f"schema {edit.schema} has no properties block")


def _text_files(folder: Path) -> dict[str, list[str]]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace").splitlines()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# The lock records every file's hash, so it changes with any of them; generator/cache.py's
# tests, not this bench, hold it to the files.
_LOCK = "specforge-lock.json"


def check_edit_shows(cold: Path, edited: Path, edit: SchemaEdit, spec_sha256: tuple[str, str]) -> dict[str, Any]:
    """Whether the output regenerated after ``edit`` differs from the cold output exactly
    where the edit should show. ``spec_sha256`` is the spec's hash before and after: it is
    recorded in the package (provenance, README), so the old one is taken as the new one
    before comparing. Then lines are only added, never removed or changed, and each added
    piece names the new property or carries its description (a model field, and its
    description wherever the package documents fields). A cache handing back stale output
    fails the first half, one handing back wrong blocks the second."""
    old_sha, new_sha = spec_sha256
    before, after = _text_files(cold), _text_files(edited)
    before = {name: [line.replace(old_sha, new_sha) for line in lines] for name, lines in before.items()}
    problems: list[str] = []
    added: list[str] = []
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    for name in changed:
        if name.rsplit("/", 1)[-1] == _LOCK:
            continue
        if name not in before or name not in after:
            problems.append(f"{name} {'appeared' if name in after else 'disappeared'}")
            continue
        matcher = difflib.SequenceMatcher(None, before[name], after[name], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag != "insert":
                problems.append(f"{name}: lines {i1 + 1}-{i2} {tag}d")
                continue
            piece = after[name][j1:j2]
            text = " ".join(line.strip() for line in piece)
            if edit.prop not in text and _words(edit.description) not in _words(text):
                problems.append(f"{name}: lines added at {j1 + 1} do not mention {edit.prop}: {text[:120]!r}")
            added += piece
    if not added:
        problems.append(f"no line was added: the edit of {edit.schema} does not show")
    return {
        "ok": not problems,
        "files": [name for name in changed if name.rsplit("/", 1)[-1] != _LOCK],
        "added_lines": len(added),
        "problems": problems[:10],
    }


def _words(text: str) -> str:
    """Letters and digits only, so a description black split across lines or quoted is still found."""
    return re.sub(r"[^0-9A-Za-z]+", "", text)
