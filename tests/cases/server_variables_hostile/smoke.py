"""Server variables are checked before anything is sent; a placeholder must be given; a
declared Idempotency-Key header gets one key per call, the same on every attempt."""

import uuid

import httpx

import server_variables_hostile as api
from server_variables_hostile import _retries

seen: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    if len(seen) == 1:
        return httpx.Response(503, json={"message": "busy"})
    return httpx.Response(201, json={"id": "o-1"})


def refused(keyword: str, **kwargs: str) -> None:
    try:
        api.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)
    except ValueError as exc:
        assert f"{keyword}=" in str(exc), exc
    else:
        raise AssertionError(f"{kwargs} was accepted")


refused("tenant")  # the placeholder default is not a tenant
for hostile in ["evil.example/#", "evil.example", "a@b", "a:8443", "a b", "a?x", "", "-a", "a\n"]:
    refused("tenant", tenant=hostile)
refused("version", tenant="acme", version="v3")
for hostile in ["x/../admin", "x?y=1", "x#y", "x%2F", "x y", "@x"]:
    refused("base_path", tenant="acme", base_path=hostile)
assert seen == []

assert api.Client(base_url="https://other.test").base_url == "https://other.test"
client = api.Client(
    tenant="acme-1", version="v2", base_path="shop-eu", http_client=httpx.Client(transport=httpx.MockTransport(handler))
)
assert client.base_url == "https://acme-1.api.example.com/v2/shop-eu", client.base_url

_retries.backoff = lambda attempt: 0.0  # retry at once
order = client.create_order(body={"sku": "A"}, x_trace="t")
assert order.id == "o-1"
keys = [request.headers["idempotency-key"] for request in seen]
assert len(keys) == 2 and keys[0] == keys[1] and uuid.UUID(keys[0]).version == 4, keys
assert str(seen[0].url) == "https://acme-1.api.example.com/v2/shop-eu/orders"

seen.clear()
client.create_order(body={"sku": "A"}, idempotency_key="mine-1")
assert [request.headers["idempotency-key"] for request in seen] == ["mine-1", "mine-1"]
