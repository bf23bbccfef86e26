"""Stage 1: read a spec file into plain data, remembering where every node came from.

YAML is read with the safe loader only, so a tag such as ``!!python/object`` is refused
rather than executed. Aliases are shared, not copied, by PyYAML; the walk that records
locations counts every node it visits, which is what turns an alias bomb into a quick,
located refusal instead of an exponential traversal later on.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, GeneratorError

# Far above any real spec (GitHub's REST description has well under a million nodes)
# and far below what an alias bomb expands to.
MAX_EXPANDED_NODES = 3_000_000

Pointer = tuple[str, ...]


@dataclass
class SourceMap:
    """Where each JSON pointer of the document starts in the file (1-based line, column)."""

    file: str
    positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    # Where the key naming each mapping member is written (a path's own line, say).
    key_positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict)

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """The position of the deepest ancestor of ``pointer`` that the file spells out."""
        for end in range(len(pointer), -1, -1):
            found = self.positions.get(tuple(pointer[:end]))
            if found is not None:
                return found
        return (1, 1)

    def locate_key(self, pointer: Pointer) -> tuple[int, int]:
        """The position of the key that names ``pointer``, else of its value."""
        return self.key_positions.get(pointer) or self.locate(pointer)

    def diagnostic(self, pointer: Pointer, message: str, severity: str = "error") -> Diagnostic:
        line, column = self.locate(pointer)
        return Diagnostic(self.file, line, column, severity, message)  # type: ignore[arg-type]


@dataclass
class LoadedSpec:
    """A spec as read from disk: its data, where its parts are, and the bytes' hash."""

    path: Path
    display_path: str
    document: dict[str, Any]
    source_map: SourceMap
    sha256: str
    # Other files the spec refers to, pulled into ``document``, with the sha256 of each.
    bundled: dict[Path, str] = field(default_factory=dict)
    # Problems found while pulling those files in, reported with the spec's other problems.
    load_problems: list[Diagnostic] = field(default_factory=list)


# libyaml's parser reads a large spec (GitHub's 13 MB description) many times faster than
# the pure-Python one; the construction step, and so the safety, is the same SafeConstructor.
_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeySafeLoader(_SafeBase):  # type: ignore[misc]
    """The safe loader, made to refuse a mapping that repeats a key instead of keeping the last."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_UniqueKeySafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_spec(path: Path, display_path: str | None = None) -> LoadedSpec:
    """Read and parse ``path``; raise :class:`GeneratorError` with located problems."""
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"file is not UTF-8 text (byte {exc.start})")]) from None
    document, source_map = parse_text(text, shown, is_json=path.suffix.lower() == ".json")
    from .bundle import bundle_external_refs  # bundling parses further files with this module

    bundle = bundle_external_refs(path, document, source_map)
    return LoadedSpec(
        path=path,
        display_path=shown,
        document=document,
        source_map=source_map,
        sha256=hashlib.sha256(raw).hexdigest(),
        bundled=bundle.files,
        load_problems=bundle.problems,
    )


def parse_text(text: str, shown: str, *, is_json: bool = False) -> tuple[dict[str, Any], SourceMap]:
    """Parse YAML or JSON text into a mapping and its source map."""
    if not text.strip():
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "file is empty")])
    if is_json:
        _check_json_syntax(text, shown)
    loader = _UniqueKeySafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise GeneratorError([Diagnostic(shown, 1, 1, "error", "file holds no document")])
        source_map = SourceMap(shown)
        _record_positions(node, (), source_map, shown)
        document = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise GeneratorError([_yaml_diagnostic(exc, shown)]) from None
    except yaml.YAMLError as exc:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "document is nested too deeply to read")]) from None
    finally:
        loader.dispose()
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"expected a mapping at the top level, found {kind}")])
    return document, source_map


def _yaml_diagnostic(exc: yaml.MarkedYAMLError, shown: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    tag = re.match(r"could not determine a constructor for the tag '(.*)'", problem)
    if tag:
        shown_tag = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return Diagnostic(
            shown,
            line,
            column,
            "error",
            f"YAML tag {shown_tag!r} is not allowed: specs are read as plain data only",
        )
    context = exc.context or ""
    started = exc.context_mark
    if context and started is not None and (started.line, started.column) != (line - 1, column - 1):
        # libyaml notices an unclosed bracket only where the file ends; say where it opened.
        context += f" (opened on line {started.line + 1}, column {started.column + 1})"
    message = f"{context}: {problem}" if context else problem
    return Diagnostic(shown, line, column, "error", f"YAML syntax: {message}")


def _check_json_syntax(text: str, shown: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeneratorError([Diagnostic(shown, exc.lineno, exc.colno, "error", f"JSON syntax: {exc.msg}")]) from None
    except RecursionError:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "document is nested too deeply to read")]) from None


def _record_positions(root: yaml.Node, base: Pointer, source_map: SourceMap, shown: str) -> None:
    """Walk the node graph depth first, recording each pointer's position, within a budget.

    A node met again below itself is an alias that contains itself: such a document has no
    finite JSON form, so it is refused where the alias stands.
    """
    visited = 0
    on_path: set[int] = set()
    # (node, pointer, True) enters a node; (node, pointer, False) leaves it.
    stack: list[tuple[yaml.Node, Pointer, bool]] = [(root, base, True)]
    positions = source_map.positions
    while stack:
        node, pointer, entering = stack.pop()
        if not entering:
            on_path.discard(id(node))
            continue
        if id(node) in on_path:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            raise GeneratorError(
                [
                    Diagnostic(
                        shown,
                        line,
                        column,
                        "error",
                        "this node contains an alias of itself (a recursive YAML anchor), so the document has no end",
                    )
                ]
            )
        visited += 1
        if visited > MAX_EXPANDED_NODES:
            raise GeneratorError(
                [
                    Diagnostic(
                        shown,
                        1,
                        1,
                        "error",
                        f"document expands to more than {MAX_EXPANDED_NODES:,} nodes through "
                        "YAML aliases; refusing to read it",
                    )
                ]
            )
        positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            on_path.add(id(node))
            stack.append((node, pointer, False))
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                source_map.key_positions.setdefault(
                    (*pointer, str(key)), (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                )
                stack.append((value_node, (*pointer, str(key)), True))
        elif isinstance(node, yaml.SequenceNode):
            on_path.add(id(node))
            stack.append((node, pointer, False))
            for index, item in enumerate(node.value):
                stack.append((item, (*pointer, str(index)), True))
