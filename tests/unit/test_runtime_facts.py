"""Runtime facts read from templates/runtime, and the prose the README makes of them."""

from __future__ import annotations

import ast
import dataclasses

import pytest

from generator.runtime_facts import RUNTIME_DIR, runtime_facts, runtime_prose, seconds


def _runtime_source(name: str) -> str:
    return (RUNTIME_DIR / name).read_text(encoding="utf-8")


def test_the_facts_are_the_runtime_defaults() -> None:
    facts = runtime_facts()
    assert f"DEFAULT_MAX_RETRIES = {facts.max_retries}\n" in _runtime_source("_http.py")
    assert f"MESSAGE_LIMIT = {facts.message_limit}\n" in _runtime_source("_exceptions.py")
    assert f"MAX_RETRY_AFTER = {facts.max_retry_after!r}\n" in _runtime_source("_retries.py")


def test_every_exported_exception_class_and_only_those_is_listed() -> None:
    module = ast.parse(_runtime_source("_exceptions.py"))
    classes = {node.name for node in module.body if isinstance(node, ast.ClassDef)}
    facts = runtime_facts()
    assert set(facts.exception_classes) <= classes
    assert "usual_status_error" not in facts.exception_classes
    assert {*facts.usual_status_errors.values(), facts.server_error} <= set(facts.exception_classes)


@pytest.mark.parametrize(("value", "text"), [(30.0, "30"), (0.5, "0.5"), (60, "60"), (2.25, "2.25")])
def test_seconds(value: float, text: str) -> None:
    assert seconds(value) == text


def test_the_prose_follows_the_facts() -> None:
    changed = dataclasses.replace(
        runtime_facts(),
        timeout=12.5,
        connect_timeout=3.0,
        max_retries=5,
        retry_statuses=(429, 503),
        usual_status_errors={404: "NotFoundError"},
        server_error="ServerError",
    )
    prose = runtime_prose(changed)
    assert (prose.timeout, prose.connect_timeout, prose.max_retries) == ("12.5 seconds", "3", "5")
    assert prose.retry_statuses == "429 and 503"
    assert prose.usual_errors == "- `errors.NotFoundError` (404), `errors.ServerError` (any 5xx)."


def test_the_list_of_usual_errors_stays_within_the_line_length() -> None:
    lines = runtime_prose().usual_errors.splitlines()
    assert lines[0].startswith("- ") and all(line.startswith("  ") for line in lines[1:])
    assert all(len(line) <= 88 for line in lines)
