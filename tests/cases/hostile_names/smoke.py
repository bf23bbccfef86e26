"""Reserved and colliding names: Python attributes, with the wire names kept as aliases."""

import httpx

import hostile_names
from hostile_names import models

body = models.Class.model_validate(
    {"class": "c", "from": "f", "model_config": "mc", "model_dump": "md", "json": "j",
     "schema": "s", "2fa": True, "order-id": "dash", "order_id": "under", "orderId": "camel",
     "名前": "name", "None": "n", "a b": "space"}
)
assert (body.class_, body.from_, body.model_config_, body.field_model_dump) == ("c", "f", "mc", "md")
assert (body.order_id, body.order_id_1, body.order_id_2) == ("dash", "under", "camel")
wire = body.model_dump(mode="json", exclude_unset=True)
assert wire["class"] == "c" and wire["order-id"] == "dash" and wire["orderId"] == "camel"
assert wire["2fa"] is True and wire["名前"] == "name" and wire["a b"] == "space"
assert models.Class(class_="c", from_="f").model_dump(exclude_unset=True) == {"class": "c", "from": "f"}

# Enum values that differ only by case or punctuation stay distinct members.
values = [member.value for member in models.Status]
assert len(values) == len(set(values)) == 16
assert models.Status("a-b") is not models.Status("A-B")
assert models.Status("brand new").value == "brand new"  # a response enum stays open

# Classes named after Python's own (Warning, TimeoutError) are the spec's, not Python's.
item = models.OrderItem.model_validate({"report": {"warnings": [{"code": "w1"}], "timeout_error": {"after": 3}}})
assert item.report is not None and item.report.warnings is not None
assert isinstance(item.report.warnings[0], models.WarningSchema) and item.report.warnings[0].code == "w1"
assert isinstance(item.report.timeout_error, models.TimeoutErrorSchema)

seen: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    return httpx.Response(200, json=[{"name": "x"}])


client = hostile_names.Client(base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
items = client.get_orders(status=models.Status("a b"))
assert items.root[0].name == "x"
assert seen[0].url.params["status"] == "a b"
client.close()
