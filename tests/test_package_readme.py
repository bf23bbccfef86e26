"""The generated READMEs: what they must say, and every Python example in them runs.

Each ```python block of generated/<api>/README.md is executed on its own (a fresh namespace,
so every example must be complete), with ``httpx.Client`` and ``httpx.AsyncClient`` given a
``MockTransport`` that answers with the spec's example responses from
tests/fixtures/<api>/. Blocks under "## Errors" get the spec's example error response (or,
where the spec documents none, a 422), and must catch it. An example that drifts from the
generated client fails here instead of in a reader's terminal.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from repo_paths import FIXTURES, GENERATED, ROOT, SPECS
from spec_support import follow_refs

APIS = sorted(p.name for p in GENERATED.iterdir() if (p / "provenance.json").is_file())

FIXTURE_RESPONSE = re.compile(r"^response-(?P<status>[1-5]\d\d|default)(?:-[\w.-]+)?\.json$")
FENCE_OPEN = re.compile(r"^```python\s*$")
UNDOCUMENTED_ERROR_STATUS = 422  # answered where the spec documents no error example


@dataclass(frozen=True)
class Block:
    api: str
    section: str  # the "## " heading it sits under
    line: int  # 1-based line of its first code line in the README
    code: str

    def __str__(self) -> str:
        return f"{self.api}:{self.line}"


def python_blocks(text: str, api: str) -> list[Block]:
    blocks: list[Block] = []
    section, lines, start = "", None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if lines is None:
            if line.startswith("## "):
                section = line[3:].strip()
            elif FENCE_OPEN.match(line):
                lines, start = [], number + 1
        elif line.startswith("```"):
            blocks.append(Block(api, section, start, "\n".join(lines) + "\n"))
            lines = None
        else:
            lines.append(line)
    assert lines is None, f"{api}/README.md: a ```python block is never closed"
    return blocks


def _all_blocks() -> list[Any]:
    cases = []
    for api in APIS:
        text = (GENERATED / api / "README.md").read_text(encoding="utf-8")
        for block in python_blocks(text, api):
            cases.append(pytest.param(block, id=f"{api}-L{block.line}-{block.section.split()[0]}"))
    return cases


# --- what the spec documents -------------------------------------------------------------


def _spec(api: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / f"{api}.yaml").read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class DocumentedOperation:
    method: str
    path: str
    request_media_type: str | None
    header_examples: dict[str, str]
    response_media_types: dict[str, str]  # status -> media type


def _operations(api: str) -> Iterator[DocumentedOperation]:
    doc = _spec(api)
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                continue
            headers = {}
            for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
                param = follow_refs(doc, raw)
                if param.get("in") == "header" and "example" in param:
                    headers[param["name"]] = str(param["example"])
            body = follow_refs(doc, operation.get("requestBody")) or {}
            media = {
                str(status): next(iter(follow_refs(doc, response).get("content", {"": None})))
                for status, response in operation.get("responses", {}).items()
            }
            yield DocumentedOperation(method.upper(), path, next(iter(body.get("content", {})), None), headers, media)


def _fixture_responses(api: str) -> tuple[tuple[int, str, bytes], tuple[int, str, bytes]]:
    """(status, status key, body) of the first success fixture and of the first error one."""
    success = error = None
    for path in sorted((FIXTURES / api).glob("response-*.json")):
        match = FIXTURE_RESPONSE.match(path.name)
        if match is None:
            continue
        key = match["status"]
        if key.startswith("2") and success is None:
            success = (int(key), key, path.read_bytes())
        elif not key.startswith("2") and error is None:
            status = UNDOCUMENTED_ERROR_STATUS if key == "default" else int(key)
            error = (status, key, path.read_bytes())
    assert success is not None, f"tests/fixtures/{api}/ has no success response example"
    if error is None:
        error = (UNDOCUMENTED_ERROR_STATUS, "", b"no error example is documented")
    return success, error


# --- running a block ---------------------------------------------------------------------


@dataclass
class MockServer:
    api: str
    answer_with_error: bool
    requests: list[httpx.Request]

    def handler(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        status, key, body = _fixture_responses(self.api)[1 if self.answer_with_error else 0]
        media = "text/plain"
        for op in _operations(self.api):
            media = op.response_media_types.get(key, media) or media
        return httpx.Response(status, content=body, headers={"Content-Type": media})


def _force_transport(monkeypatch: pytest.MonkeyPatch, cls: type[Any], make: Callable[[], Any]) -> None:
    original = cls.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("transport", make())
        original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", init)


@pytest.fixture
def importable_packages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(GENERATED))
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.split(".")[0] in APIS:
            del sys.modules[name]


def run_block(block: Block, monkeypatch: pytest.MonkeyPatch, *, error: bool) -> MockServer:
    server = MockServer(block.api, error, [])
    _force_transport(monkeypatch, httpx.Client, lambda: httpx.MockTransport(server.handler))
    _force_transport(monkeypatch, httpx.AsyncClient, lambda: httpx.MockTransport(server.handler))
    namespace: dict[str, Any] = {"__name__": f"readme_{block.api}"}
    exec(compile(block.code, f"generated/{block.api}/README.md:{block.line}", "exec"), namespace)
    return server


@pytest.mark.parametrize("block", _all_blocks())
def test_readme_example_runs(
    block: Block,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    importable_packages: None,
) -> None:
    in_errors = block.section == "Errors"
    server = run_block(block, monkeypatch, error=in_errors)
    printed = capsys.readouterr().out
    if block.section == "Operations" or in_errors:
        assert server.requests, f"{block}: the example sends no request"
        _check_requests(block.api, server.requests, headers=block.section == "Operations")
    if in_errors:
        status = _fixture_responses(block.api)[1][0]
        assert str(status) in printed, f"{block}: the {status} error was not caught and shown"
    if block.section == "Operations":
        assert printed.strip(), f"{block}: the example shows no result"
    if block.section.startswith("Unknown fields"):
        assert "no_such_field" in printed, f"{block}: the misspelt field was not refused"


def _check_requests(api: str, requests: list[httpx.Request], *, headers: bool) -> None:
    documented = {(op.method, op.path): op for op in _operations(api)}
    expected_body = json.loads((FIXTURES / api / "request.json").read_text(encoding="utf-8"))
    for request in requests:
        op = next(
            (
                op
                for (method, path), op in documented.items()
                if request.method == method and request.url.path.endswith(path)
            ),
            None,
        )
        assert op is not None, f"{request.method} {request.url} is no operation of {api}"
        assert request.headers.get("Authorization"), "the example sends no credentials"
        for name, value in op.header_examples.items() if headers else ():
            assert request.headers.get(name) == value, f"header {name} lacks its documented example"
        if op.request_media_type is not None:
            assert request.headers["Content-Type"] == op.request_media_type
            assert json.loads(request.content) == expected_body


# --- what every README says --------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
def test_readme_names_its_source_and_requirements(api: str) -> None:
    text = (GENERATED / api / "README.md").read_text(encoding="utf-8")
    provenance = json.loads((GENERATED / api / "provenance.json").read_text(encoding="utf-8"))
    info = _spec(api)["info"]
    assert info["title"] in text
    assert f"version `{info['version']}`" in text
    assert provenance["spec"] in text and provenance["spec_sha256"] in text
    assert "pip install" in text and "pydantic" in text and "httpx" in text
    for heading in (
        "## Operations",
        "## Errors",
        "## Responses that do not match the spec",
        "## Timeouts and retries",
        "## Raw responses",
        "## Unknown fields",
    ):
        assert heading in text, f"{api}/README.md lacks {heading!r}"


@pytest.mark.parametrize("api", APIS)
def test_readme_shows_the_unhappy_path_in_code(api: str) -> None:
    """What a service needs when things go wrong is shown in examples that run (above)."""
    code = "".join(b.code for b in python_blocks((GENERATED / api / "README.md").read_text(encoding="utf-8"), api))
    for needed in (
        "errors.ApiStatusError",
        "exc.request_sent",
        "errors.response_mismatches(",
        "with_raw_response.",
        "raw.parse()",
        'idempotency_header="Idempotency-Key"',
        "idempotency_key=",
    ):
        assert needed in code, f"{api}/README.md has no example with {needed!r}"


@pytest.mark.parametrize("api", APIS)
def test_every_operation_has_an_example_with_credentials(api: str) -> None:
    text = (GENERATED / api / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in python_blocks(text, api) if b.section == "Operations"]
    operations = list(_operations(api))
    assert len(blocks) == len(operations)
    for block, op in zip(blocks, operations, strict=True):
        assert "with Client(" in block.code and '="..."' in block.code, block
        for value in op.header_examples.values():
            assert f'"{value}"' in block.code, f"{block}: header example {value!r} missing"
        if op.request_media_type is not None:
            assert "body=" in block.code, block


def test_block_parser_tracks_sections() -> None:
    text = "# T\n\n## One\n\n```python\na = 1\n```\n\n```sh\nls\n```\n\n" "## Two\n```python\nb = 2\nc = 3\n```\n"
    blocks = python_blocks(text, "x")
    assert [(b.section, b.line, b.code) for b in blocks] == [
        ("One", 6, "a = 1\n"),
        ("Two", 15, "b = 2\nc = 3\n"),
    ]


def test_a_broken_example_fails(monkeypatch: pytest.MonkeyPatch, importable_packages: None) -> None:
    api = APIS[0]
    broken = Block(api, "Operations", 1, f"from {api} import Client\nClient(no_such_argument=1)\n")
    with pytest.raises(TypeError):
        run_block(broken, monkeypatch, error=False)


HOSTILE_CASES = sorted(p.name for p in (ROOT / "tests" / "cases").iterdir() if p.name.startswith("hostile_"))


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_readme_examples_of_hostile_specs_are_python(case: str, tmp_path: Path) -> None:
    """Quotes, commas, brackets, newlines and infinities in the spec's example and enum
    values must leave every example block of the README valid Python."""
    from generator.cli import main

    folder = ROOT / "tests" / "cases" / case
    spec = next(p for p in (folder / "spec.yaml", folder / "spec.json") if p.is_file())
    assert main(["generate", "-q", "--spec", str(spec), "--name", case, "--out", str(tmp_path)]) == 0
    text = (tmp_path / case / "README.md").read_text(encoding="utf-8")
    blocks = python_blocks(text, case)
    assert blocks, f"{case}: the README has no Python example"
    for block in blocks:
        compile(block.code, f"{case}/README.md:{block.line}", "exec")
