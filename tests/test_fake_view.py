"""generator/fake.py on its own: the examples the fake answers with, and what testing.py
says about each operation, without rendering or running a package."""

from __future__ import annotations

from typing import Any

import pytest
from repo_paths import ROOT

from generator import fake
from generator.examples import example_from_schema, first_example
from generator.ir import Example
from generator.load import load_spec
from generator.operations import operation_views
from generator.pipeline import generate_from_loaded

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Money": {
                "type": "object",
                "required": ["currency", "value"],
                "properties": {
                    "currency": {"type": "string", "enum": ["EUR", "USD"]},
                    "value": {"type": "number", "minimum": 1},
                    "note": {"type": "string"},
                },
            },
            "Node": {
                "type": "object",
                "required": ["child"],
                "properties": {"child": {"$ref": "#/components/schemas/Node"}},
            },
        }
    }
}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "format": "uuid"}, "00000000-0000-4000-8000-000000000000"),
        ({"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z"),
        ({"type": "string", "minLength": 10}, "stringxxxx"),
        ({"type": ["string", "null"], "format": "email"}, "user@example.com"),
        ({"type": "integer", "minimum": 3}, 3),
        ({"type": "boolean"}, False),
        ({"type": "string", "enum": ["b", "a"]}, "b"),
        ({"const": "orders"}, "orders"),
        ({"type": "string", "default": "x", "example": "y"}, "x"),
        ({"type": "string", "examples": ["first", "second"]}, "first"),
        ({"$ref": "#/components/schemas/Money"}, {"currency": "EUR", "value": 1.0}),
        ({"type": "array", "items": {"type": "integer"}}, []),
        ({"type": "array", "minItems": 2, "items": {"type": "integer"}}, [0, 0]),
        ({"oneOf": [{"type": "null"}, {"type": "integer"}]}, 0),
        (
            {"allOf": [{"$ref": "#/components/schemas/Money"}, {"required": ["note"], "properties": {"note": {}}}]},
            {"currency": "EUR", "value": 1.0, "note": None},
        ),
    ],
)
def test_an_example_is_built_from_the_schema(schema: dict[str, Any], expected: Any) -> None:
    assert example_from_schema(DOC, schema) == expected


def test_a_recursive_schema_ends() -> None:
    built = example_from_schema(DOC, {"$ref": "#/components/schemas/Node"})
    depth = 0
    while isinstance(built, dict):
        built, depth = built["child"], depth + 1
    assert built is None and 1 < depth < 10


def test_named_examples_come_before_example() -> None:
    holder = {"examples": {"a": {"value": 1}, "b": {"value": 2}}, "example": 3}
    assert first_example(DOC, holder) == Example(1)
    assert first_example(DOC, {"example": 3}) == Example(3)


def _view(spec: str, name: str) -> Any:
    from generator.build import build_package
    from generator.models import render_models
    from generator.schemas import plan_schemas

    loaded = load_spec(ROOT / spec, spec)
    plan = plan_schemas(loaded.document)
    models = render_models(plan, "# header", spec)
    views = operation_views(loaded.document)
    package, _ = build_package(loaded, plan, models.classes, name, views)
    return fake.testing_view(package, views, plan, models.classes)


def test_the_view_of_an_api_with_servers_paths_and_credentials() -> None:
    view = _view("tests/cases/fake_routing/spec.yaml", "fake_routing")
    assert [op.name for op in view.operations] == [
        '"list_items"',
        '"create_item"',
        '"get_current_item"',
        '"get_item"',
        '"delete_item"',
        '"tag_item"',
    ]
    assert view.server_paths == '("/v2", )'
    assert view.client_arguments == '{"api_key": "fake-api-key"}'
    current = view.operations[2]
    assert current.security == "()"  # security: [] on the operation, no credentials needed
    create = view.operations[1]
    assert create.request_model == "models.NewItem" and create.request_required
    assert any('status="409"' in response and '"name taken"' in response for response in create.responses)
    assert "Literal" in view.typing_imports


def test_the_testing_module_is_part_of_every_package_and_deterministic() -> None:
    loaded = load_spec(ROOT / "specs" / "sitecore_cdp.yaml", "specs/sitecore_cdp.yaml")
    first = generate_from_loaded(loaded, "sitecore_cdp").files
    assert "testing.py" in first and "_fake.py" in first
    assert "import testing" not in first["__init__.py"] and ".testing" not in first["__init__.py"]
    assert generate_from_loaded(loaded, "sitecore_cdp").files["testing.py"] == first["testing.py"]
