"""The validator as generator/spec_validator.py sets it up for speed: its check against
OpenAPI's JSON Schema asked of jsonschema-rs first, and its walk of the schema objects
keeping what it has seen in sets. Both may only ever save time: every spec the tests hold,
and documents broken on purpose, get the verdict and the words of openapi-spec-validator
as it comes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for
from openapi_spec_validator import schemas

from generator import spec_validator
from generator.errors import GeneratorError
from generator.load import load_spec
from generator.spec_validator import run_spec_validator, validator_class
from generator.validate import _with_text_keys

from .stages import loaded, openapi, spec_from

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = {"3.0": schemas.schema_v30, "3.1": schemas.schema_v31, "3.2": schemas.schema_v32}


def _spec_files() -> Iterator[Path]:
    for folder in ("specs", "tests"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
                yield path


def _documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in _spec_files():
        try:
            document = load_spec(path, path.name).document
        except GeneratorError:
            continue
        if isinstance(document.get("openapi"), str) and document["openapi"][:3] in SCHEMAS:
            # as the validator gets it: YAML's number keys (``200:``) made text
            yield str(path.relative_to(REPO)), _with_text_keys(document)


def _jsonschema_errors(document: dict[str, Any]) -> list[str]:
    schema = SCHEMAS[document["openapi"][:3]]
    return sorted(error.message for error in validator_for(schema)(schema).iter_errors(document))


def _with_jsonschema_alone(version: str) -> type:
    base = validator_class(version).__mro__[1]
    schema = SCHEMAS[version]
    return type(base.__name__, (base,), {"schema_validator": validator_for(schema)(schema)})


def test_the_repository_holds_specs_of_each_verdict() -> None:
    verdicts = {not _jsonschema_errors(document) for _, document in _documents()}
    assert verdicts == {True, False}


@pytest.mark.parametrize(("name", "document"), list(_documents()), ids=lambda value: str(value)[:60])
def test_jsonschema_rs_passes_only_what_jsonschema_passes(name: str, document: dict[str, Any]) -> None:
    compiled = validator_class(document["openapi"][:3]).schema_validator
    assert sorted(error.message for error in compiled.iter_errors(document)) == _jsonschema_errors(document)


def _paths(document: dict[str, Any]) -> dict[str, Any]:
    return document["paths"]


def _operation() -> dict[str, Any]:
    return openapi(
        {
            "/pets/{id}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    )


BREAKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "info version a number": lambda d: d["info"].update(version=1),
    "no info": lambda d: d.pop("info"),
    "parameter in body": lambda d: _paths(d)["/pets/{id}"]["get"]["parameters"][0].update({"in": "body"}),
    "unknown operation field": lambda d: _paths(d)["/pets/{id}"]["get"].update(summery="typo"),
    "responses a list": lambda d: _paths(d)["/pets/{id}"]["get"].update(responses=[]),
    "schema type unknown": lambda d: d["components"]["schemas"]["Pet"].update(type="struct"),
    "property schema a string": lambda d: d["components"]["schemas"]["Pet"]["properties"].update(age="int"),
    "path key without slash": lambda d: _paths(d).update({"pets": {}}),
    "response without description": lambda d: _paths(d)["/pets/{id}"]["get"]["responses"]["200"].clear(),
    "server url a number": lambda d: d.update(servers=[{"url": 5}]),
    # Found by the validator's walk of the schema objects, not by the JSON Schema check.
    "walk: default of the wrong type": lambda d: d["components"]["schemas"]["Pet"]["properties"]["name"].update(
        default=5
    ),
    "walk: required beside allOf": lambda d: d["components"]["schemas"].update(
        Cat={
            "allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"lives": {"type": "integer"}}}],
            "required": ["claws"],
        },
        Dog={"allOf": [{"$ref": "#/components/schemas/Pet"}], "properties": {"bark": {"default": []}}},
    ),
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0", "3.2.0"])
@pytest.mark.parametrize("broken", sorted(BREAKS))
def test_a_broken_spec_is_reported_in_jsonschema_words(
    version: str, broken: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _operation()
    document["openapi"] = version
    BREAKS[broken](document)
    # From 3.1, OpenAPI's schema leaves schema objects to their dialect, so two breaks pass
    # it; 3.2 no longer requires a response's description.
    passes = (version != "3.0.3" and broken.startswith(("schema", "prop"))) or (
        version == "3.2.0" and broken == "response without description"
    )
    assert bool(_jsonschema_errors(document)) == (not broken.startswith("walk:") and not passes)
    spec = loaded(document)
    ours = list(run_spec_validator(spec, copy.deepcopy(document)))
    alone = _with_jsonschema_alone(version[:3])
    monkeypatch.setattr(spec_validator, "validator_class", lambda _: alone)
    assert ours == list(run_spec_validator(spec, copy.deepcopy(document)))
    if passes:
        return
    assert any(d.severity == "error" for d in ours) or broken in (
        "response without description",
        "walk: required beside allOf",
    )
    assert ours


def test_a_document_jsonschema_rs_cannot_take_is_checked_by_jsonschema() -> None:
    # An explicit YAML tag makes a value JSON has no type for.
    spec = spec_from("""
        openapi: 3.0.3
        info: {title: T, version: !!timestamp 2024-01-31}
        paths: {}
        """)
    with pytest.raises(ValueError):
        validator_class("3.0").schema_validator.compiled.is_valid(spec.document)
    messages = [diagnostic.message for diagnostic in run_spec_validator(spec, spec.document)]
    assert any("is not of type 'string'" in message for message in messages), messages
