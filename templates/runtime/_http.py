"""The request machinery shared by every operation of ``Client`` and ``AsyncClient``.

Operations are data (``Endpoint``: method, path, how to read each status) plus the parts of
one call (``Call``) and the caller's per-call options (``Options``). This module turns them
into an ``httpx.Request``, sends it with timeouts and retries (decided in ``_retries``), and
turns the response into a model or a typed error (``_responses``).

Timeouts always hold: the per-call ``timeout=``, else the client's, else a finite timeout
configured on the caller's own ``http_client``, else ``DEFAULT_TIMEOUT``. Only an explicit
``httpx.Timeout(None)`` turns them off.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import logging
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ._exceptions import ApiConnectionError, ApiStatusError, describe_request
from ._responses import (
    Mismatch,
    RawResponse,
    bytes_response,
    error_body,
    json_response,
    no_content,
    response_mismatches,
    status_error,
    text_response,
)
from ._retries import RetryPlan, asked_delay, transport_error
from ._servers import ServerVariable, server_url

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ApiKeyAuth",
    "AsyncTransport",
    "BasicAuth",
    "BearerAuth",
    "Call",
    "Credential",
    "Endpoint",
    "Mismatch",
    "Options",
    "RawResponse",
    "RawSender",
    "ServerVariable",
    "SyncTransport",
    "TransportConfig",
    "bytes_response",
    "encode_body",
    "error_body",
    "form_fields",
    "header_map",
    "json_response",
    "multipart_fields",
    "no_content",
    "query_pairs",
    "raw",
    "raw_async",
    "raw_content",
    "response_mismatches",
    "server_url",
    "text_response",
]

T = TypeVar("T")
P = ParamSpec("P")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_IDEMPOTENCY_HEADER = "Idempotency-Key"

logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)

Reader = Callable[[httpx.Response, bool], Any]

# --- Credentials -------------------------------------------------------------------------


class Credential:
    """A credential; its ``repr`` never shows the secret."""

    def apply(
        self,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        raise NotImplementedError

    def secrets(self) -> tuple[str, ...]:
        """The values error messages must never repeat, should a server echo them."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BearerAuth(Credential):
    def __init__(self, token: str) -> None:
        self._token = token
        self._header = f"Bearer {token}"

    def apply(
        self,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        headers["Authorization"] = self._header

    def secrets(self) -> tuple[str, ...]:
        return (self._token,)


class BasicAuth(Credential):
    def __init__(self, username: str, password: str) -> None:
        # RFC 7617: base64 of "user:password" in UTF-8, as httpx encodes it.
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._header = f"Basic {token}"
        self._password = password

    def apply(
        self,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        headers["Authorization"] = self._header

    def secrets(self) -> tuple[str, ...]:
        return (self._header.partition(" ")[2], self._password)


class ApiKeyAuth(Credential):
    def __init__(self, value: str, *, location: str, name: str) -> None:
        self._value, self._location, self._name = value, location, name

    def apply(
        self,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        if self._location == "query":
            params.append((self._name, self._value))
        elif self._location == "cookie":
            cookies[self._name] = self._value
        else:
            headers[self._name] = self._value

    def secrets(self) -> tuple[str, ...]:
        return (self._value,)


# --- Describing operations and calls -------------------------------------------------------


# Compared by identity (each is a module constant), so a client can key what it works out
# once per operation on the endpoint itself.
@dataclass(frozen=True, eq=False)
class Endpoint(Generic[T]):
    """One operation of the API, as the spec describes it."""

    method: str
    path: str
    responses: Mapping[str, Callable[[httpx.Response, bool], T]]
    errors: Mapping[
        str, tuple[type[ApiStatusError], Callable[[httpx.Response], Any]]
    ] = field(default_factory=dict)
    default_error: Callable[[httpx.Response], Any] = field(default_factory=error_body)
    security: tuple[tuple[str, ...], ...] = ()
    idempotent: bool = False
    accept: str = "application/json"
    # A header parameter the spec declares for the key.
    idempotency_header: str | None = None


_NOTHING: Mapping[str, Any] = MappingProxyType({})


# Call and Options are built on every call: a frozen dataclass's __init__ sets each field
# through object.__setattr__, which costs more than the rest of building the request. Call
# is written out rather than a dataclass because its empty mappings are shared, not made
# per call, and dataclasses refuse such a default.
class Call:
    """The parts of one request that vary from call to call."""

    __slots__ = (
        "content",
        "content_type",
        "cookies",
        "data",
        "files",
        "headers",
        "path_params",
        "query",
    )

    def __init__(
        self,
        *,
        path_params: Mapping[str, Any] = _NOTHING,
        query: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] = _NOTHING,
        cookies: Mapping[str, str] = _NOTHING,
        content: bytes | None = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        content_type: str | None = None,
    ) -> None:
        self.path_params = path_params
        self.query = query
        self.headers = headers
        self.cookies = cookies
        self.content = content
        self.data = data
        self.files = files
        self.content_type = content_type


def _scalar(value: Any) -> str:
    """One value as parameter text: JSON's spelling of booleans, ISO 8601 for dates, an
    enum's value, and compact JSON for what is nested in an array or object."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    if isinstance(value, (Mapping, list, tuple)):
        return _ANY.dump_json(value, by_alias=True).decode()
    return str(value)


def _members(value: Any) -> list[tuple[str, Any]] | None:
    """The names and values of an object parameter (a mapping or a model), else None;
    members without a value are left out, as the caller left them out."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return [(str(name), item) for name, item in value.items() if item is not None]
    return None


def _flattened(members: list[tuple[str, Any]]) -> list[str]:
    """An object's names and values in turn, as a non-exploded style lists them."""
    return [text for name, item in members for text in (name, _scalar(item))]


def _is_array(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def query_pairs(
    name: str, value: Any, *, explode: bool = True, style: str = "form"
) -> list[tuple[str, str]]:
    """A query parameter as name/value pairs, written in its OpenAPI ``style``.

    ``None`` is left out. An array repeats the name when exploded, else its items are
    joined (by commas, spaces or pipes). An exploded object gives its own pairs; else its
    names and values are joined like an array's items. ``deepObject`` writes
    ``name[key]=value`` (nested objects nest the brackets; arrays use ``name[]``).
    """
    if value is None:
        return []
    if style == "deepObject":
        return _deep_pairs(name, value)
    delimiter = _DELIMITERS.get(style, ",")
    members = _members(value)
    if members is not None:
        if explode:
            return [(key, _scalar(item)) for key, item in members]
        return [(name, delimiter.join(_flattened(members)))]
    if _is_array(value):
        items = [_scalar(v) for v in value]
        return (
            [(name, v) for v in items] if explode else [(name, delimiter.join(items))]
        )
    return [(name, _scalar(value))]


def _deep_pairs(name: str, value: Any) -> list[tuple[str, str]]:
    members = _members(value)
    if members is not None:
        return [
            pair
            for key, item in members
            for pair in _deep_pairs(f"{name}[{key}]", item)
        ]
    if _is_array(value):
        return [
            pair
            for index, item in enumerate(value)
            for pair in _deep_pairs(
                (
                    f"{name}[{index}]"
                    if _members(item) is not None or _is_array(item)
                    else f"{name}[]"
                ),
                item,
            )
        ]
    return [] if value is None else [(name, _scalar(value))]


class _EncodedPath(str):
    """Path text already percent-encoded, its delimiters (``,`` ``.`` ``;`` ``=``) kept."""


def path_text(
    value: Any, *, style: str = "simple", explode: bool = False, name: str = ""
) -> str:
    """A path parameter in its OpenAPI ``style``: ``simple`` (``a,b``), ``label``
    (``.a,b``; exploded ``.a.b``) or ``matrix`` (``;name=a,b``; exploded
    ``;name=a;name=b``). Objects give their names and values, or ``name=value``
    exploded. Every name and value is percent-encoded; the delimiters are not."""
    members = _members(value)
    if members is not None:
        if explode:
            atoms = [f"{_segment(k)}={_segment(_scalar(v))}" for k, v in members]
        else:
            atoms = [_segment(text) for text in _flattened(members)]
    elif _is_array(value):
        atoms = [_segment(_scalar(v)) for v in value]
    else:
        atoms = [_segment(_scalar(value))]
    if style == "label":
        text = "." + ("." if explode else ",").join(atoms)
    elif style == "matrix":
        label = _segment(name)
        if explode and members is not None:
            text = "".join(f";{atom}" for atom in atoms)
        elif explode:
            text = "".join(f";{label}={atom}" for atom in atoms)
        else:
            text = f";{label}" + (f"={','.join(atoms)}" if atoms else "")
    else:
        text = ",".join(atoms)
    return _EncodedPath(text)


def _segment(text: str) -> str:
    return quote(text, safe="")


def as_json(value: Any) -> str | None:
    """A parameter the spec writes with ``content: application/json``: its JSON text."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    return _ANY.dump_json(value, by_alias=True).decode()


def exploded_header(value: Any) -> str | None:
    """A header parameter with ``explode: true``: an object as ``name=value`` pairs."""
    if value is None:
        return None
    members = _members(value)
    if members is None:
        return header_value(value)
    return header_value(",".join(f"{k}={_scalar(v)}" for k, v in members))


def header_value(value: Any) -> str:
    members = _members(value)
    if members is not None:
        text = ",".join(_flattened(members))
    elif _is_array(value):
        text = ",".join(_scalar(v) for v in value)
    else:
        text = _scalar(value)
    if "\r" in text or "\n" in text:
        raise ValueError("a header value cannot contain a line break")
    return text


_ANY: TypeAdapter[Any] = TypeAdapter(Any)
_BODY_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _checked_body(body: Any, model: Any) -> Any:
    """``body`` validated against ``model`` (a mapping becomes the model, with the same rules
    for what is sent); the error, if any, names what is wrong but never repeats the values
    given, which may be secrets."""
    if model is None or isinstance(body, BaseModel):
        return body
    adapter = _BODY_ADAPTERS.get(model)
    if adapter is None:
        adapter = _BODY_ADAPTERS[model] = TypeAdapter(model)
    try:
        return adapter.validate_python(body)
    except ValidationError as exc:
        details: list[Any] = [
            {
                "type": PydanticCustomError(str(error["type"]), error["msg"]),
                "loc": error["loc"],
                "input": None,
            }
            for error in exc.errors(
                include_url=False, include_input=False, include_context=False
            )
        ]
        raise ValidationError.from_exception_data(
            exc.title, details, hide_input=True
        ) from None


def encode_body(body: Any, model: Any = None) -> bytes:
    """JSON bytes in the spec's wire names; a plain mapping is first checked against ``model``."""
    if not isinstance(body, BaseModel):
        body = _checked_body(body, model)
        if not isinstance(body, BaseModel):
            return _ANY.dump_json(body, by_alias=True, exclude_unset=True)
    return body.model_dump_json(by_alias=True, exclude_unset=True).encode()


def form_fields(body: Any, model: Any = None) -> dict[str, Any]:
    """A form body as a mapping of wire names to values."""
    body = _checked_body(body, model)
    if isinstance(body, BaseModel):
        data: dict[str, Any] = body.model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
        return data
    return dict(body)


# --- Sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransportConfig:
    base_url: str
    credentials: Mapping[str, Credential]
    timeout: float | httpx.Timeout | None
    max_retries: int
    headers: Mapping[str, str]
    idempotency_header: str | None = None
    strict_responses: bool = False
    # What each operation's calls share, worked out on its first call: the base URL, the
    # headers and the credentials are fixed for the client's life.
    _prepared: dict[Endpoint[Any], _Prepared] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def prepared(self, endpoint: Endpoint[Any]) -> _Prepared:
        prepared = self._prepared.get(endpoint)
        if prepared is None:
            prepared = self._prepared[endpoint] = _Prepared(self, endpoint)
        return prepared

    def credentials_for(
        self, security: tuple[tuple[str, ...], ...]
    ) -> tuple[Credential, ...]:
        """The credentials of the first alternative of ``security`` the client holds every
        credential of; none when it holds no alternative in full."""
        for alternative in security:
            if all(scheme in self.credentials for scheme in alternative):
                return tuple(self.credentials[scheme] for scheme in alternative)
        return ()


class _Prepared:
    """The parts of an operation's requests that only depend on the client: the parsed URL
    (where the path has no parameters; parsing it is a good part of what httpx does per
    request), the headers every call starts from, and what the credentials add."""

    __slots__ = (
        "credential_cookies",
        "credential_headers",
        "credential_params",
        "headers",
        "keyed",
        "prefix",
        "url",
    )

    def __init__(self, config: TransportConfig, endpoint: Endpoint[Any]) -> None:
        self.prefix = config.base_url.rstrip("/")
        self.url = (
            None if "{" in endpoint.path else httpx.URL(self.prefix + endpoint.path)
        )
        self.headers: dict[str, str] = {"Accept": endpoint.accept, **config.headers}
        self.credential_headers: dict[str, str] = {}
        self.credential_params: list[tuple[str, str]] = []
        self.credential_cookies: dict[str, str] = {}
        for credential in config.credentials_for(endpoint.security):
            credential.apply(
                self.credential_headers, self.credential_params, self.credential_cookies
            )
        self.keyed = (
            endpoint.idempotency_header is not None
            or config.idempotency_header is not None
        )


# Generated methods pass these by position, in this order.
@dataclass(slots=True)
class Options:
    """What the caller asked for one call, beyond the operation's own arguments."""

    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, Any] | None = None
    extra_body: Mapping[str, Any] | None = None
    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    retry_non_idempotent: bool = False
    idempotency_key: str | None = None
    strict_responses: bool | None = None


def _finite(timeout: httpx.Timeout) -> httpx.Timeout | None:
    """A caller's ``http_client`` timeout where it sets any limit, its gaps filled from
    the default; None where it sets none (``httpx.Client(timeout=None)``)."""
    parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    if all(part is None for part in parts):
        return None
    defaults = (
        DEFAULT_TIMEOUT.connect,
        DEFAULT_TIMEOUT.read,
        DEFAULT_TIMEOUT.write,
        DEFAULT_TIMEOUT.pool,
    )
    connect, read, write, pool = (
        d if p is None else p for p, d in zip(parts, defaults, strict=True)
    )
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)


def _timeout(
    options: Options, config: TransportConfig, client: httpx.Client | httpx.AsyncClient
) -> float | httpx.Timeout | None:
    """The call's timeout; None where it is the client's own as it stands, every limit set
    (then httpx applies it without a copy made per call)."""
    if options.timeout is not None:
        return options.timeout
    if config.timeout is not None:
        return config.timeout
    own = client.timeout
    if (
        own.connect is not None
        and own.read is not None
        and own.write is not None
        and own.pool is not None
    ):
        return None
    return _finite(own) or DEFAULT_TIMEOUT


def _merge_body(call: Call, extra_body: Mapping[str, Any]) -> dict[str, Any]:
    """The body's parts with ``extra_body`` merged in at the top level, winning over the
    model's fields (for fields the vendor added before the spec knows them)."""
    if call.data is not None:
        return {"data": {**call.data, **extra_body}}
    if call.files is not None:
        texts = {name: (None, _scalar(value)) for name, value in extra_body.items()}
        return {"files": {**call.files, **texts}}
    decoded: Any = {}
    if call.content:
        try:
            decoded = _ANY.validate_json(call.content)
        except ValueError:
            decoded = None
    if not isinstance(decoded, dict):
        raise TypeError(
            "extra_body= needs a request body that is a JSON object, a form or multipart"
        )
    merged = {**decoded, **extra_body}
    return {
        "content": _ANY.dump_json(merged, by_alias=True),
        "content_type": call.content_type or "application/json",
    }


def _find_header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    return next(
        (value for key, value in headers.items() if key.lower() == lowered), None
    )


class _Exchange(Generic[T]):
    """One call: its request, built once, and what its attempts came to. The synchronous
    and asynchronous transports only send and sleep; every decision is made here."""

    def __init__(
        self,
        client: httpx.Client | httpx.AsyncClient,
        config: TransportConfig,
        endpoint: Endpoint[T],
        call: Call,
        options: Options,
    ) -> None:
        self.endpoint, self.config = endpoint, config
        self.strict = (
            config.strict_responses
            if options.strict_responses is None
            else options.strict_responses
        )
        prepared = config.prepared(endpoint)
        headers: dict[str, str] = {**prepared.headers, **call.headers}
        key = None
        if options.idempotency_key is not None or prepared.keyed:
            key = self._idempotency_key(headers, options)
        # The credentials' headers win over the spec's header parameters of the same name.
        headers.update(prepared.credential_headers)
        url: httpx.URL | str | None = prepared.url
        if url is None or call.path_params:
            path = endpoint.path
            for name, value in call.path_params.items():
                text = value if isinstance(value, _EncodedPath) else path_text(value)
                path = path.replace("{" + name + "}", text)
            url = prepared.prefix + path
        params: Sequence[tuple[str, str]] = call.query
        if options.extra_query:
            extra = [
                pair
                for name, value in options.extra_query.items()
                for pair in query_pairs(name, value)
            ]
            replaced = {name for name, _ in extra}
            params = [pair for pair in params if pair[0] not in replaced] + extra
        if prepared.credential_params:
            params = [*params, *prepared.credential_params]
        cookies = call.cookies
        if prepared.credential_cookies:
            cookies = {**cookies, **prepared.credential_cookies}
        content, data, files, content_type = (
            call.content,
            call.data,
            call.files,
            call.content_type,
        )
        if options.extra_body:
            merged = _merge_body(call, options.extra_body)
            content = merged.get("content", content)
            data = merged.get("data", data)
            files = merged.get("files", files)
            content_type = merged.get("content_type", content_type)
        if content_type is not None:
            headers["Content-Type"] = content_type
        if options.extra_headers:
            for name, value in options.extra_headers.items():
                # The caller's spelling replaces the client's, whatever the case of either.
                for existing in [k for k in headers if k.lower() == name.lower()]:
                    del headers[existing]
                headers[name] = value
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        timeout = _timeout(options, config, client)
        self.request = client.build_request(
            endpoint.method,
            url,
            headers=headers,
            content=content,
            data=data,
            files=files,
            params=httpx.QueryParams(tuple(params)) if params else None,
            timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
        )
        retries = (
            config.max_retries if options.max_retries is None else options.max_retries
        )
        repeatable = (
            endpoint.idempotent or key is not None or options.retry_non_idempotent
        )
        self.plan = RetryPlan(retries, repeatable)
        self.response: httpx.Response | None = None
        self.failure: httpx.RequestError | None = None

    def _idempotency_key(self, headers: dict[str, str], options: Options) -> str | None:
        """Puts the call's idempotency key in ``headers``, where it has one: the caller's,
        or a fresh one for a non-idempotent call when a header is named for it. Built once
        per call, so every attempt carries the same key."""
        name = self.endpoint.idempotency_header or self.config.idempotency_header
        given = options.idempotency_key
        if given is None and name is not None:
            given = _find_header(headers, name) or _find_header(
                options.extra_headers or {}, name
            )
        if given is None and (name is None or self.endpoint.idempotent):
            return None
        key = given or str(uuid.uuid4())
        name = name or DEFAULT_IDEMPOTENCY_HEADER
        for existing in [k for k in headers if k.lower() == name.lower()]:
            del headers[existing]
        headers[name] = header_value(key)
        return key

    def next_wait(
        self, response: httpx.Response | None, failure: httpx.RequestError | None
    ) -> float | None:
        """Seconds to wait before trying again, or None when the call is over."""
        self.response, self.failure = response, failure
        wait = self.plan.next_wait(response, failure)
        if logger.isEnabledFor(logging.DEBUG):
            _log(self.request, response, failure, self.plan.attempts, wait is not None)
        return wait

    def result(self) -> RawResponse[T]:
        """The final response, or the error it comes to."""
        response, reader = self._success()
        strict = self.strict
        return RawResponse(
            response, self.plan.retries_taken, lambda: reader(response, strict)
        )

    def value(self) -> T:
        """What the final response reads as, or the error it comes to: ``result().parse()``
        without the raw response around it."""
        response, reader = self._success()
        return reader(response, self.strict)

    def _success(self) -> tuple[httpx.Response, Callable[[httpx.Response, bool], T]]:
        response = self.response
        if response is None:
            assert self.failure is not None
            error: ApiConnectionError | ApiStatusError = transport_error(
                self.request, self.failure
            )
            error.retries_taken = self.plan.retries_taken
            raise error from self.failure
        reader = _success_reader(self.endpoint, response.status_code)
        if reader is None:
            secrets = [
                s
                for credential in self.config.credentials.values()
                for s in credential.secrets()
            ]
            error = status_error(
                response,
                self.endpoint.errors,
                self.endpoint.default_error,
                secrets=secrets,
                retry_after=asked_delay(response.headers),
            )
            error.retries_taken = self.plan.retries_taken
            raise error
        return response, reader


def _success_reader(
    endpoint: Endpoint[T], status: int
) -> Callable[[httpx.Response, bool], T] | None:
    responses = endpoint.responses
    reader = responses.get(str(status))
    if reader is None:
        reader = responses.get(f"{status // 100}XX")
    if reader is not None:
        return reader
    if 200 <= status < 300 and len(responses) == 1:
        # One documented success read under the status the server actually used.
        return next(iter(endpoint.responses.values()))
    return None


class SyncTransport:
    def __init__(
        self, config: TransportConfig, http_client: httpx.Client | None
    ) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.client = (
            http_client
            if http_client is not None
            else httpx.Client(timeout=DEFAULT_TIMEOUT)
        )

    def _exchange(
        self, endpoint: Endpoint[T], call: Call, options: Options
    ) -> _Exchange[T]:
        exchange = _Exchange(self.client, self.config, endpoint, call, options)
        while True:
            response: httpx.Response | None = None
            failure: httpx.RequestError | None = None
            try:
                response = self.client.send(exchange.request)
            except httpx.RequestError as exc:  # transport failures, undecodable bodies
                failure = exc
            wait = exchange.next_wait(response, failure)
            if wait is None:
                return exchange
            time.sleep(wait)

    def send_raw(
        self, endpoint: Endpoint[T], call: Call, options: Options
    ) -> RawResponse[T]:
        return self._exchange(endpoint, call, options).result()

    def send(self, endpoint: Endpoint[T], call: Call, options: Options) -> T:
        return self._exchange(endpoint, call, options).value()

    def close(self) -> None:
        if self._owns_client:
            self.client.close()


class AsyncTransport:
    def __init__(
        self, config: TransportConfig, http_client: httpx.AsyncClient | None
    ) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.client = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)
        )

    async def _exchange(
        self, endpoint: Endpoint[T], call: Call, options: Options
    ) -> _Exchange[T]:
        exchange = _Exchange(self.client, self.config, endpoint, call, options)
        while True:
            response: httpx.Response | None = None
            failure: httpx.RequestError | None = None
            try:
                response = await self.client.send(exchange.request)
            except httpx.RequestError as exc:  # transport failures, undecodable bodies
                failure = exc
            wait = exchange.next_wait(response, failure)
            if wait is None:
                return exchange
            await asyncio.sleep(wait)

    async def send_raw(
        self, endpoint: Endpoint[T], call: Call, options: Options
    ) -> RawResponse[T]:
        return (await self._exchange(endpoint, call, options)).result()

    async def send(self, endpoint: Endpoint[T], call: Call, options: Options) -> T:
        return (await self._exchange(endpoint, call, options)).value()

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()


# --- Raw responses -------------------------------------------------------------------------
#
# A raw class (``client.with_raw_response``) reuses the plain methods themselves: its
# instance's ``_transport`` is a ``RawSender``, whose ``send`` is the real transport's
# ``send_raw``. ``raw`` and ``raw_async`` only retype a plain method for the type checker
# (same parameters, a ``RawResponse`` of its return) and hand back the very same function,
# so a raw call costs what a plain one does.


class RawSender:
    """A transport as a raw class sees it: sending returns the raw response."""

    __slots__ = ("send",)

    def __init__(self, transport: SyncTransport | AsyncTransport) -> None:
        self.send = transport.send_raw


def raw(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[Any, P], RawResponse[T]]:
    """The plain method ``method``, for a class whose ``_transport`` is a ``RawSender``."""
    return cast(Callable[Concatenate[Any, P], RawResponse[T]], method)


def raw_async(
    method: Callable[Concatenate[Any, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[Any, P], Coroutine[Any, Any, RawResponse[T]]]:
    """``raw`` for an ``async def`` method."""
    return cast(
        Callable[Concatenate[Any, P], Coroutine[Any, Any, RawResponse[T]]], method
    )


def _log(
    request: httpx.Request,
    response: httpx.Response | None,
    failure: httpx.RequestError | None,
    attempt: int,
    again: bool,
) -> None:
    result = (
        str(response.status_code) if response is not None else type(failure).__name__
    )
    logger.debug(
        "%s -> %s (attempt %d%s)",
        describe_request(request),
        result,
        attempt,
        ", will retry" if again else "",
    )


def header_map(values: Mapping[str, Any]) -> dict[str, str]:
    """Header or cookie values by wire name; ``None`` means the caller left it out."""
    given = list(values.values())
    if given.count(None) == len(given):  # the usual case, without a loop in Python
        return {}
    return {
        name: header_value(value) for name, value in values.items() if value is not None
    }


def multipart_fields(body: Any, model: Any = None) -> dict[str, Any]:
    """A multipart body: bytes and files are sent as file parts, everything else as text."""
    fields = form_fields(body, model)
    parts: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, (bytes, bytearray, tuple)) or hasattr(value, "read"):
            parts[name] = value
        elif value is not None:
            parts[name] = (None, value if isinstance(value, str) else _scalar(value))
    return parts


def raw_content(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else body
