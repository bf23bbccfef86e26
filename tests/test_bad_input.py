"""Bad input of every kind: exit 2, one located line per problem, and the output untouched.

The classes of bad spec (syntax, not OpenAPI, Swagger 2, validator errors, references,
duplicate operationIds) each have a data case in tests/cases/; here they are checked
together for what every refusal shares, and the failures that are not about the spec
(an output folder that cannot be written, a failure halfway through writing, a hostile
document) are provoked directly.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import time
from pathlib import Path

import pytest

from generator import output
from generator.cli import main as cli_main
from generator.output import read_tree

DIAGNOSTIC = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning): \S.*$")
VALID_SPEC = """\
openapi: 3.0.3
info: {title: Fine, version: "1.0"}
paths:
  /ping:
    get:
      operationId: ping
      responses:
        "200": {description: ok}
"""

BAD_SPECS = {
    "yaml_syntax": ("spec.yaml", "openapi: 3.0.3\ninfo: [unclosed\n", 1),
    "json_syntax": ("spec.json", '{"openapi": "3.0.3",}', 1),
    "empty": ("spec.yaml", "", 1),
    "only_comments": ("spec.yaml", "# nothing here\n", 1),
    "a_list": ("spec.yaml", "- openapi\n- 3.0.3\n", 1),
    "not_openapi": ("spec.yaml", "asyncapi: 3.0.0\n", 1),
    "swagger": ("spec.json", '{"swagger": "2.0", "info": {}, "paths": {}}', 1),
    "wrong_version": ("spec.yaml", "openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n", 1),
    "duplicate_key": ("spec.yaml", "openapi: 3.0.3\nopenapi: 3.1.0\n", 1),
    "not_utf8": ("spec.yaml", b"openapi: \xff\xfe\n", 1),
    "validator_many": (
        "spec.yaml",
        "openapi: 3.0.3\ninfo: {}\npaths:\n  /a:\n    get:\n      responses: {'200': {}}\n",
        3,
    ),
    "refs": (
        "spec.yaml",
        VALID_SPEC.replace(
            '"200": {description: ok}',
            '"200": {$ref: "#/components/responses/Nope"}\n        "201": {$ref: "other.yaml#/x"}',
        ),
        2,
    ),
    "duplicate_operation_id": (
        "spec.yaml",
        VALID_SPEC + "  /pong:\n    get:\n      operationId: ping\n      responses:\n"
        "        '200': {description: ok}\n",
        1,
    ),
}


def run(argv: list[str]) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli_main(argv)
    return code, stderr.getvalue()


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def previous_output(tmp_path: Path) -> Path:
    """An output folder holding an earlier, good generation of the package ``api``."""
    spec = write(tmp_path / "good.yaml", VALID_SPEC)
    out = tmp_path / "out"
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(out), "-q"])
    assert code == 0, stderr
    return out


@pytest.mark.parametrize("kind", sorted(BAD_SPECS))
def test_bad_spec_is_refused_with_located_lines(kind: str, tmp_path: Path, previous_output: Path) -> None:
    filename, content, problems = BAD_SPECS[kind]
    spec = write(tmp_path / filename, content)
    before = read_tree(previous_output)

    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(previous_output)])

    assert code == 2
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith(spec.name)]
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == problems, stderr
    assert all(DIAGNOSTIC.match(line) for line in lines), stderr
    assert read_tree(previous_output) == before


def test_every_problem_of_a_run_is_reported(tmp_path: Path) -> None:
    """Two bad specs in one folder: both are reported, and neither stops the other."""
    specs = tmp_path / "specs"
    specs.mkdir()
    write(specs / "one.yaml", "openapi: 3.0.3\ninfo: [\n")
    write(specs / "two.yaml", BAD_SPECS["refs"][1])
    write(specs / "three.yaml", VALID_SPEC)
    out = tmp_path / "out"

    code, stderr = run(["generate", "--specs-dir", str(specs), "--out", str(out)])

    assert code == 2
    assert re.search(r"one\.yaml:\d+:\d+: error: YAML syntax", stderr)
    assert len(re.findall(r"two\.yaml:\d+:\d+: error: \$ref", stderr)) == 2
    assert not out.exists(), "nothing is written when any spec is bad"


def test_output_path_that_is_a_file_is_refused_cleanly(tmp_path: Path) -> None:
    spec = write(tmp_path / "good.yaml", VALID_SPEC)
    blocker = write(tmp_path / "out", "I am a file\n")

    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(blocker)])

    assert code == 2
    assert "Traceback" not in stderr
    assert "previous output is unchanged" in stderr
    assert blocker.read_text() == "I am a file\n"


def test_unwritable_package_folder_leaves_previous_output(tmp_path: Path, previous_output: Path) -> None:
    """Tests run as root, so permissions cannot make a folder unwritable; a file where the
    staging folder's parent must be does the same."""
    spec = write(tmp_path / "changed.yaml", VALID_SPEC.replace("Fine", "Changed"))
    before = read_tree(previous_output)
    (previous_output / "api" / "provenance.json").chmod(0o444)
    blocked_out = previous_output / "api" / "README.md"  # a file, used as the output folder

    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(blocked_out)])

    assert code == 2 and "Traceback" not in stderr
    assert read_tree(previous_output) == before


def test_failure_halfway_through_writing_leaves_previous_output(
    tmp_path: Path, previous_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write(tmp_path / "changed.yaml", VALID_SPEC.replace("Fine", "Changed"))
    before = read_tree(previous_output)
    real_open = open
    written: list[str] = []

    def failing_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode and len(written) >= 3:
            raise OSError(28, "No space left on device")
        if "w" in mode:
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(previous_output)])
    monkeypatch.undo()

    assert code == 2 and "Traceback" not in stderr
    assert "No space left on device" in stderr
    assert len(written) == 3
    assert read_tree(previous_output) == before
    left = sorted(p.name for p in previous_output.iterdir())
    assert left == ["api", "specforge-lock.json"], "no staging folder is left"


def test_failure_while_swapping_leaves_previous_output(
    tmp_path: Path, previous_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write(tmp_path / "changed.yaml", VALID_SPEC.replace("Fine", "Changed"))
    before = read_tree(previous_output)
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append((str(src), str(dst)))
        if len(calls) == 2:  # the old folder is moved aside, then the new one fails to land
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", failing_replace)
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(previous_output)])
    monkeypatch.undo()

    assert "Traceback" not in stderr
    assert code == 2, stderr
    assert read_tree(previous_output / "api") == {
        rel.removeprefix("api/"): text for rel, text in before.items() if rel.startswith("api/")
    }
    assert read_tree(previous_output)["specforge-lock.json"] == before["specforge-lock.json"]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    spec = write(tmp_path / "bomb.yaml", "openapi: 3.0.3\n" + "\n".join(levels) + "\n")

    started = time.perf_counter()
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(tmp_path / "out")])

    assert time.perf_counter() - started < 30
    assert code == 2
    assert re.search(r"bomb\.yaml:1:1: error: document expands to more than", stderr), stderr


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    tags = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
    ]
    for index, tag in enumerate(tags):
        spec = write(tmp_path / f"tag{index}.yaml", f"openapi: 3.0.3\ninfo:\n  title: {tag}\n")
        code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(tmp_path / "out")])
        assert code == 2
        assert re.search(rf"tag{index}\.yaml:3:10: error: YAML tag '!!python/\S+' is not allowed", stderr), stderr
    assert not marker.exists()


def test_deeply_nested_document_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path / "deep.json", '{"openapi": "3.0.3", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(tmp_path / "out")])
    assert code == 2
    assert "Traceback" not in stderr
    assert re.search(r"deep\.json:\d+:\d+: error: ", stderr), stderr


def test_spec_extensions_never_become_code(tmp_path: Path) -> None:
    """datamodel-code-generator would honour x-python-type; the generator strips it."""
    spec = write(
        tmp_path / "ext.yaml",
        VALID_SPEC + "components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n"
        "        evil:\n          type: string\n          x-python-type: \"__import__('os').getcwd()\"\n"
        "          x-python-import: {from: os, import: system}\n",
    )
    out = tmp_path / "out"
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(out), "-q"])
    assert code == 0, stderr
    models = (out / "api" / "models.py").read_text()
    assert "__import__" not in models and "system" not in models
    assert "evil: str | None = None" in models
