"""Python source for data, laid out the way black lays it out.

Black formats a file twice whenever its first pass changes it, and formats the whole of
each top-level statement it is given (generator/format.py): text handed to it already in
its shape costs one pass instead of two. This module lays out the literals and calls of
generated data tables (``testing.py``'s operations) as black would, so its first pass
leaves them alone. It is only an optimisation: black still formats every byte, and what
is written is black's output; a layout this module gets wrong costs time, never bytes.

What black does with such an expression, and so what :func:`statement` does:

* A line that fits in :data:`LINE_LENGTH` columns (counting wide characters twice) stays.
* Otherwise the last bracket pair of the line is split: the line up to its opening bracket,
  the contents one level deeper, the closing bracket and what follows it (a comma) below.
* Contents that are one item, or the arguments of a call, stay on one line if they fit
  there; the items of a collection display (more than one) always go one per line.
  Contents split one per line get a trailing comma, which also keeps black from joining
  them again.
* A line with no bracket to split (a long string, a long key and value) stays as it is.

Strings are never split. Literals are written as black writes them: double quotes unless
single quotes need fewer backslashes, floats without a ``+`` in their exponent.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .line_layout import INDENT, fits

# Characters json.dumps leaves as they are that Python would take as line breaks, or that
# black would count as white space: written as escapes.
_ESCAPED = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")


@dataclass(frozen=True)
class Atom:
    """Source black cannot split: a name, a number, a string."""

    text: str


@dataclass(frozen=True)
class Brackets:
    """``callee(...)``, a collection display, or a subscription; ``items`` are
    ``(prefix, value)``: ``"key": `` in a dict, ``name=`` in a call, else empty."""

    callee: str
    opening: str
    closing: str
    items: tuple[tuple[str, Node], ...]
    display: bool  # a list, dict or tuple display: black puts two or more items one per line
    one_tuple: bool = False  # ``(x,)``: its comma is not a magic trailing comma


Node = Atom | Brackets


def python_string(text: str) -> str:
    """A Python string literal for ``text``: always double-quoted, every character escaped
    as needed, so nothing in a spec can end the literal or the line early."""
    literal = json.dumps(text, ensure_ascii=False)
    # json.dumps leaves some characters Python treats as line breaks unescaped.
    for char in _ESCAPED:
        literal = literal.replace(char, f"\\u{ord(char):04x}")
    return literal


def quoted(text: str) -> str:
    """``text`` as a string literal black leaves alone: in double quotes, unless it holds
    more double quotes than single ones (black then prefers single quotes, which need
    fewer backslashes)."""
    if text.count('"') > text.count("'"):
        return "'" + python_string(text)[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
    return python_string(text)


def number(value: int | float) -> str:
    """An int or a finite float as black writes it (``1e100``, not ``1e+100``)."""
    return repr(value).replace("e+", "e")


def value_node(value: Any) -> Node:
    """The node of a JSON-like value: dict, list, str, int, float, bool, None."""
    if isinstance(value, bool) or value is None:
        return Atom(repr(value))
    if isinstance(value, float) and not math.isfinite(value):
        # YAML's .inf and .nan have no literal in Python: a call, which black may split.
        return Brackets("float", "(", ")", (("", Atom(f'"{value}"')),), False)
    if isinstance(value, (int, float)):
        return Atom(number(value))
    if isinstance(value, str):
        return Atom(quoted(value))
    if isinstance(value, Mapping):
        return Brackets("", "{", "}", tuple((f"{_key(k)}: ", value_node(v)) for k, v in value.items()), True)
    if isinstance(value, (list, tuple)):
        return Brackets("", "[", "]", tuple(("", value_node(v)) for v in value), True)
    return Atom(quoted(str(value)))


def _key(key: Any) -> str:
    node = value_node(key)
    return flat(node)


def tuple_node(items: Sequence[Node]) -> Node:
    """``(a, b)``, ``(a,)`` or ``()``."""
    return Brackets("", "(", ")", tuple(("", item) for item in items), True, one_tuple=len(items) == 1)


def call_node(callee: str, arguments: Sequence[tuple[str, Node]]) -> Node:
    """``callee(keyword=value, ...)``."""
    return Brackets(callee, "(", ")", tuple((f"{k}=", v) for k, v in arguments), False)


def expression_node(text: str) -> Node:
    """The node of a type expression (``str``, ``Literal['a', 'b']``, ``Sequence[int]``):
    names as they are, strings quoted as black quotes them, subscripts as brackets."""
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return Atom(text)
    return _expression(tree)


def _expression(node: ast.expr) -> Node:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Atom(quoted(node.value))
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Atom(number(node.value))
    if isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return Brackets(ast.unparse(node.value), "[", "]", tuple(("", _expression(e)) for e in elements), False)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return Atom(f"{flat(_expression(node.left))} | {flat(_expression(node.right))}")
    return Atom(ast.unparse(node))


def flat(node: Node) -> str:
    """``node`` on one line."""
    if isinstance(node, Atom):
        return node.text
    inner = ", ".join(prefix + flat(value) for prefix, value in node.items)
    return node.callee + node.opening + inner + ("," if node.one_tuple else "") + node.closing


def _lines(prefix: str, node: Node, suffix: str, indent: int) -> list[str]:
    """``prefix + node + suffix`` laid out from column ``indent``."""
    pad = " " * indent
    text = prefix + flat(node) + suffix
    if isinstance(node, Atom) or not node.items or fits(indent, text):
        return [pad + text]
    head = pad + prefix + node.callee + node.opening
    return [head, *_contents(node, indent + INDENT), pad + node.closing + suffix]


def _contents(node: Brackets, indent: int) -> list[str]:
    if len(node.items) == 1:
        prefix, value = node.items[0]
        return _lines(prefix, value, "," if node.one_tuple else "", indent)
    together = ", ".join(prefix + flat(value) for prefix, value in node.items)
    if not node.display and fits(indent, together):
        return [" " * indent + together]
    return [line for prefix, value in node.items for line in _lines(prefix, value, ",", indent)]


def statement(head: str, node: Node) -> str:
    """``head`` (``name = ``, ``name: type = ``) and ``node``: a top-level assignment. When
    even ``head`` and the opening bracket are too long for a line, black tries the value in
    parentheses of its own, on the lines between them, and keeps that if every line fits."""
    lines = _lines(head, node, "", 0)
    if len(lines) > 1 and not fits(0, lines[0]):
        wrapped = [head + "(", *_lines("", node, "", INDENT), ")"]
        if all(fits(0, line) for line in wrapped):
            lines = wrapped
    return "\n".join(lines)


def laid_out(node: Node, indent: int, prefix: str = "", suffix: str = "") -> str:
    """``prefix + node + suffix`` as lines from column ``indent``, the first not indented
    (for a template that puts it after text of its own)."""
    return "\n".join(_lines(prefix, node, suffix, indent))[indent:]
