"""The command line behaves as people expect, and fits the tools teams already use.

- ``--help`` on every command, with examples; ``--version``; ``--quiet`` and ``--verbose``
  (before or after the command); a closing summary with counts and the elapsed time;
  colour only on a terminal, never with ``NO_COLOR``.
- ``[tool.specforge]`` in the nearest pyproject.toml (specs-dir, out-dir, packages), paths
  relative to that file, command-line options overriding it, mistakes reported located.
- The pre-commit hook in ``.pre-commit-hooks.yaml`` runs the drift check (its ``entry`` is
  run in a copy of the repository: 0 when clean, 1 on drift), and the example GitHub Actions
  workflow runs ``make check`` (checked as YAML, and its steps dry-run with ``make -n``).

Most tests call ``main()`` in-process, in a temporary project holding one spec; those
that need a terminal or a real process run ``python -m generator``.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_runner import run_cli
from repo_paths import ROOT

from generator import __version__
from generator.cli import COMMANDS, main

SPEC = "sitecore_cdp"  # the smallest of the three: the quickest to generate
SUMMARY_TIME = r"\d+\.\d\ds"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with specs/<SPEC>.yaml and nothing generated yet; the current directory."""
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "specs" / f"{SPEC}.yaml", tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPECFORGE_CACHE", "off")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    result = run_cli(*argv)
    return result.code, result.stdout, result.stderr


# --- help and version --------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_on_every_command_has_examples(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--help"] if command is None else [command, "--help"]
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "specforge " in text
    assert "[tool.specforge]" in text and "exit status" in text
    for option in ("--quiet", "--verbose"):
        assert option in text
    if command is not None:
        assert f"specforge {command}" in text
        for option in ("--spec", "--name", "--specs-dir", "--out", "--config"):
            assert option in text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"specforge {__version__}"


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage: specforge" in capsys.readouterr().err


def test_name_without_spec_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["generate", "--name", "x"])
    assert exited.value.code == 2
    assert "--name needs --spec" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("class", "is a Python keyword"),
        ("json", "is a module of Python's standard library"),
        ("httpx", "is a library that generated packages import"),
        ("my-api", "is not a Python identifier"),
    ],
)
def test_a_package_name_that_could_not_be_imported_as_itself_is_refused(
    name: str, reason: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A package called httpx, next to the real one on the import path, would be imported
    # by its own modules in place of the real one.
    code, _, err = run(capsys, "generate", "--spec", f"specs/{SPEC}.yaml", "--name", name)
    assert code == 2
    assert f"error: package name {name!r} {reason}" in err and "--name" in err
    assert not (project / "generated").exists()


# --- summaries, quiet and verbose -----------------------------------------------------------


def test_generate_then_check_summaries(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "generate")
    assert code == 0, err
    assert f"written:   generated/{SPEC}" in out
    assert re.search(rf"^1 written, 0 unchanged, 0 removed in {SUMMARY_TIME}$", out, re.M), out
    assert (project / "generated" / SPEC / "client.py").is_file()

    code, out, err = run(capsys, "check", "--full")  # the lock generate wrote would vouch for it
    assert code == 0, err
    assert re.search(rf"^1 package\(s\) up to date, \d+ files \({SUMMARY_TIME}\)$", out, re.M), out

    code, out, _ = run(capsys, "generate")
    assert re.search(rf"^0 written, 1 unchanged, 0 removed in {SUMMARY_TIME}$", out, re.M), out

    code, out, _ = run(capsys, "validate")
    assert code == 0 and re.search(rf"^1 spec\(s\) valid in {SUMMARY_TIME}$", out, re.M), out


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_nothing_when_all_is_well(where: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["-q", "generate"] if where == "before" else ["generate", "--quiet"]
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (0, "", "")
    code, out, err = run(capsys, *argv[::-1] if where == "after" else ["-q", "check"])
    assert (code, out, err) == (0, "", "")


def test_quiet_check_names_the_drifted_file_without_the_diff(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "generate")
    client = project / "generated" / SPEC / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")

    code, out, _ = run(capsys, "check", "-q")
    assert code == 1
    assert out.strip() == f"changed:   generated/{SPEC}/client.py"

    code, out, _ = run(capsys, "check")
    assert code == 1
    assert "-# edited by hand" in out
    assert re.search(rf"^drift: 0 missing, 1 changed, 0 stale in 1 package\(s\) \({SUMMARY_TIME}\)", out, re.M)
    assert "run `specforge generate` and commit the result" in out  # this project has no Makefile


def _drift(project: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The closing line of a drift report: generate, edit a file by hand, then check."""
    assert run(capsys, "generate", *argv)[0] == 0
    client = next(project.rglob("client.py"))
    client.write_text(client.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", *argv)
    assert code == 1
    return out.splitlines()[-1]


MAKEFILES = {
    "this_repository": ((ROOT / "Makefile").read_text(encoding="utf-8"), "make generate"),
    "console_script": ("gen generate: deps\n\t@echo regenerating\n\n\tspecforge generate -q\n", "make generate"),
    "recipe_on_the_rule_line": ("generate: ; python -m generator generate\n", "make generate"),
    "unrelated_generate": ("generate:\n\tprotoc --python_out=. api.proto\n", "specforge generate"),
    "specforge_elsewhere": ("generate:\n\tprotoc x.proto\ncheck:\n\tspecforge check\n", "specforge generate"),
    "a_variable_not_a_rule": ("generate := specforge generate\nall:\n\t$(generate)\n", "specforge generate"),
}


@pytest.mark.parametrize("kind", sorted(MAKEFILES))
def test_drift_report_names_the_command_this_repository_uses(
    kind: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, command = MAKEFILES[kind]
    (project / "Makefile").write_text(text, encoding="utf-8")
    assert _drift(project, capsys).endswith(f"run `{command}` and commit the result")


def test_drift_report_from_a_subdirectory_runs_the_makefile_above(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configured_project(project, 'specs-dir = "api-specs"\n')
    (project / "Makefile").write_text("generate:\n\tspecforge generate\n", encoding="utf-8")
    (project / "src" / "app").mkdir(parents=True)
    monkeypatch.chdir(project / "src" / "app")
    assert _drift(project, capsys).endswith("run `make -C ../.. generate` and commit the result")


def test_drift_report_of_a_run_with_options_repeats_them(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Makefile").write_text((ROOT / "Makefile").read_text(encoding="utf-8"), encoding="utf-8")
    line = _drift(project, capsys, "--spec", f"specs/{SPEC}.yaml", "--name", "cdp", "--out", "vendor dir")
    assert line.endswith(
        f"run `specforge generate --spec specs/{SPEC}.yaml --name cdp --out 'vendor dir'` and commit the result"
    ), line


def test_verbose_shows_settings_and_every_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-v", "generate")
    assert code == 0
    assert "config:    defaults (no [tool.specforge] found)" in out
    assert "specs:     specs/" in out and "output:    generated/" in out
    assert re.search(rf"generated: specs/{SPEC}.yaml -> {SPEC} \(\d+ files", out)
    assert f"generated/{SPEC}/models.py" in out
    code, out, _ = run(capsys, "check", "--verbose")
    assert f"same:      generated/{SPEC}/client.py" in out


def test_bad_input_reports_every_problem_located_and_a_summary(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "specs" / "broken.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: Broken, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "generate")
    assert code == 2
    assert re.search(r"^specs/broken\.yaml:\d+:\d+: error: ", err, re.M), err
    assert re.search(rf"error: \d+ error\(s\); nothing was written \({SUMMARY_TIME}\)", err)
    assert not (project / "generated").exists()
    assert "\x1b[" not in err  # not a terminal: no colour


# --- colour ------------------------------------------------------------------------------


def _run_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run ``python -m generator`` with stdout and stderr on a pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("no_color", [None, "1"])
def test_colour_only_on_a_terminal_and_never_with_no_color(no_color: str | None, tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "broken.yaml").write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update({"TERM": "xterm-256color", "PYTHONPATH": str(ROOT), "SPECFORGE_CACHE": "off"})
    if no_color is not None:
        env["NO_COLOR"] = no_color
    output = _run_on_terminal(["validate"], tmp_path, env)
    assert "error:" in output, output
    if no_color is None:
        assert ANSI.search(output), f"no colour on a terminal: {output!r}"
    else:
        assert not ANSI.search(output), f"colour despite NO_COLOR: {output!r}"
    piped = subprocess.run(
        [sys.executable, "-m", "generator", "validate"],
        cwd=tmp_path,
        env={k: v for k, v in env.items() if k != "NO_COLOR"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 2 and "error:" in piped.stderr
    assert not ANSI.search(piped.stdout + piped.stderr), "colour on a pipe"


# --- configuration -------------------------------------------------------------------------


def _configured_project(project: Path, table: str) -> Path:
    (project / "api-specs").mkdir()
    shutil.move(project / "specs" / f"{SPEC}.yaml", project / "api-specs" / f"{SPEC}.yaml")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "consumer"\nversion = "1"\n\n[tool.specforge]\n' + table,
        encoding="utf-8",
    )
    return project


def test_config_table_sets_folders_and_package_names(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configured_project(
        project,
        f'specs-dir = "api-specs"\nout-dir = "src/vendor"\n' f'packages = {{ {SPEC} = "cdp_client" }}\n',
    )
    (project / "src" / "app").mkdir(parents=True)
    monkeypatch.chdir(project / "src" / "app")  # paths are relative to pyproject.toml, not here

    code, out, err = run(capsys, "generate", "-v")
    assert code == 0, err
    assert f"config:    {project / 'pyproject.toml'} [tool.specforge]" in out
    package = project / "src" / "vendor" / "cdp_client"
    assert (package / "client.py").is_file()
    assert "from api-specs/sitecore_cdp.yaml" in (package / "client.py").read_text(encoding="utf-8")

    code, out, _ = run(capsys, "check")
    assert code == 0 and "1 package(s) up to date" in out


def test_same_output_from_any_directory(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configured_project(project, 'specs-dir = "api-specs"\n')
    run(capsys, "generate")
    (project / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(project / "deep" / "er")
    code, out, _ = run(capsys, "check")
    assert code == 0, out


def test_command_line_overrides_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _configured_project(project, f'specs-dir = "api-specs"\npackages = {{ {SPEC} = "cdp_client" }}\n')
    code, _, err = run(capsys, "generate", "--out", "elsewhere")
    assert code == 0, err
    assert (project / "elsewhere" / "cdp_client" / "client.py").is_file()
    assert not (project / "generated").exists()

    code, _, err = run(capsys, "generate", "--spec", f"api-specs/{SPEC}.yaml", "--name", "by_flag", "--out", "one")
    assert code == 0, err
    assert (project / "one" / "by_flag").is_dir()

    code, _, err = run(capsys, "generate", "--spec", f"api-specs/{SPEC}.yaml", "--out", "two")
    assert code == 0, err
    assert (project / "two" / "cdp_client").is_dir(), "the packages table applies to --spec too"


def test_explicit_config_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = project / "conf" / "specforge.toml"
    settings.parent.mkdir()
    settings.write_text('[tool.specforge]\nspecs-dir = "../specs"\nout-dir = "../built"\n', encoding="utf-8")
    code, _, err = run(capsys, "generate", "--config", str(settings))
    assert code == 0, err
    assert (project / "built" / SPEC).is_dir()


def test_a_pyproject_without_the_table_is_passed_over(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configured_project(project, 'specs-dir = "api-specs"\nout-dir = "out"\n')
    sub = project / "subpackage"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "sub"\nversion = "1"\n', encoding="utf-8")
    monkeypatch.chdir(sub)
    code, _, err = run(capsys, "generate")
    assert code == 0, err
    assert (project / "out" / SPEC).is_dir()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'specs_dir = "api-specs"\n',
            r"pyproject\.toml:6:1: error: \[tool\.specforge\] unknown key 'specs_dir' "
            r"\(did you mean 'specs-dir'\?\)",
        ),
        (
            "out-dir = 3\n",
            r"pyproject\.toml:6:1: error: \[tool\.specforge\] out-dir must be a non-empty string",
        ),
        (
            'packages = { sitecore_cdp = "not-a-name" }\n',
            r"pyproject\.toml:6:1: error: .*'not-a-name' is not a Python identifier",
        ),
        (
            'packages = { sitecore_cdp = "typing" }\n',
            r"pyproject\.toml:6:1: error: .*'typing' is a module of Python's standard library",
        ),
        ("specs-dir = \n", r"pyproject\.toml:6:\d+: error: invalid TOML"),
    ],
    ids=["unknown-key", "wrong-type", "bad-package-name", "stdlib-package-name", "invalid-toml"],
)
def test_config_mistakes_are_located_errors(
    table: str, expected: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _configured_project(project, table)
    code, _, err = run(capsys, "generate")
    assert code == 2
    assert re.search(expected, err), err
    assert not (project / "generated").exists()


def test_a_package_entry_naming_no_spec_is_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _configured_project(project, 'specs-dir = "api-specs"\npackages = { sitecore = "cdp" }\n')
    code, _, err = run(capsys, "generate")
    assert code == 0
    assert "warning: [tool.specforge] packages.sitecore: no spec sitecore.yaml in api-specs" in err


def test_this_repository_uses_the_default_layout() -> None:
    from generator.config import DEFAULT_OUT_DIR, DEFAULT_SPECS_DIR, load_config

    config = load_config(ROOT)
    assert config.specs_dir.resolve() == (ROOT / DEFAULT_SPECS_DIR).resolve()
    assert config.out_dir.resolve() == (ROOT / DEFAULT_OUT_DIR).resolve()
    assert dict(config.packages) == {}


# --- pre-commit hook and CI workflow ---------------------------------------------------------


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and [h["id"] for h in hooks] == ["specforge-check", "specforge-diff"]
    hook: dict[str, object] = hooks[0]  # specforge-diff is tested in test_diff.py
    return hook


def test_pre_commit_hook_definition() -> None:
    hook = _hook()
    for key in ("id", "name", "entry", "language"):
        assert isinstance(hook.get(key), str) and hook[key], key
    assert hook["id"] == "specforge-check"
    assert hook["language"] in ("system", "python")
    assert hook["pass_filenames"] is False
    files = re.compile(str(hook["files"]))
    for path in (
        f"specs/{SPEC}.yaml",
        f"generated/{SPEC}/client.py",
        "templates/client.py.jinja",
        "pyproject.toml",
    ):
        assert files.search(path), f"the hook does not run when {path} changes"
    assert not files.search("docs/vendoring.md")


def test_pre_commit_hook_entry_passes_when_clean_and_fails_on_drift(tmp_path: Path) -> None:
    """What pre-commit does with a `system` hook: run `entry` in the repository's root."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(ROOT / "specs" / f"{SPEC}.yaml", repo / "specs")
    shutil.copytree(
        ROOT / "generated" / SPEC,
        repo / "generated" / SPEC,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    entry = shlex.split(str(_hook()["entry"]))
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("NO_COLOR", None)

    clean = subprocess.run(entry, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "up to date" in clean.stdout

    models = repo / "generated" / SPEC / "models.py"
    models.write_text(models.read_text(encoding="utf-8").replace("class ", "class  ", 1), encoding="utf-8")
    drifted = subprocess.run(entry, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    assert f"generated/{SPEC}/models.py" in drifted.stdout


def test_example_github_workflow_runs_make_check() -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "pull_request" in triggers and "push" in triggers
    (job,) = workflow["jobs"].values()
    assert job["runs-on"].startswith("ubuntu")
    steps = job["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    version = tuple(int(part) for part in str(setup["with"]["python-version"]).split("."))
    assert version >= (3, 11), "the generator needs Python 3.11 or later"
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[0] == "make check"
    assert all("specforge diff" in run for run in runs[1:])  # the optional step, tested in test_diff.py


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_example_github_workflow_dry_run() -> None:
    """`make -n` prints what each `run:` step would do without doing it."""
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    for step in job["steps"]:
        if "run" not in step or not step["run"].startswith("make"):
            continue
        command = shlex.split(step["run"])
        assert command[0] == "make"
        dry = subprocess.run(["make", "-n", *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr
        assert "-m generator check" in dry.stdout
