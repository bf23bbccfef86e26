"""Faults: each generated client against a small loopback server of the tests' own.

Every fault ends, within a bounded time, in the documented typed error (with whatever the
server sent attached) or in a parsed model where the body is valid; a POST is sent once
unless the caller opts in to retries (see test_retries.py for those). Also: forward
compatibility of response models, and secrets kept out of reprs, messages and logs.
"""

from __future__ import annotations

import copy
import gzip
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_cases import API_NAMES, APIS, ApiCase, Outcome, create_order
from servers import FaultServer, Reply, fault_server, free_port

__all__ = ["fault_server"]  # the fixture, imported to be used here

pytestmark = pytest.mark.timeout(30)

TIMEOUT = 0.5  # seconds; every client here gets it
BOUND = 5.0  # no single call may take longer than this
MODES = ["sync", "async"]

StartServer = Callable[..., FaultServer]


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest) -> ApiCase:
    return APIS[request.param]


@pytest.fixture(params=MODES)
def asynchronous(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "async")


def call(api: ApiCase, server: FaultServer, asynchronous: bool, *, client: Any = None, **call_kwargs: Any) -> Outcome:
    outcome = create_order(
        api,
        server.url,
        asynchronous=asynchronous,
        client={"timeout": TIMEOUT, **(client or {})},
        call=call_kwargs,
    )
    assert outcome.seconds < BOUND, f"the call took {outcome.seconds:.1f} s"
    return outcome


def raised(outcome: Outcome, error_class: type[BaseException]) -> Any:
    assert outcome.error is not None, f"expected {error_class.__name__}, got {outcome.result!r}"
    assert (
        type(outcome.error) is error_class
    ), f"expected {error_class.__name__}, got {type(outcome.error).__name__}: {outcome.error}"
    return outcome.error


def success_bytes(api: ApiCase) -> bytes:
    return json.dumps(api.success_example).encode()


def success_reply(api: ApiCase, body: bytes | None = None, **kwargs: Any) -> Reply:
    headers = {"Content-Type": api.response_media_type, **kwargs.pop("headers", {})}
    body = success_bytes(api) if body is None else body
    return Reply(status=api.success_status, body=body, headers=headers, **kwargs)


def error_payload(api: ApiCase, status: int) -> Any:
    _, _, example = api.expected_error(status)
    return example if example is not None else {"message": f"status {status}", "code": status}


def check_status_error(api: ApiCase, outcome: Outcome, status: int, sent: bytes) -> Any:
    class_name, model_name, _ = api.expected_error(status)
    error = raised(outcome, getattr(api.errors, class_name))
    assert isinstance(error, api.errors.ApiStatusError)
    assert error.status_code == status
    assert error.response is not None and error.response.status_code == status
    assert error.response.content == sent, "the raw response is not attached"
    model = getattr(api.models, model_name) if model_name else None
    if model is not None and _fits(model, sent):
        assert isinstance(error.body, model)
        assert error.body == model.model_validate_json(sent)
    elif _json_container(sent):
        assert error.body == json.loads(sent), "the decoded JSON is not kept"
    else:
        assert error.body == sent.decode(), "the body text is not kept"
    return error


def _json_container(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data), (dict, list))
    except ValueError:
        return False


def _fits(model: type[BaseModel], data: bytes) -> bool:
    try:
        model.model_validate_json(data)
    except ValueError:
        return False
    return True


# --- Error statuses ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_error_raises_its_typed_error_and_the_post_is_sent_once(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, status: int
) -> None:
    body = json.dumps(error_payload(api, status)).encode()
    server = fault_server(Reply.json(status, body))
    outcome = call(api, server, asynchronous)
    check_status_error(api, outcome, status, body)
    assert len(server.requests) == 1, "a POST was repeated without retry_non_idempotent"


def test_rate_limited_keeps_retry_after_and_is_not_retried_by_default(
    api: ApiCase, asynchronous: bool, fault_server: StartServer
) -> None:
    body = json.dumps(error_payload(api, 429)).encode()
    server = fault_server(Reply.json(429, body, headers={"Retry-After": "7"}))
    outcome = call(api, server, asynchronous)
    error = check_status_error(api, outcome, 429, body)
    assert error.headers["retry-after"] == "7"
    assert len(server.requests) == 1
    assert outcome.seconds < 2, "waited for Retry-After although no retry was allowed"


def test_documented_error_status_raises_its_class(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    statuses = [c.status for c in api.error_cases if c.documented_as != "default"] or [400]
    for status in statuses:
        body = json.dumps(error_payload(api, status)).encode()
        server = fault_server(Reply.json(status, body))
        check_status_error(api, call(api, server, asynchronous), status, body)


# --- Broken responses ------------------------------------------------------------------------


def test_slow_response_times_out(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    server = fault_server(success_reply(api, delay=10))
    outcome = call(api, server, asynchronous)
    error = raised(outcome, api.errors.ApiTimeoutError)
    assert error.request is not None and error.request.url.path == api.path
    assert error.response is None and error.status_code is None
    assert TIMEOUT * 0.9 <= outcome.seconds < TIMEOUT + 2
    assert len(server.requests) == 1


def test_per_call_timeout_overrides_the_client_default(
    api: ApiCase, asynchronous: bool, fault_server: StartServer
) -> None:
    server = fault_server(success_reply(api, delay=10))
    outcome = call(api, server, asynchronous, client={"timeout": 30.0}, timeout=TIMEOUT)
    raised(outcome, api.errors.ApiTimeoutError)
    assert outcome.seconds < TIMEOUT + 2


def test_response_that_stalls_mid_body_times_out(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    server = fault_server(success_reply(api, stall_after=20, delay=10))
    outcome = call(api, server, asynchronous)
    raised(outcome, api.errors.ApiTimeoutError)
    assert len(server.requests) == 1


def test_connection_reset_mid_response(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    server = fault_server(success_reply(api, reset_after=30))
    outcome = call(api, server, asynchronous)
    error = raised(outcome, api.errors.ApiConnectionError)
    assert error.request is not None and error.response is None
    assert isinstance(error.__cause__, httpx.TransportError), "the httpx error is not chained"
    assert len(server.requests) == 1


def test_connection_closed_before_the_announced_length(
    api: ApiCase, asynchronous: bool, fault_server: StartServer
) -> None:
    body = success_bytes(api)
    server = fault_server(success_reply(api, body=body[:40], content_length=len(body)))
    outcome = call(api, server, asynchronous)
    raised(outcome, api.errors.ApiConnectionError)
    assert len(server.requests) == 1


def test_truncated_json(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    body = success_bytes(api)[:-15]
    server = fault_server(success_reply(api, body=body))
    outcome = call(api, server, asynchronous)
    error = raised(outcome, api.errors.ResponseValidationError)
    assert error.status_code == api.success_status
    assert error.response.content == body and error.body == body.decode()
    assert "succeeded" in str(error) and "not JSON" in str(error)


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>upstream went away</p></body></html>"
)


@pytest.mark.parametrize("status", [502, 400])
def test_html_error_page(api: ApiCase, asynchronous: bool, fault_server: StartServer, status: int) -> None:
    server = fault_server(Reply(status, HTML_PAGE, {"Content-Type": "text/html; charset=utf-8"}))
    outcome = call(api, server, asynchronous)
    error = check_status_error(api, outcome, status, HTML_PAGE)
    assert error.body == HTML_PAGE.decode()


def test_html_page_with_a_success_status(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    server = fault_server(Reply(api.success_status, HTML_PAGE, {"Content-Type": "text/html"}))
    error = raised(call(api, server, asynchronous), api.errors.ResponseValidationError)
    assert error.body == HTML_PAGE.decode() and error.response.content == HTML_PAGE


@pytest.mark.parametrize("content_type", ["text/plain", "text/html", "application/octet-stream", None])
def test_wrong_content_type_with_a_valid_body_parses(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    server = fault_server(Reply(api.success_status, success_bytes(api), headers))
    outcome = call(api, server, asynchronous)
    assert outcome.error is None, outcome.error
    assert outcome.result == type(outcome.result).model_validate(api.success_example)


def test_wrong_content_type_on_an_error_status_still_parses_the_error_body(
    api: ApiCase, asynchronous: bool, fault_server: StartServer
) -> None:
    status = next((c.status for c in api.error_cases), 400)
    body = json.dumps(error_payload(api, status)).encode()
    server = fault_server(Reply(status, body, {"Content-Type": "text/plain"}))
    check_status_error(api, call(api, server, asynchronous), status, body)


@pytest.mark.parametrize("which", ["documented-2xx", "other-2xx"])
def test_empty_body_where_a_model_is_expected(
    api: ApiCase, asynchronous: bool, fault_server: StartServer, which: str
) -> None:
    status = api.success_status
    if which == "other-2xx":  # read with the one documented success model
        status = 201 if status == 200 else 200
    server = fault_server(Reply(status, b"", {"Content-Type": api.response_media_type}))
    error = raised(call(api, server, asynchronous), api.errors.ResponseValidationError)
    assert error.status_code == status and error.response.content == b""
    assert "empty" in str(error)


def test_body_that_cannot_be_decoded(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    """A Content-Encoding the body does not have: a typed error, not a raw httpx one."""
    headers = {"Content-Type": api.response_media_type, "Content-Encoding": "gzip"}
    server = fault_server(Reply(api.success_status, b"this is not gzip", headers))
    error = raised(call(api, server, asynchronous), api.errors.ApiConnectionError)
    assert isinstance(error.__cause__, httpx.DecodingError)
    assert len(server.requests) == 1


def test_gzip_body_is_decoded(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    headers = {"Content-Type": api.response_media_type, "Content-Encoding": "gzip"}
    server = fault_server(Reply(api.success_status, gzip.compress(success_bytes(api)), headers))
    outcome = call(api, server, asynchronous)
    assert outcome.result == type(outcome.result).model_validate(api.success_example)


def test_nothing_listening(api: ApiCase, asynchronous: bool) -> None:
    port = free_port()
    outcome = create_order(
        api,
        f"http://127.0.0.1:{port}",
        asynchronous=asynchronous,
        client={"timeout": TIMEOUT, "max_retries": 0},
    )
    error = raised(outcome, api.errors.ApiConnectionError)
    assert error.response is None and error.status_code is None
    assert "connection failed" in str(error)
    assert outcome.seconds < BOUND


# --- Forward compatibility ---------------------------------------------------------------------

# Where each API's success example has an open enum, and the value the vendor might add.
NEW_ENUM_VALUES: dict[str, tuple[tuple[str | int, ...], str]] = {
    "musement": (("status",), "AWAITING_SUPPLIER"),
    "sitecore_cdp": (("status",), "PARTIALLY_REFUNDED"),
    "commercelayer": (("data", "type"), "orders_v2"),
}


def _at(payload: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        payload = payload[part]
    return payload


def _first_nested_object(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    for key, value in payload.items():
        if isinstance(value, dict) and value:
            return key, value
    raise AssertionError("the example has no nested object")


def test_unknown_fields_and_enum_values_parse_and_stay_readable(
    api: ApiCase, asynchronous: bool, fault_server: StartServer
) -> None:
    payload = copy.deepcopy(api.success_example)
    path, new_value = NEW_ENUM_VALUES[api.name]
    *parent_path, last = path
    _at(payload, tuple(parent_path))[last] = new_value
    payload["loyalty_tier"] = {"name": "gold", "points": 1200}
    nested_key, nested = _first_nested_object(payload)
    nested["added_later"] = [1, 2, 3]
    body = json.dumps(payload).encode()
    server = fault_server(success_reply(api, body=body))

    outcome = call(api, server, asynchronous)
    assert outcome.error is None, outcome.error
    result = outcome.result
    assert result.model_extra["loyalty_tier"] == {"name": "gold", "points": 1200}
    nested_model = getattr(result, _attribute_for(result, nested_key))
    assert nested_model.model_extra["added_later"] == [1, 2, 3]
    enum_value = result
    for part in path:
        enum_value = getattr(enum_value, _attribute_for(enum_value, str(part)))
    assert enum_value == new_value and str(enum_value) == new_value
    # What came in goes out again, unknown parts included.
    dumped = json.loads(result.model_dump_json(by_alias=True, exclude_unset=True))
    assert dumped["loyalty_tier"] == payload["loyalty_tier"]
    assert _at(dumped, path) == new_value
    assert dumped[nested_key]["added_later"] == [1, 2, 3]


def _attribute_for(model: BaseModel, wire_name: str) -> str:
    for name, info in type(model).model_fields.items():
        if wire_name in (name, info.alias):
            return name
    raise AssertionError(f"{type(model).__name__} has no field {wire_name!r}")


def test_unknown_fields_in_an_error_body_are_kept(api: ApiCase, asynchronous: bool, fault_server: StartServer) -> None:
    status = next((c.status for c in api.error_cases), None)
    if status is None:
        status = 422  # no documented error body: the text is kept whole
    payload = {**error_payload(api, status), "trace_id": "abc-123"}
    body = json.dumps(payload).encode()
    server = fault_server(Reply.json(status, body))
    error = check_status_error(api, call(api, server, asynchronous), status, body)
    if isinstance(error.body, BaseModel):
        assert error.body.model_extra["trace_id"] == "abc-123"
    else:
        assert error.body["trace_id"] == "abc-123"


# --- Secrets ---------------------------------------------------------------------------------


def _secret_problems(api: ApiCase, texts: dict[str, str]) -> list[str]:
    return [
        f"{where} shows a secret: {text[:300]!r}"
        for where, text in texts.items()
        for secret in api.secrets
        if secret in text
    ]


def test_secrets_stay_out_of_reprs_errors_and_logs(
    api: ApiCase,
    asynchronous: bool,
    fault_server: StartServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(api.package._retries, "backoff", lambda attempt: 0.0)  # retry at once
    for name in (api.name, "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    texts: dict[str, str] = {}

    client = api.client("http://127.0.0.1:9")
    async_client = api.client("http://127.0.0.1:9", asynchronous=True)
    texts["repr(Client)"] = repr(client) + str(client)
    texts["repr(AsyncClient)"] = repr(async_client) + str(async_client)
    texts["repr(client.__dict__)"] = repr(vars(client)) + repr(vars(client._transport))
    client.close()

    unauthorised = json.dumps(error_payload(api, 401)).encode()
    scenarios: dict[str, tuple[Any, dict[str, Any]]] = {
        "401": (Reply.json(401, unauthorised), {}),
        "503 retried": (
            [Reply.json(503, b"{}"), Reply.json(503, b"{}")],
            {"retry_non_idempotent": True, "max_retries": 1},
        ),
        "timeout": (success_reply(api, delay=10), {}),
        "reset": (success_reply(api, reset_after=10), {}),
        "bad body": (success_reply(api, body=b"{not json"), {}),
    }
    for what, (script, call_kwargs) in scenarios.items():
        server = fault_server(script)
        outcome = call(api, server, asynchronous, **call_kwargs)
        error = outcome.error
        assert isinstance(error, api.errors.ApiError), (what, error)
        auth = server.requests[0].headers["authorization"]
        assert any(secret in auth for secret in api.secrets), "the credential was not even sent"
        texts[f"str({what} error)"] = str(error)
        texts[f"repr({what} error)"] = repr(error)
        texts[f"{what} error args"] = repr(error.args)
        if error.__cause__ is not None:
            texts[f"{what} cause"] = f"{error.__cause__!s} {error.__cause__!r}"
        if error.request is not None:
            texts[f"repr({what} request)"] = repr(error.request) + repr(error.request.headers)

    # Start a connection that fails to connect, to log that path as well.
    create_order(
        api,
        f"http://127.0.0.1:{free_port()}",
        asynchronous=asynchronous,
        client={"timeout": TIMEOUT, "max_retries": 0},
    )

    loggers = {record.name.split(".")[0] for record in caplog.records}
    assert api.name in loggers and "httpcore" in loggers, loggers  # the logs were captured
    for index, record in enumerate(caplog.records):
        texts[f"log record {index} ({record.name})"] = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
    texts["caplog.text"] = caplog.text
    assert not _secret_problems(api, texts), "\n".join(_secret_problems(api, texts))


def test_secret_detector_catches_a_leak(api: ApiCase) -> None:
    """The check above can fail: a text that carries each secret is flagged."""
    for secret in api.secrets:
        assert _secret_problems(api, {"leak": f"Authorization: x {secret}"})
