"""Plumbing the stage tests share: a spec from a few lines of YAML, one stage run alone,
and a helper process that dies on the work it is given.

Each helper runs exactly the stages before the one under test, in memory, so a failure
points at that stage rather than at the CLI or the whole pipeline.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from generator.build import build_package
from generator.ir import Operation, Package
from generator.load import LoadedSpec, parse_text
from generator.models import ClassKind
from generator.operations import operation_views
from generator.schemas import plan_schemas

SPEC_NAME = "spec.yaml"
T = TypeVar("T")


class DeadHelper:
    """A helper process (generator.processes.Helpers) that takes the work and dies on it."""

    parallel = True

    def run(self, job: Callable[[bytes], T], payload: bytes) -> Future[T]:
        died: Future[T] = Future()
        died.set_exception(BrokenProcessPool("killed"))
        return died

    def wait(self, future: Future[T]) -> T:
        return future.result()


def spec_from(text: str) -> LoadedSpec:
    """A loaded spec from YAML text (dedented), named ``spec.yaml`` in its diagnostics."""
    document, source_map = parse_text(textwrap.dedent(text), SPEC_NAME)
    return LoadedSpec(Path(SPEC_NAME), SPEC_NAME, document, source_map, "0" * 64)


def openapi(paths: dict[str, Any], components: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A minimal valid document around ``paths``."""
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    if components:
        document["components"] = components
    document.update(top)
    return document


def loaded(document: dict[str, Any]) -> LoadedSpec:
    return spec_from(_yaml(document))


def _yaml(document: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(document, sort_keys=False)


def package_of(document: dict[str, Any], classes: dict[str, ClassKind] | None = None) -> Package:
    """The IR of ``document``; ``classes`` stands in for what the model stage produced."""
    spec = loaded(document)
    package, _ = build_package(spec, plan_schemas(spec.document), classes or {}, "pkg", operation_views(spec.document))
    return package


def only_operation(document: dict[str, Any], classes: dict[str, ClassKind] | None = None) -> Operation:
    (operation,) = package_of(document, classes).operations
    return operation
