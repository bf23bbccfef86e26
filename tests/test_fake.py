"""Each generated package's ``testing.FakeApi``: it serves the spec's documented examples and
errors, refuses requests the API would refuse (naming the operation and the problem), and
drives its own client's retry, timeout and error paths.

What to expect is read from the spec (``api_cases``), not written here: the success example,
each documented error status with its example body and error class, the request media type.
The runtime's sleeps are recorded instead of slept, as in tests/test_retries.py.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_cases import API_NAMES, APIS, ApiCase
from repo_paths import GENERATED

pytestmark = pytest.mark.timeout(60)

# A body each API's request model refuses, and the words the refusal must contain.
MALFORMED_BODIES: dict[str, tuple[Callable[[Any], None], tuple[str, ...]]] = {
    "musement": (lambda body: body.update(email_notification="SOMETIMES"), ("email_notification", "'ALL'")),
    "sitecore_cdp": (lambda body: body.update(orderedAt="yesterday"), ("orderedAt", "datetime")),
    # type has one allowed value, so it defaults to it: only a wrong value can spoil it.
    "commercelayer": (lambda body: body["data"].update(type="customers"), ("data.type", "orders")),
}


# An error body every API's error models accept (a model, where one applies, needs both).
BUSY = {"code": "503", "message": "busy"}


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest) -> ApiCase:
    return APIS[request.param]


@pytest.fixture(params=["sync", "async"])
def asynchronous(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "async")


@pytest.fixture
def testing(api: ApiCase) -> ModuleType:
    return importlib.import_module(f"{api.name}.testing")


@pytest.fixture
def sleeps(api: ApiCase, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The waits of this package's runtime, recorded instead of slept."""
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(api.http, "time", SimpleNamespace(sleep=waits.append, time=time.time))
    monkeypatch.setattr(api.http, "asyncio", SimpleNamespace(sleep=async_sleep))
    yield waits


def create_order(fake: Any, api: ApiCase, asynchronous: bool, client: dict[str, Any] | None = None, **call: Any) -> Any:
    """One create_order call through the fake's own client; returns the result or raises."""
    kwargs = {**api.call_kwargs(), **call}
    if asynchronous:

        async def run() -> Any:
            async with fake.async_client(**(client or {})) as c:
                return await c.create_order(**kwargs)

        return asyncio.run(run())
    with fake.client(**(client or {})) as c:
        return c.create_order(**kwargs)


def raw_client(fake: Any) -> httpx.Client:
    """An httpx client on the fake, at the base URL the package's own client uses, with
    nothing the generated client would add: requests the client would never send."""
    with fake.client() as client:
        base_url = client.base_url
    return httpx.Client(transport=fake, base_url=base_url)


def valid_headers(api: ApiCase, testing: ModuleType) -> dict[str, str]:
    """Headers the real client sends: credentials and the request media type."""
    fake = testing.FakeApi()
    create_order(fake, api, False)
    sent = fake.calls("create_order")[0].request.headers
    return {"Authorization": sent["Authorization"], "Content-Type": sent["Content-Type"]}


# --- documented answers --------------------------------------------------------------------


def test_the_success_example_is_served_by_default(api: ApiCase, testing: ModuleType, asynchronous: bool) -> None:
    fake = testing.FakeApi()
    result = create_order(fake, api, asynchronous)
    model = getattr(api.models, api.success_model)
    assert result == model.model_validate(api.success_example)
    (call,) = fake.calls("create_order")
    assert call.request.method == api.method and call.request.url.path.endswith(api.path)
    assert call.request.headers["Content-Type"] == api.request_media_type
    assert call.json == api.request_body


def test_the_recorded_body_is_the_parsed_request_model(api: ApiCase, testing: ModuleType) -> None:
    fake = testing.FakeApi()
    create_order(fake, api, False)
    (call,) = fake.calls("create_order")
    request_model = testing.OPERATIONS[0].request_model
    assert isinstance(call.body, request_model)
    assert call.body == request_model.model_validate(api.request_body)


def test_each_documented_error_is_served_with_its_example(
    api: ApiCase, testing: ModuleType, asynchronous: bool
) -> None:
    documented = [case for case in api.error_cases if case.documented_as.isdigit()]
    defaults = [case for case in api.error_cases if case.documented_as == "default"]
    if not documented + defaults:
        pytest.skip(f"{api.name} documents no error response")
    for case in documented + defaults:
        fake = testing.FakeApi().respond("create_order", status=case.status)
        with pytest.raises(api.package.errors.ApiStatusError) as caught:
            create_order(fake, api, asynchronous)
        assert type(caught.value).__name__ == case.error_class, case.status
        assert caught.value.status_code == case.status
        expected = case.example if case.model is None else getattr(api.models, case.model).model_validate(case.example)
        assert caught.value.body == expected, case.status


def test_a_given_body_or_model_replaces_the_example(api: ApiCase, testing: ModuleType) -> None:
    model = getattr(api.models, api.success_model).model_validate(api.success_example)
    fake = testing.FakeApi().respond("create_order", body=model)
    assert create_order(fake, api, False) == model
    fake = testing.FakeApi().respond("create_order", status=418, body={"code": "418", "message": "I'm a teapot"})
    with pytest.raises(api.package.errors.ApiStatusError) as caught:
        create_order(fake, api, False)
    assert caught.value.status_code == 418 and "teapot" in str(caught.value.body)


def test_a_given_body_must_fit_the_documented_model(api: ApiCase, testing: ModuleType) -> None:
    """Test data cannot drift from the spec, unless the test asks for a body that breaks it."""
    fake = testing.FakeApi()
    with pytest.raises(ValueError, match=rf"body of create_order does not match {api.success_model}: "):
        fake.respond("create_order", body=["not", "an", "object"])
    with pytest.raises(TypeError, match=rf"create_order answers \d+ with {api.success_model}, not "):
        fake.respond("create_order", body=testing.OPERATIONS[0].request_model.model_validate(api.request_body))
    fake.respond("create_order", body=["not", "an", "object"], check=False)
    with raw_client(fake) as client:
        answer = client.post(api.path.lstrip("/"), json=api.request_body, headers=valid_headers(api, testing))
    assert answer.json() == ["not", "an", "object"]


def test_an_undocumented_status_needs_a_body(testing: ModuleType) -> None:
    fake = testing.FakeApi()
    if fake.operation("create_order").response_for(418) is not None:
        pytest.skip("a default response documents every status")
    with pytest.raises(ValueError, match="create_order documents no 418 response"):
        fake.respond("create_order", status=418)


def test_an_unknown_operation_is_named_with_the_known_ones(testing: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"no operation 'create_ordr' in this API \(operations: create_order\)"):
        testing.FakeApi().respond("create_ordr", status=201)
    with pytest.raises(ValueError, match="create_ordr"):
        testing.FakeApi().calls("create_ordr")


# --- requests the API would refuse ---------------------------------------------------------


def test_a_body_the_model_refuses_names_the_operation_and_the_field(api: ApiCase, testing: ModuleType) -> None:
    spoil, words = MALFORMED_BODIES[api.name]
    body = copy.deepcopy(api.request_body)
    spoil(body)
    fake = testing.FakeApi()
    with raw_client(fake) as client, pytest.raises(testing.RejectedRequest) as caught:
        client.post(api.path.lstrip("/"), json=body, headers=valid_headers(api, testing))
    message = str(caught.value)
    assert message.startswith("create_order: the body does not match ")
    for word in words:
        assert word in message
    assert fake.calls() == [] and fake.rejected == [caught.value]


def test_an_unknown_field_is_refused(api: ApiCase, testing: ModuleType) -> None:
    body = {**api.request_body, "no_such_field": 1}
    with raw_client(testing.FakeApi()) as client, pytest.raises(testing.RejectedRequest) as caught:
        client.post(api.path.lstrip("/"), json=body, headers=valid_headers(api, testing))
    assert "no_such_field: Extra inputs are not permitted" in str(caught.value)


def test_a_wrong_media_type_is_refused(api: ApiCase, testing: ModuleType) -> None:
    headers = {**valid_headers(api, testing), "Content-Type": "text/plain"}
    with raw_client(testing.FakeApi()) as client, pytest.raises(testing.RejectedRequest) as caught:
        client.post(api.path.lstrip("/"), json=api.request_body, headers=headers)
    assert str(caught.value) == (
        f"create_order: the body is sent as 'text/plain', but the spec expects '{api.request_media_type}'"
    )


def test_missing_and_wrong_credentials_are_refused(api: ApiCase, testing: ModuleType) -> None:
    (scheme,) = testing.FakeApi.SCHEMES
    expected = "Bearer" if scheme.kind == "bearer" else "Basic"
    other = "Basic dXNlcjpwdw==" if expected == "Bearer" else "Bearer token"
    headers = valid_headers(api, testing)
    with raw_client(testing.FakeApi()) as client:
        with pytest.raises(testing.RejectedRequest) as missing:
            client.post(api.path.lstrip("/"), json=api.request_body, headers={"Content-Type": headers["Content-Type"]})
        with pytest.raises(testing.RejectedRequest) as wrong:
            client.post(api.path.lstrip("/"), json=api.request_body, headers={**headers, "Authorization": other})
    assert f"{scheme.name} expects an 'Authorization: {expected} ...' header, and none was sent" in str(missing.value)
    assert f"{scheme.name} expects 'Authorization: {expected} ...', got the {other.split()[0]} scheme" in str(
        wrong.value
    )


def test_a_refusal_passes_through_the_client_untouched(api: ApiCase, testing: ModuleType, asynchronous: bool) -> None:
    """The generated client neither retries a refusal nor turns it into an ApiError."""
    fake = testing.FakeApi()
    with pytest.raises(testing.RejectedRequest, match="create_order: the body is sent as 'text/plain'"):
        create_order(fake, api, asynchronous, extra_headers={"Content-Type": "text/plain"})
    assert len(fake.rejected) == 1


def test_an_unknown_route_and_a_wrong_method_are_refused(api: ApiCase, testing: ModuleType) -> None:
    with raw_client(testing.FakeApi()) as client:
        with pytest.raises(testing.RejectedRequest) as unknown:
            client.post("no/such/path", json={})
        with pytest.raises(testing.RejectedRequest) as method:
            client.delete(api.path.lstrip("/"))
    assert f"no operation of the spec matches (it documents {api.method} {api.path})" in str(unknown.value)
    assert str(method.value).endswith(f"the path is documented only for {api.method} (create_order)")


# --- the client's retry, timeout and error paths ---------------------------------------------


def test_a_failed_connection_is_retried(
    api: ApiCase, testing: ModuleType, asynchronous: bool, sleeps: list[float]
) -> None:
    fake = testing.FakeApi().respond("create_order", error="connect").respond("create_order")
    result = create_order(fake, api, asynchronous)
    assert type(result).__name__ == api.success_model
    assert len(fake.calls("create_order")) == 2 and len(sleeps) == 1


def test_a_sequence_of_answers_is_served_in_order(
    api: ApiCase, testing: ModuleType, asynchronous: bool, sleeps: list[float]
) -> None:
    """503 then success, honouring Retry-After, when the caller opts in to repeating a POST."""
    fake = testing.FakeApi()
    fake.respond("create_order", status=503, body=BUSY, headers={"Retry-After": "3"})
    fake.respond("create_order")
    result = create_order(fake, api, asynchronous, retry_non_idempotent=True)
    assert type(result).__name__ == api.success_model
    assert len(fake.calls()) == 2 and sleeps == [3.0]
    assert create_order(fake, api, asynchronous) == result  # the last answer repeats


def test_a_post_that_may_have_arrived_is_not_repeated(
    api: ApiCase, testing: ModuleType, asynchronous: bool, sleeps: list[float]
) -> None:
    fake = testing.FakeApi().respond("create_order", status=503, body=BUSY).respond("create_order")
    with pytest.raises(api.package.errors.ApiStatusError) as caught:
        create_order(fake, api, asynchronous)
    assert caught.value.status_code == 503
    assert len(fake.calls()) == 1 and sleeps == []


@pytest.mark.parametrize(
    ("error", "calls", "error_class"),
    [
        ("timeout", 1, "ApiTimeoutError"),  # sent: a POST is not repeated
        ("disconnect", 1, "ApiConnectionError"),
        ("connect_timeout", 3, "ApiTimeoutError"),  # never sent: retried up to max_retries
        ("connect", 3, "ApiConnectionError"),
    ],
)
def test_transport_failures(
    api: ApiCase,
    testing: ModuleType,
    asynchronous: bool,
    sleeps: list[float],
    error: str,
    calls: int,
    error_class: str,
) -> None:
    fake = testing.FakeApi().respond("create_order", error=error)
    with pytest.raises(getattr(api.package.errors, error_class)) as caught:
        create_order(fake, api, asynchronous, client={"max_retries": 2})
    assert type(caught.value).__name__ == error_class
    assert len(fake.calls()) == calls and len(sleeps) == calls - 1


def test_a_given_httpx_error_is_raised_as_is(api: ApiCase, testing: ModuleType, sleeps: list[float]) -> None:
    fake = testing.FakeApi().respond("create_order", error=httpx.ReadError("connection reset"))
    with pytest.raises(api.package.errors.ApiConnectionError) as caught:
        create_order(fake, api, False)
    assert isinstance(caught.value.__cause__, httpx.ReadError)


# --- the package ---------------------------------------------------------------------------


def test_the_package_does_not_import_its_testing_module(api: ApiCase) -> None:
    code = (
        f"import sys, {api.name}\nfor name in ('testing', '_fake'):\n    assert '{api.name}.' + name not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=GENERATED, check=True, timeout=60)


def test_the_readme_tests_pass_against_the_fake(api: ApiCase, sleeps: list[float]) -> None:
    """Every pytest test in the README's testing section, run with a fresh fake."""
    readme = (GENERATED / api.name / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your code against a fake of the API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, f"{api.name}/README.md", "exec"), namespace)
    tests = {name: value for name, value in namespace.items() if name.startswith("test_")}
    documented = [case for case in api.error_cases if case.documented_as.isdigit()]
    assert len(tests) == 3 + len(documented) + any(c.documented_as == "default" for c in api.error_cases)
    for test in tests.values():
        test(namespace["FakeApi"]())
