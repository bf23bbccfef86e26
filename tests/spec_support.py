"""Checks behind tests/test_specs.py, kept free of pytest so each can be aimed at a tmp spec.

Every checker returns a list of human-readable problems (empty means clean) instead of
asserting, so the real specs and the deliberately broken copies in the negative tests go
through exactly the same code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012
from repo_paths import FIXTURES, ROOT, SPECS

from generator.spec_validator import validator_class

REPO_ROOT, SPECS_DIR, FIXTURES_DIR = ROOT, SPECS, FIXTURES
SPECTRAL = REPO_ROOT / "node_modules" / ".bin" / "spectral"
SPECTRAL_RULESET = REPO_ROOT / ".spectral.yaml"
SPECTRAL_TIMEOUT_SECONDS = 120
SPEC_URI = "urn:specforge:spec"

EXPECTED_OPENAPI = "3.1.0"
EXPECTED_OPERATION_ID = "createOrder"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

NAMED_MAP_KEYS = frozenset({"paths", "webhooks", "responses", "content", "headers", "callbacks", "encoding"})
OPAQUE_KEYS = frozenset({"example", "examples", "links", "value", "externalValue"})
SUBSCHEMA_MAP_KEYS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SUBSCHEMA_KEYS = (
    "additionalProperties",
    "items",
    "additionalItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
SUBSCHEMA_LIST_KEYS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")

FIXTURE_NAME = re.compile(
    r"^(?:(?P<request>request)|response-(?P<status>[1-5](?:\d\d|XX)|default))"
    r"(?:-(?P<label>[A-Za-z0-9][A-Za-z0-9_.-]*))?\.json$"
)
JSON_MEDIA_TYPE = re.compile(r"^application/(?:[\w.-]+\+)?json(?:\s*;.*)?$", re.IGNORECASE)
MAX_MESSAGE_CHARS = 300

Parts = tuple[str | int, ...]


class SpecShapeError(Exception):
    """A fixture cannot be tied to a schema because the spec lacks what the name implies."""


@dataclass(frozen=True)
class Located:
    """A schema, or an object holding `schema` next to examples, and where it sits."""

    kind: str
    parts: Parts
    node: Mapping[str, Any]


@dataclass(frozen=True)
class Example:
    """One example value and the JSON pointer of the schema it has to satisfy.

    `shape_error` is set when the example is malformed (for instance schema `examples`
    written as a 3.0-style map), so that it fails instead of being silently ignored.
    """

    location: str
    schema_pointer: str
    value: Any
    shape_error: str | None = None


def spec_paths(specs_dir: Path = SPECS_DIR) -> list[Path]:
    """Specs are discovered, never listed, so a new spec is checked the moment it lands."""
    return sorted(specs_dir.glob("*.yaml"))


def load_spec(path: Path) -> dict[str, Any]:
    """Loads with safe_load on purpose: YAML 1.1 coercions must show up as they would in use."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict):
        raise ValueError(f"{path.name}: top level is {type(doc).__name__}, not a mapping")
    return doc


def pointer(parts: Parts) -> str:
    """Builds an RFC 6901 pointer so failures name the exact place in the spec."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _split_pointer(ptr: str) -> list[str]:
    return [s.replace("~1", "/").replace("~0", "~") for s in ptr.split("/")[1:]] if ptr else []


def resolve_pointer(doc: Any, ptr: str) -> Any:
    """Follows a local pointer; raises KeyError naming the pointer when it leads nowhere."""
    node = doc
    for segment in _split_pointer(ptr):
        if isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        elif isinstance(node, dict) and segment in node:
            node = node[segment]
        else:
            raise KeyError(f"{ptr!r} does not resolve in the spec")
    return node


def follow_refs(doc: Any, node: Any) -> Any:
    """``node``, or the object its chain of local ``$ref``s ends at: the tests' one resolver."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = resolve_pointer(doc, node["$ref"].removeprefix("#"))
    return node


def follow_local_refs(doc: Mapping[str, Any], ptr: str) -> str:
    """Resolves Reference Objects (responses, request bodies, examples) to their target pointer."""
    seen: set[str] = set()
    node = resolve_pointer(doc, ptr)
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#") or ref in seen:
            raise SpecShapeError(f"{ptr}: cannot follow $ref {ref!r}")
        seen.add(ref)
        ptr = ref[1:]
        node = resolve_pointer(doc, ptr)
    return ptr


def _walk_named(node: Any, parts: Parts) -> Iterator[Located]:
    if not isinstance(node, dict):
        return
    for name, value in node.items():
        if not str(name).startswith("x-"):
            yield from _walk_object(value, (*parts, name))


def _walk_components(node: Any, parts: Parts) -> Iterator[Located]:
    if not isinstance(node, dict):
        return
    for kind, named in node.items():
        if kind == "schemas" and isinstance(named, dict):
            for name, schema in named.items():
                yield from _walk_schema(schema, (*parts, kind, name))
        elif kind not in OPAQUE_KEYS and not str(kind).startswith("x-"):
            yield from _walk_named(named, (*parts, kind))


def _walk_object(node: Any, parts: Parts) -> Iterator[Located]:
    """Walks non-schema OpenAPI objects; keys of named maps are names, never keywords."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk_object(item, (*parts, index))
        return
    if not isinstance(node, dict):
        return
    if "schema" in node:
        yield Located("holder", parts, node)
        yield from _walk_schema(node["schema"], (*parts, "schema"))
    for key, value in node.items():
        if key == "schema" or key in OPAQUE_KEYS or str(key).startswith("x-"):
            continue
        if key == "components" and not parts:
            yield from _walk_components(value, (key,))
        elif key in NAMED_MAP_KEYS:
            yield from _walk_named(value, (*parts, key))
        else:
            yield from _walk_object(value, (*parts, key))


def _walk_schema(schema: Any, parts: Parts) -> Iterator[Located]:
    if not isinstance(schema, dict):
        return
    yield Located("schema", parts, schema)
    for key in SUBSCHEMA_MAP_KEYS:
        children = schema.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from _walk_schema(child, (*parts, key, name))
    for key in SUBSCHEMA_KEYS:
        if isinstance(schema.get(key), dict):
            yield from _walk_schema(schema[key], (*parts, key))
    for key in SUBSCHEMA_LIST_KEYS:
        if isinstance(schema.get(key), list):
            for index, child in enumerate(schema[key]):
                yield from _walk_schema(child, (*parts, key, index))


def iter_located(doc: Mapping[str, Any]) -> Iterator[Located]:
    """Every schema and every schema-holding object (media type, parameter, header) in a spec."""
    yield from _walk_object(doc, ())


def iter_schemas(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema in the spec with its pointer, for checks that look at schemas themselves."""
    for located in iter_located(doc):
        if located.kind == "schema":
            yield pointer(located.parts), located.node


def _schema_examples(located: Located) -> Iterator[Example]:
    here = pointer(located.parts)
    if "example" in located.node:
        yield Example(f"{here}/example", here, located.node["example"])
    if "examples" not in located.node:
        return
    examples = located.node["examples"]
    if not isinstance(examples, list):
        yield Example(
            f"{here}/examples",
            here,
            examples,
            "schema `examples` must be a JSON array of values in OpenAPI 3.1",
        )
        return
    for index, value in enumerate(examples):
        yield Example(f"{here}/examples/{index}", here, value)


def _holder_examples(doc: Mapping[str, Any], located: Located) -> Iterator[Example]:
    here = pointer(located.parts)
    schema_pointer = f"{here}/schema"
    if "example" in located.node:
        yield Example(f"{here}/example", schema_pointer, located.node["example"])
    if "examples" not in located.node:
        return
    examples = located.node["examples"]
    if not isinstance(examples, dict):
        yield Example(f"{here}/examples", schema_pointer, examples, "`examples` must map names to Examples")
        return
    for name, entry in examples.items():
        location = pointer((*located.parts, "examples", name))
        try:
            target = resolve_pointer(doc, follow_local_refs(doc, location))
        except (KeyError, SpecShapeError) as exc:
            yield Example(location, schema_pointer, entry, str(exc))
            continue
        if isinstance(target, dict) and "value" in target:
            yield Example(f"{location}/value", schema_pointer, target["value"])
        elif not (isinstance(target, dict) and "externalValue" in target):
            yield Example(location, schema_pointer, target, "Example Object has no `value`")


def iter_examples(doc: Mapping[str, Any]) -> Iterator[Example]:
    """Every inline example in the spec, paired with the schema it illustrates."""
    for located in iter_located(doc):
        if located.kind == "schema":
            yield from _schema_examples(located)
        else:
            yield from _holder_examples(doc, located)


def _registry(doc: Mapping[str, Any]) -> Registry[Any]:
    resource: Resource[Any] = DRAFT202012.create_resource(doc)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def _describe(error: ValidationError) -> str:
    where = error.json_path
    message = error.message
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[:MAX_MESSAGE_CHARS] + "..."
    return f"at {where} (schema {'/'.join(map(str, error.absolute_schema_path))}): {message}"


def schema_errors(doc: Mapping[str, Any], schema_pointer: str, instance: Any) -> list[str]:
    """Validates against the schema at a pointer, resolving its $refs within the whole spec."""
    ref = SPEC_URI + "#" + quote(schema_pointer, safe="/~")
    validator = Draft202012Validator(
        {"$ref": ref},
        registry=_registry(doc),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path)))
    except Unresolvable as exc:
        return [f"unresolvable reference while validating against {schema_pointer}: {exc}"]
    return [_describe(error) for error in errors]


def example_errors(doc: Mapping[str, Any], example: Example) -> list[str]:
    """Why an example does not fit its schema, or nothing when it does."""
    if example.shape_error:
        return [f"{example.location}: {example.shape_error}"]
    return [
        f"{example.location} vs {example.schema_pointer}: {problem}"
        for problem in schema_errors(doc, example.schema_pointer, example.value)
    ]


def openapi_validator_errors(doc: Mapping[str, Any]) -> list[str]:
    """openapi-spec-validator's own messages, with the place in the spec each one is about."""
    messages = []
    for error in validator_class("3.1")(doc).iter_errors():
        path = "/".join(map(str, getattr(error, "path", ()) or ()))
        message = getattr(error, "message", str(error))
        messages.append(f"/{path}: {message}" if path else message)
    return messages


def spectral_problems(spec_path: Path) -> list[str]:
    """Spectral errors and warnings; a missing CLI is a problem too, since `make test` has it."""
    if not SPECTRAL.exists():
        return [f"{SPECTRAL} is missing: run `npm ci` (make test does this) to install Spectral"]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "spectral.json"
        command = [
            str(SPECTRAL),
            "lint",
            "--quiet",
            "--format",
            "json",
            "--output",
            str(report),
            "--ruleset",
            str(SPECTRAL_RULESET),
            str(spec_path),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=SPECTRAL_TIMEOUT_SECONDS, check=False)
        try:
            results = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            return [
                f"spectral produced no JSON report ({exc}); exit {done.returncode}; "
                f"stdout: {done.stdout.strip()} stderr: {done.stderr.strip()}"
            ]
    return [
        f"{'error' if r.get('severity') == 0 else 'warning'} {r.get('code')} at "
        f"{pointer(tuple(r.get('path', [])))}: {r.get('message')}"
        for r in results
        if r.get("severity") in (0, 1)
    ]


def enum_problems(doc: Mapping[str, Any]) -> list[str]:
    """Unquoted yes/no/on/off/true/false become bools under YAML 1.1, silently changing enums."""
    problems = []
    for here, schema in iter_schemas(doc):
        declared = schema.get("type")
        types = declared if isinstance(declared, list) else [declared]
        enum = schema.get("enum")
        if "string" not in types or not isinstance(enum, list):
            continue
        for index, value in enumerate(enum):
            if value is None and "null" in types:
                continue
            if not isinstance(value, str):
                problems.append(
                    f"{here}/enum/{index}: {value!r} ({type(value).__name__}) in a string enum; " "quote it in the YAML"
                )
    return problems


def operations(doc: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """All operations under `paths`, with their pointers."""
    found: list[tuple[str, Mapping[str, Any]]] = []
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return found
    for route, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                found.append((pointer(("paths", route, method)), item[method]))
    return found


def _security_problems(doc: Mapping[str, Any], operation: Mapping[str, Any]) -> list[str]:
    requirements = operation.get("security", doc.get("security"))
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    if not isinstance(requirements, list) or not any(isinstance(r, dict) and r for r in requirements):
        return ["the operation has no security requirement naming a scheme"]
    return [
        f"security requirement names {name!r}, which components.securitySchemes does not define"
        for requirement in requirements
        if isinstance(requirement, dict)
        for name in requirement
        if name not in schemes
    ]


def sanity_problems(doc: Mapping[str, Any]) -> list[str]:
    """This project's specs each describe exactly one secured createOrder operation."""
    problems = []
    if doc.get("openapi") != EXPECTED_OPENAPI:
        problems.append(f"openapi is {doc.get('openapi')!r}, expected {EXPECTED_OPENAPI!r}")
    found = operations(doc)
    if len(found) != 1:
        problems.append(f"expected exactly one operation, found {[p for p, _ in found]}")
    for where, operation in found:
        if operation.get("operationId") != EXPECTED_OPERATION_ID:
            problems.append(
                f"{where}: operationId is {operation.get('operationId')!r}, " f"expected {EXPECTED_OPERATION_ID!r}"
            )
        problems.extend(f"{where}: {p}" for p in _security_problems(doc, operation))
    return problems


def _single_operation(doc: Mapping[str, Any]) -> str:
    found = operations(doc)
    if len(found) != 1:
        raise SpecShapeError(f"expected exactly one operation, found {[p for p, _ in found]}")
    return found[0][0]


def _body_schema_pointer(doc: Mapping[str, Any], body_pointer: str) -> str:
    body = resolve_pointer(doc, body_pointer)
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict) or not content:
        raise SpecShapeError(f"{body_pointer} declares no body content")
    media_types = list(content)
    if len(media_types) > 1:
        media_types = [m for m in media_types if JSON_MEDIA_TYPE.match(m)]
    if len(media_types) != 1:
        raise SpecShapeError(f"{body_pointer}: cannot pick one JSON media type from {list(content)}")
    media = content[media_types[0]]
    media_pointer = pointer((*_split_pointer(body_pointer), "content", media_types[0]))
    if not isinstance(media, dict) or "schema" not in media:
        raise SpecShapeError(f"{media_pointer} declares no schema")
    return f"{media_pointer}/schema"


def _response_pointer(doc: Mapping[str, Any], operation_pointer: str, status: str) -> str:
    responses = resolve_pointer(doc, operation_pointer).get("responses") or {}
    documented = [str(code) for code in responses]
    for candidate in (status, f"{status[0]}XX"):
        if candidate in documented:
            return follow_local_refs(doc, f"{operation_pointer}/responses/{candidate}")
    raise SpecShapeError(f"status {status} is not documented by {operation_pointer} (documented: {documented})")


def fixture_schema_pointer(doc: Mapping[str, Any], fixture_name: str) -> str:
    """Maps `request*.json` / `response-<status>*.json` to the body schema it must satisfy.

    A response fixture matches its exact status or that status's `NXX` range, never
    `default`: a fixture for a status the spec does not list points at a gap in the spec.
    """
    match = FIXTURE_NAME.match(fixture_name)
    if not match:
        raise SpecShapeError(f"{fixture_name!r} is not request[-label].json or response-<status>[-label].json")
    operation_pointer = _single_operation(doc)
    if match["request"]:
        body = f"{operation_pointer}/requestBody"
        try:
            resolve_pointer(doc, body)
        except KeyError:
            raise SpecShapeError(f"{operation_pointer} has no requestBody") from None
        return _body_schema_pointer(doc, follow_local_refs(doc, body))
    return _body_schema_pointer(doc, _response_pointer(doc, operation_pointer, match["status"]))


def fixture_errors(doc: Mapping[str, Any], fixture: Path) -> list[str]:
    """Why a fixture file does not fit the schema its name points at, or nothing."""
    try:
        schema_pointer = fixture_schema_pointer(doc, fixture.name)
    except (SpecShapeError, KeyError) as exc:
        return [f"{fixture.name}: {exc}"]
    try:
        payload = json.loads(fixture.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{fixture.name}: not readable JSON: {exc}"]
    return [f"{fixture.name} vs {schema_pointer}: {p}" for p in schema_errors(doc, schema_pointer, payload)]


def fixture_files(folder: Path) -> list[Path]:
    """Everything in a fixture folder except its README, so stray or misnamed files fail."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name != "README.md")


def fixture_folders(fixtures_dir: Path = FIXTURES_DIR) -> list[Path]:
    """Fixture folders are discovered like specs, one per API."""
    if not fixtures_dir.is_dir():
        return []
    return sorted(p for p in fixtures_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def fixture_folder_problems(folder: Path, specs_dir: Path = SPECS_DIR) -> list[str]:
    """A fixture folder needs a spec to check against and a README saying where data came from."""
    problems = []
    if not folder.is_dir():
        return [f"{folder} does not exist"]
    readme = folder / "README.md"
    if not readme.is_file() or not readme.read_text(encoding="utf-8").strip():
        problems.append(f"{folder.name}/README.md is missing or empty")
    if not (specs_dir / f"{folder.name}.yaml").is_file():
        problems.append(f"{folder.name} has no matching spec {folder.name}.yaml in {specs_dir}")
    return problems


# --- The vendor pages themselves -------------------------------------------------------
#
# The specs were written from documentation pages kept outside the repository (see
# README.md). The checks below read those pages and compare the spec with them item by
# item, so that a row, type, required flag or example the page prints cannot silently go
# missing from a spec.

SEEDS_ENV = "SPECFORGE_SEEDS"
SEED_CANDIDATES = (
    REPO_ROOT.parent / "shared" / "seeds",
    REPO_ROOT.parent.parent / "shared" / "seeds",
)
SEED_PAGES = {
    "musement": "001_663800e7d5ec03da.txt",
    "sitecore_cdp": "002_13803323b41c2587.txt",
    "commercelayer": "003_61fdadcd2a6f6cf5.txt",
}

TABLE_ROW = re.compile(
    r"^\| (?:(?P<group>attributes|relationships)\.)?\*\*(?P<name>\w+)\*\* \| `(?P<type>[^`]*)` \| (?P<flag>[^|]*)\|$"
)
SECTION = re.compile(r"(?:^|\s)## (?P<title>[^:\n]*?)(?: \([\w/.+-]+\))?:")
FIELD = re.compile(
    r"(?:^|\s)- `(?P<path>[\w.-]+)` \((?P<type>\w+)(?P<required>, required)?\)(?P<rest>.*?)(?=\s- `|\s## |\Z)",
    re.DOTALL,
)
PRINTED_JSON_TYPES = {"string", "integer", "number", "boolean", "object", "array"}


def seeds_dir() -> Path | None:
    """The folder of vendor pages: $SPECFORGE_SEEDS, else `shared/seeds` beside the checkout."""
    candidates = [Path(os.environ[SEEDS_ENV])] if os.environ.get(SEEDS_ENV) else list(SEED_CANDIDATES)
    return next((path for path in candidates if path.is_dir()), None)


@dataclass(frozen=True)
class TableRow:
    """One row of a Markdown "Body Parameter | Type | Required" table, as printed."""

    line: int
    group: str | None
    name: str
    type: str
    flag: str

    @property
    def label(self) -> str:
        return f"{self.group}.{self.name}" if self.group else self.name

    @property
    def required(self) -> bool:
        return self.flag.lower().startswith("required")


def table_rows(text: str, heading: str = "### Arguments") -> list[TableRow]:
    """Every row of the table under `heading`; a row the pattern cannot read is an error,
    so a changed page fails loudly instead of yielding fewer rows."""
    lines = text.splitlines()
    start = lines.index(heading)
    rows: list[TableRow] = []
    in_table = False
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if not line.startswith("|"):
            if in_table:
                break
            continue
        if not in_table:
            in_table = True
            continue
        if set(line) <= set("|:- "):
            continue
        match = TABLE_ROW.match(line)
        if not match:
            raise ValueError(f"line {number}: table row not understood: {line!r}")
        rows.append(
            TableRow(
                number,
                match["group"],
                match["name"],
                match["type"],
                match["flag"].strip(),
            )
        )
    return rows


@dataclass(frozen=True)
class PrintedField:
    """One `- \\`path\\` (type, required)` entry of a reference page, in a section."""

    section: str
    path: str
    type: str
    required: bool
    text: str

    @property
    def example(self) -> tuple[bool, Any]:
        """(True, value) when the entry prints `Example: <JSON>`, else (False, None)."""
        _, found, raw = self.text.partition("Example: ")
        if not found:
            return False, None
        try:
            return True, json.loads(raw.strip())
        except json.JSONDecodeError:
            return False, None


def section_key(title: str) -> str | None:
    """'Request fields' -> 'request', 'Response 201 fields' -> '201', 'Header parameters' ->
    'header'; other sections -> None."""
    if title.startswith("Request fields"):
        return "request"
    if title.startswith("Header parameters"):
        return "header"
    match = re.match(r"Response (\w+) fields", title)
    return match[1] if match else None


def printed_fields(text: str) -> list[PrintedField]:
    """The field entries of every request and response section of a reference page."""
    headings = list(SECTION.finditer(text))
    fields: list[PrintedField] = []
    for index, heading in enumerate(headings):
        key = section_key(heading["title"])
        if key is None:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        for match in FIELD.finditer(text, heading.end(), end):
            fields.append(
                PrintedField(
                    key,
                    match["path"],
                    match["type"],
                    bool(match["required"]),
                    match["rest"],
                )
            )
    return fields


def deref_schema(doc: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """A schema with its local `$ref` chain followed (sibling keywords of the first hop kept)."""
    seen: set[str] = set()
    merged: dict[str, Any] = {}
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"] not in seen:
        seen.add(schema["$ref"])
        merged = {**{k: v for k, v in schema.items() if k != "$ref"}, **merged}
        schema = resolve_pointer(doc, schema["$ref"][1:])
    return {**schema, **merged} if isinstance(schema, dict) else merged


def flatten_schema(doc: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """A dereferenced schema with the properties and required names of its `allOf` parts
    merged in, as a reader of the page sees one object."""
    flat = deref_schema(doc, schema)
    parts = [flatten_schema(doc, part) for part in flat.get("allOf") or []]
    if not parts:
        return flat
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*parts, flat]:
        properties.update(part.get("properties") or {})
        required.extend(name for name in part.get("required") or [] if name not in required)
    return {
        **{k: v for part in parts for k, v in part.items()},
        **flat,
        "properties": properties,
        "required": required,
    }


def section_schema(doc: Mapping[str, Any], section: str) -> dict[str, Any]:
    """The body schema of the request ('request') or of one response status of the operation."""
    name = "request.json" if section == "request" else f"response-{section}.json"
    return flatten_schema(doc, resolve_pointer(doc, fixture_schema_pointer(doc, name)))


def child_schema(doc: Mapping[str, Any], parent: Mapping[str, Any], name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the object schema holding property `name`, the property's schema), stepping into array
    items when `parent` is an array, as the pages' dotted paths do (`items.quantity`).
    """
    holder = flatten_schema(doc, parent)
    if holder.get("type") == "array" and "items" in holder:
        holder = flatten_schema(doc, holder["items"])
    properties = holder.get("properties") or {}
    if name not in properties:
        raise KeyError(name)
    return holder, flatten_schema(doc, properties[name])


def _printed_header_problems(doc: Mapping[str, Any], field: PrintedField, where: str) -> list[str]:
    parameters = [
        resolve_pointer(doc, follow_local_refs(doc, f"{_single_operation(doc)}/parameters/{index}"))
        for index in range(len(resolve_pointer(doc, _single_operation(doc)).get("parameters") or []))
    ]
    found = [p for p in parameters if p.get("in") == "header" and str(p.get("name")).lower() == field.path.lower()]
    if not found:
        return [f"{where}: no such header parameter in the spec"]
    parameter = found[0]
    schema = deref_schema(doc, parameter.get("schema") or {})
    problems = []
    if field.type in PRINTED_JSON_TYPES and schema.get("type") != field.type:
        problems.append(f"{where}: printed type {field.type}, spec has {schema.get('type')!r}")
    if bool(parameter.get("required")) != field.required:
        problems.append(f"{where}: printed {'required' if field.required else 'not required'}, spec disagrees")
    has_example, example = field.example
    if has_example and example != parameter.get("example", schema.get("example")):
        problems.append(f"{where}: printed example {example!r}, spec has {parameter.get('example')!r}")
    return problems


def required_paths(doc: Mapping[str, Any], section: str) -> Iterator[str]:
    """Every dotted path the spec requires in one section's body, through shared components:
    a required list on a component applies at each place that uses it."""

    def walk(schema: dict[str, Any], prefix: str, depth: int) -> Iterator[str]:
        if depth > 12:
            return
        if schema.get("type") == "array" and "items" in schema:
            schema = flatten_schema(doc, schema["items"])
        for name in schema.get("required") or []:
            yield f"{prefix}{name}"
        for name, child in (schema.get("properties") or {}).items():
            yield from walk(flatten_schema(doc, child), f"{prefix}{name}.", depth + 1)

    yield from walk(section_schema(doc, section), "", 0)


def unprinted_required_paths(doc: Mapping[str, Any], fields: list[PrintedField]) -> list[str]:
    """Paths the spec requires although the page does not print them as required."""
    printed = {(field.section, field.path) for field in fields if field.required}
    problems = []
    for section in sorted({field.section for field in fields} - {"header"}):
        for path in required_paths(doc, section):
            if (section, path) not in printed:
                problems.append(f"{section} {path}: required in the spec, not printed as required on the page")
    return problems


def printed_field_problems(doc: Mapping[str, Any], field: PrintedField) -> list[str]:
    """How the spec differs from one printed field: missing, another type, another required
    flag, or another example value than the page prints."""
    where = f"{field.section} {field.path}"
    if field.section == "header":
        return _printed_header_problems(doc, field, where)
    try:
        schema = section_schema(doc, field.section)
        holder: dict[str, Any] = schema
        for name in field.path.split("."):
            holder, schema = child_schema(doc, schema, name)
    except (KeyError, SpecShapeError) as exc:
        return [f"{where}: not in the spec ({exc})"]
    problems = []
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    if field.type in PRINTED_JSON_TYPES and field.type not in types:
        problems.append(f"{where}: printed type {field.type}, spec has {declared!r}")
    name = field.path.rsplit(".", 1)[-1]
    required = name in (holder.get("required") or [])
    if required != field.required:
        problems.append(f"{where}: printed {'required' if field.required else 'not required'}, spec disagrees")
    has_example, example = field.example
    if has_example:
        declared_examples = [schema["example"]] if "example" in schema else list(schema.get("examples") or [])
        if example not in declared_examples:
            problems.append(f"{where}: printed example {example!r}, spec has {declared_examples!r}")
    return problems


# Printed types of the Commerce Layer table, as JSON Schema keywords the property must carry.
TABLE_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "float": {"type": "number", "format": "float"},
    "datetime": {"type": "string", "format": "date-time"},
    "object": {"type": "object"},
    "integer, value is '1'": {"type": "integer", "enum": [1]},
}
RELATIONSHIP_TYPES = {"has_one": "object", "has_many": "array"}


def table_type_problems(doc: Mapping[str, Any], schema: Mapping[str, Any], printed: str) -> list[str]:
    """How a property's schema differs from a printed table type; has_one/has_many are JSON:API
    relationships whose `data` is one resource identifier or a list of them."""
    if printed in RELATIONSHIP_TYPES:
        try:
            _, data = child_schema(doc, schema, "data")
        except KeyError:
            return [f"printed {printed}, but the relationship has no `data`"]
        if data.get("type") != RELATIONSHIP_TYPES[printed]:
            return [f"printed {printed}, but `data` is {data.get('type')!r}"]
        identifier = flatten_schema(doc, data["items"]) if printed == "has_many" else data
        missing = {"type", "id"} - set(identifier.get("properties") or {})
        return [f"printed {printed}, but its resource identifier lacks {sorted(missing)}"] if missing else []
    expected = TABLE_TYPES.get(printed)
    if expected is None:
        return [f"printed type {printed!r} has no known JSON Schema reading"]
    return [
        f"printed {printed!r} means {key}: {value!r}, spec has {schema.get(key)!r}"
        for key, value in expected.items()
        if schema.get(key) != value
    ]


def _row_schema(doc: Mapping[str, Any], resource: Mapping[str, Any], row: TableRow) -> tuple[Any, Any]:
    """(holder, property schema) of a table row inside a JSON:API resource schema."""
    if row.group is None:
        return child_schema(doc, resource, row.name)
    _, group = child_schema(doc, resource, row.group)
    return child_schema(doc, group, row.name)


def server_set(row: TableRow) -> bool:
    """The reading recorded in the Commerce Layer spec's x-judgements: attributes the table
    marks required (id, timestamps) and rows with a blank required column that are not
    underscore-prefixed actions are set by the server."""
    return (row.group == "attributes" and row.required) or (row.flag == "" and not row.name.startswith("_"))


def table_problems(doc: Mapping[str, Any], rows: list[TableRow]) -> list[str]:
    """Every table row must be in the request resource with its printed type and flag,
    readOnly exactly when the server sets it, and (unless write-only) in the response too.
    """
    request = flatten_schema(doc, child_schema(doc, section_schema(doc, "request"), "data")[1])
    response = flatten_schema(doc, child_schema(doc, section_schema(doc, "201"), "data")[1])
    problems = []
    for row in rows:
        where = f"line {row.line}: {row.label} ({row.type}, {row.flag or 'blank'})"
        try:
            holder, schema = _row_schema(doc, request, row)
        except KeyError:
            problems.append(f"{where}: not in the request body")
            continue
        problems.extend(f"{where}: {p}" for p in table_type_problems(doc, schema, row.type))
        read_only, write_only = (
            schema.get("readOnly") is True,
            schema.get("writeOnly") is True,
        )
        if read_only != server_set(row):
            problems.append(f"{where}: readOnly is {read_only}, but server-set is {server_set(row)}")
        in_required = row.name in (holder.get("required") or [])
        if in_required != (row.required and not read_only):
            problems.append(f"{where}: in the request's required list: {in_required}")
        if in_required and row.group and row.group not in (request.get("required") or []):
            problems.append(f"{where}: required, but `{row.group}` itself is optional in the request")
        problems.extend(f"{where}: {p}" for p in _response_row_problems(doc, response, row, write_only))
    return problems


def _response_row_problems(doc: Mapping[str, Any], response: Any, row: TableRow, write_only: bool) -> list[str]:
    try:
        holder, schema = _row_schema(doc, response, row)
    except KeyError:
        # JSON:API returns `id` next to `type`, not among the attributes.
        try:
            holder, schema = child_schema(doc, response, row.name) if row.group == "attributes" else ({}, None)
        except KeyError:
            schema = None
    if write_only:
        return ["write-only, but the response has it"] if schema is not None else []
    if schema is None:
        return ["not in the response"]
    problems = []
    if row.type not in RELATIONSHIP_TYPES:
        problems.extend(f"in the response: {p}" for p in table_type_problems(doc, schema, row.type))
    if row.required and server_set(row) and row.name not in (holder.get("required") or []):
        problems.append("printed required and set by the server, but not required in the response")
    return problems
