"""Stage 6: black, in-process, on every Python file of a package."""

from __future__ import annotations

import black

from .errors import Diagnostic, GeneratorError

_MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)


def format_files(files: dict[str, str], display_path: str) -> dict[str, str]:
    """The same files with Python formatted; other files as they are."""
    formatted: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            formatted[path] = text
            continue
        try:
            formatted[path] = black.format_str(text, mode=_MODE)
            # black's grammar is more permissive than Python's (it accepts ``def f(*,)``):
            # compile the result too, so invalid code is never written.
            compile(formatted[path], path, "exec", dont_inherit=True)
        except Exception as exc:  # black or Python could not parse what a template produced
            message = " ".join(str(exc).split())[:300]
            raise GeneratorError(
                [Diagnostic(display_path, 1, 1, "error", f"internal: generated {path} is not valid Python: {message}")]
            ) from None
    return formatted
