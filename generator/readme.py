"""Part of stage 5: the package README's examples, as finished text for ``README.md.jinja``.

Every example is a complete program (imports, client, call) that a reader can paste as it
is, with the spec's documented example values where it has them. The template only lays
these out; tests/test_package_readme.py runs each of them against a mock transport, so an
example that no longer matches the generated client fails the build.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .blackshape import python_string
from .ir import AuthScheme, ErrorClass, Operation, Package, Parameter
from .line_layout import LINE_LENGTH

INDENT = "    "
PLACEHOLDER = '"..."'


class Code(str):
    """Python source to lay out as it is, where a value would otherwise be quoted."""

    __slots__ = ()


@dataclass(frozen=True)
class ArgumentDoc:
    keyword: str
    where: str  # "header `X-Musement-Version`", "request body (`application/json`)"
    required: bool
    text: str


@dataclass(frozen=True)
class OperationReadme:
    method_name: str
    http_method: str
    path: str
    summary: str
    example: str
    arguments: tuple[ArgumentDoc, ...]
    return_annotation: str
    errors: tuple[tuple[str, str], ...]  # (class name, status)


@dataclass(frozen=True)
class ReadmeView:
    construct_example: str
    relative_server: str | None  # the spec's server without scheme and host, if that is all it gives
    operations: tuple[OperationReadme, ...]
    errors_example: str
    timeouts_example: str
    strictness_example: str  # "" when no operation sends a JSON model
    raw_example: str  # "" when the spec has no operation
    mismatches_example: str  # "" when the spec has no operation
    idempotency_example: str  # "" when the spec has no operation
    error_models: tuple[str, ...]  # "400: `models.Error`", for each documented status with a model
    auth_lines: tuple[str, ...]
    install_command: str


def flat_literal(value: Any) -> str:
    """``value`` as Python source on one line."""
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'  # YAML's .inf and .nan have no literal in Python
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{flat_literal(k)}: {flat_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flat_literal(v) for v in value) + "]"
    return python_string(str(value))


def literal(value: Any, indent: int, used: int = 0) -> str:
    """``value`` as Python source, laid out as black would: on one line where it fits in
    what is left of a line that starts at column ``indent`` and already has ``used``
    characters, otherwise one item per line with a trailing comma."""
    flat = flat_literal(value)
    fits = indent + used + len(flat) + 1 <= LINE_LENGTH
    if fits or isinstance(value, (Code, str)) or not isinstance(value, (Mapping, list, tuple)) or not value:
        return flat
    inner = " " * (indent + len(INDENT))
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            head = f"{flat_literal(key)}: "
            lines.append(f"{inner}{head}{literal(item, indent + len(INDENT), len(head))},")
        opening, closing = "{", "}"
    else:
        lines = [f"{inner}{literal(item, indent + len(INDENT))}," for item in value]
        opening, closing = "[", "]"
    return opening + "\n" + "\n".join(lines) + "\n" + " " * indent + closing


def call_source(callee: str, args: Sequence[tuple[str | None, Any]], indent: int, used: int = 0) -> str:
    """``callee(value, keyword=value, ...)`` (a ``None`` keyword is a positional argument)
    on one line where it fits, otherwise one argument per line."""

    def argument(keyword: str | None, value: Any, column: int) -> str:
        head = "" if keyword is None else f"{keyword}="
        return head + (flat_literal(value) if column < 0 else literal(value, column, len(head)))

    flat = f"{callee}(" + ", ".join(argument(k, v, -1) for k, v in args) + ")"
    if indent + used + len(flat) <= LINE_LENGTH or not args:
        return flat
    inner = indent + len(INDENT)
    lines = [f"{' ' * inner}{argument(k, v, inner)}," for k, v in args]
    return f"{callee}(\n" + "\n".join(lines) + "\n" + " " * indent + ")"


def _at(indent: int, source: str) -> str:
    """``source``, laid out for column ``indent``, with its first line moved there too."""
    return " " * indent + source


# --- what goes into each example ---------------------------------------------------------


def _auth_schemes(package: Package, op: Operation | None) -> list[AuthScheme]:
    """The schemes the constructor needs, and those of the operation's first alternative."""
    wanted = {s.scheme_name for s in package.auth if s.required}
    if op is not None and op.security:
        wanted.update(op.security[0])
    return [s for s in package.auth if s.scheme_name in wanted]


def client_arguments(package: Package, op: Operation | None = None) -> list[tuple[str, Any]]:
    args: list[tuple[str, Any]] = []
    for scheme in _auth_schemes(package, op):
        args.extend((keyword, Code(PLACEHOLDER)) for keyword in scheme.keywords)
    for variable in package.server_variables:
        args.append((variable.keyword, variable.default or Code(PLACEHOLDER)))
    if not package.base_url_template:
        relative = relative_server(package)
        path = relative.rstrip("/") if relative and relative.startswith("/") else ""
        args.append(("base_url", f"https://api.example.com{path}"))
    return args


def relative_server(package: Package) -> str | None:
    """The first server the spec lists without a scheme and host (``/api/v3``): relative,
    in OpenAPI's words, to where the spec itself is served, which the client cannot know."""
    return next((url for url, _ in package.servers if "://" not in url), None)


def missing_base_url(package: Package) -> str:
    """The error a client of ``package`` raises without ``base_url=``, when it needs one."""
    relative = relative_server(package)
    if relative is None:
        return "base_url is required: the spec names no server"
    return (
        f"base_url is required: the spec's server {relative!r} is relative to where the API is hosted;"
        " pass its full URL"
    )


def _placeholder(param: Parameter) -> Code:
    if param.annotation.literals:
        return Code(flat_literal(param.annotation.literals[0]))
    return Code({"int": "1", "float": "1.0", "bool": "True"}.get(param.annotation.text, PLACEHOLDER))


def inline_code(text: str) -> str:
    """``text`` as a Markdown code span, which ends at the first run of backticks as long
    as its fence: the fence is made longer than any run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


# A fence that says its block is Python: the README's own examples are, and are checked.
_PYTHON_FENCE = re.compile(r"^(\s*(?:`{3,}|~{3,}))\s*(?:python3?|py|pycon)\b.*$", re.MULTILINE | re.IGNORECASE)


def list_item_text(text: str) -> str:
    """Text from the spec laid out as the body of a Markdown list item: later lines indented
    so that they stay in the item, and a code block in it marked as text, since only the
    README's own examples are Python that is checked to run."""
    relabelled = _PYTHON_FENCE.sub(r"\1text", text.strip())
    lines = relabelled.splitlines()
    return "\n".join(lines[:1] + [f"  {line}" if line else line for line in lines[1:]])


def operation_arguments(op: Operation, *, every_header: bool) -> list[tuple[str, Any]]:
    """The keyword arguments of an example call: the body (its documented example where
    there is one), path and required parameters, and with ``every_header`` each header
    parameter, with documented example values and placeholders elsewhere."""
    args: list[tuple[str, Any]] = []
    body_example = _body_example(op)
    if op.body is not None and (op.body.required or body_example is not None):
        if op.body.encoding == "content":
            args.append(("body", Code('b"..."')))
        elif body_example is not None:
            args.append(("body", body_example))
        else:
            args.append(("body", Code("{...}")))
    for param in op.parameters:
        if param.required or (every_header and param.location == "header"):
            example = param.example
            usable = example is not None and not (param.location == "header" and _breaks_line(example.value))
            args.append((param.keyword, example.value if example is not None and usable else _placeholder(param)))
    return args


def _body_example(op: Operation) -> Any:
    """The documented example of the request body; ``None`` where there is none (or it is null)."""
    return op.body.example.value if op.body is not None and op.body.example is not None else None


def _breaks_line(value: Any) -> bool:
    """A header value can hold no line break, so such an example could never be sent."""
    return isinstance(value, str) and any(char in value for char in "\r\n")


def _call_line(op: Operation, args: list[tuple[str, Any]], indent: int) -> str:
    head = "result = "
    return head + call_source(f"client.{op.method_name}", args, indent, len(head))


def _with_client(package: Package, op: Operation | None, body: str, *, extra_imports: str = "") -> str:
    client = call_source("Client", client_arguments(package, op), 0, len("with "))
    names = "Client" + extra_imports
    return f"from {package.name} import {names}\n\nwith {client} as client:\n{body}"


def _operation_example(package: Package, op: Operation) -> str:
    call = _call_line(op, operation_arguments(op, every_header=True), len(INDENT))
    return _with_client(package, op, _at(len(INDENT), call)) + "\n\nprint(result)"


def _arguments(op: Operation) -> tuple[ArgumentDoc, ...]:
    docs: list[ArgumentDoc] = []
    if op.body is not None:
        model = f"`{op.body.model}` or a dict of the same fields" if op.body.model else f"`{op.body.annotation}`"
        docs.append(
            ArgumentDoc(
                "body",
                f"request body, sent as `{op.body.media_type}`",
                op.body.required,
                f"{model}.{' ' + op.body.description if op.body.description else ''}",
            )
        )
    for param in op.parameters:
        text = list_item_text(param.description) or param.wire_name
        if param.example is not None:
            text += f" Documented example: {inline_code(flat_literal(param.example.value))}."
        if param.deprecated:
            text += " Deprecated."
        docs.append(ArgumentDoc(param.keyword, f"{param.location} `{param.wire_name}`", param.required, text))
    return tuple(docs)


def _errors_example(package: Package, op: Operation | None) -> str:
    if op is None:
        return f"from {package.name} import errors"
    by_name: dict[str, ErrorClass] = {e.name: e for e in package.error_classes}
    call = _call_line(op, operation_arguments(op, every_header=False), 2 * len(INDENT))
    handlers: list[str] = []
    if op.errors and op.errors[0].error_class in by_name:
        first = by_name[op.errors[0].error_class]
        handlers.append(
            f"{INDENT}except errors.{first.name} as exc:"
            f"  # {first.status}: exc.body is {_error_body_text(first)}\n"
            f'{INDENT * 2}print("{first.reason or first.status}:", exc.status_code, exc.body)'
        )
    others = "any other error status" if handlers else "the API answered with an error status"
    handlers.append(
        f"{INDENT}except errors.ApiStatusError as exc:  # {others}\n"
        f"{INDENT * 2}print(exc)  # method, URL, status and the server's own message\n"
        f'{INDENT * 2}print("error status:", exc.status_code, exc.body, exc.request_id, exc.documented)'
    )
    handlers.append(
        f"{INDENT}except errors.ResponseValidationError as exc:  # it succeeded; the body is unusable\n"
        f'{INDENT * 2}print("succeeded, body kept as sent:", exc.body)'
    )
    handlers.append(
        f"{INDENT}except errors.ApiConnectionError as exc:  # no response; includes timeouts\n"
        f'{INDENT * 2}print("no response; may have reached the server:", exc.request_sent)'
    )
    body = f"{INDENT}try:\n" + _at(2 * len(INDENT), call) + "\n" + "\n".join(handlers)
    return _with_client(package, op, body, extra_imports=", errors")


def _error_body_text(error: ErrorClass) -> str:
    models = error.body_annotation.models
    return " | ".join(models) + " where it fits" if models else "Any"


def _timeouts_example(package: Package) -> str:
    args = [
        *client_arguments(package),
        ("timeout", Code("httpx.Timeout(10.0, connect=2.0)")),
        ("max_retries", 0),
    ]
    client = call_source("Client", args, 0, len("client = "))
    return f"import httpx\nfrom {package.name} import Client\n\nclient = {client}\nclient.close()"


def _raw_example(package: Package, op: Operation | None) -> str:
    if op is None:
        return ""
    head = "raw = "
    call = head + call_source(
        f"client.with_raw_response.{op.method_name}",
        operation_arguments(op, every_header=False),
        len(INDENT),
        len(head),
    )
    body = (
        _at(len(INDENT), call)
        + f'\n{INDENT}print(raw.status_code, raw.request_id, raw.retries_taken, raw.headers.get("content-type"))'
        + f"\n{INDENT}result = raw.parse()  # what client.{op.method_name}(...) returns"
    )
    return _with_client(package, op, body)


def _mismatches_example(package: Package, op: Operation | None) -> str:
    if op is None:
        return ""
    call = _call_line(op, operation_arguments(op, every_header=False), len(INDENT))
    body = (
        _at(len(INDENT), call)
        + f"\n{INDENT}for mismatch in errors.response_mismatches(result):  # empty when it matched"
        + f"\n{INDENT * 2}print(mismatch.location, mismatch.reason)"
    )
    return _with_client(package, op, body, extra_imports=", errors")


def _idempotency_example(package: Package, op: Operation | None) -> str:
    if op is None:
        return ""
    args = [*client_arguments(package, op), ("idempotency_header", "Idempotency-Key")]
    client = call_source("Client", args, 0, len("with "))
    call_args = [*operation_arguments(op, every_header=False), ("idempotency_key", "order-2024-0001")]
    call = _call_line(op, call_args, len(INDENT))
    return f"from {package.name} import Client\n\nwith {client} as client:\n{_at(len(INDENT), call)}"


def _strictness_example(package: Package, op: Operation | None) -> str:
    if op is None or op.body is None or not op.body.model or op.body.encoding != "json":
        return ""
    example = _body_example(op)
    fields = dict(example) if isinstance(example, Mapping) else {}
    fields["no_such_field"] = 1
    validate = call_source(f"{op.body.model}.model_validate", [(None, fields)], len(INDENT))
    return (
        f"import pydantic\nfrom {package.name} import models\n\ntry:\n"
        f"{_at(len(INDENT), validate)}\n"
        "except pydantic.ValidationError as exc:\n"
        f'{INDENT}print("refused:", exc.errors()[0]["loc"])'
    )


def _auth_line(scheme: AuthScheme) -> str:
    what = {
        "bearer": "sent as `Authorization: Bearer ...`",
        "basic": "sent as HTTP Basic authentication",
        "api_key": f"sent in the {scheme.location} `{scheme.wire_name}`",
    }[scheme.kind]
    keywords = " and ".join(f"`{k}=`" for k in scheme.keywords)
    optional = "" if scheme.required else " (optional)"
    return f"{keywords}: {what} (security scheme `{scheme.scheme_name}`){optional}."


def readme_view(package: Package) -> ReadmeView:
    first = package.operations[0] if package.operations else None
    operations = tuple(
        OperationReadme(
            method_name=op.method_name,
            http_method=op.http_method,
            path=op.path,
            summary=op.summary,
            example=_operation_example(package, op),
            arguments=_arguments(op),
            return_annotation=op.return_annotation,
            errors=tuple((e.error_class, e.status) for e in op.errors),
        )
        for op in package.operations
    )
    return ReadmeView(
        construct_example=f"from {package.name} import Client\n\nclient = "
        + call_source("Client", client_arguments(package), 0, len("client = ")),
        relative_server=relative_server(package),
        operations=operations,
        errors_example=_errors_example(package, first),
        timeouts_example=_timeouts_example(package),
        strictness_example=_strictness_example(package, first),
        raw_example=_raw_example(package, first),
        mismatches_example=_mismatches_example(package, first),
        idempotency_example=_idempotency_example(package, first),
        error_models=tuple(
            f"{error.status}: " + ", ".join(f"`{model}`" for model in error.body_annotation.models)
            for error in package.error_classes
            if error.body_annotation.models
        ),
        auth_lines=tuple(_auth_line(s) for s in package.auth),
        install_command='pip install "pydantic>=2.11,<3" "httpx>=0.27,<1"',
    )
