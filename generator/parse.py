"""Stage 1a: parse a spec's text into plain data, with a :class:`~generator.source_map.SourceMap`
that finds where its parts are when asked.

JSON is read by the ``json`` module, so its escapes (``\\u`` sequences, surrogate pairs,
``\\/``) mean exactly what JSON says, and a large description is read many times faster
than by a YAML parser. Where a JSON value stands is found only when a diagnostic asks,
by walking the text down the pointer's path: most runs never ask.

YAML is read with the safe loader only, so a tag such as ``!!python/object`` is refused
rather than executed. Its positions are taken from the node graph the parser builds anyway
(finding them later would mean keeping that graph or parsing again, both dearer than the
walk). PyYAML shares an alias rather than copying it; the walk visits each node once,
records an alias as a pointer to where its node was first met, and counts the nodes aliases
add, so an alias bomb, an anchor holding itself or a document nested too deeply is refused
in time and memory linear in the file, at the alias or bracket that makes it so.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import yaml

from .document import Pointer
from .errors import Diagnostic, GeneratorError
from .source_map import Positions, SourceMap

__all__ = ["SourceMap", "decode_text", "looks_like_json", "parse_text"]

# How many nodes YAML aliases may add to a document (each alias adds a copy of its
# anchored node). Real specs share a few mappings; an alias bomb adds billions.
MAX_ALIAS_NODES = 1_000_000
# How deeply a document may nest. Real specs nest less than 30 levels (GitHub's 19,
# Stripe's 26); the later stages recurse, and would fail past a few hundred.
MAX_DEPTH = 200
# libyaml's composer recurses in C, where running out of stack is a crash, not an error;
# it takes well over 20,000 levels, and a file that could nest this deep is checked first.
COMPOSER_SAFE_DEPTH = 10_000

# libyaml's parser reads a large spec (GitHub's 13 MB description) many times faster than
# the pure-Python one; the construction step, and so the safety, is the same SafeConstructor.
_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeySafeLoader(_SafeBase):  # type: ignore[misc]
    """The safe loader, made to refuse a mapping that repeats a key instead of keeping the last,
    and to locate a value it cannot build (a date that does not exist, an integer longer
    than Python reads) instead of failing without a position."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except ValueError as exc:
            limit = sys.get_int_max_str_digits()
            if "integer string conversion" in str(exc):
                problem = f"a number of more than {limit} digits cannot be read"
            else:
                problem = f"this value cannot be read: {exc}"
            raise _ValueProblem(None, None, problem, node.start_mark) from None


class _ValueProblem(yaml.constructor.ConstructorError):
    """Well-formed YAML holding a value that cannot be built; not a syntax error."""


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:
            continue  # ``<<: *shared``: keys written beside it override the merged ones
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_UniqueKeySafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# OpenAPI's YAML is YAML 1.2; PyYAML resolves plain scalars by YAML 1.1, where ``NO`` (a
# country), ``on`` and ``y`` are booleans, ``2024-01-31`` a date, ``12:30`` an integer in
# base 60 and ``1e3`` a string. The loader resolves them by 1.2's core schema instead. Only
# the merge key ``<<`` is kept from 1.1: specs share mappings with it.
def _core_schema_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    # Each pattern is tried on the scalars that start with one of its characters; PyYAML
    # files the empty scalar under "".
    patterns = {
        "bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", [*"tTfF"]),
        "null": (r"^(?:~|null|Null|NULL|)$", [*"~nN", ""]),
        "int": (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", [*"-+0123456789"]),
        "float": (
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            [*"-+.0123456789"],
        ),
        "merge": (r"^<<$", ["<"]),
    }
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for kind, (pattern, firsts) in patterns.items():
        compiled = re.compile(pattern)
        for first in firsts:
            resolvers.setdefault(first, []).append((f"tag:yaml.org,2002:{kind}", compiled))
    return resolvers


def _construct_core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    value = loader.construct_scalar(node)
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value, 10)  # 1.2 reads ``0777`` as decimal, not octal


def _construct_core_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    value = loader.construct_scalar(node).lower()
    if value.endswith(".inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    if value == ".nan":
        return float("nan")
    return float(value)


_UniqueKeySafeLoader.yaml_implicit_resolvers = _core_schema_resolvers()
_UniqueKeySafeLoader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)
_UniqueKeySafeLoader.add_constructor("tag:yaml.org,2002:float", _construct_core_float)


def decode_text(raw: bytes, shown: str) -> str:
    """The text of a spec file's bytes; raise :class:`GeneratorError`, located at the first
    byte that is not UTF-8, when they are not text."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        message = f"file is not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x})"
        raise GeneratorError([Diagnostic(shown, line, column, "error", message)]) from None


def looks_like_json(text: str) -> bool:
    """JSON text starts with an object; YAML seldom does, and is tried as YAML when not JSON."""
    return text.lstrip()[:1] == "{"


def parse_text(text: str, shown: str, *, is_json: bool = False) -> tuple[dict[str, Any], SourceMap]:
    """Parse YAML or JSON text into a mapping and its source map.

    A ``.json`` file is JSON; a file of another name that holds a JSON object is read as
    JSON too (YAML's reading of JSON differs at the edges: long keys, escapes), and as
    YAML only when it is not valid JSON.
    """
    if not text.strip():
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "file is empty")])
    if is_json:
        document: Any = _parse_json(text, shown)
        source_map = SourceMap.of_json(shown, text)
    elif looks_like_json(text) and (parsed := _try_json(text, shown)) is not None:
        document, source_map = parsed, SourceMap.of_json(shown, text)
    else:
        document, source_map = _parse_yaml(text, shown)
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"expected a mapping at the top level, found {kind}")])
    return document, source_map


def _parse_yaml(text: str, shown: str) -> tuple[Any, SourceMap]:
    if _may_be_deep(text):
        _refuse_from_events(text, shown, None)
    loader = _UniqueKeySafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise GeneratorError([Diagnostic(shown, 1, 1, "error", "file holds no document")])
        try:
            source_map = SourceMap(shown, *_node_positions(node, shown))
        except _Refused as refused:
            _refuse_from_events(text, shown, refused.diagnostic)
        return loader.construct_document(node), source_map
    except yaml.MarkedYAMLError as exc:
        raise GeneratorError([_yaml_diagnostic(exc, shown)]) from None
    except yaml.YAMLError as exc:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "document is nested too deeply to read")]) from None
    finally:
        loader.dispose()


def _refuse_from_events(text: str, shown: str, found: Diagnostic | None) -> None:
    """Raise the first refusal the event stream shows, else ``found`` if there is one."""
    loader = _UniqueKeySafeLoader(text)
    try:
        located = _refusal_in_events(loader, shown)
    except yaml.YAMLError:
        located = None  # a syntax error: parsing proper reports it
    finally:
        loader.dispose()
    if located is not None or found is not None:
        raise GeneratorError([located or found])  # type: ignore[list-item]


def _yaml_diagnostic(exc: yaml.MarkedYAMLError, shown: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if isinstance(exc, _ValueProblem):
        return Diagnostic(shown, line, column, "error", problem)
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


def _long_number(text: str, shown: str) -> Diagnostic:
    """Python refuses to read an integer of more digits than ``sys.get_int_max_str_digits()``."""
    limit = sys.get_int_max_str_digits()
    found = re.search(rf"[0-9_]{{{limit + 1},}}", text)
    at = found.start() if found else 0
    line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    return Diagnostic(shown, line, column, "error", f"a number of more than {limit} digits cannot be read")


class _DuplicateKey(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _DuplicateKey
    return found


def _parse_json(text: str, shown: str) -> Any:
    try:
        document = json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise GeneratorError([Diagnostic(shown, exc.lineno, exc.colno, "error", f"JSON syntax: {exc.msg}")]) from None
    except _DuplicateKey:
        key, line, column = _first_duplicate_key(text) or ("?", 1, 1)
        raise GeneratorError([Diagnostic(shown, line, column, "error", f"duplicate key {key!r}")]) from None
    except RecursionError:
        document = None  # nested past Python's own limit, which lies above ours
    except ValueError:  # not a JSONDecodeError: an integer too long for Python to convert
        raise GeneratorError([_long_number(text, shown)]) from None
    _refuse_deep_json(text, shown)
    if document is None:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "document is nested too deeply to read")])
    _refuse_lone_surrogates(text, shown)
    return document


# Unrolled (a run of plain characters between escapes): several times faster than an
# alternation tried at every character.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIRS = re.compile(r"\[\]|\{\}")


def _refuse_deep_json(text: str, shown: str) -> None:
    """Refuse JSON whose containers nest more than :data:`MAX_DEPTH` deep, at the first
    container too deep; the scan runs in the regex engine, one pass per level."""
    if text.count("[") + text.count("{") <= MAX_DEPTH + 1:
        return
    brackets = _NOT_BRACKETS.sub("", _JSON_STRING.sub("", text))
    # Each pass takes away the containers that hold no other: the innermost level.
    for _ in range(MAX_DEPTH + 1):
        if not brackets:
            return
        brackets = _EMPTY_PAIRS.sub("", brackets)
    if not brackets:
        return
    open_count = 0
    for token in _JSON_TOKEN.finditer(text):
        first = token.group()[0]
        if first in "[{":
            if open_count > MAX_DEPTH:
                at = token.start()
                line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
                raise GeneratorError([_too_deep(shown, line, column)])
            open_count += 1
        elif first in "]}":
            open_count -= 1


def _try_json(text: str, shown: str) -> Any:
    """The document if ``text`` is valid JSON, else ``None`` (to be read as YAML)."""
    try:
        return _parse_json(text, shown)
    except GeneratorError as exc:
        if any(d.message.startswith("JSON syntax:") for d in exc.diagnostics):
            return None
        raise


# A \uD800-\uDFFF escape, not itself escaped (an even run of backslashes before it).
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([dD][89a-fA-F][0-9a-fA-F]{2})")


def _refuse_lone_surrogates(text: str, shown: str) -> None:
    """JSON may spell half of a UTF-16 surrogate pair alone; no UTF-8 file can hold one, so
    such a string could never be written into the generated code."""
    if "\\u" not in text and "\\U" not in text:
        return
    matches = list(_SURROGATE_ESCAPE.finditer(text))
    index = 0
    while index < len(matches):
        match = matches[index]
        high = int(match.group(1), 16) < 0xDC00
        follower = matches[index + 1] if index + 1 < len(matches) else None
        if high and follower is not None and follower.start() == match.end() and int(follower.group(1), 16) >= 0xDC00:
            index += 2
            continue
        at = match.end() - 6
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        message = f"\\u{match.group(1)} is half of a UTF-16 surrogate pair, not a character: write the whole pair"
        raise GeneratorError([Diagnostic(shown, line, column, "error", f"JSON string: {message}")])


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]|[^\s{}\[\],:"]+')


def _first_duplicate_key(text: str) -> tuple[str, int, int] | None:
    """The first key of valid JSON ``text`` that its object already has, and where it is."""
    # One frame per open container: its keys so far (None for an array), and whether a
    # key comes next.
    stack: list[list[Any]] = []
    for token in _JSON_TOKEN.finditer(text):
        first = token.group()[0]
        if first in "}]":
            stack.pop()
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame[0] is not None:
            if frame[1]:
                key = json.loads(token.group())
                if key in frame[0]:
                    line = text.count("\n", 0, token.start()) + 1
                    return key, line, token.start() - (text.rfind("\n", 0, token.start()) + 1) + 1
                frame[0].add(key)
            frame[1] = not frame[1]
        if first == "{":
            stack.append([set(), True])
        elif first == "[":
            stack.append([None, False])
    return None


class _Refused(Exception):
    """The node walk found a problem; :func:`_refusal_in_events` says where it is written."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _too_deep(shown: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(
        shown, line, column, "error", f"document is nested more than {MAX_DEPTH} levels deep; refusing to read it"
    )


def _cyclic(shown: str, line: int, column: int) -> Diagnostic:
    message = "this alias refers to a node that contains it (a recursive YAML anchor), so the document has no end"
    return Diagnostic(shown, line, column, "error", message)


def _bomb(shown: str, line: int, column: int) -> Diagnostic:
    message = f"YAML aliases expand this document by more than {MAX_ALIAS_NODES:,} nodes; refusing to read it"
    return Diagnostic(shown, line, column, "error", message)


def _may_be_deep(text: str) -> bool:
    """Whether ``text`` could nest deeper than :data:`COMPOSER_SAFE_DEPTH`, by a bound cheap
    enough for every file: each flow level takes an opening bracket, and each two block
    levels at least one more column of indentation on some line."""
    bound = text.count("[") + text.count("{") + 2 * max(map(len, text.splitlines()), default=0) + 3
    return bound > COMPOSER_SAFE_DEPTH


def _refusal_in_events(loader: Any, shown: str) -> Diagnostic | None:
    """The first place, in document order, where the event stream nests too deeply, aliases
    a node that contains the alias, or has expanded through aliases past the budget.

    Events carry the alias's own position, which the node graph has lost (an alias node is
    the anchored node itself); they are read only for a file that is refused or suspect.
    """
    # A frame per node: [how many nodes it expands to so far, whether it is still open].
    open_frames: list[list[Any]] = []
    # An anchor -> the frame of the node it names now (an anchor may be used again later).
    anchored: dict[str, list[Any]] = {}
    added = 0
    while loader.check_event():
        event = loader.get_event()
        mark = event.start_mark
        frame: list[Any] | None = None
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_frames) > MAX_DEPTH:
                return _too_deep(shown, mark.line + 1, mark.column + 1)
            frame = [1, True]
            open_frames.append(frame)
        elif isinstance(event, yaml.ScalarEvent):
            frame = [1, False]
        if frame is not None and event.anchor is not None:
            anchored[event.anchor] = frame
        if isinstance(event, yaml.AliasEvent):
            target = anchored.get(str(event.anchor), [1, False])
            if target[1]:
                return _cyclic(shown, mark.line + 1, mark.column + 1)
            added += target[0]
            if added > MAX_ALIAS_NODES:
                return _bomb(shown, mark.line + 1, mark.column + 1)
            size = target[0]
        elif isinstance(event, yaml.CollectionEndEvent):
            ended = open_frames.pop()
            ended[1] = False
            size = ended[0]
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
        else:
            continue  # a collection's start counts when it ends; stream and document events
        if open_frames:
            open_frames[-1][0] += size
    return None


def _node_positions(root: yaml.Node, shown: str) -> tuple[Positions, Positions, dict[Pointer, Pointer]]:
    """Walk the node graph depth first, in document order, recording where each pointer's
    value and key start.

    Each node is walked once: an alias (a node met again) is recorded as a pointer to where
    the node was first met, and the nodes it adds are counted, so an alias bomb is refused
    after reading the file's own nodes, not their expansion. A node met again below itself
    is an alias that contains itself: such a document has no finite JSON form.
    """
    on_path: set[int] = set()
    first_pointer: dict[int, Pointer] = {}
    sizes: dict[int, int] = {}
    added = 0
    # (node, pointer, True) enters a node; (node, pointer, False) leaves it.
    stack: list[tuple[yaml.Node, Pointer, bool]] = [(root, (), True)]
    positions: Positions = {}
    key_positions: Positions = {}
    aliases: dict[Pointer, Pointer] = {}
    while stack:
        node, pointer, entering = stack.pop()
        ident = id(node)
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if not entering:
            on_path.discard(ident)
            if isinstance(node, yaml.SequenceNode):
                sizes[ident] = 1 + sum(sizes[id(item)] for item in node.value)
            else:  # keys count once each, as the event scan counts them
                sizes[ident] = 1 + sum(sizes.get(id(k), 1) + sizes[id(v)] for k, v in node.value)
            continue
        if ident in on_path:
            raise _Refused(_cyclic(shown, line, column))
        if ident in sizes:
            added += sizes[ident]
            if added > MAX_ALIAS_NODES:
                raise _Refused(_bomb(shown, line, column))
            if pointer not in positions:
                aliases.setdefault(pointer, first_pointer[ident])
            continue
        positions.setdefault(pointer, (line, column))
        first_pointer[ident] = pointer
        if isinstance(node, yaml.ScalarNode):
            sizes[ident] = 1
            continue
        if len(pointer) > MAX_DEPTH:
            raise _Refused(_too_deep(shown, line, column))
        on_path.add(ident)
        stack.append((node, pointer, False))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                key_positions.setdefault(
                    (*pointer, str(key)), (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                )
                stack.append((value_node, (*pointer, str(key)), True))
        else:
            for index in range(len(node.value) - 1, -1, -1):
                stack.append((node.value[index], (*pointer, str(index)), True))
    return positions, key_positions, aliases
