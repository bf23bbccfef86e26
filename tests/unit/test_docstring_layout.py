"""Docstrings are rendered as black lays them out (generator/render_views.py
``docstring_layout``), so black's first pass leaves them alone and it does not format the
block a second time; and whatever the text, black's output is the one it gives for the
docstring as the spec wrote it."""

from __future__ import annotations

import black
import pytest
from black import _format_str_once

from generator.format import format_block
from generator.render_views import LINE_LENGTH, docstring_layout, docstring_text

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=LINE_LENGTH)

TEXTS = [
    "One line.",
    "Summary\n\nA longer description that goes on for a while.\n\nPOST /orders",
    "Summary\n\nArgs:\n    name: the name\n    other: a second line\n\nGET /things/{id}",
    "Summary\n\n" + "word " * 30,  # the last line is too long for the closing quotes
    "Summary\n\n" + "x" * (LINE_LENGTH - 11),  # fits by one at depth two, not at depth three
    "Summary\n\n" + "x" * (LINE_LENGTH - 10),
    '"Quoted" at the start\n\nand "quoted" at the end "',
    "Ends with a backslash \\",
    "Tabs\n\n\tindented with a tab\n\tand another",
    "Trailing spaces   \n\n   indented by three   \n\n",
    "  leading spaces on the first line\n  and the rest",
    "Only one line after\n    all indented\n    the same",
    '<p>HTML with a <a href="/x">link</a> and non-breaking\u00a0spaces\u00a0</p>\n\u00a0\n<p>more</p>',
]


def _module(docstring: str, depth: int) -> str:
    """A function ``depth`` levels in whose docstring is ``docstring``."""
    lines = ["class Outer:", "    class Inner:", "        def method(self) -> None:"][:depth]
    indent = " " * 4 * depth
    body = [f'{indent}"""{docstring}"""', f"{indent}return None" if depth == 3 else f"{indent}x = 1"]
    return "\n".join(lines + body) + "\n"


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize("text", TEXTS)
def test_black_gives_the_same_output_for_a_laid_out_docstring(text: str, depth: int) -> None:
    escaped = docstring_text(text)
    plain = _module(escaped, depth)
    laid_out = _module(docstring_layout(escaped, 4 * depth), depth)
    assert format_block(laid_out) == format_block(plain)


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize("text", [t for t in TEXTS if "\t" not in t and not t.rstrip().endswith("\\")])
def test_black_leaves_a_laid_out_docstring_as_it_is(text: str, depth: int) -> None:
    docstring = '"""' + docstring_layout(docstring_text(text), 4 * depth) + '"""'
    assert docstring in _format_str_once(_module(docstring[3:-3], depth), mode=MODE)
