"""generator/blackshape.py: data laid out as black lays it out, so black's first pass leaves it alone.

Each case is a statement of the kind testing.py holds; the layout must be black's own, or
black formats that table twice (the cost the module exists to save)."""

from __future__ import annotations

import ast
from typing import Any

import black
import pytest

from generator import blackshape as shape
from generator.render_views import LINE_LENGTH

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=LINE_LENGTH)


def _response(example: Any) -> shape.Node:
    return shape.call_node(
        "_fake.FakeResponse",
        [
            ("status", shape.value_node("200")),
            ("media_type", shape.value_node("application/json")),
            ("example", shape.value_node(example)),
        ],
    )


def _operation(*examples: Any, parameter_type: str = "str", name: str = "_LIST_THINGS", flat: bool = False) -> str:
    parameter = shape.call_node(
        "_fake.FakeParameter",
        [
            ("name", shape.value_node("q")),
            ("required", shape.Atom("False")),
            ("type", shape.expression_node(parameter_type)),
        ],
    )
    node = shape.call_node(
        "_fake.FakeOperation",
        [
            ("name", shape.value_node("list_things")),
            ("parameters", shape.tuple_node([parameter])),
            ("security", shape.tuple_node([shape.tuple_node([shape.value_node("BearerAuth")]), shape.tuple_node([])])),
            ("responses", shape.tuple_node([_response(e) for e in examples])),
        ],
    )
    if flat:
        return f"{name} = {shape.flat(node)}\n"
    return shape.statement(f"{name} = ", node) + "\n"


AWKWARD = {
    "nested empties": {"a": {}, "b": [], "c": [{}], "d": [[]], "e": {"f": {"g": {}}}, "h": [[], {}, [[]]]},
    "long strings": {
        "url": "https://example.com/" + "segment/" * 20,
        "list": ["x" * 100, "short", "y" * 70],
        "k" * 90: "v",
        "only": ["z" * 120],
    },
    "quotes and backslashes": {
        "double": 'say "hi"',
        "single": "it's",
        "both": 'it\'s "quoted" "twice"',
        "even": "a'b\"c",
        "backslash": "C:\\path\\to",
        "escaped quote": '\\"',
        "control": "tab\tnew\nline\x00\x7f\u2028",
    },
    "unicode": {"ja": "日本語のテキスト" * 4, "accent": "e\u0301té", "emoji": "🙂" * 30, "ключ": "значение"},
    "numbers": {"big": 1e100, "small": 1e-07, "neg zero": -0.0, "int": 2**80, "neg": -(2**70), "half": 0.5},
    "not finite": {"inf": float("inf"), "nan": float("nan"), "deep": [{"x" * 70: float("-inf")}]},
    "keys that are not identifiers": {"": 1, "with space": 2, "2fa": 3, "class": 4, "a-b": 5, 7: "int key", True: "b"},
    "scalars": [True, False, None, 0, "", [None]],
    "long one-item nestings": {"a": [{"b": [{"c": "d" * 80}]}]},
    "short items that fit a line only without their key": {"k" * 20: {f"item_{i}": i for i in range(4)}},
}


@pytest.mark.parametrize("responses", [1, 2])
@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_black_leaves_laid_out_values_alone(name: str, responses: int) -> None:
    text = _operation(*[AWKWARD[name]] * responses)
    assert black.format_str(text, mode=MODE) == text
    flat = _operation(*[AWKWARD[name]] * responses, flat=True)
    assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(flat))  # the same values, however laid out


def _exactly(columns: int) -> str:
    """A statement whose response's arguments, on one line, are ``columns`` wide."""
    line = '            status="200", media_type="application/json", example={"key": ""}'
    return _operation({"key": "v" * (columns - len(line))})


def test_a_line_of_exactly_the_line_length_stays_and_one_more_column_is_split() -> None:
    fits, too_long = _exactly(LINE_LENGTH), _exactly(LINE_LENGTH + 1)
    assert max(len(line) for line in fits.splitlines()) == LINE_LENGTH
    assert 'media_type="application/json",\n' in too_long  # one argument a line
    for text in (fits, too_long):
        assert black.format_str(text, mode=MODE) == text


def test_a_name_too_long_for_its_opening_bracket_puts_the_value_in_parentheses_if_all_then_fits() -> None:
    long_name = "_" + "LONG_OPERATION_NAME_" * 4
    fits, does_not = _operation({"a": 1}, name=long_name), _operation({"a": "b" * 80}, name=long_name)
    assert fits.startswith(f"{long_name} = (\n    _fake.FakeOperation(\n")
    assert does_not.startswith(f"{long_name} = _fake.FakeOperation(\n")
    for text in (fits, does_not):
        assert black.format_str(text, mode=MODE) == text


def test_wide_characters_count_twice() -> None:
    half = LINE_LENGTH // 2
    for text in (_operation({"w": "字" * (half - 12)}), _operation({"w": "字" * (half - 11)})):
        assert black.format_str(text, mode=MODE) == text


@pytest.mark.parametrize(
    "parameter_type",
    ["str", "Literal['asc', 'desc']", "Literal[" + ", ".join(f"'value_{i}'" for i in range(12)) + "]", "int | None"],
)
def test_parameter_types_are_laid_out_as_black_does(parameter_type: str) -> None:
    text = _operation(None, parameter_type=parameter_type)
    assert black.format_str(text, mode=MODE) == text


def test_strings_are_quoted_as_black_quotes_them() -> None:
    assert shape.quoted('say "hi"') == "'say \"hi\"'"
    assert shape.quoted("it's") == '"it\'s"'
    assert shape.quoted("a'b\"c") == '"a\'b\\"c"'
    assert shape.number(1e100) == "1e100" and shape.number(-0.0) == "-0.0"
