"""Python names made from spec names, cleaned once so templates never have to.

``PythonIdentifier`` and ``ClassName`` are ``str`` subclasses: a value of either type has
already been made a valid, non-reserved identifier.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata


class PythonIdentifier(str):
    """A snake_case name that is a valid identifier and not a keyword."""

    __slots__ = ()


class ClassName(str):
    """A PascalCase name that is a valid identifier and not a keyword."""

    __slots__ = ()


def _words(text: str) -> list[str]:
    """Split ``text`` into words at punctuation, spaces and case changes ('getHTTPStatus' -> 3)."""
    words: list[str] = []
    for chunk in re.split(r"[\W_]+", unicodedata.normalize("NFKC", text)):
        if not chunk:
            continue
        current = chunk[0]
        for index in range(1, len(chunk)):
            previous, char = chunk[index - 1], chunk[index]
            following = chunk[index + 1] if index + 1 < len(chunk) else ""
            lower_to_upper = (previous.islower() or previous.isdigit()) and char.isupper()
            acronym_end = previous.isupper() and char.isupper() and following.islower()
            if lower_to_upper or acronym_end:
                words.append(current)
                current = char
            else:
                current += char
        words.append(current)
    return words


def snake_case(text: str, *, prefix: str = "field") -> PythonIdentifier:
    """``orderId`` -> ``order_id``; ``class`` -> ``class_``; ``2fa`` -> ``field_2fa``."""
    name = "_".join(word.lower() for word in _words(text)) or prefix
    if name[0].isdigit():
        name = f"{prefix}_{name}"
    if keyword.iskeyword(name) or not name.isidentifier():
        name = f"{name}_" if name.isidentifier() or keyword.iskeyword(name) else prefix
    return PythonIdentifier(name)


def pascal_case(text: str, *, prefix: str = "Model") -> ClassName:
    """``order-item`` -> ``OrderItem``; ``2xx`` -> ``Model2xx``."""
    name = "".join(word[:1].upper() + word[1:] for word in _words(text)) or prefix
    if name[0].isdigit():
        name = f"{prefix}{name}"
    if keyword.iskeyword(name) or not name.isidentifier():
        name = prefix
    return ClassName(name)


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... whichever is not in ``taken``; records the choice."""
    candidate, counter = name, 2
    while candidate in taken:
        candidate = f"{name}_{counter}" if not name[-1:].isupper() else f"{name}{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


# What a generated package imports, and what those import in turn: a package of one of
# these names, beside it on the import path, would be imported in its place.
_IMPORTED_BY_PACKAGES = frozenset(
    "httpx httpcore h11 anyio sniffio certifi idna "
    "pydantic pydantic_core annotated_types typing_extensions typing_inspection".split()
)


def package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the name of a generated package, or None when it can be."""
    if not name.isidentifier():
        return "is not a Python identifier"
    if keyword.iskeyword(name):
        return f"is a Python keyword, so 'import {name}' would not parse"
    if name in sys.stdlib_module_names:
        return "is a module of Python's standard library, which the package would hide wherever it is importable"
    if name in _IMPORTED_BY_PACKAGES:
        return "is a library that generated packages import, which the package would hide wherever it is importable"
    return None
