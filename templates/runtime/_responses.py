"""Reading responses: success bodies into models, error bodies into typed errors.

A 2xx means the server did what was asked (an order exists), so a success body that does
not fully match its model is not turned into an error by default: every part that matches
is typed as usual, the parts that do not are kept as the server sent them, one WARNING
names each mismatch, and ``response_mismatches(result)`` lists them. With
``strict_responses=True`` such a body raises ``ResponseValidationError`` instead, carrying
the decoded JSON so the caller can still read what was created.
"""

from __future__ import annotations

import json
import logging
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from ._exceptions import (
    ApiStatusError,
    ResponseValidationError,
    UnexpectedStatusError,
    describe_request,
    request_id_of,
    usual_status_error,
)

__all__ = [
    "Mismatch",
    "RawResponse",
    "bytes_response",
    "error_body",
    "json_response",
    "no_content",
    "response_mismatches",
    "status_error",
    "text_response",
]

T = TypeVar("T")

logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)

_MISMATCHES = "_specforge_mismatches"


@dataclass(frozen=True)
class Mismatch:
    """One place where a success body differs from the spec: ``location`` in wire names."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


def response_mismatches(result: object) -> tuple[Mismatch, ...]:
    """The ways a returned model did not match the spec; empty when it matched fully."""
    found = getattr(result, _MISMATCHES, ())
    return found if isinstance(found, tuple) else ()


# --- Success bodies ----------------------------------------------------------------------


def _where(prefix: tuple[str | int, ...], loc: Iterable[str | int]) -> str:
    return ".".join(str(part) for part in (*prefix, *loc)) or "body"


def _record(
    exc: ValidationError, prefix: tuple[str | int, ...], out: list[Mismatch]
) -> None:
    for error in exc.errors(
        include_url=False, include_input=False, include_context=False
    ):
        out.append(Mismatch(_where(prefix, error["loc"]), error["msg"]))


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(key: Any, build: Callable[[], Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        adapter = _ADAPTERS[key] = TypeAdapter(build())
    return adapter


def _bare(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class an annotation holds (``X``, ``X | None``), if it holds just one."""
    annotation = _bare(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(models) == 1:
            return _model_in(models[0])
    return None


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    annotation = _bare(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = rest[0] if len(rest) == 1 else None
    annotation = _bare(annotation)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation) or (None,)
        return _model_in(item)
    return None


def _lenient_value(
    annotation: Any,
    key: Any,
    value: Any,
    at: tuple[str | int, ...],
    out: list[Mismatch],
) -> Any:
    try:
        return _adapter(key, lambda: annotation).validate_python(value)
    except ValidationError as exc:
        model = _model_in(annotation)
        if model is not None and isinstance(value, dict):
            return _lenient_model(model, value, at, out)
        item_model = _list_item_model(annotation)
        if item_model is not None and isinstance(value, list):
            return [
                _lenient_value(item_model, item_model, item, (*at, index), out)
                for index, item in enumerate(value)
            ]
        _record(exc, at, out)
        return value  # kept as the server sent it


_HINTS: dict[type[BaseModel], dict[str, Any]] = {}


def _field_types(model: type[BaseModel]) -> dict[str, Any]:
    """Each field's type, resolved (the models module postpones its annotations), with the
    field's own constraints (``pattern``, bounds) attached."""
    hints = _HINTS.get(model)
    if hints is None:
        resolved = typing.get_type_hints(model, include_extras=True)
        hints = _HINTS[model] = {}
        for name, info in model.model_fields.items():
            # The field's own Field() (alias, description) stays out: only its constraints count.
            hint = _bare(resolved.get(name, info.annotation))
            parts = (hint, *info.metadata)
            hints[name] = typing.Annotated[parts] if info.metadata else hint
    return hints


def _lenient_model(
    model: type[BaseModel],
    data: dict[str, Any],
    at: tuple[str | int, ...],
    out: list[Mismatch],
) -> Any:
    values: dict[str, Any] = {}
    used: set[str] = set()
    types_ = _field_types(model)
    for name, info in model.model_fields.items():
        wire = info.alias or name
        key = wire if wire in data else name if name in data else None
        if key is None:
            if info.is_required():
                out.append(Mismatch(_where(at, (wire,)), "Field required"))
            continue
        used.add(key)
        values[name] = _lenient_value(
            types_[name], (model, name), data[key], (*at, wire), out
        )
    if model.model_config.get("extra") == "allow":
        values.update((k, v) for k, v in data.items() if k not in used)
    return model.model_construct(**values)


def _is_object_model(model: Any, decoded: Any) -> bool:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return False
    return issubclass(model, RootModel) or isinstance(decoded, dict)


class json_response(Generic[T]):
    """Reads a JSON body into ``model``, leniently unless ``strict``."""

    def __init__(self, model: type[T]) -> None:
        self._model = model

    @cached_property
    def _adapter(self) -> TypeAdapter[T]:
        return TypeAdapter(self._model)

    def __call__(self, response: httpx.Response, strict: bool = False) -> T:
        if not response.content:
            raise ResponseValidationError(response, "the body is empty")
        try:
            return self._adapter.validate_json(response.content)
        except ValidationError:
            pass
        try:
            decoded = json.loads(response.content)
        except ValueError:
            raise ResponseValidationError(response, "the body is not JSON") from None
        try:
            return self._adapter.validate_python(decoded)
        except ValidationError as exc:
            found: list[Mismatch] = []
            _record(exc, (), found)
            # Leniency keeps what matches of an object; a body that is not one (null, a
            # list, a number where an object is documented) has nothing that matches.
            if strict or not _is_object_model(self._model, decoded):
                more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
                raise ResponseValidationError(
                    response, f"{found[0]}{more}", body=decoded
                ) from None
        assert isinstance(self._model, type) and issubclass(self._model, BaseModel)
        mismatches: list[Mismatch] = []
        result = _lenient_value(self._model, self._model, decoded, (), mismatches)
        if isinstance(result, BaseModel):
            object.__setattr__(result, _MISMATCHES, tuple(mismatches))
        logger.warning(
            "%s returned %s with a body that does not fully match the spec; kept as sent: %s",
            describe_request(response.request),
            response.status_code,
            "; ".join(str(m) for m in mismatches),
        )
        return result  # type: ignore[no-any-return]


def no_content(response: httpx.Response, strict: bool = False) -> None:
    """For a status documented without a body: whatever came is ignored."""


def text_response(response: httpx.Response, strict: bool = False) -> str:
    return response.text


def bytes_response(response: httpx.Response, strict: bool = False) -> bytes:
    return response.content


# --- Error bodies ------------------------------------------------------------------------


class error_body:
    """An error body: the documented model where it fits, else decoded JSON, else text."""

    def __init__(self, model: Any = None) -> None:
        self._model = model

    @cached_property
    def _adapter(self) -> TypeAdapter[Any] | None:
        return None if self._model is None else TypeAdapter(self._model)

    def __call__(self, response: httpx.Response) -> Any:
        if not response.content:
            return ""
        if self._adapter is not None:
            try:
                return self._adapter.validate_json(response.content)
            except ValidationError:
                pass
        try:
            decoded = json.loads(response.content)
        except ValueError:
            return response.text
        return decoded if isinstance(decoded, (dict, list)) else response.text


ErrorCases = Mapping[str, tuple[type[ApiStatusError], Callable[[httpx.Response], Any]]]


def status_error(
    response: httpx.Response,
    errors: ErrorCases,
    default_error: Callable[[httpx.Response], Any],
    *,
    secrets: Iterable[str] = (),
    retry_after: float | None = None,
) -> ApiStatusError:
    """The error for a response whose status is not a success.

    The class is the documented one for the exact status, else the usual class every
    package has for it, else the documented one for its range (``4XX``), else
    ``UnexpectedStatusError``. The body is read as documented for the exact status or its
    range, else as the spec's ``default`` response.
    """
    status = response.status_code
    exact = errors.get(str(status))
    ranged = errors.get(f"{status // 100}XX")
    documented = exact or ranged
    if exact is not None:
        error_class = exact[0]
    else:
        error_class = usual_status_error(status) or (
            ranged[0] if ranged else UnexpectedStatusError
        )
    read_body = documented[1] if documented else default_error
    return error_class(
        response,
        read_body(response),
        documented=documented is not None,
        secrets=secrets,
        retry_after=retry_after,
    )


# --- Raw responses -----------------------------------------------------------------------


_UNREAD = object()


class RawResponse(Generic[T]):
    """A success response as it came, with ``parse()`` for what the method would return."""

    def __init__(
        self, response: httpx.Response, retries_taken: int, parse: Callable[[], T]
    ) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: Any = _UNREAD

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response.headers)

    def parse(self) -> T:
        """What the plain method returns (read once; later calls return the same object)."""
        if self._parsed is _UNREAD:
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<RawResponse {self.status_code} {describe_request(self.http_response.request)}>"
