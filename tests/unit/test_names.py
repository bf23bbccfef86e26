"""Stage helpers: Python names made from spec names (generator/names.py)."""

from __future__ import annotations

import keyword

import pytest

from generator.names import pascal_case, snake_case, unique


@pytest.mark.parametrize(
    ("spec_name", "snake", "pascal"),
    [
        ("orderId", "order_id", "OrderId"),
        ("getHTTPStatus", "get_http_status", "GetHTTPStatus"),
        ("order-item", "order_item", "OrderItem"),
        ("X-Musement-Version", "x_musement_version", "XMusementVersion"),
        ("version2Items", "version2_items", "Version2Items"),
        ("class", "class_", "Class"),
        ("2fa", "field_2fa", "Model2fa"),
        ("", "field", "Model"),
        ("---", "field", "Model"),
        ("__init__", "init", "Init"),
    ],
)
def test_spec_names_become_identifiers(spec_name: str, snake: str, pascal: str) -> None:
    assert snake_case(spec_name) == snake
    assert pascal_case(spec_name) == pascal
    for name in (snake_case(spec_name), pascal_case(spec_name)):
        assert name.isidentifier() and not keyword.iskeyword(name)


def test_the_prefix_is_used_for_names_that_cannot_start_an_identifier() -> None:
    assert snake_case("1st", prefix="param") == "param_1st"
    assert pascal_case("404", prefix="Status") == "Status404"


@pytest.mark.parametrize(
    ("wanted", "taken", "chosen"),
    [
        ("item", set(), "item"),
        ("item", {"item"}, "item_2"),
        ("item", {"item", "item_2"}, "item_3"),
        ("PetID", {"PetID"}, "PetID2"),  # after a capital, a digit reads as its own word
    ],
)
def test_unique_picks_a_free_name_and_records_it(wanted: str, taken: set[str], chosen: str) -> None:
    before = set(taken)
    assert unique(wanted, taken) == chosen
    assert taken == before | {chosen}
