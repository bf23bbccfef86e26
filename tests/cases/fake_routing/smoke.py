"""The fake in testing.py routes each request to its operation by method and path template
(a literal segment before a placeholder, an encoded slash inside one value), and refuses
what the spec would: a missing or wrong parameter, a missing credential, an unknown route."""

import asyncio

import httpx

from fake_routing import models
from fake_routing.testing import FakeApi, RejectedRequest

fake = FakeApi()
with fake.client() as client:
    items = client.list_items(status="open", tag=[1, 2])
    created = client.create_item(body={"name": "lamp"}, x_request_id="r-1")
    current = client.get_current_item()
    one = client.get_item(item_id=5)
    client.delete_item(item_id=5)
    client.tag_item(item_id=3, tag="a b/c")

# Built from the schema where the spec has no example: minItems, minimum, enum, format.
assert [item.model_dump(mode="json") for item in items.root] == [
    {"id": 1, "name": "string", "status": "open", "created": "2024-01-01T00:00:00Z", "note": None}
], items
assert created.id == 7 and created.name == "lamp"  # the documented example
assert isinstance(current, models.Item) and isinstance(one, models.Item)
routed = [call.operation for call in fake.calls()]
assert routed == ["list_items", "create_item", "get_current_item", "get_item", "delete_item", "tag_item"], routed
assert fake.calls("get_item")[0].path_params == {"item_id": "5"}
assert fake.calls("tag_item")[0].path_params == {"item_id": "3", "tag": "a b/c"}
assert fake.calls("create_item")[0].body == models.NewItem(name="lamp")
assert fake.calls("list_items")[0].request.url.params.get_list("tag") == ["1", "2"]

# A documented error, then the example again: the answers of one operation only.
fake.respond("create_item", status=409)
with fake.client() as client:
    try:
        client.create_item(body={"name": "lamp"}, x_request_id="r-2")
    except Exception as exc:  # the package's ConflictError
        assert type(exc).__name__ == "ConflictError" and exc.body == models.Problem(message="name taken"), exc
    else:
        raise AssertionError("409 was not raised")
    assert client.get_item(item_id=1).id == 1


def refused(method: str, url: str, headers: dict[str, str] | None = None, **kwargs: object) -> str:
    raw = httpx.Client(transport=FakeApi(), base_url="https://api.example.com/v2")
    try:
        raw.request(method, url, headers={"X-Api-Key": "k", **(headers or {})}, **kwargs)
    except RejectedRequest as exc:
        return str(exc)
    raise AssertionError(f"{method} {url} was accepted")


message = refused("GET", "/items?status=wrong")
assert message.startswith("list_items: query parameter 'status' is 'wrong': "), message
assert "'open' or 'closed'" in message, message
assert refused("GET", "/items") == "list_items: the required query parameter 'status' is missing"
assert "query parameter 'tag' is '1, x'" in refused("GET", "/items?status=open&tag=1&tag=x")
assert refused("POST", "/items", json={"name": "x"}) == (
    "create_item: the required header parameter 'X-Request-Id' is missing"
)
message = refused("POST", "/items", headers={"X-Request-Id": "r"}, json={"name": "x", "status": "gone"})
assert message.startswith("create_item: the body does not match NewItem: status: "), message
assert refused("GET", "/items/abc").startswith("get_item: path parameter 'item_id' is 'abc': ")
message = refused("GET", "/items/1", headers={"X-Api-Key": ""})
assert message == "get_item: no accepted credentials: ApiKey expects an API key in the header 'X-Api-Key'", message
assert refused("PATCH", "/items/1") == "PATCH /v2/items/1: the path is documented only for DELETE (delete_item), GET (get_item)"
assert refused("GET", "/orders").startswith("GET /v2/orders: no operation of the spec matches (it documents GET /items, ")

# No credentials needed where the operation's security is empty.
assert httpx.Client(transport=FakeApi(), base_url="https://api.example.com/v2").get("/items/current").status_code == 200

# A base URL of the caller's own, and the async transport.
custom = FakeApi(base_path="/gateway/items-api")


async def main() -> None:
    async with custom.async_client(base_url="https://gw.example.com/gateway/items-api") as client:
        assert (await client.get_item(item_id=9)).id == 1


asyncio.run(main())
assert custom.calls("get_item")[0].path_params == {"item_id": "9"}
