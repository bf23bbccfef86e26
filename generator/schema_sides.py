"""Stage 3a, part: which side of the wire each class is on, and what its fields carry.

Takes a :class:`SchemaPlan` whose schemas are all named (:mod:`generator.schemas`); gives it
back, in place, with each class's base (strict request or lenient response model, open or
closed enum), read-only and write-only properties dropped where they cannot travel, and the
marks the runtime reads (secrets, nulls to send, defaults always sent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .document import Pointer, deref, iter_refs, parse_pointer
from .names import ClassName
from .schema_tree import iter_schemas, reachable


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
    # What each class we named after its place holds: its property's name, with ``Item``,
    # ``Value`` or ``Option<n>`` for each level below it (``CaptureMethod``, ``TaxRatesItem``).
    labels: dict[str, str] = field(default_factory=dict)
    # Where in the spec each class we named was written, for errors about it.
    origins: dict[str, Pointer] = field(default_factory=dict)


def classify(plan: SchemaPlan) -> None:
    """Request-only classes are strict; anything a response can hold stays lenient."""
    document = plan.document
    schemas = document["components"]["schemas"]
    request_side = reachable(document, set(plan.request_bodies.values()))
    response_side = reachable(document, set(plan.responses.values()))
    for at, ref in iter_refs(document.get("paths", {})):
        pointer = parse_pointer(ref)
        if pointer and len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
            if "parameters" in at:
                request_side |= reachable(document, {pointer[2]})
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


def mark_fields(plan: SchemaPlan) -> None:
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
