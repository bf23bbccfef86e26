"""Stage 3a, part: walking a document's schemas, and the rewrites that need no names.

Takes the ``components/schemas`` map of the copy :func:`generator.schemas.plan_schemas`
works on (or the whole copy, for :func:`inline_maps`); each rewrite changes it in place and
gives nothing back. The walkers (:func:`iter_schemas`, :func:`reachable`) give what they find.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .document import (
    SUBSCHEMA_LISTS,
    SUBSCHEMA_MAPS,
    SUBSCHEMA_VALUES,
    iter_refs,
    parse_pointer,
    resolve_pointer,
)


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


def nullable_as_type_lists(schemas: dict[str, Any]) -> None:
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


def move_null_out_of_enums(schemas: dict[str, Any]) -> None:
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


def strip_extensions(schemas: dict[str, Any]) -> None:
    """Drop ``x-`` keys from every schema, in place.

    datamodel-code-generator acts on some extensions: ``x-python-type`` and
    ``x-python-import`` would put text from the spec into the generated code as code, and
    a malformed ``x-enum-varnames`` or ``x-enum-descriptions`` makes it fail. Nothing in a
    spec is allowed to become code, so no extension reaches it.
    """
    for schema in iter_schemas(schemas):
        for key in [k for k in schema if isinstance(k, str) and k.startswith("x-")]:
            del schema[key]


def drop_examples(schemas: dict[str, Any]) -> None:
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


def is_untyped_map(schema: Any) -> bool:
    return is_map(schema) and schema.get("additionalProperties", True) in (True, {})


def inline_maps(document: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Replace references to open-object components by the object itself, so a property
    typed by one is a ``dict`` too; a component no longer referenced is dropped. A map
    that refers back to itself stays a class, since it cannot be written out inline."""
    maps = [name for name, schema in schemas.items() if is_map(schema)]
    if not maps:
        return
    # One walk finds every holder; Stripe has hundreds of maps, and a walk per map was
    # most of the time this stage took.
    holders = component_ref_holders(schemas)
    outside = {name for _, name in _component_refs_outside(document)}
    done: set[str] = set()
    for name in maps:
        schema: Any = schemas[name]
        if name in reachable(document, _referenced_names(schema)):
            continue
        done.add(name)
        ref = f"#/components/schemas/{name}"
        for holder in holders.pop(name, []):
            if holder.get("$ref") != ref:
                continue  # the same holder seen twice (a YAML alias), already inlined
            siblings = {key: value for key, value in holder.items() if key != "$ref"}
            holder.clear()
            holder.update({**copy.deepcopy(schema), **siblings})
            # The copy's own references are inlined too when their map comes later.
            for target, inner in component_ref_holders(holder).items():
                if target not in done:
                    holders.setdefault(target, []).extend(inner)
        if name not in outside:
            del schemas[name]


def component_ref_holders(node: Any) -> dict[str, list[dict[str, Any]]]:
    """The objects below ``node`` whose ``$ref`` names a whole component schema, by its name."""
    found: dict[str, list[dict[str, Any]]] = {}
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                pointer = parse_pointer(ref)
                if pointer and len(pointer) == 3:
                    found.setdefault(pointer[2], []).append(current)
            stack.extend(value for value in current.values() if isinstance(value, (dict, list)))
        elif isinstance(current, list):
            stack.extend(value for value in current if isinstance(value, (dict, list)))
    return found


def _component_refs_outside(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """References to component schemas from anywhere but ``components/schemas`` itself."""
    subtrees = [value for key, value in document.items() if key != "components"]
    components = document.get("components")
    if isinstance(components, dict):
        subtrees.extend(value for key, value in components.items() if key != "schemas")
    for name, found in component_ref_holders(subtrees).items():
        yield from ((holder, name) for holder in found)


def _referenced_names(schema: Any) -> set[str]:
    names = set()
    for _, ref in iter_refs(schema):
        pointer = parse_pointer(ref)
        if pointer and len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
            names.add(pointer[2])
    return names


def reachable(document: dict[str, Any], roots: set[str]) -> set[str]:
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
