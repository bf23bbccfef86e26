"""Stage 5 helpers: string literals and docstrings made from spec text (generator/render.py)."""

from __future__ import annotations

import ast

import pytest

from generator.blackshape import python_string
from generator.render_views import OperationView, docstring_text, operation_view

from .stages import only_operation, openapi

AWKWARD_TEXTS = [
    "plain",
    'a "quoted" word',
    "back\\slash",
    "line\nbreak",
    "tab\there",
    "unicode line\u2028separator",
    "next line\x85",
    "form\x0cfeed",
    "nul\x00byte",
    "emoji \U0001f600",
    '"""triple"""',
    'ends with a quote"',
    "''' single triple",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_python_string_is_one_line_and_reads_back_exactly(text: str) -> None:
    literal = python_string(text)
    assert len(literal.splitlines()) == 1
    assert ast.literal_eval(literal) == text


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_docstring_text_reads_back_exactly_between_triple_quotes(text: str) -> None:
    source = f'def f():\n    """{docstring_text(text)}"""\n'
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert ast.get_docstring(function, clean=False) == text.strip()


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (("Heading", "Body"), "Heading\n\nBody"),
        (("  Heading  ", "", "   ", "Body"), "Heading\n\nBody"),
        ((), ""),
    ],
)
def test_docstring_parts_are_stripped_and_blank_ones_dropped(parts: tuple[str, ...], joined: str) -> None:
    assert docstring_text(*parts) == joined


def _view_of(operation: dict[str, object], **top: object) -> OperationView:
    return operation_view(only_operation(openapi({"/a": {"post": operation}}, **top)))


@pytest.mark.parametrize(
    ("security", "literal"),
    [
        ([], "()"),
        ([{}], "((),)"),
        ([{"a": []}], '(("a",),)'),
        # black keeps a tuple with trailing commas one item per line
        (
            [{"b": [], "a": []}, {"c": []}],
            '(\n        (\n            "a",\n            "b",\n        ),\n        ("c",),\n    )',
        ),
    ],
)
def test_the_view_writes_security_as_a_literal(security: list[dict[str, list[str]]], literal: str) -> None:
    view = _view_of({"security": security, "responses": {"204": {"description": "-"}}})
    assert view.security_literal == literal
    assert ast.literal_eval(literal) == tuple(tuple(sorted(alt)) for alt in security)


@pytest.mark.parametrize(
    ("media_type", "content_type"),
    [
        ("application/json", '"application/json"'),
        ("application/octet-stream", '"application/octet-stream"'),
        ("application/x-www-form-urlencoded", ""),  # httpx writes it
        ("multipart/form-data", ""),  # httpx writes it, with the boundary
    ],
)
def test_the_view_decides_the_content_type(media_type: str, content_type: str) -> None:
    body = {"content": {media_type: {"schema": {"type": "object"}}}}
    view = _view_of({"requestBody": body, "responses": {"204": {"description": "-"}}})
    assert view.content_type == content_type
