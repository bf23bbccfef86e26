"""Stage 5b: the package's layout, one module each for models and client, or many small ones.

Importing a package compiles and executes every module it imports (a vendored package often
runs without cached bytecode), so a package made from a large spec (GitHub's: 900
operations, 5,800 model classes, 10 MB of Python) took seconds and hundreds of megabytes to
import. A package at or past :data:`SPLIT_AT_OPERATIONS` operations or
:data:`SPLIT_AT_MODEL_BYTES` of models is therefore split: ``models/`` holds one module per
group of models that refer to each other (below), ``_operations/`` holds the operations in
modules of :data:`OPERATIONS_PER_MODULE`, and the runtime's ``_lazy`` loads a module the
first time one of its names is used. Small packages (the seed specs) keep one ``models.py``
and one ``client.py``: for them one module is as fast as several, and easier to read.

How models are grouped: the models of one module must be importable from the modules of
the models they refer to, so the reference graph between modules has to be acyclic. Each
strongly connected component of the graph between definitions (models that refer to each
other in a cycle) goes into one module; a component used by exactly one other component,
and named after it (an inline object or enum ``ParentField``), joins that component's
module. Joining a component to its only user can never close a cycle, since any path back
to the user would have been a cycle through the joined component already. Modules keep
the definitions in the order datamodel-code-generator wrote them, which Python accepts,
and each ends with the ``model_rebuild()`` calls of its own classes.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from .line_layout import import_line
from .model_layout import shaped_list
from .model_text import names_used

__all__ = [
    "OPERATIONS_PER_MODULE",
    "SPLIT_AT_MODEL_BYTES",
    "SPLIT_AT_OPERATIONS",
    "model_modules",
    "splits",
]

# GitHub has 900 operations and 3 MB of models, Stripe 450 and 3.6 MB; the seeds one each
# and under 40 kB. At these sizes one module costs about 0.1 s to import.
SPLIT_AT_OPERATIONS = 100
SPLIT_AT_MODEL_BYTES = 400_000
# Small enough that the first call of an operation compiles little besides its own code.
OPERATIONS_PER_MODULE = 16


def splits(operations: int, models_text: str) -> bool:
    """Whether a package of this size gets the split layout."""
    return operations >= SPLIT_AT_OPERATIONS or len(models_text) >= SPLIT_AT_MODEL_BYTES


@dataclass
class _Definition:
    name: str
    text: str
    names: set[str]  # every name its statement reads, imported ones too
    uses: set[str] = field(default_factory=set)  # the other definitions among them
    rebuild: str = ""


@dataclass
class _Module:
    name: str
    definitions: list[_Definition] = field(default_factory=list)


def model_modules(text: str, header: str) -> dict[str, str]:
    """``models.py``'s text as the files of a ``models/`` package, by relative path."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    imports: list[ast.Import | ast.ImportFrom] = []
    definitions: dict[str, _Definition] = {}
    for node in tree.body:
        segment = "".join(lines[node.lineno - 1 : node.end_lineno])
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__"):
            imports.append(node)
        elif isinstance(node, ast.ClassDef):
            definitions[node.name] = _Definition(node.name, segment, names_used(node))
        elif isinstance(node, ast.Assign) and _target(node) not in (None, "__all__"):
            name = _target(node)
            assert name is not None
            definitions[name] = _Definition(name, segment, names_used(node))
        elif isinstance(node, ast.Expr) and _rebuilt(node) in definitions:
            definitions[_rebuilt(node)].rebuild += segment
    for definition in definitions.values():
        definition.uses = {n for n in definition.names if n in definitions and n != definition.name}
    modules = _group(definitions)
    where = {d.name: module.name for module in modules for d in module.definitions}
    groups = _import_groups(imports)
    files = {f"models/{m.name}.py": _module_text(m, header, groups, where) for m in modules}
    files["models/__init__.py"] = _index_text(header, modules)
    files["models/__init__.pyi"] = _stub_text(header, modules)
    return files


def _target(node: ast.Assign) -> str | None:
    if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def _rebuilt(node: ast.Expr) -> str:
    call = node.value
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "model_rebuild"
        and isinstance(call.func.value, ast.Name)
    ):
        return call.func.value.id
    return ""


def _components(definitions: dict[str, _Definition]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm, iteratively), each in file order."""
    order = {name: i for i, name in enumerate(definitions)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in definitions:
        if root in index:
            continue
        work = [(root, iter(sorted(definitions[root].uses, key=order.__getitem__)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            name, edges = work[-1]
            for used in edges:
                if used not in index:
                    index[used] = low[used] = len(index)
                    stack.append(used)
                    on_stack.add(used)
                    work.append((used, iter(sorted(definitions[used].uses, key=order.__getitem__))))
                    break
                if used in on_stack:
                    low[name] = min(low[name], index[used])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[name])
                if low[name] == index[name]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == name:
                            break
                    found.append(sorted(component, key=order.__getitem__))
    return found


def _group(definitions: dict[str, _Definition]) -> list[_Module]:
    order = {name: i for i, name in enumerate(definitions)}
    components = _components(definitions)
    home = {name: i for i, component in enumerate(components) for name in component}
    users: dict[int, set[int]] = {i: set() for i in range(len(components))}
    for name, definition in definitions.items():
        for used in definition.uses:
            if home[used] != home[name]:
                users[home[used]].add(home[name])
    # Tarjan's algorithm yields a component after every component it uses, so walking the
    # list backwards meets each user before what it uses: joining follows chains in one pass.
    joined = list(range(len(components)))
    for i in reversed(range(len(components))):
        if len(users[i]) == 1:
            (user,) = users[i]
            if components[i][0].startswith(components[user][0]):
                joined[i] = joined[user]
    members: dict[int, list[str]] = {}
    for i, component in enumerate(components):
        members.setdefault(joined[i], []).extend(component)
    groups = sorted((sorted(names, key=order.__getitem__) for names in members.values()), key=lambda g: order[g[0]])
    width = len(str(len(groups)))
    return [
        _Module(f"_{number:0{width}d}", [definitions[name] for name in group]) for number, group in enumerate(groups, 1)
    ]


def _module_text(
    module: _Module, header: str, imports: list[list[ast.Import | ast.ImportFrom]], where: dict[str, str]
) -> str:
    own = {d.name for d in module.definitions}
    used = set().union(*(d.names for d in module.definitions))
    groups: list[list[str]] = []
    for group in imports:
        lines = []
        for node in group:
            if isinstance(node, ast.Import):  # ``import re``, for patterns only Python's re reads
                bound = [a for a in node.names if (a.asname or a.name.split(".")[0]) in used]
                lines += [f"import {a.name}" + (f" as {a.asname}" if a.asname else "") for a in bound]
                continue
            names = [a for a in node.names if (a.asname or a.name) in used]
            if names:
                dots = "." * (node.level + 1 if node.level else 0)
                listed = [a.name if a.asname is None else f"{a.name} as {a.asname}" for a in names]
                lines.append(import_line(0, f"{dots}{node.module or ''}", listed))
        groups.append(lines)
    by_module: dict[str, list[str]] = {}
    for name in sorted(set().union(*(d.uses for d in module.definitions)) - own):
        by_module.setdefault(where[name], []).append(name)
    # The models' own modules sort after ``.._model_base``, in the package's local group.
    local = [import_line(0, f".{other}", sorted(by_module[other], key=_member_key)) for other in sorted(by_module)]
    if groups and groups[-1] and groups[-1][0].startswith("from .."):
        groups[-1] += local
    else:
        groups.append(local)
    out = [header, "", "from __future__ import annotations", ""]
    for lines in groups:
        if lines:
            out += [*lines, ""]
    out += [shaped_list("", "__all__ = [", (_quoted(n) for n in sorted(own, key=_member_key))), "", ""]
    out += [d.text for d in module.definitions]
    rebuilds = [d.rebuild for d in module.definitions if d.rebuild]
    # Two blank lines after the last class, as black puts them.
    out += ["", *rebuilds] if rebuilds else []
    return "\n".join(out).rstrip("\n") + "\n"


def _import_groups(imports: list[ast.Import | ast.ImportFrom]) -> list[list[ast.Import | ast.ImportFrom]]:
    """The import statements in the groups (blank-line separated) they were written in."""
    groups: list[list[ast.Import | ast.ImportFrom]] = []
    last_line = -1
    for node in imports:
        if not groups or node.lineno > last_line + 1:
            groups.append([])
        groups[-1].append(node)
        last_line = node.end_lineno or node.lineno
    return groups


def _member_key(name: str) -> tuple[int, list[tuple[int, str]], list[tuple[int, str]]]:
    """How ruff's isort orders the names of one ``from`` import: constants, classes, then
    others, each case-insensitively in natural order (``Item2`` before ``Item10``)."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, _natural(name.lower()), _natural(name)


def _natural(text: str) -> list[tuple[int, str]]:
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", text) if part]


def _quoted(text: str) -> str:
    # Identifiers, spaces and a newline: nothing to escape but the newline.
    return '"' + text.replace("\n", "\\n") + '"'


def _index_text(header: str, modules: list[_Module]) -> str:
    where = [f"    {_quoted(' '.join([m.name, *(d.name for d in m.definitions)]) + chr(10))}" for m in modules]
    return "\n".join(
        [
            header,
            '"""The models of the API, in modules loaded on first use (the runtime\'s ``_lazy``).',
            "",
            "``models.Name`` and ``from .models import Name`` work as for a single module; type",
            "checkers read ``__init__.pyi``, which imports every name from its module.",
            '"""',
            "",
            "from .. import _lazy",
            "",
            "# Each line: a module, then the names it defines.",
            "_WHERE = (",
            *where,
            ")",
            "",
            "__getattr__, __dir__, __all__ = _lazy.module_attributes(__name__, _WHERE)",
            "",
        ]
    )


def _stub_text(header: str, modules: list[_Module]) -> str:
    # A stub, so that the thousands of imports a type checker needs cost nothing at run
    # time (a package imported without cached bytecode compiles every line it has).
    lines = [
        f"from .{m.name} import {name} as {name}"
        for m in modules
        for name in sorted((d.name for d in m.definitions), key=_member_key)
    ]
    return "\n".join([header, *lines, ""])
