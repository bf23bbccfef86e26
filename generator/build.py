"""Stage 4: the intermediate representation of a package, built from a validated spec.

Takes the loaded spec, the view of each operation (:mod:`generator.operations`), the
schema plan and the classes the model stage made; gives an :class:`~generator.ir.Package`
and the warnings found on the way. Operations are read from their views only; the
document itself is read for what is not an operation's (``info``, servers, security
schemes, webhooks) and to follow a parameter's or body's schema.

Every decision about names, types and imports is made here, so that the templates only
lay out text. Model class names come from the schema plan (:mod:`generator.schemas`)
and the kinds of class the model generator actually produced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import __version__
from .connection import auth_schemes, mapping, servers, spec_text
from .document import deref, is_json_media, parse_pointer
from .errors import Diagnostic
from .ir import (
    Annotation,
    ErrorCase,
    ErrorClass,
    Operation,
    Package,
    Parameter,
    RequestBody,
    ResponseCase,
)
from .load import LoadedSpec
from .model_layout import prefer_double_quotes
from .models import ClassKind
from .names import ClassName, PythonIdentifier, snake_case, unique
from .operations import OperationView, ResponseView, operation_views
from .runtime_facts import runtime_facts
from .schemas import SchemaPlan, is_map

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})

# Keyword arguments every operation method takes itself.
RESERVED_KEYWORDS = frozenset(
    {
        "self",
        "body",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "retry_non_idempotent",
        "idempotency_key",
        "strict_responses",
    }
)
# Modules the client and operation modules import: an argument of the same name would hide
# the module inside the method and its call builder (``models.Order`` read off a string).
MODULE_NAMES = frozenset({"models", "errors", "httpx"})
# A header or cookie name: RFC 9110's token. httpx refuses anything else when sending.
_HTTP_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# The styles OpenAPI defines for each location, the first being its default.
_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
_DEFAULT_STYLE = {location: styles[0] for location, styles in _STYLES.items()}
# Names a client already has.
RESERVED_METHODS = frozenset({"close", "aclose", "base_url", "with_raw_response"})
# The header parameter whose value the per-call idempotency_key= supplies.
IDEMPOTENCY_HEADER = "idempotency-key"

# Reason phrases for the statuses the runtime has a usual class for.
_USUAL_REASONS = {
    "400": "Bad Request",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "Not Found",
    "409": "Conflict",
    "422": "Unprocessable Entity",
    "429": "Too Many Requests",
    "500": "Internal Server Error",
    "5XX": "any 5xx status",
}
# Status classes every package has, as the runtime (_exceptions.py) defines them: a
# documented status uses them.
USUAL_STATUS_ERRORS = {
    **{
        str(status): (name, _USUAL_REASONS.get(str(status), f"status {status}"))
        for status, name in runtime_facts().usual_status_errors.items()
    },
    "500": (runtime_facts().server_error, _USUAL_REASONS["500"]),
    "5XX": (runtime_facts().server_error, _USUAL_REASONS["5XX"]),
}
# Classes made for other documented statuses; a 5xx one derives from InternalServerError.
STATUS_ERROR_NAMES = {
    "402": ("PaymentRequiredError", "Payment Required"),
    "405": ("MethodNotAllowedError", "Method Not Allowed"),
    "406": ("NotAcceptableError", "Not Acceptable"),
    "408": ("RequestTimeoutError", "Request Timeout"),
    "410": ("GoneError", "Gone"),
    "412": ("PreconditionFailedError", "Precondition Failed"),
    "413": ("PayloadTooLargeError", "Payload Too Large"),
    "415": ("UnsupportedMediaTypeError", "Unsupported Media Type"),
    "423": ("LockedError", "Locked"),
    "501": ("NotImplementedApiError", "Not Implemented"),
    "502": ("BadGatewayError", "Bad Gateway"),
    "503": ("ServiceUnavailableError", "Service Unavailable"),
    "504": ("GatewayTimeoutError", "Gateway Timeout"),
    "4XX": ("ClientError", "any other 4xx status"),
}

_SCALAR_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
ANY = Annotation("Any", frozenset({"Any"}))


class _Builder:
    def __init__(
        self,
        spec: LoadedSpec,
        plan: SchemaPlan,
        classes: Mapping[str, ClassKind],
        name: str,
        views: tuple[OperationView, ...],
    ) -> None:
        self.spec = spec
        self.views = views
        self.doc = spec.document
        self.plan = plan
        self.classes = classes
        self.name = name
        self.warnings: list[Diagnostic] = []
        self.error_classes: dict[str, ErrorClass] = {}
        self.error_bodies: dict[str, set[str]] = {}

    # --- types --------------------------------------------------------------------------

    def model_ref(self, class_name: str | None) -> str | None:
        if class_name is None or class_name not in self.classes:
            return None
        return f"models.{class_name}"

    def annotation_for(self, schema: Any, depth: int = 0) -> Annotation:
        """A Python type for a parameter schema: a model enum where the spec names one."""
        if depth > 8 or not isinstance(schema, dict):
            return ANY
        if "$ref" in schema:
            pointer = parse_pointer(schema["$ref"])
            if pointer and len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
                class_name = self.plan.component_names.get(pointer[2], pointer[2])
                if self.classes.get(class_name) == "enum":
                    return Annotation(f"models.{class_name}", models=(f"models.{class_name}",))
            return self.annotation_for(deref(self.doc, schema), depth + 1)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [v for v in schema["enum"] if isinstance(v, (str, int)) and not isinstance(v, bool)]
            if values and len(values) == len(schema["enum"]):
                text = (
                    "Literal["
                    + ", ".join(prefer_double_quotes(repr(v)) if isinstance(v, str) else repr(v) for v in values)
                    + "]"
                )
                return Annotation(text, frozenset({"Literal"}), literals=tuple(values))
        kind = schema.get("type")
        kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if k != "null"]
        if len(kinds) == 1 and kinds[0] in _SCALAR_TYPES:
            return Annotation(_SCALAR_TYPES[kinds[0]])
        if len(kinds) == 1 and kinds[0] == "array":
            item = self.annotation_for(schema.get("items"), depth + 1)
            return Annotation(f"Sequence[{item.text}]", item.typing_names | {"Sequence"}, item=item, models=item.models)
        if len(kinds) == 1 and kinds[0] == "object":
            return Annotation("Mapping[str, Any]", frozenset({"Mapping", "Any"}))
        return ANY

    # --- parameters ---------------------------------------------------------------------

    def parameters(self, view: OperationView) -> list[Parameter]:
        taken: set[str] = set(RESERVED_KEYWORDS | MODULE_NAMES)
        result: list[Parameter] = []
        at = view.pointer
        for declared in sorted(view.parameters, key=lambda p: not p.parameter.get("required", False)):
            param, location, wire = declared.parameter, declared.location, declared.name
            if location not in ("path", "query", "header", "cookie"):
                self.warn(at, f"parameter {wire!r} in {location!r} is not supported; it is skipped")
                continue
            if location == "header" and wire.lower() == IDEMPOTENCY_HEADER:
                continue  # supplied by the idempotency_key= every method takes
            if location == "header" and wire.lower() in ("accept", "content-type", "authorization"):
                self.warnings.append(
                    self.spec.source_map.diagnostic(
                        (*at, "parameters"),
                        f"header parameter {wire!r} is set by the client itself; it is not an argument",
                        "warning",
                    )
                )
                continue
            if location in ("header", "cookie") and not _HTTP_TOKEN.fullmatch(wire):
                self.warnings.append(
                    self.spec.source_map.diagnostic(
                        (*at, "parameters"),
                        f"{location} parameter {wire!r} is not a name HTTP can send (letters, digits and"
                        " !#$%&'*+-.^_`|~ only); it is not an argument",
                        "warning",
                    )
                )
                continue
            keyword = snake_case(wire, prefix="param")
            if keyword in taken:
                # 'id' in the path and in the query, or a query parameter called 'timeout':
                # the location tells them apart more readably than a number.
                keyword = PythonIdentifier(f"{keyword.rstrip('_')}_{location}")
            keyword = PythonIdentifier(unique(keyword, taken))
            style = param.get("style")
            if not isinstance(style, str) or style not in _STYLES[location]:
                style = _DEFAULT_STYLE[location]
            explode = param.get("explode")
            if not isinstance(explode, bool):
                explode = style == "form"
            result.append(
                Parameter(
                    keyword=keyword,
                    wire_name=wire,
                    location=location,  # type: ignore[arg-type]
                    annotation=self.annotation_for(declared.schema),
                    required=bool(param.get("required")) or location == "path",
                    description=spec_text(param.get("description")),
                    style=style,
                    explode=explode,
                    deprecated=param.get("deprecated") is True,
                    example=declared.example,
                    media_type=declared.media_type,
                )
            )
        return result

    # --- bodies -------------------------------------------------------------------------

    def request_body(self, view: OperationView) -> RequestBody | None:
        body = view.request_body
        if body is None or body.media is None:
            return None
        media_type = body.media.media_type
        class_name = self.plan.request_bodies.get((view.path, view.method))
        model = self.model_ref(class_name)
        kind = self.classes.get(class_name or "")
        base = media_type.split(";")[0].strip().lower()
        if is_json_media(base):
            encoding = "json"
        elif base == "application/x-www-form-urlencoded":
            encoding = "form"
        elif base.startswith("multipart/"):
            encoding = "multipart"
        else:
            encoding = "content"
        if encoding == "content":
            annotation = "bytes | str"
            model = None
        elif kind == "model":
            annotation = f"{model} | Mapping[str, Any]"
        elif model is not None:
            annotation = f"{model} | Any"
        elif is_map(deref(self.doc, body.media.schema)):
            annotation = "Mapping[str, Any]"  # an open object: any JSON object, sent as given
        else:
            annotation = "Any"
        if encoding == "multipart":
            annotation = "Mapping[str, Any]" if kind != "model" else annotation
        return RequestBody(
            annotation=annotation,
            media_type=base if encoding != "multipart" else "multipart/form-data",
            encoding=encoding,  # type: ignore[arg-type]
            model=model,
            required=body.required,
            description=spec_text(body.description),
            example=body.media.example,
        )

    def response_reader(self, view: OperationView, response: ResponseView) -> tuple[str, str]:
        """(parser expression, annotation) for one documented response."""
        if response.media is None:
            return "_http.no_content", "None"
        media_type = response.media.media_type
        model = self.model_ref(self.plan.responses.get((view.path, view.method, response.status)))
        if is_json_media(media_type):
            if model is None:
                return "_http.json_response(object)", "object"
            return f"_http.json_response({model})", model
        if media_type.startswith("text/"):
            return "_http.text_response", "str"
        return "_http.bytes_response", "bytes"

    def accept_header(self, view: OperationView) -> str:
        """The media types the operation's responses are documented in, successes first,
        so a server that negotiates content answers in one the client can read."""
        media_types: list[str] = []
        for response in sorted(view.responses, key=lambda r: not r.status.startswith("2")):
            media_types.extend(m for m in response.media_types if m not in media_types)
        return ", ".join(media_types) or "application/json"

    def error_class(self, status: str, body_model: str | None) -> ClassName:
        key = status.upper()
        if key not in self.error_classes:
            if key in USUAL_STATUS_ERRORS:
                name, reason = USUAL_STATUS_ERRORS[key]
                error = ErrorClass(ClassName(name), key, reason, ANY, "ApiStatusError", defined_here=False)
            else:
                name, reason = STATUS_ERROR_NAMES.get(key, (f"Status{key}Error", f"status {key}"))
                base = runtime_facts().server_error if key.startswith("5") else "ApiStatusError"
                error = ErrorClass(ClassName(name), key, reason, ANY, base, defined_here=True)
            self.error_classes[key] = error
            self.error_bodies[key] = set()
        self.error_bodies[key].add(body_model or "str")
        return self.error_classes[key].name

    # --- operations ---------------------------------------------------------------------

    def operation(self, view: OperationView, taken: set[str]) -> Operation:
        op_id = view.operation_id if view.operation_id is not None else f"{view.method} {view.path}"
        method_name = PythonIdentifier(unique(snake_case(op_id, prefix="op"), taken))
        responses, errors, default_error = self.responses(view)
        return Operation(
            method_name=method_name,
            endpoint_name=f"_{method_name.upper()}",
            operation_id=op_id,
            http_method=view.method.upper(),
            path=view.path,
            summary=spec_text(view.summary),
            description=spec_text(view.description),
            deprecated=view.deprecated,
            parameters=tuple(self.parameters(view)),
            body=self.request_body(view),
            responses=tuple(responses) or (ResponseCase("2XX", "_http.no_content", "None", ""),),
            return_annotation=_return_annotation(responses),
            errors=tuple(errors),
            default_error_parser=default_error,
            documents_default=any(r.status.lower() == "default" for r in view.responses),
            security=view.security,
            idempotent=view.method.upper() in IDEMPOTENT_METHODS,
            idempotency_header=next((h for h in view.header_names if h.lower() == IDEMPOTENCY_HEADER), None),
            accept=self.accept_header(view),
            example_call="",
        )

    def responses(self, view: OperationView) -> tuple[list[ResponseCase], list[ErrorCase], str]:
        """The documented successes, the documented error statuses, and how the body of
        any other status is read (the ``default`` response's model, where there is one)."""
        responses: list[ResponseCase] = []
        errors: list[ErrorCase] = []
        default_error = "_http.error_body()"
        for response in view.responses:
            status = response.status.upper()
            description = spec_text(response.description)
            if status.startswith("2"):
                parser, annotation = self.response_reader(view, response)
                responses.append(ResponseCase(status, parser, annotation, description))
                continue
            model = self.model_ref(self.plan.responses.get((view.path, view.method, response.status)))
            body_parser = f"_http.error_body({model})" if model else "_http.error_body()"
            if status == "DEFAULT":
                default_error = body_parser
                continue
            if not re.fullmatch(r"[1-5](\d\d|XX)", status):
                continue
            errors.append(ErrorCase(status, self.error_class(status, model), body_parser))
        return responses, errors, default_error

    # --- warnings -----------------------------------------------------------------------

    def warn(self, pointer: tuple[str, ...], message: str) -> None:
        self.warnings.append(self.spec.source_map.diagnostic(pointer, message, "warning"))

    def unsupported_constructs(self) -> None:
        """Parts of a spec that generate nothing, said once each, where they are."""
        webhooks = self.doc.get("webhooks")
        if isinstance(webhooks, dict) and webhooks:
            self.warn(("webhooks",), f"webhooks are not generated; {len(webhooks)} skipped")
        for view in self.views:
            if view.has_callbacks:
                self.warn((*view.pointer, "callbacks"), "callbacks are not generated; skipped")


def build_package(
    spec: LoadedSpec,
    plan: SchemaPlan,
    classes: Mapping[str, ClassKind],
    name: str,
    views: tuple[OperationView, ...] | None = None,
) -> tuple[Package, list[Diagnostic]]:
    """The package ``name``; ``views`` are the document's operations (made here when not given)."""
    builder = _Builder(spec, plan, classes, name, operation_views(spec.document) if views is None else views)
    taken: set[str] = set(RESERVED_METHODS)
    operations = [builder.operation(view, taken) for view in builder.views]
    auth = auth_schemes(spec.document, operations, builder.warn)
    builder.unsupported_constructs()
    template, variables, documented = servers(spec.document)
    info = mapping(spec.document.get("info"))
    error_classes = tuple(
        ErrorClass(
            cls.name,
            cls.status,
            cls.reason,
            _error_body_annotation(builder.error_bodies[key]),
            cls.base,
            cls.defined_here,
        )
        for key, cls in sorted(builder.error_classes.items())
    )
    package = Package(
        name=name,
        title=spec_text(info.get("title")) or name,
        api_version=spec_text(str(info.get("version", ""))),
        description=spec_text(info.get("description")),
        spec_path=spec.display_path,
        spec_sha256=spec.sha256,
        generator_version=__version__,
        base_url_template=template,
        server_variables=tuple(variables),
        servers=tuple(documented),
        auth=tuple(auth),
        operations=tuple(operations),
        error_classes=error_classes,
    )
    return package, sorted(builder.warnings)


def _return_annotation(responses: list[ResponseCase]) -> str:
    """The union of the success annotations, ``None`` last so the usual answer reads first."""
    annotations = list(dict.fromkeys(r.annotation for r in responses)) or ["None"]
    if "None" in annotations and len(annotations) > 1:
        annotations = [a for a in annotations if a != "None"] + ["None"]
    return " | ".join(annotations)


def _error_body_annotation(bodies: set[str]) -> Annotation:
    """The documented body models of one status, then Any: a server may answer otherwise."""
    models = tuple(sorted(body for body in bodies if body != "str"))
    return Annotation(" | ".join([*models, "Any"]), frozenset({"Any"}), models=models)
