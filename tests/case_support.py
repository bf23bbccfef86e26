"""Helpers behind tests/test_cases.py: what a case folder holds, and what a package offers.

A case is a folder of data (see tests/cases/README.md). ``describe_packages`` runs in a
subprocess, with the generated packages importable, and prints one JSON document saying
what each package defines, so the test can compare it with the case's ``expected.yaml``.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repo_paths import CASES

CASES_DIR = CASES
SPEC_NAMES = ("spec.yaml", "spec.json")
SPEC_PLACEHOLDER = "{spec}"
# Keywords every method (or the constructor) takes whatever the spec says.
COMMON_KEYWORDS = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "retry_non_idempotent",
        "idempotency_key",
        "strict_responses",
        "base_url",
        "headers",
        "http_client",
        "idempotency_header",
    }
)


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    spec: Path

    @property
    def expected_error(self) -> Path:
        return self.folder / "expected-error.txt"

    @property
    def expected(self) -> Path:
        return self.folder / "expected.yaml"

    @property
    def smoke(self) -> Path:
        return self.folder / "smoke.py"

    @property
    def fails(self) -> bool:
        return self.expected_error.is_file()


def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in CASES_DIR.iterdir() if p.is_dir()):
        specs = [folder / n for n in SPEC_NAMES if (folder / n).is_file()]
        if len(specs) != 1:
            raise AssertionError(f"{folder}: needs exactly one of {', '.join(SPEC_NAMES)}")
        if not folder.name.isidentifier():
            raise AssertionError(f"{folder}: the folder name is the package name, so an identifier")
        cases.append(Case(folder.name, folder, specs[0]))
    return cases


def describe_package(name: str) -> dict[str, Any]:
    """Models (attribute -> wire name), enums (member -> value) and client methods."""
    package = importlib.import_module(name)
    models = importlib.import_module(f"{name}.models")
    described: dict[str, Any] = {"models": {}, "enums": {}, "methods": {}}
    for class_name in models.__all__:
        cls = getattr(models, class_name)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            described["enums"][class_name] = {m.name: m.value for m in cls}
        elif hasattr(cls, "model_fields"):
            described["models"][class_name] = {attr: (field.alias or attr) for attr, field in cls.model_fields.items()}
    for method_name, method in inspect.getmembers(package.Client, inspect.isfunction):
        if method_name.startswith("_") or method_name == "close":
            continue
        params = inspect.signature(method).parameters
        described["methods"][method_name] = [p for p in params if p not in COMMON_KEYWORDS]
    init = inspect.signature(package.Client.__init__).parameters
    described["constructor"] = [p for p in init if p not in COMMON_KEYWORDS]
    return described


if __name__ == "__main__":
    print(json.dumps({name: describe_package(name) for name in sys.argv[1:]}, default=repr))
