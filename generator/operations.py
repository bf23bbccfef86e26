"""Stage 2b: one small typed view per operation, built once from a validated document.

Takes the document :mod:`generator.validate` accepted; gives an :class:`OperationView` per
operation of ``paths``, in document order. Each view holds what later stages ask of an
operation, already resolved: its parameters merged from the path item and the operation
(an operation's own parameter replaces the path item's of the same name and location),
the media type a client sends its body in and the one it reads each response in, each
with its schema, where it is and its example (found by :mod:`generator.examples`), and its
security alternatives.
So :mod:`generator.build` and :mod:`generator.fake` read these values and never walk
``paths``, follow a ``$ref`` of an operation, choose a media type or look for an example
themselves.

Schemas stay the document's own dicts (with their ``$ref``s); they are the model stage's
business, and the view only says which one belongs where.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .document import Pointer, deref, iter_operations, pick_media
from .examples import first_example, media_example, parameter_example
from .ir import Example


@dataclass(frozen=True)
class MediaView:
    """The media type chosen from a ``content`` map: what is sent or read, and how."""

    media_type: str
    media: Mapping[str, Any]  # the media type object: ``schema``, ``example``, ``examples``
    schema: Any  # the media type's schema as written (a ``$ref`` is not followed)
    pointer: Pointer  # of the media type object
    example: Example | None  # the one the media type documents
    # For a response: a body to answer with (its example, else its schema's, else one built
    # from the schema). Not made for a request body, which nothing answers with.
    sample: Any


@dataclass(frozen=True)
class ParameterView:
    name: str
    location: str  # as written; build refuses what it cannot send
    parameter: Mapping[str, Any]  # the parameter object, its ``$ref`` followed
    schema: Any  # its ``schema``, else the schema of the media type its ``content`` chooses
    example: Example | None  # its own, else its schema's
    media_type: str | None = None  # the media type its ``content`` chooses, if it has no schema


@dataclass(frozen=True)
class RequestBodyView:
    required: bool
    description: Any
    media: MediaView | None  # None when the body documents no content


@dataclass(frozen=True)
class ResponseView:
    status: str  # the key as written: "200", "4XX", "default"
    description: Any
    media: MediaView | None  # None for a response without content
    media_types: tuple[str, ...]  # every media type it is documented in, in order
    headers: Mapping[str, Any]
    pointer: Pointer


@dataclass(frozen=True)
class OperationView:
    path: str
    method: str  # lower case, as the document spells the key
    pointer: Pointer
    operation_id: str | None
    summary: Any
    description: Any
    deprecated: bool
    parameters: tuple[ParameterView, ...]  # merged, in declaration order, path item's first
    # Names of the header parameters as declared, the operation's before the path item's: the
    # first one that names a header wins where the two disagree.
    header_names: tuple[str, ...]
    request_body: RequestBodyView | None
    responses: tuple[ResponseView, ...]  # every documented status, in document order
    security: tuple[tuple[str, ...], ...]  # alternatives, each the sorted names it needs
    has_callbacks: bool


def operation_views(document: dict[str, Any]) -> tuple[OperationView, ...]:
    """The view of every operation of ``paths``, in document order."""
    paths = document.get("paths")
    return tuple(
        _operation(document, path, method, operation, pointer, paths[path] if isinstance(paths, dict) else {})
        for path, method, operation, pointer in iter_operations(document)
    )


def _operation(
    document: dict[str, Any],
    path: str,
    method: str,
    operation: dict[str, Any],
    pointer: Pointer,
    path_item: dict[str, Any],
) -> OperationView:
    raw_id = operation.get("operationId")
    callbacks = operation.get("callbacks")
    return OperationView(
        path=path,
        method=method,
        pointer=pointer,
        operation_id=raw_id if isinstance(raw_id, str) else None,
        summary=operation.get("summary"),
        description=operation.get("description"),
        deprecated=operation.get("deprecated") is True,
        parameters=_parameters(document, path_item, operation),
        header_names=_header_names(document, path_item, operation),
        request_body=_request_body(document, operation, pointer),
        responses=_responses(document, operation, pointer),
        security=_security(document, operation),
        has_callbacks=isinstance(callbacks, dict) and bool(callbacks),
    )


def _declared(document: dict[str, Any], holder: dict[str, Any]) -> list[dict[str, Any]]:
    found = holder.get("parameters")
    resolved = (deref(document, raw) for raw in (found if isinstance(found, list) else []))
    return [p for p in resolved if isinstance(p, dict) and isinstance(p.get("name"), str)]


def _parameters(
    document: dict[str, Any], path_item: dict[str, Any], operation: dict[str, Any]
) -> tuple[ParameterView, ...]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for holder in (path_item, operation):
        for param in _declared(document, holder):
            merged[(param["name"], str(param.get("in")))] = param
    views: list[ParameterView] = []
    for (name, location), param in merged.items():
        schema, media_type = param.get("schema"), None
        if schema is None and isinstance(param.get("content"), dict):
            chosen = pick_media(param["content"])
            if chosen:
                media_type, schema = chosen[0], chosen[1].get("schema")
        views.append(ParameterView(name, location, param, schema, parameter_example(document, param), media_type))
    return tuple(views)


def _header_names(document: dict[str, Any], path_item: dict[str, Any], operation: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        str(param["name"])
        for holder in (operation, path_item)
        for param in _declared(document, holder)
        if param.get("in") == "header"
    )


def _media(document: dict[str, Any], content: Any, at: Pointer, *, answered: bool) -> MediaView | None:
    chosen = pick_media(content)
    if chosen is None:
        return None
    media_type, media = chosen
    return MediaView(
        media_type=media_type,
        media=media,
        schema=media.get("schema"),
        pointer=(*at, "content", media_type),
        example=first_example(document, media),
        sample=media_example(document, media_type, media) if answered else None,
    )


def _request_body(document: dict[str, Any], operation: dict[str, Any], at: Pointer) -> RequestBodyView | None:
    raw = operation.get("requestBody")
    body = deref(document, raw)
    if not isinstance(body, dict):
        return None
    return RequestBodyView(
        required=body.get("required") is True,
        description=body.get("description"),
        media=_media(document, body.get("content"), (*at, "requestBody"), answered=False),
    )


def _responses(document: dict[str, Any], operation: dict[str, Any], at: Pointer) -> tuple[ResponseView, ...]:
    found = operation.get("responses")
    views: list[ResponseView] = []
    for status_key, raw in (found if isinstance(found, dict) else {}).items():
        status = str(status_key)
        response = deref(document, raw)
        response = response if isinstance(response, dict) else {}
        content = response.get("content")
        headers = response.get("headers")
        pointer = (*at, "responses", status)
        views.append(
            ResponseView(
                status=status,
                description=response.get("description"),
                media=_media(document, content, pointer, answered=True),
                media_types=tuple(str(m) for m in content) if isinstance(content, dict) else (),
                headers=headers if isinstance(headers, dict) else {},
                pointer=pointer,
            )
        )
    return tuple(views)


def _security(document: dict[str, Any], operation: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The operation's own security alternatives, else the document's."""
    security = operation.get("security", document.get("security", []))
    return tuple(
        tuple(sorted(str(k) for k in requirement))
        for requirement in (security if isinstance(security, list) else [])
        if isinstance(requirement, dict)
    )
