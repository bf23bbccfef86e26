"""The public surface of a generated package as data: what :mod:`generator.surface` reads
from the source and :mod:`generator.diff` compares.

Types are structures (:class:`PyType`), not strings, so ``Optional[X]``, ``X | None`` and
``Union[None, X]`` are one type, and a widened type can be told from a narrowed one
(:mod:`generator.subtyping`). Takes nothing; gives the classes and the two helpers that
make types (:func:`name_type`, :func:`union_of`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

TypeKind = Literal["name", "literal", "generic", "union"]


@dataclass(frozen=True)
class PyType:
    """A type annotation as a structure.

    ``name``: a class or builtin (``str``, ``None``, ``Any``, ``models.Order``, ``httpx.Timeout``);
    ``literal``: ``values`` are the reprs of the literal's values; ``generic``: ``name`` is
    the origin and ``args`` its arguments; ``union``: ``args`` are the members, sorted and
    flattened, never themselves unions.
    """

    kind: TypeKind
    name: str = ""
    args: tuple[PyType, ...] = ()
    values: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kind == "name":
            return self.name
        if self.kind == "literal":
            return f"Literal[{', '.join(self.values)}]"
        if self.kind == "generic":
            return f"{self.name}[{', '.join(str(a) for a in self.args)}]"
        members = sorted(self.args, key=lambda t: (t == NONE, str(t)))
        return " | ".join(str(m) for m in members)

    def walk(self) -> list[PyType]:
        """This type and every type inside it."""
        found = [self]
        for arg in self.args:
            found.extend(arg.walk())
        return found


ANY = PyType("name", "Any")
NONE = PyType("name", "None")


def name_type(name: str) -> PyType:
    return PyType("name", name)


def union_of(members: list[PyType]) -> PyType:
    """The union of ``members``, flattened; a single member is itself."""
    flat: set[PyType] = set()
    for member in members:
        flat.update(member.args if member.kind == "union" else (member,))
    literal_values = sorted({v for m in flat if m.kind == "literal" for v in m.values})
    flat = {m for m in flat if m.kind != "literal"}
    if literal_values:
        flat.add(PyType("literal", values=tuple(literal_values)))
    if len(flat) == 1:
        return next(iter(flat))
    return PyType("union", args=tuple(sorted(flat, key=str)))


@dataclass(frozen=True)
class Param:
    name: str
    kind: Literal["positional", "keyword", "var_positional", "var_keyword"]
    type: PyType
    required: bool
    default: str | None  # the default's source text, None when there is none


@dataclass(frozen=True)
class Method:
    name: str
    params: tuple[Param, ...]
    returns: PyType
    is_async: bool
    # documented status -> the error class it raises (for an operation's method)
    raises: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class ClientClass:
    name: str
    init: Method | None
    methods: dict[str, Method]
    properties: dict[str, PyType]


@dataclass(frozen=True)
class ModelField:
    name: str
    alias: str | None  # the wire name where it differs from the attribute
    type: PyType
    required: bool
    default: str | None

    @property
    def wire_name(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True)
class ModelClass:
    name: str
    kind: Literal["model", "enum", "root"]
    bases: tuple[str, ...]
    fields: dict[str, ModelField] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # enum member -> repr of its value
    enum_value_type: str = ""  # "str" or "int" for enums
    open_enum: bool = False
    root: PyType | None = None

    @property
    def request(self) -> bool:
        return "RequestModel" in self.bases


@dataclass(frozen=True)
class ErrorClass:
    name: str
    bases: tuple[str, ...]
    statuses: tuple[str, ...]
    body: PyType | None


@dataclass
class Surface:
    """Everything a user of one generated package can name."""

    package: str
    clients: dict[str, ClientClass] = field(default_factory=dict)
    models: dict[str, ModelClass] = field(default_factory=dict)
    errors: dict[str, ErrorClass] = field(default_factory=dict)
    exports: tuple[str, ...] = ()
    # The class the runtime raises for a status no operation documents ("404" -> NotFoundError,
    # "5XX" for every 5xx status), where the package has usual status classes.
    usual_errors: dict[str, str] = field(default_factory=dict)

    def raised_for(self, status: str, documented: Mapping[str, str]) -> str | None:
        """The error class a call raises for ``status``: the documented one, else the usual one."""
        if status in documented:
            return documented[status]
        return self.usual_errors.get(status) or (self.usual_errors.get("5XX") if status.startswith("5") else None)
