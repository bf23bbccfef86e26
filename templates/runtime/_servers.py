"""Server variables: the parts of the base URL a caller fills in.

A value is checked before any request, because the credentials go wherever the URL
points: a value the spec enumerates must be one of its values; any other value must stay
in its own part of the URL (a DNS label in the host; nothing that could start a new path
segment, a query, a fragment, user info or a port). A variable whose default is only a
placeholder (``x-specforge-placeholder: true`` in the spec) must be given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ServerVariable", "server_url"]


@dataclass(frozen=True)
class ServerVariable:
    """One server variable of the base URL, and what the caller gave for it."""

    keyword: str
    wire_name: str
    value: str | None  # None: a placeholder default the caller did not replace
    enum: tuple[str, ...] = ()
    in_host: bool = False


_DNS_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_URL_BREAKERS = re.compile(r"[/?#@:\\\s%]")


def server_url(template: str, variables: Sequence[ServerVariable]) -> str:
    """The base URL with each variable filled in, once each value is known to stay in its
    own place: a value cannot move the credentials to another scheme, host, port or path.
    """
    url = template
    for variable in variables:
        value = variable.value
        if value is None:
            raise ValueError(
                f"{variable.keyword}= is required: the spec's default for {{{variable.wire_name}}} "
                "is only a placeholder (or pass base_url=)"
            )
        if variable.enum and value not in variable.enum:
            allowed = ", ".join(repr(v) for v in variable.enum)
            raise ValueError(
                f"{variable.keyword}={value!r} is not one of the values the spec allows: {allowed}"
            )
        if not variable.enum:
            _check_free_value(variable, value)
        url = url.replace("{" + variable.wire_name + "}", value)
    return url


def _check_free_value(variable: ServerVariable, value: str) -> None:
    """A value the spec does not enumerate may fill only its own part of the URL."""
    if variable.in_host and not _DNS_LABEL.fullmatch(value):
        raise ValueError(
            f"{variable.keyword}={value!r} is not a host name label (letters, digits and inner hyphens only)"
        )
    if not value or _URL_BREAKERS.search(value):
        raise ValueError(
            f"{variable.keyword}={value!r} would change the URL beyond its own part of it"
        )
