"""Stage 3a: prepare a spec's schemas for the model generator, so every class name is ours to know.

Takes the validated document; gives a :class:`SchemaPlan`: a rewritten copy of the document
for the model generator, and which class each request body, response and component becomes.

datamodel-code-generator names the classes it makes for inline schemas itself. To pick
each class's base (strict request model or lenient response model, open or closed enum)
and to refer to body models from the client, every object and enum schema is given a
component name of our choosing first: request and response bodies, and object or enum
properties, items and ``anyOf``/``oneOf`` branches nested anywhere below them, and the
constrained scalars among those items and branches, which it would make classes of too. References
are rewritten to match, and identical classes we named are then merged
(:mod:`generator.schema_sharing`).
"""

from __future__ import annotations

import builtins
import copy
from typing import Any

from .document import (
    HTTP_METHODS,
    Pointer,
    deref,
    iter_operations,
    iter_refs,
    parse_pointer,
    pick_media,
    pointer_ref,
    resolve_pointer,
)
from .names import ClassName, pascal_case
from .schema_sharing import share_identical_schemas
from .schema_sides import NULLABLE_MARK, REQUIRED_MARK, SECRET_MARK, SchemaPlan, classify, mark_fields
from .schema_tree import (
    drop_examples,
    inline_builtin_types,
    inline_maps,
    is_map,
    is_untyped_map,
    iter_schemas,
    move_null_out_of_enums,
    nullable_as_type_lists,
    reachable,
    strip_extensions,
)
from .validate import SchemaFix, apply_schema_fixes, find_schema_fixes

# What later stages import from here; the work is split over the schema_* modules.
__all__ = [
    "BUILTIN_CLASS_NAMES",
    "NULLABLE_MARK",
    "REQUIRED_MARK",
    "RESERVED_CLASS_NAMES",
    "SECRET_MARK",
    "SchemaPlan",
    "is_map",
    "iter_schemas",
    "plan_schemas",
]

# Python's own classes (``Warning``, ``TimeoutError``): a model named after one and used
# above its definition is read by pydantic as the builtin.
BUILTIN_CLASS_NAMES = frozenset(name for name in dir(builtins) if name[:1].isupper())
# Names models.py imports itself, or that Python defines; a component called one of these gets a suffix.
RESERVED_CLASS_NAMES = (
    frozenset(
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
    | BUILTIN_CLASS_NAMES
)


def plan_schemas(source: dict[str, Any], fixes: list[SchemaFix] | None = None) -> SchemaPlan:
    """Copy the document with every object and enum schema named as a component. ``fixes``:
    what validation found in ``source`` to leave out (``Validation.fixes``); found again
    when not given."""
    if fixes is None:
        document = copy.deepcopy(source)
        fixes = find_schema_fixes(document)
    else:
        # Copied with the document: a fix's replacement may be a part of it (``items``), and
        # must become that part of the copy, not stay the source's.
        document, fixes = copy.deepcopy((source, fixes))
    # What validation warned about and left out is left out here too, before any renaming.
    apply_schema_fixes(document, fixes)
    components = document.setdefault("components", {})
    if not isinstance(components, dict):
        components = document["components"] = {}
    schemas = components.get("schemas")
    if not isinstance(schemas, dict):
        schemas = components["schemas"] = {}
    _promote_referenced_schemas(document, schemas)
    plan = SchemaPlan(document)
    drop_examples(schemas)
    _rename_components(plan, schemas)
    inline_builtin_types(document, _FIELD_CONSTRAINTS)
    taken = set(schemas)
    _hoist_bodies(plan, taken)
    original = {new: old for old, new in plan.component_names.items()}
    for name in list(schemas):
        _hoist_nested(plan, taken, name, schemas[name], "", ("components", "schemas", str(original.get(name, name))))
    if str(document.get("openapi", "")).startswith("3.0"):
        # Once every body is a component: an inline body's properties are rewritten too.
        nullable_as_type_lists(schemas)
    inline_maps(document, schemas)
    strip_extensions(schemas)
    move_null_out_of_enums(schemas)
    _split_shared_models(plan, taken)
    classify(plan)
    share_identical_schemas(plan)
    mark_fields(plan)
    return plan


# Pointer parts that say where a schema sits, not what it is.
_STRUCTURAL = frozenset(
    "paths components schema schemas content properties items additionalProperties allOf anyOf oneOf not "
    "prefixItems patternProperties requestBody requestBodies responses parameters headers".split()
)


def _promote_referenced_schemas(document: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Make a component of every schema a ``$ref`` names where it is written inline, as in
    ``#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/owner``.

    The planning below moves inline schemas into components and leaves a reference in their
    place, so such a pointer would then lead through a reference, which JSON pointers never
    follow, and name nothing. That holds inside a component too: Azure's specs name
    ``#/components/schemas/Server/properties/ipConfiguration/properties/properties/...``.
    """
    holders: dict[Pointer, list[dict[str, Any]]] = {}
    for at, ref in list(iter_refs(document)):
        pointer = parse_pointer(ref)
        in_schema = "schema" in at or at[:2] == ("components", "schemas")
        if not pointer or not in_schema or (pointer[:2] == ("components", "schemas") and len(pointer) <= 3):
            continue
        try:
            holders.setdefault(pointer, []).append(resolve_pointer(document, at))
        except LookupError:
            continue
    found: list[tuple[Pointer, Any, Any]] = []
    for pointer in holders:
        try:
            parent, target = resolve_pointer(document, pointer[:-1]), resolve_pointer(document, pointer)
        except LookupError:  # validation refused it already; nothing to move
            continue
        if isinstance(target, dict) and isinstance(parent, (dict, list)):
            found.append((pointer, parent, target))
    taken = set(map(str, schemas)) | {pascal_case(str(name)) for name in schemas}
    # The deepest first: a schema inside another one is moved out before the other moves.
    for pointer, parent, target in sorted(found, key=lambda item: (-len(item[0]), item[0])):
        if set(target) == {"$ref"} and (parse_pointer(str(target["$ref"])) or ())[:2] == ("components", "schemas"):
            # A reference to a reference: the holders name what it names, and no class is made.
            for holder in holders[pointer]:
                holder["$ref"] = target["$ref"]
            continue
        name = _unique_name(_promoted_name(pointer), taken)
        schemas[name] = target
        reference = f"#/components/schemas/{name}"
        if isinstance(parent, list):
            parent[int(pointer[-1])] = {"$ref": reference}
        else:
            key = next(k for k in parent if str(k) == pointer[-1])
            parent[key] = {"$ref": reference}
        for holder in holders[pointer]:
            holder["$ref"] = reference


def _promoted_name(pointer: Pointer) -> str:
    """The name of what ``pointer`` leads to: its last part that is not a keyword, an index
    or a media type; an operation's method with its path."""
    for index in range(len(pointer) - 1, -1, -1):
        part = pointer[index]
        if part in _STRUCTURAL or part.isdigit() or (index and pointer[index - 1] == "content"):
            continue
        if part in HTTP_METHODS and index >= 2 and pointer[index - 2] == "paths":
            return f"{part} {pointer[index - 1]}"
        return part
    return "Schema"


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
            holder["$ref"] = pointer_ref(("components", "schemas", renames.get(pointer[2], pointer[2]), *pointer[3:]))


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


def _needs_class(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema or is_map(schema):
        return False
    if "enum" in schema:
        return True
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds or "properties" in schema or any(key in schema for key in ("allOf", "oneOf", "anyOf"))


# Keywords that datamodel-code-generator writes into ``Field(...)``. A list item or a union
# branch cannot carry a Field of its own, so for one of these it makes a root model and names
# it itself, after the property (``prices`` gives ``Price``), taking the name first come first
# served: Stripe's ``price`` object became ``Price1`` that way. Hoisted, the class is named by us.
_FIELD_CONSTRAINTS = frozenset(
    "maxLength minLength pattern maximum minimum exclusiveMaximum exclusiveMinimum multipleOf "
    "maxItems minItems maxProperties minProperties".split()
)


def _is_constrained_value(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and "$ref" not in schema
        and not is_map(schema)
        and any(key in schema for key in _FIELD_CONSTRAINTS)
    )


def _hoist(
    plan: SchemaPlan,
    taken: set[str],
    holder: dict[str, Any],
    key: str,
    name: str,
    label: str,
    at: Pointer,
    describe: bool = False,
) -> ClassName | None:
    """Move ``holder[key]`` into a component of its own, named ``name`` or after it; ``at``
    is where it is in the spec, for errors about the class."""
    schema = holder.get(key)
    if isinstance(schema, dict) and "$ref" in schema:
        pointer = parse_pointer(schema["$ref"])
        if pointer and len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
            return ClassName(pointer[2])
        return None
    if not isinstance(schema, dict) or not schema:
        return None
    class_name = _unique_name(name, taken)
    plan.document["components"]["schemas"][class_name] = schema
    # readOnly/writeOnly describe the property, not the class: they must stay where
    # _adjust_read_write_only looks for them, or a hoisted object is sent on the wrong side.
    sides = {flag: schema[flag] for flag in ("readOnly", "writeOnly") if flag in schema}
    reference: dict[str, Any] = {"$ref": f"#/components/schemas/{class_name}", **sides}
    if describe and isinstance(schema.get("description"), str):
        # The class keeps the description as its docstring; the field keeps it as its own.
        reference["description"] = schema["description"]
    holder[key] = reference
    plan.labels[class_name] = label
    plan.origins[class_name] = at
    _hoist_nested(plan, taken, class_name, schema, label, at)
    return class_name


def _hoist_bodies(plan: SchemaPlan, taken: set[str]) -> None:
    document = plan.document
    for path, method, operation, _ in list(iter_operations(document)):
        op_name = pascal_case(str(operation.get("operationId") or f"{method} {path}"))
        body = deref(document, operation.get("requestBody"))
        if isinstance(body, dict):
            chosen = pick_media(body.get("content"))
            untyped = chosen is not None and is_untyped_map(deref(document, chosen[1].get("schema")))
            if chosen is not None and isinstance(chosen[1], dict) and "schema" in chosen[1] and not untyped:
                written_at = ("paths", path, method, "requestBody")
                at = (*_place(operation.get("requestBody"), written_at), "content", chosen[0], "schema")
                class_name = _hoist(plan, taken, chosen[1], "schema", f"{op_name}Request", "Request", at)
                if class_name:
                    plan.request_bodies[(path, method)] = class_name
        responses = operation.get("responses")
        if not isinstance(responses, dict):
            continue
        for status, written in responses.items():
            response = deref(document, written)
            if not isinstance(response, dict):
                continue
            chosen = pick_media(response.get("content"))
            if chosen is None or "schema" not in chosen[1]:
                continue
            status = str(status)
            suffix = "Response" if status.startswith("2") else f"Error{status.capitalize()}"
            if status.startswith("2") and len([s for s in responses if str(s).startswith("2")]) > 1:
                suffix = f"Response{status}"
            at = (*_place(written, ("paths", path, method, "responses", status)), "content", chosen[0], "schema")
            class_name = _hoist(plan, taken, chosen[1], "schema", f"{op_name}{suffix}", suffix, at)
            if class_name:
                plan.responses[(path, method, status)] = class_name


def _place(node: Any, written_at: Pointer) -> Pointer:
    """Where ``node``, written at ``written_at``, is defined: what its ``$ref`` names, if any."""
    pointer = parse_pointer(node["$ref"]) if isinstance(node, dict) and isinstance(node.get("$ref"), str) else None
    return pointer if pointer else written_at


def _hoist_nested(plan: SchemaPlan, taken: set[str], parent: str, schema: Any, label: str, at: Pointer) -> None:
    """Name object and enum schemas found in properties, items and branches below ``schema``,
    which is at ``at`` in the spec.

    ``label`` is the end of ``parent`` that says what it holds (the property's name, then
    ``Item``, ``Value`` or ``Option<n>`` for each level below it); each class named here has
    its own recorded in ``plan.labels``, and where in the spec it was in ``plan.origins``."""
    if not isinstance(schema, dict):
        return
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for prop in list(properties):
            tail = pascal_case(str(prop))
            where = (*at, "properties", str(prop))
            if _needs_class(properties[prop]):
                _hoist(plan, taken, properties, prop, f"{parent}{tail}", tail, where, describe=True)
            else:
                _hoist_nested(plan, taken, f"{parent}{tail}", properties[prop], tail, where)
    for key, suffix in (("items", "Item"), ("additionalProperties", "Value")):
        # A constrained map value stays inline: the model generator types it as an alias.
        if _needs_class(schema.get(key)) or (key == "items" and _is_constrained_value(schema.get(key))):
            _hoist(plan, taken, schema, key, f"{parent}{suffix}", label + suffix, (*at, key))
        else:
            _hoist_nested(plan, taken, f"{parent}{suffix}", schema.get(key), label + suffix, (*at, key))
    if "discriminator" in schema:
        # Without a mapping, a branch's class name is its tag value: a name of ours would
        # become a value the API never sends.
        return
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if not isinstance(branches, list):
            continue
        for index, branch in enumerate(branches):
            option = f"Option{index + 1}"
            where = (*at, key, str(index))
            if _is_single_value_enum(branch):
                # Stripe's ``anyOf: [..., {enum: [""]}]`` ("send empty to unset") is a literal,
                # not a class of one member per property.
                branches[index] = {k: v for k, v in branch.items() if k != "enum"} | {"const": branch["enum"][0]}
            elif _needs_class(branch) or _is_constrained_value(branch):
                # Named by us, so the class gets the side's base (strict in requests) and can
                # be shared with an identical one (:mod:`generator.schema_sharing`).
                slot = {"branch": branch}
                _hoist(plan, taken, slot, "branch", parent + option, label + option, where)
                branches[index] = slot["branch"]
            else:
                _hoist_nested(plan, taken, parent + option, branch, label + option, where)


def _is_single_value_enum(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema or "const" in schema:
        return False
    values = schema.get("enum")
    return isinstance(values, list) and len(values) == 1 and isinstance(values[0], (str, int, float, bool))


def _split_shared_models(plan: SchemaPlan, taken: set[str]) -> None:
    """Give a model that both request and response bodies use a request twin, ``<Name>Input``.

    One class cannot be both: a request must refuse unknown fields and leave out what
    was not set, a response must keep what a newer API adds. The twin and every request
    class point at twins; the original is left to responses. Enums stay one class, since
    a value is either listed or not: the request models check that themselves.
    """
    schemas = plan.document["components"]["schemas"]
    request_side = reachable(plan.document, set(plan.request_bodies.values()))
    response_side = reachable(plan.document, set(plan.responses.values()))
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
