"""Part of stage 1a: where each part of a parsed document is written in its file.

Takes the positions the YAML parser recorded, or the text of a JSON document; gives a
:class:`SourceMap`, which answers a JSON pointer with its file, line and column, following
the files that ``$ref`` pulled in (*mounted* maps). Positions in JSON are found only when a
diagnostic asks, by walking the text down the pointer's path (:class:`_JsonLocator`): most
runs never ask.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from .document import Pointer
from .errors import Diagnostic

Positions = dict[Pointer, tuple[int, int]]


class SourceMap:
    """Where each JSON pointer of a document starts in its file (1-based line, column).

    Parts of the document that were pulled in from other files (by ``$ref``) are *mounted*:
    a pointer below a mount point is located in that file's own map, under its name.
    """

    def __init__(
        self,
        file: str,
        positions: Positions | None = None,
        key_positions: Positions | None = None,
        aliases: dict[Pointer, Pointer] | None = None,
    ) -> None:
        self.file = file
        self.positions: Positions = positions if positions is not None else {}
        # Where the key naming each mapping member is written (a path's own line, say).
        self.key_positions: Positions = key_positions if key_positions is not None else {}
        # A YAML alias's pointer -> the pointer its anchored node was first recorded under.
        # Positions below an alias are kept once, under that first pointer, so a shared
        # mapping used a thousand times costs one copy of its positions, not a thousand.
        self.aliases: dict[Pointer, Pointer] = aliases if aliases is not None else {}
        self._json: _JsonLocator | None = None
        self._mounts: dict[Pointer, tuple[SourceMap, Pointer]] = {}

    @classmethod
    def of_json(cls, file: str, text: str) -> SourceMap:
        """A map of valid JSON ``text`` that finds positions when first asked."""
        found = cls(file)
        found._json = _JsonLocator(text)
        return found

    def mount(self, at: Pointer, other: SourceMap, base: Pointer) -> None:
        """Locate pointers at and below ``at`` in ``other``, at and below ``base``.

        Every mount is made on the spec's own map (nested pulls included), so one lookup
        always lands in the file that spells the pointer out."""
        self._mounts[at] = (other, base)

    def _resolve(self, pointer: Pointer) -> tuple[SourceMap, Pointer]:
        if self._mounts:
            for end in range(len(pointer), -1, -1):
                found = self._mounts.get(pointer[:end])
                if found is not None:
                    return found[0], (*found[1], *pointer[end:])
        return self, pointer

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """The position of the deepest ancestor of ``pointer`` that its file spells out."""
        return self.where(pointer)[1:]

    def where(self, pointer: Pointer) -> tuple[str, int, int]:
        """The file, line and column of ``pointer``, following mounts."""
        source, rest = self._resolve(pointer)
        if source._json is not None:
            return (source.file, *source._json.locate(rest))
        rest = source._through_aliases(rest)
        positions = source.positions
        for end in range(len(rest), -1, -1):
            found = positions.get(rest[:end])
            if found is not None:
                return (source.file, *found)
        return (source.file, 1, 1)

    def locate_key(self, pointer: Pointer) -> tuple[int, int]:
        """The position of the key that names ``pointer``, else of its value (in JSON, where
        keys are not recorded, the value starts on the key's line)."""
        source, rest = self._resolve(pointer)
        if rest:
            # The key stands in the alias's parent, not where the anchored node was first met.
            rest = (*source._through_aliases(rest[:-1]), rest[-1])
        return source.key_positions.get(rest) or self.locate(pointer)

    def _through_aliases(self, pointer: Pointer) -> Pointer:
        """``pointer`` spelled through the first pointer of each aliased node it passes."""
        if not self.aliases:
            return pointer
        found: Pointer = ()
        for part in pointer:
            found = (*found, part)
            found = self.aliases.get(found, found)
        return found

    def diagnostic(self, pointer: Pointer, message: str, severity: str = "error") -> Diagnostic:
        file, line, column = self.where(pointer)
        return Diagnostic(file, line, column, severity, message)  # type: ignore[arg-type]


_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, at: int) -> int:
    found = _WHITESPACE.match(text, at)
    return found.end() if found else at


class _JsonLocator:
    """Positions in valid JSON text, found by walking down a pointer's path.

    Each container on a path asked for is scanned once, for where its members' values
    start; a member not on the path is skipped by the C decoder. A lookup costs about one
    pass over the containers it passes through, and the lines are counted only then.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self.members: dict[int, dict[str, int]] = {}  # container's offset -> member -> value's offset
        self.lines: list[int] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # The decoder holds a C scanner, which cannot be pickled; what it found can.
        return {name: value for name, value in self.__dict__.items() if name != "decoder"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.decoder = json.JSONDecoder()

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        offset = _skip_space(self.text, 0)
        for part in pointer:
            members = self.members.get(offset)
            if members is None:
                members = self.members[offset] = self._scan(offset)
            if part not in members:
                break
            offset = members[part]
        return self._line_column(offset)

    def _scan(self, start: int) -> dict[str, int]:
        text = self.text
        opener = text[start : start + 1]
        if opener not in ("{", "["):
            return {}
        members: dict[str, int] = {}
        at = _skip_space(text, start + 1)
        index = 0
        while at < len(text) and text[at] not in "}]":
            if opener == "{":
                key, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
                at = _skip_space(text, _skip_space(text, at) + 1)  # past the colon
            else:
                key, index = str(index), index + 1
            members.setdefault(key, at)
            _, at = self.decoder.raw_decode(text, at)
            at = _skip_space(text, at)
            if text[at : at + 1] == ",":
                at = _skip_space(text, at + 1)
        return members

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self.lines is None:
            self.lines = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self.lines, offset)
        return line, offset - self.lines[line - 1] + 1
