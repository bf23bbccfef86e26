"""Stage 2: decide whether a loaded document is an OpenAPI spec this generator can use.

Takes a :class:`~generator.load.LoadedSpec`; gives its warnings, or raises
:class:`~generator.errors.GeneratorError` with every error found.

Every problem is collected and reported together. openapi-spec-validator does the
structural checks (:mod:`generator.spec_validator`); the checks it cannot do, or that
crash it, run first and here: the OpenAPI version, ``$ref`` targets, reference cycles,
operationIds, and paths that differ only in their parameters' names. Schema keywords that
cannot become code, or that another draft spells differently, are found by
:mod:`generator.schema_fixes` (with :mod:`generator.schema_defaults` and
:mod:`generator.patterns`) and reported as warnings; docs/validation.md says which
problems refuse a spec and which do not.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from .document import HTTP_METHODS, Pointer, iter_operations, iter_refs, parse_pointer, resolve_pointer
from .errors import Diagnostic, GeneratorError
from .load import LoadedSpec

# schemas.py and models.py import these from here.
from .patterns import regex_engine_for
from .processes import Helpers
from .schema_fixes import SchemaFix, apply_schema_fixes, find_schema_fixes
from .spec_validator import VERSIONS, run_spec_validator

__all__ = [
    "GeneratorError",
    "SchemaFix",
    "apply_schema_fixes",
    "find_schema_fixes",
    "regex_engine_for",
    "start_validation",
    "validate_spec",
]


def validate_spec(spec: LoadedSpec) -> list[Diagnostic]:
    """Raise :class:`GeneratorError` listing every error; return the warnings."""
    return start_validation(spec).result()


@dataclass
class Validation:
    """The verdict of :func:`start_validation`: the checks made here, and
    openapi-spec-validator's, which may still be under way in a helper process. ``fixes``
    are the schema keywords it left out with a warning, which the model stage leaves out too."""

    found: list[Diagnostic]
    _spec: LoadedSpec
    _validator_due: bool  # whether openapi-spec-validator's verdict is still to be added
    fixes: list[SchemaFix] = field(default_factory=list)
    _running: Future[list[Diagnostic]] | None = None
    _helpers: Helpers | None = None

    def result(self) -> list[Diagnostic]:
        """The warnings; or :class:`GeneratorError` with every problem, once any is an error."""
        if self._validator_due:
            self.found.extend(self._validator_verdict())
            self._validator_due = False
        if any(d.severity == "error" for d in self.found):
            raise GeneratorError(self.found)
        return self.found

    def checked(self) -> Validation:
        """This verdict, made now: raises if the spec is refused."""
        self.result()
        return self

    def _validator_verdict(self) -> list[Diagnostic]:
        if self._running is not None and self._helpers is not None:
            running, self._running = self._running, None
            try:
                return self._helpers.wait(running)
            except Exception:  # the helper died (killed, out of memory): run it here instead
                pass
        return list(run_spec_validator(self._spec, _validator_input(self._spec, self.fixes)))


def _validate_pickled(payload: bytes) -> list[Diagnostic]:
    """openapi-spec-validator's verdict, in a helper, on a pickled spec and its fixes."""
    spec, fixes = pickle.loads(payload)
    # The document unpickled here is this process's own: the fixes need no copy of it.
    return list(run_spec_validator(spec, _validator_input(spec, fixes, owned=True)))


def start_validation(spec: LoadedSpec, helpers: Helpers | None = None) -> Validation:
    """Make the checks that the later stages rely on now, and raise if they fail; start
    openapi-spec-validator's, which no later stage needs, on one of ``helpers`` if there
    is one. Call :meth:`Validation.result` before using what the later stages made: a spec
    it refuses is reported as refused, whatever those stages made of it."""
    diagnostics = list(_check_version(spec))
    if diagnostics:
        return Validation(diagnostics, spec, False).checked()
    # References into other files that could not be pulled in were reported, more
    # precisely, while loading; the same places are not reported twice.
    reported = {(d.file, d.line, d.column) for d in spec.load_problems}
    ref_problems = list(spec.load_problems) + [
        d for d in _check_references(spec) if (d.file, d.line, d.column) not in reported
    ]
    diagnostics.extend(ref_problems)
    diagnostics.extend(_check_operation_ids(spec))
    diagnostics.extend(_check_path_templates(spec))
    if ref_problems:
        return Validation(diagnostics, spec, False).checked()
    fixes = find_schema_fixes(spec.document)
    for fix in fixes:
        line, column = spec.source_map.locate_key(fix.warn_at)
        diagnostics.append(Diagnostic(spec.source_map.file, line, column, "warning", fix.message))
    if any(d.severity == "error" for d in diagnostics):
        # Refused already: the validator's findings are added, but nothing runs after this.
        return Validation(diagnostics, spec, True, fixes).checked()
    validation = Validation(diagnostics, spec, True, fixes)
    if helpers is not None:
        # The validator's copy of the document is made in the helper, from these: building
        # it here (a deep copy, for a spec with fixes) kept the model stage waiting.
        try:
            payload = pickle.dumps((spec, fixes), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):  # a value YAML made that cannot cross
            return validation
        validation._helpers = helpers
        validation._running = helpers.run(_validate_pickled, payload)
    return validation


def _validator_input(spec: LoadedSpec, fixes: list[SchemaFix], owned: bool = False) -> dict[str, Any]:
    """The document as openapi-spec-validator is to see it; ``owned``: ``spec.document`` is
    this call's to change."""
    document = spec.document
    if fixes:
        # The validator would refuse what is left out anyway; it checks the rest.
        if not owned:
            import copy

            document = copy.deepcopy(spec.document)
        apply_schema_fixes(document, fixes, for_validator=True)
    if _has_number_keys(document):
        # YAML reads an unquoted ``200:`` as a number, which the validator cannot
        # take; JSON, which OpenAPI documents are, has text keys only.
        document = _with_text_keys(document)
    return document


def _has_number_keys(document: Any) -> bool:
    stack = [document]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if any(not isinstance(key, str) for key in node):
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _with_text_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _with_text_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_text_keys(value) for value in node]
    return node


def _check_version(spec: LoadedSpec) -> Iterator[Diagnostic]:
    doc, where = spec.document, spec.source_map
    if "swagger" in doc:
        yield where.diagnostic(
            ("swagger",),
            f"Swagger {doc['swagger']} is not supported: convert the spec to OpenAPI 3 first "
            "(for example with the swagger2openapi converter), then generate from that",
        )
        return
    version = doc.get("openapi")
    if version is None:
        yield where.diagnostic((), "not an OpenAPI document: it has no top-level 'openapi' field")
        return
    if not isinstance(version, str) or version[:3] not in VERSIONS:
        yield where.diagnostic(
            ("openapi",),
            f"unsupported OpenAPI version {version!r}: expected a string such as '3.0.3' or '3.1.0'",
        )


def _check_references(spec: LoadedSpec) -> Iterator[Diagnostic]:
    doc, where = spec.document, spec.source_map
    alias_of: dict[Pointer, Pointer] = {}
    for at, ref in iter_refs(doc):
        target = parse_pointer(ref)
        if target is None:
            yield where.diagnostic(
                (*at, "$ref"),
                f"$ref {ref!r} points into another file, which was not read with this spec",
            )
            continue
        try:
            resolve_pointer(doc, target)
        except LookupError:
            yield where.diagnostic((*at, "$ref"), f"$ref {ref!r} cannot be resolved: no such location")
            continue
        node = resolve_pointer(doc, at)
        if isinstance(node, dict) and set(node) <= {"$ref", "description", "summary"}:
            alias_of[at] = target
    yield from _check_alias_cycles(alias_of, where)


def _check_alias_cycles(alias_of: dict[Pointer, Pointer], where: Any) -> Iterator[Diagnostic]:
    """A chain of bare ``$ref``s that returns to its start describes no value at all."""
    reported: set[Pointer] = set()
    for start in sorted(alias_of):
        seen: list[Pointer] = [start]
        current = alias_of[start]
        while current in alias_of and current not in seen:
            seen.append(current)
            current = alias_of[current]
        if current == start and start not in reported:
            reported.update(seen)
            chain = " -> ".join("#/" + "/".join(p) for p in [*seen, start])
            yield where.diagnostic(
                (*start, "$ref"), f"reference cycle with no schema in it cannot be generated: {chain}"
            )


def _check_operation_ids(spec: LoadedSpec) -> Iterator[Diagnostic]:
    first_seen: dict[str, Pointer] = {}
    for _, _, operation, at in iter_operations(spec.document):
        op_id = operation.get("operationId")
        if not isinstance(op_id, str):
            continue
        if op_id in first_seen:
            first = spec.source_map.locate((*first_seen[op_id], "operationId"))
            here = spec.source_map.locate((*at, "operationId"))
            yield spec.source_map.diagnostic(
                (*at, "operationId"),
                f"duplicate operationId {op_id!r} (first used on {_other_place(first, here)})",
            )
        else:
            first_seen[op_id] = at


def _check_path_templates(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """``/orders/{id}`` and ``/orders/{orderId}`` match the same requests, which the OpenAPI
    specification forbids; Google's and AWS's published specs have many such pairs. A
    client still knows what to send: each operation has its own path and parameters, and
    is generated as written. Only a server, the test double included, cannot tell two such
    operations apart when they share a method, so the warning names those methods."""
    paths = spec.document.get("paths")
    if not isinstance(paths, dict):
        return
    first_seen: dict[str, tuple[str, Any]] = {}  # each shape's first path, with its path item
    for path, item in paths.items():
        shape = _TEMPLATE.sub("{}", str(path))
        if shape not in first_seen:
            first_seen[shape] = (str(path), item)
            continue
        first, first_item = first_seen[shape]
        here = spec.source_map.locate_key(("paths", str(path)))
        there = _other_place(spec.source_map.locate_key(("paths", first)), here)
        shared = [m.upper() for m in HTTP_METHODS if _has_method(item, m) and _has_method(first_item, m)]
        consequence = (
            f"; both have {' and '.join(shared)}: the fake in testing.py answers such a request with"
            " the first of them, in the order of their paths, whose parameters accept it"
            if shared
            else ""
        )
        yield Diagnostic(
            spec.source_map.file,
            *here,
            "warning",
            f"path {str(path)!r} differs from {first!r} ({there}) only in the names of its "
            "parameters, so both match the same requests, which OpenAPI forbids; each "
            f"operation is generated with its own path{consequence}",
        )


def _has_method(path_item: Any, method: str) -> bool:
    return isinstance(path_item, dict) and isinstance(path_item.get(method), dict)


def _other_place(other: tuple[int, int], here: tuple[int, int]) -> str:
    """Where ``other`` is, said so that it can be found from ``here``: a minified JSON spec
    is one line, and "line 1" would point at all of it."""
    if other[0] == here[0]:
        return f"line {other[0]}, column {other[1]}"
    return f"line {other[0]}"


_TEMPLATE = re.compile(r"\{[^{}/]*\}")
