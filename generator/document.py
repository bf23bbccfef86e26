"""Stage 0: the shape of an OpenAPI document, shared by every stage that reads one.

JSON pointers and local ``$ref`` resolution, the operations of ``paths`` in document order,
and the choice of media type: plain functions over the parsed document (a ``dict``) that
import nothing else from the generator, so any stage may use them without a cycle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

# A JSON pointer into the document, split into its unescaped parts.
Pointer = tuple[str, ...]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_MEDIA_SUFFIXES = ("/json", "+json")


def iter_refs(node: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, str]]:
    """Every ``$ref`` string in the document with the pointer of the object holding it."""
    stack: list[tuple[Any, Pointer]] = [(node, pointer)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield at, ref
            for key, value in current.items():
                if isinstance(value, (dict, list)):
                    stack.append((value, (*at, str(key))))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, (dict, list)):
                    stack.append((value, (*at, str(index))))


def parse_pointer(ref: str) -> Pointer | None:
    """The path of a local ``#/a/b`` reference, unescaped; ``None`` for other references."""
    if not ref.startswith("#"):
        return None
    fragment = ref[1:]
    if fragment == "":
        return ()
    if not fragment.startswith("/"):
        return None
    return tuple(unquote(part).replace("~1", "/").replace("~0", "~") for part in fragment[1:].split("/"))


def pointer_ref(pointer: Pointer) -> str:
    """The local ``$ref`` for ``pointer``, its parts escaped: the inverse of :func:`parse_pointer`."""
    return "#" + "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in pointer)


def resolve_pointer(document: Any, pointer: Pointer) -> Any:
    """The value at ``pointer``; raises ``LookupError`` when there is none."""
    node = document
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, dict) and any(not isinstance(key, str) and str(key) == part for key in node):
            # YAML reads an unquoted ``200:`` as a number; pointers spell every key as text.
            node = next(value for key, value in node.items() if not isinstance(key, str) and str(key) == part)
        elif isinstance(node, list) and re.fullmatch(r"\d+", part) and int(part) < len(node):
            node = node[int(part)]
        else:
            raise LookupError(part)
    return node


def iter_operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], Pointer]]:
    """Each (path, method, operation, pointer) of ``paths``, in document order."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield str(path), method, operation, ("paths", str(path), method)


def is_json_media(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base.endswith(JSON_MEDIA_SUFFIXES) or base == "*/*"


def deref(document: dict[str, Any], node: Any, limit: int = 32) -> Any:
    """Follow a chain of local ``$ref``s to the object they name."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and limit:
        pointer = parse_pointer(node["$ref"])
        if pointer is None:
            return node
        node = resolve_pointer(document, pointer)
        limit -= 1
    return node


def pick_media(content: Any, prefer_json: bool = True) -> tuple[str, dict[str, Any]] | None:
    """The media type a client should use: JSON first, then forms, then whatever is first."""
    if not isinstance(content, dict) or not content:
        return None
    ranked = sorted(
        content.items(),
        key=lambda item: (
            0
            if is_json_media(item[0]) and prefer_json
            else (
                1
                if item[0].startswith("application/x-www-form-urlencoded")
                else 2 if item[0].startswith("multipart/form-data") else 3
            )
        ),
    )
    media_type, media = ranked[0]
    return str(media_type), media if isinstance(media, dict) else {}


# Where JSON Schema keeps subschemas: under each key of a map, in each item of a list, or as
# the value itself (a schema, or a list of them for ``items`` in old drafts).
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_VALUES = (
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
