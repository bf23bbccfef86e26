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

Takes a package's files (``{relative path: text}``); gives its
:class:`~generator.surface_model.Surface` (:func:`read_surface`). Types are kept as
structures (:mod:`generator.surface_model`), read by :mod:`generator.surface_annotations`
however they are spelt, so :mod:`generator.diff` can tell a widened type from a narrowed one.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Mapping
from typing import Literal

from .errors import Diagnostic, GeneratorError
from .surface_annotations import SourceModule, base_names, literal_repr
from .surface_model import (
    ClientClass,
    ErrorClass,
    Method,
    ModelClass,
    ModelField,
    Param,
    PyType,
    Surface,
)

SURFACE_FILES = ("__init__.py", "client.py", "models.py", "errors.py", "_exceptions.py")
# A large package's models and operations live in modules of these folders (generator/layout.py).
SPLIT_FOLDERS = ("models/", "_operations/")
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


# --- the parts of a package -----------------------------------------------------------------


def is_surface_file(rel: str) -> bool:
    """Whether the file at ``rel`` (relative to the package) can hold part of its surface."""
    return rel in SURFACE_FILES or (rel.startswith(SPLIT_FOLDERS) and rel.endswith(".py") and rel.count("/") == 1)


def _joined(files: Mapping[str, str], folder: str, origin: str) -> ast.Module | None:
    """The modules of a split folder as one module: their statements in file order, without
    the imports between them, which name classes the joined module defines itself."""
    parts = sorted(rel for rel in files if rel.startswith(folder) and rel.endswith(".py"))
    if not parts:
        return None
    body: list[ast.stmt] = []
    for rel in parts:
        tree = _parse(files, rel, origin)
        assert tree is not None
        body.extend(n for n in tree.body if not (isinstance(n, ast.ImportFrom) and n.level == 1))
    return ast.Module(body=body, type_ignores=[])


def _client_with_operations(client: ast.Module, operations: ast.Module) -> ast.Module:
    """``client.py`` of a split package, as if its operations were written in it: each client
    class gets the methods of the operation classes it inherits from, and the module the
    endpoints and imports the operation modules define."""
    mixins: dict[str, list[ast.stmt]] = {}
    for node in operations.body:
        if isinstance(node, ast.ClassDef):
            mixins.setdefault(node.name, []).extend(node.body)
    # Not their ``__all__``s: what client.py exports is said by its own.
    body: list[ast.stmt] = [
        n for n in operations.body if not isinstance(n, ast.ClassDef) and not _all_names(ast.Module([n], []))
    ]
    for node in client.body:
        if isinstance(node, ast.ClassDef):
            inherited = [item for base in node.bases if isinstance(base, ast.Name) for item in mixins.get(base.id, [])]
            node = copy.copy(node)
            node.bases = [b for b in node.bases if not (isinstance(b, ast.Name) and b.id in mixins)]
            node.body = [*node.body, *inherited]
        body.append(node)
    # The operation classes themselves, for the raw methods that name their plain methods
    # (``get_x = _http.raw(SyncOperations.get_x)``); client.py does not export them.
    for name, items in mixins.items():
        body.append(ast.ClassDef(name=name, bases=[], keywords=[], body=items, decorator_list=[]))
    return ast.Module(body=body, type_ignores=[])


def read_surface(files: Mapping[str, str], package: str, origin: str | None = None) -> Surface:
    """The surface of the package whose files (relative path -> text) are ``files``.

    ``origin`` names the package in error messages (a folder, or the spec it came from).
    """
    shown = origin or package
    if "client.py" not in files:
        raise GeneratorError([Diagnostic(shown, 1, 1, "error", "not a generated package: it has no client.py")])
    models_tree = _parse(files, "models.py", shown) or _joined(files, "models/", shown)
    model_names = {n.name for n in (models_tree.body if models_tree else []) if isinstance(n, ast.ClassDef)}
    surface = Surface(package)
    if models_tree is not None:
        surface.models = _read_models(SourceModule(models_tree, model_names, in_models=True))
    client_tree = _parse(files, "client.py", shown)
    assert client_tree is not None
    operations_tree = _joined(files, "_operations/", shown)
    if operations_tree is not None:
        client_tree = _client_with_operations(client_tree, operations_tree)
    surface.clients = _read_clients(SourceModule(client_tree, model_names, in_models=False))
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


def _read_models(module: SourceModule) -> dict[str, ModelClass]:
    classes = {node.name: node for node in module.tree.body if isinstance(node, ast.ClassDef)}
    read: dict[str, ModelClass] = {}

    def model(name: str, depth: int = 0) -> ModelClass:
        if name in read:
            return read[name]
        node = classes[name]
        bases = base_names(node, module)
        enum = next((ENUM_BASES[b] for b in bases if b in ENUM_BASES), None)
        if enum is not None:
            members = {}
            for item in node.body:
                if not isinstance(item, ast.Assign) or not isinstance(item.targets[0], ast.Name):
                    continue
                if not item.targets[0].id.startswith("_"):
                    members[item.targets[0].id] = literal_repr(item.value)
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


def _own_fields(node: ast.ClassDef, module: SourceModule) -> dict[str, ModelField]:
    fields: dict[str, ModelField] = {}
    for item in node.body:
        if not isinstance(item, ast.AnnAssign) or not isinstance(item.target, ast.Name):
            continue
        name = item.target.id
        if name.startswith("_") or name == "model_config":
            continue
        annotation = item.annotation
        if isinstance(annotation, ast.Subscript) and module.dotted(annotation.value) == "ClassVar":
            continue
        alias: str | None = None
        field_calls = [item.value] if isinstance(item.value, ast.Call) else []
        if isinstance(annotation, ast.Subscript) and module.dotted(annotation.value) == "Annotated":
            extras = annotation.slice.elts[1:] if isinstance(annotation.slice, ast.Tuple) else []
            field_calls.extend(e for e in extras if isinstance(e, ast.Call))
        required = item.value is None
        default = None if item.value is None else ast.unparse(item.value)
        for call in field_calls:
            if module.dotted(call.func) != "Field":
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


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef, module: SourceModule, *, method: bool) -> Method:
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


def _param(
    arg: ast.arg, kind: Literal["positional", "keyword"], default: ast.expr | None, module: SourceModule
) -> Param:
    return Param(
        arg.arg,
        kind,
        module.type_of(arg.annotation),
        default is None,
        None if default is None else ast.unparse(default),
    )


def _read_clients(module: SourceModule) -> dict[str, ClientClass]:
    classes = {node.name: node for node in module.tree.body if isinstance(node, ast.ClassDef)}
    raising = _endpoint_errors(module)
    exported = set(_all_names(module.tree)) | set(CLIENT_CLASSES)
    found: dict[str, ClientClass] = {}

    def method(item: ast.FunctionDef | ast.AsyncFunctionDef) -> Method:
        signature = _signature(item, module, method=True)
        used = sorted({n.id for n in ast.walk(item) if isinstance(n, ast.Name) and n.id in raising})
        statuses = sorted({pair for endpoint in used for pair in raising[endpoint]})
        return Method(signature.name, signature.params, signature.returns, signature.is_async, tuple(statuses))

    def read(name: str, path: str, depth: int) -> None:
        node = classes[name]
        init: Method | None = None
        methods: dict[str, Method] = {}
        properties: dict[str, PyType] = {}
        for item in node.body:
            if isinstance(item, ast.Assign):
                raw = _raw_method(item, classes)
                if raw is not None:
                    raw_name, plain = raw
                    methods[raw_name] = _as_raw(raw_name, method(plain), plain, module)
                continue
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
                methods[item.name] = method(item)
        found[path] = ClientClass(path, init, methods, properties)

    for name in sorted(classes):
        if name in exported and not name.startswith("_"):
            read(name, name, 0)
    # Client before AsyncClient, each followed by what hangs off it
    return dict(sorted(found.items(), key=lambda item: (item[0].removeprefix("Async"), item[0].startswith("Async"))))


# The runtime's helpers that give a plain method a raw method's type (templates/runtime/_http.py)
RAW_HELPERS = ("raw", "raw_async")


def _raw_method(
    item: ast.Assign, classes: Mapping[str, ast.ClassDef]
) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    """For a raw class's line ``name = _http.raw(Plain.name)``: its name and the plain method
    it reuses; None for any other assignment."""
    call = item.value
    if len(item.targets) != 1 or not isinstance(item.targets[0], ast.Name) or not isinstance(call, ast.Call):
        return None
    helper = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if helper not in RAW_HELPERS or len(call.args) != 1 or call.keywords:
        return None
    target = call.args[0]
    if not isinstance(target, ast.Attribute) or not isinstance(target.value, ast.Name):
        return None
    owner = classes.get(target.value.id)
    for node in owner.body if owner is not None else []:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == target.attr:
            return item.targets[0].id, node
    return None


def _as_raw(name: str, plain: Method, node: ast.FunctionDef | ast.AsyncFunctionDef, module: SourceModule) -> Method:
    """The plain method as its raw counterpart: the same parameters and errors, returning a
    ``RawResponse`` of what the plain one returns, read as if it were spelt out."""
    spelt = ast.Subscript(
        value=ast.Attribute(value=ast.Name(id="_http", ctx=ast.Load()), attr="RawResponse", ctx=ast.Load()),
        slice=node.returns if node.returns is not None else ast.Name(id="Any", ctx=ast.Load()),
        ctx=ast.Load(),
    )
    return Method(name, plain.params, module.type_of(spelt), plain.is_async, plain.raises)


def _endpoint_errors(module: SourceModule) -> dict[str, list[tuple[str, str]]]:
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
                    pairs.append((str(key.value), module.dotted(cls).removeprefix("errors.")))
            found[target.id] = pairs
    return found


def _read_errors(files: Mapping[str, str], shown: str, model_names: set[str]) -> dict[str, ErrorClass]:
    errors_tree = _parse(files, "errors.py", shown)
    if errors_tree is None:
        return {}
    classes: dict[str, ast.ClassDef] = {}
    modules: dict[str, SourceModule] = {}
    runtime = _parse(files, "_exceptions.py", shown)
    for tree in (runtime, errors_tree):
        if tree is None:
            continue
        module = SourceModule(tree, model_names, in_models=False)
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
        result[name] = ErrorClass(name, base_names(found, module), statuses, body)
    return dict(sorted(result.items()))
