"""README helpers: Python literals, code spans and list items (generator/readme.py)."""

from __future__ import annotations

import ast
import math
from typing import Any

import pytest

from generator.readme import LINE_LENGTH, Code, call_source, flat_literal, inline_code, list_item_text, literal


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        -1.5,
        'text with "quotes" and \\ and \u2028',
        [1, "two", None],
        {"nested": {"list": [1, 2], "flag": False}},
        {"1": "numeric key"},
    ],
)
def test_flat_literal_evaluates_back_to_the_value(value: Any) -> None:
    source = flat_literal(value)
    assert "\n" not in source
    assert ast.literal_eval(source) == value


def test_values_without_a_python_literal_are_spelled_as_calls() -> None:
    assert flat_literal(float("inf")) == 'float("inf")'
    assert math.isnan(eval(flat_literal(float("nan"))))


def test_code_is_laid_out_as_it_is() -> None:
    assert flat_literal({"body": Code("{...}")}) == '{"body": {...}}'


def test_a_long_value_is_split_one_item_per_line_within_the_line_length() -> None:
    value = {f"key_{index}": "x" * 20 for index in range(6)}
    source = literal(value, indent=4)
    lines = source.splitlines()
    assert len(lines) == len(value) + 2
    assert all(4 + len(line) <= LINE_LENGTH for line in lines)
    assert ast.literal_eval(source) == value


def test_call_source_fits_on_one_line_when_it_can() -> None:
    assert call_source("f", [("a", 1), (None, "b")], 0) == 'f(a=1, "b")'
    long = call_source("f", [("argument", "y" * 90)], 0)
    assert long.splitlines() == ["f(", f'    argument="{"y" * 90}",', ")"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("`starts", "`` `starts ``"),
        ("a``b", "```a``b```"),
    ],
)
def test_inline_code_fence_is_longer_than_any_run_inside(text: str, span: str) -> None:
    assert inline_code(text) == span


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("one line", "one line"),
        ("first\nsecond", "first\n  second"),
        ("first\n\nafter a blank", "first\n\n  after a blank"),
        ("see\n```python\nx = 1\n```", "see\n  ```text\n  x = 1\n  ```"),
        ("see\n~~~ py\nx\n~~~", "see\n  ~~~text\n  x\n  ~~~"),
    ],
)
def test_list_item_text_stays_in_its_item_and_marks_code_as_text(text: str, item: str) -> None:
    assert list_item_text(text) == item
