"""What if the generator formatted with ruff instead of black? A bench-only experiment.

Runs the generator's command line with ``generator.format._black`` swapped for
``ruff format`` (the project venv's pinned ruff, one process per file, black's line length
and target version). Nothing in generator/ changes; bench/run.py times this beside the real
thing and compares the files the two write, byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator import format as formatting
from generator.cli import main

RUFF = str(Path(sys.executable).parent / "ruff")
COMMAND = [RUFF, "format", "--isolated", "--line-length", "88", "--target-version", "py310", "-"]


def _ruff(text: str) -> str:
    result = subprocess.run(COMMAND, input=text, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ValueError(result.stderr.strip() or "ruff format failed")
    return result.stdout


if not hasattr(formatting, "_black"):
    sys.exit("generator/format.py no longer has _black(); update bench/whatif_ruff.py")
formatting._black = _ruff  # type: ignore[attr-defined]
sys.exit(main(sys.argv[1:]))
