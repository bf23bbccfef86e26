"""openapi-spec-validator's run on a large spec, in a process of its own while the models are
planned (generator/validate.py ``start_validation``): the verdict is the one the same spec
gets when everything runs in this process, and a refused spec is reported as refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator import pipeline
from generator.errors import Diagnostic, GeneratorError
from generator.validate import BACKGROUND_MIN_NODES, start_validation, validate_spec

from .stages import spec_from


def _large_spec_text(*, broken: bool) -> str:
    """Enough operations and schemas to be validated in the background; ``broken``: one
    parameter says ``in: body`` (an error) and one response has no description (a warning)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for number in range(BACKGROUND_MIN_NODES // 12 + 1):
        schemas[f"Thing{number}"] = {
            "type": "object",
            "properties": {"id": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}},
        }
        reply = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{number}"}}}}
        paths[f"/things{number}/{{id}}"] = {
            "get": {
                "operationId": f"get_thing{number}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", **reply}},
            }
        }
    if broken:
        paths["/things7/{id}"]["get"]["parameters"].append({"name": "q", "in": "body", "schema": {"type": "string"}})
        del paths["/things9/{id}"]["get"]["responses"]["200"]["description"]
    document = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}
    document["components"] = {"schemas": schemas}
    return json.dumps(document, indent=1)


def _verdict(text: str, monkeypatch: pytest.MonkeyPatch, workers: str) -> list[Diagnostic]:
    monkeypatch.setenv("SPECFORGE_WORKERS", workers)
    validation = start_validation(spec_from(text))
    assert (validation._running is not None) == (workers != "1")
    try:
        return validation.result()
    except GeneratorError as refused:
        return refused.diagnostics


def test_a_large_spec_gets_the_same_verdict_from_a_process_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _large_spec_text(broken=True)
    in_background = _verdict(text, monkeypatch, "2")
    assert in_background == _verdict(text, monkeypatch, "1")
    assert {d.severity for d in in_background} == {"error", "warning"}
    assert any("body" in d.message for d in in_background if d.severity == "error")
    with pytest.raises(GeneratorError) as refused:
        validate_spec(spec_from(text))
    assert refused.value.diagnostics == in_background


def test_a_valid_large_spec_validated_in_the_background_has_no_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _verdict(_large_spec_text(broken=False), monkeypatch, "2") == []


def test_a_refused_spec_is_reported_as_refused_even_when_a_later_stage_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The stages after validation run while the validator does, on a spec it may refuse:
    what they make of it, an error of their own included, must not hide its verdict."""
    monkeypatch.setenv("SPECFORGE_WORKERS", "2")

    def planner_that_fails(document: Any) -> Any:
        raise KeyError("a later stage tripped over the invalid spec")

    monkeypatch.setattr("generator.schemas.plan_schemas", planner_that_fails)
    with pytest.raises(GeneratorError) as refused:
        pipeline.generate_from_loaded(spec_from(_large_spec_text(broken=True)), "things")
    assert any("body" in d.message and d.severity == "error" for d in refused.value.diagnostics)
