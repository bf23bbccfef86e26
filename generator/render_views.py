"""Stage 5a: the views the templates are handed, with every decision already made.

Takes the intermediate representation (:mod:`generator.ir`: operations, errors, auth
schemes, server variables); gives small frozen views (:class:`OperationView`,
:class:`ErrorView`, :class:`CredentialView`, :class:`ServerVariableView`,
:class:`Flavour`) whose fields are ready-made text: which parameters go where, how a body
is encoded, docstrings, string literals. :mod:`generator.render` lays them out through
Jinja, so the templates hold no logic beyond loops and simple conditions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import line_layout
from .blackshape import python_string
from .document import is_json_media
from .ir import AuthScheme, ErrorClass, Operation, Parameter, ServerVariable
from .line_layout import INDENT, LINE_LENGTH
from .runtime_facts import runtime_prose


def docstring_text(*parts: str) -> str:
    """Text safe to sit between triple quotes, whose value is exactly the spec's text:
    backslashes, control characters, and every double quote that touches another one or
    ends the text (so none can close the docstring) are escaped."""
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    out: list[str] = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            touching = (index > 0 and text[index - 1] == '"') or (index < last and text[index + 1] == '"')
            out.append('\\"' if touching or index == last else char)
        elif char in "\n\t" or (char.isprintable() and char not in "\u2028\u2029\x85"):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return "".join(out)


# A backslash that ends a line: black leaves such a docstring as it is written.
_CONTINUED_LINE = re.compile(r"\\\s*\n")


def docstring_layout(text: str, indent: int) -> str:
    """``text`` (from :func:`docstring_text`) as black lays out a docstring whose lines are
    ``indent`` spaces in: the lines after the first indented, trailing spaces dropped, a
    space where a quote would touch the closing ones, and those on a line of their own when
    they would not fit after the last. black still formats what is rendered, and gives the
    same output either way: this only spares it work, since it formats a second time
    whatever its first pass changed. Text black would lay out by rules not copied here (a
    tab, a backslash before a line break) is left for black to lay out."""
    if not text or "\t" in text or _CONTINUED_LINE.search(text):
        return text
    lines = text.split("\n")
    margins = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    if len(lines) > 1 and not margins:
        return text
    prefix = " " * indent
    shaped = [lines[0].strip()]
    for number, line in enumerate(lines[1:], 1):
        body = line[min(margins) :].rstrip()
        shaped.append(prefix + body if body or number == len(lines) - 1 else "")
    laid_out = "\n".join(shaped)
    if laid_out.startswith('"'):
        laid_out = " " + laid_out
    if laid_out.endswith('"'):
        laid_out += " "
    if (len(laid_out) - len(laid_out.rstrip("\\"))) % 2:
        return text
    last_line = laid_out.rsplit("\n", 1)[-1]
    if len(shaped) > 1 and len(last_line) + 3 > LINE_LENGTH and indent + 3 <= LINE_LENGTH:
        laid_out += "\n" + prefix
    return laid_out


@dataclass(frozen=True)
class OperationView:
    op: Operation
    call_builder: str
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    cookie_params: tuple[Parameter, ...]
    content_type: str  # a string literal for the runtime, or "" where httpx sets it (forms)
    docstring: str
    # The lines below are laid out as black lays them out (generator/line_layout.py), at
    # the indent the templates put them.
    # The Endpoint's head, the indent of its fields and the text that closes it.
    endpoint_head: str
    field_indent: str
    endpoint_close: str
    # How the Endpoint reads each documented status, the errors' and the default error body;
    # in the split layout each reader is built when first used, so that loading an
    # operation's module, or calling it, loads no model it does not need yet.
    response_lines: tuple[str, ...]
    error_lines: tuple[str, ...]
    default_error_line: str
    security_literal: str  # the alternatives as a tuple of tuples of scheme names
    builder_parameters: tuple[str, ...]
    path_lines: tuple[str, ...]  # the "wire name": value entries of each mapping
    query_lines: tuple[str, ...]
    header_lines: tuple[str, ...]
    cookie_lines: tuple[str, ...]
    body_line: str  # the encoded body, as the call builder hands it to _http.Call
    method_parameters: tuple[str, ...]
    method_returns: str
    # What a method passes its call builder, by position (binding keywords costs more per
    # call), in the order the builder declares them.
    builder_call: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.op, name)

    def raw_method_line(self, helper: str, plain_class: str) -> str:
        """``name = _http.raw(Class.name)``, in a class body."""
        return line_layout.expression(
            line_layout.INDENT, f"{self.op.method_name} = ", f"_http.{helper}({plain_class}.{self.op.method_name})", ""
        )


@dataclass(frozen=True)
class ErrorView:
    error: ErrorClass
    doc: str
    status_annotation: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.error, name)


@dataclass(frozen=True)
class CredentialView:
    """How the client turns its keyword arguments into one scheme's credential."""

    scheme_name: str
    given: str  # the condition under which the caller supplied it
    assignment: str  # the line that builds it into ``credentials``


def credential_view(scheme: AuthScheme) -> CredentialView:
    keywords = scheme.keywords
    given = " and ".join(f"{keyword} is not None" for keyword in keywords)
    if scheme.kind == "basic":
        construct = f"_http.BasicAuth({keywords[0]}, {keywords[1]})"
    elif scheme.kind == "api_key":
        construct = (
            f"_http.ApiKeyAuth({keywords[0]}, location={python_string(scheme.location)}, "
            f"name={python_string(scheme.wire_name)})"
        )
    else:
        construct = f"_http.BearerAuth({keywords[0]})"
    target = f"credentials[{python_string(scheme.scheme_name)}] = "
    return CredentialView(scheme.scheme_name, given, line_layout.expression(2 * INDENT, target, construct, ""))


@dataclass(frozen=True)
class ServerVariableView:
    """One server variable: its constructor keyword and how the client checks its value."""

    keyword: str
    annotation: str
    default: str  # " = ..." or ""
    construct_line: str  # the runtime ServerVariable expression, as an item of the client's list of them


def server_variable_view(variable: ServerVariable) -> ServerVariableView:
    if variable.placeholder:
        annotation, default = "str | None", " = None"
    elif variable.default:
        annotation, default = "str", f" = {python_string(variable.default)}"
    else:
        annotation, default = "str", ""
    arguments = [python_string(variable.keyword), python_string(variable.wire_name), variable.keyword]
    if variable.enum:
        arguments.append("enum=(" + "".join(f"{python_string(v)}, " for v in variable.enum).rstrip() + ")")
    if variable.in_host:
        arguments.append("in_host=True")
    construct = f"_http.ServerVariable({', '.join(arguments)})"
    return ServerVariableView(
        variable.keyword, annotation, default, line_layout.expression(4 * INDENT, "", construct, ",")
    )


@dataclass(frozen=True)
class Flavour:
    class_name: str
    raw_class_name: str
    doc: str
    raw_doc: str
    http_client: str
    transport: str
    def_keyword: str
    await_keyword: str
    is_async: bool
    operations: str  # the split layout's class of operation methods, and of raw ones
    raw_operations: str
    raw_helper: str  # the runtime's function that retypes a plain method as a raw one
    bases: str = ""
    raw_bases: str = ""


def _value(param: Parameter) -> str:
    """The expression that gives the runtime ``param``'s value as it is written on the wire,
    where the runtime's default (the location's default style) would write it otherwise."""
    if param.media_type is not None:
        return f"_http.as_json({param.keyword})" if is_json_media(param.media_type) else param.keyword
    if param.location == "path" and (param.style != "simple" or param.explode):
        options = [f"style={python_string(param.style)}"] if param.style != "simple" else []
        options += ["explode=True"] if param.explode else []
        options += [f"name={python_string(param.wire_name)}"] if param.style == "matrix" else []
        return f"_http.path_text({param.keyword}, {', '.join(options)})"
    if param.location == "header" and param.explode:
        return f"_http.exploded_header({param.keyword})"
    return param.keyword


def _query_pairs(param: Parameter) -> str:
    options = "" if param.explode or param.media_type is not None else ", explode=False"
    if param.style != "form" and param.media_type is None:
        options += f", style={python_string(param.style)}"
    return f"_http.query_pairs({python_string(param.wire_name)}, {_value(param)}{options})"


def _entries(indent: int, params: tuple[Parameter, ...]) -> tuple[str, ...]:
    """The ``"wire name": value,`` lines of a path, header or cookie mapping."""
    return tuple(line_layout.expression(indent, f"{python_string(p.wire_name)}: ", _value(p), ",") for p in params)


def operation_view(op: Operation, split: bool = False) -> OperationView:
    by_location = {
        loc: tuple(p for p in op.parameters if p.location == loc) for loc in ("path", "query", "header", "cookie")
    }
    encoder, argument = "", "content"
    if op.body is not None:
        model = op.body.model or "None"
        encoder, argument = {
            "json": (f"_http.encode_body(body, {model})", "content"),
            "form": (f"_http.form_fields(body, {model})", "data"),
            "multipart": (f"_http.multipart_fields(body, {model})", "files"),
            "content": ("_http.raw_content(body)", "content"),
        }[op.body.encoding]
        if not op.body.required:
            encoder = f"None if body is None else {encoder}"
    param_docs = [
        f"{p.keyword}: {p.description or p.wire_name}{' (deprecated)' if p.deprecated else ''}" for p in op.parameters
    ]
    signature = [
        *([("body", op.body.annotation, op.body.required)] if op.body else []),
        *((p.keyword, p.annotation.text, p.required) for p in op.parameters),
    ]
    head, close, field_indent = line_layout.endpoint_head(
        op.endpoint_name, f"_http.Endpoint[{op.return_annotation}]", "_http.Endpoint"
    )
    arguments = [*(["body"] if op.body else []), *(p.keyword for p in op.parameters)]
    heading = op.summary or f"{op.http_method} {op.path}"
    notes = ["Deprecated by the API."] if op.deprecated else []
    args_block = "Args:\n" + "\n".join(f"    {line}" for line in param_docs) if param_docs else ""
    pad = " " * field_indent
    optional = {True: "", False: " | None"}
    return OperationView(
        op=op,
        call_builder=f"_{op.method_name}_call",
        path_params=by_location["path"],
        query_params=by_location["query"],
        header_params=by_location["header"],
        cookie_params=by_location["cookie"],
        content_type=_content_type(op),
        docstring=docstring_text(
            heading,
            *notes,
            op.description if op.description != heading else "",
            args_block,
            "Every call also takes extra_headers=, extra_query=, extra_body=, timeout=, max_retries=, "
            "retry_non_idempotent=, idempotency_key= and strict_responses= (see the package README).",
            f"{op.http_method} {op.path}" if op.summary else "",
        ),
        endpoint_head=head,
        field_indent=pad,
        endpoint_close=close,
        response_lines=tuple(
            line_layout.expression(
                field_indent + INDENT, f"{python_string(case.status)}: ", _reader(case.parser, split), ","
            )
            for case in op.responses
        ),
        error_lines=tuple(
            _error_line(field_indent + INDENT, e.status, e.error_class, _reader(e.body_parser, split))
            for e in op.errors
        ),
        default_error_line=line_layout.expression(
            field_indent, "default_error=", _reader(op.default_error_parser, split), ","
        ),
        security_literal=_security_literal(op.security, field_indent),
        builder_parameters=tuple(
            line_layout.parameter(INDENT, name, annotation + optional[required])
            for name, annotation, required in signature
        ),
        path_lines=_entries(3 * INDENT, by_location["path"]),
        query_lines=tuple(line_layout.expression(3 * INDENT, "*", _query_pairs(p), ",") for p in by_location["query"]),
        header_lines=_entries(4 * INDENT, by_location["header"]),
        cookie_lines=_entries(4 * INDENT, by_location["cookie"]),
        body_line=line_layout.keyword_value(2 * INDENT, argument, encoder) if op.body else "",
        method_parameters=tuple(
            line_layout.parameter(2 * INDENT, name, annotation + optional[required], "" if required else "None")
            for name, annotation, required in signature
        ),
        method_returns=line_layout.returns(INDENT, op.return_annotation),
        builder_call=line_layout.expression(3 * INDENT, "", f"_{op.method_name}_call({', '.join(arguments)})", ","),
    )


def _error_line(indent: int, status: str, error_class: str, reader: str) -> str:
    """``"404": (errors.NotFoundError, reader),`` in the Endpoint's map of errors."""
    head, arguments = f"{python_string(status)}: (", [f"errors.{error_class}", reader]
    flat = f"{' ' * indent}{head}{', '.join(arguments)}),"
    return line_layout.bracketed(indent, head, arguments, "),") or flat


def _reader(expression: str, split: bool) -> str:
    return f"_lazy.reader(lambda: {expression})" if split else expression


PROSE = runtime_prose()
CONSTRUCTOR_DOC = docstring_text(
    "Create a client.",
    "timeout: seconds or an httpx.Timeout for every request (default: a finite timeout set on\n"
    f"    http_client, else {PROSE.timeout}, {PROSE.connect_timeout} to connect); only httpx.Timeout(None) "
    "turns it off.\n"
    "max_retries: how often a request that is safe to repeat is retried.\n"
    "headers: sent with every request.\n"
    "idempotency_header: a header name, such as Idempotency-Key; non-idempotent calls then carry\n"
    "    a fresh key (the same on every attempt) and are retried like idempotent ones.\n"
    "strict_responses: raise ResponseValidationError when a success body does not match the spec,\n"
    "    instead of returning what matches with a warning.\n"
    "http_client: an httpx client of your own (proxies, transports, mounts); it is not closed by close().",
)


def _content_type(op: Operation) -> str:
    """Forms and multipart bodies get their content type (and boundary) from httpx itself."""
    if op.body is None or op.body.encoding not in ("json", "content"):
        return ""
    return python_string(op.body.media_type)


def _security_literal(security: Iterable[Iterable[str]], indent: int) -> str:
    """The alternatives as a tuple of tuples of scheme names, for ``security=`` at column
    ``indent``: each tuple with a trailing comma after every item, as black keeps it."""
    inner = indent + INDENT
    alternatives = [
        " " * inner + line_layout.exploded_tuple(inner, [" " * (inner + INDENT) + python_string(s) for s in alt])
        for alt in security
    ]
    return line_layout.exploded_tuple(indent, alternatives)
