"""The errors a client raises. Every one derives from ``ApiError``::

    ApiError
    ├── ApiConnectionError          no response: could not connect, or the connection broke
    │   └── ApiTimeoutError         no response in time
    ├── ResponseValidationError     a success whose body cannot be used (the request succeeded)
    └── ApiStatusError              a response whose status is not a success
        ├── BadRequestError             400
        ├── AuthenticationError         401
        ├── PermissionDeniedError       403
        ├── NotFoundError               404
        ├── ConflictError               409
        ├── UnprocessableEntityError    422
        ├── RateLimitError              429
        ├── InternalServerError         5xx
        ├── classes for other statuses a spec documents (see errors.py)
        └── UnexpectedStatusError       any other status the spec does not document

The usual status classes exist in every package, whatever its spec documents, so one
handler serves every package. Whatever the server sent stays attached: ``status_code``,
``headers``, ``body`` (the documented error model where one applies, else the decoded
JSON, else the text), ``request_id`` and ``response``. Messages never include
credentials: requests are described by method and URL only (no query string, which may
carry an API key, and no user info), and credential values are cut out of the server's
own message should it echo them.

Errors survive ``pickle``: class, message, status, headers and body come back; the request
and response objects (and so the request's auth headers) do not.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

import httpx
from pydantic import BaseModel

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "UnexpectedStatusError",
    "UnprocessableEntityError",
    "usual_status_error",
]

MESSAGE_LIMIT = 200
# Headers in which servers and gateways commonly put the id of a request, most specific first.
REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-correlation-id",
    "correlation-id",
    "x-trace-id",
    "cf-ray",
)
_MESSAGE_KEYS = (
    "message",
    "detail",
    "error_description",
    "error",
    "title",
    "description",
)


def describe_request(request: httpx.Request) -> str:
    url = request.url
    port = f":{url.port}" if url.port is not None else ""
    return f"{request.method} {url.scheme}://{url.host}{port}{url.path}"


def request_id_of(headers: httpx.Headers) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return (
        text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1].rstrip() + "…"
    )


def _message_in(value: Any, depth: int = 0) -> str | None:
    """The server's own words in a decoded error body, where a usual field carries them."""
    if depth > 3:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return _message_in(value[0], depth + 1) if value else None
    if not isinstance(value, dict):
        return None
    errors = value.get("errors")
    if (
        isinstance(errors, list) and errors
    ):  # JSON:API and many others: a list of errors
        first = errors[0]
        if isinstance(first, dict):
            for key in ("detail", "title", "message"):
                if isinstance(first.get(key), str) and first[key].strip():
                    return str(first[key]).strip()
        found = _message_in(first, depth + 1)
        if found:
            return found
    for key in _MESSAGE_KEYS:
        found = _message_in(value.get(key), depth + 1) if key in value else None
        if found:
            return found
    return None


def server_message(body: Any, text: str) -> str | None:
    """What the server said, from the body as read (model, JSON or text) or its raw text."""
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json", by_alias=True)
    if isinstance(body, (dict, list)):
        return _message_in(body)
    stripped = text.strip()
    if stripped and len(stripped) <= 2 * MESSAGE_LIMIT and not stripped.startswith("<"):
        try:
            return _message_in(json.loads(stripped))
        except ValueError:
            return stripped
    return None


def _redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def _rebuild(
    cls: type[ApiError], args: tuple[Any, ...], state: dict[str, Any]
) -> ApiError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ApiError(Exception):
    """Base of every error the client raises."""

    status_code: int | None
    headers: httpx.Headers
    body: Any
    request_id: str | None
    response: httpx.Response | None
    request: httpx.Request | None
    retries_taken: int

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = (
            request if request is not None or response is None else response.request
        )
        self.response = response
        self.status_code = response.status_code if response is not None else None
        self.headers = response.headers if response is not None else httpx.Headers()
        self.request_id = request_id_of(self.headers)
        self.body = body
        self.retries_taken = 0

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # The request (with its credentials) and the live response stay behind; what the
        # server said (status, headers, body) travels.
        state = {
            k: v for k, v in self.__dict__.items() if k not in ("request", "response")
        }
        state.update(
            request=None,
            response=None,
            headers=httpx.Headers(list(self.headers.multi_items())),
        )
        return _rebuild, (type(self), self.args, state)


class ApiConnectionError(ApiError):
    """The request got no response: the connection failed or broke off.

    ``request_sent`` is False when nothing can have reached the server (the name did not
    resolve, the connection was refused or not made in time), True when it may have.
    """

    def __init__(
        self,
        request: httpx.Request,
        reason: str = "connection failed",
        *,
        request_sent: bool = True,
    ) -> None:
        where = (
            "the request may have reached the server"
            if request_sent
            else "the request was not sent"
        )
        super().__init__(
            f"{describe_request(request)}: {reason} ({where})", request=request
        )
        self.request_sent = request_sent


class ApiTimeoutError(ApiConnectionError):
    """The request got no complete response within the timeout."""

    def __init__(
        self,
        request: httpx.Request,
        reason: str = "timed out",
        *,
        request_sent: bool = True,
    ) -> None:
        super().__init__(request, reason, request_sent=request_sent)


class ResponseValidationError(ApiError):
    """A success response arrived, but its body cannot be used as the spec describes.

    The request succeeded (an order may have been created): ``body`` is the decoded JSON
    where the body is JSON, otherwise its text, and ``response`` the raw response.
    """

    status_code: int
    response: httpx.Response

    def __init__(
        self, response: httpx.Response, reason: str, *, body: Any = None
    ) -> None:
        super().__init__(
            f"{describe_request(response.request)} succeeded with {response.status_code}, "
            f"but its response body cannot be read as the spec describes: {reason}",
            response=response,
            body=response.text if body is None else body,
        )


class ApiStatusError(ApiError):
    """The API answered with a status that is not a success.

    ``documented`` says whether the spec lists this status for the operation;
    ``retry_after`` is the delay in seconds the server asked for, where it asked.
    """

    status_code: int
    response: httpx.Response

    def __init__(
        self,
        response: httpx.Response,
        body: Any,
        *,
        documented: bool = False,
        secrets: Iterable[str] = (),
        retry_after: float | None = None,
    ) -> None:
        said = server_message(body, response.text)
        heading = f"{describe_request(response.request)} returned {response.status_code} {response.reason_phrase}"
        location = response.headers.get("location")
        if location and 300 <= response.status_code < 400:
            # The client never follows a redirect: a POST would silently become a GET, and
            # a credential header would go to whatever host the server names.
            heading = f"{heading.rstrip()}, to {_redact(location, secrets)} (redirects are not followed)"
        message = heading.rstrip() + (
            f": {_shorten(_redact(said, secrets))}" if said else ""
        )
        super().__init__(message, response=response, body=body)
        self.documented = documented
        self.retry_after = retry_after


class BadRequestError(ApiStatusError):
    """400 Bad Request."""

    status_code: Literal[400]


class AuthenticationError(ApiStatusError):
    """401 Unauthorized."""

    status_code: Literal[401]


class PermissionDeniedError(ApiStatusError):
    """403 Forbidden."""

    status_code: Literal[403]


class NotFoundError(ApiStatusError):
    """404 Not Found."""

    status_code: Literal[404]


class ConflictError(ApiStatusError):
    """409 Conflict."""

    status_code: Literal[409]


class UnprocessableEntityError(ApiStatusError):
    """422 Unprocessable Entity."""

    status_code: Literal[422]


class RateLimitError(ApiStatusError):
    """429 Too Many Requests."""

    status_code: Literal[429]


class InternalServerError(ApiStatusError):
    """A 5xx status: the server failed."""


class UnexpectedStatusError(ApiStatusError):
    """A status the spec does not document for this operation, and no usual class covers."""


_USUAL = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def usual_status_error(status: int) -> type[ApiStatusError] | None:
    """The class every package raises for ``status``, where there is a usual one."""
    if 500 <= status < 600:
        return InternalServerError
    return _USUAL.get(status)
