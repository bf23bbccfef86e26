"""Stage 3a, part: one class for each set of identical schemas that we named ourselves.

Takes a :class:`~generator.schemas.SchemaPlan` after its classes are classified; gives the
same plan with duplicates merged, in place.

Hoisting names every inline enum and object after where it sits, so a spec that repeats
one shape (Stripe lists the same ``[auto, manual]`` under a hundred properties, and the same
address object under every request that takes one) would become one class per place. Two
of those schemas become one class when they are the same, key for key (a description or
title aside, which the field keeps as its own), on the same side (strict request or lenient
response), with the same enum base. Only classes we named are merged: a spec's components
keep their own names, and request and response bodies keep the names the client uses.
Only schemas named after the same property are merged (``capture_method`` with
``capture_method``, never the ``receipt`` of a dispute with the ``icon`` of an account, however
alike), so the kept name still says what the value is wherever it is used.

The kept name is the shortest of the group, then the first in sorted order: readable, and
decided by the group alone, never by the order the document lists them in. Merging is
repeated until nothing changes, since objects that differed only by the enums they named
are identical once those enums are one.
"""

from __future__ import annotations

import json
from typing import Any

from .schema_sides import SchemaPlan
from .schema_tree import component_ref_holders

# Keys that only document a schema: the class keeps one of them, and each field the
# description it had (hoisting copied it onto the field).
_DOCUMENTING = frozenset({"description", "title"})
_PREFIX = "#/components/schemas/"


def share_identical_schemas(plan: SchemaPlan) -> None:
    """Merge identical hoisted schemas of ``plan`` into one class each."""
    schemas: dict[str, Any] = plan.document["components"]["schemas"]
    fixed: set[str] = {*plan.component_names.values(), *plan.request_bodies.values(), *plan.responses.values()}
    # Hoisted classes are referred to by whole-component references we wrote, never by a
    # discriminator mapping (those name the spec's own components): one index finds them all.
    holders = component_ref_holders(plan.document)
    while True:
        renames = _duplicates(plan, schemas, fixed)
        if not renames:
            return
        _apply(plan, schemas, renames, holders)


def _duplicates(plan: SchemaPlan, schemas: dict[str, Any], fixed: set[str]) -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        label = plan.labels.get(name)
        if name in fixed or label is None or not isinstance(schema, dict):
            continue
        shape = {key: value for key, value in schema.items() if key not in _DOCUMENTING}
        side = (label, name in plan.strict_models, name in plan.request_side, plan.enum_bases.get(name))
        try:
            key = json.dumps([side, shape], sort_keys=True)
        except (TypeError, ValueError):
            continue  # a value JSON cannot hold (a YAML date): left as it is
        groups.setdefault(key, []).append(name)
    renames: dict[str, str] = {}
    for names in groups.values():
        if len(names) > 1:
            kept = min(names, key=lambda n: (len(n), n))
            renames.update({name: kept for name in names if name != kept})
    return renames


def _apply(
    plan: SchemaPlan, schemas: dict[str, Any], renames: dict[str, str], holders: dict[str, list[dict[str, Any]]]
) -> None:
    members: dict[str, list[str]] = {}
    for old, new in renames.items():
        members.setdefault(new, [new]).append(old)
    for name, group in members.items():
        for key in _DOCUMENTING:
            if len({json.dumps(schemas[member].get(key)) for member in group}) > 1:
                # The members say different things; each field still says its own.
                schemas[name].pop(key, None)
    for old, new in renames.items():
        del schemas[old]
        plan.strict_models.discard(old)
        plan.request_side.discard(old)
        plan.enum_bases.pop(old, None)
        plan.labels.pop(old, None)
        moved = holders.pop(old, [])
        for holder in moved:
            holder["$ref"] = _PREFIX + new
        holders.setdefault(new, []).extend(moved)
