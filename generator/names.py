"""Python names made from spec names, cleaned once so templates never have to.

``PythonIdentifier`` and ``ClassName`` are ``str`` subclasses: a value of either type has
already been made a valid, non-reserved identifier.
"""

from __future__ import annotations

import keyword
import re
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
