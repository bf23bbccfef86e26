"""JSON pointers in `$ref`s, and the located diagnostics validation gives (generator/validate.py)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.document import parse_pointer, resolve_pointer
from generator.errors import GeneratorError
from generator.validate import validate_spec

from .stages import spec_from


@pytest.mark.parametrize(
    ("ref", "pointer"),
    [
        ("#/components/schemas/Pet", ("components", "schemas", "Pet")),
        ("#/paths/~1pets~1{id}/get", ("paths", "/pets/{id}", "get")),
        ("#/a~0b/c~01", ("a~b", "c~1")),  # ~01 is "~1", not "/"
        ("#/with%20space", ("with space",)),
        ("#", ()),
        ("#/", ("",)),
        ("other.yaml#/X", None),
        ("#no-slash", None),
    ],
)
def test_parse_pointer(ref: str, pointer: tuple[str, ...] | None) -> None:
    assert parse_pointer(ref) == pointer


DOCUMENT: dict[str, Any] = {"list": [{"name": "zero"}, {"name": "one"}], "map": {"key": None}}


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        (("list", "1", "name"), "one"),
        (("map", "key"), None),
        ((), DOCUMENT),
    ],
)
def test_resolve_pointer(pointer: tuple[str, ...], value: Any) -> None:
    assert resolve_pointer(DOCUMENT, pointer) == value


@pytest.mark.parametrize("pointer", [("list", "2"), ("list", "-1"), ("map", "other"), ("map", "key", "deeper")])
def test_resolve_pointer_of_nothing_raises_lookup_error(pointer: tuple[str, ...]) -> None:
    with pytest.raises(LookupError):
        resolve_pointer(DOCUMENT, pointer)


VALID_HEAD = """\
openapi: 3.1.0
info: {title: T, version: "1"}
"""


@pytest.mark.parametrize(
    ("body", "line", "column", "message_part"),
    [
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
            "          $ref: '#/components/responses/Missing'\n",
            8,
            17,
            "#/components/responses/Missing",
        ),
        (
            "paths:\n  /a:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n"
            "  /b:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n",
            7,
            24,  # the second use of the id
            "same",
        ),
    ],
)
def test_a_problem_is_reported_where_it_is_written(body: str, line: int, column: int, message_part: str) -> None:
    with pytest.raises(GeneratorError) as refused:
        validate_spec(spec_from(VALID_HEAD + body))
    first = refused.value.diagnostics[0]
    assert (first.file, first.line, first.column) == ("spec.yaml", line, column)
    assert message_part in first.message


# A minified JSON spec is one line: "line 1" would not say where the first of two is.
ONE_LINE = (
    '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {'
    '"/a/{id}": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}}, '
    '"/a/{name}": {"get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}}}}\n'
)


def test_the_first_of_two_on_one_line_is_named_by_its_column() -> None:
    with pytest.raises(GeneratorError) as refused:
        validate_spec(spec_from(ONE_LINE))
    messages = [d.message for d in refused.value.diagnostics]
    # JSON records no key positions: the first path is found at its value, as its own errors are.
    first_path = ONE_LINE.index('{"get"') + 1
    first_id = ONE_LINE.index('"same"') + 1
    assert any(f"differs from '/a/{{id}}' (line 1, column {first_path})" in m for m in messages), messages
    assert f"duplicate operationId 'same' (first used on line 1, column {first_id})" in messages
