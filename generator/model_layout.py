"""Stage 3b, part: the model text laid out as black lays it out, before black sees it.

black formats a block twice when its first pass changes the text, and nearly every model
block datamodel-code-generator writes is changed: its strings are Python reprs in single
quotes, a class docstring runs straight into the fields, and a field with a description is
one long line. Laying those out here, the way black would, lets black's first pass leave
the block alone, so it does not make a second. This is only an optimisation: black still
formats every block, and its output is what is written. A statement of a shape this module
does not know, or gets wrong, costs black's second pass and nothing else; one whose text
this module cannot read exactly (comments, f-strings, magic trailing commas, operators it
does not lay out) is left as it was.

The shapes, each as black 26 gives it (tests/unit/test_model_layout.py holds them to it):

* strings in double quotes unless that needs more backslashes (:func:`prefer_double_quotes`);
* one blank line between a class docstring and the first field;
* a line over :data:`LINE_LENGTH` split at its last bracket, ``name: Annotated[`` ...
  ``] = default``; what the bracket holds on one line if it fits, else one item per line
  with a trailing comma, each item split the same way at its own last bracket; a string
  that cannot fit stays whole on its line;
* ``NAME = "long value"`` in parentheses when the value then fits;
* a list or import too long for one line, one name per line with a trailing comma.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence

from .line_layout import fits

__all__ = ["prefer_double_quotes", "shape_class_bodies", "shaped_list"]

_INDENT = "    "

# One token of a field's line: a string (any prefix; an f-string is refused below), a name,
# a number, a bracket, an operator, a comment. Whitespace between tokens is skipped.
_TOKEN = re.compile(
    r"""[ \t]*(?:
      (?P<string>[A-Za-z]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))
    | (?P<number>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?[A-Za-z]?)
    | (?P<name>[^\W\d]\w*)
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<op>->|\*\*|[-+*/%@|&^~<>=!]=?|[.,:;])
    | (?P<comment>\#)
    )""",
    re.VERBOSE,
)
# Strings, names and numbers; operators this module lays out; everything else is refused.
_OPERATORS = frozenset({"=", ":", ",", ".", "|", "-"})
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_PAIRS = {"(": ")", "[": "]", "{": "}"}


class _Refused(Exception):
    """The text has something this module does not lay out as black would."""


class _Leaf:
    __slots__ = ("depth", "kind", "space", "text")

    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text
        self.depth = 0  # brackets open around this leaf
        self.space = ""  # what goes before it when the line is written on one line


def _lex(line: str) -> list[_Leaf]:
    leaves: list[_Leaf] = []
    position, end = 0, len(line.rstrip())
    stack: list[str] = []
    while position < end:
        found = _TOKEN.match(line, position)
        if found is None or found.end() == position:
            raise _Refused
        position = found.end()
        kind = found.lastgroup
        assert kind is not None
        text = found.group(kind)
        if kind == "comment" or (kind == "op" and text not in _OPERATORS):
            raise _Refused
        if kind == "string":
            text = prefer_double_quotes(text)
        elif kind == "number" and _PLAIN_NUMBER.fullmatch(text) is None:
            raise _Refused  # black spells some numbers its own way (hex digits, ``E``, ``J``)
        leaf = _Leaf(kind, text)
        if kind == "close":
            if not stack or _PAIRS[stack.pop()] != text:
                raise _Refused
            if leaves and leaves[-1].text == ",":
                raise _Refused  # a magic trailing comma: black explodes the brackets
        leaf.depth = len(stack)
        if kind == "open":
            stack.append(text)
        leaves.append(leaf)
    if stack:
        raise _Refused
    _space(leaves)
    return leaves


def _space(leaves: Sequence[_Leaf]) -> None:
    """The whitespace black puts before each leaf, for the operators :data:`_OPERATORS`."""
    brackets: list[str] = []
    previous: _Leaf | None = None
    after_unary = False
    for leaf in leaves:
        inner = brackets[-1] if brackets else ""
        unary = leaf.text == "-" and (previous is None or previous.kind in ("open", "op"))
        if leaf.text == "-" and not unary:
            raise _Refused  # subtraction: datamodel-code-generator writes none
        if leaf.text == "|" and (previous is None or previous.kind in ("open", "op")):
            raise _Refused
        if leaf.text == ":" and inner == "[":
            raise _Refused  # a slice
        if leaf.text == "=" and inner in ("[", "{"):
            raise _Refused
        if previous is None or previous.kind == "open" or leaf.kind == "close" or after_unary:
            leaf.space = ""
        elif leaf.text in (",", ".", ":") or previous.text == ".":
            leaf.space = ""
        elif leaf.kind == "open":
            # A call or subscript follows its name or bracket; a literal follows an operator.
            glued = previous.kind in ("name", "close", "string") or (previous.text == "=" and inner == "(")
            leaf.space = "" if glued else " "
        elif leaf.text == "=" or previous.text == "=":
            leaf.space = "" if inner == "(" else " "
        else:
            leaf.space = " "
        after_unary = unary
        if leaf.kind == "open":
            brackets.append(leaf.text)
        elif leaf.kind == "close":
            brackets.pop()
        previous = leaf


def _text(leaves: Sequence[_Leaf]) -> str:
    if not leaves:
        return ""
    return leaves[0].text + "".join(leaf.space + leaf.text for leaf in leaves[1:])


def _fits(indent: str, text: str) -> bool:
    return fits(len(indent), text)


def _last_bracket(leaves: Sequence[_Leaf]) -> tuple[int, int] | None:
    """The last closing bracket at the line's own depth, and its opening bracket."""
    base = leaves[0].depth
    for close in range(len(leaves) - 1, -1, -1):
        if leaves[close].kind == "close" and leaves[close].depth == base:
            for start in range(close - 1, -1, -1):
                if leaves[start].kind == "open" and leaves[start].depth == base:
                    return start, close
    return None


def _statement(leaves: list[_Leaf], indent: str) -> list[str]:
    """A field, enum member or class line: on one line if it fits, else split as black
    splits it (the cases are in the module's docstring, and in the tests)."""
    text = _text(leaves)
    if _fits(indent, text):
        return [indent + text]
    if leaves[0].text == "class":
        if leaves[-1].text != ":" or leaves[-2].text != ")":
            raise _Refused
        return _bracket_split(leaves, indent)
    equals = [i for i, leaf in enumerate(leaves) if leaf.text == "=" and leaf.depth == 0]
    if len(equals) > 1 or len(leaves) < 3 or leaves[1].text not in (":", "="):
        raise _Refused
    default = leaves[equals[0] + 1 :] if equals else []
    if default and not _is_atom(default):
        raise _Refused  # black weighs splitting a bracketed default against the annotation
    if leaves[1].text == "=":
        # ``NAME = "value"``: black wraps the value in parentheses only when it then fits.
        if _fits(indent + _INDENT, _text(default)):
            return [indent + _text(leaves[:2]) + " (", indent + _INDENT + _text(default), indent + ")"]
        return [indent + text]
    annotation = leaves[2 : equals[0]] if equals else leaves[2:]
    operators = any(leaf.depth == 0 and leaf.kind == "op" for leaf in annotation)
    plain = len(annotation) == 1 or _is_atom(annotation)
    if default and (
        _fits(indent, _text(leaves[: equals[0] + 1]) + " (")
        or (plain and not _fits(indent + _INDENT, _text(annotation)))
    ):
        # The left side fits, or a one-name annotation would not fit alone either: black puts
        # the default alone in parentheses.
        return [
            indent + _text(leaves[: equals[0] + 1]) + " (",
            indent + _INDENT + _text(default),
            indent + ")",
        ]
    if annotation[-1].kind == "close" and not operators:
        return _bracket_split(leaves, indent)
    if not default and not operators and not _fits(indent + _INDENT, _text(annotation)):
        return [indent + text]  # one name too long even on a line of its own: black leaves it
    # ``A | B`` at the top, or one long name with a default: in parentheses.
    tail = [indent + ") = " + _text(default)] if default else [indent + ")"]
    if not _fits("", tail[0]):
        # The default does not fit after the parenthesis: it gets parentheses of its own.
        tail = [indent + ") = (", indent + _INDENT + _text(default), indent + ")"]
    return [indent + _text(leaves[:2]) + " (", *_body(annotation, indent + _INDENT, comma=False), *tail]


def _is_atom(leaves: Sequence[_Leaf]) -> bool:
    """A name, number or string, a dotted name (``Status.OPEN``) or a negative number."""
    if len(leaves) == 2 and leaves[0].text == "-":
        return leaves[1].kind == "number"
    if len(leaves) % 2 == 0 or leaves[0].kind not in ("name", "number", "string"):
        return len(leaves) == 0
    return len(leaves) == 1 or (
        all(leaf.kind == "name" if i % 2 == 0 else leaf.text == "." for i, leaf in enumerate(leaves[1:], 1))
        and leaves[0].kind == "name"
    )


def _bracket_split(leaves: list[_Leaf], indent: str) -> list[str]:
    found = _last_bracket(leaves)
    if found is None:
        return [indent + _text(leaves)]  # nothing to split at: black leaves it long
    start, close = found
    head, body, tail = leaves[: start + 1], leaves[start + 1 : close], leaves[close:]
    if not body:
        raise _Refused
    tail_text = tail[0].text + "".join(leaf.space + leaf.text for leaf in tail[1:])
    if not _fits(indent, _text(head)) or not _fits(indent, tail_text):
        # black looks for a split with a shorter first line, and settles for this one only
        # when the line has no other bracket to split at.
        if sum(leaf.kind == "open" and leaf.depth == leaves[0].depth for leaf in leaves) > 1:
            raise _Refused
    return [indent + _text(head), *_body(body, indent + _INDENT, comma=True), indent + tail_text]


def _body(leaves: list[_Leaf], indent: str, comma: bool) -> list[str]:
    """What a bracket holds: one line if it fits, else one item per line, with a trailing
    comma where the items are separated by commas (``comma``: the bracket may take one)."""
    text = _text(leaves)
    if _fits(indent, text):
        return [indent + text]
    depth = leaves[0].depth
    commas = [i for i, leaf in enumerate(leaves) if leaf.text == "," and leaf.depth == depth]
    if not commas:
        return _item(leaves, indent)
    if not comma:
        raise _Refused
    items: list[list[_Leaf]] = []
    begin = 0
    for at in commas:
        items.append(leaves[begin : at + 1])
        begin = at + 1
    added = _Leaf("op", ",")
    added.depth = depth
    items.append([*leaves[begin:], added])
    lines: list[str] = []
    for item in items:
        lines.extend(_item(item, indent))
    return lines


def _item(leaves: list[_Leaf], indent: str) -> list[str]:
    """One item of a bracket, its comma included: one line, else split before each ``|``,
    else at its last bracket."""
    text = _text(leaves)
    if _fits(indent, text):
        return [indent + text]
    depth = leaves[0].depth
    if any(leaf.kind == "op" and leaf.depth == depth and leaf.text not in ("=", ".", ",", "|") for leaf in leaves):
        raise _Refused
    bars = [i for i, leaf in enumerate(leaves) if i and leaf.text == "|" and leaf.depth == depth]
    if bars:
        lines: list[str] = []
        for begin, end in zip([0, *bars], [*bars, len(leaves)], strict=True):
            operand = leaves[begin:end]
            lines.extend(_item(operand, indent))
        return lines
    return _bracket_split(leaves, indent)


def prefer_double_quotes(token: str) -> str:
    """A string literal as black writes it: double quotes unless they need more backslashes
    than the quotes it has; escapes of a quote that needs none dropped; a ``u`` prefix
    dropped and the others lower-cased. f-strings are refused: their replacement fields
    have rules of their own."""
    quote_at = min(i for i in (token.find("'"), token.find('"')) if i >= 0)
    prefix = token[:quote_at].replace("u", "").replace("U", "")
    prefix = prefix.replace("B", "b").replace("F", "f")
    if "f" in prefix or token[quote_at : quote_at + 3] in ('"""', "'''"):
        raise _Refused
    quote = token[quote_at]
    body = token[quote_at + 1 : -1]
    raw = "r" in prefix.lower()
    if quote == '"':
        if raw:
            return prefix + token[quote_at:]
        # An escaped single quote needs no backslash inside double quotes.
        return prefix + '"' + _requote(body, "'") + '"'
    if raw:
        if '"' in body:
            return prefix + token[quote_at:]
        return prefix + '"' + body + '"'
    body = _requote(body, '"')
    double = _requote(body, "'", '"')
    if double.count("\\") > body.count("\\"):
        return prefix + "'" + body + "'"
    return prefix + '"' + double + '"'


def _requote(body: str, drop: str, add: str = "") -> str:
    """``body`` with the backslash taken from each escaped ``drop`` quote, and one put before
    each unescaped ``add`` quote (an escaped backslash is left as it is)."""
    if "\\" + drop not in body and not (add and add in body):
        return body
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            out.append(following if following == drop else char + following)
            index += 2
            continue
        out.append("\\" + char if char == add else char)
        index += 1
    return "".join(out)


def _shaped_line(line: str) -> str:
    """One single-line statement of a class body, laid out; refused shapes as they were."""
    indent = line[: len(line) - len(line.lstrip())]
    try:
        return "\n".join(_statement(_lex(line), indent)) + "\n"
    except _Refused:
        return line


def _requoted(lines: list[str]) -> list[str]:
    """The lines of a statement black would leave as they are but for its strings (an
    already split statement, or one ending in a ``type: ignore`` comment)."""
    out: list[str] = []
    for line in lines:
        position, end, pieces = 0, len(line), []
        while position < end:
            found = _TOKEN.match(line, position)
            if found is None:
                return lines
            if found.group("comment") is not None:
                if not line[found.start("comment") :].startswith("# type: ignore"):
                    return lines
                # black splits no line that ends in a ``type: ignore``; it only requotes it.
                pieces.append(line[position:])
                break
            string = found.group("string")
            if string is not None:
                try:
                    string = prefer_double_quotes(string)
                except _Refused:
                    return lines
                pieces.append(line[position : found.start("string")] + string)
            else:
                pieces.append(line[position : found.end()])
            position = found.end()
        out.append("".join(pieces))
    return out


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def shape_class_bodies(text: str, tree: ast.Module) -> str:
    """``text`` with the statements of its top-level classes laid out as black lays them out.

    ``tree`` is the syntax of ``text`` or of a text that differs from it only by comments
    appended to lines and statements after the classes: the classes' line numbers must be
    true. Only lines of class bodies change, so the lines above the first class keep their
    numbers."""
    lines = text.split("\n")
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if not lines[node.lineno - 1].startswith(f"class {node.name}"):
            return text  # ``tree`` is not this text's: lay out nothing rather than the wrong lines
        header = lines[node.lineno - 1]
        if (
            (not _fits("", header) or "'" in header)
            and not node.decorator_list
            and node.body[0].lineno == node.lineno + 1
        ):
            lines[node.lineno - 1] = _shaped_line(header + "\n")[:-1]
        body = node.body
        for index, stmt in enumerate(body):
            end = stmt.end_lineno or stmt.lineno
            if index == 0 and _is_docstring(stmt):
                if len(body) > 1 and body[1].lineno == end + 1:
                    lines[end - 1] += "\n"  # black wants one blank line after a class docstring
                continue
            if not isinstance(stmt, (ast.AnnAssign, ast.Assign)):
                continue
            if stmt.lineno != end:
                # Already split (``model_config = ConfigDict(...)``, one keyword a line).
                lines[stmt.lineno - 1 : end] = _requoted(lines[stmt.lineno - 1 : end])
                continue
            line = lines[stmt.lineno - 1]
            if "# type: ignore" in line:
                lines[stmt.lineno - 1 : end] = _requoted([line])
            elif "'" in line or '"' in line or not _fits("", line):
                lines[stmt.lineno - 1] = _shaped_line(line + "\n")[:-1]
    return "\n".join(lines)


def shaped_list(indent: str, head: str, items: Iterable[str], tail: str = "]") -> str:
    """``head`` (ending in its bracket), ``items`` and ``tail`` on one line when they fit,
    else one item per line with a trailing comma, as black lays out a too-long list or
    import; a list of one item gets its line without the comma."""
    items = list(items)
    one_line = indent + head + ", ".join(items) + tail
    if fits(0, one_line) or not items:
        return one_line
    if len(items) == 1 and not head.startswith("from "):
        # One item is moved to a line of its own, without a comma (an import takes one).
        return "\n".join([indent + head, indent + _INDENT + items[0], indent + tail])
    return "\n".join([indent + head, *(indent + _INDENT + item + "," for item in items), indent + tail])
