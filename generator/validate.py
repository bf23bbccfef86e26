"""Stage 2: decide whether a loaded document is an OpenAPI spec this generator can use.

Every problem is collected and reported together. openapi-spec-validator does the
structural checks; the checks it cannot do, or that crash it, run first and here:
the OpenAPI version, ``$ref`` targets, reference cycles, and operationIds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)

from .errors import Diagnostic, GeneratorError
from .load import LoadedSpec, Pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_VALIDATORS = {
    "3.0": OpenAPIV30SpecValidator,
    "3.1": OpenAPIV31SpecValidator,
    "3.2": OpenAPIV32SpecValidator,
}


def validate_spec(spec: LoadedSpec) -> list[Diagnostic]:
    """Raise :class:`GeneratorError` listing every error; return the warnings."""
    diagnostics = list(_check_version(spec))
    if not diagnostics:
        # References into other files that could not be pulled in were reported, more
        # precisely, while loading; the same places are not reported twice.
        reported = {(d.file, d.line, d.column) for d in spec.load_problems}
        ref_problems = list(spec.load_problems) + [
            d for d in _check_references(spec) if (d.file, d.line, d.column) not in reported
        ]
        diagnostics.extend(ref_problems)
        diagnostics.extend(_check_operation_ids(spec))
        if not ref_problems:
            diagnostics.extend(_run_spec_validator(spec))
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise GeneratorError(diagnostics)
    return diagnostics


def _check_version(spec: LoadedSpec) -> Iterator[Diagnostic]:
    doc, where = spec.document, spec.source_map
    if "swagger" in doc:
        yield where.diagnostic(
            ("swagger",),
            f"Swagger {doc['swagger']} is not supported: convert the spec to OpenAPI 3 first "
            "(for example with the swagger2openapi converter), then generate from that",
        )
        return
    version = doc.get("openapi")
    if version is None:
        yield where.diagnostic((), "not an OpenAPI document: it has no top-level 'openapi' field")
        return
    if not isinstance(version, str) or version[:3] not in _VALIDATORS:
        yield where.diagnostic(
            ("openapi",),
            f"unsupported OpenAPI version {version!r}: expected a string such as '3.0.3' or '3.1.0'",
        )


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
    from urllib.parse import unquote

    return tuple(unquote(part).replace("~1", "/").replace("~0", "~") for part in fragment[1:].split("/"))


def resolve_pointer(document: Any, pointer: Pointer) -> Any:
    """The value at ``pointer``; raises ``LookupError`` when there is none."""
    node = document
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and re.fullmatch(r"\d+", part) and int(part) < len(node):
            node = node[int(part)]
        else:
            raise LookupError(part)
    return node


def _check_references(spec: LoadedSpec) -> Iterator[Diagnostic]:
    doc, where = spec.document, spec.source_map
    alias_of: dict[Pointer, Pointer] = {}
    for at, ref in iter_refs(doc):
        target = parse_pointer(ref)
        if target is None:
            yield where.diagnostic(
                (*at, "$ref"),
                f"$ref {ref!r} points into another file, which was not read with this spec",
            )
            continue
        try:
            resolve_pointer(doc, target)
        except LookupError:
            yield where.diagnostic((*at, "$ref"), f"$ref {ref!r} cannot be resolved: no such location")
            continue
        node = resolve_pointer(doc, at)
        if isinstance(node, dict) and set(node) <= {"$ref", "description", "summary"}:
            alias_of[at] = target
    yield from _check_alias_cycles(alias_of, where)


def _check_alias_cycles(alias_of: dict[Pointer, Pointer], where: Any) -> Iterator[Diagnostic]:
    """A chain of bare ``$ref``s that returns to its start describes no value at all."""
    reported: set[Pointer] = set()
    for start in sorted(alias_of):
        seen: list[Pointer] = [start]
        current = alias_of[start]
        while current in alias_of and current not in seen:
            seen.append(current)
            current = alias_of[current]
        if current == start and start not in reported:
            reported.update(seen)
            chain = " -> ".join("#/" + "/".join(p) for p in [*seen, start])
            yield where.diagnostic(
                (*start, "$ref"), f"reference cycle with no schema in it cannot be generated: {chain}"
            )


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


def _check_operation_ids(spec: LoadedSpec) -> Iterator[Diagnostic]:
    first_seen: dict[str, Pointer] = {}
    for _, _, operation, at in iter_operations(spec.document):
        op_id = operation.get("operationId")
        if not isinstance(op_id, str):
            continue
        if op_id in first_seen:
            line, _ = spec.source_map.locate((*first_seen[op_id], "operationId"))
            yield spec.source_map.diagnostic(
                (*at, "operationId"),
                f"duplicate operationId {op_id!r} (first used on line {line})",
            )
        else:
            first_seen[op_id] = at


def _run_spec_validator(spec: LoadedSpec) -> Iterator[Diagnostic]:
    version = spec.document["openapi"][:3]
    validator = _VALIDATORS[version](spec.document)
    locator = _ErrorLocator(spec)
    reported: set[tuple[int, int, str]] = set()
    try:
        for error in validator.iter_errors():
            if _DUPLICATE_ID.match(str(error.message)):
                continue  # _check_operation_ids says it better, at each duplicate
            error = _cause(error)
            pointer, message = locator.locate(error)
            diagnostic = spec.source_map.diagnostic(pointer, message)
            # One wrong value can fail two branches of the meta-schema with two lists.
            key = (diagnostic.line, diagnostic.column, message.split(" is not one of ")[0])
            if key not in reported:
                reported.add(key)
                yield diagnostic
    except Exception as exc:  # the validator itself failed on this input
        yield spec.source_map.diagnostic((), f"the OpenAPI validator could not check this spec: {exc}")


def _cause(error: Any) -> Any:
    """The error that says what is wrong. "... is not valid under any of the given schemas"
    names no cause; the closest failing alternative does ("'body' is not one of [...]").
    The alternative "this could have been a $ref" is never the interesting one."""
    if not getattr(error, "context", None):
        return error
    leaves, stack = [], list(error.context)
    while stack:
        current = stack.pop()
        if getattr(current, "context", None):
            stack.extend(current.context)
        elif not (current.validator == "required" and "'$ref'" in str(current.message)):
            leaves.append(current)
    # Every alternative refusing the same value ('in: body' is none of path, query, header,
    # cookie) is the clearest cause there is: name all the values they would take.
    allowed: dict[tuple[str, ...], list[Any]] = {}
    for leaf in leaves:
        if leaf.validator in ("enum", "const"):
            values = leaf.validator_value if leaf.validator == "enum" else [leaf.validator_value]
            bucket = allowed.setdefault(tuple(str(p) for p in leaf.absolute_path), [])
            bucket.extend(v for v in values if v not in bucket)
    for leaf in leaves:
        values = allowed.get(tuple(str(p) for p in leaf.absolute_path))
        if values and len(values) > 1:
            leaf.message = f"{leaf.instance!r} is not one of {values!r}"
            return leaf
    return best_match(leaves or error.context)


_DUPLICATE_ID = re.compile(r"Operation ID '.*' for '.*' in '.*' is not unique")


class _ErrorLocator:
    """Where in the document a validator error belongs.

    Most errors carry their path. Some do not, or carry one relative to the schema the
    validator was checking (a ``default`` value, a schema's own keywords, a ``$schema``
    dialect): those are found by the identity of the schema object, or by searching the
    document for the path's tail holding the offending value.
    """

    MAX_SEARCHES = 50  # each search walks the document; a broken huge spec has many errors

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.searches = 0
        self._containers: list[tuple[Pointer, Any]] | None = None
        self._by_id: dict[int, Pointer] = {}

    def containers(self) -> list[tuple[Pointer, Any]]:
        if self._containers is None:
            self._containers = _containers(self.spec.document)
            self._by_id = {id(node): at for at, node in reversed(self._containers)}
        return self._containers

    def locate(self, error: Any) -> tuple[Pointer, str]:
        pointer = tuple(str(p) for p in getattr(error, "absolute_path", ()))
        message = _shorten(str(error.message))
        if pointer and _resolves(self.spec.document, pointer):
            return pointer, message
        self.containers()
        schema = getattr(error, "schema", None)
        instance = getattr(error, "instance", _MISSING)
        found = self._by_id.get(id(schema)) if isinstance(schema, dict) else None
        if found is not None and not pointer and isinstance(schema, dict):
            if "default" in schema and schema["default"] == instance:
                return (*found, "default"), f"default value {message}"
            return found, message
        if self.searches >= self.MAX_SEARCHES:
            return pointer, message
        self.searches += 1
        if pointer and instance is not _MISSING:
            matches = [
                (*at, *pointer) for at, node in self.containers() if _value_at(node, pointer, _MISSING) == instance
            ]
            if matches:
                return self._first(matches), message
        quoted = re.findall(r"'([^']+)'", message)
        if quoted:
            wanted = quoted[0]
            matches = [
                (*at, key)
                for at, node in self.containers()
                for key, value in (node.items() if isinstance(node, dict) else ())
                if value == wanted
            ]
            if matches:
                return self._first(matches), message
        return pointer, message

    def _first(self, pointers: list[Pointer]) -> Pointer:
        return min(pointers, key=lambda p: (self.spec.source_map.locate(p), p))


_MISSING = object()


def _resolves(document: Any, pointer: Pointer) -> bool:
    return _value_at(document, pointer, _MISSING) is not _MISSING


def _value_at(node: Any, pointer: Pointer, missing: Any) -> Any:
    try:
        return resolve_pointer(node, pointer)
    except LookupError:
        return missing


def _containers(document: Any) -> list[tuple[Pointer, Any]]:
    """Every mapping and list in ``document`` with its pointer, each shared one once."""
    found: list[tuple[Pointer, Any]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, Pointer]] = [(document, ())]
    while stack:
        node, at = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        found.append((at, node))
        if isinstance(node, dict):
            stack.extend((value, (*at, str(key))) for key, value in node.items())
        else:
            stack.extend((value, (*at, str(index))) for index, value in enumerate(node))
    return found


def _shorten(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."


__all__ = ["GeneratorError", "iter_operations", "iter_refs", "parse_pointer", "validate_spec"]
