"""A large package imports lazily: its models and operations load on first use.

A synthetic spec of :data:`generator.layout.SPLIT_AT_OPERATIONS` operations (the smallest
that gets the split layout) is generated once for the module, under a name of its own.
Every check runs in a fresh interpreter without cached bytecode, as a vendored package
often runs, and looks at ``sys.modules`` to see what importing and using it loaded.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cli_runner
import pytest
from repo_paths import ROOT

from generator import layout
from generator.diff_command import folder_side
from generator.pipeline import generate_package
from generator.surface import read_surface

NAME = "bigapi"


def _synthetic_spec(folder: Path, size: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.write_synthetic(folder, size))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lazy")
    spec = _synthetic_spec(folder, layout.SPLIT_AT_OPERATIONS)
    result = cli_runner.run_cli("generate", "--spec", str(spec), "--name", NAME, "--out", str(folder / "out"))
    assert result.code == 0, result.stderr
    return folder / "out"


def _run(out: Path, script: str) -> dict[str, object]:
    """Run ``script`` in a fresh interpreter with the package importable; it prints JSON
    as its last line."""
    env = {**os.environ, "PYTHONPATH": str(out), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", LOADED + textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=out,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return found


# Prepended to every script: the package's modules imported so far.
LOADED = """
import sys


def loaded(prefix):
    return sorted(m for m in sys.modules if m.startswith(prefix))
"""


def test_the_large_package_has_the_split_layout(out: Path) -> None:
    package = out / NAME
    assert not (package / "models.py").exists()
    assert (package / "models" / "__init__.pyi").is_file()
    assert len(list((package / "models").glob("_[0-9]*.py"))) > 10
    spec = json.loads(next(out.parent.glob("synthetic_*.json")).read_text(encoding="utf-8"))
    operations = sum(len(item) for item in spec["paths"].values())
    chunks = sorted((package / "_operations").glob("_[0-9]*.py"))
    assert len(chunks) == -(-operations // layout.OPERATIONS_PER_MODULE)


def test_importing_the_package_loads_no_model_and_no_operation(out: Path) -> None:
    found = _run(
        out,
        f"""
        import json, sys
        import {NAME}
        from {NAME} import Client, AsyncClient, errors, models
        print(json.dumps({{
            "models": loaded("{NAME}.models."),
            "operations": loaded("{NAME}._operations."),
            "exports": len(models.__all__),
        }}))
        """,
    )
    assert found["models"] == []
    assert found["operations"] == []
    assert isinstance(found["exports"], int) and found["exports"] > layout.SPLIT_AT_OPERATIONS


def test_a_model_is_importable_by_name_and_loads_only_what_it_needs(out: Path) -> None:
    found = _run(
        out,
        f"""
        import json, sys
        from {NAME}.models import Thing3
        import {NAME}.models
        uuid = "6f1c1f63-4a5e-4a38-9d0b-3a5b6c1d2e3f"
        thing = Thing3.model_validate({{"id": uuid, "name": "n", "parent": {{"id": uuid, "name": "p"}}}})
        print(json.dumps({{
            "parent": type(thing.parent).__name__,
            "same": {NAME}.models.Thing3 is Thing3,
            "loaded": len(loaded("{NAME}.models.")),
            "all": len({NAME}.models.__all__),
            "in_dir": "Thing3" in dir({NAME}.models),
        }}))
        """,
    )
    assert found["parent"] == "Thing2" and found["same"] is True and found["in_dir"] is True
    assert isinstance(found["loaded"], int) and isinstance(found["all"], int)
    assert 0 < found["loaded"] < found["all"] / 4


def test_star_import_and_unknown_names(out: Path) -> None:
    found = _run(
        out,
        f"""
        import json
        import {NAME}.models as models
        namespace = {{}}
        exec("from {NAME}.models import *", namespace)
        try:
            models.NoSuchModel
            unknown = "found"
        except AttributeError as exc:
            unknown = str(exc)
        client = __import__("{NAME}").Client(token="t")
        try:
            client.no_such_operation
            missing = "found"
        except AttributeError as exc:
            missing = str(exc)
        print(json.dumps({{"star": sorted(n for n in namespace if not n.startswith("__")) == sorted(models.__all__),
                           "unknown": unknown, "missing": missing}}))
        """,
    )
    assert found["star"] is True
    assert "NoSuchModel" in str(found["unknown"])
    assert "no_such_operation" in str(found["missing"])


def test_calls_work_and_load_one_operation_module(out: Path) -> None:
    found = _run(
        out,
        f"""
        import asyncio, json, sys
        import httpx
        from {NAME} import AsyncClient, Client

        def answer(request):
            return httpx.Response(200, json={{"id": "6f1c1f63-4a5e-4a38-9d0b-3a5b6c1d2e3f", "name": "one"}})

        client = Client(token="t", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        thing = client.operation1(thing_id="x")
        raw = client.with_raw_response.operation1(thing_id="x")
        after_one = loaded("{NAME}._operations.")
        models_loaded = loaded("{NAME}.models.")
        from {NAME}.models import Problem  # the documented error body, not needed by a success

        async def main():
            transport = httpx.MockTransport(answer)
            async with AsyncClient(token="t", http_client=httpx.AsyncClient(transport=transport)) as c:
                return await c.operation1(thing_id="x")

        async_thing = asyncio.run(main())
        print(json.dumps({{
            "model": type(thing).__name__, "name": thing.name, "raw": raw.status_code,
            "async": type(async_thing).__name__, "operations": after_one,
            "is_function": callable(getattr(Client, "operation1")),
            "error_model_loaded": Problem.__module__ in models_loaded,
        }}))
        """,
    )
    assert found["model"] == "Thing1" and found["name"] == "one" and found["raw"] == 200
    assert found["async"] == "Thing1" and found["is_function"] is True
    assert found["error_model_loaded"] is False
    assert found["operations"] == [f"{NAME}._operations._1"]


def test_vendored_under_another_name(out: Path, tmp_path: Path) -> None:
    shutil.copytree(out / NAME, tmp_path / "vendored_api")
    found = _run(
        tmp_path,
        """
        import json
        import httpx
        from vendored_api import Client
        from vendored_api.models import Thing1

        def answer(request):
            return httpx.Response(200, json={"id": "6f1c1f63-4a5e-4a38-9d0b-3a5b6c1d2e3f", "name": "one"})

        client = Client(token="t", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        print(json.dumps({"same": type(client.operation1(thing_id="x")) is Thing1}))
        """,
    )
    assert found["same"] is True


def test_the_split_package_is_mypy_strict_and_ruff_clean(out: Path, tmp_path: Path) -> None:
    checks = [
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--cache-dir", str(tmp_path), NAME],
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--target-version", "py310", NAME],
    ]
    for command in checks:
        result = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr


def test_diff_reads_the_split_package_as_the_one_module_package(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `specforge diff` of a split package against the same spec written as one module finds
    # no change, and sees every operation and model: the split is a layout, not a surface.
    monkeypatch.setattr(layout, "SPLIT_AT_OPERATIONS", 10**9)
    monkeypatch.setattr(layout, "SPLIT_AT_MODEL_BYTES", 10**12)
    spec = next(out.parent.glob("synthetic_*.json"))
    single = generate_package(spec, NAME)
    assert "models.py" in single.files and "_operations/__init__.py" not in single.files
    for rel, text in single.files.items():
        (tmp_path / NAME / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / NAME / rel).write_text(text, encoding="utf-8")

    split_surface = read_surface(folder_side(out / NAME).files, NAME)
    assert split_surface == read_surface(single.files, NAME)
    operations = sum(len(item) for item in json.loads(spec.read_text(encoding="utf-8"))["paths"].values())
    assert len(set(split_surface.clients["Client"].methods) - {"close"}) == operations
    assert len(split_surface.models) == len(read_surface(single.files, NAME).models) > operations

    result = cli_runner.run_cli("diff", str(out / NAME), str(tmp_path / NAME))
    assert result.code == 0, result.stdout + result.stderr
    assert "no change to the public surface" in result.stdout
