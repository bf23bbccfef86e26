"""openapi-spec-validator's run in a helper process while the models are planned
(generator/validate.py ``start_validation`` with the formatting pool's helpers): the verdict
is the one the same spec gets when everything runs in this process, and a refused spec is
reported as refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.errors import Diagnostic, GeneratorError
from generator.format import BlockPool
from generator.validate import start_validation, validate_spec

from .stages import DeadHelper, spec_from


def _large_spec_text(*, broken: bool) -> str:
    """Some hundred operations and schemas; ``broken``: one parameter says ``in: body``
    (an error) and one response has no description (a warning)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for number in range(150):
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


def _verdict(text: str, helpers: int) -> list[Diagnostic]:
    with BlockPool(helpers) as pool:
        validation = start_validation(spec_from(text), pool)
        assert (validation._running is not None) == (helpers > 0)
        try:
            return validation.result()
        except GeneratorError as refused:
            return refused.diagnostics


def test_a_spec_gets_the_same_verdict_from_a_helper_as_from_this_process() -> None:
    text = _large_spec_text(broken=True)
    in_background = _verdict(text, 1)
    assert in_background == _verdict(text, 0)
    assert {d.severity for d in in_background} == {"error", "warning"}
    assert any("body" in d.message for d in in_background if d.severity == "error")
    with pytest.raises(GeneratorError) as refused:
        validate_spec(spec_from(text))
    assert refused.value.diagnostics == in_background


def test_a_valid_spec_validated_in_a_helper_has_no_problems() -> None:
    assert _verdict(_large_spec_text(broken=False), 1) == []


def _spec_with_fixes(*, broken: bool) -> str:
    """The large spec with two keywords the validator would refuse and the generator leaves
    out with a warning: a tuple-form ``items`` and a 3.1-style ``exclusiveMinimum``."""
    document = json.loads(_large_spec_text(broken=broken))
    thing = document["components"]["schemas"]["Thing3"]["properties"]
    thing["tags"]["items"] = [{"type": "string", "minLength": 1}]
    thing["count"] = {"type": "integer", "exclusiveMinimum": 0}
    return json.dumps(document, indent=1)


@pytest.mark.parametrize("broken", [False, True])
def test_the_keywords_left_out_for_the_validator_are_left_out_in_a_helper_too(broken: bool) -> None:
    """The helper builds the validator's copy of the document itself, from the spec and
    the fixes found here: the verdict, warnings and errors alike, is this process's."""
    text = _spec_with_fixes(broken=broken)
    in_background = _verdict(text, 1)
    assert in_background == _verdict(text, 0)
    warned = [d.message for d in in_background if d.severity == "warning"]
    assert any("tuple form" in message for message in warned)
    assert any("exclusiveMinimum" in message for message in warned)
    assert any(d.severity == "error" for d in in_background) == broken


def test_validating_here_leaves_the_loaded_document_as_it_was() -> None:
    spec = spec_from(_spec_with_fixes(broken=False))
    before = json.dumps(spec.document, sort_keys=True)
    assert start_validation(spec).result() != []
    assert start_validation(spec).fixes
    assert json.dumps(spec.document, sort_keys=True) == before


def test_a_helper_that_dies_leaves_the_verdict_to_this_process() -> None:
    text = _large_spec_text(broken=True)
    validation = start_validation(spec_from(text), DeadHelper())
    with pytest.raises(GeneratorError) as refused:
        validation.result()
    assert refused.value.diagnostics == _verdict(text, 0)


@pytest.mark.parametrize("helpers", [0, 1])
def test_a_refused_spec_is_reported_as_refused_even_when_a_later_stage_fails(
    helpers: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stages after validation run while the validator does, on a spec it may refuse:
    what they make of it, an error of their own included, must not hide its verdict."""

    def planner_that_fails(*stage_input: Any) -> Any:
        raise KeyError("a later stage tripped over the invalid spec")

    monkeypatch.setattr("generator.schemas.plan_schemas", planner_that_fails)
    spec = tmp_path / "things.json"
    spec.write_text(_large_spec_text(broken=True), encoding="utf-8")
    with BlockPool(helpers) as pool:
        (outcome,) = pipeline.generate_packages([(spec, "things")], pool)
    assert outcome.result is None
    assert any("body" in d.message and d.severity == "error" for d in outcome.problems)


@pytest.mark.parametrize("helpers", [0, 1])
def test_a_refused_spec_is_refused_while_the_next_one_is_generated(helpers: int, tmp_path: Path) -> None:
    """The next spec is rendered while the validator still checks the one before: the
    verdict still decides, spec by spec."""
    refused, accepted = tmp_path / "refused.json", tmp_path / "accepted.json"
    refused.write_text(_large_spec_text(broken=True), encoding="utf-8")
    accepted.write_text(_large_spec_text(broken=False), encoding="utf-8")
    with BlockPool(helpers) as pool:
        first, second = pipeline.generate_packages([(refused, "refused"), (accepted, "accepted")], pool)
    expected = _verdict(refused.read_text(encoding="utf-8"), 0)
    assert first.result is None
    assert [(d.line, d.severity, d.message) for d in first.problems] == [
        (d.line, d.severity, d.message) for d in expected
    ]
    assert second.problems == []
    assert second.result is not None and "client.py" in second.result.files
