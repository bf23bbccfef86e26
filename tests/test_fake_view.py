"""generator/fake.py on its own: what testing.py says about each operation, without
rendering or running a package (the examples it answers with: tests/unit/test_examples.py)."""

from __future__ import annotations

from typing import Any

from repo_paths import ROOT

from generator import fake
from generator.load import load_spec
from generator.operations import operation_views


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
    assert view.server_paths == '("/v2",)'
    assert view.client_arguments == '{"api_key": "fake-api-key"}'
    current = view.operations[2]
    assert current.security == "()"  # security: [] on the operation, no credentials needed
    create = view.operations[1]
    assert create.request_model == "models.NewItem" and create.request_required
    assert any('status="409"' in response and '"name taken"' in response for response in create.responses)
    assert "Literal" in view.typing_imports
