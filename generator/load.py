"""Stage 1: load a spec from disk: read its bytes, parse them, pull in the files it refers to.

Takes a path; gives a :class:`LoadedSpec`: the document as plain data, where each part of
it is written (:class:`~generator.parse.SourceMap`), and the sha256 of every file read.
Parsing is :mod:`generator.parse` (1a), pulling in other files is :mod:`generator.bundle`
(1b); this module only puts the two together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle import bundle_external_refs
from .errors import Diagnostic, GeneratorError
from .parse import SourceMap, decode_text, parse_text

__all__ = ["LoadedSpec", "SourceMap", "load_spec", "parse_text"]


@dataclass
class LoadedSpec:
    """A spec as read from disk: its data, where its parts are, and the bytes' hash."""

    path: Path
    display_path: str
    document: dict[str, Any]
    source_map: SourceMap
    sha256: str
    # Other files the spec refers to, pulled into ``document``, with the sha256 of each.
    bundled: dict[Path, str] = field(default_factory=dict)
    # Problems found while pulling those files in, reported with the spec's other problems.
    load_problems: list[Diagnostic] = field(default_factory=list)


def load_spec(path: Path, display_path: str | None = None) -> LoadedSpec:
    """Read and parse ``path``; raise :class:`GeneratorError` with located problems."""
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", f"cannot read file: {exc.strerror}")]) from None
    text = decode_text(raw, shown)
    document, source_map = parse_text(text, shown, is_json=path.suffix.lower() == ".json")
    bundle = bundle_external_refs(path, document, source_map)
    return LoadedSpec(
        path=path,
        display_path=shown,
        document=document,
        source_map=source_map,
        sha256=hashlib.sha256(raw).hexdigest(),
        bundled=bundle.files,
        load_problems=bundle.problems,
    )
