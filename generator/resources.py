"""Where the templates are: beside the package in a checkout, inside it once installed."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find_template_dir() -> Path:
    for candidate in (_HERE.parent / "templates", _HERE / "templates"):
        if (candidate / "client.py.jinja").is_file():
            return candidate
    raise RuntimeError(f"specforge is installed without its templates (looked beside {_HERE})")


TEMPLATE_DIR = _find_template_dir()
