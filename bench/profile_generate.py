"""One profiled run of the generator's command line, for bench/run.py.

    python bench/profile_generate.py BENCH_SITE_PACKAGES REPORT.json -- generate ARGS...

Runs in the project's venv; pyinstrument is borrowed from the bench venv's site-packages
(appended to the path, so it can shadow nothing). Writes the total time, the time spent
formatting, and the time by pipeline stage: the callees of ``generate_package`` in
generator/, with ``generate_from_loaded`` opened up into its own callees.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

OPENED = {
    "generate_package",
    "generate_from_loaded",
    "generate_packages",
    "_render",
    "_generate_all",
    "_run",
    "main",
}


def _stages(root: Any) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)

    def visit(frame: Any, inside: bool) -> None:
        path = (frame.file_path or "").replace("\\", "/")
        ours = "/generator/" in path and "site-packages" not in path
        if ours and (frame.function in OPENED or path.endswith("/generator/cli.py")):
            for child in frame.children:
                visit(child, True)
            return
        if inside:
            name = f"{Path(path).stem}.{frame.function}" if ours else "other (libraries, imports)"
            totals[name] += frame.time
            return
        for child in frame.children:
            visit(child, False)

    visit(root, False)
    return dict(totals)


def main() -> int:
    site, report = sys.argv[1], Path(sys.argv[2])
    args = sys.argv[sys.argv.index("--") + 1 :]
    sys.path.append(site)
    from pyinstrument import Profiler

    from generator.cli import main as cli_main

    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    code = cli_main(args)
    profiler.stop()
    total = time.perf_counter() - started
    root = profiler.last_session.root_frame() if profiler.last_session else None
    stages = _stages(root) if root is not None else {}
    black = sum(seconds for name, seconds in stages.items() if name.startswith("format."))
    listed = sorted(stages.items(), key=lambda item: -item[1])
    rest = total - sum(stages.values())
    report.write_text(
        json.dumps(
            {
                "exit": code,
                "total": total,
                "black": black,
                "stages": [{"name": n, "seconds": s} for n, s in listed]
                + [{"name": "outside the pipeline (imports, CLI, writing files)", "seconds": rest}],
                "text": profiler.output_text(unicode=False, color=False)[:20000],
            }
        ),
        encoding="utf-8",
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
