"""What the contract and fault tests need to know about each API, read from its spec.

Everything that can be read from ``specs/<api>.yaml`` is (path, method, success status,
request media type, documented examples, header parameters, error statuses); only the
credentials and the constructor arguments that are not in the spec are written here.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import re
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any

import yaml
from repo_paths import FIXTURES, GENERATED, SPECS
from spec_support import follow_refs

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The status classes every package has, documented or not (see DESIGN.md); 5xx statuses
# raise InternalServerError.
STATUS_ERROR_NAMES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def usual_error_name(status: int) -> str | None:
    return "InternalServerError" if 500 <= status < 600 else STATUS_ERROR_NAMES.get(status)


# Statuses a `default` response is asked for through Prism: a client error, and server
# errors a POST must not silently repeat.
DEFAULT_RESPONSE_STATUSES = (400, 404, 500, 503)


def _snake(name: str) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.strip("_").lower()


@dataclass(frozen=True)
class ErrorCase:
    """One error status to provoke, and what the client must raise for it."""

    status: int
    documented_as: str  # the response key in the spec: "400", "4XX" or "default"
    error_class: str  # name in the package's errors module
    model: str | None  # name in the package's models module, when the schema is a $ref
    example: Any

    @property
    def id(self) -> str:
        return f"{self.status}" if self.documented_as != "default" else f"{self.status}-default"


@dataclass(frozen=True)
class ApiCase:
    name: str
    auth: dict[str, str]  # constructor keyword arguments that carry credentials
    secrets: tuple[str, ...]  # strings that must never show up in reprs, messages or logs
    client_kwargs: dict[str, Any] = field(default_factory=dict)

    # --- the spec --------------------------------------------------------------------

    @cached_property
    def spec(self) -> dict[str, Any]:
        with (SPECS / f"{self.name}.yaml").open(encoding="utf-8") as handle:
            doc: dict[str, Any] = yaml.safe_load(handle)
        return doc

    def resolve(self, node: Any) -> Any:
        return follow_refs(self.spec, node)

    @cached_property
    def _operation(self) -> tuple[str, str, dict[str, Any]]:
        for path, item in self.spec["paths"].items():
            for method in HTTP_METHODS:
                op = item.get(method)
                if op and op.get("operationId") == "createOrder":
                    return path, method.upper(), op
        raise AssertionError(f"{self.name}: no createOrder operation")

    @property
    def path(self) -> str:
        return self._operation[0]

    @property
    def method(self) -> str:
        return self._operation[1]

    @property
    def operation(self) -> dict[str, Any]:
        return self._operation[2]

    @cached_property
    def request_media_type(self) -> str:
        content = self.resolve(self.operation["requestBody"])["content"]
        (media_type,) = content
        return str(media_type)

    def _examples(self, media: dict[str, Any]) -> dict[str, Any]:
        found = {name: self.resolve(example)["value"] for name, example in (media.get("examples") or {}).items()}
        if not found and "example" in media:
            found["example"] = media["example"]
        return found

    @cached_property
    def request_examples(self) -> dict[str, Any]:
        content = self.resolve(self.operation["requestBody"])["content"]
        return self._examples(content[self.request_media_type])

    @cached_property
    def _responses(self) -> dict[str, dict[str, Any]]:
        return {str(k): self.resolve(v) for k, v in self.operation["responses"].items()}

    @cached_property
    def success_status(self) -> int:
        return min(int(k) for k in self._responses if k.isdigit() and k.startswith("2"))

    @cached_property
    def success_example(self) -> Any:
        """What Prism answers in static mode: the first example of the first 2xx response."""
        content = self._responses[str(self.success_status)]["content"]
        media = next(iter(content.values()))
        return next(iter(self._examples(media).values()))

    @cached_property
    def success_model(self) -> str:
        """Name, in the models module, of the documented success body."""
        content = self._responses[str(self.success_status)]["content"]
        ref = next(iter(content.values()))["schema"]["$ref"]
        return str(ref.rsplit("/", 1)[-1])

    @cached_property
    def duration_fields(self) -> frozenset[str]:
        """Wire names of the properties declared ``format: duration``."""
        names: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for name, prop in (node.get("properties") or {}).items():
                    if isinstance(prop, dict) and prop.get("format") == "duration":
                        names.add(name)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.spec.get("components", {}))
        return frozenset(names)

    def without_durations(self, payload: Any) -> Any:
        """``payload`` with every duration property set to ``P0D``."""
        if isinstance(payload, dict):
            return {
                k: "P0D" if k in self.duration_fields and isinstance(v, str) else self.without_durations(v)
                for k, v in payload.items()
            }
        if isinstance(payload, list):
            return [self.without_durations(v) for v in payload]
        return payload

    @cached_property
    def response_media_type(self) -> str:
        """The media type of the documented success response."""
        content = self._responses[str(self.success_status)]["content"]
        return str(next(iter(content)))

    @cached_property
    def header_kwargs(self) -> dict[str, Any]:
        """Every header parameter, as the client's keyword argument, set to its example."""
        kwargs: dict[str, Any] = {}
        for param in self.operation.get("parameters", []):
            param = self.resolve(param)
            if param["in"] != "header":
                continue
            example = param.get("example", param.get("schema", {}).get("example"))
            if example is None:
                examples = list((param.get("examples") or {}).values())
                example = self.resolve(examples[0])["value"] if examples else "x"
            kwargs[_snake(param["name"])] = example
        return kwargs

    @cached_property
    def header_wire_values(self) -> dict[str, str]:
        params = [self.resolve(p) for p in self.operation.get("parameters", [])]
        return {p["name"]: str(self.header_kwargs[_snake(p["name"])]) for p in params if p["in"] == "header"}

    @cached_property
    def error_cases(self) -> list[ErrorCase]:
        cases: list[ErrorCase] = []
        for key, response in self._responses.items():
            if key.startswith("2"):
                continue
            content = response.get("content") or {}
            media: dict[str, Any] = next(iter(content.values()), {})
            examples = list(self._examples(media).values())
            ref = (media.get("schema") or {}).get("$ref")
            model = ref.rsplit("/", 1)[-1] if ref else None
            example = examples[0] if examples else None
            if key == "default":
                statuses = [s for s in DEFAULT_RESPONSE_STATUSES if str(s) not in self._responses]
                for status in statuses:
                    name = usual_error_name(status) or "UnexpectedStatusError"
                    cases.append(ErrorCase(status, key, name, model, example))
            elif key.isdigit():
                status = int(key)
                cases.append(ErrorCase(status, key, self.error_class_name(status), model, example))
        return cases

    def expected_error(self, status: int) -> tuple[str, str | None, Any]:
        """(error class, body model or None, documented example or None) for ``status``."""
        for case in self.error_cases:
            if case.documented_as == str(status):
                return case.error_class, case.model, case.example
        usual = usual_error_name(status) or "UnexpectedStatusError"
        for case in self.error_cases:
            if case.documented_as == "default":
                return usual, case.model, case.example
        return usual, None, None

    def error_class_name(self, status: int) -> str:
        name = usual_error_name(status)
        if name is not None:
            return name
        for attr, value in vars(self.errors).items():
            if isinstance(value, type) and (value.__doc__ or "").startswith(f"{status} "):
                return attr
        raise AssertionError(f"{self.name}: no error class documented for status {status}")

    def fixture(self, name: str) -> bytes:
        return (FIXTURES / self.name / name).read_bytes()

    @property
    def request_body(self) -> Any:
        """The first documented request example."""
        return next(iter(self.request_examples.values()))

    # --- the generated package ----------------------------------------------------------

    @property
    def package(self) -> ModuleType:
        return importlib.import_module(self.name)

    @property
    def errors(self) -> ModuleType:
        return importlib.import_module(f"{self.name}.errors")

    @property
    def models(self) -> ModuleType:
        return importlib.import_module(f"{self.name}.models")

    @property
    def http(self) -> ModuleType:
        return importlib.import_module(f"{self.name}._http")

    def client(self, base_url: str, *, asynchronous: bool = False, **kwargs: Any) -> Any:
        cls = self.package.AsyncClient if asynchronous else self.package.Client
        return cls(base_url=base_url, **{**self.auth, **self.client_kwargs, **kwargs})

    def call_kwargs(self) -> dict[str, Any]:
        return {"body": self.request_body, **self.header_kwargs}


def _basic(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode()


MUSEMENT_TOKEN = "mus-tok-9f3c1e7a5b2d"
SITECORE_USER = "cdp-client-key-3e1a"
SITECORE_PASSWORD = "cdp-pw-S3cr3t-77c0"
COMMERCELAYER_TOKEN = "cl-tok-6d2b8e4f0a1c"

APIS: dict[str, ApiCase] = {
    case.name: case
    for case in (
        ApiCase(
            name="musement",
            auth={"token": MUSEMENT_TOKEN},
            secrets=(MUSEMENT_TOKEN,),
        ),
        ApiCase(
            name="sitecore_cdp",
            auth={"username": SITECORE_USER, "password": SITECORE_PASSWORD},
            secrets=(SITECORE_PASSWORD, _basic(SITECORE_USER, SITECORE_PASSWORD)),
        ),
        ApiCase(
            name="commercelayer",
            auth={"token": COMMERCELAYER_TOKEN},
            secrets=(COMMERCELAYER_TOKEN,),
            client_kwargs={"organization": "acme-test"},
        ),
    )
}
API_NAMES = sorted(APIS)


def all_specs_covered() -> set[str]:
    """Spec stems without an ApiCase (every spec must have one)."""
    return {p.stem for p in SPECS.glob("*.yaml")} - set(APIS)


@dataclass
class Outcome:
    """What one ``create_order`` call ended in, and how long it took."""

    result: Any = None
    error: BaseException | None = None
    seconds: float = 0.0


def create_order(
    api: ApiCase,
    base_url: str,
    *,
    asynchronous: bool = False,
    client: dict[str, Any] | None = None,
    call: dict[str, Any] | None = None,
) -> Outcome:
    """One ``create_order`` call with a fresh Client or AsyncClient (closed afterwards)."""
    kwargs = {**api.call_kwargs(), **(call or {})}
    outcome = Outcome()
    started = time.monotonic()
    if asynchronous:

        async def run() -> Any:
            async with api.client(base_url, asynchronous=True, **(client or {})) as c:
                return await c.create_order(**kwargs)

        try:
            outcome.result = asyncio.run(run())
        except Exception as exc:
            outcome.error = exc
    else:
        try:
            with api.client(base_url, **(client or {})) as c:
                outcome.result = c.create_order(**kwargs)
        except Exception as exc:
            outcome.error = exc
    outcome.seconds = time.monotonic() - started
    return outcome
