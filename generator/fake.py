"""Part of stage 5: the package's ``testing.py``, each operation of the spec as data for the fake API.

The machinery (routing, request checks, scripted answers) is the plain runtime module
``templates/runtime/_fake.py``; this module decides what ``testing.py`` says about each
operation, as finished Python source, so the template only lays it out. It takes the IR
and the view of each operation (:mod:`generator.operations`); the example bodies it
serves are the views' samples (:mod:`generator.examples` finds or builds them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .blackshape import Atom, Node, call_node, expression_node, flat, laid_out, statement, tuple_node, value_node
from .ir import ErrorClass, Operation, Package, Parameter
from .models import ClassKind
from .names import ClassName
from .operations import OperationView
from .readme import INDENT, Code, call_source, flat_literal, literal, operation_arguments
from .schemas import SchemaPlan

# Dummy credentials the fake's clients carry; the fake checks their scheme, not their value.
DUMMY_CREDENTIALS = {"bearer": ("fake-token",), "basic": ("fake-user", "fake-password"), "api_key": ("fake-api-key",)}
FALLBACK_BASE_URL = "http://fake.test"


@dataclass(frozen=True)
class FakeOperationView:
    name: str  # Python literal of the method name
    method: str
    path: str
    parameters: tuple[str, ...]  # each a _fake.FakeParameter(...) expression
    security: str
    request_media_type: str
    request_model: str
    request_required: bool
    responses: tuple[str, ...]  # each a _fake.FakeResponse(...) expression
    constant: str  # the module-level name testing.py gives the operation
    # ``constant = _fake.FakeOperation(...)``, laid out as black lays it out: black's first
    # pass then leaves it alone, and, one top-level statement per operation, it is a block of
    # its own (generator/format.py), formatted on any core and kept from run to run.
    statement: str


@dataclass(frozen=True)
class TestingView:
    operations: tuple[FakeOperationView, ...]
    operations_statement: str  # ``OPERATIONS: ... = (...)``, naming each operation's constant
    # The rest is laid out after the text the template puts before it, as black would.
    schemes: str  # a tuple of _fake.FakeScheme(...) expressions
    server_paths: str
    client_arguments: str  # a dict display: credentials, server variables, maybe base_url
    typing_imports: str
    abc_imports: str
    local_imports: str
    title: str
    example_operation: str  # the method name used in the module's docstring


# --- the view ----------------------------------------------------------------------------


def _parameter(param: Parameter) -> Node:
    annotation = param.annotation
    # An object in the query is serialised in ways a string check cannot judge, and a
    # ``content`` parameter is JSON text, not a value's string form: accept either.
    if "Mapping" in annotation.typing_names or param.media_type is not None:
        checked, many = "Any", False
    elif annotation.item is not None:
        checked, many = annotation.item.text, True
    else:
        checked, many = annotation.text, False
    arguments = [
        ("name", value_node(param.wire_name)),
        ("location", value_node(param.location)),
        ("required", Atom(repr(param.required))),
        ("type", expression_node(checked)),
    ]
    if param.media_type is not None:
        return call_node("_fake.FakeParameter", arguments)
    if many:
        arguments.append(("many", Atom("True")))
        if not param.explode:
            arguments.append(("explode", Atom("False")))
    if param.style in ("spaceDelimited", "pipeDelimited", "deepObject", "label", "matrix"):
        arguments.append(("style", value_node(param.style)))
    elif annotation.text == "Mapping[str, Any]" and param.location == "query" and param.explode:
        # An exploded object in the query is its members' own pairs: its name is not sent.
        arguments.append(("spread", Atom("True")))
    return call_node("_fake.FakeParameter", arguments)


def _responses(view: OperationView, plan: SchemaPlan, classes: Mapping[str, ClassKind]) -> tuple[Node, ...]:
    out: list[Node] = []
    for response in view.responses:
        status = response.status
        if status.upper() != "DEFAULT" and not re.fullmatch(r"[1-5](\d\d|XX)", status.upper()):
            continue
        arguments = [("status", value_node(status))]
        if response.media is None:
            arguments.append(("media_type", Atom("None")))
            out.append(call_node("_fake.FakeResponse", arguments))
            continue
        arguments += [
            ("media_type", value_node(response.media.media_type)),
            ("example", value_node(response.media.sample)),
        ]
        class_name = plan.responses.get((view.path, view.method, status))
        if class_name is not None and class_name in classes:
            arguments.append(("model", Atom(f"models.{class_name}")))
        out.append(call_node("_fake.FakeResponse", arguments))
    return tuple(out)


def _server_paths(package: Package) -> tuple[str, ...]:
    defaults = {v.wire_name: v.default for v in package.server_variables}
    paths: list[str] = []
    for url, _ in package.servers:
        path = urlsplit(url).path if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", url) else url.split("?")[0]
        path = re.sub(r"\{([^}]+)\}", lambda m: defaults.get(m.group(1), m.group(0)), path).rstrip("/")
        if path and "{" not in path and path not in paths:
            paths.append(path)
    return tuple(paths)


def _client_arguments(package: Package) -> Node:
    items: list[tuple[str, str]] = []
    for scheme in package.auth:
        for keyword, value in zip(scheme.keywords, DUMMY_CREDENTIALS[scheme.kind], strict=False):
            items.append((keyword, value))
    for variable in package.server_variables:
        if not variable.default or variable.placeholder:
            items.append((variable.keyword, variable.enum[0] if variable.enum else "fake"))
    if not package.base_url_template:
        items.append(("base_url", FALLBACK_BASE_URL))
    return value_node(dict(items))


def _scheme(package: Package, index: int) -> Node:
    scheme = package.auth[index]
    return call_node(
        "_fake.FakeScheme",
        [
            ("name", value_node(scheme.scheme_name)),
            ("kind", value_node(scheme.kind)),
            ("location", value_node(scheme.location)),
            ("wire_name", value_node(scheme.wire_name)),
        ],
    )


def _after(template_text: str, node: Node, indent: int) -> str:
    """``node`` laid out as it is in the template: after ``template_text``, on a line
    indented by ``indent``."""
    return laid_out(node, indent, template_text)[len(template_text) :]


def _operation(
    op: Operation, view: OperationView, plan: SchemaPlan, classes: Mapping[str, ClassKind]
) -> FakeOperationView:
    body = op.body
    name, method, path = value_node(op.method_name), value_node(op.http_method), value_node(op.path)
    parameters = tuple(_parameter(p) for p in op.parameters)
    security = tuple_node([tuple_node([value_node(s) for s in alternative]) for alternative in op.security])
    request_media_type = value_node(body.media_type) if body else Atom("None")
    request_model = (body.model or "None") if body and body.encoding != "content" else "None"
    request_required = bool(body and body.required)
    responses = _responses(view, plan, classes)
    arguments: list[tuple[str, Node]] = [
        ("name", name),
        ("method", method),
        ("path", path),
        ("parameters", tuple_node(parameters)),
        ("security", security),
        ("request_media_type", request_media_type),
        ("request_model", Atom(request_model)),
        ("request_required", Atom(repr(request_required))),
        ("responses", tuple_node(responses)),
    ]
    return FakeOperationView(
        name=flat(name),
        method=flat(method),
        path=flat(path),
        parameters=tuple(flat(p) for p in parameters),
        security=flat(security),
        request_media_type=flat(request_media_type),
        request_model=request_model,
        request_required=request_required,
        responses=tuple(flat(r) for r in responses),
        constant=op.endpoint_name,
        statement=statement(f"{op.endpoint_name} = ", call_node("_fake.FakeOperation", arguments)),
    )


def testing_view(
    package: Package,
    views: tuple[OperationView, ...],
    plan: SchemaPlan,
    classes: Mapping[str, ClassKind],
) -> TestingView:
    """What ``testing.py`` says: each IR operation beside the view of the same operation
    (paired by path and method, never by position), whose responses the fake serves."""
    operations: list[FakeOperationView] = []
    by_route = {(view.path, view.method): view for view in views}
    for op in package.operations:
        operations.append(_operation(op, by_route[(op.path, op.http_method.lower())], plan, classes))
    source = " ".join(
        [*(p for o in operations for p in o.parameters), *(r for o in operations for r in o.responses)]
        + [o.request_model for o in operations]
    )
    typing_names = ["Any"] + [name for name in ("Literal", "Mapping") if f"{name}[" in source]
    abc_names = [name for name in ("Sequence",) if f"{name}[" in source]
    table = tuple_node([Atom(o.constant) for o in operations])
    return TestingView(
        operations=tuple(operations),
        operations_statement=statement("OPERATIONS: tuple[_fake.FakeOperation, ...] = ", table),
        schemes=_after("SCHEMES = ", tuple_node([_scheme(package, i) for i in range(len(package.auth))]), 4),
        server_paths=_after("SERVER_PATHS = ", tuple_node([value_node(p) for p in _server_paths(package)]), 4),
        client_arguments=_after("arguments: dict[str, Any] = ", _client_arguments(package), 8),
        typing_imports=", ".join(typing_names),
        abc_imports=", ".join(abc_names),
        local_imports=", ".join(["_fake", *(["models"] if "models." in source else [])]),
        title=f"{package.title} {package.api_version}".strip(),
        example_operation=operations[0].name if operations else '"operation_name"',
    )


# --- the README section ------------------------------------------------------------------


def testing_readme_example(package: Package) -> str:
    """pytest tests, against the fake, of each operation's success and documented errors, a
    retried connection failure and a timeout: a complete module a reader can paste."""
    if not package.operations:
        return ""
    by_name = {e.name: e for e in package.error_classes}
    constants: list[str] = []
    tests: list[str] = []
    calls: dict[str, str] = {}
    for op in package.operations:
        args = operation_arguments(op, every_header=False)
        if args and args[0][0] == "body" and not isinstance(args[0][1], Code):
            constant = f"{op.method_name.upper()}_BODY"
            constants.append(f"{constant} = {literal(args[0][1], 0, len(constant) + 3)}")
            args[0] = ("body", Code(constant))
        calls[op.method_name] = INDENT * 2 + call_source(f"client.{op.method_name}", args, 2 * len(INDENT))
        tests.extend(_operation_tests(op, calls[op.method_name], by_name))
    first = package.operations[0]
    name, call = flat_literal(first.method_name), calls[first.method_name]
    tests.append(
        f"def test_a_failed_connection_is_retried(fake: FakeApi) -> None:\n"
        f'{INDENT}fake.respond({name}, error="connect").respond({name})\n'
        f"{INDENT}with fake.client() as client:\n{call}\n"
        f"{INDENT}assert len(fake.calls({name})) == 2"
    )
    tests.append(
        f"def test_a_timeout(fake: FakeApi) -> None:\n"
        f'{INDENT}fake.respond({name}, error="timeout")\n'
        f"{INDENT}with fake.client(max_retries=0) as client, pytest.raises(errors.ApiTimeoutError):\n{call}"
    )
    imports = f"import pytest\n\nfrom {package.name} import errors\nfrom {package.name}.testing import FakeApi"
    fixture = f"@pytest.fixture\ndef fake() -> FakeApi:\n{INDENT}return FakeApi()"
    blocks = [imports, *(["\n".join(constants)] if constants else []), fixture, *tests]
    return "\n\n\n".join(blocks)


def _operation_tests(op: Operation, call: str, by_name: Mapping[ClassName, ErrorClass]) -> list[str]:
    name = flat_literal(op.method_name)
    success = (
        f"def test_{op.method_name}(fake: FakeApi) -> None:\n"
        f"{INDENT}with fake.client() as client:\n{call}\n"
        f"{INDENT}(sent,) = fake.calls({name})\n"
        f"{INDENT}assert sent.request.method == {flat_literal(op.http_method)}"
    )
    tests = [success]
    statuses = [(e.status, e.error_class) for e in op.errors if e.status.isdigit() and e.error_class in by_name]
    for status, error_class in statuses:
        tests.append(
            f"def test_{op.method_name}_{status}(fake: FakeApi) -> None:\n"
            f"{INDENT}fake.respond({name}, status={status})  # the spec's example body for {status}\n"
            f"{INDENT}with fake.client() as client, pytest.raises(errors.{error_class}) as caught:\n"
            f"{call}\n"
            f"{INDENT}assert caught.value.status_code == {status}"
        )
    documented = {e.status for e in op.errors}
    if op.documents_default:
        status = next(s for s in ("400", "422", "500", "599") if s not in documented)
        tests.append(
            f"def test_{op.method_name}_default_error(fake: FakeApi) -> None:\n"
            f"{INDENT}fake.respond({name}, status={status})  # the spec's example of its default response\n"
            f"{INDENT}with fake.client() as client, pytest.raises(errors.ApiStatusError) as caught:\n"
            f"{call}\n"
            f"{INDENT}assert caught.value.status_code == {status}"
        )
    return tests
