"""Stage 2: decide whether a loaded document is an OpenAPI spec this generator can use.

Takes a :class:`~generator.load.LoadedSpec`; gives its warnings, or raises
:class:`~generator.errors.GeneratorError` with every error found.

Every problem is collected and reported together. openapi-spec-validator does the
structural checks; the checks it cannot do, or that crash it, run first and here:
the OpenAPI version, ``$ref`` targets, reference cycles, operationIds, and paths that
differ only in their parameters' names. Schema keywords that cannot become code, or
that another draft spells differently, are found here too (``find_schema_fixes``) and
reported as warnings; docs/validation.md says which problems refuse a spec and which
do not.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import math
import operator
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)

from .document import (
    SUBSCHEMA_LISTS,
    SUBSCHEMA_MAPS,
    SUBSCHEMA_VALUES,
    Pointer,
    iter_operations,
    iter_refs,
    parse_pointer,
    resolve_pointer,
)
from .errors import Diagnostic, GeneratorError
from .load import LoadedSpec

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
        diagnostics.extend(_check_path_templates(spec))
        if not ref_problems:
            fixes = find_schema_fixes(spec.document)
            for fix in fixes:
                line, column = spec.source_map.locate_key(fix.warn_at)
                diagnostics.append(Diagnostic(spec.source_map.file, line, column, "warning", fix.message))
            document = spec.document
            if fixes:
                # The validator would refuse what is left out anyway; it checks the rest.
                import copy

                document = copy.deepcopy(spec.document)
                apply_schema_fixes(document, fixes, for_validator=True)
            if _has_number_keys(document):
                # YAML reads an unquoted ``200:`` as a number, which the validator cannot
                # take; JSON, which OpenAPI documents are, has text keys only.
                document = _with_text_keys(document)
            diagnostics.extend(_run_spec_validator(spec, document))
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise GeneratorError(diagnostics)
    return diagnostics


def _has_number_keys(document: Any) -> bool:
    stack = [document]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if any(not isinstance(key, str) for key in node):
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _with_text_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _with_text_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_text_keys(value) for value in node]
    return node


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


def _check_operation_ids(spec: LoadedSpec) -> Iterator[Diagnostic]:
    first_seen: dict[str, Pointer] = {}
    for _, _, operation, at in iter_operations(spec.document):
        op_id = operation.get("operationId")
        if not isinstance(op_id, str):
            continue
        if op_id in first_seen:
            first = spec.source_map.locate((*first_seen[op_id], "operationId"))
            here = spec.source_map.locate((*at, "operationId"))
            yield spec.source_map.diagnostic(
                (*at, "operationId"),
                f"duplicate operationId {op_id!r} (first used on {_other_place(first, here)})",
            )
        else:
            first_seen[op_id] = at


def _check_path_templates(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """``/orders/{id}`` and ``/orders/{orderId}`` match the same requests: the OpenAPI
    specification forbids such paths, and a client could not tell which one is meant."""
    paths = spec.document.get("paths")
    first_seen: dict[str, str] = {}
    for path in paths if isinstance(paths, dict) else ():
        shape = _TEMPLATE.sub("{}", str(path))
        if shape not in first_seen:
            first_seen[shape] = str(path)
            continue
        first = first_seen[shape]
        here = spec.source_map.locate_key(("paths", str(path)))
        there = _other_place(spec.source_map.locate_key(("paths", first)), here)
        yield Diagnostic(
            spec.source_map.file,
            *here,
            "error",
            f"path {str(path)!r} differs from {first!r} ({there}) only in the names of its "
            "parameters, so both match the same requests; OpenAPI forbids such paths",
        )


def _other_place(other: tuple[int, int], here: tuple[int, int]) -> str:
    """Where ``other`` is, said so that it can be found from ``here``: a minified JSON spec
    is one line, and "line 1" would point at all of it."""
    if other[0] == here[0]:
        return f"line {other[0]}, column {other[1]}"
    return f"line {other[0]}"


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


_TEMPLATE = re.compile(r"\{[^{}/]*\}")
_UNRESOLVED_PATH_PARAMETER = re.compile(r"Path parameter '.*' for '.*' operation in '(.*)' was not resolved")


def _run_spec_validator(spec: LoadedSpec, document: dict[str, Any]) -> Iterator[Diagnostic]:
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
    validator = _VALIDATORS[version](document)
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


__all__ = ["GeneratorError", "iter_operations", "iter_refs", "parse_pointer", "validate_spec"]


# --- schema parts that cannot become code, left out with a warning -------------------------
#
# Each of these is a defect of one keyword of one schema, and the rest of the schema still
# describes what the API sends: a default of the wrong type, an enum value listed twice, a
# pattern no regex engine of pydantic can compile. Refusing the spec for it would make real
# specs unusable; generating it would make code that mypy rejects or that fails on import.
# So each is named, where it is, as a warning, and that one keyword is left out. The same
# list is computed again on the copy the models are made from (``schemas.plan_schemas``),
# so what is warned about is exactly what is left out.

# Formats whose Python type (in datamodel-code-generator's format table) is not what a JSON
# literal is: ``day: date = "2020-01-01"`` is a type error, and the value stays a string.
_NON_LITERAL_FORMATS = {
    "string": frozenset(
        {
            "date",
            "date-time",
            "timestamp with time zone",
            "date-time-local",
            "time",
            "time-local",
            "path",
            "uuid",
            "uuid1",
            "uuid2",
            "uuid3",
            "uuid4",
            "uuid5",
            "ipv4",
            "ipv4-network",
            "ipv6",
            "ipv6-network",
            "decimal",
            "integer",
            "ulid",
            "binary",
            "password",
        }
    ),
    "number": frozenset({"decimal", "date-time", "time", "time-delta", "unixtime"}),
    "integer": frozenset({"date-time"}),
}
_SCHEMA_KEYWORDS_30 = frozenset(
    "title multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern "
    "maxItems minItems uniqueItems maxProperties minProperties required enum type not allOf oneOf anyOf "
    "items properties additionalProperties description format default nullable discriminator readOnly "
    "writeOnly xml externalDocs example deprecated $ref".split()
)
# Keywords of later JSON Schema drafts that the model generator understands.
_JSON_SCHEMA_KEYWORDS = frozenset({"const", "examples", "prefixItems", "patternProperties", "$schema", "$id"})
_OPENAPI_31_DIALECTS = frozenset(
    {"https://spec.openapis.org/oas/3.1/dialect/base", "https://json-schema.org/draft/2020-12/schema"}
)
# Keywords that say nothing about which values a schema accepts.
_ANNOTATION_KEYWORDS = frozenset(
    {
        "default",
        "description",
        "title",
        "nullable",
        "example",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "discriminator",
        "$schema",
        "$id",
        "$comment",
    }
)
_JSON_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
# Keys of non-schema objects whose values are data, not spec: never searched for schemas.
_DATA_KEYS = frozenset({"example", "examples", "value", "default", "enum", "const"})


@dataclass(frozen=True)
class SchemaFix:
    """One keyword of one schema to leave out (for an enum: its repeated values)."""

    pointer: Pointer  # the schema object
    keyword: str
    message: str
    warn_at: Pointer
    # Keywords that say what was meant, in the form this spec's OpenAPI version uses.
    replacement: tuple[tuple[str, Any], ...] = ()
    # Left out for the validator only: the model generator reads the keyword as JSON Schema.
    validator_only: bool = False


def iter_schema_objects(document: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every Schema Object of the document (components, parameters, bodies, headers, and
    every subschema), with its pointer; an object shared through YAML aliases once."""
    seen: set[int] = set()
    stack: list[tuple[Any, Pointer, bool]] = [(document, (), False)]
    while stack:
        node, at, is_schema = stack.pop()
        if isinstance(node, list):
            if not is_schema:
                stack.extend((item, (*at, str(i)), False) for i, item in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[Any, Pointer, bool]] = []
        if is_schema:
            yield at, node
            for key in SUBSCHEMA_MAPS:
                if isinstance(node.get(key), dict):
                    children.extend((v, (*at, key, str(k)), True) for k, v in node[key].items())
            for key in SUBSCHEMA_LISTS:
                if isinstance(node.get(key), list):
                    children.extend((v, (*at, key, str(i)), True) for i, v in enumerate(node[key]))
            for key in SUBSCHEMA_VALUES:
                value = node.get(key)
                if isinstance(value, list):
                    children.extend((v, (*at, key, str(i)), True) for i, v in enumerate(value))
                elif isinstance(value, dict):
                    children.append((value, (*at, key), True))
        elif at == ("components", "schemas"):
            children.extend((v, (*at, str(k)), True) for k, v in node.items())
        else:
            for key, value in node.items():
                if key in _DATA_KEYS or str(key).startswith("x-"):
                    continue
                children.append((value, (*at, str(key)), key == "schema"))
        stack.extend(reversed(children))


def find_schema_fixes(document: dict[str, Any]) -> list[SchemaFix]:
    """What must be left out of the document's schemas for its models to be valid code."""
    fixes: list[SchemaFix] = []
    is_30 = str(document.get("openapi", "")).startswith("3.0")
    dialect = document.get("jsonSchemaDialect")
    if not is_30 and isinstance(dialect, str) and dialect.rstrip("#") not in _OPENAPI_31_DIALECTS:
        fixes.append(
            SchemaFix(
                (),
                "jsonSchemaDialect",
                f"jsonSchemaDialect {dialect!r} is not OpenAPI 3.1's; schemas are read as 3.1's dialect",
                ("jsonSchemaDialect",),
            )
        )
    for at, schema in iter_schema_objects(document):
        fixes.extend(_other_version_keywords(at, schema, is_30))
        if isinstance(schema.get("enum"), list):
            fixes.extend(_duplicate_enum_values(at, schema["enum"]))
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and regex_engine_for(pattern) is None:
            fixes.append(
                SchemaFix(
                    at,
                    "pattern",
                    f"pattern {_as_written(pattern)} "
                    + (
                        "matches UTF-16 surrogates, which no Python string holds"
                        if _SURROGATE.search(pattern)
                        else "compiles in Python's re only with a warning (a nested set such as '[['), "
                        "and not in the Rust regex engine"
                        if _python_warns(pattern)
                        else "compiles with neither of pydantic's regex engines (Rust regex, Python re)"
                    )
                    + "; the constraint is left out",
                    (*at, "pattern"),
                )
            )
        named_patterns = schema.get("patternProperties")
        for key in list(named_patterns) if isinstance(named_patterns, dict) else ():
            if isinstance(key, str) and regex_engine_for(key) is None:
                fixes.append(
                    SchemaFix(
                        (*at, "patternProperties"),
                        key,
                        f"patternProperties pattern {_as_written(key)} "
                        + (
                            "matches UTF-16 surrogates, which no Python string holds"
                            if _SURROGATE.search(key)
                            else "compiles with neither of pydantic's regex engines (Rust regex, Python re)"
                        )
                        + "; the properties it describes are left untyped",
                        (*at, "patternProperties", key),
                    )
                )
        if "default" in schema:
            problem = default_problem(document, schema, schema["default"])
            if problem is not None:
                fixes.append(
                    SchemaFix(
                        at,
                        "default",
                        f"default {_short(schema['default'])} {problem}; the default is left out",
                        (*at, "default"),
                    )
                )
    return fixes


def apply_schema_fixes(document: dict[str, Any], fixes: list[SchemaFix], *, for_validator: bool = False) -> None:
    """Leave out what ``fixes`` names, in place (on a copy the caller owns)."""
    # Every target is found before any is changed: a fix can replace a list (``items``)
    # that another fix's pointer runs through.
    targets = []
    for fix in fixes:
        if fix.validator_only and not for_validator:
            continue
        try:
            targets.append((resolve_pointer(document, fix.pointer), fix))
        except LookupError:
            continue
    for schema, fix in targets:
        if not isinstance(schema, dict):
            continue
        if fix.keyword == "enum":
            kept: dict[str, Any] = {}
            for value in schema["enum"]:
                kept.setdefault(_json_key(value), value)
            schema["enum"] = list(kept.values())
        else:
            schema.pop(fix.keyword, None)
            schema.update(fix.replacement)


def _other_version_keywords(at: Pointer, schema: dict[str, Any], is_30: bool) -> Iterator[SchemaFix]:
    """Keywords written the way another JSON Schema draft spells them, whose meaning is
    plain: the validator refuses them, but what the API sends is not in doubt."""
    items = schema.get("items")
    if isinstance(items, list):
        # Tuple-style ``items`` (draft 4); OpenAPI has none. One schema means "each item".
        if len(items) == 1 and isinstance(items[0], dict):
            yield SchemaFix(
                at,
                "items",
                "items is a list (tuple form), which OpenAPI does not allow; its one schema is used for every item",
                (*at, "items"),
                (("items", items[0]),),
            )
        else:
            yield SchemaFix(
                at,
                "items",
                f"items is a list of {len(items)} schemas (tuple form), which OpenAPI does not allow; "
                "the items are left untyped",
                (*at, "items"),
            )
    if not is_30:
        yield from _boolean_exclusive_bounds(at, schema)
        dialect = schema.get("$schema")
        if isinstance(dialect, str) and dialect.rstrip("#") not in _OPENAPI_31_DIALECTS:
            # Models are made by one reading of JSON Schema, OpenAPI 3.1's; the validator
            # knows few others, and checking one schema by another draft's rules confuses
            # it about the schemas next to it.
            yield SchemaFix(
                at,
                "$schema",
                f"$schema {dialect!r} is not OpenAPI 3.1's JSON Schema dialect; the schema is read as 3.1's",
                (*at, "$schema"),
            )
        return
    if schema.get("required") is True or schema.get("required") is False:
        yield SchemaFix(
            at,
            "required",
            f"required: {str(schema['required']).lower()} on a schema is not OpenAPI (an object lists its "
            "required properties by name); it is ignored",
            (*at, "required"),
        )
    unknown = [k for k in schema if isinstance(k, str) and k not in _SCHEMA_KEYWORDS_30 and not k.startswith("x-")]
    for keyword in unknown:
        if keyword not in _JSON_SCHEMA_KEYWORDS and difflib.get_close_matches(keyword, _SCHEMA_KEYWORDS_30, 1, 0.8):
            continue  # a misspelt keyword ('propertis') changes the model: the validator refuses it
        known = keyword in _JSON_SCHEMA_KEYWORDS
        yield SchemaFix(
            at,
            keyword,
            f"{keyword!r} is not an OpenAPI 3.0 schema keyword; "
            + ("it is read as JSON Schema defines it" if known else "it is ignored"),
            (*at, keyword),
            validator_only=known,
        )
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = schema.get(bound)
        if _is_json_type(value, "number") and limit not in schema:
            yield SchemaFix(
                at,
                bound,
                f"{bound}: {value!r} is OpenAPI 3.1's form; in 3.0 it is written '{limit}: {value!r}' "
                f"with '{bound}: true', as which it is read",
                (*at, bound),
                ((limit, value), (bound, True)),
            )
    kinds = schema.get("type")
    if kinds == "null" and "enum" not in schema:
        yield SchemaFix(
            at,
            "type",
            "type 'null' is OpenAPI 3.1's form; in 3.0 it is written 'nullable: true' with 'enum: [null]', "
            "as which it is read",
            (*at, "type"),
            (("nullable", True), ("enum", [None])),
            validator_only=True,
        )
    if isinstance(kinds, list) and all(isinstance(k, str) for k in kinds):
        named = [k for k in kinds if k != "null"]
        if len(named) > 1 and "anyOf" not in schema and all(k in _JSON_TYPES for k in named):
            nullable = len(named) < len(kinds)
            yield SchemaFix(
                at,
                "type",
                f"type {kinds!r} is OpenAPI 3.1's form; in 3.0 it is written as an anyOf of one schema "
                "per type" + (" with 'nullable: true'" if nullable else "") + ", as which it is read",
                (*at, "type"),
                (("anyOf", [{"type": k} for k in named]), *((("nullable", True),) if nullable else ())),
            )
        if len(named) == 1:
            nullable = len(named) < len(kinds)
            yield SchemaFix(
                at,
                "type",
                f"type {kinds!r} is OpenAPI 3.1's form; in 3.0 it is written 'type: {named[0]}'"
                + (" with 'nullable: true'" if nullable else "")
                + ", as which it is read",
                (*at, "type"),
                (("type", named[0]), *((("nullable", True),) if nullable else ())),
            )


def _boolean_exclusive_bounds(at: Pointer, schema: dict[str, Any]) -> Iterator[SchemaFix]:
    """3.0's ``minimum: 5`` with ``exclusiveMinimum: true``, written in a 3.1 spec."""
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag, value = schema.get(bound), schema.get(limit)
        if isinstance(flag, bool) and (not flag or _is_json_type(value, "number")):
            yield SchemaFix(
                at,
                bound,
                f"{bound}: {str(flag).lower()} is OpenAPI 3.0's form; in 3.1 it is written "
                + (f"'{bound}: {value!r}' in place of '{limit}: {value!r}'" if flag else f"by leaving {bound} out")
                + ", as which it is read",
                (*at, bound),
                ((bound, value),) if flag else (),
            )


def _duplicate_enum_values(at: Pointer, values: list[Any]) -> Iterator[SchemaFix]:
    first: dict[str, int] = {}
    repeats: list[int] = []
    for index, value in enumerate(values):
        key = _json_key(value)
        if key in first:
            repeats.append(index)
        else:
            first[key] = index
    if repeats:
        for index in repeats:
            value = values[index]
            yield SchemaFix(
                at,
                "enum",
                f"enum value {_short(value)} is listed twice (first as item {first[_json_key(value)] + 1}); "
                "it is kept once",
                (*at, "enum", str(index)),
            )


def _json_key(value: Any) -> str:
    """Equality as JSON Schema means it: ``2`` and ``2.0`` are one value, ``1`` and ``true``
    are two."""
    import json

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"number:{value!r}"
    return type(value).__name__ + ":" + json.dumps(value, sort_keys=True, default=repr)


def _same(a: Any, b: Any) -> bool:
    return _json_key(a) == _json_key(b)


def _as_written(text: str) -> str:
    """A pattern as the spec spells it: ``repr`` would double every backslash."""
    return f"'{text}'" if text.isprintable() and "'" not in text and len(text) <= 80 else _short(text, 80)


def _short(value: Any, limit: int = 60) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@functools.lru_cache(maxsize=4096)
def regex_engine_for(pattern: str) -> str | None:
    """Which engine can enforce ``pattern`` in a generated model: "rust" (pydantic-core's
    default), "python" (Python's ``re``, which pydantic uses for a compiled pattern), or
    ``None`` when neither can compile it. Asked of the engines themselves, not guessed."""
    if _rust_regex_compiles(pattern):
        return "rust"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, ValueError, OverflowError, RecursionError):
        return None
    if _python_warns(pattern):
        # ``[[A-Z]`` compiles with a FutureWarning (a nested set, whose meaning Python will
        # change): the package would warn on every import and fail under ``-W error``.
        return None
    if _SURROGATE.search(pattern) or any(0xD800 <= ord(ch) <= 0xDFFF for ch in pattern):
        # Python compiles surrogates, but its strings hold code points, never UTF-16 halves:
        # such a pattern (JavaScript's way to say "an emoji") would refuse every real value.
        return None
    return "python"


def _python_warns(pattern: str) -> bool:
    # Parsed, not compiled: ``re.compile`` answers a pattern it has seen from its cache,
    # without the warning.
    parser: Any = importlib.import_module("re._parser")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parser.parse(pattern)
        except Exception:  # compiled above; a parser that still refuses it warns nothing new
            return False
    return bool(caught)


_SURROGATE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|x\{0*[dD][89a-fA-F][0-9a-fA-F]{2}\})")


def _rust_regex_compiles(pattern: str) -> bool:
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return False
    except Exception:  # a pattern text PyO3 cannot hand over (a lone surrogate)
        return False
    return True


def default_problem(
    document: dict[str, Any], schema: Any, value: Any, depth: int = 0, budget: list[int] | None = None
) -> str | None:
    """Why ``value`` cannot be the default of ``schema`` in a model, or ``None`` if it can."""
    budget = [2_000] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        return None  # a web of anyOf references too wide to follow: given the benefit of the doubt
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    schema, depth = _follow(document, schema, depth)
    if not isinstance(schema, dict) or depth > 16:
        return None
    if "const" in schema and not _same(value, schema["const"]):
        return f"is not the constant {_short(schema['const'])}"
    if isinstance(schema.get("enum"), list) and not any(_same(value, v) for v in schema["enum"]):
        if not (value is None and _allows_null(schema)):
            return f"is not one of {_short(schema['enum'])}"
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    kinds = [k for k in kinds if k in _JSON_TYPES]
    if value is None:
        return None if (not kinds or _allows_null(schema)) else "is not allowed: the schema is not nullable"
    if kinds:
        fitting = [k for k in kinds if _is_json_type(value, k)]
        if not fitting:
            return f"is not {' or '.join(_article(k) for k in kinds)}"
        fmt = schema.get("format")
        if isinstance(fmt, str) and all(fmt in _NON_LITERAL_FORMATS.get(k, ()) for k in fitting):
            return f"cannot be written as a value of format {fmt!r}, whose Python type is not a JSON type"
        if isinstance(fmt, str) and not _conforms(value, fmt):
            return f"is not a valid {fmt!r}"
    problem = _outside_bounds(schema, value)
    if problem is not None:
        return problem
    all_of = schema.get("allOf")
    for part in all_of if isinstance(all_of, list) else []:
        problem = default_problem(document, part, value, depth + 1, budget)
        if problem is not None:
            return problem
    for key in ("anyOf", "oneOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            problems = [default_problem(document, part, value, depth + 1, budget) for part in parts]
            if all(p is not None for p in problems):
                return problems[0]
            constraints = {k for k in schema if not str(k).startswith("x-")} - _ANNOTATION_KEYWORDS - {key}
            if any(p is not None for p in problems) and constraints:
                # Constraints beside the alternatives are applied to each of them by the
                # model generator, and the default with them: each alternative gets a class
                # whose default must fit it.
                return f"does not fit every alternative of its {key}, and the keywords beside it apply to each"
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            problem = default_problem(document, schema["items"], item, depth + 1, budget)
            if problem is not None:
                return f"has an item that {problem}"
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        for key, item in value.items():
            if key in schema["properties"]:
                problem = default_problem(document, schema["properties"][key], item, depth + 1, budget)
                if problem is not None:
                    return f"has {key!r} that {problem}"
    return None


def _outside_bounds(schema: dict[str, Any], value: Any) -> str | None:
    """The first numeric, length or pattern constraint ``value`` breaks."""
    if _is_json_type(value, "number"):
        for keyword, broken in (
            ("minimum", operator.lt),
            ("maximum", operator.gt),
            ("exclusiveMinimum", operator.le),
            ("exclusiveMaximum", operator.ge),
        ):
            bound = schema.get(keyword)
            if isinstance(bound, (int, float)) and not isinstance(bound, bool) and broken(value, bound):
                return f"breaks {keyword}: {bound!r}"
            if bound is True and keyword.startswith("exclusive"):
                limit = schema.get("minimum" if keyword == "exclusiveMinimum" else "maximum")
                if _is_json_type(limit, "number") and value == limit:
                    return f"breaks {keyword}"
    sized = len(value) if isinstance(value, (str, list, dict)) else None
    if sized is not None:
        for keyword, broken in (
            ("minLength", operator.lt),
            ("maxLength", operator.gt),
            ("minItems", operator.lt),
            ("maxItems", operator.gt),
        ):
            size_bound = schema.get(keyword)
            applies = isinstance(value, str) == keyword.endswith("Length")
            if applies and isinstance(size_bound, int) and broken(sized, size_bound):
                return f"breaks {keyword}: {size_bound!r}"
    pattern = schema.get("pattern")
    if isinstance(value, str) and isinstance(pattern, str) and not _rust_regex_matches(pattern, value):
        return f"does not match the pattern {_as_written(pattern)}"
    return None


def _rust_regex_matches(pattern: str, value: str) -> bool:
    """Whether ``value`` matches, asked of the Rust engine, which takes linear time: a
    spec's pattern and default must not be able to make Python's ``re`` backtrack for
    ever. A pattern only Python compiles is not checked here."""
    from pydantic_core import SchemaValidator, ValidationError, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern)).validate_python(value)
    except ValidationError:
        return False
    except Exception:  # the Rust engine cannot compile it
        return True
    return True


def _conforms(value: Any, fmt: str) -> bool:
    """The format check the validator makes of a default."""
    from jsonschema import FormatChecker  # type: ignore[import-untyped]

    try:
        return bool(FormatChecker().conforms(value, fmt))
    except Exception:  # a checker that fails on a value cannot call it wrong
        return True


def _follow(document: dict[str, Any], schema: Any, depth: int) -> tuple[Any, int]:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and depth <= 16:
        pointer = parse_pointer(schema["$ref"])
        if pointer is None:
            return None, depth
        try:
            schema = resolve_pointer(document, pointer)
        except LookupError:
            return None, depth
        depth += 1
    return schema, depth


def _allows_null(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    return schema.get("nullable") is True or kinds == "null" or (isinstance(kinds, list) and "null" in kinds)


def _is_json_type(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return value is None


def _article(kind: str) -> str:
    return {"integer": "an integer", "array": "an array", "object": "an object", "null": "null"}.get(kind, f"a {kind}")
