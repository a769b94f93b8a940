"""Progress of the long steps (rendering, the pagination pass, PDFs, checks, review bundles).

On a terminal, a line redrawn in place once a step has run a second: the step, documents done of
the total, the current one. Elsewhere (CI logs, pipes) nothing while it runs and one summary line
when a step took longer than a couple of seconds, so a log shows where the time went without a
line per document. Always on stderr: stdout stays the command's result.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

SHOW_AFTER_S = 1.0  # a terminal line appears once a step has run this long
SUMMARY_AFTER_S = 2.0  # a step this long gets its summary line


def _after(default: float) -> float:
    """CIRCULAR_PROGRESS_AFTER (seconds) moves both thresholds (0: every step reports)."""
    raw = os.environ.get("CIRCULAR_PROGRESS_AFTER", "")
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        return default


class Step:
    def __init__(self, name: str, total: int, stream: TextIO, terminal: bool):
        self.name, self.total, self.stream, self.terminal = name, total, stream, terminal
        self.done, self.current = 0, ""
        self.started = time.monotonic()
        self._drawn = False
        self._lock = threading.Lock()

    def advance(self, count: int = 1, current: str = "") -> None:
        with self._lock:
            self.done += count
            self.current = current or self.current
            self._draw()

    def set(self, done: int, current: str = "") -> None:
        with self._lock:
            self.done, self.current = done, current or self.current
            self._draw()

    def _draw(self) -> None:
        if not self.terminal or time.monotonic() - self.started < _after(SHOW_AFTER_S):
            return
        line = f"{self.name} {self.done}/{self.total}" + (f"  {self.current[:40]}" if self.current else "")
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self._drawn = True

    def finish(self, failed: bool = False) -> None:
        """Clear the terminal line; a step that took a while and succeeded leaves its summary (a
        failed one leaves only its error message)."""
        elapsed = time.monotonic() - self.started
        if self._drawn:
            self.stream.write("\r\x1b[K")
        if not failed and elapsed >= _after(SUMMARY_AFTER_S):
            self.stream.write(f"{self.name}：{self.done} 份，用时 {elapsed:.1f} 秒\n")
        self.stream.flush()


def _terminal(stream: TextIO) -> bool:
    if os.environ.get("CIRCULAR_PROGRESS") == "0":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def step(name: str, total: int, stream: TextIO | None = None) -> Iterator[Step]:
    """``with step("生成 .docx", 208) as s: … s.advance(current=name)``."""
    out = stream or sys.stderr
    current = Step(name, total, out, _terminal(out))
    try:
        yield current
    except BaseException:
        current.finish(failed=True)
        raise
    current.finish()


@contextmanager
def watching(count: Callable[[], int], progress: Step, every: float = 0.5) -> Iterator[None]:
    """Poll ``count`` (e.g. the PDFs that exist so far) into ``progress`` while the body runs: a
    tool that reports nothing (LibreOffice) still shows how far it got."""
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(every):
            progress.set(count())

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        progress.set(count())
