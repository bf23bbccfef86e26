"""Part of stage 2: the schema keywords that cannot become code, left out with a warning.

Takes the parsed document; gives the :class:`SchemaFix` list (:func:`find_schema_fixes`)
and applies it to a copy (:func:`apply_schema_fixes`).

Each fix is a defect of one keyword of one schema, and the rest of the schema still
describes what the API sends: a default of the wrong type, an enum value listed twice, a
pattern no regex engine of pydantic can compile, a keyword another draft spells otherwise.
Refusing the spec for it would make real specs unusable; generating it would make code
that mypy rejects or that fails on import. So each is named, where it is, as a warning,
and that one keyword is left out. The same list is computed again on the copy the models
are made from (``schemas.plan_schemas``), so what is warned about is exactly what is left
out.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .document import SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_VALUES, Pointer, resolve_pointer
from .patterns import SURROGATE, python_warns, regex_engine_for
from .schema_defaults import JSON_TYPES, as_written, default_problem, is_json_type, json_key, short

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


# Constraint keywords, and what their value must be for the constraint to mean anything.
_CONSTRAINT_VALUES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "pattern": ("a string", lambda v: isinstance(v, str)),
    **{
        keyword: ("a whole number of 0 or more", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0)
        for keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
    },
    **{
        keyword: ("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
        for keyword in ("minimum", "maximum")
    },
    "multipleOf": ("a number above 0", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0),
}


def _mistyped_constraints(at: Pointer, schema: dict[str, Any]) -> Iterator[SchemaFix]:
    """``pattern: 0``, ``maxLength: "10"``: a constraint whose value is not of its kind
    constrains nothing the API could mean for sure, so it is left out rather than guessed."""
    for keyword, (kind, fits) in _CONSTRAINT_VALUES.items():
        if keyword in schema and not fits(schema[keyword]):
            message = f"{keyword} {short(schema[keyword])} is not {kind}; the constraint is left out"
            yield SchemaFix(at, keyword, message, (*at, keyword))


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
        fixes.extend(_mistyped_constraints(at, schema))
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and regex_engine_for(pattern) is None:
            fixes.append(
                SchemaFix(
                    at,
                    "pattern",
                    f"pattern {as_written(pattern)} "
                    + (
                        "matches UTF-16 surrogates, which no Python string holds"
                        if SURROGATE.search(pattern)
                        else (
                            "compiles in Python's re only with a warning (a nested set such as '[['), "
                            "and not in the Rust regex engine"
                            if python_warns(pattern)
                            else "compiles with neither of pydantic's regex engines (Rust regex, Python re)"
                        )
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
                        f"patternProperties pattern {as_written(key)} "
                        + (
                            "matches UTF-16 surrogates, which no Python string holds"
                            if SURROGATE.search(key)
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
                        f"default {short(schema['default'])} {problem}; the default is left out",
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
                kept.setdefault(json_key(value), value)
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
        if is_json_type(value, "number") and limit not in schema:
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
        if len(named) > 1 and "anyOf" not in schema and all(k in JSON_TYPES for k in named):
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
        if isinstance(flag, bool) and (not flag or is_json_type(value, "number")):
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
        key = json_key(value)
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
                f"enum value {short(value)} is listed twice (first as item {first[json_key(value)] + 1}); "
                "it is kept once",
                (*at, "enum", str(index)),
            )
