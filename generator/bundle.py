"""Stage 1b: pull ``$ref``s into other files into the spec, so later stages see one
document.

A referenced schema, parameter, response... becomes a component of the spec under its own
name (``other.yaml#/components/schemas/Pet`` becomes ``#/components/schemas/Pet``, renamed
only if the spec already has one), so names survive and a recursive schema stays one class.
A referenced path item is copied in place, since OpenAPI 3.0 has no component for it.
References inside a pulled-in file are resolved against that file. Remote URLs are not
fetched: generation never depends on the network.

A file that cannot be used (unreadable, not UTF-8, not YAML or JSON) is reported at each
``$ref`` that names it, where the author can act on it. Whatever is pulled in is mounted
on the spec's source map, so a later problem inside it is reported in that file, at its line.
"""

from __future__ import annotations

import copy
import hashlib
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .document import Pointer, iter_refs, parse_pointer, resolve_pointer
from .errors import Diagnostic, GeneratorError
from .parse import SourceMap, decode_text, parse_text

_COMPONENT_KINDS = frozenset(
    {
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
    }
)
_CONTEXT_KINDS = {
    "parameters": "parameters",
    "responses": "responses",
    "requestBody": "requestBodies",
    "headers": "headers",
}


@dataclass
class _Source:
    document: Any
    source_map: SourceMap


@dataclass
class Bundle:
    """The files a spec pulled in, by path, with the sha256 of each one's bytes."""

    files: dict[Path, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _kind_for(holder: Pointer, target: Pointer) -> str | None:
    """Which components section a pulled-in object belongs in; ``None`` to copy it in place."""
    if len(target) >= 3 and target[0] == "components" and target[1] in _COMPONENT_KINDS:
        return target[1]
    if len(holder) == 2 and holder[0] == "paths":
        return None
    for part in reversed(holder):
        if part in _CONTEXT_KINDS:
            return _CONTEXT_KINDS[part]
        if part in ("schema", "properties", "items", "allOf", "oneOf", "anyOf", "schemas"):
            return "schemas"
    return "schemas"


class _Unusable(Exception):
    """A referenced file that cannot be read as a spec: the first problem, where it is."""

    def __init__(self, problem: Diagnostic) -> None:
        super().__init__(problem.message)
        self.problem = problem

    def describe(self, name: str) -> str:
        at = (self.problem.line, self.problem.column)
        where = f" (line {at[0]}, column {at[1]})" if at != (1, 1) else ""
        return f"{name}{where}: {self.problem.message}"


class _Bundler:
    def __init__(self, main_path: Path, document: dict[str, Any], main_map: SourceMap) -> None:
        self.main_path = main_path.resolve()
        self.document = document
        self.main_map = main_map
        self.sources: dict[Path, _Source | _Unusable] = {self.main_path: _Source(document, main_map)}
        self.imported: dict[tuple[Path, str], str] = {}
        self.bundle = Bundle()
        self.problems: list[Diagnostic] = []

    def _shown(self, path: Path) -> str:
        """A referenced file named as the spec is named, relative to the same project root."""
        relative = os.path.relpath(path, self.main_path.parent).replace(os.sep, "/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.main_map.file), relative))

    def _load(self, path: Path) -> _Source:
        if path not in self.sources:
            shown = self._shown(path)
            raw = path.read_bytes()  # an OSError is reported at the $ref by the caller
            try:
                text = decode_text(raw, shown)
                document, source_map = parse_text(text, shown, is_json=path.suffix.lower() == ".json")
            except GeneratorError as exc:
                self.sources[path] = _Unusable(exc.diagnostics[0])
            else:
                self.sources[path] = _Source(document, source_map)
                self.bundle.files[path] = hashlib.sha256(raw).hexdigest()
        found = self.sources[path]
        if isinstance(found, _Unusable):
            raise found
        return found

    def run(self) -> None:
        self._visit(self.document, self.main_path, (), ())

    def _visit(self, node: Any, current: Path, base: Pointer, main_base: Pointer) -> None:
        """Pull in every reference below ``node``, which is at ``base`` in ``current`` and
        at ``main_base`` in the spec."""
        for at, ref in list(iter_refs(node)):
            holder = resolve_pointer(node, at)
            file_part, _, fragment = ref.partition("#")
            if not file_part and current == self.main_path:
                continue  # a local reference of the spec itself
            where = self._source(current).source_map
            if "://" in file_part:
                self.problems.append(
                    where.diagnostic(
                        (*base, *at, "$ref"),
                        f"$ref {ref!r} names a remote URL, which is not fetched; "
                        "save the file beside the spec and refer to it by relative path",
                    )
                )
                continue
            try:
                target_path = (current.parent / unquote(file_part)).resolve() if file_part else current
            except (OSError, ValueError) as exc:  # a NUL byte, a loop of symbolic links
                self.problems.append(
                    where.diagnostic((*base, *at, "$ref"), f"$ref {ref!r} names no file that can be read: {exc}")
                )
                continue
            if target_path == self.main_path:
                holder["$ref"] = "#" + fragment  # the spec naming itself: a local reference after all
                continue
            local = self.imported.get((target_path, fragment))
            if local is None:
                local = self._pull(holder, (*base, *at), (*main_base, *at), ref, target_path, fragment, where)
                if local is None:
                    continue
            if local.startswith("#"):
                holder["$ref"] = local

    def _source(self, path: Path) -> _Source:
        found = self.sources[path]
        assert isinstance(found, _Source)  # only files that were read are visited
        return found

    def _pull(
        self,
        holder: dict[str, Any],
        at: Pointer,
        main_at: Pointer,
        ref: str,
        target_path: Path,
        fragment: str,
        where: SourceMap,
    ) -> str | None:
        try:
            source = self._load(target_path)
        except OSError as exc:
            self.problems.append(
                where.diagnostic((*at, "$ref"), f"$ref {ref!r}: cannot read {target_path.name}: {exc.strerror}")
            )
            return None
        except _Unusable as exc:
            named = unquote(ref.partition("#")[0]) or target_path.name
            self.problems.append(where.diagnostic((*at, "$ref"), f"$ref {ref!r}: cannot use {exc.describe(named)}"))
            return None
        pointer = parse_pointer("#" + fragment)
        try:
            if pointer is None:
                raise LookupError(fragment)
            target = resolve_pointer(source.document, pointer)
        except LookupError:
            self.problems.append(where.diagnostic((*at, "$ref"), f"$ref {ref!r} cannot be resolved: no such location"))
            return None
        kind = _kind_for(at, pointer)
        pulled = copy.deepcopy(target)
        if kind is None:
            holder.clear()
            holder.update(pulled if isinstance(pulled, dict) else {})
            self.main_map.mount(main_at, source.source_map, pointer)
            self._visit(holder, target_path, pointer, main_at)
            return ""
        components = self.document.setdefault("components", {})
        section = components.setdefault(kind, {})
        wanted = pointer[-1] if pointer else target_path.stem
        name, counter = wanted, 2
        while name in section:
            name = f"{wanted}{counter}"
            counter += 1
        local = f"#/components/{kind}/{_escape(name)}"
        self.imported[(target_path, fragment)] = local
        section[name] = pulled
        self.main_map.mount(("components", kind, name), source.source_map, pointer)
        self._visit(pulled, target_path, pointer, ("components", kind, name))
        return local


def bundle_external_refs(path: Path, document: dict[str, Any], source_map: SourceMap) -> Bundle:
    """Rewrite ``document`` in place so that it refers to no other file it can read; the
    references it cannot follow are left as they are and described in ``problems``."""
    if not any(not ref.startswith("#") for _, ref in iter_refs(document)):
        return Bundle()
    bundler = _Bundler(path, document, source_map)
    bundler.run()
    # A file pulled in twice (under two names) repeats its problems at the same places.
    bundler.bundle.problems = sorted(set(bundler.problems))
    return bundler.bundle
