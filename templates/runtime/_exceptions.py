"""The errors a client raises. Every one derives from ``ApiError``::

    ApiError
    ├── ApiConnectionError        no response: could not connect, or the connection broke
    │   └── ApiTimeoutError       no response in time
    ├── ResponseValidationError   a success response whose body does not match its model
    └── ApiStatusError            a response whose status is not a success
        ├── one class per status the spec documents (BadRequestError, ...; see errors.py)
        └── UnexpectedStatusError a status the spec does not document

Whatever the server sent stays attached: ``status_code``, ``headers``, ``body`` (the
documented error model where the spec has one for the status, otherwise the text) and
``response``. Messages never include credentials: requests are described by method and
URL only, and URLs lose their query strings, which may carry an API key.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "ResponseValidationError",
    "UnexpectedStatusError",
]


def describe_request(request: httpx.Request) -> str:
    return f"{request.method} {request.url.copy_with(query=None)}"


class ApiError(Exception):
    """Base of every error the client raises."""

    status_code: int | None
    headers: httpx.Headers
    body: Any
    response: httpx.Response | None
    request: httpx.Request | None

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
        self.request = request if request is not None or response is None else response.request
        self.response = response
        self.status_code = response.status_code if response is not None else None
        self.headers = response.headers if response is not None else httpx.Headers()
        self.body = body


class ApiConnectionError(ApiError):
    """The request got no response: the connection failed or broke off."""

    def __init__(self, request: httpx.Request, reason: str = "connection failed") -> None:
        super().__init__(f"{describe_request(request)}: {reason}", request=request)


class ApiTimeoutError(ApiConnectionError):
    """The request got no complete response within the timeout."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, "timed out")


class ResponseValidationError(ApiError):
    """A success response arrived, but its body is not what the spec describes."""

    status_code: int
    response: httpx.Response

    def __init__(self, response: httpx.Response, reason: str) -> None:
        super().__init__(
            f"{describe_request(response.request)} returned {response.status_code} "
            f"with a body that does not match the spec: {reason}",
            response=response,
            body=response.text,
        )


class ApiStatusError(ApiError):
    """The API answered with a status that is not a success."""

    status_code: int
    response: httpx.Response

    def __init__(self, response: httpx.Response, body: Any) -> None:
        super().__init__(
            f"{describe_request(response.request)} returned {response.status_code} "
            f"{response.reason_phrase}".rstrip(),
            response=response,
            body=body,
        )


class UnexpectedStatusError(ApiStatusError):
    """A status the spec does not document for this operation."""
