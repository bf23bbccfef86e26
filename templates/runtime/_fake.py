"""The machinery behind ``testing.FakeApi``: an httpx transport that plays the API.

``testing.py`` describes each operation as data (``FakeOperation``); this module routes a
request to one of them by method and path template, checks it as the API would, records
it, and answers with what the test scripted or, by default, the spec's example for the
operation's first success status.

A request the spec would refuse raises ``RejectedRequest`` from the transport instead of
answering with a 4xx: httpx lets the exception through untouched, so the test fails at the
call that sent the bad request, with the operation and the problem in the message, rather
than with an ``ApiStatusError`` that the code under test might well catch and handle.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, unquote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

__all__ = [
    "TRANSPORT_ERRORS",
    "FakeAnswer",
    "FakeApiBase",
    "FakeOperation",
    "FakeParameter",
    "FakeResponse",
    "FakeScheme",
    "RecordedCall",
    "RejectedRequest",
]

TransportErrorName = Literal["connect", "connect_timeout", "timeout", "disconnect"]

# What each named failure looks like to the client: whether the request may have arrived
# is what decides retries, so each name picks the httpx error that says so.
TRANSPORT_ERRORS: Mapping[str, type[httpx.TransportError]] = {
    "connect": httpx.ConnectError,  # nothing was sent
    "connect_timeout": httpx.ConnectTimeout,  # nothing was sent
    "timeout": httpx.ReadTimeout,  # sent, but no answer in time
    "disconnect": httpx.RemoteProtocolError,  # sent, and the connection dropped
}


class RejectedRequest(AssertionError):
    """The code under test sent a request the API would refuse.

    An ``AssertionError``, so pytest reports it as a failed expectation; it is not an httpx
    error, so no client retries it or turns it into an ``ApiError``.
    """

    def __init__(self, operation: str, problems: Sequence[str]) -> None:
        self.operation = operation
        self.problems = tuple(problems)
        super().__init__(f"{operation}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class FakeParameter:
    name: str  # the wire name
    location: str  # path, query, header or cookie
    required: bool
    type: Any = str  # what each value must validate as, read from its string form
    many: bool = False  # an array: repeated (explode) or comma-separated values
    explode: bool = True
    # OpenAPI's style where it is not the location's default: spaceDelimited, pipeDelimited
    # or deepObject in the query, label or matrix in the path.
    style: str = ""
    # An object in the query sent as its members' own pairs, without its name.
    spread: bool = False


_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def _path_items(param: FakeParameter, text: str) -> list[str]:
    """The values of a path segment written in the label (``.a,b``, ``.a.b``) or matrix
    (``;id=a,b``, ``;id=a;id=b``) style."""
    if param.style == "label":
        text = text.removeprefix(".")
        return text.split("." if param.explode else ",") if param.many else [text]
    prefix = f";{param.name}="
    if param.many and param.explode:
        return [part for part in text.split(prefix) if part]
    text = text.removeprefix(prefix)
    return text.split(",") if param.many else [text]


@dataclass(frozen=True)
class FakeScheme:
    """A security scheme, and where its credential travels."""

    name: str
    kind: str  # bearer, basic or api_key
    location: str = "header"
    wire_name: str = "Authorization"


@dataclass(frozen=True)
class FakeResponse:
    """A documented status: its media type (``None`` for no body), example, and model."""

    status: str  # "201", "4XX", "default"
    media_type: str | None
    example: Any = None
    model: Any = None


@dataclass(frozen=True)
class FakeOperation:
    name: str  # the client's method name
    method: str
    path: str  # the template, "/orders/{order_id}"
    parameters: tuple[FakeParameter, ...] = ()
    security: tuple[tuple[str, ...], ...] = ()  # alternatives; () means none is needed
    request_media_type: str | None = None
    request_model: Any = None
    request_required: bool = False
    responses: tuple[FakeResponse, ...] = ()

    def response_for(self, status: int) -> FakeResponse | None:
        """The documented response that covers ``status``: exact, then ``NXX``, then default."""
        by_key = {r.status.upper(): r for r in self.responses}
        return (
            by_key.get(str(status))
            or by_key.get(f"{status // 100}XX")
            or by_key.get("DEFAULT")
        )

    @property
    def success_status(self) -> int:
        statuses = [
            int(r.status)
            for r in self.responses
            if r.status.isdigit() and r.status.startswith("2")
        ]
        if statuses:
            return min(statuses)
        return 204 if not self.responses else 200


@dataclass(frozen=True)
class FakeAnswer:
    """One scripted answer: a response, or a transport failure."""

    status: int = 200
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    error: httpx.TransportError | TransportErrorName | None = None


@dataclass(frozen=True)
class RecordedCall:
    """A request the fake accepted, with what it was read as."""

    operation: str
    request: httpx.Request
    path_params: Mapping[str, str]
    body: Any  # the request model instance, the decoded body, or None

    @property
    def json(self) -> Any:
        return json.loads(self.request.content) if self.request.content else None


# Characters a URL path carries unencoded (RFC 3986 pchar and "/").
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _pattern(template: str) -> re.Pattern[str]:
    """A regex over the raw (still percent-encoded) path, one segment per placeholder, so a
    value holding an encoded slash stays one value."""
    parts = re.split(r"(\{[^}/]+\})", template)
    regex = "".join(
        (
            f"(?P<p{i}>[^/]+)"
            if part.startswith("{")
            else re.escape(quote(part, safe=_PATH_SAFE))
        )
        for i, part in enumerate(parts)
    )
    return re.compile(regex)


def _placeholders(template: str) -> dict[str, str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    return {f"p{i}": part[1:-1] for i, part in enumerate(parts) if part.startswith("{")}


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    """One adapter per type: building one costs more than the check it makes."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def _explain(exc: ValidationError) -> str:
    shown = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "value"
        shown.append(f"{where}: {error['msg']}")
    return ", ".join(shown)


def _media(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


class FakeApiBase(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport that answers as the API documents; see ``testing.FakeApi``."""

    OPERATIONS: tuple[FakeOperation, ...] = ()
    SCHEMES: tuple[FakeScheme, ...] = ()
    SERVER_PATHS: tuple[str, ...] = ()

    def __init__(self, *, base_path: str | None = None) -> None:
        """``base_path``: the path of the base URL your client uses, where it is neither the
        spec's servers' nor the root (``/``)."""
        self._operations = {op.name: op for op in self.OPERATIONS}
        routes = [
            (op, _pattern(op.path), _placeholders(op.path)) for op in self.OPERATIONS
        ]
        # Templates with fewer placeholders first: /orders/current wins over /orders/{id}.
        self._routes = sorted(routes, key=lambda route: (len(route[2]), route[0].path))
        self._schemes = {scheme.name: scheme for scheme in self.SCHEMES}
        prefixes = {p.rstrip("/") for p in (*self.SERVER_PATHS, base_path or "")}
        # The longest prefix first, so "/api/v3" is stripped before "/api".
        self._prefixes = sorted(prefixes, key=lambda p: (-len(p), p))
        self._scripts: dict[str, list[FakeAnswer]] = {}
        self._calls: list[RecordedCall] = []
        self.rejected: list[RejectedRequest] = []

    # --- scripting -------------------------------------------------------------------

    def operation(self, name: str) -> FakeOperation:
        try:
            return self._operations[name]
        except KeyError:
            known = ", ".join(sorted(self._operations)) or "none"
            raise ValueError(
                f"no operation {name!r} in this API (operations: {known})"
            ) from None

    def respond(
        self,
        operation: str,
        *,
        status: int | None = None,
        body: Any = ...,
        headers: Mapping[str, str] | None = None,
        error: httpx.TransportError | TransportErrorName | None = None,
        check: bool = True,
    ) -> FakeApiBase:
        """Queue one answer for ``operation``; calls take queued answers in order, and the
        last one keeps answering once the others are used up.

        ``status`` alone answers with the spec's example for that status; ``body`` (a model,
        JSON value, ``str`` or ``bytes``) replaces it; ``error`` ("connect",
        "connect_timeout", "timeout", "disconnect", or an httpx error) fails the request
        instead of answering. Returns the fake, so answers can be chained.

        A ``body`` given for a documented status must fit that status's model, so test data
        cannot drift from the spec; ``check=False`` sends it anyway (to test how your code
        copes with an answer that breaks the spec).
        """
        op = self.operation(operation)
        if error is not None:
            if (
                not isinstance(error, httpx.TransportError)
                and error not in TRANSPORT_ERRORS
            ):
                raise ValueError(
                    f"error must be an httpx.TransportError or one of {', '.join(TRANSPORT_ERRORS)}"
                )
            answer = FakeAnswer(error=error)
        else:
            chosen = op.success_status if status is None else status
            if check and body is not ... and not isinstance(body, (str, bytes)):
                self._check_answer(op, chosen, body)
            answer = self._answer(op, chosen, body, headers or {})
        self._scripts.setdefault(operation, []).append(answer)
        return self

    def reset(self) -> None:
        """Forget every scripted answer and recorded call."""
        self._scripts.clear()
        self._calls.clear()
        self.rejected.clear()

    def calls(self, operation: str | None = None) -> list[RecordedCall]:
        """The accepted requests, oldest first; only those of ``operation`` when given."""
        if operation is not None:
            self.operation(operation)
        return [c for c in self._calls if operation is None or c.operation == operation]

    @staticmethod
    def _check_answer(op: FakeOperation, status: int, body: Any) -> None:
        documented = op.response_for(status)
        if documented is None or documented.model is None:
            return
        if isinstance(body, BaseModel):
            if not isinstance(body, documented.model):
                raise TypeError(
                    f"{op.name} answers {status} with {documented.model.__name__}, not {type(body).__name__}"
                )
            return
        try:
            _adapter(documented.model).validate_python(body)
        except ValidationError as exc:
            raise ValueError(
                f"this {status} body of {op.name} does not match {documented.model.__name__}: {_explain(exc)}"
                " (pass check=False to send it anyway)"
            ) from None

    def _answer(
        self, op: FakeOperation, status: int, body: Any, headers: Mapping[str, str]
    ) -> FakeAnswer:
        documented = op.response_for(status)
        if body is ...:
            if documented is None:
                raise ValueError(
                    f"{op.name} documents no {status} response; pass body= to answer with one anyway"
                )
            if documented.media_type is None:
                return FakeAnswer(status, b"", dict(headers))
            body = documented.example
        media_type = documented.media_type if documented is not None else None
        if isinstance(body, BaseModel):
            content = body.model_dump_json(by_alias=True, exclude_unset=True).encode()
        elif isinstance(body, bytes):
            content = body
        elif isinstance(body, str) and not _is_json(media_type):
            content = body.encode()
        else:
            content = json.dumps(body).encode()
        answer_headers = (
            {"Content-Type": media_type or "application/json", **headers}
            if content
            else dict(headers)
        )
        return FakeAnswer(status, content, answer_headers)

    # --- serving ---------------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._serve(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._serve(request)

    def _serve(self, request: httpx.Request) -> httpx.Response:
        refusal: tuple[str, list[str]] | None = None
        # Paths that differ only in their parameters' names match the same requests (OpenAPI
        # forbids them; published specs have them): the first operation to accept it answers.
        for op, path_params in self._route(request):
            problems: list[str] = []
            self._check_parameters(op, request, path_params, problems)
            self._check_security(op, request, problems)
            body = self._check_body(op, request, problems)
            if not problems:
                break
            refusal = refusal or (op.name, problems)
        else:
            assert refusal is not None
            self._reject(*refusal)
        self._calls.append(RecordedCall(op.name, request, path_params, body))
        script = self._scripts.get(op.name)
        if script:
            answer = script.pop(0) if len(script) > 1 else script[0]
        else:
            answer = self._answer(op, op.success_status, ..., {})
        if answer.error is not None:
            if isinstance(answer.error, httpx.TransportError):
                raise answer.error
            raise TRANSPORT_ERRORS[answer.error](
                f"{answer.error} (scripted by the fake)", request=request
            )
        return httpx.Response(
            answer.status,
            headers=answer.headers,
            content=answer.content,
            request=request,
        )

    def _reject(self, operation: str, problems: Sequence[str]) -> None:
        error = RejectedRequest(operation, problems)
        self.rejected.append(error)
        raise error

    def _route(
        self, request: httpx.Request
    ) -> list[tuple[FakeOperation, dict[str, str]]]:
        """The operations ``request`` may be for: those of the most specific path that
        matches, and of any path that differs from it only in its parameters' names."""
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        same_path: list[FakeOperation] = []
        found: list[tuple[FakeOperation, dict[str, str]]] = []
        found_pattern = ""
        for prefix in self._prefixes:
            if prefix and not path.startswith(prefix + "/"):
                continue
            rest = path[len(prefix) :]
            for op, pattern, names in self._routes:
                match = pattern.fullmatch(rest)
                if match is None:
                    continue
                if op.method != request.method:
                    same_path.append(op)
                    continue
                if found and pattern.pattern != found_pattern:
                    continue  # a path of another shape, after the one matched first
                found_pattern = pattern.pattern
                params = {
                    names[group]: unquote(value)
                    for group, value in match.groupdict().items()
                }
                found.append((op, params))
            if found:
                return found
        where = f"{request.method} {request.url.path}"
        if same_path:
            documented = ", ".join(
                sorted({f"{op.method} ({op.name})" for op in same_path})
            )
            self._reject(where, [f"the path is documented only for {documented}"])
        routes = ", ".join(f"{op.method} {op.path}" for op in self.OPERATIONS)
        self._reject(
            where,
            [f"no operation of the spec matches (it documents {routes or 'none'})"],
        )
        raise AssertionError("unreachable")

    def _check_parameters(
        self,
        op: FakeOperation,
        request: httpx.Request,
        path_params: Mapping[str, str],
        problems: list[str],
    ) -> None:
        query = parse_qsl(request.url.query.decode(), keep_blank_values=True)
        cookies = dict(
            part.strip().split("=", 1)
            for part in request.headers.get("Cookie", "").split(";")
            if "=" in part
        )
        for param in op.parameters:
            values: list[str]
            if param.location == "path":
                values = [path_params[param.name]] if param.name in path_params else []
            elif param.location == "query" and param.style == "deepObject":
                nested = param.name + "["
                values = [
                    v for k, v in query if k == param.name or k.startswith(nested)
                ]
            elif param.location == "query":
                values = [v for k, v in query if k == param.name]
            elif param.location == "header":
                values = request.headers.get_list(param.name)
            else:
                values = [cookies[param.name]] if param.name in cookies else []
            label = f"{param.location} parameter {param.name!r}"
            if not values:
                if param.required and not param.spread:
                    problems.append(f"the required {label} is missing")
                continue
            self._check_value(param, values, label, problems)

    @staticmethod
    def _check_value(
        param: FakeParameter, values: list[str], label: str, problems: list[str]
    ) -> None:
        adapter = _adapter(param.type)
        items = values if param.many else values[-1:]
        if param.style in ("label", "matrix"):
            items = _path_items(param, values[-1])
        elif param.many and not param.explode and len(values) == 1:
            items = values[0].split(_DELIMITERS.get(param.style, ","))
        for item in items:
            try:
                adapter.validate_strings(item)
            except ValidationError as exc:
                problems.append(f"{label} is {', '.join(values)!r}: {_explain(exc)}")
                return

    def _check_security(
        self, op: FakeOperation, request: httpx.Request, problems: list[str]
    ) -> None:
        if not op.security or any(not alternative for alternative in op.security):
            return
        found: list[str] = []
        for alternative in op.security:
            missing = [
                m
                for m in (
                    self._credential_problem(name, request) for name in alternative
                )
                if m
            ]
            if not missing:
                return
            found.extend(missing)
        problems.append("no accepted credentials: " + "; ".join(dict.fromkeys(found)))

    def _credential_problem(self, name: str, request: httpx.Request) -> str | None:
        scheme = self._schemes.get(name)
        if scheme is None:
            return None  # a scheme the client cannot send (oauth2...) is not checked
        if scheme.kind == "api_key":
            if scheme.location == "query":
                present = scheme.wire_name in request.url.params
            elif scheme.location == "cookie":
                present = f"{scheme.wire_name}=" in request.headers.get("Cookie", "")
            else:
                present = bool(request.headers.get(scheme.wire_name))
            return (
                None
                if present
                else f"{name} expects an API key in the {scheme.location} {scheme.wire_name!r}"
            )
        header = request.headers.get("Authorization", "")
        kind, _, value = header.partition(" ")
        expected = "Bearer" if scheme.kind == "bearer" else "Basic"
        if not header:
            return f"{name} expects an 'Authorization: {expected} ...' header, and none was sent"
        if kind.lower() != expected.lower() or not value.strip():
            return f"{name} expects 'Authorization: {expected} ...', got the {kind or 'empty'} scheme"
        if scheme.kind == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return (
                    f"{name}: the Basic credentials are not base64 of 'user:password'"
                )
            if ":" not in decoded:
                return f"{name}: the Basic credentials have no ':' between user and password"
        return None

    def _check_body(
        self, op: FakeOperation, request: httpx.Request, problems: list[str]
    ) -> Any:
        content = request.content
        if op.request_media_type is None:
            return None
        if not content:
            if op.request_required:
                problems.append(
                    f"the request body is required ({op.request_media_type})"
                )
            return None
        sent, expected = _media(request.headers.get("Content-Type")), _media(
            op.request_media_type
        )
        media_matches = (
            sent.startswith("multipart/")
            if expected.startswith("multipart/")
            else sent == expected
        )
        if not media_matches:
            problems.append(
                f"the body is sent as {sent or 'no media type'!r}, but the spec expects {expected!r}"
            )
            return None
        if _is_json(expected):
            try:
                decoded = json.loads(content)
            except ValueError as exc:
                problems.append(f"the body is not valid JSON ({exc})")
                return None
        elif expected == "application/x-www-form-urlencoded":
            decoded = dict(parse_qsl(content.decode(), keep_blank_values=True))
        else:
            return content
        if op.request_model is None:
            return decoded
        try:
            if _is_json(expected):
                return _adapter(op.request_model).validate_json(content)
            return _adapter(op.request_model).validate_strings(decoded)
        except ValidationError as exc:
            name = getattr(op.request_model, "__name__", "the request model")
            problems.append(f"the body does not match {name}: {_explain(exc)}")
            return None


def _is_json(media_type: str | None) -> bool:
    base = _media(media_type)
    return base == "application/json" or base.endswith("+json")
