"""The intermediate representation: what a generated package contains, as plain data.

Built from a spec by :mod:`generator.build`; read by :mod:`generator.render`,
:mod:`generator.readme` and :mod:`generator.fake`. Every string here is ready to be laid out
as is: names are valid identifiers, annotations are valid Python. What later stages must
know about a value (the names an annotation imports, the values a ``Literal`` allows, a
documented example) is held as structure beside its text, so no stage reads it back out
of the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .names import ClassName, PythonIdentifier

ParameterLocation = Literal["path", "query", "header", "cookie"]
BodyEncoding = Literal["json", "form", "multipart", "content"]


@dataclass(frozen=True)
class Annotation:
    """A type annotation: its Python text and what a module needs in order to use it."""

    text: str
    typing_names: frozenset[str] = frozenset()  # from typing or collections.abc, nested ones too
    literals: tuple[str | int, ...] = ()  # the values it allows, when it is Literal[...]
    item: Annotation | None = None  # the annotation of each item, when it is Sequence[...]
    models: tuple[str, ...] = ()  # the model classes it names ("models.Error")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Example:
    """A value the spec documents as an example; ``value`` may be ``None`` (a documented null)."""

    value: Any


@dataclass(frozen=True)
class Parameter:
    keyword: PythonIdentifier
    wire_name: str
    location: ParameterLocation
    annotation: Annotation
    required: bool
    description: str
    # How the value is written (OpenAPI's ``style``, defaulted by location: ``simple`` in the
    # path and headers, ``form`` in the query and cookies) and whether arrays and objects
    # are spread over several pairs or segments (``explode``, defaulted by style).
    style: str
    explode: bool
    deprecated: bool
    example: Example | None = None  # the first the spec documents for it or its schema
    # A parameter written with ``content`` instead of ``schema`` is sent as that media type's
    # text: JSON for ``application/json``.
    media_type: str | None = None


@dataclass(frozen=True)
class RequestBody:
    annotation: str
    media_type: str
    encoding: BodyEncoding
    model: str | None  # "models.X" that validates and serialises a JSON or form body
    required: bool
    description: str
    example: Example | None = None  # the first the spec documents for the chosen media type


@dataclass(frozen=True)
class ResponseCase:
    status: str  # "200", "2XX"
    parser: str  # a runtime expression that turns an httpx.Response into the return value
    annotation: str
    description: str


@dataclass(frozen=True)
class ErrorCase:
    status: str  # "400", "4XX"
    error_class: ClassName
    body_parser: str


@dataclass(frozen=True)
class Operation:
    method_name: PythonIdentifier
    endpoint_name: str  # module-level constant describing the call
    operation_id: str
    http_method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[ResponseCase, ...]
    return_annotation: str
    errors: tuple[ErrorCase, ...]
    default_error_parser: str  # how the body of an undocumented status is read
    documents_default: bool  # the spec has a `default` response for the operation
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme names
    idempotent: bool
    idempotency_header: str | None  # a header parameter named Idempotency-Key (any case), by wire name
    accept: str  # the media types the documented responses come in
    example_call: str  # a call with every required argument, for the README


@dataclass(frozen=True)
class AuthScheme:
    """One security scheme and the constructor keywords that carry its credentials."""

    scheme_name: str
    kind: Literal["bearer", "basic", "api_key"]
    keywords: tuple[PythonIdentifier, ...]
    location: str  # header, query or cookie (api_key); header otherwise
    wire_name: str  # header, query or cookie name the credential goes in
    required: bool
    description: str


@dataclass(frozen=True)
class ServerVariable:
    keyword: PythonIdentifier
    wire_name: str
    default: str
    enum: tuple[str, ...]
    description: str
    in_host: bool  # it stands in the host part of the URL, so only a DNS label fits
    placeholder: bool  # its default only stands for the caller's own value (x-specforge-placeholder)


@dataclass(frozen=True)
class ErrorClass:
    name: ClassName
    status: str
    reason: str
    body_annotation: Annotation  # the documented body models, then Any
    base: str  # the class it derives from
    defined_here: bool  # False for the usual classes every package takes from its runtime


@dataclass(frozen=True)
class Package:
    name: str
    title: str
    api_version: str
    description: str
    spec_path: str
    spec_sha256: str
    generator_version: str
    base_url_template: str | None
    server_variables: tuple[ServerVariable, ...]
    servers: tuple[tuple[str, str], ...]  # (url, description) as documented
    auth: tuple[AuthScheme, ...]
    operations: tuple[Operation, ...]
    error_classes: tuple[ErrorClass, ...]
