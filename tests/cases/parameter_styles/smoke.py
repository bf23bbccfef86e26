"""Arrays and objects go out in the style the spec gives each parameter (OpenAPI's table of
styles), and the fake in testing.py reads them back."""

from urllib.parse import unquote

import httpx

import parameter_styles
from parameter_styles.testing import FakeApi

seen: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    return httpx.Response(204)


client = parameter_styles.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
arguments = dict(
    created={"gt": 10, "lte": 20},
    expand=["customer", "invoice"],
    color={"R": 100, "G": 200},
    point={"x": 1, "y": 2},
    ids=[3, 4],
    tags=["a", "b c"],
    sizes=[5, 6],
    filter={"status": "open", "min": 2},
    x_flags=["f1", "f2"],
    x_dims={"w": 3, "h": 4},
)
client.list_charges(**arguments)
pairs = httpx.QueryParams(seen[-1].url.query.decode()).multi_items()
assert pairs == [
    ("created[gt]", "10"),
    ("created[lte]", "20"),
    ("expand[]", "customer"),
    ("expand[]", "invoice"),
    ("R", "100"),
    ("G", "200"),
    ("point", "x,1,y,2"),
    ("ids", "3 4"),
    ("tags", "a|b c"),
    ("sizes", "5,6"),
    ("filter", '{"status":"open","min":2}'),
], pairs
assert seen[-1].headers["X-Flags"] == "f1,f2" and seen[-1].headers["X-Dims"] == "w=3,h=4"

client.get_shape(label=[1, 2], matrix=[3, 4], spread={"a": "x/y", "b": "z"}, simple=["p", "q r"])
path = seen[-1].url.raw_path.decode()
assert path == "/shapes/.1,2/;matrix=3;matrix=4/a=x%2Fy,b=z/p,q%20r", path
assert unquote(path.split("/")[4]) == "a=x/y,b=z"

# Members left as None are not sent.
client.list_charges(created={"gt": 1, "lte": None})
assert httpx.QueryParams(seen[-1].url.query.decode()).multi_items() == [("created[gt]", "1")]

fake = FakeApi()
with fake.client() as fake_client:
    fake_client.list_charges(**arguments)
    fake_client.get_shape(label=[1, 2], matrix=[3, 4], spread={"a": "x", "b": "z"}, simple=["p"])
assert [call.operation for call in fake.calls()] == ["list_charges", "get_shape"]
