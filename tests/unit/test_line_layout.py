"""The operation modules' lines are laid out as black lays them out (generator/line_layout.py).

Each case puts a shaped line where the templates put it, at lengths on both sides of the
line limit, and checks two things: black's first pass leaves the shaped text alone (so black
formats it once, not twice), and black's output of the same code written flat is exactly
the shaped text (so the shape is black's own, not merely one black accepts).
"""

from __future__ import annotations

import black
import pytest

from generator import line_layout
from generator.format import _MODE

# Names whose lengths put the lines they are in just under, at and just over the limit.
LENGTHS = (8, 30, 45, 52, 55, 58, 60, 62, 64, 66, 68, 70, 74, 80, 90)


def name(length: int, stem: str = "Model") -> str:
    return (stem + "X" * length)[:length]


def assert_black_shape(shaped: str, flat: str) -> None:
    assert black.format_str(shaped, mode=_MODE) == shaped, "black's first pass changes the shaped text"
    assert black.format_str(flat, mode=_MODE) == shaped, "black lays out the flat text differently"


def method(lines: str) -> str:
    return f"class C:\n    def m(\n        self,\n        *,\n{lines}\n    ) -> None:\n        pass\n"


ANNOTATIONS = [
    lambda n: f"models.{name(n)}",
    lambda n: f"models.{name(n)} | None",
    lambda n: f"models.{name(n)} | Mapping[str, Any] | None",
    lambda n: f"models.{name(n)} | Mapping[str, Any]",
    lambda n: "Literal[" + ", ".join(f'"{name(n // 4 + i, "v")}"' for i in range(5)) + "]",
    lambda n: "Literal[" + ", ".join(f'"{name(n // 3 + i, "v")}"' for i in range(6)) + "] | None",
    lambda n: f"Sequence[models.{name(n)}] | None",
    lambda n: f"Sequence[str] | Sequence[models.{name(n)}] | None",
]


@pytest.mark.parametrize("annotation", ANNOTATIONS)
@pytest.mark.parametrize("default", ["", "None"])
def test_parameters_of_a_method(annotation, default):
    for length in LENGTHS:
        text = annotation(length)
        shaped = line_layout.parameter(8, "body", text, default)
        tail = f" = {default}," if default else ","
        assert_black_shape(method(shaped), method(f"        body: {text}{tail}"))


@pytest.mark.parametrize("annotation", ANNOTATIONS)
def test_parameters_of_a_function(annotation):
    for length in LENGTHS:
        text = annotation(length)
        shaped = line_layout.parameter(4, "status", text)

        def function(line: str) -> str:
            return f"def f(\n{line}\n) -> None:\n    pass\n"

        assert_black_shape(function(shaped), function(f"    status: {text},"))


@pytest.mark.parametrize("annotation", ANNOTATIONS[:4] + ANNOTATIONS[6:])
def test_return_annotations(annotation):
    for length in LENGTHS:
        text = annotation(length)
        shaped = line_layout.returns(4, text)

        def function(line: str) -> str:
            return f"class C:\n    def m(\n        self,\n        *,\n        x: int,\n{line}\n        pass\n"

        assert_black_shape(function(shaped), function(f"    ) -> {text}:"))


def test_calls_hug_their_arguments_or_take_one_line_each():
    for length in LENGTHS:
        for count in (1, 2, 4, 7):
            arguments = [name(length // count + i, "arg").lower() for i in range(count)]
            value = f"_{name(length // 2, 'op').lower()}_call({', '.join(arguments)})"
            shaped = line_layout.expression(12, "", value, ",")

            def send(line: str) -> str:
                return f"class C:\n    def m(self):\n        return self.t.send(\n{line}\n        )\n"

            assert_black_shape(send(shaped), send(f"            {value},"))


def builder(line: str) -> str:
    return f"def f(\n    body: int,\n) -> _http.Call:\n    return _http.Call(\n{line}\n    )\n"


@pytest.mark.parametrize("encoder", ["encode_body", "form_fields"])
@pytest.mark.parametrize("optional", [True, False])
def test_the_encoded_body(encoder, optional):
    for length in LENGTHS:
        value = f"_http.{encoder}(body, models.{name(length)})"
        if optional:
            value = f"None if body is None else {value}"
        shaped = line_layout.keyword_value(8, "data", value)
        assert_black_shape(builder(shaped), builder(f"        data={value},"))


def test_query_pairs():
    for length in LENGTHS:
        for explode in ("", ", explode=False"):
            value = f'_http.query_pairs("{name(length, "q")}", {name(length, "q")}{explode})'
            shaped = line_layout.expression(12, "*", value, ",")

            def query(line: str) -> str:
                return builder(f"        query=[\n{line}\n        ],")

            assert_black_shape(query(shaped), query(f"            *{value},"))


GONE = "_lazy.reader(lambda: _http.error_body())"


def endpoint(head: str, fields: list[str], close: str) -> str:
    return head + "\n" + "".join(line + "\n" for line in fields) + close + "\n"


def fields(indent: int, length: int) -> list[str]:
    pad = " " * indent
    reader = f"_lazy.reader(lambda: _http.json_response(models.{name(length)}))"
    error = f"_lazy.reader(lambda: _http.error_body(models.{name(length // 2 + 20)}))"
    return [
        f'{pad}method="GET",',
        f"{pad}responses={{",
        line_layout.expression(indent + 4, '"200": ', reader, ","),
        f"{pad}}},",
        f"{pad}errors={{",
        line_layout.bracketed(indent + 4, '"404": (', ["errors.NotFoundError", error], "),")
        or f'{pad}    "404": (errors.NotFoundError, {error}),',
        line_layout.bracketed(indent + 4, '"410": (', ["errors.GoneError", GONE], "),") or "",
        f"{pad}}},",
        line_layout.expression(indent, "default_error=", error, ","),
        f"{pad}security=" + _security(indent) + ",",
    ]


def _security(indent: int) -> str:
    inner = " " * (indent + 4)
    two = line_layout.exploded_tuple(indent + 4, [f'{inner}    "basicAuth"', f'{inner}    "bearerAuth"'])
    return line_layout.exploded_tuple(indent, [f"{inner}{two}", f'{inner}("apiKey",)', f"{inner}()"])


def flat_fields(length: int) -> list[str]:
    reader = f"_lazy.reader(lambda: _http.json_response(models.{name(length)}))"
    error = f"_lazy.reader(lambda: _http.error_body(models.{name(length // 2 + 20)}))"
    return [
        '    method="GET",',
        "    responses={",
        f'        "200": {reader},',
        "    },",
        "    errors={",
        f'        "404": (errors.NotFoundError, {error}),',
        f'        "410": (errors.GoneError, {GONE}),',
        "    },",
        f"    default_error={error},",
        '    security=(("basicAuth", "bearerAuth", ), ("apiKey", ), (), ),',
    ]


@pytest.mark.parametrize("name_length", [10, 30, 45, 60, 75, 85])
def test_endpoint_heads_and_fields(name_length):
    for length in LENGTHS:
        constant = "_" + name(name_length, "GET").upper()
        for annotation in (f"models.{name(length)}", f"models.{name(length)} | None"):
            head, close, indent = line_layout.endpoint_head(constant, f"_http.Endpoint[{annotation}]", "_http.Endpoint")
            shaped = endpoint(head, fields(indent, length), close)
            flat = endpoint(f"{constant}: _http.Endpoint[{annotation}] = _http.Endpoint(", flat_fields(length), ")")
            assert_black_shape(shaped, flat)


def test_imports():
    for count in (3, 10, 29):
        names = [f"_{n:02d}" for n in range(1, count + 1)]
        shaped = "if TYPE_CHECKING:\n" + line_layout.import_line(4, ".", names) + "\n"
        assert_black_shape(shaped, f"if TYPE_CHECKING:\n    from . import {', '.join(names)}\n")


def test_wide_characters_count_twice():
    assert line_layout.width("abc") == 3
    assert line_layout.width("名前") == 4
    assert not line_layout.fits(86, "名前")
    assert line_layout.width("e\u0301") == 2  # black counts a combining mark as a column
