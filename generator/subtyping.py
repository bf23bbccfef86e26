"""Whether one type annotation fits where another is expected, as mypy would judge it,
and what a change of type means for callers, given which way the data flows.

Inputs (what callers pass) may widen: ``old <: new``. Outputs (what callers read) may
narrow: ``new <: old``. Data that flows both ways may not change. Classes are compared by
name (a class's own changes are judged at the class); the rest follows mypy: ``int <: float``,
``bool <: int``, a ``str`` enum ``<: str``, ``Literal['a'] <: str``, ``list``, ``dict`` and
``set`` invariant, ``Sequence`` and ``Mapping`` values covariant, ``Any`` fitting both ways.
"""

from __future__ import annotations

from typing import Literal

from .surface_model import ANY, NONE, PyType, union_of

Severity = Literal["breaking", "compatible"]
Direction = Literal["input", "output", "both"]

# Generic origins whose arguments may vary covariantly; anything else is invariant, as
# mypy treats list, dict and set (and as is safe for a class it does not know).
_COVARIANT = frozenset(
    {"Sequence", "Iterable", "Collection", "Iterator", "tuple", "frozenset", "AbstractSet", "type", "Reversible"}
)
_MAPPINGS = frozenset({"Mapping"})  # key invariant, value covariant
# origin -> the origins it is a subtype of, with the same arguments
_GENERIC_SUPERS = {
    "list": {"Sequence", "Iterable", "Collection", "Reversible"},
    "tuple": {"Sequence", "Iterable", "Collection"},
    "Sequence": {"Iterable", "Collection"},
    "set": {"AbstractSet", "Iterable", "Collection"},
    "frozenset": {"AbstractSet", "Iterable", "Collection"},
    "dict": {"Mapping"},
}
# mypy's promotions and the builtin hierarchy that matters for annotations
_NAME_SUPERS = {
    "bool": {"int", "float", "complex"},
    "int": {"float", "complex"},
    "float": {"complex"},
    "AwareDatetime": {"datetime"},
    "NaiveDatetime": {"datetime"},
    "datetime": {"date"},
}


class Subtyping:
    """``is_sub(a, b)``: every value of ``a`` is a value of ``b``, as mypy would judge it.

    Class names are compared by name, after ``renames`` (old name -> new name) has been
    applied to the old side, so a class renamed with the same shape does not make every
    field that refers to it look changed too. ``supers`` gives, per class name, the other
    names it is a subtype of (a model's bases, ``str`` for a string enum).
    """

    def __init__(self, supers: dict[str, set[str]], *, invariance: bool = True) -> None:
        self.supers = supers
        self.invariance = invariance  # False: every generic covariant, to explain a verdict

    def _name_sub(self, a: str, b: str) -> bool:
        if a == b or b in ("object", "Any"):
            return True
        seen: set[str] = set()
        todo = [a]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            above = self.supers.get(current, set()) | _NAME_SUPERS.get(current, set())
            if b in above:
                return True
            todo.extend(above)
        return False

    def is_sub(self, a: PyType, b: PyType) -> bool:
        if a == b or b == ANY or a == ANY:
            return True
        if a.kind == "union":
            return all(self.is_sub(member, b) for member in a.args)
        if b.kind == "union":
            if a.kind == "literal":  # each value may be covered by a different member
                return all(any(self.is_sub(PyType("literal", values=(v,)), m) for m in b.args) for v in a.values)
            return any(self.is_sub(a, member) for member in b.args)
        if a.kind == "literal":
            if b.kind == "literal":
                return set(a.values) <= set(b.values)
            return all(self._name_sub(_literal_class(v), b.name) for v in a.values) if b.kind == "name" else False
        if b.kind == "literal":
            return False
        if a.kind == "name" and b.kind == "name":
            return self._name_sub(a.name, b.name)
        if a.kind == "generic" and b.kind == "generic":
            if a.name != b.name and b.name not in _GENERIC_SUPERS.get(a.name, set()):
                return False
            if len(a.args) != len(b.args):
                return a.name == "tuple" and b.name != "tuple" and all(self.is_sub(x, b.args[0]) for x in a.args)
            if b.name in _COVARIANT or not self.invariance:
                return all(self.is_sub(x, y) for x, y in zip(a.args, b.args, strict=True))
            if b.name in _MAPPINGS:
                key_a, value_a = a.args
                key_b, value_b = b.args
                return self.same(key_a, key_b) and self.is_sub(value_a, value_b)
            return all(self.same(x, y) for x, y in zip(a.args, b.args, strict=True))
        if a.kind == "generic" and b.kind == "name":
            return self._name_sub(a.name, b.name)
        return False

    def same(self, a: PyType, b: PyType) -> bool:
        return self.is_sub(a, b) and self.is_sub(b, a)


def _literal_class(value: str) -> str:
    if value in ("True", "False"):
        return "bool"
    if value.startswith(("'", '"')):
        return "str"
    if value.startswith(("b'", 'b"')):
        return "bytes"
    return "float" if "." in value else "int"


def rename_type(kind: PyType, renames: dict[str, str]) -> PyType:
    if not renames:
        return kind
    if kind.kind == "name":
        return PyType("name", renames.get(kind.name, kind.name))
    if kind.kind == "union":
        return union_of([rename_type(a, renames) for a in kind.args])
    if kind.kind == "generic":
        return PyType("generic", kind.name, tuple(rename_type(a, renames) for a in kind.args))
    return kind


def judge_type(old: PyType, new: PyType, direction: Direction, types: Subtyping) -> tuple[Severity, str] | None:
    """How a change of type from ``old`` to ``new`` affects callers, or None when it does not."""
    if types.same(old, new):
        return None
    if direction == "both":
        return (
            "breaking",
            f"type changed from {old} to {new}; it is both sent and received, so any change breaks one side",
        )
    widened = types.is_sub(old, new)
    narrowed = types.is_sub(new, old)
    covariant = Subtyping(types.supers, invariance=False)
    invariant = "list and dict are invariant under mypy, so"
    if direction == "input":
        if widened:
            return "compatible", f"accepts more: type widened from {old} to {new}"
        if covariant.is_sub(old, new):
            return "breaking", f"type changed from {old} to {new}; {invariant} a caller's {old} does not fit"
        word = "narrowed" if narrowed else "changed"
        return "breaking", f"type {word} from {old} to {new}; some values callers pass today are refused"
    if narrowed:
        return "compatible", f"type narrowed from {old} to {new}"
    if has_none(new) and not has_none(old) and types.is_sub(without_none(new), old):
        return "breaking", f"became nullable ({old} -> {new}); reading it now needs a None check"
    if covariant.is_sub(new, old):
        return "breaking", f"type changed from {old} to {new}; {invariant} code keeping it as {old} fails"
    word = "widened" if widened else "changed"
    return "breaking", f"type {word} from {old} to {new}; code reading it as {old} no longer type-checks"


def has_none(kind: PyType) -> bool:
    return kind == NONE or (kind.kind == "union" and NONE in kind.args)


def without_none(kind: PyType) -> PyType:
    if kind.kind != "union":
        return kind
    return union_of([a for a in kind.args if a != NONE])
