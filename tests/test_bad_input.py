"""Bad input of every kind: exit 2, one located line per problem, and the output untouched.

The classes of bad spec (syntax, not OpenAPI, Swagger 2, validator errors, references,
duplicate operationIds) each have a data case in tests/cases/; here they are checked
together for what every refusal shares, and the failures that are not about the spec
(an output folder that cannot be written, a failure halfway through writing, a hostile
document) are provoked directly.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import yaml
from cli_runner import run_cli

from generator import output
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
        "openapi: 3.0.3\ninfo: {}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{name: p, in: body, schema: {type: string}}]\n      responses: {'200': {}}\n",
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
    result = run_cli(*argv)
    return result.code, result.stderr


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
    assert "it is a file, and the output is a folder of packages" in stderr, stderr
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
    # Located at the alias that takes the expansion past the budget: the eighth *a5.
    assert re.search(r"bomb\.yaml:7:45: error: YAML aliases expand this document by more than", stderr), stderr


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


def test_yaml_nested_past_what_libyaml_can_compose_is_refused_not_crashed(tmp_path: Path) -> None:
    """libyaml's composer recurses in C: 100,000 levels would end the process with a
    segmentation fault before any Python error could be raised."""
    spec = write(tmp_path / "deep.yaml", "openapi: 3.0.3\nx-deep: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(tmp_path / "out")])
    assert code == 2
    assert "Traceback" not in stderr
    # The 201st bracket opens the first list nested inside more than 200 collections.
    assert re.search(r"deep\.yaml:2:209: error: document is nested more than 200 levels deep", stderr), stderr


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


def _spec_with_two_mistakes() -> dict[str, object]:
    """A spec the validator refuses in two places: a parameter ``in: body`` (a 2.0 habit)
    and a response description that is a list."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Two mistakes \u00e9\U0001f600", "version": "1"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "operationId": "getA",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "q\u00e9", "in": "body", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": ["a list"]}},
                }
            }
        },
    }


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


@pytest.mark.parametrize("form", ["json_indented", "json_one_line", "json_escaped", "yaml", "yaml_with_anchor"])
def test_problems_are_located_at_their_value_in_json_and_yaml(form: str, tmp_path: Path) -> None:
    """Positions are found only when a diagnostic needs them; they must still be exact."""
    doc = _spec_with_two_mistakes()
    if form.startswith("json"):
        text = json.dumps(doc, indent=None if form == "json_one_line" else 2, ensure_ascii=form == "json_escaped")
        spec = write(tmp_path / "spec.json", text)
        body_at = text.index('"body"')
        list_at = text.index('"description": ') + len('"description": ')
    else:
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        if form == "yaml_with_anchor":  # read eagerly, through the node graph
            text = text.replace("info:\n", "x-shared: &shared {a: 1}\nx-again: *shared\ninfo:\n", 1)
        spec = write(tmp_path / "spec.yaml", text)
        body_at = text.index("body")
        list_at = text.index("- a list")  # a block list starts at its first dash

    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(tmp_path / "out")])

    assert code == 2, stderr
    assert f"{spec.name}:{_position(text, body_at)}: error: 'body' is not one of" in stderr, (text, stderr)
    assert f"{spec.name}:{_position(text, list_at)}: error: ['a list'] is not of type 'string'" in stderr, (
        text,
        stderr,
    )


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_json_is_read_as_json_whatever_the_file_is_called(suffix: str, tmp_path: Path) -> None:
    """YAML's reading of JSON differs at the edges (keys over 1024 characters, escapes YAML
    lacks); a JSON document means what JSON says, under either name."""
    doc = json.loads(
        '{"openapi": "3.0.3", "info": {"title": "T \\ud83d\\ude00", "version": "1"}, "paths": {}, '
        '"x-' + "k" * 1100 + '": 1, "components": {"schemas": {"S": {"type": "string", '
        '"enum": ["\\ud83d\\ude00", "a\\/b", "tab\\there"]}}}}'
    )
    text = json.dumps(doc, ensure_ascii=True).replace("a/b", "a\\/b")
    spec = write(tmp_path / f"spec{suffix}", text)
    out = tmp_path / "out"
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(out), "-q"])
    assert code == 0, stderr
    models = (out / "api" / "models.py").read_text(encoding="utf-8")
    assert '"\U0001f600"' in models and '"a/b"' in models and '"tab\\there"' in models, models


LONG_NUMBER = "9" * 5000
UNREADABLE_VALUES = {
    # A plain 2024-02-30 is a string (YAML 1.2); only an explicit tag makes it a date.
    "yaml_date": (
        "spec.yaml",
        "openapi: 3.0.3\nx-when: !!timestamp 2024-02-30\n",
        "2:9: error: this value cannot be read: day ",
    ),
    "yaml_long_integer": (
        "spec.yaml",
        f"openapi: 3.0.3\nx-n: [1, {LONG_NUMBER}]\n",
        "2:10: error: a number of more than 4300 digits cannot be read",
    ),
    "json_long_integer": (
        "spec.json",
        f'{{"openapi": "3.0.3",\n "x-n": {LONG_NUMBER}}}',
        "2:9: error: a number of more than 4300 digits cannot be read",
    ),
}


@pytest.mark.parametrize("kind", sorted(UNREADABLE_VALUES))
def test_well_formed_values_python_cannot_build_are_located(kind: str, tmp_path: Path) -> None:
    filename, content, expected = UNREADABLE_VALUES[kind]
    spec = write(tmp_path / filename, content)
    code, stderr = run(["generate", "--spec", str(spec), "--name", "api", "--out", str(tmp_path / "out")])
    assert code == 2
    assert "Traceback" not in stderr
    assert stderr.startswith(f"{spec.name}:{expected}"), stderr
