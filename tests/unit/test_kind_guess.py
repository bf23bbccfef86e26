"""The client made before the models (generator/kind_guess.py, pipeline ``_client_before_models``):
with a formatting helper, the client's files are made from class kinds guessed from the plan
while datamodel-code-generator runs. They are kept only when the model stage answers every
question the guess was asked the same way; either way a package is the same files as when
every stage runs in order."""

from __future__ import annotations

from typing import Any

import pytest

from generator import kind_guess, layout, pipeline, render
from generator.format import BlockPool
from generator.kind_guess import KindGuess, guess_kinds
from generator.models import render_models
from generator.schemas import plan_schemas

from .stages import loaded, openapi


def _document(operations: int) -> dict[str, Any]:
    """``operations`` GET operations, each answering with an object that holds an enum and
    a list, and taking that enum as a query parameter."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for number in range(operations):
        schemas[f"Colour{number}"] = {"type": "string", "enum": ["red", "green"]}
        schemas[f"Tags{number}"] = {"type": "array", "items": {"type": "string"}}
        schemas[f"Thing{number}"] = {
            "type": "object",
            "properties": {
                "colour": {"$ref": f"#/components/schemas/Colour{number}"},
                "tags": {"$ref": f"#/components/schemas/Tags{number}"},
            },
        }
        paths[f"/things{number}"] = {
            "get": {
                "operationId": f"get_thing{number}",
                "parameters": [
                    {"name": "colour", "in": "query", "schema": {"$ref": f"#/components/schemas/Colour{number}"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{number}"}}},
                    }
                },
            }
        }
    return openapi(paths, {"schemas": schemas})


def _files(document: dict[str, Any], helpers: int) -> dict[str, str]:
    with BlockPool(helpers) as pool:
        return pipeline._render(loaded(document), "pkg", pool).files


@pytest.fixture
def renders_after_models(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the client was rendered after the models were made (a guess abandoned)."""
    calls: list[int] = []
    original = render.render_package

    def counted(*args: Any, **kwargs: Any) -> dict[str, str]:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "render_package", counted)
    return calls


def test_kinds_are_guessed_from_each_component_schemas_shape() -> None:
    document = _document(1)
    document["components"]["schemas"].update(
        {
            "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "Either": {
                "type": "object",
                "properties": {"note": {"type": "string"}},
                "oneOf": [{"$ref": "#/components/schemas/Thing0"}, {"$ref": "#/components/schemas/Counts"}],
            },
        }
    )
    plan = plan_schemas(loaded(document).document)
    # Counts, an open map, is no class: the plan makes it a dict where it is used; nor is
    # Tags0, a list of strings, which is a list[str] where it is used.
    expected = {"Colour0": "enum", "Thing0": "model", "Either": "root"}
    assert dict(guess_kinds(plan)) == expected
    # The model stage may make more classes (Either's branches, with its properties), never
    # these otherwise.
    made = render_models(plan, "# header", "spec.yaml").classes
    assert {name: made.get(name) for name in expected} == expected


def test_a_guess_agrees_with_answers_that_match_on_every_name_it_was_asked() -> None:
    guess = KindGuess({"Pet": "model", "Colour": "enum"})
    assert "Pet" in guess and guess.get("Missing") is None
    assert guess.agrees({"Pet": "model", "Colour": "root"})  # Colour was not asked
    assert not guess.agrees({"Pet": "root"})
    assert not guess.agrees({"Pet": "model", "Missing": "model"})


def test_a_guess_that_was_listed_must_match_every_name() -> None:
    guess = KindGuess({"Pet": "model"})
    assert sorted(guess) == ["Pet"]
    assert guess.agrees({"Pet": "model"})
    assert not guess.agrees({"Pet": "model", "Pet1": "root"})


@pytest.mark.parametrize("operations", [3, layout.SPLIT_AT_OPERATIONS])
def test_a_right_guess_gives_the_files_of_the_stages_in_order(operations: int, renders_after_models: list[int]) -> None:
    document = _document(operations)
    early = _files(document, 1)
    assert renders_after_models == []  # the client made from the guess was kept
    assert early == _files(document, 0)
    assert len(renders_after_models) == 1


def test_a_wrong_kind_is_found_and_the_client_made_again(
    monkeypatch: pytest.MonkeyPatch, renders_after_models: list[int]
) -> None:
    document = _document(3)
    in_order = _files(document, 0)
    renders_after_models.clear()
    monkeypatch.setattr(kind_guess, "_kind_of", lambda schema: "root")  # every enum and model guessed wrong
    assert _files(document, 1) == in_order
    assert renders_after_models == [1]


def test_a_wrong_guess_of_the_layout_is_found_and_the_client_made_again(
    monkeypatch: pytest.MonkeyPatch, renders_after_models: list[int]
) -> None:
    # Fewer operations than the split needs, but models past its size: split after all.
    monkeypatch.setattr(layout, "SPLIT_AT_MODEL_BYTES", 1)
    document = _document(3)
    in_order = _files(document, 0)
    assert "models/__init__.py" in in_order
    renders_after_models.clear()
    assert _files(document, 1) == in_order
    assert renders_after_models == [1]
