"""Each generated package works when vendored: copied under another name into a project
whose environment has nothing but pydantic and httpx.

A fresh virtual environment is made once per test session (``python -m venv`` and
``pip install -c constraints.txt pydantic httpx``). For each API, ``generated/<api>/`` is
copied to ``<tmp>/project/acme/_vendor/<api>_api/`` and a script runs there, in isolated
mode (``python -I``, from a folder outside the repository, so neither the repository nor
the developer's environment is importable). The script imports every module of the package,
sends a request through ``Client`` and ``AsyncClient`` over an ``httpx.MockTransport`` that
answers with the spec's example response, catches an error status, drives the client with the
package's own ``testing.FakeApi`` (an answer and a scripted timeout), and checks that none of
the generator's own dependencies was imported. An absolute import of the package's original
name, a file missing from the folder, or a dependency beyond pydantic and httpx fails it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from repo_paths import FIXTURES, GENERATED, ROOT, SPECS
from spec_support import follow_refs

from generator.names import snake_case

CONSTRAINTS = ROOT / "constraints.txt"
APIS = sorted(p.name for p in GENERATED.iterdir() if (p / "provenance.json").is_file())

RUNTIME_REQUIREMENTS = ("pydantic", "httpx")
# Distributions a vendored package must be able to do without.
GENERATOR_ONLY_MODULES = ("generator", "datamodel_code_generator", "jinja2", "black", "yaml")
UNDOCUMENTED_ERROR_STATUS = 422
FIXTURE_RESPONSE = re.compile(r"^response-(?P<status>[1-5]\d\d|default)(?:-[\w.-]+)?\.json$")
PIP_TIMEOUT_SECONDS = 240
SCRIPT_TIMEOUT_SECONDS = 120


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@pytest.fixture(scope="session")
def runtime_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interpreter whose environment holds pydantic, httpx and their dependencies only."""
    venv = tmp_path_factory.mktemp("vendor-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = _venv_python(venv)
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            "-c",
            str(CONSTRAINTS),
            *RUNTIME_REQUIREMENTS,
        ],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT_SECONDS,
    )
    assert install.returncode == 0, (
        "could not install pydantic and httpx into a fresh virtual environment "
        f"(this test needs the package index):\n{install.stdout}{install.stderr}"
    )
    return python


# --- what the spec and its fixtures say the call looks like ---------------------------------


def _case(api: str) -> dict[str, Any]:
    """The one operation's request and example answers, as the script inside the venv needs them."""
    doc = yaml.safe_load((SPECS / f"{api}.yaml").read_text(encoding="utf-8"))
    ((path, item),) = doc["paths"].items()
    methods = ("get", "post", "put", "patch", "delete")
    ((method, operation),) = ((m, o) for m, o in item.items() if m in methods)
    body = follow_refs(doc, operation.get("requestBody")) or {}
    responses: dict[str, Any] = {}
    for fixture in sorted((FIXTURES / api).glob("response-*.json")):
        match = FIXTURE_RESPONSE.match(fixture.name)
        if match is None:
            continue
        key = match["status"]
        content = follow_refs(doc, operation["responses"][key]).get("content", {"text/plain": None})
        responses.setdefault(
            "success" if key.startswith("2") else "error",
            {
                "status": UNDOCUMENTED_ERROR_STATUS if key == "default" else int(key),
                "media_type": next(iter(content)),
                "body": fixture.read_text(encoding="utf-8"),
            },
        )
    responses.setdefault(
        "error",
        {
            "status": UNDOCUMENTED_ERROR_STATUS,
            "media_type": "text/plain",
            "body": "rejected",
        },
    )
    return {
        "method_name": snake_case(operation["operationId"]),
        "method": method.upper(),
        "path": path,
        "request_media_type": next(iter(body.get("content", {})), None),
        "request": json.loads((FIXTURES / api / "request.json").read_text(encoding="utf-8")),
        **responses,
    }


# --- the script that runs inside the fresh environment -----------------------------------

VENDORED_SCRIPT = textwrap.dedent('''
    """Use a vendored package with nothing but pydantic and httpx installed."""
    import asyncio
    import importlib
    import importlib.util
    import inspect
    import json
    import pkgutil
    import sys
    from pathlib import Path

    project, package, original, case_file, forbidden = sys.argv[1:6]
    case = json.loads(Path(case_file).read_text(encoding="utf-8"))
    sys.path.insert(0, project)  # the consuming project, and nothing of the repository

    assert importlib.util.find_spec(original) is None, f"{original} is importable here"
    for name in forbidden.split(","):
        assert importlib.util.find_spec(name) is None, f"{name} is installed here"

    import httpx

    api = importlib.import_module(package)
    # The fake is for tests only: importing the package must not load it.
    assert f"{package}.testing" not in sys.modules and f"{package}._fake" not in sys.modules
    modules = sorted(info.name for info in pkgutil.iter_modules(api.__path__))
    for name in modules:
        importlib.import_module(f"{package}.{name}")
    assert Path(api.__file__).with_name("py.typed").is_file(), "py.typed is missing"
    for name in api.__all__:
        getattr(api, name)

    seen = []

    def answer(kind):
        def handler(request):
            request.read()
            seen.append(request)
            assert request.method == case["method"], request.method
            assert request.url.path.endswith(case["path"]), request.url
            assert request.headers.get("Authorization"), "no credentials sent"
            if case["request_media_type"]:
                assert request.headers["Content-Type"] == case["request_media_type"]
                assert json.loads(request.content) == case["request"]
            reply = case[kind]
            return httpx.Response(
                reply["status"], content=reply["body"].encode(),
                headers={"Content-Type": reply["media_type"]},
            )
        return handler

    # Credentials and any other required constructor argument, found from the signature;
    # base_url too, since a server variable whose default is a placeholder needs one or it.
    required = {
        name: "secret-value"
        for name, parameter in inspect.signature(api.Client).parameters.items()
        if parameter.default is inspect.Parameter.empty and parameter.kind is parameter.KEYWORD_ONLY
    }
    required["base_url"] = "https://vendored.test"
    method = case["method_name"]

    def client(kind):
        transport = httpx.MockTransport(answer(kind))
        return api.Client(**required, http_client=httpx.Client(transport=transport))

    with client("success") as sync_client:
        assert "secret-value" not in repr(sync_client)
        result = getattr(sync_client, method)(body=case["request"])
    assert type(result).__module__ == f"{package}.models", type(result)

    async def call_async():
        http_client = httpx.AsyncClient(transport=httpx.MockTransport(answer("success")))
        async with api.AsyncClient(**required, http_client=http_client) as async_client:
            return await getattr(async_client, method)(body=case["request"])

    assert type(asyncio.run(call_async())) is type(result)

    with client("error") as failing_client:
        try:
            getattr(failing_client, method)(body=case["request"])
        except api.errors.ApiStatusError as exc:
            assert exc.status_code == case["error"]["status"], exc.status_code
            assert isinstance(exc, api.ApiError)
            assert "secret-value" not in str(exc)
        else:
            raise AssertionError("an error status raised nothing")

    # The fake, imported from the vendored copy, plays the API for the vendored client.
    testing = importlib.import_module(f"{package}.testing")
    fake = testing.FakeApi()
    with fake.client() as fake_client:
        faked = getattr(fake_client, method)(body=case["request"])
    assert type(faked) is type(result), type(faked)
    (fake_call,) = fake.calls(method)
    assert json.loads(fake_call.request.content) == case["request"]
    try:
        fake.respond(method, error="connect_timeout")
        with fake.client(max_retries=0) as fake_client:
            getattr(fake_client, method)(body=case["request"])
    except api.errors.ApiTimeoutError:
        pass
    else:
        raise AssertionError("a scripted timeout raised nothing")

    leaked = sorted(
        name for name in sys.modules
        if name.split(".")[0] in forbidden.split(",") + [original]
    )
    assert not leaked, f"imported: {leaked}"
    foreign = sorted(
        name for name in sys.modules
        if name.split(".")[0] == "acme" and not (name == "acme" or name.startswith("acme._vendor"))
    )
    assert not foreign, foreign
    print(json.dumps({"package": package, "modules": modules, "requests": len(seen),
                      "result": type(result).__name__}))
    ''')


def vendor(source: Path, project: Path) -> str:
    """Copy a package folder into ``project`` as acme._vendor.<name>_api; its dotted name."""
    target = project / "acme" / "_vendor" / f"{source.name}_api"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in (project / "acme", project / "acme" / "_vendor"):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    return f"acme._vendor.{source.name}_api"


def run_vendored(
    python: Path, api: str, tmp_path: Path, source: Path | None = None
) -> subprocess.CompletedProcess[str]:
    project = tmp_path / "project"
    package = vendor(source or GENERATED / api, project)
    script = tmp_path / "use_vendored.py"
    script.write_text(VENDORED_SCRIPT, encoding="utf-8")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(_case(api)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [
            str(python),
            "-I",
            str(script),
            str(project),
            package,
            api,
            str(case_file),
            ",".join(GENERATOR_ONLY_MODULES),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_SECONDS,
    )


@pytest.mark.parametrize("api", APIS)
def test_vendored_package_works_with_only_pydantic_and_httpx(api: str, runtime_python: Path, tmp_path: Path) -> None:
    completed = run_vendored(runtime_python, api, tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["package"] == f"acme._vendor.{api}_api"
    assert report["requests"] == 3
    expected = {p.stem for p in (GENERATED / api).glob("*.py") if p.stem != "__init__"}
    assert set(report["modules"]) == expected


def test_fresh_environment_holds_only_the_runtime_requirements(runtime_python: Path) -> None:
    frozen = subprocess.run(
        [str(runtime_python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    names = {entry["name"].lower().replace("_", "-") for entry in json.loads(frozen.stdout)}
    assert {"pydantic", "httpx"} <= names
    assert not names & {"specforge", "jinja2", "black", "datamodel-code-generator", "pyyaml"}


def test_an_absolute_import_is_caught(runtime_python: Path, tmp_path: Path) -> None:
    """The check is real: a package that imports itself by its original name fails."""
    api = APIS[0]
    broken = tmp_path / "generated"
    shutil.copytree(GENERATED / api, broken / api)
    errors_py = broken / api / "errors.py"
    errors_py.write_text(
        errors_py.read_text(encoding="utf-8").replace("from ._exceptions import", f"from {api}._exceptions import", 1),
        encoding="utf-8",
    )
    run = tmp_path / "run"
    run.mkdir()
    completed = run_vendored(runtime_python, api, run, source=broken / api)
    assert completed.returncode != 0
    assert "ModuleNotFoundError" in completed.stderr and api in completed.stderr
