"""Stage 5a, part: lines of the operation modules laid out as black lays them out.

black formats every generated file (:mod:`generator.format`), and formats a second time
whatever its first pass changed; so text handed to it already in its shape costs half as
much. The functions here lay out the few shapes the operation templates repeat (a parameter
with its annotation, a call, a union, the head of an endpoint) the way black 26 does at a
line length of :data:`LINE_LENGTH`. They only save time: black still formats all of it,
and where a shape here is not black's, black's output is the same, only slower to get.
Where black's choice is not one of the shapes here (an argument that a further split would
break inside), the flat line is returned for black to lay out.

tests/unit/test_line_layout.py holds each shape to black's first pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from black.strings import str_width

LINE_LENGTH = 88
INDENT = 4

_OPENING = "([{"
_CLOSING = ")]}"


def width(text: str) -> int:
    """Columns ``text`` takes as black counts them (wide East Asian characters take two)."""
    return str_width(text)


def fits(indent: int, text: str) -> bool:
    return indent + width(text) <= LINE_LENGTH


def _outside_strings(text: str) -> Iterator[tuple[int, str, int]]:
    """``(index, char, depth)`` for each character of ``text`` outside string literals, with
    the bracket depth before it. Strings are those this package writes: quoted, with
    backslash escapes."""
    depth = 0
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        else:
            yield index, char, depth
            depth += (char in _OPENING) - (char in _CLOSING)
        index += 1


def top_level_split(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside brackets and string literals, the
    pieces stripped."""
    pieces: list[str] = []
    start = 0
    for index, _, depth in _outside_strings(text):
        if depth == 0 and index >= start and text.startswith(separator, index):
            pieces.append(text[start:index].strip())
            start = index + len(separator)
    pieces.append(text[start:].strip())
    return pieces


def _call_parts(expression: str) -> tuple[str, list[str]] | None:
    """``("callee(", [arguments])`` for an expression that is one call (or subscript) whose
    closing bracket ends it; None for anything else."""
    if not expression or expression[-1] not in ")]":
        return None
    opening = "(" if expression[-1] == ")" else "["
    start = -1
    for index, char, depth in _outside_strings(expression):
        if char in _OPENING and depth == 0:
            if start >= 0 or char != opening:
                return None
            start = index
        elif char in _CLOSING and depth == 1 and index != len(expression) - 1:
            return None  # the call closes before the end: something follows it
    if start <= 0 or not expression[:start].replace(".", "").replace("_", "").isalnum():
        return None
    inside = expression[start + 1 : -1]
    return expression[: start + 1], top_level_split(inside, ",") if inside.strip() else []


def _splittable(argument: str) -> bool:
    """Whether black could break ``argument`` further (it holds a bracket or an operator);
    a plain name, attribute or literal stays whole however long it is."""
    return any(char in argument for char in "([{ ")


def _laid_out(indent: int, prefix: str, value: str, suffix: str) -> str | None:
    """``prefix + value + suffix`` at ``indent``: flat where it fits or cannot be broken,
    else broken at the brackets of the call ``value`` ends with (a lambda's body too)."""
    flat = " " * indent + prefix + value + suffix
    if fits(0, flat) or not _splittable(value):
        return flat
    if not prefix and not suffix and len(top_level_split(value, "|")) > 1:
        return union(indent, value)
    if value.startswith("lambda: "):
        return _laid_out(indent, prefix + "lambda: ", value[len("lambda: ") :], suffix)
    parts = _call_parts(value)
    if parts is None:
        return None
    callee, arguments = parts
    return bracketed(indent, prefix + callee, arguments, value[-1] + suffix)


def bracketed(indent: int, head: str, arguments: Sequence[str], tail: str) -> str | None:
    """``head`` + the arguments + ``tail``, where head ends with an opening bracket and tail
    starts with its closing one: on one line where it fits; else the arguments on one line
    of their own (a single one broken further if it must be); else one per line, each with
    a trailing comma. None where black would break something in a way not shaped here."""
    pad = " " * indent
    joined = ", ".join(arguments)
    if fits(indent, head + joined + tail):
        return pad + head + joined + tail
    inner = indent + INDENT
    # A display (tuple, list, dict) of several items is never hugged: black puts each item
    # on its own line. A call's or subscript's arguments may share one.
    display = len(head) < 2 or not (head[-2].isalnum() or head[-2] in "_)]")
    if not arguments:
        return None
    if len(arguments) == 1 or (fits(inner, joined) and not display):
        body = _laid_out(inner, "", joined, "") if len(arguments) == 1 else " " * inner + joined
        return None if body is None else f"{pad}{head}\n{body}\n{pad}{tail}"
    lines = [_laid_out(inner, "", argument, ",") for argument in arguments]
    if any(line is None for line in lines):
        return None
    return pad + head + "\n" + "".join(f"{line}\n" for line in lines) + pad + tail


def expression(indent: int, prefix: str, value: str, suffix: str) -> str:
    """``prefix + value + suffix`` (``value`` a call, as ``_http.encode_body(body, model)``)
    laid out as black would, or flat where that is not a shape of this module."""
    return _laid_out(indent, prefix, value, suffix) or " " * indent + prefix + value + suffix


def union(indent: int, annotation: str) -> str | None:
    """An annotation on lines of its own at ``indent`` (inside black's parentheses): whole
    where it fits, else one ``| member`` per line."""
    pad = " " * indent
    if fits(indent, annotation):
        return pad + annotation
    members = top_level_split(annotation, "|")
    lines: list[str] = []
    for position, member in enumerate(members):
        prefix = "| " if position else ""
        if fits(indent, prefix + member):
            lines.append(pad + prefix + member)
            continue
        laid_out = _laid_out(indent, prefix, member, "") if len(members) > 1 else None
        if laid_out is None:
            return None
        lines.append(laid_out)
    return "\n".join(lines)


def parameter(indent: int, name: str, annotation: str, default: str = "") -> str:
    """``name: annotation = default,`` as a line of a signature, at column ``indent``. One
    that does not fit has its annotation wrapped in parentheses, as black does."""
    pad = " " * indent
    tail = f" = {default}," if default else ","
    flat = f"{pad}{name}: {annotation}{tail}"
    if fits(0, flat):
        return flat
    if len(top_level_split(annotation, "|")) == 1:
        # One name or subscript, as ``Literal[...]``: black breaks its brackets, if it has
        # any, and adds no others.
        return _laid_out(indent, f"{name}: ", annotation, tail) or flat
    body = union(indent + INDENT, annotation)
    if body is None:
        return flat
    return f"{pad}{name}: (\n{body}\n{pad}){tail}"


def returns(indent: int, annotation: str) -> str:
    """The ``) -> annotation:`` line that closes a signature whose parameters are one per line."""
    pad = " " * indent
    flat = f"{pad}) -> {annotation}:"
    if fits(0, flat):
        return flat
    body = union(indent + INDENT, annotation)
    if body is None and not _splittable(annotation):
        body = " " * (indent + INDENT) + annotation  # black wraps a return annotation however long
    if body is None:
        return flat
    return f"{pad}) -> (\n{body}\n{pad}):"


def keyword_value(indent: int, keyword: str, value: str) -> str:
    """``keyword=value,`` as an argument line: a conditional expression that does not fit
    goes in parentheses (split at ``if`` and ``else`` if it still does not), a call is
    broken at its brackets."""
    flat = f"{' ' * indent}{keyword}={value},"
    if fits(0, flat):
        return flat
    condition = _conditional(value)
    if condition is None:
        return expression(indent, f"{keyword}=", value, ",")
    pad, inner = " " * indent, " " * (indent + INDENT)
    if fits(indent + INDENT, value):
        return f"{pad}{keyword}=(\n{inner}{value}\n{pad}),"
    chosen, test, otherwise = condition
    lines = [
        _laid_out(indent + INDENT, "", chosen, ""),
        _laid_out(indent + INDENT, "if ", test, ""),
        _laid_out(indent + INDENT, "else ", otherwise, ""),
    ]
    if any(line is None for line in lines):
        return flat
    return f"{pad}{keyword}=(\n" + "".join(f"{line}\n" for line in lines) + f"{pad}),"


def _conditional(value: str) -> tuple[str, str, str] | None:
    """``(chosen, test, otherwise)`` of ``chosen if test else otherwise`` at the top level."""
    chosen, *rest = top_level_split(value, " if ")
    if len(rest) != 1:
        return None
    test, *otherwise = top_level_split(rest[0], " else ")
    if len(otherwise) != 1:
        return None
    return chosen, test, otherwise[0]


def exploded_tuple(indent: int, items: Sequence[str]) -> str:
    """A tuple display that starts at column ``indent`` (after what precedes it on its line)
    with a trailing comma after every item: black keeps such a tuple one item per line,
    except a tuple of one item, which it writes ``(item,)``. Items are laid out already for
    their own line, one level in."""
    if not items:
        return "()"
    if len(items) == 1:
        return f"({items[0].strip()},)"
    return "(\n" + "".join(f"{item},\n" for item in items) + " " * indent + ")"


def import_line(indent: int, module: str, names: Sequence[str]) -> str:
    """``from module import names`` at ``indent``: black gives an import that does not fit
    one name per line, always with a trailing comma."""
    pad = " " * indent
    flat = f"{pad}from {module} import {', '.join(names)}"
    if fits(0, flat):
        return flat
    return f"{pad}from {module} import (\n" + "".join(f"{pad}{' ' * INDENT}{name},\n" for name in names) + f"{pad})"


def endpoint_head(name: str, annotation: str, call: str) -> tuple[str, str, int]:
    """``name: annotation = call(`` as black breaks it, the text that closes it, and the
    indent of the arguments between: the value wrapped in parentheses where the line does
    not fit, the annotation's brackets broken where even that does not fit."""
    flat = f"{name}: {annotation} = {call}("
    if fits(0, flat):
        return flat, ")", INDENT
    if fits(0, f"{name}: {annotation} = ("):
        return f"{name}: {annotation} = (\n{' ' * INDENT}{call}(", f"{' ' * INDENT})\n)", 2 * INDENT
    parts = _call_parts(annotation)
    subscript = parts is not None and parts[0].endswith("[") and len(parts[1]) == 1
    # Wrapping the annotation in parentheses instead is black's choice only when its head
    # fits and every line of the annotation inside them does too.
    wrapped = _laid_out(INDENT, "", annotation, "")
    wrap = fits(0, f"{name}: (") and wrapped is not None and all(fits(0, line) for line in wrapped.split("\n"))
    if subscript and parts is not None and (fits(0, f"{name}: {parts[0]}") or not wrap):
        member = _laid_out(INDENT, "", parts[1][0], "")
        if member is not None:
            return f"{name}: {parts[0]}\n{member}\n] = {call}(", ")", INDENT
    if wrapped is None:
        return flat, ")", INDENT
    return f"{name}: (\n{wrapped}\n) = {call}(", ")", INDENT
