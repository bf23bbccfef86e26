"""Stage 3, the client's connection: credentials from security schemes, the base URL from servers.

Part of the build (:mod:`generator.build` calls it): it reads the validated document and
gives the IR's :class:`~generator.ir.AuthScheme` and :class:`~generator.ir.ServerVariable`
values, with the constructor keywords made unique against the client's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .document import deref
from .ir import AuthScheme, Operation, ServerVariable
from .names import PythonIdentifier, snake_case, unique

# Constructor keywords that are not credentials or server variables.
RESERVED_CLIENT_KEYWORDS = frozenset(
    {
        "self",
        "base_url",
        "timeout",
        "max_retries",
        "http_client",
        "headers",
        "idempotency_header",
        "strict_responses",
    }
)

# Reports a problem at a pointer into the document, as a warning.
Warn = Callable[[tuple[str, ...], str], None]


def mapping(value: Any) -> dict[str, Any]:
    """``value`` where the spec has a mapping there, else an empty one."""
    return value if isinstance(value, dict) else {}


def spec_text(value: Any) -> str:
    """A description or title from the spec, stripped; ``""`` where it is not text."""
    return value.strip() if isinstance(value, str) else ""


def _supported_scheme(scheme: Any) -> bool:
    if not isinstance(scheme, dict):
        return False
    kind, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    return kind in ("apiKey", "oauth2", "openIdConnect") or (kind == "http" and http_scheme in ("basic", "bearer"))


def auth_schemes(doc: dict[str, Any], operations: list[Operation], warn: Warn) -> list[AuthScheme]:
    """The credentials the client takes: one entry per security scheme an operation uses."""
    schemes = doc.get("components", {}).get("securitySchemes", {})
    if not isinstance(schemes, dict):
        return []
    used = sorted({name for op in operations for alt in op.security for name in alt})
    result: list[AuthScheme] = []
    taken: set[str] = set(RESERVED_CLIENT_KEYWORDS)
    single = sum(1 for name in used if _supported_scheme(deref(doc, schemes.get(name)))) == 1
    for scheme_name in used:
        scheme = deref(doc, schemes.get(scheme_name))
        if not isinstance(scheme, dict):
            continue
        kind_raw, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        prefix = "" if single else f"{snake_case(scheme_name)}_"
        if kind_raw == "http" and http_scheme == "basic":
            kind, keywords = "basic", [f"{prefix}username", f"{prefix}password"]
            location, wire = "header", "Authorization"
        elif kind_raw == "apiKey":
            kind, keywords = "api_key", [f"{prefix}api_key"]
            location, wire = str(scheme.get("in", "header")), str(scheme.get("name", "X-API-Key"))
        elif (kind_raw == "http" and http_scheme == "bearer") or kind_raw in ("oauth2", "openIdConnect"):
            # An OAuth 2 or OpenID Connect access token is sent as a bearer token; getting
            # one is the caller's business.
            kind, keywords = "bearer", [f"{prefix}token"]
            location, wire = "header", "Authorization"
        else:
            what = f"http scheme {http_scheme!r}" if kind_raw == "http" else f"type {kind_raw!r}"
            warn(
                ("components", "securitySchemes", scheme_name),
                f"security scheme {scheme_name!r} ({what}) is not supported; requests carry no credential for it "
                "(headers= or http_client= can supply one)",
            )
            continue
        required = bool(operations) and all(
            op.security and all(scheme_name in alt for alt in op.security) for op in operations
        )
        result.append(
            AuthScheme(
                scheme_name=scheme_name,
                kind=kind,  # type: ignore[arg-type]
                keywords=tuple(PythonIdentifier(unique(k, taken)) for k in keywords),
                location=location,
                wire_name=wire,
                required=required,
                description=spec_text(scheme.get("description")),
            )
        )
    return result


def servers(doc: dict[str, Any]) -> tuple[str | None, list[ServerVariable], list[tuple[str, str]]]:
    """The base URL template (the first http(s) server), its variables, and every documented server."""
    servers = doc.get("servers")
    listed = (
        [s for s in servers if isinstance(s, dict) and isinstance(s.get("url"), str)]
        if isinstance(servers, list)
        else []
    )
    documented = [(s["url"], spec_text(s.get("description"))) for s in listed]
    usable = next((s for s in listed if re.match(r"https?://", s["url"])), None)
    if usable is None:
        return None, [], documented
    variables: list[ServerVariable] = []
    taken: set[str] = set(RESERVED_CLIENT_KEYWORDS)
    template = usable["url"]
    raw_vars = mapping(usable.get("variables"))
    authority = template.split("://", 1)[1].split("/", 1)[0]
    for wire in re.findall(r"\{([^}]+)\}", template):
        var = mapping(raw_vars.get(wire))
        keyword = PythonIdentifier(unique(snake_case(wire, prefix="server"), taken))
        enum = tuple(str(v) for v in var.get("enum", []) if isinstance(v, (str, int)))
        variables.append(
            ServerVariable(
                keyword,
                wire,
                str(var.get("default", "")),
                enum,
                spec_text(var.get("description")),
                in_host="{" + wire + "}" in authority,
                placeholder=var.get("x-specforge-placeholder") is True,
            )
        )
    return template, variables, documented
