"""Stage 1a: where the parts of a YAML document that shares nodes through aliases are written."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from generator.errors import GeneratorError
from generator.parse import parse_text

SHARED = """\
openapi: 3.1.0
info: {title: Shared, version: "1"}
components:
  responses:
    Problem: &problem
      description: a problem
      content:
        application/json:
          schema: &error {type: object, properties: {code: {type: integer}}}
paths:
  /a:
    get:
      responses:
        "400": *problem
        "500":
          description: other
          content: {application/json: {schema: *error}}
  /b:
    get:
      responses: {"404": *problem}
"""


def _pointers(value: Any, pointer: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [pointer]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _pointers(item, (*pointer, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _pointers(item, (*pointer, str(index)))
    return found


def _node_at(node: yaml.Node, pointer: tuple[str, ...]) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at ``pointer`` and the key node naming it, found in PyYAML's own graph."""
    key_node = None
    for part in pointer:
        if isinstance(node, yaml.MappingNode):
            key_node, node = next((k, v) for k, v in node.value if k.value == part)
        else:
            key_node, node = None, node.value[int(part)]
    return node, key_node


def test_every_pointer_through_an_alias_is_located_where_its_node_and_key_are_written() -> None:
    document, source_map = parse_text(SHARED, "shared.yaml")
    root = yaml.compose(SHARED, Loader=yaml.SafeLoader)
    pointers = _pointers(document)
    assert ("paths", "/b", "get", "responses", "404", "content", "application/json", "schema", "type") in pointers

    for pointer in pointers:
        node, key_node = _node_at(root, pointer)
        assert source_map.locate(pointer) == (node.start_mark.line + 1, node.start_mark.column + 1), pointer
        if key_node is not None:
            expected_key = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            assert source_map.locate_key(pointer) == expected_key, pointer


def test_a_pointer_past_what_an_alias_holds_is_located_at_its_deepest_written_ancestor() -> None:
    _, source_map = parse_text(SHARED, "shared.yaml")
    # The 404 response is the mapping anchored on line 5, under components.
    assert source_map.locate(("paths", "/b", "get", "responses", "404", "headers", "X-Nope")) == (5, 14)
    assert source_map.locate_key(("paths", "/b", "get", "responses", "404")) == (20, 19)


def test_shared_nodes_are_recorded_once_however_often_they_are_used() -> None:
    uses = "\n".join(f"  /p{i}: {{get: {{responses: {{'200': *ok}}}}}}" for i in range(500))
    head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-ok: &ok {description: ok, x-a: [1, 2, 3]}\n"
    text = f"{head}paths:\n{uses}\n"
    document, source_map = parse_text(text, "many.yaml")
    assert len(document["paths"]) == 500
    assert source_map.locate(("paths", "/p499", "get", "responses", "200", "x-a", "2")) == (3, 41)
    assert len(source_map.positions) < 500 * 6


def test_plain_scalars_are_read_as_yaml_1_2_reads_them() -> None:
    # OpenAPI's YAML is 1.2: a country code, a version, a time and a date stay strings.
    text = """\
strings: [NO, yes, on, Off, y, 2024-01-31, "12:30:00", 12:30:00, 3.0.3, 1_000, 0b101]
booleans: [true, False, TRUE]
nulls: [null, ~, Null]
empty:
numbers: [1e3, 1.5E-3, .5, 1., 0777, 0o17, 0x1F, +12, -0]
"""
    document, _ = parse_text(text, "spec.yaml")

    assert document["strings"] == [
        "NO",
        "yes",
        "on",
        "Off",
        "y",
        "2024-01-31",
        *["12:30:00"] * 2,
        "3.0.3",
        "1_000",
        "0b101",
    ]
    assert document["booleans"] == [True, False, True]
    assert document["nulls"] == [None, None, None] and document["empty"] is None
    assert document["numbers"] == [1000.0, 0.0015, 0.5, 1.0, 777, 15, 31, 12, 0]
    assert [type(n) for n in document["numbers"]] == [float] * 4 + [int] * 5
    infinities, _ = parse_text("x: [.inf, -.Inf, .NaN]\n", "spec.yaml")
    assert infinities["x"][:2] == [float("inf"), float("-inf")] and infinities["x"][2] != infinities["x"][2]


def test_merge_keys_merge_and_the_keys_beside_them_win() -> None:
    text = """\
shared: &shared {type: object, description: shared}
one: {<<: *shared, description: own}
two: {<<: [*shared, {title: T}], required: [id]}
"""
    document, _ = parse_text(text, "spec.yaml")

    assert document["one"] == {"type": "object", "description": "own"}
    assert document["two"] == {"type": "object", "description": "shared", "title": "T", "required": ["id"]}
    with pytest.raises(GeneratorError, match="duplicate key 'title'"):
        parse_text("shared: &s {a: 1}\none: {<<: *s, title: x, title: y}\n", "spec.yaml")
