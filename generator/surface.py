"""The public surface of a generated package, read from its Python source with :mod:`ast`.

What a consuming team programs against is the code, not the spec: the classes ``Client``
and ``AsyncClient`` (their constructor keywords, methods, parameters and return types),
the classes of ``models`` (fields, wire names, types, required-ness; enum members and
whether the enum is open), the classes of ``errors`` (bases, statuses, bodies) and what
the package exports. Reading that from the source, rather than from the generator's
intermediate representation, means one extractor serves a package folder on disk, a
package generated in memory (``{path: text}`` from :mod:`generator.pipeline`), and a
package made by an older or newer generator whose internals differ: only the contract in
DESIGN.md is assumed, never the exact text of today's templates.

Types are kept as structures (:class:`PyType`), not strings, so ``Optional[X]``,
``X | None`` and ``Union[None, X]`` are one type, and :mod:`generator.diff` can tell a
widened type from a narrowed one.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .errors import Diagnostic, GeneratorError

SURFACE_FILES = ("__init__.py", "client.py", "models.py", "errors.py", "_exceptions.py")
CLIENT_CLASSES = ("Client", "AsyncClient")
ENUM_BASES = {
    "StrictStrEnum": ("str", False),
    "OpenStrEnum": ("str", True),
    "StrictIntEnum": ("int", False),
    "OpenIntEnum": ("int", True),
    "StrEnum": ("str", False),
    "IntEnum": ("int", False),
    "Enum": ("", False),
}
MODEL_BASES = ("RequestModel", "ResponseModel", "BaseModel")

# typing spellings that mean the same as a builtin generic
_ALIASES = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}

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


# --- reading annotations --------------------------------------------------------------------


class _Module:
    """One parsed file: its tree, the names it imports, and how to read its annotations."""

    def __init__(self, tree: ast.Module, model_names: set[str], *, in_models: bool) -> None:
        self.tree = tree
        self.model_names = model_names
        self.in_models = in_models
        self.imported: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                from_models = node.level == 1 and node.module == "models"
                for alias in node.names:
                    # ``from .models import Order`` names the same class as ``models.Order``
                    imported = f"models.{alias.name}" if from_models else alias.name
                    self.imported[alias.asname or alias.name] = imported

    def type_of(self, node: ast.expr | None) -> PyType:
        if node is None:
            return ANY
        return self._type(node)

    def _type(self, node: ast.expr) -> PyType:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return NONE
            if isinstance(node.value, str):  # a forward reference
                try:
                    parsed = ast.parse(node.value, mode="eval").body
                except SyntaxError:
                    return name_type(node.value)
                return self._type(parsed)
            return name_type(repr(node.value))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return union_of([self._type(node.left), self._type(node.right)])
        if isinstance(node, ast.Subscript):
            origin = self._dotted(node.value)
            items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if origin == "Annotated":
                return self._type(items[0])
            if origin == "Optional":
                return union_of([self._type(items[0]), NONE])
            if origin == "Union":
                return union_of([self._type(item) for item in items])
            if origin == "Literal":
                return PyType("literal", values=tuple(sorted(_literal_repr(item) for item in items)))
            return PyType("generic", _ALIASES.get(origin, origin), tuple(self._type(item) for item in items))
        if isinstance(node, (ast.Name, ast.Attribute)):
            return name_type(self._dotted(node))
        if isinstance(node, (ast.List, ast.Tuple)):  # Callable[[...], ...] arguments
            return PyType("generic", "[]", tuple(self._type(item) for item in node.elts))
        return name_type(ast.unparse(node))

    def _dotted(self, node: ast.expr) -> str:
        if isinstance(node, ast.Name):
            name = self.imported.get(node.id, node.id)
            if self.in_models and name in self.model_names:
                return f"models.{name}"
            return name
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("typing", "typing_extensions", "builtins"):
                return node.attr
            return f"{self._dotted(base)}.{node.attr}"
        return ast.unparse(node)


def _literal_repr(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    return ast.unparse(node)


def _parse(files: Mapping[str, str], rel: str, origin: str) -> ast.Module | None:
    text = files.get(rel)
    if text is None:
        return None
    try:
        return ast.parse(text, filename=rel)
    except SyntaxError as exc:
        raise GeneratorError(
            [
                Diagnostic(
                    f"{origin.rstrip('/')}/{rel}",
                    exc.lineno or 1,
                    exc.offset or 1,
                    "error",
                    f"cannot read the package: Python syntax: {exc.msg}",
                )
            ]
        ) from None


def _all_names(tree: ast.Module | None) -> tuple[str, ...]:
    if tree is None:
        return ()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and isinstance(
            value, (ast.List, ast.Tuple)
        ):
            return tuple(
                sorted(e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
            )
    return ()


def _base_names(node: ast.ClassDef, module: _Module) -> tuple[str, ...]:
    names = []
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        dotted = module._dotted(target)
        names.append(dotted.removeprefix("models."))
    return tuple(names)


# --- the parts of a package -----------------------------------------------------------------


def read_surface(files: Mapping[str, str], package: str, origin: str | None = None) -> Surface:
    """The surface of the package whose files (relative path -> text) are ``files``.

    ``origin`` names the package in error messages (a folder, or the spec it came from).
    """
    shown = origin or package
    if "client.py" not in files:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "not a generated package: it has no client.py")])
    models_tree = _parse(files, "models.py", shown)
    model_names = {n.name for n in (models_tree.body if models_tree else []) if isinstance(n, ast.ClassDef)}
    surface = Surface(package)
    if models_tree is not None:
        surface.models = _read_models(_Module(models_tree, model_names, in_models=True))
    client_tree = _parse(files, "client.py", shown)
    assert client_tree is not None
    surface.clients = _read_clients(_Module(client_tree, model_names, in_models=False))
    surface.errors = _read_errors(files, shown, model_names)
    surface.exports = _all_names(_parse(files, "__init__.py", shown))
    surface.usual_errors = _usual_errors(_parse(files, "_exceptions.py", shown))
    return surface


def _usual_errors(runtime: ast.Module | None) -> dict[str, str]:
    """The runtime's table of usual status classes (``_USUAL = {404: NotFoundError, ...}``) and
    the class ``usual_status_error`` returns for a whole range (``InternalServerError``
    for 5xx); empty for a runtime that has none."""
    found: dict[str, str] = {}
    for node in runtime.body if runtime is not None else []:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_USUAL" for t in node.targets):
            if isinstance(node.value, ast.Dict):
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(value, ast.Name):
                        found[str(key.value)] = value.id
        elif isinstance(node, ast.FunctionDef) and node.name == "usual_status_error":
            for inner in ast.walk(node):
                if not isinstance(inner, ast.If) or not isinstance(inner.test, ast.Compare):
                    continue
                if inner.body and isinstance(inner.body[0], ast.Return):
                    returned = inner.body[0].value
                    bounds = [c.value for c in ast.walk(inner.test) if isinstance(c, ast.Constant)]
                    if isinstance(returned, ast.Name) and bounds and bounds[0] == 500:
                        found["5XX"] = returned.id
    return found


def _read_models(module: _Module) -> dict[str, ModelClass]:
    classes = {node.name: node for node in module.tree.body if isinstance(node, ast.ClassDef)}
    read: dict[str, ModelClass] = {}

    def model(name: str, depth: int = 0) -> ModelClass:
        if name in read:
            return read[name]
        node = classes[name]
        bases = _base_names(node, module)
        enum = next((ENUM_BASES[b] for b in bases if b in ENUM_BASES), None)
        if enum is not None:
            members = {}
            for item in node.body:
                if not isinstance(item, ast.Assign) or not isinstance(item.targets[0], ast.Name):
                    continue
                if not item.targets[0].id.startswith("_"):
                    members[item.targets[0].id] = _literal_repr(item.value)
            result = ModelClass(name, "enum", bases, members=members, enum_value_type=enum[0], open_enum=enum[1])
        elif any(b == "RootModel" for b in bases):
            root_ann = next(
                (
                    item.annotation
                    for item in node.body
                    if isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and item.target.id == "root"
                ),
                None,
            )
            subscript = next((b for b in node.bases if isinstance(b, ast.Subscript)), None)
            root = module.type_of(root_ann if root_ann is not None else subscript.slice if subscript else None)
            result = ModelClass(name, "root", bases, root=root)
        else:
            fields: dict[str, ModelField] = {}
            for base in bases:  # inherited fields first, as pydantic orders them
                if base in classes and depth < 50:
                    fields.update(model(base, depth + 1).fields)
            fields.update(_own_fields(node, module))
            result = ModelClass(name, "model", bases, fields=fields)
        read[name] = result
        return result

    for name in classes:
        if not name.startswith("_"):
            model(name)
    return {name: read[name] for name in sorted(read) if not name.startswith("_")}


def _own_fields(node: ast.ClassDef, module: _Module) -> dict[str, ModelField]:
    fields: dict[str, ModelField] = {}
    for item in node.body:
        if not isinstance(item, ast.AnnAssign) or not isinstance(item.target, ast.Name):
            continue
        name = item.target.id
        if name.startswith("_") or name == "model_config":
            continue
        annotation = item.annotation
        if isinstance(annotation, ast.Subscript) and module._dotted(annotation.value) == "ClassVar":
            continue
        alias: str | None = None
        field_calls = [item.value] if isinstance(item.value, ast.Call) else []
        if isinstance(annotation, ast.Subscript) and module._dotted(annotation.value) == "Annotated":
            extras = annotation.slice.elts[1:] if isinstance(annotation.slice, ast.Tuple) else []
            field_calls.extend(e for e in extras if isinstance(e, ast.Call))
        required = item.value is None
        default = None if item.value is None else ast.unparse(item.value)
        for call in field_calls:
            if module._dotted(call.func) != "Field":
                continue
            for keyword in call.keywords:
                if keyword.arg in ("alias", "validation_alias") and isinstance(keyword.value, ast.Constant):
                    alias = str(keyword.value.value)
            if call is item.value:
                # Field(...) as the value: required unless it gives a default
                has_default = any(k.arg in ("default", "default_factory") for k in call.keywords) or (
                    bool(call.args) and not (isinstance(call.args[0], ast.Constant) and call.args[0].value is Ellipsis)
                )
                required = not has_default
        fields[name] = ModelField(name, alias if alias != name else None, module.type_of(annotation), required, default)
    return fields


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef, module: _Module, *, method: bool) -> Method:
    args = node.args
    params: list[Param] = []
    positional = [*args.posonlyargs, *args.args]
    if method and positional:
        positional = positional[1:]  # self
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    if len(defaults) > len(positional):
        defaults = defaults[len(defaults) - len(positional) :]
    for arg, default in zip(positional, defaults, strict=True):
        params.append(_param(arg, "positional", default, module))
    if args.vararg is not None:
        params.append(Param(args.vararg.arg, "var_positional", module.type_of(args.vararg.annotation), False, None))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(_param(arg, "keyword", kw_default, module))
    if args.kwarg is not None:
        params.append(Param(args.kwarg.arg, "var_keyword", module.type_of(args.kwarg.annotation), False, None))
    return Method(
        node.name,
        tuple(params),
        module.type_of(node.returns),
        isinstance(node, ast.AsyncFunctionDef),
    )


def _param(arg: ast.arg, kind: Literal["positional", "keyword"], default: ast.expr | None, module: _Module) -> Param:
    return Param(
        arg.arg,
        kind,
        module.type_of(arg.annotation),
        default is None,
        None if default is None else ast.unparse(default),
    )


def _read_clients(module: _Module) -> dict[str, ClientClass]:
    classes = {node.name: node for node in module.tree.body if isinstance(node, ast.ClassDef)}
    raising = _endpoint_errors(module)
    exported = set(_all_names(module.tree)) | set(CLIENT_CLASSES)
    found: dict[str, ClientClass] = {}

    def read(name: str, path: str, depth: int) -> None:
        node = classes[name]
        init: Method | None = None
        methods: dict[str, Method] = {}
        properties: dict[str, PyType] = {}
        for item in node.body:
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if any(isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list):
                if item.name.startswith("_"):
                    continue
                returns = module.type_of(item.returns)
                properties[item.name] = returns
                # A property that hands out another client class (``with_raw_response``)
                # is part of the surface, under its own path.
                if returns.kind == "name" and returns.name in classes and depth < 3:
                    read(returns.name, f"{path}.{item.name}", depth + 1)
                continue
            if item.name == "__init__":
                init = _signature(item, module, method=True)
            elif not item.name.startswith("_"):
                signature = _signature(item, module, method=True)
                used = sorted({n.id for n in ast.walk(item) if isinstance(n, ast.Name) and n.id in raising})
                statuses = sorted({pair for endpoint in used for pair in raising[endpoint]})
                methods[item.name] = Method(
                    signature.name, signature.params, signature.returns, signature.is_async, tuple(statuses)
                )
        found[path] = ClientClass(path, init, methods, properties)

    for name in sorted(classes):
        if name in exported and not name.startswith("_"):
            read(name, name, 0)
    # Client before AsyncClient, each followed by what hangs off it
    return dict(sorted(found.items(), key=lambda item: (item[0].removeprefix("Async"), item[0].startswith("Async"))))


def _endpoint_errors(module: _Module) -> dict[str, list[tuple[str, str]]]:
    """Module-level constants that map documented statuses to error classes, as
    ``{constant: [(status, class)]}``: a call with an ``errors={"404": (errors.X, ...)}``
    keyword. Methods that use the constant raise those classes for those statuses."""
    found: dict[str, list[tuple[str, str]]] = {}
    for node in module.tree.body:
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign)
            else node.target if isinstance(node, ast.AnnAssign) else None
        )
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
            continue
        for keyword in value.keywords:
            if keyword.arg != "errors" or not isinstance(keyword.value, ast.Dict):
                continue
            pairs = []
            for key, item in zip(keyword.value.keys, keyword.value.values, strict=True):
                cls = item.elts[0] if isinstance(item, ast.Tuple) and item.elts else item
                if isinstance(key, ast.Constant) and isinstance(cls, (ast.Name, ast.Attribute)):
                    pairs.append((str(key.value), module._dotted(cls).removeprefix("errors.")))
            found[target.id] = pairs
    return found


def _read_errors(files: Mapping[str, str], shown: str, model_names: set[str]) -> dict[str, ErrorClass]:
    errors_tree = _parse(files, "errors.py", shown)
    if errors_tree is None:
        return {}
    classes: dict[str, ast.ClassDef] = {}
    modules: dict[str, _Module] = {}
    runtime = _parse(files, "_exceptions.py", shown)
    for tree in (runtime, errors_tree):
        if tree is None:
            continue
        module = _Module(tree, model_names, in_models=False)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                classes[node.name] = node
                modules[node.name] = module
    exported = _all_names(errors_tree) or tuple(n for n in classes if not n.startswith("_"))
    result: dict[str, ErrorClass] = {}
    for name in exported:
        found = classes.get(name)
        if found is None:
            result[name] = ErrorClass(name, (), (), None)
            continue
        module = modules[name]
        statuses: tuple[str, ...] = ()
        body: PyType | None = None
        for item in found.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                annotation = module.type_of(item.annotation)
                if item.target.id == "status_code" and annotation.kind == "literal":
                    statuses = annotation.values
                elif item.target.id == "body":
                    body = annotation
        result[name] = ErrorClass(name, _base_names(found, module), statuses, body)
    return dict(sorted(result.items()))
