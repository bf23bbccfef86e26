"""Open objects are plain dicts in requests and responses, and are sent exactly as given."""

import json

import httpx
import pydantic

import additional_properties
from additional_properties import models

sent: list[bytes] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request.content)
    if request.url.path == "/notes":
        return httpx.Response(200, json={"id": "n1", "labels": {"a": [1, 2]}, "extra": {"deep": {"x": None}}})
    return httpx.Response(200, json={"k": {"count": 2}})


client = additional_properties.Client(
    base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
)

free = {"foo": "bar", "n": 1, "nested": {"list": [1, None]}, "none": None}
body = models.Maps(
    freeform=free,
    open={"any": ["thing"]},
    labels={"colour": "red"},
    counts={"a": 1},
    nested={"outer": {"inner": "v"}},
    open_with_fields={"known": "k", "unknown": {"x": 1}},
    typed_with_fields={"known": "k", "n": 3},
)
assert isinstance(body.freeform, dict) and isinstance(body.labels, dict)
client.send_maps(body=body)
wire = json.loads(sent[-1])
assert wire["freeform"] == free, wire
assert wire["open"] == {"any": ["thing"]} and wire["labels"] == {"colour": "red"}
assert wire["counts"] == {"a": 1} and wire["nested"] == {"outer": {"inner": "v"}}
assert wire["open_with_fields"] == {"known": "k", "unknown": {"x": 1}}
assert wire["typed_with_fields"] == {"known": "k", "n": 3}
assert set(wire) == {"freeform", "open", "labels", "counts", "nested", "open_with_fields", "typed_with_fields"}

# The same as a dict body; what is not given is not sent.
client.send_maps(body={"freeform": free})
assert json.loads(sent[-1]) == {"freeform": free}

# Where the schema lists its properties and allows nothing else, a typo still fails.
for bad in ({"closed": {"a": "x", "b": "y"}}, {"counts": {"a": "many"}}, {"typed_with_fields": {"n": "x"}}):
    try:
        client.send_maps(body=bad)
    except pydantic.ValidationError:
        pass
    else:
        raise AssertionError(f"sent {bad}")

# A free-form request body goes out byte for byte as the JSON of what was given.
client.send_note(body={"anything": {"at": ["all", 1, None]}})
assert json.loads(sent[-1]) == {"anything": {"at": ["all", 1, None]}}

note = client.send_note(body={})
assert note.labels == {"a": [1, 2]} and note.extra == {"deep": {"x": None}}
assert models.SendNoteResponse.model_fields["extra"].description == "Whatever the server adds."
