"""Each generated client builds the request the spec describes and reads what comes back.

Requests go through ``httpx.MockTransport``: the tests see exactly what would be sent.
The payloads are the documentation pages' own examples (tests/fixtures/<api>/).
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
from api_cases import (
    API_NAMES,
    COMMERCELAYER_TOKEN,
    MUSEMENT_TOKEN,
    SITECORE_PASSWORD,
    SITECORE_USER,
    ApiCase,
)
from api_cases import APIS as CASES
from repo_paths import FIXTURES


@dataclass
class Api:
    """One API of the shared table (tests/api_cases.py), with what its documentation page,
    not its spec, says a request looks like: the URL and the Authorization header."""

    case: ApiCase
    expected_url: str
    expected_auth: str
    call_arguments: dict[str, Any] = field(default_factory=dict)
    expected_headers: dict[str, str] = field(default_factory=dict)

    @property
    def package(self) -> str:
        return self.case.name

    @property
    def credentials(self) -> dict[str, Any]:
        return {**self.case.auth, **self.case.client_kwargs}

    @property
    def media_type(self) -> str:
        return self.case.request_media_type

    @property
    def success_status(self) -> int:
        return self.case.success_status

    @property
    def module(self) -> ModuleType:
        return self.case.package


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


APIS = [
    Api(
        CASES["musement"],
        expected_url="https://sandbox.musement.com/api/v3/orders",
        expected_auth=f"Bearer {MUSEMENT_TOKEN}",
        call_arguments={"x_musement_version": "3.4.0", "accept_language": "en-US"},
        expected_headers={"X-Musement-Version": "3.4.0", "Accept-Language": "en-US"},
    ),
    Api(
        CASES["sitecore_cdp"],
        expected_url="https://api-engage-eu.sitecorecloud.io/v2.1/orders",
        expected_auth=_basic(SITECORE_USER, SITECORE_PASSWORD),
    ),
    Api(
        CASES["commercelayer"],
        expected_url=f"https://{CASES['commercelayer'].client_kwargs['organization']}.commercelayer.io/api/orders",
        expected_auth=f"Bearer {COMMERCELAYER_TOKEN}",
    ),
]


def test_every_api_has_its_documented_request() -> None:
    assert sorted(api.package for api in APIS) == API_NAMES


_TEMPORAL = pydantic.TypeAdapter(datetime.datetime | datetime.date | datetime.timedelta)


def same_json(dumped: Any, original: Any) -> bool:
    """Equal as JSON values, where a date, time or duration may be spelt differently
    ('2018-01-01T12:00:00.000Z' and '2018-01-01T12:00:00Z' are the same instant)."""
    if isinstance(dumped, dict) and isinstance(original, dict):
        return dumped.keys() == original.keys() and all(same_json(dumped[k], original[k]) for k in dumped)
    if isinstance(dumped, list) and isinstance(original, list):
        return len(dumped) == len(original) and all(map(same_json, dumped, original))
    if isinstance(dumped, str) and isinstance(original, str) and dumped != original:
        try:
            return bool(_TEMPORAL.validate_python(dumped) == _TEMPORAL.validate_python(original))
        except pydantic.ValidationError:
            return False
    return bool(dumped == original)


def _fixture(api: Api, name: str) -> Any:
    return json.loads((FIXTURES / api.package / name).read_text(encoding="utf-8"))


def _request_fixtures(api: Api) -> list[str]:
    return sorted(p.name for p in (FIXTURES / api.package).glob("request*.json"))


def _recorder(
    status: int, payload: Any, seen: list[httpx.Request], content_type: str = "application/json"
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=json.dumps(payload).encode(), headers={"Content-Type": content_type})

    return httpx.MockTransport(handler)


def _client(api: Api, transport: httpx.MockTransport) -> Any:
    return api.module.Client(**api.credentials, http_client=httpx.Client(transport=transport))


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.package)
def test_create_order_sends_what_the_spec_describes(api: Api) -> None:
    success = _fixture(api, f"response-{api.success_status}.json")
    for fixture_name in _request_fixtures(api):
        seen: list[httpx.Request] = []
        client = _client(api, _recorder(api.success_status, success, seen))
        body = _fixture(api, fixture_name)
        client.create_order(body=body, **api.call_arguments)
        (request,) = seen
        assert request.method == "POST"
        assert str(request.url) == api.expected_url
        assert request.headers["Authorization"] == api.expected_auth
        assert request.headers["Content-Type"] == api.media_type
        for name, value in api.expected_headers.items():
            assert request.headers[name] == value
        assert json.loads(request.content) == body, fixture_name


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.package)
def test_documented_success_response_parses_and_round_trips(api: Api) -> None:
    payload = _fixture(api, f"response-{api.success_status}.json")
    client = _client(api, _recorder(api.success_status, payload, []))
    result = client.create_order(body=_fixture(api, "request.json"), **api.call_arguments)
    assert isinstance(result, pydantic.BaseModel)
    assert same_json(json.loads(result.model_dump_json(exclude_unset=True)), payload)


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.package)
def test_async_client_mirrors_the_sync_client(api: Api) -> None:
    payload = _fixture(api, f"response-{api.success_status}.json")
    seen: list[httpx.Request] = []
    transport = _recorder(api.success_status, payload, seen)

    async def run() -> Any:
        async with api.module.AsyncClient(
            **api.credentials, http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            return await client.create_order(body=_fixture(api, "request.json"), **api.call_arguments)

    result = asyncio.run(run())
    assert same_json(json.loads(result.model_dump_json(exclude_unset=True)), payload)
    assert seen[0].headers["Authorization"] == api.expected_auth


def _error_fixtures() -> list[tuple[Api, str]]:
    cases = []
    for api in APIS:
        for path in sorted((FIXTURES / api.package).glob("response-*.json")):
            status = path.stem.split("-")[1]
            if not status.startswith("2"):
                cases.append((api, path.name))
    return cases


@pytest.mark.parametrize(("api", "fixture_name"), _error_fixtures(), ids=lambda v: getattr(v, "package", v))
def test_documented_error_raises_its_typed_error_with_the_parsed_body(api: Api, fixture_name: str) -> None:
    status_text = fixture_name.split("-")[1].split(".")[0]
    status = 500 if status_text == "default" else int(status_text)
    payload = _fixture(api, fixture_name)
    client = _client(api, _recorder(status, payload, []))
    errors = api.module.errors
    with pytest.raises(errors.ApiStatusError) as raised:
        client.create_order(body=_fixture(api, "request.json"), **api.call_arguments)
    error = raised.value
    assert error.status_code == status
    assert isinstance(error.body, pydantic.BaseModel), f"body not parsed: {error.body!r}"
    assert same_json(json.loads(error.body.model_dump_json(exclude_unset=True)), payload)
    assert error.response.status_code == status
    # A 500 under `default` is not listed by status; a status listed by number is.
    assert error.documented is (status_text != "default")
    assert type(error).__name__ != "UnexpectedStatusError"


@pytest.mark.parametrize(
    ("status", "class_name"),
    [(400, "BadRequestError"), (401, "AuthenticationError"), (409, "ConflictError")],
)
def test_sitecore_error_statuses_map_to_named_classes(status: int, class_name: str) -> None:
    api = APIS[1]
    client = _client(api, _recorder(status, _fixture(api, f"response-{status}.json"), []))
    with pytest.raises(getattr(api.module.errors, class_name)):
        client.create_order(body=_fixture(api, "request.json"))


def test_undocumented_status_keeps_the_raw_text() -> None:
    api = APIS[1]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(418, text="<html>teapot</html>", headers={"Content-Type": "text/html"})

    client = _client(api, httpx.MockTransport(handler))
    with pytest.raises(api.module.errors.UnexpectedStatusError) as raised:
        client.create_order(body=_fixture(api, "request.json"))
    assert raised.value.body == "<html>teapot</html>"
    assert raised.value.status_code == 418


def test_models_accept_snake_case_and_wire_names_and_send_wire_names() -> None:
    sitecore = importlib.import_module("sitecore_cdp")
    by_attribute = sitecore.models.CreateOrderRequest(
        reference_id="R-1", ordered_at="2024-01-01T16:17:16Z", currency_code="EUR", price=10
    )
    by_wire = sitecore.models.CreateOrderRequest.model_validate(
        {"referenceId": "R-1", "orderedAt": "2024-01-01T16:17:16Z", "currencyCode": "EUR", "price": 10}
    )
    assert by_attribute == by_wire
    assert json.loads(by_attribute.model_dump_json(exclude_unset=True)) == {
        "referenceId": "R-1",
        "orderedAt": "2024-01-01T16:17:16Z",
        "currencyCode": "EUR",
        "price": 10.0,
    }


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.package)
def test_request_models_refuse_unknown_fields_before_sending(api: Api) -> None:
    seen: list[httpx.Request] = []
    client = _client(api, _recorder(api.success_status, {}, seen))
    body = dict(_fixture(api, "request.json"))
    body["no_such_field"] = 1
    with pytest.raises(pydantic.ValidationError):
        client.create_order(body=body, **api.call_arguments)
    assert seen == []


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.package)
def test_response_models_keep_unknown_fields(api: Api) -> None:
    payload = dict(_fixture(api, f"response-{api.success_status}.json"))
    payload["added_by_the_vendor_later"] = {"x": 1}
    client = _client(api, _recorder(api.success_status, payload, []))
    result = client.create_order(body=_fixture(api, "request.json"), **api.call_arguments)
    assert result.model_extra["added_by_the_vendor_later"] == {"x": 1}


def test_response_enums_accept_values_the_spec_does_not_list() -> None:
    sitecore = importlib.import_module("sitecore_cdp")
    payload = dict(_fixture(APIS[1], "response-201.json"))
    payload["status"] = "SOMETHING_NEW"
    order = sitecore.models.Order.model_validate_json(json.dumps(payload))
    assert order.status is not None and order.status.value == "SOMETHING_NEW"
    assert json.loads(order.model_dump_json(exclude_unset=True))["status"] == "SOMETHING_NEW"


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda m: m.Client(token="t", organization="shop"), "https://shop.commercelayer.io"),
        (lambda m: m.Client(token="t", base_url="http://127.0.0.1:9"), "http://127.0.0.1:9"),
    ],
)
def test_base_url_comes_from_server_variables_or_the_caller(build: Callable[[ModuleType], Any], expected: str) -> None:
    client = build(importlib.import_module("commercelayer"))
    assert client.base_url == expected


def test_per_call_headers_and_timeout_are_applied() -> None:
    api = APIS[0]
    seen: list[httpx.Request] = []
    client = _client(api, _recorder(200, _fixture(api, "response-200.json"), seen))
    client.create_order(body=_fixture(api, "request.json"), extra_headers={"X-Trace": "abc"}, timeout=3.5)
    assert seen[0].headers["X-Trace"] == "abc"
    assert seen[0].extensions["timeout"]["read"] == 3.5


def test_secrets_stay_out_of_repr_and_errors() -> None:
    api = APIS[1]
    client = _client(api, _recorder(401, _fixture(api, "response-401.json"), []))
    secrets = api.case.secrets
    assert not [secret for secret in secrets if secret in repr(client)]
    with pytest.raises(api.module.errors.AuthenticationError) as raised:
        client.create_order(body=_fixture(api, "request.json"))
    text = str(raised.value) + repr(raised.value)
    assert not [secret for secret in secrets if secret in text]


def test_same_json_tells_different_values_apart() -> None:
    assert same_json({"at": "2018-01-01T12:00:00.000Z"}, {"at": "2018-01-01T12:00:00Z"})
    assert not same_json({"at": "2018-01-01T12:00:01Z"}, {"at": "2018-01-01T12:00:00Z"})
    assert not same_json({"name": "a"}, {"name": "b"})
    assert not same_json({"a": 1}, {"a": 1, "b": 2})


@pytest.mark.parametrize(
    "organization",
    ["evil.example/#", "evil.example", "acme@evil.example", "acme:8443", "acme/x", "ac me", "", "-acme"],
)
def test_a_hostile_organization_is_refused_before_anything_is_sent(organization: str) -> None:
    """`Client(organization="evil.example/#")` would otherwise send the token to evil.example."""
    seen: list[httpx.Request] = []
    commercelayer = importlib.import_module("commercelayer")
    with pytest.raises(ValueError, match="organization="):
        commercelayer.Client(
            token=COMMERCELAYER_TOKEN,
            organization=organization,
            http_client=httpx.Client(transport=_recorder(201, {}, seen)),
        )
    assert seen == []


def test_the_placeholder_organization_must_be_given_unless_base_url_is() -> None:
    commercelayer = importlib.import_module("commercelayer")
    with pytest.raises(ValueError, match="organization= is required"):
        commercelayer.Client(token="t")
    with pytest.raises(ValueError, match="organization= is required"):
        commercelayer.AsyncClient(token="t")
    assert commercelayer.Client(token="t", base_url="https://acme.commercelayer.io").base_url == (
        "https://acme.commercelayer.io"
    )
