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
from .schema_fixes import iter_schema_objects


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


# What a schema has when it is more than one value of a JSON scalar type.
_NOT_SCALAR = frozenset({"$ref", "enum", "const", *SUBSCHEMA_MAPS, *SUBSCHEMA_LISTS, *SUBSCHEMA_VALUES})
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
# Keywords that describe a use of a schema without changing which values it accepts.
_ANNOTATIONS = frozenset(
    "description title default example examples deprecated readOnly writeOnly nullable externalDocs xml "
    "$comment".split()
)


def is_scalar(schema: Any) -> bool:
    """A string, number, integer or boolean (or null besides), not an enum: a value of a
    Python builtin type, with constraints perhaps."""
    if not isinstance(schema, dict) or any(key in schema for key in _NOT_SCALAR):
        return False
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    return bool(kinds & _SCALAR_TYPES) and kinds <= _SCALAR_TYPES | {"null"}


def is_plain_list(schema: Any) -> bool:
    """An array and nothing else (its items may be anything): a ``list`` in Python."""
    if not isinstance(schema, dict) or not isinstance(schema.get("items"), dict):
        return False
    if any(key in schema for key in _NOT_SCALAR - {"items"}):
        return False
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    return "array" in kinds and kinds <= {"array", "null"}


def _item_needs_no_class(item: Any, constrained: frozenset[str]) -> bool:
    """A list's item that stays what it is wherever the list is written: a reference, or a
    scalar without constraints. An object or enum item would become a class named after
    each place the list is used, rather than one named after the list."""
    if isinstance(item, dict) and "$ref" in item:
        return True
    return is_scalar(item) and not any(key in item for key in constrained)


def _annotations_only(schema: Any, besides: str) -> bool:
    return isinstance(schema, dict) and all(
        key == besides or key in _ANNOTATIONS or str(key).startswith("x-") for key in schema
    )


def _use_of(holder: Any, names: set[str]) -> tuple[str, dict[str, Any]] | None:
    """The component of ``names`` that ``holder`` uses, and what it says of the use: a
    ``$ref`` (and siblings), or an ``allOf`` of that one reference and annotations (as AWS's
    specs write a property's description)."""
    if not isinstance(holder, dict):
        return None
    if "$ref" in holder:
        name = _component_name(holder["$ref"])
        return (name, {k: v for k, v in holder.items() if k != "$ref"}) if name in names else None
    members = holder.get("allOf")
    if not isinstance(members, list) or not _annotations_only(holder, "allOf"):
        return None
    refs = [m for m in members if isinstance(m, dict) and "$ref" in m]
    if len(refs) != 1 or len(refs[0]) != 1 or _component_name(refs[0]["$ref"]) not in names:
        return None
    said: dict[str, Any] = {}
    for member in members:
        if member is not refs[0]:
            if not _annotations_only(member, ""):
                return None
            said.update(member)
    said.update((k, v) for k, v in holder.items() if k != "allOf")
    return _component_name(refs[0]["$ref"]), said


def _component_name(ref: Any) -> str:
    pointer = parse_pointer(ref) if isinstance(ref, str) and ref.startswith("#/components/schemas/") else None
    return pointer[2] if pointer and len(pointer) == 3 else ""


def inline_builtin_types(document: dict[str, Any], constrained: frozenset[str]) -> None:
    """Replace the uses of components that are a scalar or a list (:func:`is_scalar`,
    :func:`is_plain_list`) by the schema itself, so a field typed by one is a ``str`` or a
    ``list[...]`` rather than a root model the caller has to wrap and unwrap; a component no
    longer used is dropped.

    What the use says (its description, say) wins over the component's. A property takes
    the schema's constraints into its ``Field``; a list item or union branch cannot, so one
    there is inlined only if it has none of ``constrained`` (datamodel-code-generator would
    make a class of it, under a name of its own). A body keeps its reference: its class is
    what the client returns."""
    schemas = document.get("components", {}).get("schemas", {})
    builtin = {
        name
        for name, schema in schemas.items()
        if is_scalar(schema) or (is_plain_list(schema) and _item_needs_no_class(schema["items"], constrained))
    }
    if not builtin:
        return
    inlined: set[str] = set()

    def inline(holder: Any, anywhere: bool) -> None:
        use = _use_of(holder, builtin)
        if use is None or (not anywhere and any(key in schemas[use[0]] for key in constrained)):
            return
        name, said = use
        holder.clear()
        holder.update({**copy.deepcopy(schemas[name]), **said})
        inlined.add(name)

    for at, schema in list(iter_schema_objects(document)):
        if at[-1:] == ("schema",) and ("parameters" in at or "headers" in at):
            # The client types its parameters from the spec itself; here the reference
            # would only keep an unused class alive.
            inline(schema, anywhere=True)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for value in properties.values():
                inline(value, anywhere=True)
        for key in ("items", "additionalProperties"):
            inline(schema.get(key), anywhere=False)
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            for branch in branches if isinstance(branches, list) else ():
                inline(branch, anywhere=False)
    for name in sorted(inlined - set(component_ref_holders(document))):
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
