"""The runtime modules are stored in black's format, under the header line they get.

generator/format.py writes them into packages without running black (``trust_formatted``);
that is right only while each one is black's output as it stands. A runtime module edited
and not formatted fails here, before any package could carry it unformatted.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator import format as formatting
from generator.pipeline import header_line
from generator.runtime_facts import RUNTIME_DIR

MODULES = sorted(RUNTIME_DIR.glob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_each_runtime_module_is_blacks_output_under_its_header(module: Path) -> None:
    text = header_line("specs/some spec.yaml") + "\n" + module.read_text(encoding="utf-8")
    assert black.format_str(text, mode=formatting._MODE) == text


def test_a_trusted_module_is_written_as_it_is_and_others_are_still_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "_TRUSTED_BODIES", set())
    body = MODULES[0].read_text(encoding="utf-8")
    formatting.trust_formatted([body])
    header = header_line("spec.yaml")
    files = {"_runtime.py": header + "\n" + body, "client.py": header + "\nx = {  'a':1 }\n"}
    result = formatting.format_files(files, "spec.yaml")
    assert result["_runtime.py"] == files["_runtime.py"]
    assert result["client.py"] == header + '\nx = {"a": 1}\n'
