"""Break a 公文 title into lines: words kept whole, lines shaped as 梯形 or 菱形 (docs/layout.md §3.1)."""

from __future__ import annotations

import logging
import math
import unicodedata
from functools import lru_cache
from itertools import pairwise

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
    trapezoid = all(a <= b for a, b in pairwise(widths))
    middle = max(widths[1:-1])
    diamond = middle >= widths[0] and middle >= widths[-1]
    return trapezoid or diamond


def break_title(title: str, max_width: float = 20) -> list[str]:
    """The title's lines; one line when it fits. Fewest lines first; among those a 梯形 or 菱形,
    then the most even line lengths."""
    total = width(title)
    if total <= max_width:
        return [title]
    fewest = math.ceil(total / max_width)
    for lines in range(fewest, fewest + 3):
        best = _best_split(title, lines, max_width)
        if best is not None:
            return best
    return [title]  # a single word wider than a line: let the renderer wrap it


def _best_split(title: str, lines: int, max_width: float) -> list[str] | None:
    """Branch and bound over the cut points: a line never exceeds ``max_width``, what remains must
    fit the lines left, and a partial split whose lengths already differ more than the best
    well-shaped split found cannot win. Replaces trying every combination (C(n, k) grows past
    10^9 for a 120-character title)."""
    cuts = _cut_points(title)
    ends = [*cuts, len(title)]
    # width of title[:i] for every offset used
    prefix = {0: 0.0}
    running = 0.0
    for i, ch in enumerate(title, start=1):
        running += 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5
        if i in ends:
            prefix[i] = running
    total = prefix[len(title)]
    best: list = [None, None]  # [score, widths-defining cut list]

    def search(start: int, left: int, widths: list[float], chosen: list[int]) -> None:
        if best[0] is not None and best[0][0] is False and widths and max(widths) - min(widths) >= best[0][1]:
            return  # already less even than a well-shaped split
        if left == 1:
            last = total - prefix[start]
            if last > max_width + 1e-9 or start == len(title):
                return
            final = [*widths, last]
            score = (not _shape_ok(final), max(final) - min(final))
            if best[0] is None or score < best[0]:
                best[0], best[1] = score, list(chosen)
            return
        for end in ends:
            if end <= start or end == len(title):
                continue
            line = prefix[end] - prefix[start]
            if line > max_width + 1e-9:
                break  # cut points are sorted: later ones only make the line longer
            if total - prefix[end] > (left - 1) * max_width + 1e-9:
                continue  # the rest would not fit the lines left
            chosen.append(end)
            search(end, left - 1, [*widths, line], chosen)
            chosen.pop()

    search(0, lines, [], [])
    if best[1] is None:
        return None
    bounds = [0, *best[1], len(title)]
    return [title[a:b] for a, b in pairwise(bounds)]
