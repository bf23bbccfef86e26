"""Stage 3c: each model class's kind, guessed from the schema plan before the model stage runs.

datamodel-code-generator is the longest stage on a large spec, and the client needs little
of what it makes: which classes exist and which are enums or models. Guessed from the plan,
that lets the client be built, rendered and handed to the formatting helpers while the
model generator runs in this process. The guess records every question asked of it; the
client made from the guess is kept only when the model stage's answers to those questions
are the same (:meth:`KindGuess.agrees`), and is otherwise made again from the real answers.
A wrong guess therefore costs time, never a different file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .model_text import ClassKind
from .schemas import SchemaPlan

__all__ = ["KindGuess", "guess_kinds"]


def _kind_of(schema: Any) -> ClassKind:
    if not isinstance(schema, dict):
        return "root"
    if isinstance(schema.get("enum"), list):
        return "enum"
    if "oneOf" in schema or "anyOf" in schema:
        return "root"  # a union, whatever properties sit beside it
    if "properties" in schema or "allOf" in schema:
        return "model"
    if schema.get("type") == "object" and schema.get("additionalProperties") in (None, False):
        return "model"
    return "root"  # a map, a list or a scalar


def guess_kinds(plan: SchemaPlan) -> KindGuess:
    """One class per component schema of the plan's document (the plan has named them all),
    of the kind its schema's shape suggests."""
    schemas = plan.document.get("components", {}).get("schemas")
    guessed = {str(name): _kind_of(schema) for name, schema in (schemas.items() if isinstance(schemas, dict) else ())}
    return KindGuess(guessed)


class KindGuess(Mapping[str, ClassKind]):
    """Guessed kinds, by class name, remembering what was asked of them."""

    def __init__(self, guessed: dict[str, ClassKind]) -> None:
        self._guessed = guessed
        self._asked: set[str] = set()
        self._listed = False  # iterated or sized: every name was an answer

    def __getitem__(self, name: str) -> ClassKind:
        self._asked.add(name)
        return self._guessed[name]

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self._asked.add(name)
        return name in self._guessed

    def __iter__(self) -> Iterator[str]:
        self._listed = True
        return iter(self._guessed)

    def __len__(self) -> int:
        self._listed = True
        return len(self._guessed)

    def agrees(self, actual: Mapping[str, ClassKind]) -> bool:
        """Whether ``actual`` answers every question asked so far as the guess did."""
        if self._listed:
            return dict(actual) == self._guessed
        return all(actual.get(name) == self._guessed.get(name) for name in self._asked)
