"""The edits made to datamodel-code-generator's text: spec strings that are not Python stay data."""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from typing import Any

import pytest

from generator.model_text import ClassKind, enums_first, names_used, rename_shadowing_classes
from generator.pipeline import generate_from_loaded

from .stages import loaded, openapi

# Each is the spec's text, character for character: a backslash before letters that are no
# Python escape (\e), that are one only in regexes (\d), that start a malformed \N{...},
# quotes that make a piece of it look like a string literal, and a backslash at the end.
DESCRIPTION = 'say "\\e" or \\d or \\N, end\\'
DEFAULT = '"\\e\\d"'
ENUM = ['"\\e"', "\\d", '"\\N"', "end\\"]
PATTERN = "^\\d*\\\\e\\\\N?\\\\$"


def _document() -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    schemas = {
        "Kind": {"type": "string", "enum": ENUM, "description": DESCRIPTION},
        "Thing": {
            "type": "object",
            "description": DESCRIPTION,
            "properties": {
                "note": {"type": "string", "description": DESCRIPTION, "default": DEFAULT},
                "code": {"type": "string", "pattern": PATTERN, "description": DESCRIPTION},
                "kind": {"$ref": "#/components/schemas/Kind"},
            },
        },
    }
    operation = {
        "operationId": "put_thing",
        "description": DESCRIPTION,
        "requestBody": body,
        "responses": {"200": {"description": DESCRIPTION, **body}},
    }
    return openapi({"/things": {"put": operation}}, {"schemas": schemas})


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("escapes")
    # The generator reads the generated text back; a spec string it read as Python (the
    # cause of "invalid escape sequence '\e'" from <unknown>:1) would warn. Recorded, not
    # raised: a warning turned error is a SyntaxError, which that reading catches.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = generate_from_loaded(loaded(_document()), "escapes_pkg")
    assert [str(w.message) for w in caught if issubclass(w.category, (DeprecationWarning, SyntaxWarning))] == []
    for rel, text in result.files.items():
        target = folder / "escapes_pkg" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if rel.endswith(".py"):
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # as python -W error compiles it
                compile(text, rel, "exec", dont_inherit=True)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("escapes_pkg")
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == "escapes_pkg" or n.startswith("escapes_pkg.")]:
            del sys.modules[name]


def test_backslashes_in_spec_strings_round_trip_exactly(package: Any) -> None:
    models = importlib.import_module("escapes_pkg.models")
    fields = models.Thing.model_fields
    assert fields["note"].default == DEFAULT
    assert fields["note"].description == DESCRIPTION
    assert sorted(member.value for member in models.Kind) == sorted(ENUM)
    patterns = [getattr(item, "pattern", None) for item in fields["code"].metadata]
    assert PATTERN in patterns

    thing = models.Thing.model_validate({"code": "12\\e\\N\\", "kind": ENUM[0]})
    assert thing.model_dump(mode="json", by_alias=True, exclude_unset=True) == {"code": "12\\e\\N\\", "kind": ENUM[0]}
    with pytest.raises(ValueError):
        models.Thing.model_validate({"code": "12e"})


def test_backslashes_in_an_operation_description_reach_the_docstring(package: Any) -> None:
    assert DESCRIPTION in (package.Client.put_thing.__doc__ or "")


# Enums after models, a decorated class, a comment, an alias and a rebuild between them:
# what datamodel-code-generator's output can hold around the enums that are moved up.
UNORDERED = """\
from enum import Enum

from pydantic import BaseModel


class Order(BaseModel):
    status: Status = Status.OPEN
    lines: list[Line] | None = None


# a comment between classes
class Status(Enum):
    OPEN = "open"
    CLOSED = "closed"


@decorated
class Line(BaseModel):
    colour: Colour | None = None


Lines = list[Line]


class Colour(Enum):
    RED = "red"


Order.model_rebuild()
"""


def test_enums_move_first_and_the_tree_moves_with_them() -> None:
    kinds: dict[str, ClassKind] = {"Order": "model", "Status": "enum", "Line": "model", "Colour": "enum"}
    text, tree = enums_first(UNORDERED, ast.parse(UNORDERED), kinds)

    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert classes == ["Status", "Colour", "Order", "Line"]
    # Later edits mark lines by the tree's numbers: they must be those of the new text.
    assert ast.dump(tree, include_attributes=True) == ast.dump(ast.parse(text), include_attributes=True)
    assert "# a comment between classes" in text and "Order.model_rebuild()" in text


def test_enums_already_first_leave_text_and_tree_alone() -> None:
    text = 'from enum import Enum\n\n\nclass A(Enum):\n    X = "x"\n\n\nclass B:\n    a: A\n'
    tree = ast.parse(text)
    assert enums_first(text, tree, {"A": "enum", "B": "model"}) == (text, tree)


def test_names_used_are_those_ast_walk_finds() -> None:
    tree = ast.parse(UNORDERED + 'x: "Order" = f(a.b, *c, k=d[e], **{g: h})\n')
    walked = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    strings: list[str] = []
    assert names_used(tree, strings) == walked
    assert "Order" in strings and "open" in strings


SHADOWING = """\
class Details(BaseModel):
    warnings: list[Warning] | None = Field(None, description="Warning, as the server says")
    kind: Literal["Warning"] = "Warning"


class Warning(BaseModel):
    level: Level = Level.Warning  # Warning


class WarningSchema(BaseModel):
    x: int
"""


def test_classes_named_after_builtins_are_renamed_where_the_module_names_them() -> None:
    text = rename_shadowing_classes(SHADOWING, frozenset({"Warning", "TimeoutError"}))

    tree = ast.parse(text)
    assert [node.name for node in tree.body if isinstance(node, ast.ClassDef)] == [
        "Details",
        "WarningSchema2",
        "WarningSchema",
    ]
    assert "list[WarningSchema2] | None" in text
    # Strings, comments and attributes are the spec's words, not the class.
    assert 'description="Warning, as the server says"' in text and 'Literal["Warning"] = "Warning"' in text
    assert "Level.Warning  # Warning" in text


def test_modules_without_shadowing_classes_are_left_alone() -> None:
    text = "class Report(BaseModel):\n    warnings: list[str]\n"
    assert rename_shadowing_classes(text, frozenset({"Warning"})) is text
