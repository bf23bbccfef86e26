"""3.0 nullability: `nullable: true` lets null through, required or not; None is sent as
null only where the spec allows it, and otherwise means "leave it out"."""

import json

import httpx
import pydantic

import nullable_30
from nullable_30 import models

thing = models.Thing.model_validate({"id": "1", "note": None, "tags": ["a", None], "status": None})
assert thing.note is None and thing.tags == ["a", None] and thing.status is None

sent: list[bytes] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request.content)
    return httpx.Response(204)


client = nullable_30.Client(base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
client.create_thing(body=models.NewThing(note=None, count=None, label=None, status=None))
assert json.loads(sent[-1]) == {"note": None, "count": None, "status": None}, sent[-1]
client.create_thing(body={"note": "n", "label": None})
assert json.loads(sent[-1]) == {"note": "n"}, sent[-1]
client.create_thing(body={"note": None, "status": "open"})
assert json.loads(sent[-1]) == {"note": None, "status": "open"}, sent[-1]
try:
    models.NewThing(note="n", status="pending")
except pydantic.ValidationError:
    pass
else:
    raise AssertionError("a value the spec does not list was accepted")
