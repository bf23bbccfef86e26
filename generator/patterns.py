"""Part of stage 2: which regex engine can enforce a spec's ``pattern`` in a generated model.

Takes a pattern's text; gives "rust", "python" or ``None`` (:func:`regex_engine_for`), and
whether a value matches (:func:`rust_regex_matches`). The engines are asked, not imitated:
pydantic-core's Rust engine first, then Python's ``re``, whose warnings count as refusals.
"""

from __future__ import annotations

import functools
import importlib
import re
import warnings
from typing import Any


@functools.lru_cache(maxsize=4096)
def regex_engine_for(pattern: str) -> str | None:
    """Which engine can enforce ``pattern`` in a generated model: "rust" (pydantic-core's
    default), "python" (Python's ``re``, which pydantic uses for a compiled pattern), or
    ``None`` when neither can compile it. Asked of the engines themselves, not guessed."""
    if _rust_regex_compiles(pattern):
        return "rust"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, ValueError, OverflowError, RecursionError):
        return None
    if python_warns(pattern):
        # ``[[A-Z]`` compiles with a FutureWarning (a nested set, whose meaning Python will
        # change): the package would warn on every import and fail under ``-W error``.
        return None
    if SURROGATE.search(pattern) or any(0xD800 <= ord(ch) <= 0xDFFF for ch in pattern):
        # Python compiles surrogates, but its strings hold code points, never UTF-16 halves:
        # such a pattern (JavaScript's way to say "an emoji") would refuse every real value.
        return None
    return "python"


def python_warns(pattern: str) -> bool:
    # Parsed, not compiled: ``re.compile`` answers a pattern it has seen from its cache,
    # without the warning.
    parser: Any = importlib.import_module("re._parser")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parser.parse(pattern)
        except Exception:  # compiled above; a parser that still refuses it warns nothing new
            return False
    return bool(caught)


SURROGATE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|x\{0*[dD][89a-fA-F][0-9a-fA-F]{2}\})")


def _rust_regex_compiles(pattern: str) -> bool:
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return False
    except Exception:  # a pattern text PyO3 cannot hand over (a lone surrogate)
        return False
    return True


def rust_regex_matches(pattern: str, value: str) -> bool:
    """Whether ``value`` matches, asked of the Rust engine, which takes linear time: a
    spec's pattern and default must not be able to make Python's ``re`` backtrack for
    ever. A pattern only Python compiles is not checked here."""
    from pydantic_core import SchemaValidator, ValidationError, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern)).validate_python(value)
    except ValidationError:
        return False
    except Exception:  # the Rust engine cannot compile it
        return True
    return True
