"""The pipeline runs one way: no module under generator/ imports one that runs after it.

Every import is read from the source (lazy ones inside functions too, and those only for
type checking), so a cycle cannot hide behind an import placed inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import generator

PACKAGE = Path(generator.__file__).parent

# Each module after everything it may import. Helpers first, then the stages in the order
# they run, then the commands.
ORDER = (
    "__init__",
    "errors",
    "names",
    "line_layout",  # lines laid out as black lays them out
    "resources",
    "processes",  # how many processes a run may use
    "blackshape",  # data (literals and calls) laid out as black lays it out
    "document",  # 0: the shape of a document
    "source_map",  # 1a: where each pointer is written
    "parse",  # 1a: text to data, with positions
    "bundle",  # 1b: files a $ref names, pulled in
    "load",  # 1: a spec from disk
    "patterns",  # 2: which regex engine enforces a pattern
    "schema_defaults",  # 2: whether a value can be a schema's default
    "schema_fixes",  # 2: schema keywords left out with a warning
    "spec_validator",  # 2: openapi-spec-validator's errors, located
    "validate",  # 2: the entry point of validation
    "schema_tree",  # 3a: walking and rewriting schemas
    "schema_sides",  # 3a: request or response side, field marks
    "schema_sharing",  # 3a: identical classes merged
    "schemas",  # 3a: the schema plan
    "model_text",  # 3b: edits to the text datamodel-code-generator returns
    "model_layout",  # 3b: the model text in black's shape
    "models",  # 3b: the model classes (datamodel-code-generator)
    "kind_guess",  # 3c: the classes' kinds, guessed from the plan so the client need not wait for 3b
    "ir",
    "examples",
    "operations",  # 2b: the typed view of each operation, built once after validation
    "connection",
    "runtime_facts",
    "build",  # 4: the IR
    "readme",
    "fake",
    "render_views",  # 5a: what the templates are handed
    "layout",  # 5b: one module or many (render uses it)
    "render",  # 5: the files, through Jinja
    "format",  # 6: black
    "config",
    "pipeline",  # the pure core: a spec in, {path: text} out
    "output",  # 7: the only stage that writes
    "fingerprint",  # what shapes the output, as one hash
    "cache",
    "surface_model",  # the public surface as data
    "surface_annotations",
    "surface",  # a package's public surface, read from its source
    "subtyping",
    "diff_report",
    "diff_flows",
    "diff",  # what changed between two surfaces
    "console",
    "diff_command",
    "cli_help",
    "cli",
    "__main__",
)


def _imported_modules(path: Path) -> set[str]:
    """The generator modules ``path`` imports, by name (``from . import x`` names x or __init__)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                for alias in node.names:
                    found.add(alias.name if (PACKAGE / f"{alias.name}.py").exists() else "__init__")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
            parts = node.module.split(".")
            found.add(parts[1] if len(parts) > 1 else "__init__")
    return found


def test_every_module_has_a_place_in_the_order() -> None:
    assert sorted(path.stem for path in PACKAGE.glob("*.py")) == sorted(ORDER)


@pytest.mark.parametrize("module", ORDER)
def test_a_module_imports_only_modules_before_it(module: str) -> None:
    position = ORDER.index(module)
    later = sorted(name for name in _imported_modules(PACKAGE / f"{module}.py") if ORDER.index(name) >= position)
    assert later == [], f"generator/{module}.py imports {later}, which run after it"
