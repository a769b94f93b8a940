"""Rendering over all cores: the same bytes as one document at a time, a window of jobs at a time."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

from ..errors import env_int

if TYPE_CHECKING:
    from ..layout import Layout
    from ..model import Gongwen
    from ..render import ImprintPlacement

T = TypeVar("T")
Job = tuple["Gongwen", "Layout", "ImprintPlacement"]
RENDER_WINDOW = 64  # jobs handed to the workers at a time


def jobs() -> int:
    """Worker processes: CIRCULAR_JOBS, or one per CPU."""
    return env_int("CIRCULAR_JOBS", 0, 0, 256) or os.cpu_count() or 1


def _render_job(job: Job) -> bytes:
    from ..render import render

    return render(*job)


def render_all(work: Iterable[tuple[T, Job]], workers: int | None = None) -> Iterator[tuple[T, bytes]]:
    """Render documents in order, over all cores when there are enough of them; same bytes as one by one.

    Takes (tag, job) pairs and yields (tag, bytes). Jobs are drawn a window at a time, so only a
    window of models and documents is ever held, whatever the number of documents."""
    workers = workers if workers is not None else jobs()
    pending = iter(work)
    window = list(islice(pending, RENDER_WINDOW))
    if workers <= 1 or len(window) < 4:
        for tag, job in chain(window, pending):
            yield tag, _render_job(job)
        return
    from ..titles import load_dictionary

    load_dictionary()  # once, before the workers fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        while window:
            tags = [tag for tag, _ in window]
            chunk = max(1, len(window) // (4 * workers))
            yield from zip(tags, pool.map(_render_job, [job for _, job in window], chunksize=chunk), strict=True)
            window = list(islice(pending, RENDER_WINDOW))
