"""JSON escapes mean what JSON says: \\u escapes, surrogate pairs and \\/ survive exactly."""

import httpx

import json_escapes
from json_escapes import models

assert [mood.value for mood in models.Mood] == ["\U0001f600", "\u2603", "a/b"]
fields = models.Note.model_fields
assert {field.alias or name for name, field in fields.items()} == {"a/b", "caf\u00e9", "mood", "text"}
assert fields["text"].default == '\U0001f600 \u2603 "q" \\ /'
note = models.Note.model_validate({"a/b": "x", "mood": "\U0001f600"})
assert note.model_dump(mode="json", by_alias=True, exclude_unset=True) == {"a/b": "x", "mood": "\U0001f600"}
assert "\U0001f680 rocket" in (json_escapes.Client.get_note.__doc__ or "")

seen: list[httpx.Request] = []


def answer(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    return httpx.Response(200, json={"a/b": "y"})


with json_escapes.Client(
    base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(answer))
) as client:
    got = client.get_note(note_id="n1", filter_by="\U0001f600")
assert got.a_b == "y"
assert seen[0].url.path == "/notes/n1"
assert seen[0].url.params["filter/by"] == "\U0001f600"
