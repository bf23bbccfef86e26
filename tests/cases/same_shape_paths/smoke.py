"""Paths that differ only in their parameters' names: each operation sends its request to
its own path, and the fake in testing.py answers each with the operation it is for, by
method where the methods differ, by the parameters it accepts where they do not."""

import httpx

from same_shape_paths import Client
from same_shape_paths.testing import FakeApi, RejectedRequest

sent: list[str] = []


def record(request: httpx.Request) -> httpx.Response:
    sent.append(f"{request.method} {request.url.path}")
    if request.method == "DELETE":
        return httpx.Response(204)
    if request.url.path.startswith("/orders/"):
        return httpx.Response(200, json={"id": 4})
    return httpx.Response(200, json={"id": 9, "slug": "lamps"})


with Client(base_url="https://api.example.com", http_client=httpx.Client(transport=httpx.MockTransport(record))) as client:
    assert client.get_order(id=4).id == 4
    client.delete_order(order_id=5)
    assert client.get_collection_by_id(id=9).slug == "lamps"
    assert client.get_collection_by_slug(slug="lamps").id == 9
assert sent == ["GET /orders/4", "DELETE /orders/5", "GET /collections/9", "GET /collections/lamps"], sent

fake = FakeApi()
with fake.client() as client:
    client.get_order(id=4)
    client.delete_order(order_id=5)
    client.get_collection_by_id(id=9)
    client.get_collection_by_slug(slug="lamps")
routed = [call.operation for call in fake.calls()]
assert routed == ["get_order", "delete_order", "get_collection_by_id", "get_collection_by_slug"], routed
assert fake.calls("get_collection_by_slug")[0].path_params == {"slug": "lamps"}
assert fake.calls("delete_order")[0].path_params == {"orderId": "5"}  # by their names in the spec

# A request no operation of that shape accepts is refused with the first one's reasons.
raw = httpx.Client(transport=FakeApi(), base_url="https://api.example.com")
try:
    raw.put("/collections/9")
except RejectedRequest as exc:
    assert "documented only for" in str(exc), exc
else:
    raise AssertionError("PUT was answered")
print("ok")
