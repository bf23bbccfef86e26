"""Request bodies of the three APIs are sent exactly as written, and nothing leaks.

Unit tests on the generated models, and ``httpx.MockTransport`` tests of the bytes that go
on the wire. Descriptions are compared with the spec itself, not with copied text.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
import yaml
from api_cases import API_NAMES, APIS
from repo_paths import FIXTURES, SPECS

MARKET = {"market": {"data": {"type": "markets", "id": "zxcVBnMASd"}}}


def package(api: str) -> ModuleType:
    return importlib.import_module(api)


def fixture(api: str, name: str) -> Any:
    return json.loads((FIXTURES / api / name).read_text(encoding="utf-8"))


class Wire:
    """A client whose requests are recorded, answered with the documented success."""

    def __init__(self, api: str) -> None:
        self.sent: list[httpx.Request] = []
        case = APIS[api]
        answer = fixture(api, f"response-{case.success_status}.json")

        def handler(request: httpx.Request) -> httpx.Response:
            self.sent.append(request)
            return httpx.Response(case.success_status, json=answer)

        transport = httpx.MockTransport(handler)
        credentials = {**case.auth, **case.client_kwargs}
        self.client = package(api).Client(**credentials, http_client=httpx.Client(transport=transport))

    def send(self, body: Any) -> Any:
        return self.client.create_order(body=body)

    @property
    def body(self) -> Any:
        return json.loads(self.sent[-1].content)


def refuses(action: Callable[[], object], *hidden: str) -> str:
    """The validation error ``action`` raises, checked to repeat none of ``hidden``."""
    with pytest.raises(pydantic.ValidationError) as raised:
        action()
    message = str(raised.value)
    for value in hidden:
        assert value not in message
    return message


# --- Commerce Layer -------------------------------------------------------------------


def test_commercelayer_metadata_is_a_dict_sent_exactly_as_given() -> None:
    models = package("commercelayer").models
    metadata = {"foo": "bar", "n": 1, "nested": {"list": [1, None], "flag": False}}
    attributes = models.OrderCreateAttributes(metadata=metadata)
    assert attributes.metadata == metadata
    wire = Wire("commercelayer")
    wire.send(models.CreateOrderRequest(data=models.OrderCreate(attributes=attributes, relationships=MARKET)))
    assert wire.body["data"]["attributes"] == {"metadata": metadata}
    wire.send({"data": {"type": "orders", "attributes": {"metadata": metadata}, "relationships": MARKET}})
    assert wire.body["data"]["attributes"] == {"metadata": metadata}


def test_commercelayer_response_metadata_is_a_dict() -> None:
    order = Wire("commercelayer").send(fixture("commercelayer", "request.json"))
    documented = fixture("commercelayer", "response-201.json")["data"]["attributes"]
    assert order.data.attributes.metadata == documented["metadata"]
    assert order.data.attributes.payment_source_details == documented["payment_source_details"]


def test_commercelayer_type_defaults_to_orders_and_is_sent() -> None:
    models = package("commercelayer").models
    wire = Wire("commercelayer")
    wire.send(models.CreateOrderRequest(data=models.OrderCreate(relationships=MARKET)))
    assert wire.body == {"data": {"type": "orders", "relationships": MARKET}}
    wire.send({"data": {"relationships": MARKET}})
    assert wire.body == {"data": {"type": "orders", "relationships": MARKET}}


def test_commercelayer_request_type_is_checked_response_type_stays_open() -> None:
    models = package("commercelayer").models
    wire = Wire("commercelayer")
    refuses(lambda: models.OrderCreate(type="order", relationships=MARKET))
    refuses(lambda: wire.send({"data": {"type": "skus", "relationships": MARKET}}))
    assert wire.sent == []
    document = fixture("commercelayer", "response-201.json")
    document["data"]["type"] = "orders_v2"
    assert models.OrderResponse.model_validate(document).data.type.value == "orders_v2"


def test_commercelayer_customer_password_is_sent_but_never_shown() -> None:
    models = package("commercelayer").models
    password = "correct-horse-battery-staple"
    attributes = models.OrderCreateAttributes(customer_email="a@example.com", customer_password=password)
    for text in (repr(attributes), str(attributes)):
        assert password not in text and "a@example.com" in text
    wire = Wire("commercelayer")
    wire.send(models.CreateOrderRequest(data=models.OrderCreate(attributes=attributes, relationships=MARKET)))
    assert wire.body["data"]["attributes"]["customer_password"] == password
    refuses(lambda: models.OrderCreateAttributes(customer_password=password, guest="maybe"), password, "maybe")
    refuses(lambda: setattr(attributes, "guest", password), password)
    sent_before = len(wire.sent)
    typo = {"data": {"attributes": {"customer_pasword": password}, "relationships": MARKET}}
    message = refuses(lambda: wire.send(typo), password)
    assert "customer_pasword" in message
    assert len(wire.sent) == sent_before


def test_commercelayer_action_flags_accept_only_one() -> None:
    models = package("commercelayer").models
    attributes = models.OrderCreateAttributes(_place=1)
    refuses(lambda: setattr(attributes, "field_place", 2))
    wire = Wire("commercelayer")
    wire.send({"data": {"attributes": {"_place": 1}, "relationships": MARKET}})
    assert wire.body["data"]["attributes"] == {"_place": 1}


# --- Sitecore CDP ---------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("channel", "WEBSITE"), ("status", "SHIPPED")])
def test_sitecore_request_enums_refuse_unlisted_values_responses_accept_them(field: str, value: str) -> None:
    models = package("sitecore_cdp").models
    order = fixture("sitecore_cdp", "request.json")
    wire = Wire("sitecore_cdp")
    refuses(lambda: models.CreateOrderRequest.model_validate({**order, field: value}), value)
    refuses(lambda: wire.send({**order, field: value}), value)
    body = models.CreateOrderRequest.model_validate(order)
    refuses(lambda: setattr(body, field, value), value)
    assert wire.sent == []
    parsed = models.Order.model_validate({**fixture("sitecore_cdp", "response-201.json"), field: value})
    assert getattr(parsed, field).value == value


def test_sitecore_request_enum_takes_its_plain_string_value() -> None:
    models = package("sitecore_cdp").models
    body = models.CreateOrderRequest.model_validate({**fixture("sitecore_cdp", "request.json"), "channel": "WEB"})
    assert body.channel is models.OrderChannel.WEB
    body.status = "PURCHASED"
    assert body.status is models.OrderStatus.PURCHASED
    wire = Wire("sitecore_cdp")
    wire.send(body)
    assert (wire.body["channel"], wire.body["status"]) == ("WEB", "PURCHASED")


def test_sitecore_none_for_an_optional_field_is_left_out() -> None:
    order = fixture("sitecore_cdp", "request-minimal.json")
    wire = Wire("sitecore_cdp")
    wire.send({**order, "paymentType": None, "channel": None})
    assert wire.body == order
    body = package("sitecore_cdp").models.CreateOrderRequest.model_validate({**order, "paymentType": "Card"})
    body.payment_type = None
    wire.send(body)
    assert wire.body == order


# --- Musement -------------------------------------------------------------------------


def test_musement_assignment_is_validated_at_once() -> None:
    models = package("musement").models
    body = models.CreateOrderRequest.model_validate(fixture("musement", "request.json"))
    refuses(lambda: setattr(body, "email_notification", "NOEN"), "NOEN")
    assert body.email_notification is models.CreateOrderRequestEmailNotification.NONE
    refuses(lambda: setattr(body, "cart_uuid", "not-a-uuid"))
    refuses(lambda: setattr(body, "cart_uid", "typo"))


def test_musement_fields_not_set_are_not_sent() -> None:
    models = package("musement").models
    wire = Wire("musement")
    wire.send(models.CreateOrderRequest(cart_uuid="ff111070-984a-4cff-87c7-2a32cd76de36"))
    assert wire.body == {"cart_uuid": "ff111070-984a-4cff-87c7-2a32cd76de36"}
    wire.send({"cart_uuid": "ff111070-984a-4cff-87c7-2a32cd76de36", "affiliate": None})
    assert wire.body == {"cart_uuid": "ff111070-984a-4cff-87c7-2a32cd76de36"}


# --- Descriptions, all three ----------------------------------------------------------


def _described_properties(api: str) -> Iterator[tuple[str, str, str]]:
    """(schema, property, description) for each request-body property the spec describes."""
    spec = yaml.safe_load((SPECS / f"{api}.yaml").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        for prop, prop_schema in (schema.get("properties") or {}).items():
            description = prop_schema.get("description")
            target = schemas.get(prop_schema.get("$ref", "").rsplit("/", 1)[-1], {})
            if description is None and "enum" in target:
                description = target.get("description")  # an enum's description is its field's
            if isinstance(description, str):
                yield name, prop, description


@pytest.mark.parametrize("api", API_NAMES)
def test_field_descriptions_are_visible_at_run_time(api: str) -> None:
    models = package(api).models
    for class_name in models.__all__:
        # What models.py is to do at import (issue 16): a model whose fields refer to
        # classes further down the module knows their descriptions once rebuilt.
        getattr(getattr(models, class_name), "model_rebuild", lambda: None)()
    checked = 0
    schemas: dict[str, Any] = {}
    for schema, prop, description in _described_properties(api):
        model = getattr(models, schema, None)
        fields = {(info.alias or name): (name, info) for name, info in getattr(model, "model_fields", {}).items()}
        if prop not in fields:
            continue  # a readOnly or writeOnly property the class leaves out
        name, info = fields[prop]
        assert info.description == description.strip(), f"{schema}.{prop}"
        if schema not in schemas:
            schemas[schema] = model.model_json_schema(by_alias=True)
        json_schema = schemas[schema]
        in_schema = json_schema["properties"][prop]
        if "description" not in in_schema and "$ref" in in_schema:
            # pydantic does not repeat an enum's description beside the reference to it.
            in_schema = json_schema["$defs"][in_schema["$ref"].rsplit("/", 1)[1]]
        assert in_schema["description"] == info.description
        # help() shows the class docstring, which lists each field.
        assert f"{name}{'' if name == prop else f' ({prop})'}: " in (model.__doc__ or ""), f"{schema}.{prop}"
        checked += 1
    assert checked >= 8


def test_enum_typed_fields_have_descriptions() -> None:
    sitecore = package("sitecore_cdp").models.CreateOrderRequest.model_fields
    assert sitecore["channel"].description and sitecore["status"].description
    musement = package("musement").models.CreateOrderRequest.model_fields
    assert musement["email_notification"].description
