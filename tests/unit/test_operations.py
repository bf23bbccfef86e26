"""The typed view of each operation (generator/operations.py), built from a document alone."""

from __future__ import annotations

from typing import Any

import pytest

from generator.ir import Example
from generator.operations import OperationView, operation_views

from .stages import loaded, openapi

NO_CONTENT = {"204": {"description": "-"}}


def _view(paths: dict[str, Any], components: dict[str, Any] | None = None, **top: Any) -> OperationView:
    # Through YAML, as a spec file is read: status keys such as 200 arrive as numbers.
    (view,) = operation_views(loaded(openapi(paths, components, **top)).document)
    return view


def test_views_follow_the_document_order_with_their_pointers() -> None:
    paths = {"/b": {"post": {"responses": NO_CONTENT}, "get": {"responses": NO_CONTENT}}, "/a": {}}
    views = operation_views(openapi(paths))
    # Methods in the order HTTP_METHODS lists them, paths in the order the document does.
    assert [(v.path, v.method, v.pointer) for v in views] == [
        ("/b", "get", ("paths", "/b", "get")),
        ("/b", "post", ("paths", "/b", "post")),
    ]


@pytest.mark.parametrize(
    ("shared", "own", "expected"),
    [
        # The operation's parameter replaces the path item's of the same name and location...
        ([{"name": "id", "in": "query", "description": "path's"}], [{"name": "id", "in": "query"}], [("id", "query")]),
        # ...and only of the same location.
        (
            [{"name": "id", "in": "path", "required": True}],
            [{"name": "id", "in": "query"}],
            [("id", "path"), ("id", "query")],
        ),
        ([{"$ref": "#/components/parameters/Page"}], [], [("page", "query")]),
        ([], [{"in": "query"}, "not a parameter"], []),  # nameless: nothing to send
    ],
)
def test_parameters_are_merged_from_path_item_and_operation(
    shared: list[Any], own: list[Any], expected: list[tuple[str, str]]
) -> None:
    components = {"parameters": {"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}}}
    view = _view({"/a/{id}": {"parameters": shared, "get": {"parameters": own, "responses": NO_CONTENT}}}, components)
    assert [(p.name, p.location) for p in view.parameters] == expected


def test_the_operations_own_parameter_is_the_one_kept() -> None:
    shared = [{"name": "id", "in": "query", "description": "the path item's"}]
    own = [{"name": "id", "in": "query", "description": "the operation's"}]
    (param,) = _view({"/a": {"parameters": shared, "get": {"parameters": own, "responses": NO_CONTENT}}}).parameters
    assert param.parameter["description"] == "the operation's"


def test_a_parameter_written_with_content_has_the_chosen_media_types_schema() -> None:
    content = {"text/plain": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}}}
    operation = {"parameters": [{"name": "f", "in": "query", "content": content}], "responses": NO_CONTENT}
    (param,) = _view({"/a": {"get": operation}}).parameters
    assert param.schema == {"type": "object"}


def test_header_names_list_the_operations_before_the_path_items() -> None:
    shared = [{"name": "Idempotency-Key", "in": "header"}, {"name": "q", "in": "query"}]
    own = [{"name": "idempotency-key", "in": "header"}]
    view = _view({"/a": {"parameters": shared, "post": {"parameters": own, "responses": NO_CONTENT}}})
    assert view.header_names == ("idempotency-key", "Idempotency-Key")


def test_the_request_body_is_resolved_and_its_media_chosen() -> None:
    body = {
        "required": True,
        "description": "the order",
        "content": {
            "text/plain": {"example": "text"},
            "application/json": {
                "schema": {"type": "object"},
                "examples": {"one": {"$ref": "#/components/examples/One"}},
            },
        },
    }
    components = {"requestBodies": {"Order": body}, "examples": {"One": {"value": {"id": 1}}}}
    view = _view(
        {"/a": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Order"}, "responses": NO_CONTENT}}},
        components,
    )
    assert view.request_body is not None and view.request_body.media is not None
    assert (view.request_body.required, view.request_body.description) == (True, "the order")
    media = view.request_body.media
    assert (media.media_type, media.schema) == ("application/json", {"type": "object"})
    assert media.pointer == ("paths", "/a", "post", "requestBody", "content", "application/json")
    assert media.example == Example({"id": 1})


@pytest.mark.parametrize(("body", "has_media"), [(None, None), ({"description": "no content"}, False)])
def test_a_body_without_content_has_no_media(body: Any, has_media: bool | None) -> None:
    operation: dict[str, Any] = {"responses": NO_CONTENT}
    if body is not None:
        operation["requestBody"] = body
    view = _view({"/a": {"post": operation}})
    if has_media is None:
        assert view.request_body is None
    else:
        assert view.request_body is not None and view.request_body.media is None


def test_responses_keep_their_status_as_written_in_document_order() -> None:
    responses = {
        200: {
            "description": "ok",
            "headers": {"X-Request-Id": {"schema": {"type": "string"}}},
            "content": {
                "application/xml": {},
                "application/json": {
                    "schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
                },
            },
        },
        "4XX": {"$ref": "#/components/responses/Problem"},
        "default": {"description": "anything else"},
    }
    components = {"responses": {"Problem": {"description": "a problem", "content": {"text/plain": {"example": "no"}}}}}
    view = _view({"/a": {"get": {"responses": responses}}}, components)
    assert [r.status for r in view.responses] == ["200", "4XX", "default"]
    ok, problem, other = view.responses
    assert ok.media is not None and ok.media.media_type == "application/json"
    assert ok.media_types == ("application/xml", "application/json")
    assert list(ok.headers) == ["X-Request-Id"]
    assert ok.pointer == ("paths", "/a", "get", "responses", "200")
    # No documented example: a JSON body is built from the schema, the same every time.
    assert ok.media.example is None and ok.media.sample == {"id": 0}
    assert problem.description == "a problem" and problem.media is not None and problem.media.sample == "no"
    assert other.media is None and other.media_types == ()


@pytest.mark.parametrize(
    ("own", "document", "expected"),
    [
        (None, [{"bearer": []}], (("bearer",),)),
        ([], [{"bearer": []}], ()),  # an empty list of its own: no credentials needed
        ([{"key": [], "basic": []}, {}], None, (("basic", "key"), ())),
    ],
)
def test_security_is_the_operations_own_else_the_documents(own: Any, document: Any, expected: Any) -> None:
    operation: dict[str, Any] = {"responses": NO_CONTENT}
    if own is not None:
        operation["security"] = own
    top = {"security": document} if document is not None else {}
    assert _view({"/a": {"get": operation}}, **top).security == expected


def test_identity_and_callbacks_are_read_once() -> None:
    operation = {
        "operationId": "getA",
        "summary": "Get A",
        "deprecated": True,
        "callbacks": {"done": {}},
        "responses": NO_CONTENT,
    }
    view = _view({"/a": {"get": operation}})
    assert (view.operation_id, view.summary, view.deprecated, view.has_callbacks) == ("getA", "Get A", True, True)
    assert _view({"/a": {"get": {"operationId": 3, "responses": NO_CONTENT}}}).operation_id is None
