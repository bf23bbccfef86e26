"""Stage 1a: where the parts of a YAML document that shares nodes through aliases are written."""

from __future__ import annotations

from typing import Any

import yaml

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
