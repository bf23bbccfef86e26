"""Stage 5 helpers: string literals and docstrings made from spec text (generator/render.py)."""

from __future__ import annotations

import ast

import pytest

from generator.render import docstring_text, python_string

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
    "\"\"\"triple\"\"\"",
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
