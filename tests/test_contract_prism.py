"""Contract tests: each generated client against Prism serving its own spec.

Prism checks every request the client sends against the spec (route, auth, header
parameters, media type, body) and answers with the documented examples (static mode) or
with random data that fits the schemas (dynamic mode, ``-d``). A request Prism refuses
fails the test with Prism's message. Run these alone with ``make contract``.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_cases import API_NAMES, APIS, STATUS_ERROR_NAMES, ApiCase, all_specs_covered
from repo_paths import SPECS
from servers import (
    NPM_CI_HINT,
    PrismApi,
    PrismMissing,
    PrismServer,
    prism_complaint,
    prism_dynamic,
    prism_static,
)

__all__ = ["prism_dynamic", "prism_static"]  # fixtures, imported to be used here

pytestmark = [pytest.mark.prism, pytest.mark.timeout(180)]

DYNAMIC_SYNC_PARSED = 200  # random responses that fit the spec, parsed by Client
DYNAMIC_ASYNC_PARSED = 50  # and by AsyncClient
MAX_CALLS_FACTOR = 15  # give up after this many calls per response wanted


class Recorder:
    """Keeps every response the client received (and through it, every request sent)."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []

    def sync_hook(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def async_hook(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def sync_client(self) -> httpx.Client:
        return httpx.Client(timeout=30.0, event_hooks={"response": [self.sync_hook]})

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=30.0, event_hooks={"response": [self.async_hook]})

    def complaints(self) -> list[str]:
        found = []
        for response in self.responses:
            complaint = prism_complaint(response)
            if complaint:
                request = response.request
                found.append(f"{request.method} {request.url.path}:\n{complaint}")
        return found

    @property
    def requests(self) -> list[httpx.Request]:
        return [r.request for r in self.responses]


@contextmanager
def accepted_by_prism(recorder: Recorder, what: str) -> Iterator[None]:
    """Fails with Prism's own message when Prism refused any request sent inside (or found
    its own answer off the spec: in static mode that answer is a documented example)."""
    try:
        yield
    except Exception:
        _fail_on_complaints(recorder, what)
        raise
    _fail_on_complaints(recorder, what)


def _fail_on_complaints(recorder: Recorder, what: str) -> None:
    complaints = recorder.complaints()
    if not complaints:
        return
    if any(prism_complaint(r, "request") for r in recorder.responses):
        headline = f"Prism rejected {what}"
    else:
        headline = f"Prism found its answer to {what} off the spec"
    pytest.fail(f"{headline}:\n" + "\n".join(complaints), pytrace=False)


def check_request(prism: PrismApi, request: httpx.Request) -> None:
    """What Prism does not look at closely: the exact media type and the header values."""
    api = prism.api
    assert request.method == api.method
    assert request.url.path == api.path
    assert request.headers["content-type"] == api.request_media_type, (
        f"{api.name}: sent {request.headers['content-type']!r}, " f"the spec declares {api.request_media_type!r}"
    )
    scheme = "Basic " if "password" in api.auth else "Bearer "
    assert request.headers["authorization"].startswith(scheme)
    for name, value in api.header_wire_values.items():
        assert request.headers.get(name) == value, name


def expected_success(result: BaseModel, example: Any) -> BaseModel:
    return type(result).model_validate(example)


# --- Prism itself --------------------------------------------------------------------------


def test_every_spec_has_an_api_case() -> None:
    assert not all_specs_covered(), "add an ApiCase in tests/api_cases.py for each spec"


def test_missing_prism_fails_and_says_npm_ci(tmp_path: Path) -> None:
    server = PrismServer(
        SPECS / "musement.yaml",
        log_path=tmp_path / "prism.log",
        prism=tmp_path / "node_modules" / ".bin" / "prism",
    )
    with pytest.raises(PrismMissing, match="npm ci") as info:
        server.start()
    assert str(tmp_path / "node_modules" / ".bin" / "prism") in str(info.value)
    assert "npm ci" in NPM_CI_HINT


def test_contract_tests_fail_rather_than_skip_without_prism(tmp_path: Path) -> None:
    """End to end: a contract test run where Prism is missing errors out, saying npm ci."""
    missing = tmp_path / "node_modules" / ".bin" / "prism"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{Path(__file__).resolve()}::test_client_without_http_client_talks_to_prism",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "SPECFORGE_PRISM": str(missing)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "npm ci" in output and str(missing) in output, output
    assert "skipped" not in output and "3 errors" in output, output


def test_prism_rejection_fails_the_test_with_prisms_message(prism_static: PrismApi) -> None:
    """The checker works: requests Prism refuses turn into failures that quote Prism."""
    api = prism_static.api
    refusals = {
        "an unsupported media type": {"Content-Type": "text/plain"},
        "a security scheme the spec does not declare": {"Authorization": "Digest x"},
    }
    for what, headers in refusals.items():
        recorder = Recorder()
        with (
            recorder.sync_client() as http,
            api.client(prism_static.url, http_client=http) as client,
        ):
            with pytest.raises(pytest.fail.Exception) as failure:
                with accepted_by_prism(recorder, what):
                    client.create_order(**api.call_kwargs(), extra_headers=headers)
        message = str(failure.value)
        assert f"Prism rejected {what}" in message
        if "Content-Type" in headers:
            assert "content type" in message.lower(), message
        else:
            assert "security scheme" in message.lower(), message


# --- Documented examples ---------------------------------------------------------------------


def test_create_order_sends_each_documented_example(prism_static: PrismApi) -> None:
    api = prism_static.api
    assert api.request_examples, f"{api.name}: the spec documents no request example"
    recorder = Recorder()
    with recorder.sync_client() as http, api.client(prism_static.url, http_client=http) as client:
        for name, example in api.request_examples.items():
            for body in (example, api.models.CreateOrderRequest.model_validate(example)):
                with accepted_by_prism(recorder, f"example {name!r}"):
                    result = client.create_order(body=body, **api.header_kwargs)
                assert isinstance(result, BaseModel)
                assert result == expected_success(result, api.success_example), name
    assert len(recorder.requests) == 2 * len(api.request_examples)
    for request in recorder.requests:
        check_request(prism_static, request)


def test_async_create_order_sends_each_documented_example(prism_static: PrismApi) -> None:
    api = prism_static.api
    recorder = Recorder()

    async def scenario() -> list[BaseModel]:
        results = []
        async with recorder.async_client() as http:
            async with api.client(prism_static.url, asynchronous=True, http_client=http) as client:
                for example in api.request_examples.values():
                    results.append(await client.create_order(body=example, **api.header_kwargs))
        return results

    with accepted_by_prism(recorder, "the documented examples (async)"):
        results = asyncio.run(scenario())
    for result in results:
        assert result == expected_success(result, api.success_example)
    for request in recorder.requests:
        check_request(prism_static, request)


def test_client_without_http_client_talks_to_prism(prism_static: PrismApi) -> None:
    """The default transport (no http_client passed in) is the one consumers use."""
    api = prism_static.api
    with api.client(prism_static.url) as client:
        result = client.create_order(**api.call_kwargs())
    assert result == expected_success(result, api.success_example)


@pytest.mark.parametrize("prism_static", API_NAMES, indirect=True)
def test_default_accept_header_matches_the_documented_response(prism_static: PrismApi) -> None:
    """Without any Accept of the caller's, Prism can answer: the client asks for what the
    spec documents."""
    api = prism_static.api
    recorder = Recorder()
    with recorder.sync_client() as http:
        with api.client(prism_static.url, http_client=http, headers=None) as client:
            with accepted_by_prism(recorder, "the default Accept header"):
                result = client.create_order(**api.call_kwargs())
    assert result == expected_success(result, api.success_example)
    assert api.response_media_type in recorder.requests[0].headers["accept"]


def test_documented_error_statuses_raise_their_typed_errors(prism_static: PrismApi) -> None:
    """Each documented error status (via ``Prefer: code=``) raises its class, body parsed."""
    api = prism_static.api
    documented = {k for k in api.operation["responses"] if not str(k).startswith("2")}
    if not documented:
        # Nothing to provoke: then the package has the usual status classes every package
        # has (issue 12), and invents no others.
        status_classes = {
            name
            for name, value in vars(api.errors).items()
            if isinstance(value, type)
            and issubclass(value, api.errors.ApiStatusError)
            and value not in (api.errors.ApiStatusError, api.errors.UnexpectedStatusError)
        }
        usual = {*STATUS_ERROR_NAMES.values(), "InternalServerError"}
        assert status_classes == usual, f"{api.name} documents no error status"
        return
    assert api.error_cases, documented
    recorder = Recorder()
    failures = []
    with recorder.sync_client() as http, api.client(prism_static.url, http_client=http) as client:
        for case in api.error_cases:
            error_class = getattr(api.errors, case.error_class)
            with accepted_by_prism(recorder, f"the request for status {case.status}"):
                try:
                    client.create_order(**api.call_kwargs(), extra_headers={"Prefer": f"code={case.status}"})
                except api.errors.ApiError as exc:
                    error = exc
                else:
                    failures.append(f"{case.id}: no error raised")
                    continue
            problems = []
            if type(error) is not error_class:
                problems.append(f"raised {type(error).__name__}, expected {case.error_class}")
            if error.status_code != case.status:
                problems.append(f"status_code {error.status_code}")
            if case.model is not None:
                model = getattr(api.models, case.model)
                if not isinstance(error.body, model):
                    problems.append(f"body is {type(error.body).__name__}, not {case.model}")
                elif error.body != model.model_validate(case.example):
                    problems.append(f"body {error.body!r} is not the documented example")
            if error.response is None or error.response.status_code != case.status:
                problems.append("the raw response is not attached")
            elif case.example is not None and error.response.json() != case.example:
                problems.append("the attached response is not what Prism sent")
            if problems:
                failures.append(f"{case.id}: " + "; ".join(problems))
    assert not failures, f"{api.name}:\n" + "\n".join(failures)


# --- Dynamic mode -----------------------------------------------------------------------------


@dataclass
class DynamicTally:
    """Sorts what came back from Prism's dynamic mode.

    Only responses that fit the spec count: Prism checks its own random answers and marks
    the ones that do not fit (json-schema-faker writes, for example, ``"P"`` for a
    ``format: duration`` string) with response violations; for those the client may parse
    or raise ``ResponseValidationError``, nothing else.
    """

    api: ApiCase
    parsed: int = 0
    off_spec: int = 0
    duration_limit: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    bodies: set[bytes] = field(default_factory=set)

    def record(self, response: httpx.Response, outcome: Any) -> None:
        api = self.api
        refused = prism_complaint(response, "request")
        if refused:
            self.failures.append(f"Prism rejected the request:\n{refused}")
            return
        if response.status_code != api.success_status:
            self.failures.append(f"status {response.status_code}: {response.text[:300]}")
            return
        if prism_complaint(response, "response"):
            self.off_spec += 1
            if not isinstance(outcome, (BaseModel, api.errors.ResponseValidationError)):
                self.failures.append(_describe_failure(outcome))
            return
        if isinstance(outcome, BaseModel):
            self.parsed += 1
            self.bodies.add(response.content)
        elif isinstance(outcome, api.errors.ResponseValidationError) and self._duration_limit(response):
            self.duration_limit.append(str(outcome))
        else:
            self.failures.append(_describe_failure(outcome))

    def _duration_limit(self, response: httpx.Response) -> bool:
        """The body fits the spec and parses once its durations are made small."""
        model = getattr(self.api.models, self.api.success_model)
        try:
            model.model_validate(self.api.without_durations(response.json()))
        except (ValueError, ValidationError):
            return False
        return True

    def verdict(self, wanted: int, calls: int) -> None:
        api = self.api
        assert (
            not self.failures
        ), f"{api.name}: {len(self.failures)} of {calls} calls failed; first ones:\n" + "\n".join(self.failures[:5])
        assert self.parsed >= wanted, (
            f"{api.name}: only {self.parsed} of {calls} random responses fit the spec and parsed "
            f"({self.off_spec} did not fit the spec, {len(self.duration_limit)} hit the "
            "duration limit)"
        )
        # Random data indeed: the responses are not all the same document.
        assert len(self.bodies) > self.parsed // 2
        if self.duration_limit:
            pytest.xfail(
                f"{api.name}: {self.parsed} responses parsed, but {len(self.duration_limit)} more "
                f"(of {calls} calls) that fit the spec were refused: an ISO 8601 duration "
                "(format: duration) too large for datetime.timedelta, to which the generator "
                f"maps that format; e.g. {self.duration_limit[0]}"
            )


def _describe_failure(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    body = response.text[:500] if response is not None else ""
    return f"{type(exc).__name__}: {exc}\n  body: {body}"


def test_dynamic_responses_parse(prism_dynamic: PrismApi) -> None:
    api = prism_dynamic.api
    recorder = Recorder()
    tally = DynamicTally(api)
    calls = 0
    with recorder.sync_client() as http, api.client(prism_dynamic.url, http_client=http) as client:
        while tally.parsed < DYNAMIC_SYNC_PARSED and calls < DYNAMIC_SYNC_PARSED * MAX_CALLS_FACTOR:
            calls += 1
            outcome: Any
            try:
                outcome = client.create_order(**api.call_kwargs())
            except Exception as exc:
                outcome = exc
            tally.record(recorder.responses[-1], outcome)
    tally.verdict(DYNAMIC_SYNC_PARSED, calls)


def test_async_dynamic_responses_parse(prism_dynamic: PrismApi) -> None:
    api = prism_dynamic.api
    recorder = Recorder()
    tally = DynamicTally(api)

    async def scenario() -> int:
        calls = 0
        async with recorder.async_client() as http:
            async with api.client(prism_dynamic.url, asynchronous=True, http_client=http) as client:
                while tally.parsed < DYNAMIC_ASYNC_PARSED and calls < DYNAMIC_ASYNC_PARSED * MAX_CALLS_FACTOR:
                    calls += 1
                    outcome: Any
                    try:
                        outcome = await client.create_order(**api.call_kwargs())
                    except Exception as exc:
                        outcome = exc
                    tally.record(recorder.responses[-1], outcome)
        return calls

    calls = asyncio.run(scenario())
    tally.verdict(DYNAMIC_ASYNC_PARSED, calls)


def test_prism_complaint_reads_both_kinds_of_refusal() -> None:
    """Unit check of the refusal detector on Prism's two formats (no Prism needed)."""
    request = httpx.Request("POST", "http://127.0.0.1/x")
    header = httpx.Response(
        401,
        headers={
            "sl-violations": '[{"location":["request"],"severity":"Error","code":401,'
            '"message":"Invalid security scheme used"}]'
        },
        json={"code": "0"},
        request=request,
    )
    problem = httpx.Response(
        422,
        headers={"content-type": "application/problem+json"},
        json={
            "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
            "title": "Invalid request",
            "detail": "Your request is not valid",
            "validation": [{"location": ["body"], "severity": "Error", "message": "bad body"}],
        },
        request=request,
    )
    plain = httpx.Response(400, json=APIS["sitecore_cdp"].success_example, request=request)
    assert "Invalid security scheme used" in (prism_complaint(header) or "")
    assert "bad body" in (prism_complaint(problem) or "")
    assert prism_complaint(plain) is None
