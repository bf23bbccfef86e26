"""The committed packages pass the checks a careful consumer would run on them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import black
import pytest
from repo_paths import GENERATED

from generator.build import RESERVED_METHODS
from generator.surface import read_surface

PACKAGES = sorted(p for p in GENERATED.iterdir() if p.is_dir() and (p / "provenance.json").is_file())


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_mypy_strict_for_python_3_10(tmp_path: Path) -> None:
    result = _run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-version",
        "3.10",
        "--cache-dir",
        str(tmp_path / "mypy-cache"),
        *[p.name for p in PACKAGES],
        cwd=GENERATED,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_with_default_rules(tmp_path: Path) -> None:
    result = _run(
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--isolated",
        "--no-cache",
        "--target-version",
        "py310",
        *[p.name for p in PACKAGES],
        cwd=GENERATED,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*/*.py")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stable_under_black(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert black.format_str(text, mode=black.Mode(target_versions={black.TargetVersion.PY310})) == text


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_module_declares_its_exports(package: Path) -> None:
    for module in sorted(package.glob("*.py")):
        assert "\n__all__ = [" in module.read_text(encoding="utf-8"), module


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_package_ships_its_marker_files(package: Path) -> None:
    assert (package / "py.typed").is_file()
    assert (package / "README.md").is_file()
    assert (package / "testing.py").is_file()  # the fake, type-checked with the rest above
    provenance = (package / "provenance.json").read_text(encoding="utf-8")
    assert f'"spec": "specs/{package.name}.yaml"' in provenance
    assert '"spec_sha256": "' in provenance and '"generator": "specforge' in provenance


def _first_method(package: Path) -> str:
    files = {str(p.relative_to(package)): p.read_text(encoding="utf-8") for p in package.rglob("*.py")}
    methods = read_surface(files, package.name).clients["Client"].methods
    return next(name for name in methods if name not in RESERVED_METHODS)


def _mypy_caller(folder: Path, source: str) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` on ``source``, written as caller.py in ``folder``, against generated/."""
    (folder / "caller.py").write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental", "caller.py"],
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_raw_methods_take_the_plain_arguments_and_return_raw_responses(tmp_path: Path) -> None:
    """What mypy sees of ``client.with_raw_response.<method>``: the plain method's parameters,
    a ``RawResponse`` of its return (awaited, on ``AsyncClient``), and an unknown keyword an error."""
    lines = ["from typing import Any", ""]
    for package in PACKAGES:
        method = _first_method(package)
        lines += [
            f"import {package.name}",
            f"def check_{package.name}(client: {package.name}.Client, aclient: {package.name}.AsyncClient) -> None:",
            f"    reveal_type(client.{method})",
            f"    reveal_type(client.with_raw_response.{method})",
            f"    reveal_type(aclient.{method})",
            f"    reveal_type(aclient.with_raw_response.{method})",
            f"    client.with_raw_response.{method}(not_a_parameter=1)",
            f"    aclient.with_raw_response.{method}(not_a_parameter=1)",
        ]
    result = _mypy_caller(tmp_path, "\n".join(lines) + "\n")
    revealed = re.findall(r'Revealed type is "(.*)"', result.stdout)
    unexpected = re.findall(r'error: Unexpected keyword argument "not_a_parameter"', result.stdout)
    assert len(revealed) == 4 * len(PACKAGES) and len(unexpected) == 2 * len(PACKAGES), result.stdout
    for index, package in enumerate(PACKAGES):
        plain, raw, async_plain, async_raw = revealed[4 * index : 4 * index + 4]
        params, _, returns = plain.rpartition(" -> ")
        raw_response = f"{package.name}._responses.RawResponse"
        assert raw == f"{params} -> {raw_response}[{returns}]", (plain, raw)
        assert async_plain == f"{params} -> typing.Coroutine[Any, Any, {returns}]", async_plain
        assert async_raw == f"{params} -> typing.Coroutine[Any, Any, {raw_response}[{returns}]]", async_raw


def test_a_field_typed_by_a_named_string_takes_and_gives_a_str(tmp_path: Path) -> None:
    """Musement's ``extra_data`` is a named string schema (``ExtraData``): the caller sets it
    from a ``str`` and reads a ``str`` back, with no wrapper class in between (mypy --strict)."""
    result = _mypy_caller(
        tmp_path,
        "from musement import models\n"
        "\n"
        "request = models.CreateOrderRequest.model_validate({'cart_uuid': 'c'})\n"
        'request.extra_data = \'{"clientReferenceId": "1"}\'\n'
        "\n"
        "\n"
        "def saved(order: models.Order) -> str | None:\n"
        "    return order.extra_data\n",
    )
    assert result.returncode == 0, result.stdout
    assert "class ExtraData" not in (GENERATED / "musement" / "models.py").read_text(encoding="utf-8")
