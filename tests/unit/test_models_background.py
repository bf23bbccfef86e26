"""The models made in a helper process while this one renders and formats the client
(generator/models.py ``start_models``, for a spec of at least
``pipeline.MODELS_IN_HELPER_AT_OPERATIONS`` operations): the package is the same files as
when every stage runs here, and models that cannot be made are refused with the same
located error."""

from __future__ import annotations

from typing import Any

import pytest

from generator import pipeline
from generator.errors import Diagnostic, GeneratorError
from generator.format import BlockPool
from generator.models import ModelRun, render_models, start_models
from generator.schemas import plan_schemas

from .stages import DeadHelper, loaded, openapi

HEADER = "# header"


def _document(operations: int, *, unsatisfiable: bool = False) -> dict[str, Any]:
    """``operations`` operations answering with objects that derive from a shared base;
    ``unsatisfiable``: one of them has a property no value satisfies, which
    datamodel-code-generator refuses."""
    schemas: dict[str, Any] = {
        "Base": {"type": "object", "properties": {"id": {"type": "string"}, "status": {"enum": ["on", "off"]}}}
    }
    paths: dict[str, Any] = {}
    for number in range(operations):
        schemas[f"Thing{number}"] = {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}},
            ]
        }
        paths[f"/things{number}"] = {
            "get": {
                "operationId": f"get_thing{number}",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{number}"}}},
                    }
                },
            }
        }
    if unsatisfiable:
        schemas["Thing7"]["allOf"][1]["properties"]["tags"] = {"allOf": [False]}
    return openapi(paths, {"schemas": schemas})


def _render(document: dict[str, Any], helpers: int) -> dict[str, str] | list[Diagnostic]:
    with BlockPool(helpers) as pool:
        try:
            return pipeline._render(loaded(document), "pkg", pool).files
        except GeneratorError as refused:
            return refused.diagnostics


@pytest.fixture
def model_runs(monkeypatch: pytest.MonkeyPatch) -> list[ModelRun]:
    """Every ModelRun the pipeline starts, as started."""
    runs: list[ModelRun] = []

    def recorded(*args: Any) -> ModelRun:
        run = start_models(*args)
        runs.append(ModelRun(run.plan, run.header, run.display_path, run.source_map, run._running, run._helpers))
        return run

    monkeypatch.setattr("generator.models.start_models", recorded)
    return runs


def test_a_large_spec_is_the_same_files_with_its_models_made_in_a_helper(model_runs: list[ModelRun]) -> None:
    document = _document(pipeline.MODELS_IN_HELPER_AT_OPERATIONS)
    in_helper = _render(document, 1)
    assert model_runs[-1]._running is not None
    here = _render(document, 0)
    assert model_runs[-1]._running is None
    assert isinstance(in_helper, dict) and in_helper == here
    assert any("class Thing7(Base)" in text for path, text in in_helper.items() if path.startswith("models/"))


def test_a_small_spec_makes_its_models_here_even_with_a_helper(model_runs: list[ModelRun]) -> None:
    document = _document(pipeline.MODELS_IN_HELPER_AT_OPERATIONS - 1)
    assert isinstance(_render(document, 1), dict)
    assert model_runs[-1]._running is None


def test_models_refused_in_a_helper_are_reported_where_the_spec_has_them(model_runs: list[ModelRun]) -> None:
    document = _document(pipeline.MODELS_IN_HELPER_AT_OPERATIONS, unsatisfiable=True)
    in_helper = _render(document, 1)
    assert model_runs[-1]._running is not None
    assert isinstance(in_helper, list) and in_helper == _render(document, 0)
    (error,) = in_helper
    assert "cannot generate models" in error.message and "Thing7/allOf/1/properties/tags" in error.message
    assert error.line > 1  # located at the schema, not at the top of the file


def test_a_helper_that_dies_leaves_the_models_to_this_process() -> None:
    spec = loaded(_document(3))
    run = start_models(plan_schemas(spec.document), HEADER, "spec.json", spec.source_map, DeadHelper())
    assert run._running is not None
    expected = render_models(plan_schemas(spec.document), HEADER, "spec.json", spec.source_map)
    assert run.result() == expected


def test_a_plan_that_cannot_be_pickled_has_its_models_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    def refuse(*args: Any, **kwargs: Any) -> bytes:
        raise pickle.PicklingError("a value that cannot cross")

    spec = loaded(_document(3))
    expected = render_models(plan_schemas(spec.document), HEADER, "spec.json", spec.source_map)
    monkeypatch.setattr("generator.models.pickle.dumps", refuse)
    with BlockPool(1) as pool:
        run = start_models(plan_schemas(spec.document), HEADER, "spec.json", spec.source_map, pool)
        assert run._running is None
        assert run.result() == expected
