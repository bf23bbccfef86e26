"""Part of reading a package's surface: one parsed module, and its annotations as types.

Takes a module's :mod:`ast` tree and the names of the package's model classes; gives a
:class:`SourceModule` that reads each annotation as a :class:`~generator.surface_model.PyType`
however it is spelt (``Optional[X]``, ``X | None``, a string forward reference, an import
under another name), so :mod:`generator.surface` compares classes, not spellings.
"""

from __future__ import annotations

import ast

from .surface_model import ANY, NONE, PyType, name_type, union_of

# typing spellings that mean the same as a builtin generic
_ALIASES = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}


class SourceModule:
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
            origin = self.dotted(node.value)
            items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if origin == "Annotated":
                return self._type(items[0])
            if origin == "Optional":
                return union_of([self._type(items[0]), NONE])
            if origin == "Union":
                return union_of([self._type(item) for item in items])
            if origin == "Literal":
                return PyType("literal", values=tuple(sorted(literal_repr(item) for item in items)))
            return PyType("generic", _ALIASES.get(origin, origin), tuple(self._type(item) for item in items))
        if isinstance(node, (ast.Name, ast.Attribute)):
            return name_type(self.dotted(node))
        if isinstance(node, (ast.List, ast.Tuple)):  # Callable[[...], ...] arguments
            return PyType("generic", "[]", tuple(self._type(item) for item in node.elts))
        return name_type(ast.unparse(node))

    def dotted(self, node: ast.expr) -> str:
        if isinstance(node, ast.Name):
            name = self.imported.get(node.id, node.id)
            if self.in_models and name in self.model_names:
                return f"models.{name}"
            return name
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("typing", "typing_extensions", "builtins"):
                return node.attr
            return f"{self.dotted(base)}.{node.attr}"
        return ast.unparse(node)


def literal_repr(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    return ast.unparse(node)


def base_names(node: ast.ClassDef, module: SourceModule) -> tuple[str, ...]:
    names = []
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        dotted = module.dotted(target)
        names.append(dotted.removeprefix("models."))
    return tuple(names)
