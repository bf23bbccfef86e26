"""``specforge diff``: what a spec change or a generator change breaks for callers.

- every case under ``tests/diff/`` (spec pairs, seed specs with documented patches, package
  folders from two template versions) gives exactly its expected report and exit code;
- the type comparison behind it, on its own: which way a type may move for inputs and
  outputs, unions and ``Optional`` as one, mypy's invariance of ``list`` and ``dict``;
- the surface read from a package folder equals the one read from the same package
  generated in memory;
- ``--against REV`` reads the old side from git (the committed package, else the spec of
  that revision, other files of a split spec included), no arguments compares the specs
  with the output folder, ``--format json``, ``--fail-on compatible``, and bad input
  (located errors, exit 2);
- the pre-commit hook and the CI example's optional step run the command as documented.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import run_cli
from repo_paths import DIFF_CASES, GENERATED, ROOT, SPECS

from generator.cli import main
from generator.diff import diff_surfaces
from generator.pipeline import generate_package
from generator.subtyping import Subtyping, judge_type
from generator.surface import SURFACE_FILES, read_surface
from generator.surface_model import PyType

CASES = DIFF_CASES
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
SUMMARY = re.compile(r"^(\d+) breaking, (\d+) compatible change\(s\) in \d+ package\(s\)$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    result = run_cli("diff", *argv)
    return result.code, result.stdout, result.stderr


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPECFORGE_CACHE", "off")
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


# --- the cases ------------------------------------------------------------------------------


def apply_patch(document: Any, operations: list[dict[str, Any]]) -> Any:
    """The JSON Patch operations the cases use (add, remove, replace, test)."""
    document = copy.deepcopy(document)
    for operation in operations:
        *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in operation["path"].split("/")[1:]]
        holder = document
        for part in parents:
            holder = holder[int(part)] if isinstance(holder, list) else holder[part]
        op = operation["op"]
        if isinstance(holder, list):
            index = len(holder) if last == "-" else int(last)
            if op == "test":
                assert holder[index] == operation["value"], f"the seed has changed at {operation['path']}"
            elif op == "add":
                holder.insert(index, operation["value"])
            elif op == "remove":
                del holder[index]
            else:
                holder[index] = operation["value"]
        elif op == "test":
            assert holder.get(last) == operation["value"], f"the seed has changed at {operation['path']}"
        elif op == "remove":
            del holder[last]
        else:
            holder[last] = operation["value"]
    return document


def stage_case(name: str, into: Path) -> tuple[str, str]:
    """Put the case's two sides under ``into``; return them as arguments to ``diff``."""
    case = CASES / name
    (into / "old").mkdir()
    (into / "new").mkdir()
    if (case / "old").is_dir():
        shutil.copytree(case / "old", into / "old" / name)
        shutil.copytree(case / "new", into / "new" / name)
        return f"old/{name}", f"new/{name}"
    if (case / "patch.yaml").is_file():
        patch = yaml.safe_load((case / "patch.yaml").read_text(encoding="utf-8"))
        seed = SPECS / f"{patch['seed']}.yaml"
        shutil.copy(seed, into / "old" / f"{name}.yaml")
        patched = apply_patch(yaml.safe_load(seed.read_text(encoding="utf-8")), patch["patch"])
        (into / "new" / f"{name}.yaml").write_text(
            yaml.safe_dump(patched, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    else:
        shutil.copy(case / "old.yaml", into / "old" / f"{name}.yaml")
        shutil.copy(case / "new.yaml", into / "new" / f"{name}.yaml")
    return f"old/{name}.yaml", f"new/{name}.yaml"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = stage_case(name, workdir)
    code, out, err = run(capsys, old, new)
    assert err == ""
    expected = (CASES / name / "expected.txt").read_text(encoding="utf-8")
    assert out == expected
    summary = SUMMARY.match(expected.splitlines()[-1])
    assert summary, "the last line of expected.txt is the summary"
    assert code == (1 if int(summary.group(1)) else 0)
    if (CASES / name / "expected.json").is_file():
        code, out, _ = run(capsys, old, new, "--format", "json")
        assert json.loads(out) == json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))


CALLERS = [name for name in CASE_NAMES if (CASES / name / "caller.py").is_file()]


def test_callers_type_check_as_the_report_says(tmp_path: Path) -> None:
    """The report's verdict, checked by mypy itself.

    A case's ``caller.py`` is code written against the old package (``PKG`` stands for its
    name) that uses what the case changes. It must pass ``mypy --strict`` against the old
    package, and against the new one it must fail exactly when the report says something
    breaks. One mypy run covers every case.
    """
    breaking: dict[str, bool] = {}
    checked: list[str] = []
    for name in CALLERS:
        staged = tmp_path / "staged" / name
        staged.mkdir(parents=True)
        old, new = stage_case(name, staged)
        for side, spec in (("old", old), ("new", new)):
            package = f"{side}_{name}"
            result = generate_package(staged / spec, package, staged)
            for rel, text in result.files.items():
                (tmp_path / package / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / package / rel).write_text(text, encoding="utf-8")
            caller = (CASES / name / "caller.py").read_text(encoding="utf-8").replace("PKG", package)
            (tmp_path / f"caller_{package}.py").write_text(caller, encoding="utf-8")
            checked.append(f"caller_{package}.py")
        summary = SUMMARY.match((CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()[-1])
        assert summary
        breaking[name] = int(summary.group(1)) > 0
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy_cache"), *checked],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    failing = {line.split(".py:", 1)[0] + ".py" for line in mypy.stdout.splitlines() if ": error:" in line}
    assert not {f for f in failing if not f.startswith("caller_")}, mypy.stdout
    for name in CALLERS:
        assert f"caller_old_{name}.py" not in failing, f"{name}: caller.py must type-check against the old package"
        fails = f"caller_new_{name}.py" in failing
        assert fails == breaking[name], (
            f"{name}: the report says {'breaking' if breaking[name] else 'compatible'}, "
            f"but mypy {'fails' if fails else 'passes'} on caller.py against the new package\n{mypy.stdout}"
        )


def test_every_case_is_complete() -> None:
    for name in CASE_NAMES:
        case = CASES / name
        sides = [(case / "old.yaml").is_file(), (case / "old").is_dir(), (case / "patch.yaml").is_file()]
        assert sides.count(True) == 1, f"{name}: exactly one of old.yaml, old/, patch.yaml"
        assert (case / "expected.txt").is_file(), f"{name}: no expected.txt"


def test_fail_on_compatible(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = stage_case("operation_added", workdir)
    code, out, _ = run(capsys, old, new)
    assert code == 0 and "0 breaking, 1 compatible" in out
    code, _, _ = run(capsys, old, new, "--fail-on", "compatible")
    assert code == 1
    again = workdir / "again"
    again.mkdir()
    same = stage_case("ref_restructuring", again)
    code, out, _ = run(capsys, *(f"again/{side}" for side in same), "--fail-on", "compatible")
    assert code == 0 and "no change to the public surface" in out


def test_json_report_lists_each_symbol(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = stage_case("parameter_removed", workdir)
    code, out, _ = run(capsys, old, new, "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["breaking"] == 2 and report["compatible"] == 0
    (package,) = report["packages"]
    assert package["package"] == "parameter_removed"
    paths = {change["path"]: change for change in package["changes"]}
    assert set(paths) == {"Client.list_pets(limit=)", "AsyncClient.list_pets(limit=)"}
    assert all(change["severity"] == "breaking" for change in paths.values())


def test_quiet_shows_only_what_fails_the_run(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = stage_case("operation_added", workdir)
    code, out, _ = run(capsys, "-q", old, new)
    assert code == 0 and out.splitlines() == ["0 breaking, 1 compatible change(s) in 1 package(s)"]
    code, out, _ = run(capsys, "-q", old, new, "--fail-on", "compatible")
    assert code == 1 and "  compatible:" in out

    again = workdir / "again"
    again.mkdir()
    old, new = (f"again/{side}" for side in stage_case("parameter_removed", again))
    code, out, _ = run(capsys, "-q", old, new)
    assert code == 1 and "  breaking:" in out and "Client.list_pets(limit=) (and AsyncClient)" in out


def test_verbose_lists_each_symbol(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = stage_case("parameter_removed", workdir)
    _, normal, _ = run(capsys, old, new)
    code, out, _ = run(capsys, "-v", old, new)
    assert code == 1
    assert "(and AsyncClient)" in normal and "(and AsyncClient)" not in out
    listed = [line.strip().split(":")[0] for line in out.splitlines() if line.startswith("    ")]
    assert sorted(listed) == ["AsyncClient.list_pets(limit=)", "Client.list_pets(limit=)"]
    # Counted per symbol, as in the JSON report.
    summary = SUMMARY.match(out.splitlines()[-1])
    assert summary is not None and summary.groups() == ("2", "0")


def test_help_lists_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["diff", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for example in ("specforge diff --against origin/main", "--format json", "exit status:"):
        assert example in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "specforge diff" in capsys.readouterr().out


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_is_located(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "broken.yaml").write_text("openapi: 3.1.0\ninfo: {title: x\n", encoding="utf-8")
    shutil.copy(CASES / "operation_added" / "old.yaml", workdir / "good.yaml")
    code, out, err = run(capsys, "good.yaml", "broken.yaml")
    assert code == 2 and out == ""
    assert re.search(r"^broken\.yaml:\d+:\d+: error: YAML syntax", err, re.M), err

    code, _, err = run(capsys, "good.yaml", "missing.yaml")
    assert code == 2 and "missing.yaml:1:1: error: no such spec file or package folder" in err

    package = workdir / "pkg"
    package.mkdir()
    (package / "client.py").write_text("class Client:\n    def broken(self\n", encoding="utf-8")
    code, _, err = run(capsys, "pkg", "pkg")
    assert code == 2 and re.search(r"pkg/client\.py:\d+:\d+: error: cannot read the package: Python syntax", err), err

    (workdir / "empty").mkdir()
    code, _, err = run(capsys, "empty", "pkg")
    assert code == 2 and "empty:1:1: error: not a generated package folder" in err

    code, _, err = run(capsys, "good.yaml")
    assert code == 2 and "give both OLD and NEW" in err
    assert "Traceback" not in err


# --- against the output folder and against a revision ----------------------------------------


def _project(root: Path, spec: str = "sitecore_cdp") -> None:
    (root / "specs").mkdir(parents=True)
    shutil.copy(SPECS / f"{spec}.yaml", root / "specs")
    shutil.copytree(GENERATED / spec, root / "generated" / spec, ignore=shutil.ignore_patterns("__pycache__"))


def _remove_ota(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8")
    assert '        - "OTA"\n' in text
    spec.write_text(text.replace('        - "OTA"\n', "", 1), encoding="utf-8")


def test_without_arguments_specs_against_the_output_folder(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(workdir)
    code, out, _ = run(capsys)
    assert code == 0, out
    assert out.startswith(
        "sitecore_cdp: no change to the public surface (generated/sitecore_cdp/ -> specs/sitecore_cdp.yaml)"
    )

    _remove_ota(workdir / "specs" / "sitecore_cdp.yaml")
    shutil.copy(CASES / "operation_added" / "old.yaml", workdir / "specs" / "pets.yaml")
    code, out, _ = run(capsys)
    assert code == 1
    assert "models.OrderChannel.OTA: removed (value 'OTA')" in out
    assert "pets: 0 breaking, 1 compatible (nothing -> specs/pets.yaml)" in out


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_against_a_revision(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(workdir)
    _git(workdir, "init", "-q")
    _git(workdir, "add", ".")
    _git(workdir, "commit", "-qm", "base")
    code, out, _ = run(capsys, "--against", "HEAD")
    assert code == 0 and "(HEAD:generated/sitecore_cdp/ -> specs/sitecore_cdp.yaml)" in out

    _remove_ota(workdir / "specs" / "sitecore_cdp.yaml")
    code, out, _ = run(capsys, "--against", "HEAD")
    assert code == 1
    assert "models.OrderChannel.OTA: removed (value 'OTA')" in out

    code, _, err = run(capsys, "--against", "no-such-branch")
    assert code == 2 and "no-such-branch:1:1: error: not a revision of this repository" in err


@needs_git
def test_against_a_revision_without_committed_output_uses_its_split_spec(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spec split over files, with nothing generated committed: the old side is made
    from the revision's own files, so a change in the other file is seen."""
    (workdir / "specs" / "shared").mkdir(parents=True)
    spec = (CASES / "request_field_required" / "old.yaml").read_text(encoding="utf-8")
    new_pet = spec[spec.index("    NewPet:\n") : spec.index("    Pet:\n")]
    spec = spec.replace(new_pet, "").replace("#/components/schemas/NewPet", "shared/pet.yaml#/NewPet")
    (workdir / "specs" / "pets.yaml").write_text(spec, encoding="utf-8")
    shared = workdir / "specs" / "shared" / "pet.yaml"
    shared.write_text(new_pet.replace("\n      ", "\n  ").replace("    NewPet:", "NewPet:"), encoding="utf-8")
    _git(workdir, "init", "-q")
    _git(workdir, "add", ".")
    _git(workdir, "commit", "-qm", "base")
    shared.write_text(shared.read_text(encoding="utf-8").replace("required: [name]", "required: [name, size]"))
    code, out, _ = run(capsys, "--against", "HEAD")
    assert code == 1, out
    assert "(HEAD:specs/pets.yaml -> specs/pets.yaml)" in out
    assert "models.NewPet.size: became required" in out


# --- the surface and the type comparison -------------------------------------------------------


def test_the_surface_of_a_package_folder() -> None:
    # The folder is what the pipeline makes in memory (the snapshot test holds them equal),
    # so reading it covers both.
    on_disk = {
        rel: (GENERATED / "sitecore_cdp" / rel).read_text(encoding="utf-8")
        for rel in SURFACE_FILES
        if (GENERATED / "sitecore_cdp" / rel).is_file()
    }
    surface = read_surface(on_disk, "sitecore_cdp")
    create = surface.clients["Client"].methods["create_order"]
    assert str(create.returns) == "models.Order"
    assert dict(create.raises)["409"] == "ConflictError"
    assert surface.models["CreateOrderRequest"].fields["currency_code"].wire_name == "currencyCode"
    assert surface.errors["ConflictError"].statuses == ("409",)


def test_how_a_template_imports_models_does_not_matter() -> None:
    """``models.Order`` and ``from .models import Order as O`` name one class, so a template
    that switches import style changes nothing for callers."""
    models = "class A(RequestModel):\n    x: int\nclass B(ResponseModel):\n    y: int\n"
    qualified = "from . import models\nclass Client:\n    def f(self, *, x: models.A) -> models.B: ...\n"
    imported = "from .models import A, B as Bee\nclass Client:\n    def f(self, *, x: A) -> 'Bee': ...\n"
    old = read_surface({"client.py": qualified, "models.py": models}, "p")
    new = read_surface({"client.py": imported, "models.py": models}, "p")
    assert diff_surfaces(old, new) == []
    assert str(new.clients["Client"].methods["f"].returns) == "models.B"


def annotation(text: str, models: str = "") -> PyType:
    """The type of ``x: <text>`` in a models module that defines ``models``."""
    source = f"from typing import *\n{models}\nclass M(ResponseModel):\n    x: {text}\n"
    return read_surface({"client.py": "", "models.py": source}, "p").models["M"].fields["x"].type


ENUMS = "class Colour(StrictStrEnum):\n    RED = 'red'\n"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Optional[int]", "int | None"),
        ("Union[None, str, int]", "int | str | None"),
        ("List[str]", "list[str]"),
        ("Annotated[str, Field(alias='a')]", "str"),
        ("Literal['b', 'a']", "Literal['a'] | Literal['b']"),
        ("'Colour'", "Colour"),
    ],
)
def test_spellings_of_one_type_are_one_type(first: str, second: str) -> None:
    assert annotation(first, ENUMS) == annotation(second, ENUMS)


@pytest.mark.parametrize(
    ("sub", "sup", "expected"),
    [
        ("int", "float", True),
        ("float", "int", False),
        ("bool", "int", True),
        ("int", "int | None", True),
        ("int | None", "int", False),
        ("Literal['a']", "str", True),
        ("Literal['a', 'b']", "Literal['a']", False),
        ("Literal['a', 1]", "str | int", True),
        ("Colour", "str", True),
        ("str", "Colour", False),
        ("list[int]", "list[float]", False),  # invariant, as mypy sees it
        ("list[int]", "Sequence[float]", True),
        ("dict[str, int]", "Mapping[str, float]", True),
        ("dict[str, int]", "dict[str, float]", False),
        ("Mapping[str, int]", "Mapping[bytes, int]", False),
        ("int", "Any", True),
        ("Any", "Colour", True),
    ],
)
def test_subtyping(sub: str, sup: str, expected: bool) -> None:
    types = Subtyping({"models.Colour": {"str"}})
    assert types.is_sub(annotation(sub, ENUMS), annotation(sup, ENUMS)) is expected


@pytest.mark.parametrize(
    ("old", "new", "direction", "severity"),
    [
        ("int", "float", "input", "compatible"),  # callers' ints are still accepted
        ("int", "float", "output", "breaking"),  # readers expecting an int get a float
        ("float", "int", "input", "breaking"),
        ("float", "int", "output", "compatible"),
        ("str", "str | None", "output", "breaking"),
        ("str", "str | None", "input", "compatible"),
        ("Colour", "str", "input", "compatible"),  # an enum that became a string
        ("Colour", "str", "output", "breaking"),
        ("int", "float", "both", "breaking"),
        ("int | str", "str | int", "both", None),
    ],
)
def test_direction_decides_what_breaks(old: str, new: str, direction: Any, severity: str | None) -> None:
    types = Subtyping({"models.Colour": {"str"}})
    judged = judge_type(annotation(old, ENUMS), annotation(new, ENUMS), direction, types)
    assert (judged[0] if judged else None) == severity


# --- the pre-commit hook and the CI example --------------------------------------------------


def test_pre_commit_hook_runs_diff_against_head() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "specforge-diff")
    assert shlex.split(hook["entry"])[:2] == ["specforge", "diff"]
    assert "--against" in hook["entry"]
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("specs/musement.yaml") and files.search("templates/client.py.jinja")


@needs_git
def test_ci_example_has_an_optional_diff_step_on_pull_requests(workdir: Path) -> None:
    """The step as GitHub would run it on a pull request into ``main`` that breaks nothing,
    then on one that removes an enum value."""
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout.get("with", {}).get("fetch-depth") == 0, "the base branch must be fetched to diff against it"
    (step,) = [step for step in job["steps"] if "diff" in step.get("run", "")]
    assert "pull_request" in step["if"]
    command = shlex.split(step["run"].replace("${{ github.base_ref }}", "main"))
    assert command[:4] == [".venv/bin/specforge", "diff", "--against", "origin/main"]
    command[0] = str(Path(sys.executable).parent / "specforge")

    _project(workdir)
    _git(workdir, "init", "-q")
    _git(workdir, "add", ".")
    _git(workdir, "commit", "-qm", "base")
    _git(workdir, "update-ref", "refs/remotes/origin/main", "HEAD")
    clean = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    _remove_ota(workdir / "specs" / "sitecore_cdp.yaml")
    broken = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "models.OrderChannel.OTA: removed" in broken.stdout
