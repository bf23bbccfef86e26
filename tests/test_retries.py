"""Retries: ``max_retries`` on the client and per call, exponential backoff with jitter,
``Retry-After`` and ``retry-after-ms`` honoured up to a cap (beyond it: no retry, the asked
delay on the error), and nothing ambiguous repeated for a POST unless the caller opts in
with ``retry_non_idempotent=True`` or the call carries an idempotency key
(test_unhappy_path.py covers the keys).

The runtime's sleeps are recorded instead of slept (``time.sleep`` / ``asyncio.sleep`` as
seen from the package's ``_http`` module), except in the tests marked "real time", which
prove on the wire that the wait happens.
"""

from __future__ import annotations

import email.utils
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_cases import API_NAMES, APIS, ApiCase, Outcome, create_order
from servers import FaultServer, Reply, fault_server, free_port

__all__ = ["fault_server"]  # the fixture, imported to be used here

pytestmark = pytest.mark.timeout(30)

TIMEOUT = 0.5
StartServer = Callable[..., FaultServer]


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest) -> ApiCase:
    return APIS[request.param]


@pytest.fixture(params=["sync", "async"])
def asynchronous(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "async")


class Sleeps:
    """Records the runtime's waits instead of waiting; ``on_sleep`` may act on each one."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self.on_sleep: Callable[[int], None] | None = None

    def _record(self, seconds: float) -> None:
        self.durations.append(seconds)
        if self.on_sleep is not None:
            self.on_sleep(len(self.durations))

    def sleep(self, seconds: float) -> None:
        self._record(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self._record(seconds)


@pytest.fixture
def sleeps(api: ApiCase, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sleeps]:
    """Replaces sleeping in this package's runtime only (not in asyncio or time at large)."""
    recorder = Sleeps()
    http = api.http
    monkeypatch.setattr(http, "time", SimpleNamespace(sleep=recorder.sleep, time=time.time))
    monkeypatch.setattr(http, "asyncio", SimpleNamespace(sleep=recorder.async_sleep))
    yield recorder


def call(api: ApiCase, url: str, asynchronous: bool, *, client: Any = None, **kwargs: Any) -> Outcome:
    outcome = create_order(
        api,
        url,
        asynchronous=asynchronous,
        client={"timeout": TIMEOUT, **(client or {})},
        call=kwargs,
    )
    assert outcome.seconds < 10, f"the call took {outcome.seconds:.1f} s"
    return outcome


def ok(api: ApiCase) -> Reply:
    body = json.dumps(api.success_example).encode()
    return Reply(api.success_status, body, {"Content-Type": api.response_media_type})


def status(code: int, **headers: str) -> Reply:
    return Reply.json(code, {"message": f"status {code}"}, headers=headers)


def parsed(api: ApiCase, outcome: Outcome) -> None:
    assert outcome.error is None, f"{type(outcome.error).__name__}: {outcome.error}"
    assert outcome.result == type(outcome.result).model_validate(api.success_example)


# --- A POST is not repeated by default ------------------------------------------------------

AMBIGUOUS = {
    "500": status(500),
    "502": status(502),
    "503": status(503),
    "504": status(504),
    "408": status(408),
    "429": status(429, **{"Retry-After": "1"}),
    "timeout": Reply(200, b"{}", delay=10),
    "reset": Reply(200, b'{"data": "cut here', reset_after=5),
    "closed early": Reply(200, b'{"x": 1}', content_length=1000),
}


@pytest.mark.parametrize("fault", list(AMBIGUOUS))
def test_post_is_sent_exactly_once_by_default(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, sleeps: Sleeps, fault: str
) -> None:
    """createOrder creates an order: after an ambiguous failure it is not sent again, even
    though the client allows retries (``max_retries`` defaults to 2)."""
    server = fault_server([AMBIGUOUS[fault], ok(api)])
    outcome = call(api, server.url, asynchronous)
    assert isinstance(outcome.error, api.errors.ApiError), outcome
    assert len(server.requests) == 1, f"{fault}: the server saw {len(server.requests)} requests"
    assert sleeps.durations == []


def test_create_order_is_not_marked_idempotent(api: ApiCase) -> None:
    assert api.method == "POST"
    endpoints = [v for v in vars(api.package.client).values() if isinstance(v, api.http.Endpoint)]
    assert [e.idempotent for e in endpoints] == [False]


# --- Failures to connect are always retried ---------------------------------------------------


def test_failure_to_connect_is_retried_even_for_a_post(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, sleeps: Sleeps
) -> None:
    """Nothing reached the server, so trying again cannot create a second order: the first
    attempt finds nothing listening, the server comes up during the backoff, the retry
    succeeds."""
    port = free_port()
    servers: list[FaultServer] = []
    sleeps.on_sleep = lambda n: servers.append(fault_server(ok(api), port=port)) if n == 1 else None
    outcome = call(api, f"http://127.0.0.1:{port}", asynchronous)
    parsed(api, outcome)
    assert len(sleeps.durations) == 1
    assert len(servers) == 1 and len(servers[0].requests) == 1


def test_failure_to_connect_gives_up_after_max_retries(api: ApiCase, asynchronous: bool, sleeps: Sleeps) -> None:
    outcome = call(api, f"http://127.0.0.1:{free_port()}", asynchronous, client={"max_retries": 3})
    assert type(outcome.error) is api.errors.ApiConnectionError
    assert len(sleeps.durations) == 3


# --- Opting in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["503", "502", "timeout", "reset", "closed early"])
def test_opting_in_retries_ambiguous_failures(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, sleeps: Sleeps, fault: str
) -> None:
    server = fault_server([AMBIGUOUS[fault], AMBIGUOUS[fault], ok(api)])
    outcome = call(api, server.url, asynchronous, retry_non_idempotent=True)
    parsed(api, outcome)
    assert len(server.requests) == 3
    assert len(sleeps.durations) == 2
    assert server.requests[0].body == server.requests[2].body, "the retry sent another body"


def test_retries_stop_at_max_retries_with_the_last_typed_error(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, sleeps: Sleeps
) -> None:
    server = fault_server(status(503))
    outcome = call(api, server.url, asynchronous, retry_non_idempotent=True)
    error = outcome.error
    assert isinstance(error, api.errors.ApiStatusError) and error.status_code == 503
    assert len(server.requests) == 3  # the default max_retries is 2
    assert len(sleeps.durations) == 2


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "expected_requests"),
    [(None, None, 3), (4, None, 5), (4, 1, 2), (0, None, 1), (0, 2, 3), (3, 0, 1)],
)
def test_max_retries_on_the_client_and_per_call(
    api: ApiCase,
    asynchronous: bool,
    fault_server: StartServer,
    sleeps: Sleeps,
    client_retries: int | None,
    call_retries: int | None,
    expected_requests: int,
) -> None:
    server = fault_server(status(503))
    client = {} if client_retries is None else {"max_retries": client_retries}
    extra = {} if call_retries is None else {"max_retries": call_retries}
    call(api, server.url, asynchronous, client=client, retry_non_idempotent=True, **extra)
    assert len(server.requests) == expected_requests
    assert len(sleeps.durations) == expected_requests - 1


# --- How long to wait -------------------------------------------------------------------------


def test_backoff_is_exponential_with_jitter(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, sleeps: Sleeps
) -> None:
    runs = []
    for _ in range(2):
        sleeps.durations.clear()
        server = fault_server(status(503))
        call(api, server.url, asynchronous, max_retries=6, retry_non_idempotent=True)
        assert len(sleeps.durations) == 6
        for attempt, slept in enumerate(sleeps.durations, start=1):
            ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))  # 0.5, 1, 2, 4, 8, 8
            assert ceiling / 2 <= slept <= ceiling, (attempt, sleeps.durations)
        runs.append(list(sleeps.durations))
    assert runs[0] != runs[1], "no jitter: two runs waited exactly the same"


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("2", 2.0), ("0", 0.0), ("1.5", 1.5), ("60", 60.0), ("-4", 0.0)],
)
def test_retry_after_seconds_is_honoured(
    api: ApiCase,
    asynchronous: bool,
    fault_server: StartServer,
    sleeps: Sleeps,
    retry_after: str,
    expected: float,
) -> None:
    server = fault_server([status(429, **{"Retry-After": retry_after}), ok(api)])
    outcome = call(api, server.url, asynchronous, retry_non_idempotent=True)
    parsed(api, outcome)
    assert sleeps.durations == [expected]


@pytest.mark.parametrize(("offset", "low", "high"), [(30, 27.0, 31.0), (-60, 0, 0)])
def test_retry_after_http_date_is_honoured(
    api: ApiCase,
    asynchronous: bool,
    fault_server: StartServer,
    sleeps: Sleeps,
    offset: int,
    low: float,
    high: float,
) -> None:
    when = email.utils.formatdate(time.time() + offset, usegmt=True)
    server = fault_server([status(503, **{"Retry-After": when}), ok(api)])
    parsed(api, call(api, server.url, asynchronous, retry_non_idempotent=True))
    assert len(sleeps.durations) == 1 and low <= sleeps.durations[0] <= high, sleeps.durations


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"retry-after-ms": "1500"}, 1.5), ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25)],
)
def test_retry_after_ms_is_honoured_before_retry_after(
    api: ApiCase,
    asynchronous: bool,
    fault_server: StartServer,
    sleeps: Sleeps,
    headers: dict[str, str],
    expected: float,
) -> None:
    server = fault_server([status(503, **headers), ok(api)])
    parsed(api, call(api, server.url, asynchronous, retry_non_idempotent=True))
    assert sleeps.durations == [expected]


@pytest.mark.parametrize(
    ("headers", "asked_low", "asked_high"),
    [
        ({"Retry-After": "3600"}, 3600.0, 3600.0),
        ({"Retry-After": "HTTP-DATE"}, 7190.0, 7201.0),
        ({"retry-after-ms": "120000"}, 120.0, 120.0),
    ],
)
def test_retry_after_beyond_the_cap_is_not_retried_and_the_asked_delay_is_on_the_error(
    api: ApiCase,
    asynchronous: bool,
    fault_server: StartServer,
    sleeps: Sleeps,
    headers: dict[str, str],
    asked_low: float,
    asked_high: float,
) -> None:
    """Waiting an hour inside a call helps nobody: the caller gets the error at once, and
    the delay the server asked for, to schedule the retry itself."""
    if headers.get("Retry-After") == "HTTP-DATE":
        headers = {"Retry-After": email.utils.formatdate(time.time() + 7200, usegmt=True)}
    server = fault_server([status(429, **headers), ok(api)])
    outcome = call(api, server.url, asynchronous, idempotency_key="order-42")
    error = outcome.error
    assert isinstance(error, api.errors.RateLimitError), error
    assert len(server.requests) == 1 and sleeps.durations == []
    assert asked_low <= error.retry_after <= asked_high, error.retry_after
    assert error.retries_taken == 0


@pytest.mark.parametrize("retry_after", ["soon", "nan", "Mon, 99 Foo 2024 99:99:99 GMT", ""])
def test_unreadable_retry_after_falls_back_to_backoff(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, sleeps: Sleeps, retry_after: str
) -> None:
    server = fault_server([status(503, **{"Retry-After": retry_after}), ok(api)])
    parsed(api, call(api, server.url, asynchronous, retry_non_idempotent=True))
    assert len(sleeps.durations) == 1 and 0.25 <= sleeps.durations[0] <= 0.5, sleeps.durations


# --- Real time ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["musement"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_retry_after_is_waited_for_in_real_time(fault_server: StartServer, name: str, mode: str) -> None:
    """No patching: the second request reaches the server no sooner than Retry-After says."""
    api = APIS[name]
    server = fault_server([status(503, **{"Retry-After": "1"}), ok(api)])
    outcome = call(api, server.url, mode == "async", retry_non_idempotent=True)
    parsed(api, outcome)
    assert len(server.requests) == 2
    gap = server.requests[1].at - server.requests[0].at
    assert 0.95 <= gap < 3.0, gap
    assert outcome.seconds < 4.0


def test_real_backoff_without_retry_after_is_short(fault_server: StartServer) -> None:
    api = APIS["sitecore_cdp"]
    server = fault_server([status(502), ok(api)])
    outcome = call(api, server.url, False, retry_non_idempotent=True)
    parsed(api, outcome)
    gap = server.requests[1].at - server.requests[0].at
    assert 0.2 <= gap < 1.5, gap
