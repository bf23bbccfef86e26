"""Facts about the runtime that READMEs and docstrings state, read from the runtime itself.

The runtime modules (``templates/runtime/*.py``) are copied into every package; their
defaults and exception classes are written there once. This module reads them from the
source with :mod:`ast` (the runtime is never imported or run here, since its relative
imports only work inside a generated package), so a changed default changes the text
that describes it.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import cache
from typing import Any

from .resources import TEMPLATE_DIR

RUNTIME_DIR = TEMPLATE_DIR / "runtime"


@dataclass(frozen=True)
class RuntimeFacts:
    timeout: float  # seconds, for each of read, write and pool
    connect_timeout: float
    max_retries: int
    retry_statuses: tuple[int, ...]
    max_retry_after: float  # seconds; a server asking for longer is not waited for
    exception_classes: tuple[str, ...]  # every exception class _exceptions.py exports
    usual_status_errors: dict[int, str]  # status -> the class every package raises for it
    server_error: str  # the class of any 5xx status
    message_limit: int  # about how many characters of the server's message str(exc) keeps


def _module(name: str) -> ast.Module:
    return ast.parse((RUNTIME_DIR / name).read_text(encoding="utf-8"))


def _assigned(module: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def _call_arguments(node: ast.expr) -> tuple[list[Any], dict[str, Any]]:
    """The literal arguments of ``f(...)``, e.g. ``httpx.Timeout(30.0, connect=10.0)``."""
    if not isinstance(node, ast.Call):
        raise ValueError(f"expected a call, found {ast.unparse(node)}")
    positional = [ast.literal_eval(arg) for arg in node.args]
    keywords = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg is not None}
    return positional, keywords


@cache
def runtime_facts() -> RuntimeFacts:
    http = _assigned(_module("_http.py"))
    retries = _assigned(_module("_retries.py"))
    exceptions_module = _module("_exceptions.py")
    exceptions = _assigned(exceptions_module)
    (timeout,), timeout_keywords = _call_arguments(http["DEFAULT_TIMEOUT"])
    (statuses,), _ = _call_arguments(retries["RETRY_STATUSES"])  # frozenset({...})
    classes = {node.name for node in exceptions_module.body if isinstance(node, ast.ClassDef)}
    exported = ast.literal_eval(exceptions["__all__"])
    usual = exceptions["_USUAL"]
    if not isinstance(usual, ast.Dict):
        raise ValueError("_exceptions._USUAL is not a dict display")
    return RuntimeFacts(
        timeout=float(timeout),
        connect_timeout=float(timeout_keywords["connect"]),
        max_retries=int(ast.literal_eval(http["DEFAULT_MAX_RETRIES"])),
        retry_statuses=tuple(sorted(statuses)),
        max_retry_after=float(ast.literal_eval(retries["MAX_RETRY_AFTER"])),
        exception_classes=tuple(sorted(name for name in exported if name in classes)),
        usual_status_errors={
            ast.literal_eval(key): value.id
            for key, value in zip(usual.keys, usual.values, strict=True)
            if key is not None and isinstance(value, ast.Name)
        },
        server_error=_server_error_class(exceptions_module),
        message_limit=int(ast.literal_eval(exceptions["MESSAGE_LIMIT"])),
    )


def _server_error_class(module: ast.Module) -> str:
    """The class ``usual_status_error`` gives a 5xx status: the first class it returns."""
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == "usual_status_error":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Name):
                    return inner.value.id
    raise ValueError("_exceptions.usual_status_error returns no class by name")


def seconds(value: float) -> str:
    """``30.0`` -> ``30``; ``0.5`` -> ``0.5``: a duration as prose writes it."""
    return f"{value:g}"


@dataclass(frozen=True)
class RuntimeProse:
    """The facts as the README and docstrings word them."""

    timeout: str  # "30 seconds"
    connect_timeout: str  # "10"
    max_retries: str
    retry_statuses: str  # "408, 429, 500, 502, 503 and 504"
    max_retry_after: str  # "60 seconds"
    message_limit: str
    usual_errors: str  # a Markdown list item naming each usual class and its status


def runtime_prose(facts: RuntimeFacts | None = None) -> RuntimeProse:
    facts = facts or runtime_facts()
    *most, last = (str(status) for status in facts.retry_statuses)
    usual = [f"`errors.{name}` ({status})," for status, name in sorted(facts.usual_status_errors.items())]
    usual.append(f"`errors.{facts.server_error}` (any 5xx).")
    return RuntimeProse(
        timeout=f"{seconds(facts.timeout)} seconds",
        connect_timeout=seconds(facts.connect_timeout),
        max_retries=str(facts.max_retries),
        retry_statuses=f"{', '.join(most)} and {last}" if most else last,
        max_retry_after=f"{seconds(facts.max_retry_after)} seconds",
        message_limit=str(facts.message_limit),
        usual_errors=textwrap.fill(" ".join(usual), width=88, initial_indent="- ", subsequent_indent="  "),
    )
