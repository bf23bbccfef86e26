"""Base classes of the generated models.

Request models refuse fields they do not know, so a misspelt field fails before anything
is sent. Response models keep fields the API adds later (read them from ``model_extra``),
and open enums accept values the API adds later, so a new field or status never breaks
parsing.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = [
    "OpenIntEnum",
    "OpenStrEnum",
    "RequestModel",
    "ResponseModel",
    "StrictIntEnum",
    "StrictStrEnum",
]

_NAMES = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)


class RequestModel(BaseModel):
    """A body the client sends: unknown fields are an error."""

    model_config = ConfigDict(**_NAMES, extra="forbid")


class ResponseModel(BaseModel):
    """A body the API returns: unknown fields are kept, in ``model_extra``."""

    model_config = ConfigDict(**_NAMES, extra="allow")


class StrictStrEnum(str, Enum):
    """A string enum that accepts only the values the spec lists."""

    def __str__(self) -> str:
        return str(self.value)


class StrictIntEnum(int, Enum):
    """An integer enum that accepts only the values the spec lists."""


class OpenStrEnum(str, Enum):
    """A string enum that also accepts values the spec does not list yet.

    An unknown value becomes a member of its own, not one of the listed names, and is
    sent back as it came.
    """

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class OpenIntEnum(int, Enum):
    """An integer enum that also accepts values the spec does not list yet."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"VALUE_{value}".replace("-", "MINUS_")
        member._value_ = value
        return member
