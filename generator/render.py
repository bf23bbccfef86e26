"""Stage 5: lay the intermediate representation out as files, through Jinja templates.

Takes an :class:`~generator.ir.Package` (and the fake's view of it); gives ``{path: text}``
for every file of the package, unformatted: one ``client.py`` and one ``models.py``, or, for
a large package, the split layout :mod:`~generator.layout` describes.

The views below finish the decisions the templates need (which parameters go where, which
imports a module uses, docstring text) so that templates hold no logic beyond loops and
simple conditions over prepared fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import jinja2

from . import layout
from .fake import TestingView, testing_readme_example
from .ir import AuthScheme, ErrorClass, Operation, Package, Parameter, ServerVariable
from .readme import readme_view
from .resources import TEMPLATE_DIR
from .runtime_facts import RUNTIME_DIR, runtime_facts, runtime_prose

RUNTIME_MODULES = (
    "_exceptions.py",
    "_fake.py",
    "_http.py",
    "_model_base.py",
    "_responses.py",
    "_retries.py",
    "_servers.py",
)


def python_string(value: str) -> str:
    """A Python string literal for ``value``: always double-quoted, every character escaped
    as needed, so nothing in a spec can end the literal or the line early."""
    literal = json.dumps(value, ensure_ascii=False)
    # json.dumps leaves some characters Python treats as line breaks unescaped.
    for char in ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"):
        literal = literal.replace(char, f"\\u{ord(char):04x}")
    return literal


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


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pystr"] = python_string
    return env


_ENV = _environment()


@dataclass(frozen=True)
class OperationView:
    op: Operation
    call_builder: str
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    cookie_params: tuple[Parameter, ...]
    body_argument: str
    body_encoder: str
    content_type: str  # a string literal for the runtime, or "" where httpx sets it (forms)
    security_literal: str  # the alternatives as a tuple of tuples of scheme names
    docstring: str
    raw_docstring: str
    raw_return_annotation: str
    # How the Endpoint reads each documented status, the errors' and the default error body;
    # in the split layout each reader is built when first used, so that loading an
    # operation's module, or calling it, loads no model it does not need yet.
    response_readers: tuple[tuple[str, str], ...]
    error_readers: tuple[tuple[str, str, str], ...]
    default_reader: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.op, name)


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
    construct: str  # the expression that builds it


def _credential_view(scheme: AuthScheme) -> CredentialView:
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
    return CredentialView(scheme.scheme_name, given, construct)


@dataclass(frozen=True)
class ServerVariableView:
    """One server variable: its constructor keyword and how the client checks its value."""

    keyword: str
    annotation: str
    default: str  # " = ..." or ""
    construct: str  # the runtime ServerVariable expression


def _server_variable_view(variable: ServerVariable) -> ServerVariableView:
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
    return ServerVariableView(variable.keyword, annotation, default, f"_http.ServerVariable({', '.join(arguments)})")


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
    bases: str = ""
    raw_bases: str = ""


def _operation_view(op: Operation, split: bool = False) -> OperationView:
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
    heading = op.summary or f"{op.http_method} {op.path}"
    notes = ["Deprecated by the API."] if op.deprecated else []
    args_block = "Args:\n" + "\n".join(f"    {line}" for line in param_docs) if param_docs else ""
    return OperationView(
        op=op,
        call_builder=f"_{op.method_name}_call",
        path_params=by_location["path"],
        query_params=by_location["query"],
        header_params=by_location["header"],
        cookie_params=by_location["cookie"],
        body_argument=argument,
        body_encoder=encoder,
        content_type=_content_type(op),
        security_literal=_tuple_literal(_tuple_literal(python_string(s) for s in alt) for alt in op.security),
        docstring=docstring_text(
            heading,
            *notes,
            op.description if op.description != heading else "",
            args_block,
            "Every call also takes extra_headers=, extra_query=, extra_body=, timeout=, max_retries=, "
            "retry_non_idempotent=, idempotency_key= and strict_responses= (see the package README).",
            f"{op.http_method} {op.path}" if op.summary else "",
        ),
        raw_docstring=docstring_text(
            f"{heading}, returning the raw response.",
            f"Takes the same arguments and raises the same errors as ``{op.method_name}``; "
            "``parse()`` on the result returns what it would.",
        ),
        raw_return_annotation=f"_http.RawResponse[{op.return_annotation}]",
        response_readers=tuple((case.status, _reader(case.parser, split)) for case in op.responses),
        error_readers=tuple((e.status, e.error_class, _reader(e.body_parser, split)) for e in op.errors),
        default_reader=_reader(op.default_error_parser, split),
    )


def _reader(expression: str, split: bool) -> str:
    return f"_lazy.reader(lambda: {expression})" if split else expression


_PROSE = runtime_prose()
CONSTRUCTOR_DOC = docstring_text(
    "Create a client.",
    "timeout: seconds or an httpx.Timeout for every request (default: a finite timeout set on\n"
    f"    http_client, else {_PROSE.timeout}, {_PROSE.connect_timeout} to connect); only httpx.Timeout(None) "
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


def _tuple_literal(items: Iterable[str]) -> str:
    """A tuple display with a trailing comma after every item, as black keeps it exploded."""
    return "(" + "".join(f"{item}, " for item in items) + ")"


def render_package(
    package: Package, header: str, testing: TestingView | None = None, models_text: str = ""
) -> dict[str, str]:
    """Every file of the package, by relative path, unformatted; ``models_text`` is
    datamodel-code-generator's models module."""
    errors = _package_errors(package)
    error_exports = sorted({*runtime_facts().exception_classes, *(e.name for e in errors)})
    split = layout.splits(len(package.operations), models_text)
    files = {
        **(_split_client(package, header) if split else {"client.py": _client_module(package, header)}),
        **(layout.model_modules(models_text, header) if split else {"models.py": models_text} if models_text else {}),
        "errors.py": _errors_module(package, header, errors, error_exports),
        "__init__.py": _init_module(package, header, error_exports),
        "README.md": _readme(package, header, testing),
    }
    if testing is not None:
        files["testing.py"] = _ENV.get_template("testing.py.jinja").render(
            header=header, testing=testing, title_doc=docstring_text(testing.title)
        )
    files.update(_runtime_modules(header, (*RUNTIME_MODULES, "_lazy.py") if split else RUNTIME_MODULES))
    files["py.typed"] = ""
    return files


def _title(package: Package) -> str:
    return f"{package.title} {package.api_version}".strip()


def _flavours(title: str) -> list[Flavour]:
    """The synchronous and the asynchronous client: the same methods, told apart by these."""
    return [
        Flavour(
            "Client",
            "ClientWithRawResponse",
            docstring_text(f"Synchronous client for {title}."),
            docstring_text("The methods of ``Client``, returning raw responses (``client.with_raw_response``)."),
            "httpx.Client",
            "SyncTransport",
            "def",
            "",
            False,
            "SyncOperations",
            "SyncRawOperations",
        ),
        Flavour(
            "AsyncClient",
            "AsyncClientWithRawResponse",
            docstring_text(f"Asynchronous client for {title}."),
            docstring_text("The methods of ``AsyncClient``, returning raw responses (``client.with_raw_response``)."),
            "httpx.AsyncClient",
            "AsyncTransport",
            "async def",
            "await ",
            True,
            "AsyncOperations",
            "AsyncRawOperations",
        ),
    ]


def _client_module(package: Package, header: str, split: bool = False) -> str:
    """``client.py``; in the split layout without the operations, which it inherits."""
    typing_names = {name for op in package.operations for p in op.parameters for name in p.annotation.typing_names}
    title = _title(package)
    flavours = _flavours(title)
    if split:
        flavours = [replace(f, bases=f"({f.operations})", raw_bases=f"({f.raw_operations})") for f in flavours]
    return _ENV.get_template("client.py.jinja").render(
        header=header,
        package=package,
        operations=[] if split else [_operation_view(op) for op in package.operations],
        operation_classes=(
            ", ".join(sorted(n for f in flavours for n in (f.operations, f.raw_operations))) if split else ""
        ),
        flavours=flavours,
        servers=[_server_variable_view(variable) for variable in package.server_variables],
        credentials=[_credential_view(scheme) for scheme in package.auth],
        credential_keywords=[
            (keyword, "str" if scheme.required else "str | None = None")
            for scheme in package.auth
            for keyword in scheme.keywords
        ],
        client_doc=docstring_text(f"Clients for {title}.", package.description),
        constructor_doc=CONSTRUCTOR_DOC,
        typing_imports=", ".join(
            [
                "TYPE_CHECKING",
                *([] if split else ["Any"]),
                *(["Literal"] if "Literal" in typing_names and not split else []),
            ]
        ),
        uses_sequence="Sequence" in typing_names and not split,
        local_imports="_http" if split else _local_imports(package.operations),
    )


def _local_imports(operations: Iterable[Operation], lazy: bool = False) -> str:
    errors = any(op.errors for op in operations)
    return ", ".join(["_http", *(["_lazy"] if lazy else []), *(["errors"] if errors else []), "models"])


@dataclass(frozen=True)
class OperationModule:
    name: str
    line: str  # its line of the index: the module's name, then its methods


def _split_client(package: Package, header: str) -> dict[str, str]:
    """``client.py`` and the ``_operations/`` package of the split layout."""
    flavours = _flavours(_title(package))
    exports = sorted(name for f in flavours for name in (f.operations, f.raw_operations))
    size = layout.OPERATIONS_PER_MODULE
    chunks = [package.operations[i : i + size] for i in range(0, len(package.operations), size)]
    width = len(str(len(chunks)))
    modules = [OperationModule(f"_{n:0{width}d}", "") for n in range(1, len(chunks) + 1)]
    files = {"client.py": _client_module(package, header, split=True)}
    for module, chunk in zip(modules, chunks, strict=True):
        typing_names = {name for op in chunk for p in op.parameters for name in p.annotation.typing_names}
        files[f"_operations/{module.name}.py"] = _ENV.get_template("operations.py.jinja").render(
            header=header,
            module_doc=docstring_text(
                f"The operations {chunk[0].method_name} to {chunk[-1].method_name}, loaded on first use.",
                "Each reads its responses with models loaded when first needed: loading this module"
                " loads no model, and a call only those of the response it gets.",
            ),
            operations=[_operation_view(op, split=True) for op in chunk],
            flavours=flavours,
            exports=exports,
            uses_literal="Literal" in typing_names,
            uses_sequence="Sequence" in typing_names,
            local_imports=_local_imports(chunk, lazy=True),
        )
    indexed = [
        replace(m, line=" ".join([m.name, *(op.method_name for op in chunk)]) + "\n")
        for m, chunk in zip(modules, chunks, strict=True)
    ]
    files["_operations/__init__.py"] = _ENV.get_template("operations_index.py.jinja").render(
        header=header, modules=indexed, flavours=flavours, exports=exports
    )
    return files


def _package_errors(package: Package) -> list[ErrorView]:
    """The status classes this package defines itself (the usual ones come from the runtime)."""
    return [
        ErrorView(
            error,
            docstring_text(f"{error.status} {error.reason}."),
            f"Literal[{error.status}]" if error.status.isdigit() else "int",
        )
        for error in package.error_classes
        if error.defined_here
    ]


def _errors_module(package: Package, header: str, errors: list[ErrorView], error_exports: list[str]) -> str:
    typing_names = {
        "Any": any("Any" in e.body_annotation.typing_names for e in errors),
        "Literal": any(e.error.status.isdigit() for e in errors),  # status_annotation is Literal[...]
    }
    return _ENV.get_template("errors.py.jinja").render(
        header=header,
        package=package,
        typing_imports=", ".join(name for name, used in typing_names.items() if used),
        uses_models=any(e.body_annotation.models for e in errors),
        title_doc=docstring_text(package.title),
        runtime_errors=list(runtime_facts().exception_classes),
        exports=sorted([*error_exports, "Mismatch", "response_mismatches"]),
        package_errors=errors,
    )


def _init_module(package: Package, header: str, error_exports: list[str]) -> str:
    return _ENV.get_template("__init__.py.jinja").render(
        header=header,
        package=package,
        package_doc=docstring_text(f"{_title(package)}: a typed client.", package.description),
        error_exports=error_exports,
        exports=sorted(["AsyncClient", "Client", "errors", "models", "API_VERSION", *error_exports]),
    )


def _readme(package: Package, header: str, testing: TestingView | None) -> str:
    return _ENV.get_template("README.md.jinja").render(
        header=header,
        package=package,
        header_text=header.lstrip("# "),
        readme=readme_view(package),
        runtime=_PROSE,
        testing_example=testing_readme_example(package) if testing else "",
    )


def _runtime_modules(header: str, modules: Iterable[str]) -> dict[str, str]:
    """The plain runtime modules, copied into every package under its header (``_lazy``
    only into the split layout, which alone uses it)."""
    return {module: header + "\n" + (RUNTIME_DIR / module).read_text(encoding="utf-8") for module in modules}
