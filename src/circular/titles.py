"""Break a 公文 title into lines: words kept whole, lines shaped as 梯形 or 菱形 (gbt9704.md §3.1)."""

from __future__ import annotations

import itertools
import logging
import math
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

_NO_LINE_START = set("》）〉」』】〕，。、；：？！”’")
_NO_LINE_END = set("《（〈「『【〔“‘")


def width(text: str) -> float:
    """Width in characters of the title size: CJK and full-width 1, Latin and digits 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


@lru_cache(maxsize=256)
def _cut_points(title: str) -> tuple[int, ...]:
    """Offsets where a line may break: between words, never inside a number or before ）."""
    points, pos = [], 0
    for word in jieba.cut(title, HMM=False):
        pos += len(word)
        if 0 < pos < len(title) and title[pos] not in _NO_LINE_START and title[pos - 1] not in _NO_LINE_END:
            points.append(pos)
    return tuple(points)


def load_dictionary() -> None:
    """Load jieba's dictionary now (0.4 s): before forking workers, so they share one copy."""
    jieba.initialize()


def _shape_ok(widths: list[float]) -> bool:
    """梯形 (each line no longer than the next) or 菱形 (middle lines longest), never 沙漏/倒梯形."""
    if len(widths) == 2:
        return widths[0] <= widths[1]
    trapezoid = all(a <= b for a, b in zip(widths, widths[1:]))
    middle = max(widths[1:-1])
    diamond = middle >= widths[0] and middle >= widths[-1]
    return trapezoid or diamond


def break_title(title: str, max_width: float = 20) -> list[str]:
    """The title's lines; one line when it fits."""
    total = width(title)
    if total <= max_width:
        return [title]
    points = _cut_points(title)
    for lines in range(math.ceil(total / max_width), 8):
        best: tuple[float, list[str]] | None = None
        for cuts in itertools.combinations(points, lines - 1):
            parts = [title[a:b] for a, b in zip((0, *cuts), (*cuts, len(title)))]
            widths = [width(p) for p in parts]
            if max(widths) > max_width:
                continue
            # balanced lines first; a wrong shape only when nothing else fits
            score = (not _shape_ok(widths), max(widths) - min(widths))
            if best is None or score < best[0]:
                best = (score, parts)
        if best is not None:
            return best[1]
    return [title]
