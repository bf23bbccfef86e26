"""The fake's view of each operation (generator/fake.py): what testing.py checks of a parameter."""

from __future__ import annotations

from typing import Any

import pytest

from generator import fake
from generator.operations import operation_views
from generator.schemas import plan_schemas

from .stages import loaded, openapi, package_of


@pytest.mark.parametrize(
    ("parameter", "described"),
    [
        (
            {"name": "q", "in": "query", "schema": {"type": "string"}},
            '_fake.FakeParameter(name="q", location="query", required=False, type=str)',
        ),
        (
            {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
            '_fake.FakeParameter(name="ids", location="query", required=False, type=int, many=True)',
        ),
        (
            {"name": "f", "in": "query", "style": "deepObject", "explode": True, "schema": {"type": "object"}},
            '_fake.FakeParameter(name="f", location="query", required=False, type=Any, style="deepObject")',
        ),
        (
            {
                "name": "tags",
                "in": "query",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "object"}},
            },
            # Items that are objects are not checked one by one: how they are split is not known.
            '_fake.FakeParameter(name="tags", location="query", required=False, type=Any)',
        ),
        (
            {"name": "mode", "in": "header", "required": True, "schema": {"enum": ["a", "b"]}},
            '_fake.FakeParameter(name="mode", location="header", required=True, type=Literal["a", "b"])',
        ),
    ],
)
def test_each_parameter_is_described_for_the_fake(parameter: dict[str, Any], described: str) -> None:
    operation = {"operationId": "op", "parameters": [parameter], "responses": {"204": {"description": "-"}}}
    document = openapi({"/a": {"get": operation}})
    spec = loaded(document)
    views = operation_views(spec.document)
    view = fake.testing_view(package_of(document), views, plan_schemas(spec.document), {})
    (fake_operation,) = view.operations
    assert fake_operation.parameters == (described,)
