"""The shape of a document: media choice and `$ref` following (generator/document.py)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.document import deref, is_json_media, pick_media


@pytest.mark.parametrize(
    ("media_types", "chosen"),
    [
        (["text/plain", "application/json"], "application/json"),
        (["application/xml", "application/vnd.api+json"], "application/vnd.api+json"),
        (["multipart/form-data", "application/x-www-form-urlencoded"], "application/x-www-form-urlencoded"),
        (["application/octet-stream", "multipart/form-data"], "multipart/form-data"),
        (["application/xml", "text/csv"], "application/xml"),  # none preferred: the first
        (["*/*"], "*/*"),
    ],
)
def test_pick_media_prefers_json_then_forms_then_the_first(media_types: list[str], chosen: str) -> None:
    content = {media_type: {"schema": {"title": media_type}} for media_type in media_types}
    picked = pick_media(content)
    assert picked is not None
    assert picked == (chosen, {"schema": {"title": chosen}})


@pytest.mark.parametrize("content", [None, {}, [], "application/json"])
def test_pick_media_of_no_content_is_none(content: Any) -> None:
    assert pick_media(content) is None


def test_a_media_entry_that_is_not_a_mapping_reads_as_empty() -> None:
    assert pick_media({"application/json": None}) == ("application/json", {})


@pytest.mark.parametrize(
    ("media_type", "json"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("application/problem+json", True),
        ("*/*", True),
        ("text/json-seq", False),
        ("text/plain", False),
    ],
)
def test_is_json_media(media_type: str, json: bool) -> None:
    assert is_json_media(media_type) is json


DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "a/b": {"type": "integer"},
        }
    }
}


@pytest.mark.parametrize(
    ("node", "found"),
    [
        ({"$ref": "#/components/schemas/A"}, {"type": "string"}),  # a chain is followed to its end
        ({"$ref": "#/components/schemas/a~1b"}, {"type": "integer"}),  # ~1 is a slash
        ({"type": "boolean"}, {"type": "boolean"}),
        ({"$ref": "other.yaml#/X"}, {"$ref": "other.yaml#/X"}),  # not local: left as it is
        ("not a node", "not a node"),
    ],
)
def test_deref(node: Any, found: Any) -> None:
    assert deref(DOCUMENT, node) == found


def test_deref_of_a_cycle_stops() -> None:
    assert deref(DOCUMENT, {"$ref": "#/components/schemas/Loop"}, limit=5) == {"$ref": "#/components/schemas/Loop"}
