"""Part of stage 2: whether a value can be a schema's ``default`` in a generated model.

Takes the document, a schema and a value; gives why the value cannot be its default
(:func:`default_problem`), or ``None``. Also the small judgements of JSON values the
schema checks share: equality as JSON Schema means it, a value's JSON type, short quotes
of values and patterns for messages.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from .document import parse_pointer, resolve_pointer
from .patterns import rust_regex_matches

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


JSON_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")


def json_key(value: Any) -> str:
    """Equality as JSON Schema means it: ``2`` and ``2.0`` are one value, ``1`` and ``true``
    are two."""
    import json

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"number:{value!r}"
    return type(value).__name__ + ":" + json.dumps(value, sort_keys=True, default=repr)


def _same(a: Any, b: Any) -> bool:
    return json_key(a) == json_key(b)


def as_written(text: str) -> str:
    """A pattern as the spec spells it: ``repr`` would double every backslash."""
    return f"'{text}'" if text.isprintable() and "'" not in text and len(text) <= 80 else short(text, 80)


def short(value: Any, limit: int = 60) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
        return f"is not the constant {short(schema['const'])}"
    if isinstance(schema.get("enum"), list) and not any(_same(value, v) for v in schema["enum"]):
        if not (value is None and _allows_null(schema)):
            return f"is not one of {short(schema['enum'])}"
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    kinds = [k for k in kinds if k in JSON_TYPES]
    if value is None:
        return None if (not kinds or _allows_null(schema)) else "is not allowed: the schema is not nullable"
    if kinds:
        fitting = [k for k in kinds if is_json_type(value, k)]
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
    required = schema.get("required")
    if isinstance(value, dict) and isinstance(required, list):
        missing = [name for name in required if isinstance(name, str) and name not in value]
        if missing:
            return f"lacks the required {short(missing[0])}"
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        for key, item in value.items():
            if key in schema["properties"]:
                problem = default_problem(document, schema["properties"][key], item, depth + 1, budget)
                if problem is not None:
                    return f"has {key!r} that {problem}"
    return None


def _outside_bounds(schema: dict[str, Any], value: Any) -> str | None:
    """The first numeric, length or pattern constraint ``value`` breaks."""
    if is_json_type(value, "number"):
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
                if is_json_type(limit, "number") and value == limit:
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
    if isinstance(value, str) and isinstance(pattern, str) and not rust_regex_matches(pattern, value):
        return f"does not match the pattern {as_written(pattern)}"
    return None


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


def is_json_type(value: Any, kind: str) -> bool:
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
