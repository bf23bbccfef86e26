"""generator.schemas: what the model generator is handed, decided before it runs."""

from __future__ import annotations

import json
from typing import Any

from generator.schema_fixes import find_schema_fixes
from generator.schemas import NULLABLE_MARK, REQUIRED_MARK, SECRET_MARK, plan_schemas


def _document(request: dict[str, Any], response: dict[str, Any], **schemas: Any) -> dict[str, Any]:
    def body(schema: dict[str, Any]) -> dict[str, Any]:
        return {"content": {"application/json": {"schema": schema}}}

    operation = {
        "operationId": "send",
        "requestBody": body(request),
        "responses": {"200": {"description": "ok", **body(response)}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": operation}},
        "components": {"schemas": schemas},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_open_objects_stay_inline_and_map_components_are_written_out() -> None:
    plan = plan_schemas(
        _document(
            _ref("Req"),
            {"type": "object", "properties": {"ok": {"type": "boolean"}}},
            Labels={"type": "object", "additionalProperties": {"type": "string"}},
            Req={
                "type": "object",
                "properties": {
                    "meta": {"type": "object"},
                    "labels": _ref("Labels"),
                    "closed": {"type": "object", "additionalProperties": False},
                },
            },
        )
    )
    schemas = plan.document["components"]["schemas"]
    properties = schemas["Req"]["properties"]
    assert properties["meta"] == {"type": "object"}
    assert properties["labels"]["additionalProperties"] == {"type": "string"}
    assert "Labels" not in schemas
    assert properties["closed"] == _ref("ReqClosed")  # allows nothing: still a class


def test_a_model_both_sides_use_gets_a_strict_request_twin() -> None:
    plan = plan_schemas(
        _document(
            _ref("Thing"),
            _ref("Thing"),
            Thing={"type": "object", "properties": {"part": _ref("Part"), "kind": _ref("Kind")}},
            Part={"type": "object", "properties": {"n": {"type": "integer"}}},
            Kind={"type": "string", "enum": ["a", "b"]},
        )
    )
    schemas = plan.document["components"]["schemas"]
    assert plan.request_bodies[("/x", "post")] == "ThingInput"
    assert schemas["ThingInput"]["properties"]["part"]["$ref"].endswith("/PartInput")
    assert schemas["Thing"]["properties"]["part"]["$ref"].endswith("/Part")
    assert {"ThingInput", "PartInput"} <= plan.strict_models
    assert not {"Thing", "Part"} & plan.strict_models
    assert plan.enum_bases["Kind"] == "OpenStrEnum"  # one enum; request models check it


def test_request_fields_are_marked_for_the_runtime() -> None:
    plan = plan_schemas(
        _document(
            _ref("Req"),
            {"type": "object", "properties": {"secret": {"type": "string", "format": "password"}}},
            Kind={"type": "string", "enum": ["orders"], "description": "The kind."},
            Req={
                "type": "object",
                "required": ["kind", "version", "name"],
                "properties": {
                    "kind": _ref("Kind"),
                    "version": {"const": 2},
                    "name": {"type": "string"},
                    "note": {"type": ["string", "null"]},
                    "label": {"type": "string"},
                    "pin": {"type": "string", "writeOnly": True},
                    "flag": {"type": "integer", "enum": [1]},
                },
            },
        )
    )
    schemas = plan.document["components"]["schemas"]
    request = schemas["Req"]
    properties = request["properties"]
    assert properties["kind"]["default"] == "orders" and properties["kind"]["description"] == "The kind."
    assert properties["version"]["default"] == 2
    assert "default" not in properties["flag"]  # optional: unset means not sent, not "1"
    assert request[REQUIRED_MARK] == ["kind", "version", "name"]
    assert properties["note"].get(NULLABLE_MARK) is True and NULLABLE_MARK not in properties["label"]
    assert properties["pin"][SECRET_MARK] is False and SECRET_MARK not in properties["name"]
    response = schemas["SendResponse"]["properties"]["secret"]
    assert response[SECRET_MARK] is False and NULLABLE_MARK not in response


def test_openapi_30_nullable_becomes_a_type_list() -> None:
    document = _document(
        _ref("Req"),
        {"type": "object"},
        Req={"type": "object", "required": ["note"], "properties": {"note": {"type": "string", "nullable": True}}},
    )
    document["openapi"] = "3.0.3"
    note = plan_schemas(document).document["components"]["schemas"]["Req"]["properties"]["note"]
    assert note["type"] == ["string", "null"] and "nullable" not in note


def test_the_spec_cannot_set_a_mark_itself() -> None:
    plan = plan_schemas(
        _document(
            _ref("Req"),
            {"type": "object"},
            Req={"type": "object", "properties": {"name": {"type": "string", SECRET_MARK: True, NULLABLE_MARK: True}}},
        )
    )
    name = plan.document["components"]["schemas"]["Req"]["properties"]["name"]
    assert SECRET_MARK not in name and NULLABLE_MARK not in name


def _two_requests(first: str, second: str, **schemas: Any) -> dict[str, Any]:
    """Two operations whose request bodies name the same enum under ``mode``; listed in the
    order given, so a test can show the outcome does not depend on it."""
    mode = {"type": "string", "enum": ["auto", "manual"]}

    def operation(name: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"mode": dict(mode), "other": dict(mode)}}
        return {
            "operationId": name,
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"204": {"description": "done"}},
        }

    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {f"/{first}": {"post": operation(first)}, f"/{second}": {"post": operation(second)}},
        "components": {"schemas": schemas},
    }


def test_identical_hoisted_enums_of_one_property_are_one_class_whatever_the_order() -> None:
    for order in (("sendLongerName", "send"), ("send", "sendLongerName")):
        plan = plan_schemas(_two_requests(*order))
        schemas = plan.document["components"]["schemas"]
        enums = sorted(name for name, schema in schemas.items() if "enum" in schema)
        # One class per property name: ``mode`` and ``other`` stay apart although alike.
        assert enums == ["SendRequestMode", "SendRequestOther"], order
        for body in ("SendRequest", "SendLongerNameRequest"):
            assert schemas[body]["properties"]["mode"]["$ref"] == "#/components/schemas/SendRequestMode"
        assert plan.enum_bases["SendRequestMode"] == "StrictStrEnum"


def test_the_specs_own_components_are_never_merged() -> None:
    same = {"type": "string", "enum": ["a", "b"]}
    plan = plan_schemas(_two_requests("send", "again", First=dict(same), Second=dict(same)))
    schemas = plan.document["components"]["schemas"]
    assert schemas["First"] == schemas["Second"] == same


def test_a_one_value_branch_is_a_literal_and_a_branch_object_is_a_named_strict_class() -> None:
    branchy = {
        "anyOf": [{"type": "object", "properties": {"city": {"type": "string"}}}, {"type": "string", "enum": [""]}]
    }
    plan = plan_schemas(_document({"type": "object", "properties": {"ship": branchy}}, {"type": "object"}))
    schemas = plan.document["components"]["schemas"]
    branches = schemas["SendRequestShip"]["anyOf"]
    assert branches == [_ref("SendRequestShipOption1"), {"type": "string", "const": ""}]
    assert "SendRequestShipOption1" in plan.strict_models


def test_constrained_items_and_branches_are_named_by_us_so_no_component_loses_its_name() -> None:
    # The model generator makes a root model of a constrained list item or union branch and
    # names it after the property, first come first served: left to it, ``prices`` would
    # take ``Price`` and the spec's own price object would become ``Price1``.
    from generator.models import render_models

    plan = plan_schemas(
        _document(
            {"type": "object", "properties": {"id": {"type": "string"}}},
            _ref("Portal"),
            Portal={
                "type": "object",
                "properties": {
                    "prices": {"type": "array", "items": {"type": "string", "maxLength": 50}},
                    "price": {"anyOf": [{"type": "string", "pattern": "^price_"}, _ref("Price")]},
                    "labels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 9}},
                    "plain": {"type": "array", "items": {"type": "string"}},
                },
            },
            Price={"type": "object", "properties": {"id": {"type": "string"}}},
        )
    )
    schemas = plan.document["components"]["schemas"]
    portal = schemas["Portal"]["properties"]
    assert portal["prices"]["items"] == _ref("PortalPricesItem")
    assert schemas["PortalPricesItem"] == {"type": "string", "maxLength": 50}
    assert schemas["PortalPrice"]["anyOf"][0] == _ref("PortalPriceOption1")
    # A map's value and an unconstrained item stay inline: no class is made for them.
    assert portal["labels"]["additionalProperties"] == {"type": "string", "maxLength": 9}
    assert portal["plain"]["items"] == {"type": "string"}

    classes = render_models(plan, "# header", "spec.yaml").classes
    assert classes["Price"] == "model"
    assert not any(name.startswith("Price") and name[5:].isdigit() for name in classes)
    assert classes["PortalPricesItem"] == classes["PortalPriceOption1"] == "root"


def test_a_reference_into_an_inline_schema_names_a_component_of_its_own() -> None:
    # Planning moves the request body into a component and leaves a reference in its place;
    # a pointer leading through the body would then name nothing.
    from generator.models import render_models

    through_body = "#/paths/~1x/post/requestBody/content/application~1json/schema/properties/owner"
    to_alias = "#/paths/~1x/post/requestBody/content/application~1json/schema/properties/pet"
    plan = plan_schemas(
        _document(
            {
                "type": "object",
                "properties": {
                    "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                    "pet": _ref("Pet"),
                },
            },
            {"type": "object", "properties": {"owner": {"$ref": through_body}, "pet": {"$ref": to_alias}}},
            Pet={"type": "object", "properties": {"owner": {"$ref": through_body}}},
        )
    )
    schemas = plan.document["components"]["schemas"]
    assert schemas["Owner"] == {"type": "object", "properties": {"name": {"type": "string"}}}
    assert schemas["SendRequest"]["properties"]["owner"] == _ref("OwnerInput")  # its strict request twin
    assert schemas["SendResponse"]["properties"]["owner"] == _ref("Owner")
    assert schemas["Pet"]["properties"]["owner"] == _ref("Owner")
    # A reference to a reference names what that one names: no class stands in between.
    assert schemas["SendResponse"]["properties"]["pet"] == _ref("Pet")

    classes = render_models(plan, "# header", "spec.yaml").classes
    assert classes["Owner"] == "model" and "Pet" in classes


def test_a_reference_into_a_components_nested_inline_schemas_names_components_of_their_own() -> None:
    # As Azure's specs write it: a pointer into an inline object held by another inline
    # object of a component. Once planning has moved the outer one out, it would name nothing.
    from generator.models import render_models

    owner = "#/components/schemas/Pet/properties/owner"
    address = f"{owner}/properties/properties/properties/address"
    plan = plan_schemas(
        _document(
            {"type": "object", "properties": {"id": {"type": "string"}}},
            {"type": "object", "properties": {"owner": {"$ref": owner}, "address": {"$ref": address}}},
            Pet={
                "type": "object",
                "properties": {
                    "owner": {
                        "type": "object",
                        "properties": {
                            "properties": {
                                "type": "object",
                                "properties": {
                                    "address": {"type": "object", "properties": {"city": {"type": "string"}}}
                                },
                            }
                        },
                    }
                },
            },
        )
    )
    schemas = plan.document["components"]["schemas"]
    assert schemas["Address"] == {"type": "object", "properties": {"city": {"type": "string"}}}
    assert schemas["Pet"]["properties"]["owner"] == _ref("Owner")
    assert schemas["SendResponse"]["properties"] == {"owner": _ref("Owner"), "address": _ref("Address")}

    classes = render_models(plan, "# header", "spec.yaml").classes
    assert {"Address", "Owner", "Pet", "SendResponse"} <= set(classes) and classes["Owner"] == "model"


def test_components_named_after_python_builtins_get_a_suffix() -> None:
    # ``Warning`` used above its definition would be read by pydantic as Python's own
    # Warning class, and the models would fail on import.
    from generator.models import render_models

    plan = plan_schemas(
        _document(
            {"type": "object", "properties": {"id": {"type": "string"}}},
            _ref("Report"),
            Report={"type": "object", "properties": {"warnings": {"type": "array", "items": _ref("Warning")}}},
            Warning={"type": "object", "properties": {"code": {"type": "integer"}}},
            TimeoutError={"type": "object", "properties": {"after": {"type": "integer"}}},
        )
    )
    assert plan.component_names["Warning"] == "WarningSchema"
    assert plan.component_names["TimeoutError"] == "TimeoutErrorSchema"
    classes = render_models(plan, "# header", "spec.yaml").classes
    assert {"WarningSchema", "TimeoutErrorSchema", "Report"} <= set(classes) and "Warning" not in classes


def test_an_error_inside_a_class_the_plan_made_names_the_place_in_the_spec() -> None:
    # The plan moves the inline object ``inner`` into a class of its own, ``ThingInner``;
    # the model generator's error about it must still point where the spec has it.
    import pytest

    from generator.errors import GeneratorError
    from generator.models import render_models

    plan = plan_schemas(
        _document(
            {"type": "object", "properties": {"id": {"type": "string"}}},
            _ref("Thing"),
            Thing={
                "type": "object",
                "properties": {"inner": {"type": "object", "properties": {"value": {"allOf": [False]}}}},
            },
        )
    )
    assert plan.origins["ThingInner"] == ("components", "schemas", "Thing", "properties", "inner")
    assert plan.origins["SendRequest"] == (
        "paths",
        "/x",
        "post",
        "requestBody",
        "content",
        "application/json",
        "schema",
    )
    with pytest.raises(GeneratorError) as raised:
        render_models(plan, "# header", "spec.yaml")
    message = raised.value.diagnostics[0].message
    assert "'#/components/schemas/Thing/properties/inner/properties/value'" in message, message


def test_the_plan_leaves_out_what_validation_found_without_looking_again() -> None:
    """The pipeline hands the plan the fixes validation found in the loaded document; the
    plan is the one it makes when it finds them itself, and the loaded document is left as
    it was, a replacement taken from it included."""
    document = _document(
        {
            "type": "object",
            "properties": {
                "tags": {
                    "type": "array",
                    "items": [
                        {
                            "type": "object",
                            "properties": {"name": {"type": "string", "nullable": True}},
                            "example": {"name": "x"},
                        }
                    ],
                },
                "count": {"type": "integer", "exclusiveMinimum": 0},
            },
        },
        {"type": "object"},
    )
    document["openapi"] = "3.0.3"
    before = json.dumps(document, sort_keys=True)
    fixes = find_schema_fixes(document)
    assert {fix.keyword for fix in fixes} >= {"items", "exclusiveMinimum"}
    given = plan_schemas(document, fixes)
    found = plan_schemas(document)
    assert json.dumps(given.document, sort_keys=True) == json.dumps(found.document, sort_keys=True)
    assert given.document != document
    assert json.dumps(document, sort_keys=True) == before


def _properties(plan: Any, name: str) -> dict[str, Any]:
    return plan.document["components"]["schemas"][name]["properties"]


def test_a_property_typed_by_a_scalar_component_is_the_scalar_itself() -> None:
    """A field whose type is a named string is a ``str`` with the name's constraints, not a
    root model the caller must wrap; the use's own description wins over the component's."""
    document = _document(
        {"type": "object", "properties": {"code": {"$ref": "#/components/schemas/Code", "description": "Here."}}},
        {"type": "object", "properties": {"code": _ref("Code")}},
        Code={"type": "string", "pattern": "^[A-Z]{3}$", "description": "A code."},
    )
    plan = plan_schemas(document)
    schemas = plan.document["components"]["schemas"]
    assert "Code" not in schemas
    request, response = plan.request_bodies["/x", "post"], plan.responses["/x", "post", "200"]
    assert _properties(plan, request)["code"] == {"type": "string", "pattern": "^[A-Z]{3}$", "description": "Here."}
    assert _properties(plan, response)["code"] == {"type": "string", "pattern": "^[A-Z]{3}$", "description": "A code."}


def test_a_constrained_scalar_in_a_list_keeps_its_class_and_a_plain_one_does_not() -> None:
    """An item cannot carry a Field, so a constrained scalar there stays a class of our
    naming; one without constraints is inlined like a property."""
    document = _document(
        {
            "type": "object",
            "properties": {
                "codes": {"type": "array", "items": _ref("Code")},
                "notes": {"type": "array", "items": _ref("Note")},
            },
        },
        {"type": "object"},
        Code={"type": "string", "maxLength": 3},
        Note={"type": "string", "description": "Free text."},
    )
    plan = plan_schemas(document)
    schemas = plan.document["components"]["schemas"]
    properties = _properties(plan, plan.request_bodies["/x", "post"])
    assert properties["codes"]["items"] == {"$ref": "#/components/schemas/Code"} and "Code" in schemas
    assert properties["notes"]["items"] == {"type": "string", "description": "Free text."} and "Note" not in schemas


def test_a_scalar_component_that_is_a_whole_body_stays_a_component() -> None:
    """A body's class is what the client sends or returns, so a body that is a named
    scalar keeps it; a parameter typed by one needs no class (the client types parameters
    from the spec) and an enum is a class of its own, listing its values."""
    document = _document(
        {"type": "object", "properties": {"day": _ref("Day"), "colour": _ref("Colour")}},
        _ref("Stamp"),
        Day={"type": "string", "format": "date"},
        Stamp={"type": "string", "format": "date-time"},
        Colour={"type": "string", "enum": ["red", "blue"]},
    )
    document["paths"]["/x"]["post"]["parameters"] = [{"name": "day", "in": "query", "schema": _ref("Day")}]
    plan = plan_schemas(document)
    schemas = plan.document["components"]["schemas"]
    properties = _properties(plan, plan.request_bodies["/x", "post"])
    assert properties["day"] == {"type": "string", "format": "date"} and "Day" not in schemas
    assert plan.responses["/x", "post", "200"] == "Stamp" and "Stamp" in schemas
    assert properties["colour"] == {"$ref": "#/components/schemas/Colour"}


def test_a_property_typed_by_a_named_list_is_a_list() -> None:
    document = _document(
        {"type": "object", "properties": {"tags": {"allOf": [_ref("Tags"), {"description": "Its tags."}]}}},
        {"type": "object", "properties": {"tags": _ref("Tags")}},
        Tags={"type": "array", "items": _ref("Tag"), "maxItems": 5},
        Tag={"type": "object", "properties": {"name": {"type": "string"}}},
    )
    plan = plan_schemas(document)
    schemas = plan.document["components"]["schemas"]
    properties = _properties(plan, plan.request_bodies["/x", "post"])
    assert properties["tags"]["type"] == "array" and properties["tags"]["maxItems"] == 5
    assert properties["tags"]["description"] == "Its tags."
    assert "Tags" not in schemas
    assert properties["tags"]["items"]["$ref"].rpartition("/")[2] in schemas  # Tag, or its request twin


def test_a_scalar_wrapped_in_all_of_with_a_description_is_inlined_too() -> None:
    """AWS's specs describe each property as ``allOf: [{$ref}, {description}]``."""
    document = _document(
        {
            "type": "object",
            "properties": {
                "arn": {"allOf": [_ref("Arn"), {"description": "The role's ARN."}]},
                "tagged": {"allOf": [_ref("Arn"), {"type": "string", "maxLength": 20}]},
            },
        },
        {"type": "object"},
        Arn={"type": "string", "minLength": 20, "description": "An ARN."},
    )
    plan = plan_schemas(document)
    properties = _properties(plan, plan.request_bodies["/x", "post"])
    assert properties["arn"] == {"type": "string", "minLength": 20, "description": "The role's ARN."}
    # A member that constrains the value is not an annotation: that allOf stays a class of its own.
    assert set(properties["tagged"]) == {"$ref"}
    assert "Arn" in plan.document["components"]["schemas"]


def test_a_nullable_use_of_a_named_string_in_openapi_3_0_allows_null() -> None:
    document = _document(
        {"type": "object", "required": ["note"], "properties": {"note": {**_ref("Note"), "nullable": True}}},
        {"type": "object"},
        Note={"type": "string", "maxLength": 9},
    )
    document["openapi"] = "3.0.3"
    properties = _properties(plan := plan_schemas(document), plan.request_bodies["/x", "post"])
    assert properties["note"]["type"] == ["string", "null"] and properties["note"]["maxLength"] == 9


def test_a_nullable_property_of_an_inline_body_in_openapi_3_0_allows_null() -> None:
    """OpenAPI 3.0's ``nullable`` is rewritten once the bodies written inline are classes
    too: left as it was, a required one became a ``str`` that refuses null."""
    document = _document(
        {"type": "object", "required": ["note"], "properties": {"note": {"type": "string", "nullable": True}}},
        {"type": "object", "properties": {"seen": {"type": "integer", "nullable": True}}},
    )
    document["openapi"] = "3.0.3"
    plan = plan_schemas(document)
    assert _properties(plan, plan.request_bodies["/x", "post"])["note"]["type"] == ["string", "null"]
    assert _properties(plan, plan.responses["/x", "post", "200"])["seen"]["type"] == ["integer", "null"]


def test_a_named_list_of_inline_objects_keeps_its_class_and_its_items_name() -> None:
    """Inlined, the list's item class would be named after each place the list is used."""
    document = _document(
        {"type": "object"},
        {"type": "object", "properties": {"entries": _ref("Directory")}},
        Directory={"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
    )
    plan = plan_schemas(document)
    schemas = plan.document["components"]["schemas"]
    assert "Directory" in schemas and "DirectoryItem" in schemas
    assert _properties(plan, plan.responses["/x", "post", "200"])["entries"] == {
        "$ref": "#/components/schemas/Directory"
    }
