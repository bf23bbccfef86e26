"""Stage 3: decisions the IR records about parameters, bodies and responses (generator/build.py)."""

from __future__ import annotations

from typing import Any

import pytest

from .stages import only_operation, openapi


def _with_parameter(schema: dict[str, Any], components: dict[str, Any] | None = None) -> dict[str, Any]:
    parameter = {"name": "value", "in": "query", "schema": schema}
    operation = {"operationId": "op", "parameters": [parameter], "responses": {"204": {"description": "none"}}}
    return openapi({"/a": {"get": operation}}, components)


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ({"type": "string"}, "str"),
        ({"type": "integer"}, "int"),
        ({"type": "number"}, "float"),
        ({"type": "boolean"}, "bool"),
        ({"type": ["string", "null"]}, "str"),
        ({"type": ["string", "integer"]}, "Any"),
        ({"type": "array", "items": {"type": "integer"}}, "Sequence[int]"),
        ({"type": "array"}, "Sequence[Any]"),
        ({"type": "object"}, "Mapping[str, Any]"),
        ({"enum": ["a", "b's"]}, 'Literal["a", "b\'s"]'),
        ({"enum": [1, 2]}, "Literal[1, 2]"),
        ({"enum": ["a", True]}, "Any"),  # a bool among them: no Literal
        ({"type": "array", "items": {"enum": ["x"]}}, 'Sequence[Literal["x"]]'),
        ({}, "Any"),
    ],
)
def test_parameter_annotations(schema: dict[str, Any], annotation: str) -> None:
    (parameter,) = only_operation(_with_parameter(schema)).parameters
    assert str(parameter.annotation) == annotation


def test_a_parameter_naming_an_enum_model_is_annotated_with_it() -> None:
    components = {"schemas": {"Colour": {"type": "string", "enum": ["red"]}}}
    document = _with_parameter({"$ref": "#/components/schemas/Colour"}, components)
    (parameter,) = only_operation(document, {"Colour": "enum"}).parameters
    assert str(parameter.annotation) == "models.Colour"
    (as_values,) = only_operation(document, {}).parameters  # no enum class was made
    assert str(as_values.annotation) == 'Literal["red"]'


def test_parameters_merge_path_and_operation_and_required_ones_come_first() -> None:
    path_item = {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "description": "from the path", "schema": {"type": "string"}},
        ],
        "get": {
            "operationId": "op",
            "parameters": [
                {"name": "limit", "in": "query", "description": "from the operation", "schema": {"type": "integer"}},
                {"name": "id", "in": "query", "required": True, "schema": {"type": "string"}},
                {"name": "timeout", "in": "query", "schema": {"type": "number"}},
                {"name": "Accept", "in": "header", "schema": {"type": "string"}},
            ],
            "responses": {"204": {"description": "none"}},
        },
    }
    parameters = only_operation(openapi({"/a/{id}": path_item})).parameters
    assert [(p.keyword, p.location, p.required) for p in parameters] == [
        ("id", "path", True),
        ("id_query", "query", True),  # the location tells the two ids apart
        ("limit", "query", False),
        ("timeout_query", "query", False),  # every method has its own timeout=
    ]
    assert parameters[2].description == "from the operation"
    assert str(parameters[2].annotation) == "int"


@pytest.mark.parametrize(
    ("media_type", "encoding", "sent_as"),
    [
        ("application/json", "json", "application/json"),
        ("application/merge-patch+json; charset=utf-8", "json", "application/merge-patch+json"),
        ("application/x-www-form-urlencoded", "form", "application/x-www-form-urlencoded"),
        ("multipart/mixed", "multipart", "multipart/form-data"),
        ("application/octet-stream", "content", "application/octet-stream"),
    ],
)
def test_request_body_encoding_follows_its_media_type(media_type: str, encoding: str, sent_as: str) -> None:
    body = {"required": True, "content": {media_type: {"schema": {"type": "object"}}}}
    operation = {"operationId": "op", "requestBody": body, "responses": {"204": {"description": "none"}}}
    op = only_operation(openapi({"/a": {"post": operation}}))
    assert op.body is not None
    assert (op.body.encoding, op.body.media_type, op.body.required) == (encoding, sent_as, True)


def test_responses_give_parsers_errors_and_the_accept_header() -> None:
    responses = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
        "204": {"description": "nothing"},
        "404": {"description": "missing", "content": {"text/plain": {"schema": {"type": "string"}}}},
        "418": {"description": "teapot"},
        "default": {"description": "other"},
    }
    op = only_operation(openapi({"/a": {"get": {"operationId": "op", "responses": responses}}}))
    assert [(r.status, r.parser, r.annotation) for r in op.responses] == [
        ("200", "_http.json_response(object)", "object"),
        ("204", "_http.no_content", "None"),
    ]
    assert op.return_annotation == "object | None"
    assert [(e.status, e.error_class) for e in op.errors] == [("404", "NotFoundError"), ("418", "Status418Error")]
    assert op.documents_default
    assert op.accept == "application/json, text/plain"


def test_an_operation_without_success_responses_returns_none() -> None:
    op = only_operation(openapi({"/a": {"delete": {"responses": {"400": {"description": "bad"}}}}}))
    assert op.method_name == "delete_a"
    assert [(r.status, r.annotation) for r in op.responses] == [("2XX", "None")]
    assert op.return_annotation == "None"
    assert op.idempotent


@pytest.mark.parametrize(
    ("schema", "typing_names", "literals", "item"),
    [
        ({"enum": ["a", 2]}, {"Literal"}, ("a", 2), None),
        ({"type": "array", "items": {"enum": ["x"]}}, {"Sequence", "Literal"}, (), 'Literal["x"]'),
        ({"type": "array", "items": {"type": "object"}}, {"Sequence", "Mapping", "Any"}, (), "Mapping[str, Any]"),
        ({"type": "integer"}, set(), (), None),
    ],
)
def test_annotations_carry_their_imports_and_values(
    schema: dict[str, Any], typing_names: set[str], literals: tuple[Any, ...], item: str | None
) -> None:
    (parameter,) = only_operation(_with_parameter(schema)).parameters
    annotation = parameter.annotation
    assert annotation.typing_names == typing_names
    assert annotation.literals == literals
    assert (annotation.item.text if annotation.item else None) == item


@pytest.mark.parametrize(
    ("parameter", "example"),
    [
        ({"example": "own", "schema": {"type": "string", "example": "schema's"}}, "own"),
        ({"examples": {"first": {"value": 1}, "second": {"value": 2}}, "schema": {"type": "integer"}}, 1),
        ({"schema": {"type": "string", "example": "schema's"}}, "schema's"),
        ({"schema": {"type": "string", "examples": ["listed"]}}, "listed"),
        ({"schema": {"type": "string", "default": "fallback"}}, "fallback"),
        ({"example": None, "schema": {"type": "string"}}, None),  # a documented null is an example
    ],
)
def test_parameter_examples_are_found_once_and_kept(parameter: dict[str, Any], example: Any) -> None:
    operation = {
        "operationId": "op",
        "parameters": [{"name": "q", "in": "query", **parameter}],
        "responses": {"204": {"description": "none"}},
    }
    (found,) = only_operation(openapi({"/a": {"get": operation}})).parameters
    assert found.example is not None
    assert found.example.value == example


def test_a_parameter_without_any_example_has_none() -> None:
    (found,) = only_operation(_with_parameter({"type": "string"})).parameters
    assert found.example is None


def test_the_body_example_is_that_of_the_chosen_media_type() -> None:
    content = {
        "text/plain": {"example": "text"},
        "application/json": {"examples": {"one": {"$ref": "#/components/examples/One"}}},
    }
    operation = {"operationId": "op", "requestBody": {"content": content}, "responses": {"204": {"description": "-"}}}
    components = {"examples": {"One": {"value": {"id": 1}}}}
    op = only_operation(openapi({"/a": {"post": operation}}, components))
    assert op.body is not None and op.body.example is not None
    assert op.body.example.value == {"id": 1}
