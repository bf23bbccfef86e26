"""The one example finder (generator/examples.py): the examples a spec documents, and the
ones built from a schema where it documents none (the fake answers with those)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.examples import example_from_schema, first_example, media_example, parameter_example
from generator.ir import Example

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Money": {
                "type": "object",
                "required": ["currency", "value"],
                "properties": {
                    "currency": {"type": "string", "enum": ["EUR", "USD"]},
                    "value": {"type": "number", "minimum": 1},
                    "note": {"type": "string"},
                },
            },
            "Node": {
                "type": "object",
                "required": ["child"],
                "properties": {"child": {"$ref": "#/components/schemas/Node"}},
            },
        }
    }
}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "format": "uuid"}, "00000000-0000-4000-8000-000000000000"),
        ({"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z"),
        ({"type": "string", "minLength": 10}, "stringxxxx"),
        ({"type": ["string", "null"], "format": "email"}, "user@example.com"),
        ({"type": "integer", "minimum": 3}, 3),
        ({"type": "boolean"}, False),
        ({"type": "string", "enum": ["b", "a"]}, "b"),
        ({"const": "orders"}, "orders"),
        ({"type": "string", "default": "x", "example": "y"}, "x"),
        ({"type": "string", "examples": ["first", "second"]}, "first"),
        ({"$ref": "#/components/schemas/Money"}, {"currency": "EUR", "value": 1.0}),
        ({"type": "array", "items": {"type": "integer"}}, []),
        ({"type": "array", "minItems": 2, "items": {"type": "integer"}}, [0, 0]),
        ({"oneOf": [{"type": "null"}, {"type": "integer"}]}, 0),
        (
            # Both parts hold: note is Money's string, made required by the second.
            {"allOf": [{"$ref": "#/components/schemas/Money"}, {"required": ["note"], "properties": {"note": {}}}]},
            {"currency": "EUR", "value": 1.0, "note": "string"},
        ),
    ],
)
def test_an_example_is_built_from_the_schema(schema: dict[str, Any], expected: Any) -> None:
    assert example_from_schema(DOC, schema) == expected


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^/v1/charges"},  # Stripe's list URLs
        {"type": "string", "pattern": "^(cus|acct)_[A-Za-z0-9]{14}$"},
        {"type": "string", "pattern": "^[A-Z]{2}$", "minLength": 2, "maxLength": 2},
        {"type": "string", "pattern": "^[a-z]+$", "maxLength": 5},
        {"type": "string", "format": "date", "pattern": "^2024-"},
        {"type": "string", "maxLength": 3},
    ],
)
def test_a_built_string_is_one_its_schema_accepts(schema: dict[str, Any]) -> None:
    import re

    text = example_from_schema({}, schema)
    assert re.search(schema.get("pattern", ""), text), text
    assert schema.get("minLength", 0) <= len(text) <= schema.get("maxLength", len(text))
    assert example_from_schema({}, dict(schema)) == text  # drawn the same way every time


def test_a_pattern_python_cannot_read_keeps_the_plain_string() -> None:
    assert example_from_schema({}, {"type": "string", "pattern": "^\\p{L}+$"}) == "string"


def test_a_recursive_schema_ends() -> None:
    built = example_from_schema(DOC, {"$ref": "#/components/schemas/Node"})
    depth = 0
    while isinstance(built, dict):
        built, depth = built["child"], depth + 1
    # The second visit of Node stops: a schema that requires itself has no finite example.
    assert built is None and depth == 1


def test_named_examples_come_before_example() -> None:
    holder = {"examples": {"a": {"value": 1}, "b": {"value": 2}}, "example": 3}
    assert first_example(DOC, holder) == Example(1)
    assert first_example(DOC, {"example": 3}) == Example(3)


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        ({"examples": {"a": {"value": 1}, "b": {"value": 2}}, "example": 3}, Example(1)),
        ({"examples": {"a": {"$ref": "#/components/examples/Two"}}}, Example(2)),
        ({"examples": ["listed"], "example": "single"}, Example("listed")),  # a schema's list
        ({"examples": {"a": {"externalValue": "x.json"}}, "example": 3}, Example(3)),
        ({"example": None}, Example(None)),  # a documented null
        ({}, None),
        ("not an object", None),
    ],
)
def test_the_first_documented_example(holder: Any, expected: Example | None) -> None:
    document = {**DOC, "components": {**DOC["components"], "examples": {"Two": {"value": 2}}}}
    assert first_example(document, holder) == expected


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ({"example": "own", "schema": {"example": "schema's"}}, Example("own")),
        ({"schema": {"$ref": "#/components/schemas/Money"}}, None),
        ({"schema": {"type": "string", "default": "d"}}, Example("d")),
        ({"schema": {"type": "string", "examples": ["e"], "default": "d"}}, Example("e")),
    ],
)
def test_a_parameters_example_falls_back_to_its_schema(parameter: dict[str, Any], expected: Example | None) -> None:
    assert parameter_example(DOC, parameter) == expected


@pytest.mark.parametrize(
    ("media_type", "media", "expected"),
    [
        ("application/json", {"example": {"a": 1}, "schema": {"example": {"b": 2}}}, {"a": 1}),
        ("application/json", {"schema": {"type": "object", "example": {"b": 2}}}, {"b": 2}),
        ("application/json", {"schema": {"$ref": "#/components/schemas/Money"}}, {"currency": "EUR", "value": 1.0}),
        ("text/plain", {"schema": {"type": "string"}}, ""),  # nothing is built for other media
        # An example written as JSON text, for objects or arrays, stands for its value.
        ("application/json", {"example": '{ "a": [1] }', "schema": {"type": "object"}}, {"a": [1]}),
        ("application/json", {"example": "[1, 2]", "schema": {"items": {"type": "integer"}}}, [1, 2]),
        ("application/json", {"example": '{"a": 1}', "schema": {"type": "string"}}, '{"a": 1}'),
        # An example that is not the documented kind of value is replaced by a built one.
        ("application/json", {"example": "{not json", "schema": {"type": "object"}}, {}),
        ("application/json", {"example": None, "schema": {"type": "object", "properties": {}}}, {}),
        ("application/json", {"example": None, "schema": {"type": "object", "nullable": True}}, None),
        ("application/json", {"example": {"a": 1}, "schema": {"type": "array", "items": {}}}, []),
        # AWS's strings: a reference and a description, together in allOf.
        (
            "application/json",
            {"schema": {"allOf": [{"type": "string", "pattern": "^arn:", "minLength": 4}, {"description": "an ARN"}]}},
            "arn:",
        ),
    ],
)
def test_a_body_is_documented_else_built_for_json(media_type: str, media: dict[str, Any], expected: Any) -> None:
    assert media_example(DOC, media_type, media) == expected


def test_an_allof_part_may_require_what_another_declares() -> None:
    links = {"type": "object", "properties": {"self": {"type": "string"}, "next": {"type": "string", "format": "uri"}}}
    schema = {"allOf": [links, {"type": "object", "required": ["self", "next"]}]}
    assert example_from_schema({}, schema) == {"self": "string", "next": "https://example.com/"}
