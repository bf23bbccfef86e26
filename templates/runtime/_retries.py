"""When to try a request again, and how long to wait first: one set of decisions shared by
the synchronous and the asynchronous client, which only differ in how they send and sleep.

A failure where nothing can have reached the server (the name did not resolve, the
connection was refused or not made in time) is always retried. A timeout after sending, a
broken connection, or a 408, 429, 500, 502, 503 or 504 answer is retried only when
repeating the request cannot do anything twice: for idempotent methods, for calls that
carry an idempotency key (the same key on every attempt, so the server can recognise the
repeat), or when the caller opts in with ``retry_non_idempotent=True``. Repeating a POST
that may have been carried out could, for example, create a second order.

``Retry-After`` (seconds or an HTTP date) and ``retry-after-ms`` are honoured; when the
server asks for a longer wait than ``MAX_RETRY_AFTER``, the request is not retried and the
error carries the asked delay as ``retry_after``.
"""

from __future__ import annotations

import email.utils
import math
import random
import time

import httpx

from ._exceptions import ApiConnectionError, ApiTimeoutError

__all__ = [
    "INITIAL_BACKOFF",
    "MAX_BACKOFF",
    "MAX_RETRY_AFTER",
    "RETRY_STATUSES",
    "RetryPlan",
    "asked_delay",
    "backoff",
    "transport_error",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0

# Failures that happen before any byte of the request can have left this machine.
_UNSENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
# Failures that trying again cannot cure.
_HOPELESS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def asked_delay(headers: httpx.Headers) -> float | None:
    """Seconds the server asked the client to wait, not capped; None when it did not ask
    in a form that can be read."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            value = float(millis) / 1000
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return max(value, 0.0)
    text = headers.get("retry-after")
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None  # neither seconds nor an HTTP date: use the usual backoff
        seconds = parsed.timestamp() - time.time()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt`` (1-based): exponential backoff with full jitter."""
    ceiling = min(MAX_BACKOFF, INITIAL_BACKOFF * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def transport_error(
    request: httpx.Request, exc: httpx.RequestError
) -> ApiConnectionError:
    """The client's error for an httpx failure, saying whether the request may have arrived
    and keeping httpx's own reason."""
    sent = not isinstance(exc, _UNSENT)
    detail = str(exc).strip()
    reason = type(exc).__name__ + (f": {detail}" if detail else "")
    if isinstance(exc, httpx.TimeoutException):
        return ApiTimeoutError(request, f"timed out ({reason})", request_sent=sent)
    if isinstance(exc, httpx.DecodingError):
        return ApiConnectionError(
            request,
            f"the response body could not be decoded ({reason})",
            request_sent=True,
        )
    return ApiConnectionError(
        request, f"connection failed ({reason})", request_sent=sent
    )


class RetryPlan:
    """Decides, after each attempt, whether to try again and after how long."""

    __slots__ = ("attempts", "max_retries", "repeatable")

    def __init__(self, max_retries: int, repeatable: bool) -> None:
        self.max_retries = max_retries
        self.repeatable = repeatable
        self.attempts = 0

    @property
    def retries_taken(self) -> int:
        return max(self.attempts - 1, 0)

    def next_wait(
        self, response: httpx.Response | None, exc: httpx.RequestError | None
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when this attempt is the last."""
        self.attempts += 1
        if self.attempts > self.max_retries:
            return None
        if exc is not None:
            if isinstance(exc, _HOPELESS):
                return None
            if isinstance(exc, _UNSENT) or self.repeatable:
                return backoff(self.attempts)
            return None
        assert response is not None
        if not (self.repeatable and response.status_code in RETRY_STATUSES):
            return None
        asked = asked_delay(response.headers)
        if asked is None:
            return backoff(self.attempts)
        return asked if asked <= MAX_RETRY_AFTER else None
