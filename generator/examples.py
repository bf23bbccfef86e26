"""Example values: the ones the spec documents, found where OpenAPI lets a spec write them,
and, where it documents none, one built from the schema.

The only module that finds examples. :mod:`generator.build` records a parameter's and a
request body's in the IR for the README; :mod:`generator.fake` asks for each response's,
which the fake answers with. Both therefore agree on what "the spec's example" is: the
first of ``examples`` (named Example objects, or a schema's list), else ``example``. A
built value is made the same way every time (required properties only, the first enum
value, a fixed value per format, a string drawn from a pattern with the pattern as its
seed), so the same spec always yields the same fake.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from typing import Any

import rstr

from .document import deref, is_json_media
from .ir import Example

# A safety net: recursion ends at the second visit of a reference, and real specs nest required
# objects less than a dozen deep.
MAX_DEPTH = 16

FORMAT_EXAMPLES: Mapping[str, Any] = {
    "uuid": "00000000-0000-4000-8000-000000000000",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "duration": "P0D",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "",
    "password": "example-password",
}


def first_example(document: dict[str, Any], holder: Any) -> Example | None:
    """The first of a media type's, parameter's or schema's ``examples``, else its ``example``."""
    if not isinstance(holder, Mapping):
        return None
    listed = holder.get("examples")
    if isinstance(listed, dict) and listed:
        first = deref(document, next(iter(listed.values())))
        if isinstance(first, dict) and "value" in first:
            return Example(first["value"])
    if isinstance(listed, list) and listed:
        return Example(listed[0])
    if "example" in holder:
        return Example(holder["example"])
    return None


def parameter_example(document: dict[str, Any], parameter: Mapping[str, Any]) -> Example | None:
    """A parameter's own example, else its schema's, else its schema's ``default``."""
    found = first_example(document, parameter)
    if found is not None:
        return found
    schema = deref(document, parameter.get("schema"))
    found = first_example(document, schema)
    if found is None and isinstance(schema, dict) and "default" in schema:
        return Example(schema["default"])
    return found


def media_example(document: dict[str, Any], media_type: str, media: Mapping[str, Any]) -> Any:
    """What a body in ``media`` looks like: the media type's example, else its schema's,
    else one built from the schema (for JSON; other media get an empty text)."""
    schema = deref(document, media.get("schema"))
    found = first_example(document, media) or first_example(document, schema)
    if not is_json_media(media_type):
        return found.value if found is not None else ""
    if found is not None:
        value = _decoded(found.value, schema)
        # GitHub documents some empty objects with ``value: null``: answered as written,
        # a client reading the documented object could not use it.
        if _is_of_kind(value, schema):
            return value
    return example_from_schema(document, schema)


def _is_of_kind(value: Any, schema: Any) -> bool:
    """Whether ``value`` is the kind of JSON value ``schema`` says, where it says an object
    or an array (null only where the schema allows it)."""
    if not isinstance(schema, dict):
        return True
    kinds = _declared_types(schema)
    allowed: list[type] = []
    if "object" in kinds or ("properties" in schema and kinds <= {None}):
        allowed.append(dict)
    if "array" in kinds or ("items" in schema and kinds <= {None}):
        allowed.append(list)
    if not allowed:
        return True
    if value is None:
        return "null" in kinds or schema.get("nullable") is True
    return isinstance(value, tuple(allowed))


def _declared_types(schema: dict[str, Any]) -> set[Any]:
    """The schema's ``type``, as a set (``{None}`` where it declares none)."""
    declared = schema.get("type")
    return set(declared) if isinstance(declared, list) else {declared}


def _decoded(value: Any, schema: Any) -> Any:
    """A JSON body's example as the value it stands for, where the spec wrote it as JSON
    text (``example: '{ "Accounts": [...] }'``) for a schema of objects or arrays."""
    if not isinstance(value, str) or not isinstance(schema, dict) or value.lstrip()[:1] not in ("{", "["):
        return value
    kinds = _declared_types(schema)
    if not ({"object", "array"} & kinds or "properties" in schema or "items" in schema):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, (dict, list)) else value


def example_from_schema(
    document: dict[str, Any], schema: Any, depth: int = 0, within: frozenset[str] = frozenset()
) -> Any:
    """A value the schema accepts, made the same way every time.

    ``within`` holds the references being built: a schema that requires itself, however
    indirectly, has no finite example, and gets None at the second visit."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        if schema["$ref"] in within:
            return None
        within = within | {schema["$ref"]}
    schema = deref(document, schema)
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    found = first_example(document, schema)
    if found is not None:
        return found.value
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if isinstance(schema.get("allOf"), list):
        return _all_of_example(document, schema, depth, within)
    for key in ("oneOf", "anyOf"):
        choices = schema.get(key)
        if isinstance(choices, list) and choices:
            usable = [c for c in choices if deref(document, c) != {"type": "null"}]
            return example_from_schema(document, (usable or choices)[0], depth + 1, within)
    kind = schema.get("type")
    kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if k not in (None, "null")]
    kind = kinds[0] if kinds else ("object" if "properties" in schema else None)
    return _typed_example(document, schema, kind, depth, within)


def _all_of_example(document: dict[str, Any], schema: dict[str, Any], depth: int, within: frozenset[str]) -> Any:
    """Objects merge their parts' examples. Any other ``allOf`` (AWS writes a string as
    ``allOf: [{$ref: Arn}, {description: ...}]``) is built from its parts' keywords
    together, so the pattern of one and the lengths of another all hold."""
    own = {k: v for k, v in schema.items() if k != "allOf"}
    parts = [deref(document, part) for part in schema["allOf"]]
    described = [part for part in [*parts, own] if isinstance(part, dict)]
    if not any("properties" in part or "allOf" in part or part.get("type") == "object" for part in described):
        merged: dict[str, Any] = {}
        for part in described:
            merged.update(part)
        return example_from_schema(document, merged, depth + 1, within)
    values: dict[str, Any] = {}
    for part in schema["allOf"]:
        value = example_from_schema(document, part, depth + 1, within)
        if isinstance(value, dict):
            values.update(value)
    if own.get("properties"):
        value = example_from_schema(document, own, depth + 1, within)
        values.update(value if isinstance(value, dict) else {})
    # A part may require what another declares (BeezUP's links: one part lists the
    # properties, the next the required ones); each is built from where it is declared.
    properties: dict[str, Any] = {}
    for part in described:
        declared = part.get("properties")
        for name, property_schema in (declared.items() if isinstance(declared, dict) else ()):
            properties.setdefault(name, property_schema)
    for part in described:
        for name in part.get("required", []) if isinstance(part.get("required"), list) else []:
            if isinstance(name, str) and values.get(name) is None and name in properties:
                values[name] = example_from_schema(document, properties[name], depth + 1, within)
    return values


def _typed_example(
    document: dict[str, Any], schema: dict[str, Any], kind: Any, depth: int, within: frozenset[str]
) -> Any:
    if kind == "object":
        declared = schema.get("properties")
        properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        return {name: example_from_schema(document, properties.get(name, {}), depth + 1, within) for name in required}
    if kind == "array":
        count = schema.get("minItems", 0)
        item = example_from_schema(document, schema.get("items"), depth + 1, within)
        return [item] * count if isinstance(count, int) else []
    if kind == "string":
        return _string_example(schema)
    if kind == "integer":
        return int(schema.get("minimum", 0)) if isinstance(schema.get("minimum", 0), (int, float)) else 0
    if kind == "number":
        return float(schema.get("minimum", 0)) if isinstance(schema.get("minimum", 0), (int, float)) else 0.0
    if kind == "boolean":
        return False
    return None


# How many strings are drawn for a pattern before the plain example is kept: a draw can
# miss the lengths the schema also asks for.
_PATTERN_DRAWS = 8


def _string_example(schema: dict[str, Any]) -> str:
    """The format's example (else ``"string"``) fitted to the lengths; where the schema has
    a ``pattern`` that text does not match, a string drawn from the pattern instead. Each
    draw is seeded by the pattern, so the same pattern always gives the same string."""
    text = str(FORMAT_EXAMPLES.get(str(schema.get("format")), "string"))
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and low > len(text):
        text = text.ljust(low, "x")
    if isinstance(high, int) and 0 <= high < len(text):
        text = text[:high]
    pattern = schema.get("pattern")
    if not isinstance(pattern, str) or _fits(text, pattern, low, high):
        return text
    for draw in range(_PATTERN_DRAWS):
        try:
            candidate = rstr.Rstr(random.Random(f"{pattern}\n{draw}")).xeger(pattern)
        except Exception:  # rstr reads Python's regex syntax only; the plain text stays
            return text
        if _fits(candidate, pattern, low, high):
            return candidate
    return text


def _fits(text: str, pattern: str, low: Any, high: Any) -> bool:
    if (isinstance(low, int) and len(text) < low) or (isinstance(high, int) and len(text) > high):
        return False
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError, OverflowError):
        return False
