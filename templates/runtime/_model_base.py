"""Base classes of the generated models.

Request models refuse fields they do not know and enum values the spec does not list, on
creation and on assignment, so a misspelt field or value fails before anything is sent.
What the caller did not set is not sent, and ``None`` is sent as ``null`` only where the
spec allows null. Response models keep fields the API adds later (read them from
``model_extra``), and open enums accept values the API adds later, so a new field or
status never breaks parsing.
"""

from __future__ import annotations

import inspect
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

__all__ = [
    "OpenIntEnum",
    "OpenStrEnum",
    "RequestModel",
    "ResponseModel",
    "StrictIntEnum",
    "StrictStrEnum",
]

_NAMES = ConfigDict(
    validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
)


# Each model's own docstring, before its fields were added to it.
_OWN_DOCS: dict[type[BaseModel], str] = {}


class _Described(BaseModel):
    """Adds each field's description to the class docstring, so ``help()`` shows them."""

    @classmethod
    def __pydantic_on_complete__(cls) -> None:
        # Called once the fields are known: at class creation, or for a field whose type is
        # defined further down the module, when the model is rebuilt.
        super().__pydantic_on_complete__()
        own = _OWN_DOCS.setdefault(
            cls, inspect.cleandoc(cls.__dict__.get("__doc__") or "")
        )
        lines = []
        for name, info in cls.model_fields.items():
            if info.description:
                wire = f" ({info.alias})" if info.alias and info.alias != name else ""
                lines.append(f"    {name}{wire}: {' '.join(info.description.split())}")
        fields = "Fields:\n" + "\n".join(lines) if lines else ""
        cls.__doc__ = "\n\n".join(part for part in (own, fields) if part)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The JSON schema describes a model by its own docstring, without the field list:
        # each field's description is in the schema already.
        json_schema = handler(schema)
        target = handler.resolve_ref_schema(json_schema)
        own = _OWN_DOCS.get(cls)
        if own:
            target["description"] = own
        elif own is not None:
            target.pop("description", None)
        return json_schema


class RequestModel(_Described):
    """A body the client sends: unknown fields and unlisted enum values are an error.

    Validation errors never repeat the values given, so a secret cannot leak through one.
    """

    model_config = ConfigDict(
        **_NAMES, extra="forbid", validate_assignment=True, hide_input_in_errors=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _listed_enum_values_only(cls, value: Any) -> Any:
        # An enum shared with responses is open there; a request may only send what the
        # spec lists.
        unlisted = _unlisted_member(value)
        if unlisted is not None:
            expected = ", ".join(repr(member.value) for member in type(unlisted))
            raise PydanticCustomError(
                "enum", "Input should be {expected}", {"expected": expected}
            )
        return value

    @model_validator(mode="after")
    def _settle_what_is_sent(self) -> RequestModel:
        # Runs after creation and after each assignment. A required field is sent even when
        # its value came from its default (JSON:API's ``type``); None for an optional field
        # that cannot be null means "leave it out", exactly as if it had not been set.
        fields = type(self).model_fields
        required = _required_fields(type(self))
        fields_set = self.__pydantic_fields_set__
        fields_set.update(required)
        for name in [
            n
            for n in fields_set
            if n in fields and n not in required and not fields[n].is_required()
        ]:
            if getattr(self, name, None) is None and not _is_nullable(
                fields[name].json_schema_extra
            ):
                fields_set.discard(name)
        return self


class ResponseModel(_Described):
    """A body the API returns: unknown fields are kept, in ``model_extra``."""

    model_config = ConfigDict(**_NAMES, extra="allow")

    if not TYPE_CHECKING:  # mypy keeps checking each attribute against the fields

        def __getattr__(self, name: str) -> Any:
            # Reached when the usual lookup fails. For a field, that means the body lacked
            # it: a success that did not match the spec is returned with what it had, and
            # pydantic's bare AttributeError would not say why a required field is missing.
            try:
                return super().__getattr__(name)
            except AttributeError:
                field = type(self).model_fields.get(name)
                if field is None:
                    raise
                wire = field.alias or name
                raise AttributeError(
                    f"{type(self).__name__}.{name}: the response had no {wire!r}, "
                    "although the spec requires it; it was returned as sent, with a "
                    "warning (errors.response_mismatches lists what did not match)",
                    name=name,
                    obj=self,
                ) from None


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


def _required_fields(cls: type[BaseModel]) -> set[str]:
    """Attribute names of the fields the spec requires (listed by wire name in the model's
    JSON schema extras when some of them have defaults)."""
    extra = cls.model_config.get("json_schema_extra")
    wire_names = extra.get("required") if isinstance(extra, dict) else None
    if not isinstance(wire_names, list):
        return set()
    return {
        name
        for name, field in cls.model_fields.items()
        if (field.alias or name) in wire_names
    }


def _is_nullable(extra: object) -> bool:
    return isinstance(extra, dict) and extra.get("nullable") is True


def _unlisted_member(value: object) -> Enum | None:
    """The first member of an open enum not listed by the spec, inside ``value``."""
    if isinstance(value, (OpenStrEnum, OpenIntEnum)):
        listed = type(value).__members__.get(value.name)
        return None if listed is value else value
    if isinstance(value, (list, tuple, set, frozenset)):
        items: list[object] = list(value)
    elif isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, BaseModel) and not isinstance(value, RequestModel):
        # A model shared with responses checks nothing itself.
        items = list(value.__dict__.values())
    else:
        return None
    for item in items:
        found = _unlisted_member(item)
        if found is not None:
            return found
    return None
