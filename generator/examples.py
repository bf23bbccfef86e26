"""Example values the spec documents, found where OpenAPI lets a spec write them.

Used by :mod:`generator.build`, which records them in the IR for the README; nothing after
the build reads the document again to find them.
"""

from __future__ import annotations

from typing import Any

from .document import deref
from .ir import Example


def first_example(document: dict[str, Any], holder: Any) -> Example | None:
    """The first of a media type's or parameter's named ``examples``, else its ``example``."""
    if not isinstance(holder, dict):
        return None
    named = holder.get("examples")
    if isinstance(named, dict) and named:
        first = deref(document, next(iter(named.values())))
        if isinstance(first, dict) and "value" in first:
            return Example(first["value"])
    if "example" in holder:
        return Example(holder["example"])
    return None


def parameter_example(document: dict[str, Any], parameter: dict[str, Any]) -> Example | None:
    """A parameter's own example, else its schema's: ``example``, the first of its
    ``examples`` list, else its ``default``."""
    found = first_example(document, parameter)
    if found is not None:
        return found
    schema = deref(document, parameter.get("schema"))
    found = first_example(document, schema)
    if found is None and isinstance(schema, dict):
        listed = schema.get("examples")
        if isinstance(listed, list) and listed:
            return Example(listed[0])
        if "default" in schema:
            return Example(schema["default"])
    return found
