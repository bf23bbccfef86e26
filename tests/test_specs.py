"""Quality gate for the hand-written specs in specs/*.yaml and their payload fixtures.

The generator trusts these specs, so every structural, lint, example and fixture problem
must fail here, named precisely, before it turns into a wrong client. The tests at the
bottom break small specs on purpose to prove that each checker really flags problems.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest
import spec_support as support
import yaml


@functools.cache
def _spec(path: Path) -> dict[str, Any]:
    """Each real spec is parsed once per session; tests only read it."""
    return support.load_spec(path)


def _problems(problems: list[str], heading: str) -> str:
    return heading + ":\n  " + "\n  ".join(problems)


SPEC_PATHS = support.spec_paths()
SPEC_IDS = [path.stem for path in SPEC_PATHS]


def _example_cases() -> list[Any]:
    """One case per example; a spec that will not even load still yields a failing case."""
    cases: list[Any] = []
    for path in SPEC_PATHS:
        try:
            examples = list(support.iter_examples(_spec(path)))
        except Exception:
            cases.append(pytest.param(path, None, id=f"{path.stem}:<unloadable>"))
            continue
        cases.extend(pytest.param(path, example, id=f"{path.stem}:{example.location}") for example in examples)
    return cases


def _fixture_cases() -> list[Any]:
    return [
        pytest.param(folder.name, fixture, id=f"{folder.name}/{fixture.name}")
        for folder in support.fixture_folders()
        for fixture in support.fixture_files(folder)
    ]


def _fixture_folder_names() -> list[str]:
    """Every spec needs a fixture folder and every fixture folder needs a spec."""
    names = set(SPEC_IDS) | {folder.name for folder in support.fixture_folders()}
    return sorted(names)


def test_specs_are_discovered() -> None:
    """Without any spec every parametrized test below would silently collect nothing."""
    assert SPEC_PATHS, f"no specs found in {support.SPECS_DIR}/*.yaml"


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=SPEC_IDS)
def test_spec_passes_openapi_spec_validator(spec_path: Path) -> None:
    """The generator reads specs as OpenAPI 3.1; anything the validator rejects is malformed."""
    problems = support.openapi_validator_errors(_spec(spec_path))
    assert not problems, _problems(problems, f"{spec_path.name} fails openapi-spec-validator")


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=SPEC_IDS)
def test_spec_passes_spectral(spec_path: Path) -> None:
    """Spectral's oas ruleset catches spec smells the structural validator accepts."""
    problems = support.spectral_problems(spec_path)
    assert not problems, _problems(problems, f"{spec_path.name} fails Spectral")


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=SPEC_IDS)
def test_spec_string_enums_survive_yaml_1_1(spec_path: Path) -> None:
    """An unquoted `NO` in a string enum loads as False and generates a wrong literal."""
    problems = support.enum_problems(_spec(spec_path))
    assert not problems, _problems(problems, f"{spec_path.name} has non-string enum values")


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=SPEC_IDS)
def test_spec_has_project_shape(spec_path: Path) -> None:
    """Every generated client exposes one secured createOrder call on OpenAPI 3.1.0."""
    problems = support.sanity_problems(_spec(spec_path))
    assert not problems, _problems(problems, f"{spec_path.name} does not have the project shape")


@pytest.mark.parametrize(("spec_path", "example"), _example_cases())
def test_example_matches_its_schema(spec_path: Path, example: support.Example | None) -> None:
    """Examples are served by mock servers and read as documentation, so they must be valid."""
    doc = _spec(spec_path)
    assert example is not None
    problems = support.example_errors(doc, example)
    assert not problems, _problems(problems, f"{spec_path.name}: example does not fit its schema")


@pytest.mark.parametrize(("api", "fixture"), _fixture_cases())
def test_fixture_matches_its_schema(api: str, fixture: Path) -> None:
    """Fixtures drive the client tests; one that drifted from the spec tests nothing real."""
    spec_path = support.SPECS_DIR / f"{api}.yaml"
    assert spec_path.is_file(), f"fixture folder {api!r} has no spec {spec_path.name}"
    problems = support.fixture_errors(_spec(spec_path), fixture)
    assert not problems, _problems(problems, f"{api}/{fixture.name} does not fit the spec")


@pytest.mark.parametrize("api", _fixture_folder_names())
def test_fixture_folder_is_documented(api: str) -> None:
    """The README records where each payload came from and what was repaired."""
    problems = support.fixture_folder_problems(support.FIXTURES_DIR / api)
    assert not problems, _problems(problems, f"fixtures for {api!r} are incomplete")


def _minimal_spec() -> dict[str, Any]:
    """A small spec that passes every checker, to be broken one way at a time below."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Shop",
            "version": "1.0.0",
            "description": "A shop.",
            "contact": {"name": "Shop", "url": "https://shop.example.com"},
        },
        "servers": [{"url": "https://shop.example.com/api"}],
        "tags": [{"name": "Orders", "description": "Orders."}],
        "paths": {
            "/orders": {
                "post": {
                    "operationId": "createOrder",
                    "summary": "Create an order",
                    "description": "Creates an order.",
                    "tags": ["Orders"],
                    "security": [{"BearerAuth": []}],
                    "parameters": [
                        {
                            "name": "X-Version",
                            "in": "header",
                            "description": "API version.",
                            "schema": {"type": "string", "enum": ["1", "2"]},
                            "example": "1",
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/OrderRequest"},
                                "examples": {
                                    "basic": {"value": {"sku": "A-1", "quantity": 1}},
                                    "shared": {"$ref": "#/components/examples/WithContact"},
                                },
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Created.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Order"},
                                    "example": {"id": "o-1", "status": "open"},
                                }
                            },
                        },
                        "400": {"$ref": "#/components/responses/BadRequest"},
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer"}},
            "examples": {"WithContact": {"value": {"sku": "B-2", "quantity": 2, "contact": {"email": "a@b.example"}}}},
            "responses": {
                "BadRequest": {
                    "description": "Bad request.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
            "schemas": {
                "OrderRequest": {
                    "type": "object",
                    "required": ["sku", "quantity"],
                    "properties": {
                        "sku": {"type": "string", "example": "A-1"},
                        "quantity": {"type": "integer", "minimum": 1, "examples": [1, 2]},
                        "contact": {"$ref": "#/components/schemas/Contact"},
                    },
                },
                "Contact": {
                    "type": "object",
                    "properties": {"email": {"type": "string", "format": "email", "example": "a@b.example"}},
                },
                "Order": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"type": "string", "enum": ["open", "closed"]},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {"message": {"type": "string"}},
                },
            },
        },
    }


def _write_spec(directory: Path, doc: dict[str, Any], name: str = "shop.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _post(doc: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = doc["paths"]["/orders"]["post"]
    return operation


def test_minimal_spec_is_clean_for_every_offline_checker() -> None:
    """Controls for the negative tests: each must fail only because of what it breaks."""
    doc = _minimal_spec()
    assert support.openapi_validator_errors(doc) == []
    assert support.enum_problems(doc) == []
    assert support.sanity_problems(doc) == []
    assert [e for x in support.iter_examples(doc) for e in support.example_errors(doc, x)] == []


def test_example_walker_finds_every_kind_of_example() -> None:
    """A walker that misses a location would make the example tests pass vacuously."""
    locations = {example.location for example in support.iter_examples(_minimal_spec())}
    assert locations == {
        "/paths/~1orders/post/parameters/0/example",
        "/paths/~1orders/post/requestBody/content/application~1json/examples/basic/value",
        "/paths/~1orders/post/requestBody/content/application~1json/examples/shared/value",
        "/paths/~1orders/post/responses/201/content/application~1json/example",
        "/components/schemas/OrderRequest/properties/sku/example",
        "/components/schemas/OrderRequest/properties/quantity/examples/0",
        "/components/schemas/OrderRequest/properties/quantity/examples/1",
        "/components/schemas/Contact/properties/email/example",
    }


def test_openapi_validator_flags_a_broken_spec(tmp_path: Path) -> None:
    doc = _minimal_spec()
    del _post(doc)["responses"]["201"]["description"]
    doc["info"]["version"] = 1
    problems = support.openapi_validator_errors(support.load_spec(_write_spec(tmp_path, doc)))
    assert any("'description' is a required property" in p for p in problems), problems
    assert any("1 is not of type 'string'" in p for p in problems), problems


def _spectral_codes(problems: list[str]) -> set[str]:
    return {problem.split()[1] for problem in problems if problem.split()[0] in {"error", "warning"}}


def test_spectral_passes_the_clean_spec_and_flags_a_broken_copy(tmp_path: Path) -> None:
    clean = _write_spec(tmp_path, _minimal_spec(), "clean.yaml")
    assert support.spectral_problems(clean) == []
    doc = _minimal_spec()
    del doc["info"]["contact"]
    del _post(doc)["description"]
    _post(doc)["responses"]["201"]["content"]["application/json"]["example"] = {"id": 7}
    problems = support.spectral_problems(_write_spec(tmp_path, doc, "broken.yaml"))
    assert {"info-contact", "operation-description", "oas3-valid-media-example"} <= (
        _spectral_codes(problems)
    ), problems


def test_spectral_missing_is_a_failure_that_says_npm_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support, "SPECTRAL", tmp_path / "node_modules" / ".bin" / "spectral")
    problems = support.spectral_problems(_write_spec(tmp_path, _minimal_spec()))
    assert len(problems) == 1 and "npm ci" in problems[0], problems


def _broken_examples_spec() -> dict[str, Any]:
    doc = _minimal_spec()
    schemas = doc["components"]["schemas"]
    schemas["OrderRequest"]["properties"]["quantity"]["examples"] = [1, 0]
    schemas["Order"]["properties"]["status"]["example"] = "lost"
    schemas["Error"]["examples"] = {"oops": {"value": {"message": "x"}}}
    _post(doc)["parameters"][0]["example"] = "3"
    doc["components"]["examples"]["WithContact"]["value"]["contact"]["email"] = "not-an-email"
    request = _post(doc)["requestBody"]["content"]["application/json"]
    request["examples"]["basic"]["value"] = {"sku": "A-1"}
    return doc


def test_example_checker_flags_each_broken_example(tmp_path: Path) -> None:
    doc = support.load_spec(_write_spec(tmp_path, _broken_examples_spec()))
    failing = {
        example.location: support.example_errors(doc, example)
        for example in support.iter_examples(doc)
        if support.example_errors(doc, example)
    }
    media = "/paths/~1orders/post/requestBody/content/application~1json/examples"
    assert set(failing) == {
        "/components/schemas/OrderRequest/properties/quantity/examples/1",
        "/components/schemas/Order/properties/status/example",
        "/components/schemas/Error/examples",
        "/paths/~1orders/post/parameters/0/example",
        f"{media}/shared/value",
        f"{media}/basic/value",
    }, failing
    assert "is not a 'email'" in " ".join(failing[f"{media}/shared/value"])
    assert "'quantity' is a required property" in " ".join(failing[f"{media}/basic/value"])
    assert "JSON array" in " ".join(failing["/components/schemas/Error/examples"])


def test_example_checker_reports_unresolvable_refs() -> None:
    doc = _minimal_spec()
    doc["components"]["schemas"]["OrderRequest"]["properties"]["contact"] = {
        "$ref": "#/components/schemas/Missing",
        "example": {},
    }
    problems = [e for x in support.iter_examples(doc) for e in support.example_errors(doc, x)]
    assert any("unresolvable" in p for p in problems), problems


def _write_fixtures(folder: Path, fixtures: dict[str, Any]) -> None:
    folder.mkdir(parents=True)
    for name, payload in fixtures.items():
        (folder / name).write_text(json.dumps(payload), encoding="utf-8")


def test_fixture_checker_flags_bad_payloads_and_unknown_statuses(tmp_path: Path) -> None:
    doc = support.load_spec(_write_spec(tmp_path, _minimal_spec()))
    folder = tmp_path / "shop"
    _write_fixtures(
        folder,
        {
            "request.json": {"sku": "A-1", "quantity": 2},
            "request-bad-type.json": {"sku": "A-1", "quantity": "two"},
            "response-201.json": {"id": "o-1"},
            "response-201-bad-enum.json": {"id": "o-1", "status": "lost"},
            "response-400-via-ref.json": {"message": "nope"},
            "response-404.json": {"message": "no such order"},
            "response-default.json": {"message": "nope"},
            "responses-201.json": {"id": "o-1"},
        },
    )
    failing = {
        fixture.name: support.fixture_errors(doc, fixture)
        for fixture in support.fixture_files(folder)
        if support.fixture_errors(doc, fixture)
    }
    assert set(failing) == {
        "request-bad-type.json",
        "response-201-bad-enum.json",
        "response-404.json",
        "response-default.json",
        "responses-201.json",
    }, failing
    assert "not documented" in failing["response-404.json"][0]
    assert "not documented" in failing["response-default.json"][0]
    assert "'two' is not of type 'integer'" in failing["request-bad-type.json"][0]


def test_fixture_checker_uses_the_declared_media_type(tmp_path: Path) -> None:
    doc = _minimal_spec()
    body = _post(doc)["requestBody"]["content"]
    body["application/vnd.api+json"] = body.pop("application/json")
    pointer = support.fixture_schema_pointer(doc, "request.json")
    assert pointer.endswith("/content/application~1vnd.api+json/schema")
    _write_fixtures(tmp_path / "shop", {"request.json": {"sku": 5, "quantity": 1}})
    problems = support.fixture_errors(doc, tmp_path / "shop" / "request.json")
    assert any("5 is not of type 'string'" in p for p in problems), problems


def test_fixture_folder_checker_flags_missing_readme_and_spec(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    _write_spec(specs, _minimal_spec())
    documented = tmp_path / "fixtures" / "shop"
    _write_fixtures(documented, {"request.json": {}})
    (documented / "README.md").write_text("# Shop fixtures\n", encoding="utf-8")
    orphan = tmp_path / "fixtures" / "orphan"
    _write_fixtures(orphan, {"request.json": {}})
    assert support.fixture_folder_problems(documented, specs) == []
    problems = support.fixture_folder_problems(orphan, specs)
    assert any("README.md is missing" in p for p in problems), problems
    assert any("no matching spec" in p for p in problems), problems
    assert support.fixture_folder_problems(tmp_path / "fixtures" / "absent", specs)


def test_enum_checker_flags_yaml_1_1_booleans(tmp_path: Path) -> None:
    text = yaml.safe_dump(_minimal_spec(), sort_keys=False).replace(
        "enum:\n          - open\n          - closed",
        "enum:\n          - open\n          - closed\n          - yes\n          - off",
    )
    assert "- yes" in text
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    problems = support.enum_problems(support.load_spec(path))
    assert problems == [
        "/components/schemas/Order/properties/status/enum/2: True (bool) in a string enum; " "quote it in the YAML",
        "/components/schemas/Order/properties/status/enum/3: False (bool) in a string enum; " "quote it in the YAML",
    ]


def test_enum_checker_allows_null_only_for_nullable_strings() -> None:
    doc = _minimal_spec()
    status = doc["components"]["schemas"]["Order"]["properties"]["status"]
    status.update({"type": ["string", "null"], "enum": ["open", None]})
    assert support.enum_problems(doc) == []
    status["type"] = "string"
    assert support.enum_problems(doc) == [
        "/components/schemas/Order/properties/status/enum/1: None (NoneType) in a string enum; " "quote it in the YAML"
    ]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: d.update(openapi="3.0.3"), "openapi is '3.0.3'"),
        (lambda d: _post(d).update(operationId="placeOrder"), "operationId is 'placeOrder'"),
        (lambda d: _post(d).update(security=[{"ApiKey": []}]), "does not define"),
        (lambda d: _post(d).update(security=[{}]), "no security requirement"),
        (
            lambda d: d["paths"].update({"/orders/{id}": {"get": copy.deepcopy(_post(d))}}),
            "exactly one operation",
        ),
    ],
    ids=["openapi-version", "operation-id", "undefined-scheme", "anonymous-only", "two-ops"],
)
def test_sanity_checker_flags_wrong_shape(breakage: Any, expected: str) -> None:
    doc = _minimal_spec()
    breakage(doc)
    problems = support.sanity_problems(doc)
    assert any(expected in p for p in problems), problems


# --- The specs against the vendor pages they were written from -------------------------

SEEDS = support.seeds_dir()
needs_pages = pytest.mark.skipif(
    SEEDS is None,
    reason=f"vendor pages not found: set ${support.SEEDS_ENV} or keep them in ../shared/seeds",
)
FIELD_LIST_APIS = ["musement", "sitecore_cdp"]


def _page(api: str) -> str:
    assert SEEDS is not None
    return (SEEDS / support.SEED_PAGES[api]).read_text(encoding="utf-8")


@needs_pages
@pytest.mark.parametrize("api", FIELD_LIST_APIS)
def test_every_printed_field_is_in_the_spec_as_printed(api: str) -> None:
    """Each `- `field` (type, required)` entry of the reference page: present, same type,
    same required flag, and the printed example value on the property."""
    fields = support.printed_fields(_page(api))
    assert fields, f"no field entries read from {support.SEED_PAGES[api]}"
    problems = [
        p for field in fields for p in support.printed_field_problems(_spec(support.SPECS_DIR / f"{api}.yaml"), field)
    ]
    assert not problems, _problems(problems, f"{api}: {len(fields)} printed fields, some differ")


@needs_pages
@pytest.mark.parametrize("api", FIELD_LIST_APIS)
def test_spec_requires_only_what_the_page_requires(api: str) -> None:
    """A required list on a shared component applies wherever it is used, so each place must
    be one the page marks required; otherwise printed examples fail to validate."""
    problems = support.unprinted_required_paths(
        _spec(support.SPECS_DIR / f"{api}.yaml"), support.printed_fields(_page(api))
    )
    assert not problems, _problems(problems, f"{api} requires fields the page does not")


@needs_pages
def test_every_commercelayer_table_row_is_in_the_spec_with_its_type() -> None:
    """All rows of the "Arguments" table in the request, with their printed types and flags;
    server-set ones readOnly (so the request model leaves them out) and in the response."""
    rows = support.table_rows(_page("commercelayer"))
    assert rows and len({row.label for row in rows}) == len(rows), [row.label for row in rows]
    problems = support.table_problems(_spec(support.SPECS_DIR / "commercelayer.yaml"), rows)
    assert not problems, _problems(problems, f"commercelayer: {len(rows)} table rows, some differ")


def test_commercelayer_relationship_types_are_restricted_as_printed() -> None:
    """The example request links each relationship with a resource type; the spec accepts
    only that type for it."""
    doc = _spec(support.SPECS_DIR / "commercelayer.yaml")
    payload = json.loads((support.FIXTURES_DIR / "commercelayer" / "request.json").read_text(encoding="utf-8"))
    request = support.child_schema(doc, support.section_schema(doc, "request"), "data")[1]
    _, relationships = support.child_schema(doc, request, "relationships")
    linked = payload["data"]["relationships"]
    assert linked
    for name, relationship in linked.items():
        _, data = support.child_schema(doc, relationships, name)
        _, identifier_type = support.child_schema(doc, support.child_schema(doc, data, "data")[1], "type")
        assert identifier_type.get("enum") == [relationship["data"]["type"]], (name, identifier_type)


# Small pages in the vendors' two layouts, to prove that the page checkers flag each kind
# of difference; they are aimed at _minimal_spec() and at copies of the real specs.
FIELD_PAGE = """\
## Header parameters: - `X-Version` (string) API version. Example: "3" - `X-Missing` (string)
## Request fields (application/json): - `sku` (string, required) Example: "A-1"
 - `quantity` (string, required) How many. - `note` (string) Not in the spec.
## Response 201 fields (application/json):

  - `id` (string)
    Identifier.
    Example: "o-1"

  - `status` (string)
    Example: "lost"
"""


def test_printed_field_checker_flags_each_difference() -> None:
    doc = _minimal_spec()
    fields = support.printed_fields(FIELD_PAGE)
    assert [(f.section, f.path, f.type, f.required) for f in fields] == [
        ("header", "X-Version", "string", False),
        ("header", "X-Missing", "string", False),
        ("request", "sku", "string", True),
        ("request", "quantity", "string", True),
        ("request", "note", "string", False),
        ("201", "id", "string", False),
        ("201", "status", "string", False),
    ]
    problems = {f.path: support.printed_field_problems(doc, f) for f in fields}
    assert problems["sku"] == []
    assert problems["X-Version"] == ["header X-Version: printed example '3', spec has '1'"]
    assert "no such header parameter" in " ".join(problems["X-Missing"])
    assert "printed type string" in " ".join(problems["quantity"])
    assert "not in the spec" in " ".join(problems["note"])
    assert "printed not required, spec disagrees" in " ".join(problems["id"])
    assert "printed example 'lost'" in " ".join(problems["status"])


def test_required_checker_follows_shared_components() -> None:
    doc = _minimal_spec()
    fields = support.printed_fields(FIELD_PAGE)
    assert support.unprinted_required_paths(doc, fields) == [
        "201 id: required in the spec, not printed as required on the page"
    ]
    doc["components"]["schemas"]["Contact"]["required"] = ["email"]
    assert "request contact.email: required in the spec, not printed as required on the page" in (
        support.unprinted_required_paths(doc, fields)
    )


TABLE_PAGE = """\
### Arguments

| Body Parameter | Type | Required |
| :--- | :--- | :--- |
| **type** | `string` | Required |
| attributes.**guest** | `boolean` | optional |
| attributes.**tax_rate** | `float` |  |
| attributes.**skus_count** | `integer` |  |
| attributes.**token** | `string` |  |
| attributes.**_place** | `integer, value is '1'` |  |
| attributes.**created_at** | `datetime` | required |
| relationships.**market** | `has_one` | required |
| relationships.**line_items** | `has_many` |  |

### Example
"""


def test_table_reader_refuses_a_row_it_cannot_read() -> None:
    rows = support.table_rows(TABLE_PAGE)
    assert [row.label for row in rows][:3] == ["type", "attributes.guest", "attributes.tax_rate"]
    assert rows[0].line == 5 and rows[0].required and not rows[1].required
    with pytest.raises(ValueError, match="line 6: table row not understood"):
        support.table_rows(TABLE_PAGE.replace("attributes.**guest**", "attributes.guest"))


def test_table_checker_flags_each_difference() -> None:
    rows = support.table_rows(TABLE_PAGE)
    doc = copy.deepcopy(_spec(support.SPECS_DIR / "commercelayer.yaml"))
    assert support.table_problems(doc, rows) == []
    schemas = doc["components"]["schemas"]
    attributes = schemas["OrderCreateAttributes"]["properties"]
    del attributes["tax_rate"]
    attributes["skus_count"]["type"] = "string"
    del attributes["token"]["readOnly"]
    schemas["OrderCreateRelationships"]["required"] = []
    schemas["OrderCreateRelationships"]["properties"]["line_items"]["$ref"] = "#/components/schemas/ToOneRelationship"
    schemas["OrderAttributes"]["required"] = []
    schemas["OrderAttributes"]["properties"]["_place"] = {"type": "integer"}
    problems = "\n".join(support.table_problems(doc, rows))
    for expected in (
        "attributes.tax_rate (float, blank): not in the request body",
        "attributes.skus_count (integer, blank): printed 'integer' means type: 'integer', spec has 'string'",
        "attributes.token (string, blank): readOnly is False, but server-set is True",
        "relationships.market (has_one, required): in the request's required list: False",
        "relationships.line_items (has_many, blank): printed has_many, but `data` is 'object'",
        "attributes.created_at (datetime, required): printed required and set by the server, but not required",
        "attributes._place (integer, value is '1', blank): write-only, but the response has it",
    ):
        assert expected in problems, problems
