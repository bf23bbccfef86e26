"""Parameters in path, query, header and cookie go out under their wire names."""

import json

import httpx

import parameters_everywhere

seen: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    if request.url.path == "/notes":
        return httpx.Response(201, content=request.content, headers={"Content-Type": "application/json"})
    return httpx.Response(200, json={"id": 7})


client = parameters_everywhere.Client(
    base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
)
result = client.get_item(
    order_id="o/1", id=7, limit=5, x_request_id="req", id_query="q", class_="c", timeout_query=1.5,
    body_query="b", fields=["a", "b"], sort="asc", session="s", param_2fa=True,
)
assert result.id == 7
request = seen[0]
assert request.url.path in ("/orders/o%2F1/items/7", "/orders/o/1/items/7"), request.url
params = request.url.params
assert params["limit"] == "5" and params["id"] == "q" and params["class"] == "c"
assert params["timeout"] == "1.5" and params["body"] == "b"
assert params.get_list("fields[]") == ["a", "b"]
assert request.headers["X-Request-ID"] == "req"
assert "session=s" in request.headers["cookie"]

note = client.add_note(body={"text": "hi"}, models_query="m", errors_query="e", httpx_header="h")
assert note.text == "hi"
sent = seen[-1]
assert sent.url.params["models"] == "m" and sent.url.params["errors"] == "e" and sent.headers["httpx"] == "h"
assert json.loads(sent.content) == {"text": "hi"}

try:
    parameters_everywhere.Client()
except ValueError as exc:
    assert "'/v2' is relative to where the API is hosted" in str(exc), exc
else:
    raise AssertionError("a relative server gave a base URL")
