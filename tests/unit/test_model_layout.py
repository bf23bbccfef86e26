# ruff: noqa: E501 -- the cases are datamodel-code-generator's text, whose lines are long by nature
"""The model text is laid out as black lays it out (generator/model_layout.py).

Black's output is what is written; the layout only spares black its second pass. So for
each case: the shaped text is black's output of the unshaped text (black's first pass then
has nothing to change), and it is the same program.
"""

from __future__ import annotations

import ast

import black
import pytest

from generator.format import _MODE
from generator.line_layout import LINE_LENGTH, import_line
from generator.model_layout import prefer_double_quotes, shape_class_bodies, shaped_list


def _shaped(text: str) -> str:
    return shape_class_bodies(text, ast.parse(text))


def _black(text: str) -> str:
    return black.format_str(text, mode=_MODE)


def _field_of_width(width: int) -> str:
    """A field line of exactly ``width`` columns, description padded to reach it."""
    line = "    name: Annotated[str | None, Field(description='{}', max_length=50)] = None"
    return line.format("d" * (width - len(line.format(""))))


LONG = "A description far longer than one line can hold, " * 3
CASES = {
    "enum with a docstring": '''class Status(StrEnum):
    """
    The status.
    """
    OPEN = 'open'
    CLOSED = 'closed'
''',
    "quotes of both kinds and escapes": """class Quotes(ResponseModel):
    a: Annotated[str, Field(description="it's")] = 'plain'
    b: Annotated[str, Field(description='say "hi"')] = 'x'
    c: Annotated[str, Field(description='both \\' and "')] = 'a\\'b"c'
    d: Annotated[str, Field(description='back\\\\slash \\\\\\' and \\n')] = '\\"needless\\"'
    e: Annotated[str, Field(description=u'caf\u00e9 \u2615 \\u2028', pattern=r'^\\d+\\'$')] = R'x'
    f: Annotated[bytes, Field(description=B'raw')] = b'\\x00'
    g: Annotated[list[str] | None, Field(examples=['a', "b's"], json_schema_extra={'nullable': True})] = None
""",
    "very long descriptions": f"""class Long(ResponseModel):
    only: Annotated[str, Field(description='{LONG}')]
    many: Annotated[str | None, Field(description='{LONG}', max_length=5000, min_length=1, alias='Many', examples=None)] = None
    short: Annotated[int, Field(description='Fits once the brackets are split.', ge=0, le=100)] = 0
""",
    "unions nested in Annotated and Optional": f"""class Nested(ResponseModel):
    a: Annotated[FirstAlternativeOfManyWords | SecondAlternativeOfManyWords | ThirdAlternativeOfManyWords | None, Field(description='{LONG}')] = None
    b: Annotated[list[dict[str, ItemModelWithAVeryLongNameIndeed]] | dict[str, ItemModelWithAVeryLongNameIndeed] | None, Field(description='x')] = None
    c: FirstAlternativeOfManyWords | SecondAlternativeOfManyWords | ThirdAlternativeOfManyWords | None = None
    d: FirstAlternativeOfManyWords | SecondAlternativeOfManyWordsAndMoreToo | None
    e: ModelWithAnExtremelyLongNameThatKeepsGoingAndGoingAndGoingWellPast
    f: ModelWithAnExtremelyLongNameThatKeepsGoingAndGoingAndGoingWellPastTheEndOfTheLine
""",
    "defaults": f"""class Defaults(ResponseModel):
    count: Annotated[int | None, Field(description='How many, at most, before the results are cut.', ge=-1)] = -1
    ratio: Annotated[float, Field(description='{LONG}')] = 0.5
    status: Annotated[PostCustomersCustomerFundingInstructionsRequestFundingType, Field(description='x')] = PostCustomersCustomerFundingInstructionsRequestFundingType.BANK_TRANSFER
    action: PostInvoicesRequestFromInvoiceActionWithALongName = PostInvoicesRequestFromInvoiceAction.REVISION
    interval: PostPaymentIntentsRequestPaymentMethodOptionsCardOption1InstallmentsPlanInterval = PostPaymentIntentsRequestPaymentMethodOptionsCardOption1InstallmentsPlanInterval.MONTH
    label: Annotated[str, Field(alias='label')] = 'a default string long enough to need a line of its own'
    tag: ModelWithAnExtremelyLongNameThatKeepsGoingAndGoingAndGoingWellPastIt = None
""",
    "enum members": f"""class Members(OpenStrEnum):
    SHORT = 'short'
    LONGER_THAN_THE_LINE = 'a value long enough that black puts it in parentheses alone'
    FAR_TOO_LONG_FOR_ANY_LINE = '{LONG}'
    NUMBER = 3
""",
    "class lines": """class ModelNameOfEightyCharactersOrSoThatPushesTheBasePastTheLimit(RootModel[str | Literal['']]):
    root: str | Literal[''] = ''


class PostBillingPortalConfigurationsRequestFeaturesCustomerUpdateAllowedUpdatesOptionItem(StrictStrEnum):
    EMAIL = 'email'


class PayoutDestination(RootModel[PayoutDestination1 | BankAccount | Card | DeletedBankAccount | DeletedCard | None]):
    root: PayoutDestination1 | BankAccount | Card | DeletedBankAccount | DeletedCard | None = None
""",
    "lines of exactly 88 and 89 columns": f"""class Widths(ResponseModel):
{_field_of_width(88)}
{_field_of_width(89)}
""",
    "statements already split, or ending in a type: ignore": """class Request(RequestModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    narrowed: Annotated[str | None, Field(description='A field narrowed by a subclass, marked for mypy.')] = None  # type: ignore[assignment, unused-ignore]
    status: Annotated[Status, Field(description='The status.', examples=['open'])] = Status.OPEN  # type: ignore[assignment]
""",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_the_shaped_text_is_blacks_output(text: str) -> None:
    shaped = _shaped(text)
    assert shaped == _black(text) == _black(shaped)
    # The same program; only a dropped ``u`` prefix shows, as the string's ``kind``.
    assert ast.dump(ast.parse(shaped)) == ast.dump(ast.parse(text)).replace(", kind='u'", "")


def test_a_line_it_cannot_read_exactly_is_left_to_black() -> None:
    text = """class Request(RequestModel):
    narrowed: Annotated[str | None, Field(description='A field with a comment.')] = None  # the spec's words
    pattern: Annotated[str, Field(description=f'{x}')]
"""
    assert _shaped(text) == text


def test_field_lines_are_split_as_black_splits_them() -> None:
    lines = _shaped(CASES["very long descriptions"]).splitlines()
    start = lines.index("    many: Annotated[")
    assert lines[start : start + 6] == [
        "    many: Annotated[",
        "        str | None,",
        "        Field(",
        f'            description="{LONG}",',
        "            max_length=5000,",
        "            min_length=1,",
    ]
    widths = _shaped(CASES["lines of exactly 88 and 89 columns"]).splitlines()
    assert widths[1] == _field_of_width(88).replace("'", '"')
    assert widths[2].endswith("] = (")  # the left side fits: the default goes in parentheses


@pytest.mark.parametrize(
    "token",
    [
        "'plain'",
        '"it\'s"',
        "'say \"hi\"'",
        "'it\\'s \"x\"'",
        "'a\\'b\"c'",
        "'\\\\'",
        "'\\\\\\''",
        "'\\\"'",
        '"\\\'"',
        "u'x'",
        "U'x'",
        "B'x'",
        "r'\\d'",
        "R'\"'",
        "Rb'x'",
        "''",
        "'\u00e9\u2615'",
    ],
)
def test_strings_are_quoted_as_black_quotes_them(token: str) -> None:
    expected = _black(f"x = {token}\n")
    assert f"x = {prefer_double_quotes(token)}\n" == expected
    assert ast.literal_eval(prefer_double_quotes(token)) == ast.literal_eval(token)


@pytest.mark.parametrize("count", [1, 2, 3, 12])
@pytest.mark.parametrize("width", [8, 30, 90])
def test_lists_and_imports_are_laid_out_as_black_lays_them_out(count: int, width: int) -> None:
    names = [f"N{index}".ljust(width, "x") for index in range(count)]
    listed = shaped_list("", "__all__ = [", (f'"{name}"' for name in names))
    assert _black(listed + "\n") == listed + "\n"
    assert _black(f"__all__ = [{', '.join(repr(n) for n in names)}]\n") == listed + "\n"
    imported = import_line(0, "._0001", names)
    assert _black(imported + "\n") == imported + "\n"
    assert _black(f"from ._0001 import {', '.join(names)}\n") == imported + "\n"


def test_a_tree_of_another_text_lays_out_nothing() -> None:
    text = CASES["enum with a docstring"]
    other = ast.parse("\n" + text)
    assert shape_class_bodies(text, other) == text


def test_the_layout_is_for_the_line_length_black_is_given() -> None:
    assert LINE_LENGTH == _MODE.line_length
