"""Stage 3a: prepare a spec's schemas for the model generator, so every class name is ours to know.

Takes the validated document; gives a :class:`SchemaPlan`: a rewritten copy of the document
for the model generator, and which class each request body, response and component becomes.

datamodel-code-generator names the classes it makes for inline schemas itself. To pick
each class's base (strict request model or lenient response model, open or closed enum)
and to refer to body models from the client, every object and enum schema is given a
component name of our choosing first: request and response bodies, and object or enum
properties nested anywhere below them. References are rewritten to match.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .document import (
    SUBSCHEMA_LISTS,
    SUBSCHEMA_MAPS,
    SUBSCHEMA_VALUES,
    deref,
    iter_operations,
    iter_refs,
    parse_pointer,
    pick_media,
    resolve_pointer,
)
from .names import ClassName, pascal_case
from .validate import apply_schema_fixes, find_schema_fixes

# Names models.py imports itself; a component called one of these gets a suffix.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "AnyUrl",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Decimal",
        "Enum",
        "Field",
        "Literal",
        "Optional",
        "RootModel",
        "UUID",
        "Union",
        "date",
        "datetime",
        "time",
        "timedelta",
        "OpenStrEnum",
        "OpenIntEnum",
        "StrictStrEnum",
        "StrictIntEnum",
        "RequestModel",
        "ResponseModel",
        "Model",
        "List",
        "Dict",
    }
)


@dataclass
class SchemaPlan:
    """The document handed to the model generator, and what we decided about its classes."""

    document: dict[str, Any]
    request_bodies: dict[tuple[str, str], ClassName] = field(default_factory=dict)
    responses: dict[tuple[str, str, str], ClassName] = field(default_factory=dict)
    strict_models: set[str] = field(default_factory=set)
    enum_bases: dict[str, str] = field(default_factory=dict)
    component_names: dict[str, ClassName] = field(default_factory=dict)
    request_side: set[str] = field(default_factory=set)


def plan_schemas(source: dict[str, Any]) -> SchemaPlan:
    """Copy the document with every object and enum schema named as a component."""
    document = copy.deepcopy(source)
    # What validation warned about and left out is left out here too, before any renaming.
    apply_schema_fixes(document, find_schema_fixes(document))
    components = document.setdefault("components", {})
    if not isinstance(components, dict):
        components = document["components"] = {}
    schemas = components.get("schemas")
    if not isinstance(schemas, dict):
        schemas = components["schemas"] = {}
    plan = SchemaPlan(document)
    _drop_examples(schemas)
    if str(document.get("openapi", "")).startswith("3.0"):
        _nullable_as_type_lists(schemas)
    _rename_components(plan, schemas)
    taken = set(schemas)
    _hoist_bodies(plan, taken)
    for name in list(schemas):
        _hoist_nested(schemas, name, schemas[name], taken)
    _inline_maps(document, schemas)
    _strip_extensions(schemas)
    _move_null_out_of_enums(schemas)
    _split_shared_models(plan, taken)
    _classify(plan)
    _mark_fields(plan)
    return plan


def _nullable_as_type_lists(schemas: dict[str, Any]) -> None:
    """OpenAPI 3.0's ``nullable: true`` beside a ``type`` becomes the 3.1 form, ``type: [t,
    "null"]``: the model generator reads a type list as nullable even where the field is
    required, and reads a required ``nullable`` string as a ``str`` that refuses null."""
    for schema in iter_schemas(schemas):
        if schema.get("nullable") is not True or not isinstance(schema.get("type"), str):
            continue
        del schema["nullable"]
        schema["type"] = [schema["type"], "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]


def _move_null_out_of_enums(schemas: dict[str, Any]) -> None:
    """``enum: [a, b, null]`` means "one of these, or null": an enum class cannot hold null
    (a string enum would turn it into the string ``"None"``), so the class gets the values
    and every reference to it says ``| None`` instead."""
    nullable: set[str] = set()
    for name, schema in schemas.items():
        if isinstance(schema, dict) and isinstance(schema.get("enum"), list) and None in schema["enum"]:
            values = [value for value in schema["enum"] if value is not None]
            if values:
                schema["enum"] = values
                nullable.add(name)
            else:
                schemas[name] = {"type": "null"}
    if not nullable:
        return
    for at, ref in list(iter_refs(schemas)):
        pointer = parse_pointer(ref)
        if not (pointer and len(pointer) == 3 and pointer[:2] == ("components", "schemas")):
            continue
        if pointer[2] in nullable:
            holder = resolve_pointer(schemas, at)
            rest = {key: value for key, value in holder.items() if key != "$ref"}
            holder.clear()
            holder.update(rest)
            holder["anyOf"] = [{"$ref": ref}, {"type": "null"}]


def iter_schemas(schemas: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every schema object in the named ``schemas`` and nested below them, each once."""
    seen: set[int] = set()
    stack: list[Any] = list(schemas.values())
    while stack:
        schema = stack.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        for key in SUBSCHEMA_MAPS:
            if isinstance(schema.get(key), dict):
                stack.extend(schema[key].values())
        for key in SUBSCHEMA_LISTS:
            if isinstance(schema.get(key), list):
                stack.extend(schema[key])
        for key in SUBSCHEMA_VALUES:
            value = schema.get(key)
            stack.extend(value if isinstance(value, list) else [value])


def _strip_extensions(schemas: dict[str, Any]) -> None:
    """Drop ``x-`` keys from every schema, in place.

    datamodel-code-generator acts on some extensions: ``x-python-type`` and
    ``x-python-import`` would put text from the spec into the generated code as code, and
    a malformed ``x-enum-varnames`` or ``x-enum-descriptions`` makes it fail. Nothing in a
    spec is allowed to become code, so no extension reaches it.
    """
    for schema in iter_schemas(schemas):
        for key in [k for k in schema if isinstance(k, str) and k.startswith("x-")]:
            del schema[key]


def _drop_examples(schemas: dict[str, Any]) -> None:
    """Examples document the spec; as ``Field(examples=...)`` they would only bloat models."""
    stack: list[tuple[Any, bool]] = [(schema, False) for schema in schemas.values()]
    while stack:
        node, is_name_map = stack.pop()
        if isinstance(node, dict):
            if not is_name_map:
                node.pop("example", None)
                if isinstance(node.get("examples"), list):
                    del node["examples"]
            for key, value in node.items():
                names = not is_name_map and key in (
                    "properties",
                    "patternProperties",
                    "$defs",
                    "definitions",
                    "dependentSchemas",
                )
                stack.append((value, names))
        elif isinstance(node, list):
            stack.extend((item, False) for item in node)


def _rename_components(plan: SchemaPlan, schemas: dict[str, Any]) -> None:
    taken: set[str] = set()
    renames: dict[str, str] = {}
    for original in list(schemas):
        name = _unique_name(original, taken)
        renames[original] = name
        plan.component_names[original] = name
    if all(old == new for old, new in renames.items()):
        return
    renamed = {renames[old]: value for old, value in schemas.items()}
    schemas.clear()
    schemas.update(renamed)
    for at, ref in list(iter_refs(plan.document)):
        pointer = parse_pointer(ref)
        if pointer and len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
            holder = resolve_pointer(plan.document, at)
            rest = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in pointer[3:])
            holder["$ref"] = f"#/components/schemas/{renames.get(pointer[2], pointer[2])}{rest}"


def _unique_name(wanted: str, taken: set[str]) -> ClassName:
    name = pascal_case(wanted)
    if name in RESERVED_CLASS_NAMES:
        name = ClassName(f"{name}Schema")
    base, counter = name, 2
    while name in taken:
        name = ClassName(f"{base}{counter}")
        counter += 1
    taken.add(name)
    return name


def is_map(schema: Any) -> bool:
    """An object the spec leaves open: no properties of its own, any (or typed) keys.

    Such an object is a plain ``dict`` in the models, not a class: an empty model would
    refuse every key in a request, and hide them in ``model_extra`` in a response."""
    if not isinstance(schema, dict) or "$ref" in schema or schema.get("properties") or "enum" in schema:
        return False
    if any(key in schema for key in ("allOf", "oneOf", "anyOf", "patternProperties", "const")):
        return False
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds and schema.get("additionalProperties", True) is not False


def _is_untyped_map(schema: Any) -> bool:
    return is_map(schema) and schema.get("additionalProperties", True) in (True, {})


def _inline_maps(document: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Replace references to open-object components by the object itself, so a property
    typed by one is a ``dict`` too; a component no longer referenced is dropped. A map
    that refers back to itself stays a class, since it cannot be written out inline."""
    for name in list(schemas):
        schema: Any = schemas[name]
        if not is_map(schema) or name in _reachable(document, _referenced_names(schema)):
            continue
        for at, ref in list(iter_refs(schemas)):
            if parse_pointer(ref) != ("components", "schemas", name):
                continue
            holder = resolve_pointer(schemas, at)
            siblings = {key: value for key, value in holder.items() if key != "$ref"}
            holder.clear()
            holder.update({**copy.deepcopy(schema), **siblings})
        if not any(parse_pointer(ref) == ("components", "schemas", name) for _, ref in iter_refs(document)):
            del schemas[name]


def _referenced_names(schema: Any) -> set[str]:
    names = set()
    for _, ref in iter_refs(schema):
        pointer = parse_pointer(ref)
        if pointer and len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
            names.add(pointer[2])
    return names


def _needs_class(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema or is_map(schema):
        return False
    if "enum" in schema:
        return True
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds or "properties" in schema or any(key in schema for key in ("allOf", "oneOf", "anyOf"))


def _hoist(
    schemas: dict[str, Any], holder: dict[str, Any], key: str, name: str, taken: set[str], describe: bool = False
) -> ClassName | None:
    schema = holder.get(key)
    if isinstance(schema, dict) and "$ref" in schema:
        pointer = parse_pointer(schema["$ref"])
        if pointer and len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
            return ClassName(pointer[2])
        return None
    if not isinstance(schema, dict) or not schema:
        return None
    class_name = _unique_name(name, taken)
    schemas[class_name] = schema
    # readOnly/writeOnly describe the property, not the class: they must stay where
    # _adjust_read_write_only looks for them, or a hoisted object is sent on the wrong side.
    sides = {flag: schema[flag] for flag in ("readOnly", "writeOnly") if flag in schema}
    holder[key] = {"$ref": f"#/components/schemas/{class_name}", **sides}
    if describe and isinstance(schema.get("description"), str):
        # The class keeps the description as its docstring; the field keeps it as its own.
        holder[key]["description"] = schema["description"]
    _hoist_nested(schemas, class_name, schema, taken)
    return class_name


def _hoist_bodies(plan: SchemaPlan, taken: set[str]) -> None:
    document = plan.document
    schemas = document["components"]["schemas"]
    for path, method, operation, _ in list(iter_operations(document)):
        op_name = pascal_case(str(operation.get("operationId") or f"{method} {path}"))
        body = deref(document, operation.get("requestBody"))
        if isinstance(body, dict):
            chosen = pick_media(body.get("content"))
            untyped = chosen is not None and _is_untyped_map(deref(document, chosen[1].get("schema")))
            if chosen is not None and isinstance(chosen[1], dict) and "schema" in chosen[1] and not untyped:
                class_name = _hoist(schemas, chosen[1], "schema", f"{op_name}Request", taken)
                if class_name:
                    plan.request_bodies[(path, method)] = class_name
        responses = operation.get("responses")
        if not isinstance(responses, dict):
            continue
        for status, response in responses.items():
            response = deref(document, response)
            if not isinstance(response, dict):
                continue
            chosen = pick_media(response.get("content"))
            if chosen is None or "schema" not in chosen[1]:
                continue
            status = str(status)
            suffix = "Response" if status.startswith("2") else f"Error{status.capitalize()}"
            if status.startswith("2") and len([s for s in responses if str(s).startswith("2")]) > 1:
                suffix = f"Response{status}"
            class_name = _hoist(schemas, chosen[1], "schema", f"{op_name}{suffix}", taken)
            if class_name:
                plan.responses[(path, method, status)] = class_name


def _hoist_nested(schemas: dict[str, Any], parent: str, schema: Any, taken: set[str]) -> None:
    """Name object and enum schemas found in properties and items below ``schema``."""
    if not isinstance(schema, dict):
        return
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for prop in list(properties):
            if _needs_class(properties[prop]):
                _hoist(schemas, properties, prop, f"{parent}{pascal_case(str(prop))}", taken, describe=True)
            else:
                _hoist_nested(schemas, f"{parent}{pascal_case(str(prop))}", properties[prop], taken)
    for key, suffix in (("items", "Item"), ("additionalProperties", "Value")):
        if _needs_class(schema.get(key)):
            _hoist(schemas, schema, key, f"{parent}{suffix}", taken)
        else:
            _hoist_nested(schemas, f"{parent}{suffix}", schema.get(key), taken)


def _split_shared_models(plan: SchemaPlan, taken: set[str]) -> None:
    """Give a model that both request and response bodies use a request twin, ``<Name>Input``.

    One class cannot be both: a request must refuse unknown fields and leave out what
    was not set, a response must keep what a newer API adds. The twin and every request
    class point at twins; the original is left to responses. Enums stay one class, since
    a value is either listed or not: the request models check that themselves.
    """
    schemas = plan.document["components"]["schemas"]
    request_side = _reachable(plan.document, set(plan.request_bodies.values()))
    response_side = _reachable(plan.document, set(plan.responses.values()))
    shared = sorted(
        name
        for name in request_side & response_side
        if isinstance(schemas.get(name), dict) and "enum" not in schemas[name]
    )
    if not shared:
        return
    twins = {name: _unique_name(f"{name}Input", taken) for name in shared}
    for name in shared:
        schemas[twins[name]] = copy.deepcopy(schemas[name])
    for name in sorted(request_side - response_side) + [twins[name] for name in shared]:
        _point_at_twins(schemas[name], twins)
    for key, name in list(plan.request_bodies.items()):
        plan.request_bodies[key] = twins.get(name, name)


def _point_at_twins(schema: Any, twins: dict[str, ClassName]) -> None:
    prefix = "#/components/schemas/"
    for at, ref in list(iter_refs(schema)):
        pointer = parse_pointer(ref)
        if pointer and len(pointer) == 3 and pointer[:2] == ("components", "schemas") and pointer[2] in twins:
            resolve_pointer(schema, at)["$ref"] = prefix + twins[pointer[2]]
    for node in iter_schemas({"": schema}):
        discriminator = node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if not isinstance(mapping, dict):
            continue
        for value, target in list(mapping.items()):
            # A mapping names its schema by reference or by bare component name.
            if isinstance(target, str) and target.removeprefix(prefix) in twins:
                mapping[value] = prefix + twins[target.removeprefix(prefix)]


def _reachable(document: dict[str, Any], roots: set[str]) -> set[str]:
    schemas = document["components"]["schemas"]
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        for _, ref in iter_refs(schemas[name]):
            pointer = parse_pointer(ref)
            if pointer and len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
                stack.append(pointer[2])
    return seen


def _classify(plan: SchemaPlan) -> None:
    """Request-only classes are strict; anything a response can hold stays lenient."""
    document = plan.document
    schemas = document["components"]["schemas"]
    request_side = _reachable(document, set(plan.request_bodies.values()))
    response_side = _reachable(document, set(plan.responses.values()))
    for at, ref in iter_refs(document.get("paths", {})):
        pointer = parse_pointer(ref)
        if pointer and len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
            if "parameters" in at:
                request_side |= _reachable(document, {pointer[2]})
    request_only = request_side - response_side
    plan.request_side = request_side
    plan.strict_models = {
        name for name in request_only if isinstance(schemas.get(name), dict) and "enum" not in schemas[name]
    }
    for name, schema in schemas.items():
        if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
            continue
        values = [v for v in schema["enum"] if v is not None]
        strict = name in request_only
        if values and all(isinstance(v, str) for v in values):
            plan.enum_bases[name] = "StrictStrEnum" if strict else "OpenStrEnum"
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            plan.enum_bases[name] = "StrictIntEnum" if strict else "OpenIntEnum"
    for name, schema in schemas.items():
        _adjust_read_write_only(schema, request=name in request_side, response=name in response_side)


def _adjust_read_write_only(schema: Any, *, request: bool, response: bool) -> None:
    """A readOnly field is never sent and a writeOnly one never received: neither is required
    on the side that does not carry it, and a one-sided class drops it altogether."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return
    properties = schema["properties"]
    required = schema.get("required")
    for prop, prop_schema in list(properties.items()):
        if not isinstance(prop_schema, dict):
            continue
        read_only, write_only = prop_schema.get("readOnly") is True, prop_schema.get("writeOnly") is True
        if (read_only and request and not response) or (write_only and response and not request):
            del properties[prop]
        if (read_only and request) or (write_only and response) or prop not in properties:
            if isinstance(required, list) and prop in required:
                required.remove(prop)


# Marks read by datamodel-code-generator (``x-`` prefix stripped) and then by the runtime
# (templates/runtime/_model_base.py). They are added after the spec's own extensions are
# dropped, so nothing from a spec can pose as one of them.
SECRET_MARK = "x-repr"  # Field(repr=False): kept out of repr() and str()
NULLABLE_MARK = "x-nullable"  # Field(json_schema_extra={"nullable": True}): None is sent as null
REQUIRED_MARK = "x-required"  # json_schema_extra={"required": [...]}: always sent, default or not


def _mark_fields(plan: SchemaPlan) -> None:
    """Record, per property, what the runtime needs to send a body exactly as written.

    - A ``writeOnly`` or ``format: password`` property is a secret: hidden from ``repr()``.
    - On the request side, an optional property that allows null is marked, so ``None``
      given for it is sent as ``null``; ``None`` for any other optional property is left
      out, as if not set.
    - On the request side, a required property whose schema allows a single value (``const``,
      or an enum of one) gets that value as its default, and a class with required
      properties that have defaults lists them all, so those are sent even when the caller
      relied on the default.
    - A property typed by an enum carries the enum's description, so it is the field's too.
    """
    document = plan.document
    schemas = document["components"]["schemas"]
    for name, component in schemas.items():
        request = name in plan.request_side
        for schema in iter_schemas({name: component}):
            properties = schema.get("properties")
            if not isinstance(properties, dict):
                continue
            required = [str(p) for p in schema.get("required", []) if p in properties]
            for prop, prop_schema in properties.items():
                if not isinstance(prop_schema, dict):
                    continue
                target = _referenced_schema(document, prop_schema)
                if _is_secret(prop_schema) or _is_secret(target):
                    prop_schema[SECRET_MARK] = False
                if "description" not in prop_schema and "$ref" in prop_schema and isinstance(target, dict):
                    if "enum" in target and isinstance(target.get("description"), str):
                        prop_schema["description"] = target["description"]
                if not request:
                    continue
                if prop not in required and _allows_null(document, prop_schema):
                    prop_schema[NULLABLE_MARK] = True
                if prop in required and "default" not in prop_schema:
                    single = _single_value(document, prop_schema)
                    if single is not None:
                        prop_schema["default"] = single[0]
            if request and any(isinstance(properties[p], dict) and "default" in properties[p] for p in required):
                schema[REQUIRED_MARK] = required


def _is_secret(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("writeOnly") is True or schema.get("format") == "password")


def _referenced_schema(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The schema a property points at: through ``$ref``, and through the ``anyOf`` of a
    reference and null that :func:`_move_null_out_of_enums` writes."""
    branches = schema.get("anyOf")
    if "$ref" not in schema and isinstance(branches, list):
        refs = [b for b in branches if isinstance(b, dict) and "$ref" in b]
        if len(refs) == 1 and all(b is refs[0] or b == {"type": "null"} for b in branches):
            schema = refs[0]
    return deref(document, schema) if "$ref" in schema else schema


def _allows_null(document: dict[str, Any], schema: Any, depth: int = 16) -> bool:
    if not isinstance(schema, dict) or depth == 0:
        return False
    kind = schema.get("type")
    if schema.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if "const" in schema and schema["const"] is None:
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and any(_allows_null(document, b, depth - 1) for b in branches):
            return True
    if isinstance(schema.get("$ref"), str):
        return _allows_null(document, deref(document, {"$ref": schema["$ref"]}), depth - 1)
    return False


def _single_value(document: dict[str, Any], schema: Any, depth: int = 16) -> tuple[Any] | None:
    """``(value,)`` when ``schema`` allows exactly one value that is not null."""
    if not isinstance(schema, dict) or depth == 0:
        return None
    if "const" in schema:
        return None if schema["const"] is None else (schema["const"],)
    enum = schema.get("enum")
    if isinstance(enum, list):
        return (enum[0],) if len(enum) == 1 and enum[0] is not None else None
    if isinstance(schema.get("$ref"), str) and not _allows_null(document, schema):
        return _single_value(document, deref(document, {"$ref": schema["$ref"]}), depth - 1)
    return None
