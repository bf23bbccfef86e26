"""How many processes a run may use, how they are started, and what work they take.

``generate`` forks its helpers once, before it imports the stages (stage 6's
:class:`~generator.format.BlockPool`, which formats with black). Stage 2 hands them
openapi-spec-validator's run (:class:`Helpers`) while this process plans the models, stage
3b a large spec's model generation, and stage 6 the formatting. Forking means a helper
starts with what this process had, and only the work given (pickled) and results cross
between them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")

MAX_WORKERS = 8  # each is a fork of a large process: past a few, memory grows faster than speed


def worker_count() -> int:
    """The cores this process may run on (or ``SPECFORGE_WORKERS``), at most :data:`MAX_WORKERS`."""
    setting = os.environ.get("SPECFORGE_WORKERS", "")
    if setting.isdigit() and int(setting) > 0:
        return min(int(setting), MAX_WORKERS)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


class Helpers(Protocol):
    """Processes that take work this one need not wait for."""

    @property
    def parallel(self) -> bool:
        """Whether work given is done elsewhere than in this process."""

    def submit(self, files: Mapping[str, str]) -> None:
        """Start formatting the Python files of ``files``; their results are taken later."""

    def run(self, job: Callable[[bytes], T], payload: bytes) -> Future[T] | None:
        """Start ``job(payload)`` in a helper; None when there is none, and the caller does
        the work itself. ``payload`` is pickled by the caller, at once, so what the helper
        gets is the data as it was at this call."""

    def wait(self, future: Future[T]) -> T:
        """``future``'s result (or its error), doing other queued work here meanwhile."""


def forked_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` processes, forked where the platform can fork; None when no
    process can be had, and the caller does the work itself."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    try:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_start_child, initargs=(os.getpid(), initializer)
        )
    except (OSError, ValueError):
        return None


def _start_child(parent: int, initializer: Callable[[], None] | None) -> None:
    """A child outlives a parent that was killed (or crashed) waiting for work that will
    never come, and holding the parent's stdout open, so whoever ran the command waits on
    it too: a child whose parent is gone ends itself."""
    import threading
    import time

    def end_when_orphaned() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=end_when_orphaned, daemon=True).start()
    if initializer is not None:
        initializer()
