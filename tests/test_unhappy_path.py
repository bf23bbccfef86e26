"""The generated clients when something goes wrong (issue 12), for all three packages.

Most exchanges go through ``httpx.MockTransport``, which shows exactly what was sent; the
ones about connections (refused, timed out, retried) use the tests' fault server. The
service these tests stand for creates orders through all three packages and wants: one
error handler for all of them, the server's reason in its logs, no order it only learns of
from a traceback, and proof from an error of whether an order may exist.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import pickle
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_cases import API_NAMES, APIS, STATUS_ERROR_NAMES, ApiCase, create_order, usual_error_name
from servers import FaultServer, Reply, fault_server, free_port

__all__ = ["fault_server"]  # the fixture, imported to be used here

pytestmark = pytest.mark.timeout(30)

BASE_URL = "https://api.test"
StartServer = Callable[..., FaultServer]
Handler = Callable[[httpx.Request], httpx.Response]

# Every usual status class, and three 5xx statuses that share InternalServerError.
USUAL_STATUSES = (*sorted(STATUS_ERROR_NAMES), 500, 502, 503)


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest) -> ApiCase:
    return APIS[request.param]


class Recorder:
    """A MockTransport that answers with ``handler`` and keeps every request it saw."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def sync(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self), **kwargs)

    def asynchronous(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self), **kwargs)


def answer(status: int, payload: Any = None, *, text: str | None = None, **headers: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=payload, headers=headers)

    return handler


def success(api: ApiCase, payload: Any = None, **headers: str) -> Handler:
    body = api.success_example if payload is None else payload
    return answer(api.success_status, body, **{"Content-Type": api.response_media_type, **headers})


def client_for(api: ApiCase, recorder: Recorder, **kwargs: Any) -> Any:
    http_client = kwargs.pop("http_client", None) or recorder.sync()
    return api.client(BASE_URL, http_client=http_client, **kwargs)


def failed(api: ApiCase, recorder: Recorder, **call: Any) -> Any:
    client = client_for(api, recorder, max_retries=0)
    with pytest.raises(api.errors.ApiError) as raised:
        client.create_order(**{**api.call_kwargs(), **call})
    return raised.value


# --- One error hierarchy in every package -------------------------------------------------


@pytest.mark.parametrize("status", USUAL_STATUSES)
def test_every_package_raises_the_usual_class_for_a_status(api: ApiCase, status: int) -> None:
    """Whatever the spec documents: a 401 from Musement (which documents only `default`)
    is an AuthenticationError, as it is from Sitecore."""
    error = failed(api, Recorder(answer(status, {"message": "no"})))
    expected = getattr(api.errors, str(usual_error_name(status)))
    assert isinstance(error, expected) and isinstance(error, api.errors.ApiStatusError)
    assert error.status_code == status
    listed = {c.status for c in api.error_cases if c.documented_as != "default"}
    assert error.documented is (status in listed)


def test_the_usual_classes_are_the_same_names_in_every_package() -> None:
    for api in APIS.values():
        for name in sorted({str(usual_error_name(status)) for status in USUAL_STATUSES}):
            cls = getattr(api.errors, name)
            assert issubclass(cls, api.errors.ApiStatusError), (api.name, name)
            assert name in api.errors.__all__


@pytest.mark.parametrize(
    ("name", "status", "class_name"),
    [
        ("commercelayer", 401, "AuthenticationError"),
        ("commercelayer", 422, "UnprocessableEntityError"),
        ("musement", 401, "AuthenticationError"),
        ("musement", 422, "UnprocessableEntityError"),
        ("sitecore_cdp", 409, "ConflictError"),
    ],
)
def test_issue_examples_raise_their_class_with_the_servers_reason(name: str, status: int, class_name: str) -> None:
    api = APIS[name]
    payload = {"message": f"the server's own reason for {status}"}
    if name == "commercelayer":  # JSON:API error documents
        payload = {"errors": [{"title": "Invalid", "detail": f"the server's own reason for {status}"}]}
    error = failed(api, Recorder(answer(status, payload, **{"X-Request-Id": "req-77"})))
    assert type(error).__name__ == class_name
    assert f"the server's own reason for {status}" in str(error)
    assert error.request_id == "req-77"


# --- What the error carries ---------------------------------------------------------------


def test_body_is_the_documented_model_where_it_fits() -> None:
    api = APIS["sitecore_cdp"]
    payload = json.loads(api.fixture("response-409.json"))
    error = failed(api, Recorder(answer(409, payload)))
    assert isinstance(error.body, BaseModel)
    assert error.documented is True


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (answer(418, {"what": "teapot", "n": 1}), {"what": "teapot", "n": 1}),
        (answer(418, [1, "two"]), [1, "two"]),
        (answer(418, text="short and plain"), "short and plain"),
        (answer(418, text=""), ""),
    ],
)
def test_body_is_the_decoded_json_else_the_text(api: ApiCase, reply: Handler, expected: Any) -> None:
    error = failed(api, Recorder(reply))
    assert type(error) is api.errors.UnexpectedStatusError
    assert error.body == expected
    assert error.response.status_code == 418 and error.documented is False


@pytest.mark.parametrize(
    ("payload", "said"),
    [
        ({"message": "cart is empty"}, "cart is empty"),
        ({"detail": "currency not supported"}, "currency not supported"),
        ({"error": "invalid_grant"}, "invalid_grant"),
        ({"error": {"code": 7, "message": "nested reason"}}, "nested reason"),
        ({"title": "Validation failed"}, "Validation failed"),
        ({"errors": [{"title": "Invalid", "detail": "JSON:API detail"}]}, "JSON:API detail"),
        ("plain text from a proxy", "plain text from a proxy"),
    ],
)
def test_message_says_method_url_status_and_what_the_server_said(api: ApiCase, payload: Any, said: str) -> None:
    reply = answer(400, text=payload) if isinstance(payload, str) else answer(400, payload)
    error = failed(api, Recorder(reply), extra_query={"api_key": "query-secret"})
    text = str(error)
    assert text.startswith(f"POST {BASE_URL}{api.path} returned 400"), text
    assert text.endswith(said), text
    assert "query-secret" not in text and "?" not in text


def test_message_is_cut_short_and_an_html_page_is_not_quoted(api: ApiCase) -> None:
    long = failed(api, Recorder(answer(400, {"message": "x" * 5000})))
    assert 100 < len(str(long)) < 200 + len(f"POST {BASE_URL}{api.path} returned 400 Bad Request: ") + 5
    page = failed(api, Recorder(answer(502, text="<html><body>" + "y" * 300 + "</body></html>")))
    assert str(page).endswith("502 Bad Gateway")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_says_where_it_points(api: ApiCase, status: int) -> None:
    # Followed, a 301 or 302 would turn the POST into a GET without its body, and any
    # credential header would go to the host the server names.
    recorder = Recorder(lambda request: httpx.Response(status, headers={"Location": "https://moved.test/v2/orders"}))
    error = failed(api, recorder)
    assert len(recorder.requests) == 1
    assert str(error).endswith(", to https://moved.test/v2/orders (redirects are not followed)"), str(error)
    assert error.status_code == status and not error.documented


def test_a_credential_the_server_echoes_is_not_repeated(api: ApiCase) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"message": f"bad credentials: {request.headers['authorization']}"})

    error = failed(api, Recorder(echo))
    for secret in api.secrets:
        assert secret not in str(error) and secret not in repr(error)
    assert "bad credentials" in str(error)


@pytest.mark.parametrize(
    "header", ["X-Request-Id", "Request-Id", "x-amzn-RequestId", "X-Amz-Request-Id", "X-Correlation-Id"]
)
def test_request_id_comes_from_the_usual_headers(api: ApiCase, header: str) -> None:
    assert failed(api, Recorder(answer(500, {}, **{header: "abc-123"}))).request_id == "abc-123"


def test_request_id_is_none_without_such_a_header(api: ApiCase) -> None:
    assert failed(api, Recorder(answer(500, {}))).request_id is None


@pytest.mark.parametrize("status", [401, 409, 422, 503, 418])
def test_errors_survive_pickle_without_the_request_credentials(api: ApiCase, status: int) -> None:
    payload = {"message": "pickled reason", "errors": [{"detail": "pickled reason"}]}
    error = failed(api, Recorder(answer(status, payload, **{"X-Request-Id": "r-1"})))
    data = pickle.dumps(error)
    for secret in api.secrets:
        assert secret.encode() not in data
    copy_ = pickle.loads(data)
    assert type(copy_) is type(error)
    assert str(copy_) == str(error) and copy_.status_code == status
    assert copy_.headers["x-request-id"] == "r-1" and copy_.request_id == "r-1"
    assert copy_.body == error.body and copy_.documented == error.documented
    assert copy_.request is None and copy_.response is None


def test_connection_errors_survive_pickle() -> None:
    api = APIS["musement"]
    outcome = create_order(api, f"http://127.0.0.1:{free_port()}", client={"max_retries": 0})
    error = outcome.error
    assert isinstance(error, api.errors.ApiConnectionError)
    copy_ = pickle.loads(pickle.dumps(error))
    assert type(copy_) is type(error) and str(copy_) == str(error) and copy_.request_sent is False


# --- A success whose body does not match the spec -----------------------------------------

# Per API: a change to the documented success example that breaks the spec, and the
# location (wire names) the client must name.
MISMATCHES: dict[str, list[tuple[str, tuple[str | int, ...], Any, str]]] = {
    "musement": [
        ("missing required", ("identifier",), None, "identifier"),
        ("pattern", ("items", 0, "product", "date"), "1 May 2022, morning", "items.0.product.date"),
    ],
    "sitecore_cdp": [
        ("wrong type", ("price",), "lots", "price"),
    ],
    "commercelayer": [
        ("missing required", ("data", "id"), None, "data.id"),
        ("wrong type", ("data", "attributes", "guest"), "perhaps", "data.attributes.guest"),
    ],
}
MISMATCH_CASES = [(name, *case) for name, cases in MISMATCHES.items() for case in cases]


def broken(api: ApiCase, path: tuple[str | int, ...], value: Any) -> Any:
    payload = copy.deepcopy(api.success_example)
    parent: Any = payload
    for part in path[:-1]:
        parent = parent[part]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return payload


@pytest.mark.parametrize(("name", "what", "path", "value", "location"), MISMATCH_CASES)
def test_a_created_order_that_does_not_match_is_returned_with_one_warning(
    caplog: pytest.LogCaptureFixture, name: str, what: str, path: tuple[Any, ...], value: Any, location: str
) -> None:
    api = APIS[name]
    payload = broken(api, path, value)
    client = client_for(api, Recorder(success(api, payload)))
    with caplog.at_level(logging.WARNING, logger=api.name):
        order = client.create_order(**api.call_kwargs())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith(api.name)]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    message = warnings[0].getMessage()
    assert location in message
    if value is not None:  # locations and reasons only: a body may carry personal data
        assert str(value) not in message, message
    mismatches = api.errors.response_mismatches(order)
    assert [m.location for m in mismatches] == [location], mismatches
    # What matched is typed; what did not is kept as the server sent it, never dropped.
    assert isinstance(order, getattr(api.models, api.success_model))
    # (pydantic warns, rightly, that a value kept as sent does not have the field's type)
    dumped = json.loads(order.model_dump_json(by_alias=True, exclude_unset=True, warnings=False))
    leaf: Any = dumped
    for part in path[:-1]:
        leaf = leaf[part]
    if value is None:
        assert path[-1] not in leaf
    else:
        assert leaf[path[-1]] == value
    assert typed_siblings(order, path), "nothing next to the mismatch was typed"


@pytest.mark.parametrize(
    ("name", "path"), [(name, path) for name, what, path, value, _ in MISMATCH_CASES if value is None]
)
def test_reading_a_required_field_the_body_lacked_says_why_it_is_missing(name: str, path: tuple[Any, ...]) -> None:
    api = APIS[name]
    client = client_for(api, Recorder(success(api, broken(api, path, None))))
    model: Any = client.create_order(**api.call_kwargs())
    for step in path[:-1]:
        model = _attribute(model, str(step))
    attribute = next(n for n, info in type(model).model_fields.items() if path[-1] in (n, info.alias))
    assert not hasattr(model, attribute)
    with pytest.raises(AttributeError) as missing:
        getattr(model, attribute)
    message = str(missing.value)
    assert f"{type(model).__name__}.{attribute}" in message and repr(path[-1]) in message
    assert "response_mismatches" in message
    assert missing.value.name == attribute
    with pytest.raises(AttributeError) as misspelt:
        model.no_such_field  # noqa: B018 (the lookup is what is tested)
    assert "spec requires" not in str(misspelt.value)


def _attribute(model: BaseModel, wire: str) -> Any:
    for name, info in type(model).model_fields.items():
        if wire in (name, info.alias):
            return getattr(model, name)
    raise AssertionError(wire)


def typed_siblings(model: Any, path: tuple[str | int, ...]) -> list[str]:
    """The object fields next to each step of ``path`` that came back as models."""
    typed: list[str] = []
    for step in path[:-1]:
        if isinstance(model, BaseModel):
            for name, info in type(model).model_fields.items():
                value = getattr(model, name, None)
                if (info.alias or name) != step and isinstance(value, BaseModel):
                    typed.append(name)
            model = _attribute(model, str(step))
        else:
            model = model[step]
    if isinstance(model, BaseModel):
        typed += [n for n in type(model).model_fields if isinstance(getattr(model, n, None), BaseModel)]
    return typed


def test_a_matching_order_has_no_mismatches_and_no_warning(api: ApiCase, caplog: pytest.LogCaptureFixture) -> None:
    client = client_for(api, Recorder(success(api)))
    with caplog.at_level(logging.WARNING, logger=api.name):
        order = client.create_order(**api.call_kwargs())
    assert api.errors.response_mismatches(order) == ()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(("name", "what", "path", "value", "location"), MISMATCH_CASES)
@pytest.mark.parametrize("where", ["client", "call"])
def test_strict_responses_raise_with_the_decoded_body(
    name: str, what: str, path: tuple[Any, ...], value: Any, location: str, where: str
) -> None:
    api = APIS[name]
    payload = broken(api, path, value)
    strict_client = {"strict_responses": True} if where == "client" else {}
    strict_call = {"strict_responses": True} if where == "call" else {}
    client = client_for(api, Recorder(success(api, payload)), **strict_client)
    with pytest.raises(api.errors.ResponseValidationError) as raised:
        client.create_order(**api.call_kwargs(), **strict_call)
    error = raised.value
    assert error.body == payload, "the caller cannot read the created order"
    assert "succeeded" in str(error) and location in str(error)
    assert error.status_code == api.success_status


def test_strict_on_the_client_can_be_lifted_for_one_call(api: ApiCase) -> None:
    name = api.name
    _, path, value, _ = MISMATCHES[name][0]
    client = client_for(api, Recorder(success(api, broken(api, path, value))), strict_responses=True)
    order = client.create_order(**api.call_kwargs(), strict_responses=False)
    assert len(api.errors.response_mismatches(order)) == 1


@pytest.mark.parametrize("body", [b'{"data": {"id": "cut', b"<html><body>Bad gateway</body></html>"])
def test_an_undecodable_success_body_raises_saying_the_request_succeeded(api: ApiCase, body: bytes) -> None:
    recorder = Recorder(lambda request: httpx.Response(api.success_status, content=body))
    with pytest.raises(api.errors.ResponseValidationError) as raised:
        client_for(api, recorder).create_order(**api.call_kwargs())
    assert "succeeded" in str(raised.value)
    assert raised.value.response.content == body and raised.value.body == body.decode()


@pytest.mark.parametrize("payload", [None, [], 3, "created"])
def test_a_success_body_that_is_not_an_object_raises_even_when_lenient(api: ApiCase, payload: Any) -> None:
    # Leniency keeps what matches of an object; null or a list where an order is
    # documented has nothing that matches, and returned as an order it would fail later.
    sent = json.dumps(payload).encode()
    recorder = Recorder(lambda request: httpx.Response(api.success_status, content=sent))
    with pytest.raises(api.errors.ResponseValidationError) as raised:
        client_for(api, recorder).create_order(**api.call_kwargs())
    assert "succeeded" in str(raised.value)
    assert raised.value.response.content == sent


# --- Transport failures: did the request get through? -------------------------------------


@pytest.mark.parametrize("asynchronous", [False, True])
def test_connection_refused_on_a_post_was_not_sent(api: ApiCase, asynchronous: bool) -> None:
    outcome = create_order(api, f"http://127.0.0.1:{free_port()}", asynchronous=asynchronous, client={"max_retries": 0})
    error = outcome.error
    assert type(error) is api.errors.ApiConnectionError
    assert error.request_sent is False
    assert "not sent" in str(error) and "ConnectError" in str(error)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_read_timeout_on_a_post_may_have_been_sent(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    server = fault_server(Reply(api.success_status, b"{}", delay=5))
    outcome = create_order(api, server.url, asynchronous=asynchronous, client={"timeout": 0.3})
    error = outcome.error
    assert type(error) is api.errors.ApiTimeoutError
    assert error.request_sent is True
    assert "may have reached the server" in str(error) and "ReadTimeout" in str(error)
    assert len(server.requests) == 1


def test_a_base_url_without_a_scheme_keeps_httpxs_reason(api: ApiCase) -> None:
    client = api.client("api.example.com/v1", max_retries=3)
    with pytest.raises(api.errors.ApiConnectionError) as raised:
        client.create_order(**api.call_kwargs())
    assert raised.value.request_sent is False
    assert "'http://' or 'https://'" in str(raised.value)


# --- Idempotency keys ------------------------------------------------------------------------


@pytest.fixture
def no_sleep(api: ApiCase, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    waits: list[float] = []
    monkeypatch.setattr(api.package._retries, "backoff", lambda attempt: waits.append(attempt) or 0.0)
    yield waits


@pytest.mark.parametrize("asynchronous", [False, True])
def test_idempotency_header_makes_a_post_retryable_with_one_key(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, no_sleep: list[float]
) -> None:
    ok = Reply(api.success_status, json.dumps(api.success_example).encode(), {"Content-Type": "application/json"})
    server = fault_server([Reply.json(503, {}), Reply(200, b"{}", reset_after=1), ok])
    outcome = create_order(
        api, server.url, asynchronous=asynchronous, client={"idempotency_header": "Idempotency-Key", "timeout": 2}
    )
    assert outcome.error is None, outcome.error
    keys = [seen.headers.get("idempotency-key") for seen in server.requests]
    assert len(keys) == 3 and len(set(keys)) == 1, keys
    assert uuid.UUID(str(keys[0])).version == 4


def test_each_call_gets_a_fresh_key(api: ApiCase) -> None:
    recorder = Recorder(success(api))
    client = client_for(api, recorder, idempotency_header="Idempotency-Key")
    client.create_order(**api.call_kwargs())
    client.create_order(**api.call_kwargs())
    keys = [r.headers["Idempotency-Key"] for r in recorder.requests]
    assert len(set(keys)) == 2


def test_the_callers_key_is_sent_and_makes_the_call_retryable(api: ApiCase, no_sleep: list[float]) -> None:
    replies = iter([answer(503, {}), success(api)])
    recorder = Recorder(lambda request: next(replies)(request))
    client = client_for(api, recorder)
    raw = client.with_raw_response.create_order(**api.call_kwargs(), idempotency_key="order-7781")
    assert [r.headers["Idempotency-Key"] for r in recorder.requests] == ["order-7781", "order-7781"]
    assert raw.retries_taken == 1 and raw.status_code == api.success_status


def test_without_a_key_a_post_is_still_not_repeated(api: ApiCase, no_sleep: list[float]) -> None:
    recorder = Recorder(answer(503, {}))
    with pytest.raises(api.errors.InternalServerError) as raised:
        client_for(api, recorder).create_order(**api.call_kwargs())
    assert len(recorder.requests) == 1 and "idempotency-key" not in recorder.requests[0].headers
    assert raised.value.retries_taken == 0


# --- Timeouts --------------------------------------------------------------------------------


def _timeouts(request: httpx.Request) -> tuple[Any, ...]:
    t = request.extensions["timeout"]
    return t["connect"], t["read"], t["write"], t["pool"]


@pytest.mark.parametrize(
    ("http_client_timeout", "client_timeout", "call_timeout", "expected"),
    [
        ("none", None, None, (10.0, 30.0, 30.0, 30.0)),  # httpx.Client(timeout=None): the default
        (5.0, None, None, (5.0, 5.0, 5.0, 5.0)),  # a finite timeout of the caller's own client
        ("none", 7.0, None, (7.0, 7.0, 7.0, 7.0)),
        (5.0, 7.0, 2.0, (2.0, 2.0, 2.0, 2.0)),
        ("none", httpx.Timeout(None), None, (None, None, None, None)),  # explicitly off
        ("none", 7.0, httpx.Timeout(None), (None, None, None, None)),
    ],
)
def test_every_request_has_a_finite_timeout_unless_turned_off(
    api: ApiCase, http_client_timeout: Any, client_timeout: Any, call_timeout: Any, expected: tuple[Any, ...]
) -> None:
    recorder = Recorder(success(api))
    http_client = recorder.sync(timeout=None if http_client_timeout == "none" else http_client_timeout)
    client = client_for(api, recorder, http_client=http_client, timeout=client_timeout)
    client.create_order(**api.call_kwargs(), timeout=call_timeout)
    assert _timeouts(recorder.requests[0]) == expected


# --- Raw responses ---------------------------------------------------------------------------


def test_raw_response_sync(api: ApiCase) -> None:
    recorder = Recorder(success(api, **{"X-Request-Id": "raw-1", "X-Extra": "yes"}))
    client = client_for(api, recorder)
    raw = client.with_raw_response.create_order(**api.call_kwargs())
    assert raw.status_code == api.success_status
    assert raw.headers["x-extra"] == "yes" and raw.request_id == "raw-1"
    assert isinstance(raw.http_response, httpx.Response) and raw.retries_taken == 0
    assert raw.parse() == client.create_order(**api.call_kwargs())


def test_raw_response_async(api: ApiCase) -> None:
    recorder = Recorder(success(api, **{"X-Request-Id": "raw-2"}))

    async def run() -> tuple[Any, Any]:
        async with api.client(BASE_URL, asynchronous=True, http_client=recorder.asynchronous()) as client:
            raw = await client.with_raw_response.create_order(**api.call_kwargs())
            return raw, await client.create_order(**api.call_kwargs())

    raw, parsed = asyncio.run(run())
    assert raw.status_code == api.success_status and raw.request_id == "raw-2"
    assert raw.parse() == parsed


def test_raw_response_raises_the_same_errors(api: ApiCase) -> None:
    recorder = Recorder(answer(409, {"message": "already exists"}))

    async def run() -> None:
        async with api.client(BASE_URL, asynchronous=True, http_client=recorder.asynchronous()) as client:
            await client.with_raw_response.create_order(**api.call_kwargs())

    with pytest.raises(api.errors.ConflictError):
        client_for(api, recorder).with_raw_response.create_order(**api.call_kwargs())
    with pytest.raises(api.errors.ConflictError):
        asyncio.run(run())


# --- Escape hatches ---------------------------------------------------------------------------


def test_extra_body_and_extra_query_reach_the_wire(api: ApiCase) -> None:
    recorder = Recorder(success(api))
    client = client_for(api, recorder)
    body = api.request_body
    first_key = next(iter(body))
    client.create_order(
        **api.call_kwargs(),
        extra_body={"added_by_vendor": {"n": 1}, first_key: "overridden"},
        extra_query={"dry_run": True, "tag": ["a", "b"]},
    )
    (request,) = recorder.requests
    sent = json.loads(request.content)
    assert sent["added_by_vendor"] == {"n": 1} and sent[first_key] == "overridden"
    assert {k: v for k, v in sent.items() if k not in ("added_by_vendor", first_key)} == {
        k: v for k, v in body.items() if k != first_key
    }
    assert request.url.params.get_list("tag") == ["a", "b"] and request.url.params["dry_run"] == "true"
    assert request.headers["content-type"] == api.request_media_type
