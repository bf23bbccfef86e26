"""Part of stage 2: openapi-spec-validator's verdict, as located diagnostics.

Takes a loaded spec and the document to check (with what validation already warned
about left out); gives a diagnostic per problem the validator finds
(:func:`run_spec_validator`). The validator's errors are rewritten where they say too
little: the cause among failing alternatives, the line of an unknown field with the field
it was likely meant to be, the schema whose ``required`` names undefined properties.
Where the validator itself fails, that is said once, unless it found errors first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from importlib import import_module
from typing import Any

from .document import Pointer, resolve_pointer
from .errors import Diagnostic
from .load import LoadedSpec
from .patterns import regex_engine_for
from .schema_fixes import iter_schema_objects

# openapi-spec-validator's validator class, and OpenAPI's JSON Schema it checks against, for
# each OpenAPI version. The validator (and jsonschema under it) is imported only where it
# runs: on a machine with a core to spare that is a helper process, and this one is spared
# more than half a second of imports.
_VALIDATORS = {
    "3.0": ("OpenAPIV30SpecValidator", "schema_v30"),
    "3.1": ("OpenAPIV31SpecValidator", "schema_v31"),
    "3.2": ("OpenAPIV32SpecValidator", "schema_v32"),
}
VERSIONS = tuple(_VALIDATORS)


def import_validator(_: bytes = b"") -> None:
    """Import the validator now (in a helper, before the first spec reaches it)."""
    for module in ("openapi_spec_validator", "jsonschema.exceptions", "jsonschema_rs"):
        import_module(module)


class _CompiledFirst:
    """The check of a spec against OpenAPI's own JSON Schema, asked of jsonschema-rs first.

    That check is most of the validator's time on a large spec (Stripe: 2.4 s in jsonschema,
    0.01 s in jsonschema-rs). Only a verdict of "valid" is taken from jsonschema-rs; a spec
    it finds anything wrong with, or cannot read, is checked by jsonschema, whose errors say
    which alternative failed and why, which is what the messages here are made from. So a
    spec is refused, and with what words, exactly as jsonschema alone would have it, as long
    as jsonschema-rs never passes what jsonschema refuses: tests/unit/test_spec_validator.py
    holds the two to that on every spec the tests have."""

    def __init__(self, schema: Any) -> None:
        import jsonschema_rs
        from jsonschema.validators import validator_for  # type: ignore[import-untyped]

        # jsonschema, as the validator runs it, asserts no formats; nor does this.
        self.compiled = jsonschema_rs.validator_for(dict(schema), validate_formats=False)
        self.detailed = validator_for(schema)(schema)

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        try:
            valid = self.compiled.is_valid(instance)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # a value it cannot take (a date from an explicit YAML tag), or a panic
            valid = False
        return iter(()) if valid else self.detailed.iter_errors(instance)


class _SeenIds:
    """The ids of the schema objects a validator has visited, as the list it keeps them in
    is used (``in`` and ``append``), looked up in constant time."""

    def __init__(self) -> None:
        self._ids: set[int] = set()

    def __contains__(self, schema_id: object) -> bool:
        return schema_id in self._ids

    def append(self, schema_id: int) -> None:
        self._ids.add(schema_id)


def _with_seen_sets(schema_validator: Any) -> Any:
    """openapi-spec-validator's check of the schema objects, with the objects already seen
    kept in sets. It keeps them in lists and searches them for every schema it visits, which
    is quadratic: 13 of the 17 s it spent on GitHub's spec (0.9.0)."""

    def __init__(self: Any, registry: Any) -> None:
        schema_validator.__init__(self, registry)
        self.visited_schema_ids = _SeenIds()
        self.meta_checked_schema_ids = _SeenIds()

    return type(schema_validator.__name__, (schema_validator,), {"__init__": __init__})


@cache
def validator_class(version: str) -> Any:
    """openapi-spec-validator's validator class for ``version``, with its schema check made
    by :class:`_CompiledFirst` (left to itself, the validator would use jsonschema-rs alone
    once it is installed, and its errors carry no cause), and its walk of schema objects by
    :func:`_with_seen_sets`."""
    class_name, schema_name = _VALIDATORS[version]
    base = getattr(import_module("openapi_spec_validator"), class_name)
    schema = getattr(import_module("openapi_spec_validator.schemas"), schema_name)
    keywords = {**base.keyword_validators, "schema": _with_seen_sets(base.keyword_validators["schema"])}
    return type(base.__name__, (base,), {"schema_validator": _CompiledFirst(schema), "keyword_validators": keywords})


def _sorted_names(listed: str) -> str:
    """The validator lists the names from a set, in no fixed order."""
    import ast as literal

    try:
        return repr(sorted(map(str, literal.literal_eval(listed))))
    except (ValueError, SyntaxError, TypeError):
        return listed


def _schema_requiring(document: dict[str, Any], listed: str, pointer: Pointer) -> Pointer:
    """The ``required`` of the first schema naming properties it does not define: the
    validator's error does not say which schema it was."""
    import ast as literal

    try:
        names = set(literal.literal_eval(listed))
    except (ValueError, SyntaxError, TypeError):
        return (*pointer, "required")
    for at, schema in iter_schema_objects(document):
        required, properties = schema.get("required"), schema.get("properties")
        defined = set(properties) if isinstance(properties, dict) else set()
        if isinstance(required, list) and names <= set(map(str, required)) and not names & defined:
            return (*at, "required")
    return (*pointer, "required")


_UNDEFINED_REQUIRED = re.compile(r"Required list has not defined properties: (.*)$")


_UNKNOWN_FIELD = re.compile(r"'(.*)' does not match any of the regexes: '\^x-'$")


def _unknown_field(spec: LoadedSpec, error: Any, pointer: Pointer, name: str) -> Diagnostic:
    """Name the unknown field at its own line, with the field it was likely meant to be."""
    known = (
        getattr(error, "schema", {}).get("properties", {}) if isinstance(getattr(error, "schema", None), dict) else {}
    )
    close = difflib.get_close_matches(name, [str(k) for k in known], 1, 0.75)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    line, column = spec.source_map.locate_key((*pointer, name))
    return Diagnostic(
        spec.source_map.file,
        line,
        column,
        "error",
        f"{name!r} is not a field of this object (only extensions starting with 'x-' may be added){hint}",
    )


_UNRESOLVED_PATH_PARAMETER = re.compile(r"Path parameter '.*' for '.*' operation in '(.*)' was not resolved")


def run_spec_validator(spec: LoadedSpec, document: dict[str, Any]) -> Iterator[Diagnostic]:
    reported: set[tuple[int, int, str, str]] = set()
    try:
        yield from _validator_errors(spec, document, reported)
    except KeyError as exc:
        if not (isinstance(exc.args[0], str) and exc.args[0].startswith("x-")):
            yield from _validator_failed(spec, exc, reported)
            return
        # The validator cannot walk some extensions (``x-a: null`` or ``x-a: 1`` in a path
        # item); extensions are never validated, so it checks the spec without such values.
        import copy

        document = copy.deepcopy(document)
        _drop_extensions(document)
        try:
            yield from _validator_errors(spec, document, reported)
        except Exception as again:
            yield from _validator_failed(spec, again, reported)
    except Exception as exc:  # the validator itself failed on this input
        yield from _validator_failed(spec, exc, reported)


def _validator_failed(
    spec: LoadedSpec, exc: Exception, reported: set[tuple[int, int, str, str]]
) -> Iterator[Diagnostic]:
    """Say the validator failed only when it reported nothing: the validator's checks of
    a spec's structure come first, and what they found is what to fix before the rest."""
    if not any(severity == "error" for *_, severity in reported):
        yield spec.source_map.diagnostic((), f"the OpenAPI validator could not check this spec: {_shorten(str(exc))}")


def _drop_extensions(node: Any) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key in [
                k for k, v in current.items() if isinstance(k, str) and k.startswith("x-") and not isinstance(v, dict)
            ]:
                del current[key]
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _validator_errors(
    spec: LoadedSpec, document: dict[str, Any], reported: set[tuple[int, int, str, str]]
) -> Iterator[Diagnostic]:
    version = document["openapi"][:3]
    validator = validator_class(version)(document)
    locator = _ErrorLocator(spec, document)
    for error in validator.iter_errors():
        if _DUPLICATE_ID.match(str(error.message)):
            continue  # _check_operation_ids says it better, at each duplicate
        if _is_usable_pattern(error):
            continue
        error = _cause(error)
        pointer, message = locator.locate(error)
        diagnostic = spec.source_map.diagnostic(pointer, message)
        if _is_missing_response_description(error, pointer):
            # Only documentation: a client is the same with or without it.
            message = "response has no description, which OpenAPI requires; generated without one"
            diagnostic = spec.source_map.diagnostic(pointer, message, "warning")
        undefined = _UNDEFINED_REQUIRED.match(message)
        if undefined:
            # JSON Schema allows it (allOf's other schemas may define them); a model
            # generator does what it can with the names, and refusing helps no one.
            message = (
                f"required lists {_sorted_names(undefined.group(1))}, which this schema's properties do not define; "
                "OpenAPI validators refuse this, JSON Schema allows it"
            )
            line, column = spec.source_map.locate_key(_schema_requiring(document, undefined.group(1), pointer))
            diagnostic = Diagnostic(spec.source_map.file, line, column, "warning", message)
        unknown = _UNKNOWN_FIELD.match(message)
        if unknown and diagnostic.severity == "error":
            diagnostic = _unknown_field(spec, error, pointer, unknown.group(1))
        unresolved = _UNRESOLVED_PATH_PARAMETER.match(message)
        paths = document.get("paths")
        if unresolved and isinstance(paths, dict) and unresolved.group(1) in paths:
            # The template names the parameter, so the path's own line is where it is wrong.
            line, column = spec.source_map.locate_key(("paths", unresolved.group(1)))
            diagnostic = Diagnostic(spec.source_map.file, line, column, "error", message)
        # One wrong value can fail two branches of the meta-schema with two lists.
        key = (diagnostic.line, diagnostic.column, message.split(" is not one of ")[0], diagnostic.severity)
        if key not in reported:
            reported.add(key)
            yield diagnostic


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
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

    return best_match(leaves or error.context)


def _is_missing_response_description(error: Any, pointer: Pointer) -> bool:
    return (
        getattr(error, "validator", None) == "required"
        and str(error.message) == "'description' is a required property"
        and len(pointer) >= 2
        and pointer[-2] == "responses"
        and (pointer[0] == "paths" or pointer[:2] == ("components", "responses"))
    )


def _is_usable_pattern(error: Any) -> bool:
    """The validator checks a ``pattern`` with Python's ``re`` alone; one that pydantic's
    Rust engine compiles (``\\p{L}``, ``(?<name>...)``) is enforced all the same."""
    return (
        getattr(error, "validator", None) == "format"
        and getattr(error, "validator_value", None) == "regex"
        and isinstance(error.instance, str)
        and regex_engine_for(error.instance) is not None
    )


_DUPLICATE_ID = re.compile(r"Operation ID '.*' for '.*' in '.*' is not unique")


class _ErrorLocator:
    """Where in the document a validator error belongs.

    Most errors carry their path. Some do not, or carry one relative to the schema the
    validator was checking (a ``default`` value, a schema's own keywords, a ``$schema``
    dialect): those are found by the identity of the schema object, or by searching the
    document for the path's tail holding the offending value.
    """

    MAX_SEARCHES = 50  # each search walks the document; a broken huge spec has many errors

    def __init__(self, spec: LoadedSpec, document: dict[str, Any]) -> None:
        self.spec = spec
        self.document = document
        self.searches = 0
        self._containers: list[tuple[Pointer, Any]] | None = None
        self._by_id: dict[int, Pointer] = {}

    def containers(self) -> list[tuple[Pointer, Any]]:
        if self._containers is None:
            self._containers = _containers(self.document)
            self._by_id = {id(node): at for at, node in reversed(self._containers)}
        return self._containers

    def locate(self, error: Any) -> tuple[Pointer, str]:
        pointer = tuple(str(p) for p in getattr(error, "absolute_path", ()))
        message = _shorten(str(error.message))
        if pointer and _resolves(self.document, pointer):
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
