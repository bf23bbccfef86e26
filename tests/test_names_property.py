"""Property-based: random small specs full of hostile names and strings still make good code.

Hypothesis builds specs whose schema, property, enum, parameter and operation names are
drawn from Python keywords, builtins, pydantic attributes, names starting with digits,
non-ASCII and colliding spellings, and whose descriptions, defaults and enum values hold
quotes, triple quotes, backslashes, newlines, Jinja delimiters, control characters and
long text. Each spec goes through the pure core in-process; the package is written to a
temporary folder and imported, and the test checks that every string survived: wire names
as aliases and request keys, defaults and enum values exactly, docstring text up to
whitespace. ``SPEC_EXAMPLES`` specs run per test run (at least 500, as CI requires).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import itertools
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from case_support import COMMON_KEYWORDS
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.load import LoadedSpec, SourceMap
from generator.pipeline import generate_from_loaded

SPEC_EXAMPLES = int(__import__("os").environ.get("SPEC_EXAMPLES", "500"))

AWKWARD_NAMES = [
    "class",
    "from",
    "import",
    "type",
    "model_config",
    "model_fields",
    "model_dump",
    "json",
    "schema",
    "dict",
    "copy",
    "validate",
    "self",
    "None",
    "True",
    "__init__",
    "_private",
    "2fa",
    "123",
    "order-id",
    "order_id",
    "orderId",
    "OrderID",
    "Ünïcödé",
    "名前",
    "a b",
    "-",
    "$ref",
    "id",
    "body",
    "timeout",
    "extra_headers",
    "close",
    "field",
    "Field",
    "BaseModel",
    "list",
    "x" * 80,
    "a.b",
    "a/b",
    "@type",
    "__class__",
    "mro",
    "name",
    "value",
]
AWKWARD_TEXT = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\n",
    "\r\n",
    "{{ x }}",
    "{% if x %}",
    "{#",
    "\t",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u2028",
    "\x85",
    "é",
    "😀",
    "#",
    "# noqa",
    "'''\"\"\"\\",
    'end with quote"',
    "end with backslash\\",
    "L" * 300,
]

names = st.one_of(
    st.sampled_from(AWKWARD_NAMES),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12),
)
# OpenAPI allows only these characters in a component's name.
component_names = names.map(lambda n: "".join(c for c in n if c.isascii() and (c.isalnum() or c in "._-"))).filter(bool)
texts = st.one_of(
    st.sampled_from(AWKWARD_TEXT),
    st.lists(st.sampled_from(AWKWARD_TEXT), min_size=2, max_size=4).map("".join),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    properties = draw(st.dictionaries(names, texts, min_size=1, max_size=5))
    enum_values = draw(st.lists(st.one_of(st.sampled_from(AWKWARD_NAMES), texts), min_size=1, max_size=6, unique=True))
    schema_names = draw(st.lists(component_names, min_size=2, max_size=2, unique=True))
    params = draw(st.lists(st.tuples(names, st.sampled_from(["query", "header", "cookie"])), max_size=4, unique=True))
    operation_ids = draw(st.lists(names, min_size=2, max_size=2, unique=True))
    model, choice = schema_names
    ref = {"$ref": f"#/components/schemas/{_escape(model)}"}
    return {
        "openapi": version,
        "info": {"title": draw(texts), "version": draw(texts), "description": draw(texts)},
        "paths": {
            "/things/{thing_id}": {
                "post": {
                    "operationId": operation_ids[0],
                    "summary": draw(texts),
                    "description": draw(texts),
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        *(
                            {"name": name, "in": where, "schema": {"type": "string"}, "description": draw(texts)}
                            for name, where in params
                        ),
                    ],
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {
                        "200": {"description": draw(texts), "content": {"application/json": {"schema": ref}}},
                        "400": {"description": draw(texts)},
                    },
                }
            },
            "/choices": {
                "get": {
                    "operationId": operation_ids[1],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": f"#/components/schemas/{_escape(choice)}"}}
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                model: {
                    "type": "object",
                    "description": draw(texts),
                    "properties": {
                        name: {"type": "string", "description": draw(texts), "default": default}
                        for name, default in properties.items()
                    },
                },
                choice: {"type": "string", "description": draw(texts), "enum": enum_values},
            }
        },
    }


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


_counter = itertools.count()


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("property_packages")
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


def _squash(text: str) -> str:
    return " ".join(text.split())


@settings(
    max_examples=SPEC_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: keeps a failing CI run short
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(spec=specs())
def test_random_hostile_spec_generates_importable_code_that_keeps_strings(
    spec: dict[str, Any], package_dir: Path
) -> None:
    name = f"prop_{next(_counter)}"
    loaded = LoadedSpec(Path("spec.yaml"), "spec.yaml", spec, SourceMap("spec.yaml"), "0" * 64)
    result = generate_from_loaded(loaded, name)

    for rel, text in result.files.items():
        target = package_dir / name / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if rel.endswith(".py"):
            compile(text, rel, "exec", dont_inherit=True)
    package = importlib.import_module(name)
    models = importlib.import_module(f"{name}.models")

    model_name, choice_name = list(spec["components"]["schemas"])
    model_schema = spec["components"]["schemas"][model_name]
    choice_schema = spec["components"]["schemas"][choice_name]

    # Every property keeps its wire name as alias and its default exactly.
    model_classes = [getattr(models, n) for n in models.__all__ if hasattr(getattr(models, n), "model_fields")]
    by_alias = {(field.alias or attr): field for cls in model_classes for attr, field in cls.model_fields.items()}
    for wire, prop in model_schema["properties"].items():
        assert wire in by_alias, (wire, sorted(by_alias))
        assert by_alias[wire].default == prop["default"]

    # Every enum value survives, distinct (values equal once stripped of case stay apart).
    enums = [
        getattr(models, n)
        for n in models.__all__
        if isinstance(getattr(models, n), type) and issubclass(getattr(models, n), enum.Enum)
    ]
    assert any(sorted(m.value for m in e) == sorted(choice_schema["enum"]) for e in enums), enums

    # Operation text reaches the docstring (black may re-indent it; the words stay).
    operation = spec["paths"]["/things/{thing_id}"]["post"]
    methods = [m for n, m in inspect.getmembers(package.Client, inspect.isfunction) if not n.startswith("_")]
    docs = [_squash(inspect.getdoc(m) or "") for m in methods]
    summary = _squash(operation["summary"])
    assert any(summary in doc for doc in docs), (summary, docs)

    # Parameters go out under their wire names.
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    first = next(m for m in methods if "thing_id" in inspect.signature(m).parameters)
    keywords = [
        p
        for p in inspect.signature(first).parameters
        # the per-call options every method has are not parameters of the spec
        if p not in COMMON_KEYWORDS | {"body", "thing_id"}
    ]
    query_wires = sorted(p["name"] for p in operation["parameters"] if p["in"] == "query")
    client = package.Client(
        base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    try:
        getattr(client, first.__name__)(thing_id="t", **{k: "v" for k in keywords})
    except (UnicodeEncodeError, httpx.InvalidURL, httpx.LocalProtocolError, ValueError):
        return  # httpx refuses a header or cookie name no server would accept; not our concern
    assert sorted(set(sent[0].url.params.keys())) == sorted(set(query_wires))
