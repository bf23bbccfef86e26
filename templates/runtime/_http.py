"""The request machinery shared by every operation of ``Client`` and ``AsyncClient``.

Operations are data (``Endpoint``: method, path, how to read each status) plus the parts of
one call (``Call``). This module turns them into an ``httpx.Request``, sends it with
timeouts and retries, and turns the response into a model or a typed error.

Retries: a failure to connect is always retried (nothing reached the server). A timeout
after sending, a broken connection, or a 408, 429, 500, 502, 503 or 504 answer is retried
only for idempotent methods, or when the caller opts in with ``retry_non_idempotent=True``:
repeating a POST that may have been carried out could, for example, create a second order.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ._exceptions import (
    ApiConnectionError,
    ApiStatusError,
    ApiTimeoutError,
    ResponseValidationError,
    UnexpectedStatusError,
)

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
    "raw_content",
    "text_response",
]

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0

logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)


# --- Credentials -------------------------------------------------------------------------


class Credential:
    """A credential; its ``repr`` never shows the secret."""

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BearerAuth(Credential):
    def __init__(self, token: str) -> None:
        self._token = token

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self._token}"


class BasicAuth(Credential):
    def __init__(self, username: str, password: str) -> None:
        self._header = httpx.BasicAuth(username, password)._auth_header

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        headers["Authorization"] = self._header


class ApiKeyAuth(Credential):
    def __init__(self, value: str, *, location: str, name: str) -> None:
        self._value, self._location, self._name = value, location, name

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        if self._location == "query":
            params.append((self._name, self._value))
        elif self._location == "cookie":
            cookies[self._name] = self._value
        else:
            headers[self._name] = self._value


# --- Reading responses -------------------------------------------------------------------


def _describe(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


class json_response(Generic[T]):
    """Reads a JSON body into ``model``; a mismatch raises ``ResponseValidationError``."""

    def __init__(self, model: type[T]) -> None:
        self._model = model

    @cached_property
    def _adapter(self) -> TypeAdapter[T]:
        return TypeAdapter(self._model)

    def __call__(self, response: httpx.Response) -> T:
        if not response.content:
            raise ResponseValidationError(response, "the body is empty")
        try:
            return self._adapter.validate_json(response.content)
        except ValidationError as exc:
            raise ResponseValidationError(response, _describe(exc)) from None


def no_content(response: httpx.Response) -> None:
    """For a status documented without a body: whatever came is ignored."""


def text_response(response: httpx.Response) -> str:
    return response.text


def bytes_response(response: httpx.Response) -> bytes:
    return response.content


class error_body:
    """Reads an error body into ``model`` where it fits, and keeps the text where it does not."""

    def __init__(self, model: Any = None) -> None:
        self._model = model

    @cached_property
    def _adapter(self) -> TypeAdapter[Any] | None:
        return None if self._model is None else TypeAdapter(self._model)

    def __call__(self, response: httpx.Response) -> Any:
        if self._adapter is not None and response.content:
            try:
                return self._adapter.validate_json(response.content)
            except ValidationError:
                pass
        return response.text


# --- Describing operations and calls -------------------------------------------------------


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """One operation of the API, as the spec describes it."""

    method: str
    path: str
    responses: Mapping[str, Callable[[httpx.Response], T]]
    errors: Mapping[str, tuple[type[ApiStatusError], Callable[[httpx.Response], Any]]] = field(
        default_factory=dict
    )
    default_error: Callable[[httpx.Response], Any] = text_response
    security: tuple[tuple[str, ...], ...] = ()
    idempotent: bool = False
    accept: str = "application/json"


@dataclass(frozen=True)
class Call:
    """The parts of one request that vary from call to call."""

    path_params: Mapping[str, Any] = field(default_factory=dict)
    query: Sequence[tuple[str, str]] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)
    content: bytes | None = None
    data: Mapping[str, Any] | None = None
    files: Mapping[str, Any] | None = None
    content_type: str | None = None


def _scalar(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BaseModel):
        return value.model_dump_json(exclude_unset=True)
    return str(value)


def query_pairs(name: str, value: Any, *, explode: bool = True) -> list[tuple[str, str]]:
    """A query parameter as name/value pairs: omitted when ``None``, repeated for lists."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_scalar(v) for v in value]
        return [(name, v) for v in items] if explode else [(name, ",".join(items))]
    return [(name, _scalar(value))]


def header_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_scalar(v) for v in value)
    text = _scalar(value)
    if "\r" in text or "\n" in text:
        raise ValueError("a header value cannot contain a line break")
    return text


def _checked_body(body: Any, model: Any) -> Any:
    """``body`` validated against ``model`` (a mapping becomes the model, with the same rules
    for what is sent); the error, if any, names what is wrong but never repeats the values
    given, which may be secrets."""
    if model is None or isinstance(body, BaseModel):
        return body
    try:
        return TypeAdapter(model).validate_python(body)
    except ValidationError as exc:
        details: list[Any] = [
            {"type": PydanticCustomError(str(error["type"]), error["msg"]), "loc": error["loc"], "input": None}
            for error in exc.errors(include_url=False, include_input=False, include_context=False)
        ]
        raise ValidationError.from_exception_data(exc.title, details, hide_input=True) from None


def encode_body(body: Any, model: Any = None) -> bytes:
    """JSON bytes in the spec's wire names; a plain mapping is first checked against ``model``."""
    body = _checked_body(body, model)
    if isinstance(body, BaseModel):
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode()
    return TypeAdapter(Any).dump_json(body, by_alias=True, exclude_unset=True)


def form_fields(body: Any, model: Any = None) -> dict[str, Any]:
    """A form body as a mapping of wire names to values."""
    body = _checked_body(body, model)
    if isinstance(body, BaseModel):
        data: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
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


def _build_request(
    client: httpx.Client | httpx.AsyncClient,
    config: TransportConfig,
    endpoint: Endpoint[Any],
    call: Call,
    extra_headers: Mapping[str, str] | None,
    timeout: float | httpx.Timeout | None,
) -> httpx.Request:
    path = endpoint.path
    for name, value in call.path_params.items():
        path = path.replace("{" + name + "}", quote(_scalar(value), safe=""))
    headers: dict[str, str] = {"Accept": endpoint.accept, **config.headers, **call.headers}
    params: list[tuple[str, str]] = list(call.query)
    cookies: dict[str, str] = dict(call.cookies)
    for alternative in endpoint.security:
        if all(scheme in config.credentials for scheme in alternative):
            for scheme in alternative:
                config.credentials[scheme].apply(headers, params, cookies)
            break
    if call.content_type is not None:
        headers["Content-Type"] = call.content_type
    headers.update(extra_headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    chosen_timeout = timeout if timeout is not None else config.timeout
    return client.build_request(
        endpoint.method,
        config.base_url.rstrip("/") + path,
        params=httpx.QueryParams(tuple(params)) if params else None,
        headers=headers,
        content=call.content,
        data=call.data,
        files=call.files,
        timeout=chosen_timeout if chosen_timeout is not None else httpx.USE_CLIENT_DEFAULT,
    )


def _read_response(endpoint: Endpoint[T], response: httpx.Response) -> T:
    status = response.status_code
    for key in (str(status), f"{status // 100}XX"):
        if key in endpoint.responses:
            return endpoint.responses[key](response)
    if 200 <= status < 300 and len(endpoint.responses) == 1:
        # One documented success read under the status the server actually used.
        return next(iter(endpoint.responses.values()))(response)
    for key in (str(status), f"{status // 100}XX"):
        if key in endpoint.errors:
            error_class, read_body = endpoint.errors[key]
            raise error_class(response, read_body(response))
    raise UnexpectedStatusError(response, endpoint.default_error(response))


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None  # neither seconds nor an HTTP date: use the usual backoff
        seconds = parsed.timestamp() - time.time()
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _backoff(attempt: int, response: httpx.Response | None) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): Retry-After where the server gave
    one, otherwise exponential backoff with full jitter."""
    after = _retry_after(response)
    if after is not None:
        return after
    ceiling = min(MAX_BACKOFF, INITIAL_BACKOFF * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


class _Attempt:
    """What one try produced, and whether another try is allowed."""

    def __init__(self, response: httpx.Response | None, error: ApiConnectionError | None, retry: bool) -> None:
        self.response, self.error, self.retry = response, error, retry


def _judge(
    request: httpx.Request,
    response: httpx.Response | None,
    exc: httpx.RequestError | None,
    repeatable: bool,
) -> _Attempt:
    if exc is None:
        assert response is not None
        return _Attempt(response, None, repeatable and response.status_code in RETRY_STATUSES)
    # Nothing reached the server: always safe to try again.
    unsent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
    error: ApiConnectionError
    if isinstance(exc, httpx.TimeoutException):
        error = ApiTimeoutError(request)
    elif isinstance(exc, httpx.DecodingError):
        error = ApiConnectionError(request, "the response body could not be decoded")
    else:
        error = ApiConnectionError(request, f"connection failed ({type(exc).__name__})")
    return _Attempt(None, error, unsent or repeatable)


class SyncTransport:
    def __init__(self, config: TransportConfig, http_client: httpx.Client | None) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.client = http_client if http_client is not None else httpx.Client(
            timeout=config.timeout if config.timeout is not None else DEFAULT_TIMEOUT
        )

    def send(
        self,
        endpoint: Endpoint[T],
        call: Call,
        *,
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry_non_idempotent: bool,
    ) -> T:
        request = _build_request(self.client, self.config, endpoint, call, extra_headers, timeout)
        retries = self.config.max_retries if max_retries is None else max_retries
        repeatable = endpoint.idempotent or retry_non_idempotent
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            failure: httpx.RequestError | None = None
            try:
                response = self.client.send(request)
            except httpx.RequestError as exc:  # transport failures, undecodable bodies
                failure = exc
            outcome = _judge(request, response, failure, repeatable)
            _log(request, outcome, attempt)
            if outcome.retry and attempt <= retries:
                time.sleep(_backoff(attempt, outcome.response))
                continue
            if outcome.error is not None:
                raise outcome.error from failure
            assert outcome.response is not None
            return _read_response(endpoint, outcome.response)

    def close(self) -> None:
        if self._owns_client:
            self.client.close()


class AsyncTransport:
    def __init__(self, config: TransportConfig, http_client: httpx.AsyncClient | None) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.client = http_client if http_client is not None else httpx.AsyncClient(
            timeout=config.timeout if config.timeout is not None else DEFAULT_TIMEOUT
        )

    async def send(
        self,
        endpoint: Endpoint[T],
        call: Call,
        *,
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry_non_idempotent: bool,
    ) -> T:
        request = _build_request(self.client, self.config, endpoint, call, extra_headers, timeout)
        retries = self.config.max_retries if max_retries is None else max_retries
        repeatable = endpoint.idempotent or retry_non_idempotent
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            failure: httpx.RequestError | None = None
            try:
                response = await self.client.send(request)
            except httpx.RequestError as exc:  # transport failures, undecodable bodies
                failure = exc
            outcome = _judge(request, response, failure, repeatable)
            _log(request, outcome, attempt)
            if outcome.retry and attempt <= retries:
                await asyncio.sleep(_backoff(attempt, outcome.response))
                continue
            if outcome.error is not None:
                raise outcome.error from failure
            assert outcome.response is not None
            return _read_response(endpoint, outcome.response)

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()


def _log(request: httpx.Request, outcome: _Attempt, attempt: int) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    result = (
        str(outcome.response.status_code) if outcome.response is not None else str(outcome.error)
    )
    logger.debug(
        "%s %s -> %s (attempt %d%s)",
        request.method,
        request.url.copy_with(query=None),
        result,
        attempt,
        ", will retry" if outcome.retry else "",
    )


def header_map(values: Mapping[str, Any]) -> dict[str, str]:
    """Header or cookie values by wire name; ``None`` means the caller left it out."""
    return {name: header_value(value) for name, value in values.items() if value is not None}


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
