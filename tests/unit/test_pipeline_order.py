"""generate_packages begins each spec before it finishes the one ahead of it
(generator/pipeline.py): whatever fails where, each outcome is its own spec's, in the
order given, and each package is the one that spec gets when generated alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.format import BlockPool

from .stages import openapi


def _spec(title: str, *, refused: bool = False, unsatisfiable: bool = False) -> dict[str, Any]:
    """One operation answering with a small object; ``refused``: a parameter in ``body``,
    which the validator refuses; ``unsatisfiable``: a property the model generator refuses."""
    thing: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "string"}}}
    if unsatisfiable:
        thing["properties"]["tags"] = {"allOf": [False]}
    operation: dict[str, Any] = {
        "operationId": f"get_{title.lower()}",
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    if refused:
        operation["parameters"] = [{"name": "q", "in": "body", "schema": {"type": "string"}}]
    document = openapi({"/things": {"get": operation}}, {"schemas": {"Thing": thing}})
    document["info"]["title"] = title
    return document


def _write(folder: Path, name: str, document: dict[str, Any] | str) -> Path:
    path = folder / f"{name}.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize("helpers", [0, 1])
def test_each_outcome_is_its_own_specs_in_the_order_given(helpers: int, tmp_path: Path) -> None:
    jobs = [
        (_write(tmp_path, "first", _spec("First")), "first"),
        (_write(tmp_path, "unreadable", '{"openapi": "3.1.0",'), "unreadable"),
        (_write(tmp_path, "second", _spec("Second")), "second"),
        (_write(tmp_path, "refused", _spec("Refused", refused=True)), "refused"),
        (_write(tmp_path, "unmodelled", _spec("Unmodelled", unsatisfiable=True)), "unmodelled"),
        (_write(tmp_path, "third", _spec("Third")), "third"),
    ]
    with BlockPool(helpers) as pool:
        outcomes = pipeline.generate_packages(jobs, pool)
    assert [outcome.result is not None for outcome in outcomes] == [True, False, True, False, False, True]
    for (path, name), outcome in zip(jobs, outcomes, strict=True):
        if outcome.result is None:
            assert outcome.problems and all(d.file.endswith(path.name) for d in outcome.problems), outcome.problems
            continue
        assert outcome.problems == []
        with BlockPool(0) as alone:
            (expected,) = pipeline.generate_packages([(path, name)], alone)
        assert expected.result is not None
        assert outcome.result.files == expected.result.files
    assert any("body" in d.message for d in outcomes[3].problems)
    assert any("cannot generate models" in d.message for d in outcomes[4].problems)
