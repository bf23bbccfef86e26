"""The `check` fast path (generator/cache.py) never hides drift.

With a warm cache, `check` skips regenerating when no input changed and only hashes the
files on disk. Every way generated/ can fall out of step must still be reported, with
the file named, exactly as without a cache; and the cache must change nothing but speed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import run_cli_process
from repo_copies import add_stray_file, copy_repository, hand_edit_generated

CACHE = ".specforge-cache.json"
FAST = "every file verified by hash"


def _run(repo: Path, *args: str, cache: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("SPECFORGE_CACHE", None)
    if cache is not None:
        env["SPECFORGE_CACHE"] = cache
    return run_cli_process(*args, cwd=repo, pythonpath=repo, env=env)


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository, regenerated so that its cache is warm."""
    repo = copy_repository(tmp_path_factory.mktemp("warm"))
    result = _run(repo, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo / CACHE).is_file()
    return repo


@pytest.fixture
def copy(warm: Path, tmp_path: Path) -> Path:
    """A fresh copy of the warm repository, cache included, for one test to change."""
    repo = copy_repository(tmp_path / "repo")
    shutil.copy2(warm / CACHE, repo / CACHE)
    shutil.rmtree(repo / "generated")
    shutil.copytree(warm / "generated", repo / "generated")
    # The committed lock is a second proof (tests/test_drift.py); without it, every fast
    # path taken here is the local cache's.
    (repo / "generated" / "specforge-lock.json").unlink()
    return repo


def test_an_unchanged_copy_takes_the_fast_path(copy: Path) -> None:
    result = _run(copy, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert FAST in result.stdout


def _whitespace_edit(repo: Path) -> str:
    target = repo / "generated" / "musement" / "client.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return "generated/musement/client.py"


def _stray_nested_file(repo: Path) -> str:
    (repo / "generated" / "musement" / "extra").mkdir()
    (repo / "generated" / "musement" / "extra" / "notes.txt").write_text("hi\n", encoding="utf-8")
    return "generated/musement/extra/notes.txt"


def _missing_file(repo: Path) -> str:
    (repo / "generated" / "sitecore_cdp" / "errors.py").unlink()
    return "generated/sitecore_cdp/errors.py"


def _missing_package(repo: Path) -> str:
    shutil.rmtree(repo / "generated" / "sitecore_cdp")
    return "generated/sitecore_cdp/"


def _stray_package(repo: Path) -> str:
    shutil.copytree(repo / "generated" / "musement", repo / "generated" / "orphan")
    return "generated/orphan/"


def _spec_edit(repo: Path) -> str:
    spec = repo / "specs" / "sitecore_cdp.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("summary:", "summary: Edited.", 1), encoding="utf-8")
    return "generated/sitecore_cdp/"


def _spec_removed(repo: Path) -> str:
    (repo / "specs" / "commercelayer.yaml").unlink()
    return "generated/commercelayer/"


def _template_edit(repo: Path) -> str:
    template = repo / "templates" / "runtime" / "_exceptions.py"
    template.write_text(template.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    return "generated/musement/_exceptions.py"


def _jinja_template_edit(repo: Path) -> str:
    template = repo / "templates" / "errors.py.jinja"
    template.write_text(template.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    return "generated/musement/errors.py"


def _generator_edit(repo: Path) -> str:
    """A change to the generator's own source that changes what it writes."""
    source = repo / "generator" / "pipeline.py"
    source.write_text(
        source.read_text(encoding="utf-8")
        + "\n\n_unchanged = _Begun.finish\n\n\n"
        + "def _edited(begun):\n"
        + "    rendered = _unchanged(begun)\n"
        + '    rendered.files["README.md"] += "An edit.\\n"\n'
        + "    return rendered\n\n\n"
        + "_Begun.finish = _edited\n",
        encoding="utf-8",
    )
    return "generated/musement/README.md"


@pytest.mark.parametrize(
    "change",
    [
        hand_edit_generated,
        _whitespace_edit,
        add_stray_file,
        _stray_nested_file,
        _missing_file,
        _missing_package,
        _stray_package,
        _spec_edit,
        _spec_removed,
        _template_edit,
        _jinja_template_edit,
        _generator_edit,
    ],
)
def test_drift_is_reported_with_a_warm_cache(copy: Path, change: Callable[[Path], str]) -> None:
    named = change(copy)
    result = _run(copy, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert named in result.stdout
    assert FAST not in result.stdout


def test_a_hand_edit_reverted_is_up_to_date_again(copy: Path) -> None:
    target = copy / "generated" / "musement" / "models.py"
    original = target.read_bytes()
    target.write_bytes(original + b"# hand edit\n")
    assert _run(copy, "check").returncode == 1
    target.write_bytes(original)
    result = _run(copy, "check")
    assert result.returncode == 0 and FAST in result.stdout, result.stdout + result.stderr


def test_an_edit_that_keeps_the_size_and_time_is_still_caught(copy: Path) -> None:
    target = copy / "generated" / "sitecore_cdp" / "models.py"
    before = target.stat()
    data = bytearray(target.read_bytes())
    index = data.index(b"class ") + len(b"class ")
    data[index] = ord("X") if data[index] != ord("X") else ord("Y")
    target.write_bytes(bytes(data))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = _run(copy, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "generated/sitecore_cdp/models.py" in result.stdout


def test_a_poisoned_cache_cannot_hide_a_hand_edit(copy: Path) -> None:
    """Even a cache rewritten to expect the edited file only costs speed: the fingerprint
    still has to match, and a full check then regenerates and compares."""
    target = copy / "generated" / "musement" / "models.py"
    target.write_text(target.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    data = json.loads((copy / CACHE).read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["fingerprint"] = "0" * 64
    (copy / CACHE).write_text(json.dumps(data), encoding="utf-8")
    result = _run(copy, "check")
    assert result.returncode == 1
    assert "generated/musement/models.py" in result.stdout


@pytest.mark.parametrize("content", ["", "{not json", '{"format": 1, "entries": []}', "[]"])
def test_a_broken_cache_file_is_ignored(copy: Path, content: str) -> None:
    (copy / CACHE).write_text(content, encoding="utf-8")
    result = _run(copy, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert FAST not in result.stdout
    assert FAST in _run(copy, "check").stdout  # and rewritten by the full check


def test_without_a_cache_the_result_is_the_same(copy: Path) -> None:
    (copy / CACHE).unlink()
    first = _run(copy, "check")
    assert first.returncode == 0 and FAST not in first.stdout
    assert (copy / CACHE).is_file()  # a check that found no drift warms it
    second = _run(copy, "check")
    assert second.returncode == 0 and FAST in second.stdout
    add_stray_file(copy)
    assert _run(copy, "check").returncode == 1


def test_the_cache_can_be_turned_off(copy: Path) -> None:
    (copy / CACHE).unlink()
    result = _run(copy, "check", cache="off")
    assert result.returncode == 0 and FAST not in result.stdout
    assert not (copy / CACHE).exists()


# --- black's output kept for the next `generate` (BlockCache) ----------------------------

BLOCKS = CACHE + ".blocks"


def _blocks(repo: Path) -> dict[str, list[str]]:
    data = json.loads((repo / BLOCKS).read_text(encoding="utf-8"))
    assert data["format"] == 1
    blocks: dict[str, list[str]] = data["blocks"]
    return blocks


def _tamper(repo: Path, *, reseal: bool) -> None:
    """Every kept output of black gets a comment line added; resealed, or not."""
    from generator.cache import _block_seal

    blocks = _blocks(repo)
    for key, entry in blocks.items():
        text = "# tampered\n" + entry[1]
        blocks[key] = [_block_seal(key, text) if reseal else entry[0], text]
    (repo / BLOCKS).write_text(json.dumps({"format": 1, "blocks": blocks}), encoding="utf-8")


def test_generate_keeps_black_output_and_a_broken_entry_is_not_used(copy: Path) -> None:
    assert _run(copy, "generate").returncode == 0
    assert _blocks(copy)  # one entry per block formatted
    _tamper(copy, reseal=False)
    result = _run(copy, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 written" in result.stdout  # every block formatted again, to the same bytes
    assert "# tampered" not in (copy / BLOCKS).read_text(encoding="utf-8")


def test_check_never_reads_black_output_kept_by_generate(copy: Path) -> None:
    """Even entries forged with their seals recomputed do not reach a check: it formats with
    black itself, so what it compares against never rests on the kept output."""
    assert _run(copy, "generate").returncode == 0
    _tamper(copy, reseal=True)
    result = _run(copy, "check", "--full")
    assert result.returncode == 0, result.stdout + result.stderr
    assert FAST not in result.stdout
    (copy / CACHE).unlink()
    assert _run(copy, "check").returncode == 0


def test_the_block_cache_is_off_with_the_cache(copy: Path) -> None:
    result = _run(copy, "generate", cache="off")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (copy / BLOCKS).exists()
