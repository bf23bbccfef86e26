"""Stage 3b, part: the checked edits made to the text datamodel-code-generator returns.

Each function takes the text of ``models.py`` with its syntax tree (and, where it needs
them, the kind of each class) and gives the edited text. None changes what a class means,
only what Python, pydantic and mypy need to accept it as written (the order of classes,
which regex engine reads a pattern, rebuilds of forward references, precise ``type: ignore``
marks, imports). A tree serves every edit after it that only appends comments to lines or
statements below the imports: parsing Stripe's two megabytes of models takes a second or
two, and was done once per edit.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Literal

from .validate import regex_engine_for

ClassKind = Literal["model", "root", "enum", "other"]


def names_used(node: ast.AST, strings: list[str] | None = None) -> set[str]:
    """The identifiers of every ``Name`` inside ``node``; with ``strings``, every string
    constant found is appended to it as well.

    The same as filtering ``ast.walk``, in half its time: this runs over every class of a
    large spec's models, several times (Stripe's: 370,000 nodes).
    """
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is ast.Name:
            found.add(current.id)
            continue
        if type(current) is ast.Constant:
            if strings is not None and isinstance(current.value, str):
                strings.append(current.value)
            continue
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    return found


def rename_shadowing_classes(text: str, reserved: frozenset[str]) -> str:
    """Rename the classes datamodel-code-generator named after one of Python's builtins.

    The plan keeps such names off the classes it names; the model generator names some
    classes itself (the objects inside an inline ``allOf`` part), after the property that
    holds them. A ``Warning`` class used above its definition is read by pydantic as
    Python's own ``Warning``, and the module fails on import. Each becomes ``WarningSchema``
    (numbered if that is taken), wherever the module names it.
    """
    defined = set(_CLASS_STATEMENT.findall(text))
    shadowing = sorted(defined & reserved)
    if not shadowing:
        return text
    renames: dict[str, str] = {}
    for name in shadowing:
        new_name, counter = f"{name}Schema", 2
        while new_name in defined or new_name in reserved:
            new_name, counter = f"{name}Schema{counter}", counter + 1
        defined.add(new_name)
        renames[name] = new_name
    lines = _source_lines(text)
    edits: list[tuple[int, int, int, str]] = []
    previous: tokenize.TokenInfo | None = None
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        after_dot = previous is not None and previous.type == tokenize.OP and previous.string == "."
        if token.type == tokenize.NAME and token.string in renames and not after_dot:
            (row, start), (_, end) = token.start, token.end
            edits.append((row, start, end, renames[token.string]))
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token
    for row, start, end, replacement in reversed(edits):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + replacement + line[end:]
    return "".join(lines)


_CLASS_STATEMENT = re.compile(r"^class (\w+)\b", re.MULTILINE)


def enums_first(text: str, tree: ast.Module, classes: dict[str, ClassKind]) -> tuple[str, ast.Module]:
    """Move every enum class above the first class: a field's default can be an enum member
    (``status: Status = Status.OPEN``), which must exist when the model class is created.
    Enums depend on nothing but their base, so they can always go first.

    The tree given is moved with the text, its statements renumbered to the lines they now
    start on, rather than parsed again: parsing Stripe's models takes most of a second.
    """
    defs = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    enums = [node for node in defs if classes.get(node.name) == "enum"]
    if not enums or all(defs[index] is enum for index, enum in enumerate(enums)):
        return text, tree
    lines = _source_lines(text)

    def span(node: ast.stmt) -> tuple[int, int]:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        return start, node.end_lineno or node.lineno

    enum_spans = [span(node) for node in enums]
    # Each enum is followed by the two blank lines black puts between classes.
    moved = ["".join(lines[start:end]).rstrip("\n") + "\n\n\n" for start, end in enum_spans]
    in_enum = {line for start, end in enum_spans for line in range(start, end)}
    first = span(defs[0])[0]
    rest = [index for index in range(first, len(lines)) if index not in in_enum]
    reordered = "".join(lines[:first]) + "".join(moved) + "".join(lines[index] for index in rest)

    new_start: dict[int, int] = {}  # a moved statement's first line (0-based): where it goes
    at = first
    for start, end in enum_spans:
        new_start[start] = at
        at += end - start + 2
    after = {index: at + offset for offset, index in enumerate(rest)}
    head: list[ast.stmt] = []
    others: list[ast.stmt] = []
    for stmt in tree.body:
        start = span(stmt)[0]
        if start < first:
            head.append(stmt)
            continue
        if start not in new_start:
            others.append(stmt)
        delta = new_start.get(start, after.get(start, start)) - start
        if delta:
            ast.increment_lineno(stmt, delta)
    tree.body = [*head, *enums, *others]
    return reordered, tree


_PATTERN_KEYWORD = re.compile(r"\bpattern\s*=")


def patterns_for_python_re(text: str, tree: ast.Module) -> tuple[str, ast.Module]:
    """Hand pydantic a compiled pattern where only Python's ``re`` can compile it.

    pydantic-core compiles a ``pattern`` string with the Rust ``regex`` crate, which has no
    look-around, ``\\Z`` or ``{,n}``; a class with such a pattern fails on import. Given a
    compiled ``re.Pattern`` instead, pydantic matches with ``re`` for that field alone, so
    every other pattern keeps the Rust engine. Patterns neither engine compiles were left
    out, with a warning, before the models were generated (``validate.find_schema_fixes``).
    """
    edited = _without_model_regex_engine(text, tree)
    if edited != text:
        text, tree = edited, ast.parse(edited)
    if not _PATTERN_KEYWORD.search(text):
        return text, tree
    lines = _source_lines(text)
    # Only the statements whose text holds the keyword are walked: a full walk of Stripe's
    # models, for its few dozen patterns, took longer than every other edit here.
    candidates = [
        stmt
        for stmt in tree.body
        if _PATTERN_KEYWORD.search("".join(lines[stmt.lineno - 1 : stmt.end_lineno or stmt.lineno]))
    ]
    spans: list[tuple[int, int, int, int]] = []
    for node in (sub for stmt in candidates for sub in ast.walk(stmt)):
        if not isinstance(node, ast.keyword) or node.arg != "pattern":
            continue
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if regex_engine_for(value.value) == "python" and value.end_lineno and value.end_col_offset is not None:
                spans.append((value.lineno, value.col_offset, value.end_lineno, value.end_col_offset))
    if not spans:
        return text, tree
    # Column offsets from ast count UTF-8 bytes; edit each line as bytes, last span first.
    encoded = [line.encode("utf-8") for line in lines]
    for start_line, start_col, end_line, end_col in sorted(spans, reverse=True):
        first, last = encoded[start_line - 1], encoded[end_line - 1]
        if start_line == end_line:
            literal = first[start_col:end_col]
        else:
            literal = b"".join([first[start_col:], *encoded[start_line : end_line - 1], last[:end_col]])
        replaced = first[:start_col] + b"re.compile(" + literal + b")" + last[end_col:]
        encoded[start_line - 1 : end_line] = [replaced]
    text = b"".join(encoded).decode("utf-8")
    first_import = next(n for n in ast.parse(text).body if isinstance(n, (ast.Import, ast.ImportFrom)))
    lines = _source_lines(text)
    at = first_import.end_lineno or first_import.lineno
    text = "".join(lines[:at]) + "import re\n" + "".join(lines[at:])
    return text, ast.parse(text)


def _without_model_regex_engine(text: str, tree: ast.Module) -> str:
    """Drop the ``regex_engine="python-re"`` that datamodel-code-generator puts in the config
    of a model with a look-around pattern: it switches every pattern of the model to ``re``,
    and then one that only the Rust engine compiles (``\\p{L}``) fails on import. Each
    pattern gets the engine it needs instead (:func:`patterns_for_python_re`)."""
    if "regex_engine" not in text:
        return text
    edits: list[tuple[int, int, str]] = []  # (first line, last line, replacement), 1-based
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if not (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Call)
                and any(isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets)
                and any(k.arg == "regex_engine" for k in stmt.value.keywords)
            ):
                continue
            stmt.value.keywords = [k for k in stmt.value.keywords if k.arg != "regex_engine"]
            indent = " " * stmt.col_offset
            if stmt.value.keywords or stmt.value.args:
                replacement = indent + ast.unparse(stmt) + "\n"
            else:
                replacement = "" if len(node.body) > 1 else indent + "pass\n"
            edits.append((stmt.lineno, stmt.end_lineno or stmt.lineno, replacement))
    lines = _source_lines(text)
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first - 1 : last] = [replacement] if replacement else []
    return "".join(lines)


def rebuild_forward_references(text: str, classes: dict[str, ClassKind], tree: ast.Module) -> str:
    """End the module by finishing every model that was created before a class it names.

    pydantic builds a model when its class statement runs; a field naming a class or type
    alias defined further down (or the class itself) leaves it incomplete, to be finished
    on first use, as is any model built from an incomplete one. datamodel-code-generator
    rebuilds some of them; the rest are found here, from the classes' own references, and
    all are rebuilt in the order they are defined, so every class is complete on import.
    """
    lines = _source_lines(text)
    # datamodel-code-generator's own calls are replaced by the complete list below.
    calls = [
        stmt
        for stmt in tree.body
        if isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr == "model_rebuild"
    ]
    theirs = {line for stmt in calls for line in range(stmt.lineno - 1, stmt.end_lineno or stmt.lineno)}
    rebuilt_by_them = {
        stmt.value.func.value.id
        for stmt in calls
        if isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and isinstance(stmt.value.func.value, ast.Name)
    }
    # Where each module-level name is bound: classes, and type aliases assigned below them.
    bound_at: dict[str, int] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            bound_at.setdefault(stmt.name, stmt.lineno)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    bound_at.setdefault(target.id, stmt.lineno)
    incomplete: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or classes.get(node.name) not in ("model", "root"):
            continue
        named = _names_in(node)
        forward = any(bound_at.get(name, 0) >= node.lineno or name in incomplete for name in named)
        if forward or node.name in rebuilt_by_them:
            incomplete.append(node.name)
            # ``class Pets(RootModel[list[Pet]])`` also makes the parametrized base, a class
            # pydantic puts into the module's namespace; built while ``Pet`` was incomplete,
            # it stays so unless it too is rebuilt (subscripting it again gives the same class).
            bases = [ast.unparse(base) for base in node.bases if isinstance(base, ast.Subscript)]
            incomplete[-1:-1] = bases
    if not theirs and not incomplete:
        return text
    kept = [line for index, line in enumerate(lines) if index not in theirs]
    body = "".join(kept).rstrip("\n") + "\n"
    if incomplete:
        body += "\n\n" + "".join(f"{name}.model_rebuild()\n" for name in incomplete)
    return body


def _names_in(node: ast.ClassDef) -> set[str]:
    """The names a class statement uses: its bases and every statement of its body but the
    docstring (annotations, and assignments such as the ``__annotations__`` of extra
    fields). A string counts where it is a forward reference, that is, an expression."""
    parts: list[ast.AST] = [*node.bases, *node.keywords]
    parts.extend(
        stmt
        for stmt in node.body
        if not (
            isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
        )
    )
    names: set[str] = set()
    for part in parts:
        names |= names_used(part)
        for text in _type_strings(part):
            names.update(_forward_reference_names(text))
    return names


def _type_strings(node: ast.AST) -> list[str]:
    """The strings of ``node`` that stand where a type does.

    The other strings are the spec's own text: a default, an enum value in ``Literal``,
    a description or pattern in ``Field(...)``. Read as Python they are anything at all
    (``"\\e"`` is an invalid escape sequence, and Python warns about it), and they never
    name a class.
    """
    found: list[str] = []
    stack = [node]
    while stack:
        sub = stack.pop()
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.append(sub.value)
        elif isinstance(sub, ast.Call):
            stack.append(sub.func)
        elif isinstance(sub, ast.AnnAssign):
            stack.append(sub.annotation)
        elif isinstance(sub, ast.Subscript) and _is_literal(sub.value):
            continue
        else:
            stack.extend(ast.iter_child_nodes(sub))
    return found


def _is_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Literal") or (
        isinstance(node, ast.Attribute) and node.attr == "Literal"
    )


def _forward_reference_names(text: str) -> set[str]:
    try:
        expression = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {sub.id for sub in ast.walk(expression) if isinstance(sub, ast.Name)}


def allow_validated_defaults(text: str, tree: ast.Module) -> str:
    """Let a default that pydantic converts be written as the JSON value it is.

    A default for a field whose class was made from a ``oneOf`` (a root model) is written
    as the spec gives it, ``choice: Choice | None = 3``, with ``validate_default=True``:
    pydantic turns it into ``Choice(root=3)`` when a model is created, so the value has
    the declared type, but mypy sees an ``int``. The line is marked; ``unused-ignore``
    keeps the mark harmless where mypy has no complaint.
    """
    if "validate_default=True" not in text:
        return text
    marked: set[int] = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if not (isinstance(stmt, ast.AnnAssign) and stmt.value is not None):
                continue
            validated = any(
                isinstance(sub, ast.keyword)
                and sub.arg == "validate_default"
                and isinstance(sub.value, ast.Constant)
                and sub.value.value is True
                for sub in ast.walk(stmt.annotation)
            )
            if validated and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None):
                marked.add(stmt.lineno - 1)
    if not marked:
        return text
    lines = _source_lines(text)
    for index in marked:
        if "# type: ignore" not in lines[index]:
            # A list or mapping default is reported item by item, with codes of its own.
            lines[index] = (
                lines[index].rstrip("\n") + "  # type: ignore[assignment, list-item, dict-item, unused-ignore]\n"
            )
    return "".join(lines)


def allow_narrowed_overrides(text: str, tree: ast.Module) -> str:
    """Let a subclass narrow the type of a field it inherits.

    ``allOf: [Base, {properties: {data: ...}}]`` means both schemas apply, so a subclass
    redeclaring ``data`` narrows it: with a discriminator each subclass redeclares the
    property as ``Literal["its value"]``, which pydantic needs, and a wrapper's generic
    ``data`` items become a concrete model. mypy rejects such an override when the types
    are unrelated classes (an enum and a literal, two models hoisted from inline schemas).
    The narrowing is intended, so the line is marked; ``unused-ignore`` keeps the mark
    harmless where mypy has no complaint.
    """
    defs = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}

    def fields(node: ast.ClassDef) -> dict[str, str]:
        return {
            stmt.target.id: ast.unparse(stmt.annotation)
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        }

    def inherited(node: ast.ClassDef, seen: frozenset[str] = frozenset()) -> dict[str, str]:
        found: dict[str, str] = {}
        for base in node.bases:
            name = ast.unparse(base)
            if name in defs and name not in seen:
                parent = defs[name]
                found.update({**inherited(parent, seen | {name}), **fields(parent)})
        return found

    marked: set[int] = set()
    for node in defs.values():
        above = inherited(node)
        for stmt in node.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            annotation = ast.unparse(stmt.annotation)
            declared = above.get(stmt.target.id)
            if declared is not None and declared != annotation:
                marked.add(stmt.lineno - 1)
    if not marked:
        return text
    lines = _source_lines(text)
    for index in marked:
        lines[index] = lines[index].rstrip("\n") + "  # type: ignore[assignment, unused-ignore]\n"
    return "".join(lines)


def drop_unused_imports(text: str, tree: ast.Module) -> str:
    """Rewrite the import block: unused names dropped, one line per module, grouped and
    sorted as isort would (future, standard library, third party, this package)."""
    strings: list[str] = []
    used = names_used(tree, strings)
    for string in strings:
        used.update(_identifiers(string))  # names inside string annotations
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if not imports:
        return text
    from_names: dict[tuple[int, str], set[str]] = {}
    plain: set[str] = set()
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                name = alias.name if not alias.asname else f"{alias.name} as {alias.asname}"
                if module == "__future__" or (alias.asname or alias.name) in used:
                    from_names.setdefault((node.level, module), set()).add(name)
        else:
            plain.update(a.name for a in node.names if a.name.split(".")[0] in used)
    groups: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
    for (level, module), names in from_names.items():
        group = 0 if module == "__future__" else 3 if level else 1 if module.split(".")[0] in _STDLIB else 2
        prefix = f"from {'.' * level}{module} import "
        aliased = sorted(n for n in names if " as " in n)
        plain_names = sorted(n for n in names if " as " not in n)
        groups[group].extend(prefix + name for name in aliased)
        if plain_names:
            groups[group].append(prefix + ", ".join(plain_names))
    for module in plain:
        groups[1 if module.split(".")[0] in _STDLIB else 2].append(f"import {module}")
    block = "\n\n".join(
        "\n".join(sorted(lines, key=lambda line: (line.startswith("from"), line.lower())))
        for lines in groups.values()
        if lines
    )
    lines = _source_lines(text)
    first, last = imports[0].lineno - 1, imports[-1].end_lineno or imports[-1].lineno
    return "".join(lines[:first]) + block + "\n" + "".join(lines[last:])


def _source_lines(text: str) -> list[str]:
    """Lines as Python numbers them: split at \\n only. ``str.splitlines`` also splits at
    \\u2028, \\x0c and others a description can hold, and then line numbers from ``ast``
    point at the wrong lines."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


_STDLIB = frozenset(__import__("sys").stdlib_module_names)


def _identifiers(text: str) -> list[str]:
    return re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
