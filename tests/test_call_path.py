"""The parts of a request a client works out once per operation (URL, headers, credentials)
stay the client's own, and nothing one call asks for reaches the next.

The runtime keeps, per client and operation, what every call of it shares; these tests
make sure that sharing never shows: a call's own options stay with that call, two
clients of the same package never see each other's base URL or token, and the request
is the one the same call sends on a fresh client.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import musement
from repo_paths import FIXTURES

REQUEST = json.loads((FIXTURES / "musement" / "request.json").read_text(encoding="utf-8"))
RESPONSE = (FIXTURES / "musement" / "response-200.json").read_bytes()


def _client(seen: list[httpx.Request], **kwargs: Any) -> musement.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=RESPONSE, headers={"Content-Type": "application/json"})

    kwargs.setdefault("token", "secret-token")
    return musement.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)


def _sent(request: httpx.Request) -> tuple[str, str, list[tuple[str, str]], bytes]:
    return request.method, str(request.url), list(request.headers.multi_items()), request.content


def test_a_calls_own_options_do_not_reach_the_next_call() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen, idempotency_header="Idempotency-Key")
    client.create_order(body=REQUEST, x_musement_version="3.4.0")
    client.create_order(
        body=REQUEST,
        accept_language="it-IT",
        extra_headers={"X-Trace": "abc", "accept": "application/problem+json"},
        extra_query={"debug": "1"},
        extra_body={"note": "first"},
        idempotency_key="given-key",
    )
    client.create_order(body=REQUEST, x_musement_version="3.4.0")

    fresh: list[httpx.Request] = []
    _client(fresh, idempotency_header="Idempotency-Key").create_order(body=REQUEST, x_musement_version="3.4.0")

    first, special, last = seen
    assert special.headers["X-Trace"] == "abc"
    assert special.headers.get_list("accept") == ["application/problem+json"]
    assert special.headers["Idempotency-Key"] == "given-key"
    assert special.url.params["debug"] == "1"
    assert json.loads(special.content)["note"] == "first"
    for plain in (first, last):
        assert "X-Trace" not in plain.headers
        assert "Accept-Language" not in plain.headers
        assert plain.headers["Accept"] == "application/json"
        assert "debug" not in plain.url.params
        assert "note" not in json.loads(plain.content)
        assert plain.headers["Idempotency-Key"] not in ("given-key", "")
    # Every plain call gets a fresh key; apart from it, each is the request a fresh client sends.
    keys = {r.headers["Idempotency-Key"] for r in (first, last, fresh[0])}
    assert len(keys) == 3
    without_key = [
        (m, u, [(k, v) for k, v in h if k.lower() != "idempotency-key"], c) for m, u, h, c in map(_sent, seen + fresh)
    ]
    assert without_key[0] == without_key[2] == without_key[3]


def test_clients_of_one_package_keep_their_own_url_and_credentials() -> None:
    seen_a: list[httpx.Request] = []
    seen_b: list[httpx.Request] = []
    a = _client(seen_a, token="token-a", base_url="https://a.example.test/api/v3/")
    b = _client(seen_b, token="token-b", base_url="https://b.example.test/v3", headers={"X-Client": "b"})
    for _ in range(2):
        a.create_order(body=REQUEST)
        b.create_order(body=REQUEST)
    assert [str(r.url) for r in seen_a] == ["https://a.example.test/api/v3/orders"] * 2
    assert [str(r.url) for r in seen_b] == ["https://b.example.test/v3/orders"] * 2
    assert {r.headers["Authorization"] for r in seen_a} == {"Bearer token-a"}
    assert {r.headers["Authorization"] for r in seen_b} == {"Bearer token-b"}
    assert all("X-Client" not in r.headers for r in seen_a)
    assert all(r.headers["X-Client"] == "b" for r in seen_b)


def test_a_client_header_and_a_header_parameter_are_sent_as_given_on_every_call() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen, headers={"X-Musement-Version": "3.3.0"})
    client.create_order(body=REQUEST)
    client.create_order(body=REQUEST, x_musement_version="3.4.0")
    client.create_order(body=REQUEST)
    assert [r.headers["X-Musement-Version"] for r in seen] == ["3.3.0", "3.4.0", "3.3.0"]
