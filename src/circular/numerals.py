"""序号 markers of the four heading levels (standard 7.3.3)."""

from __future__ import annotations

_DIGITS = "〇一二三四五六七八九"


def chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (enough for 序号)."""
    if not 0 < n < 100:
        raise ValueError(f"序号 {n} 超出 1–99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def marker(level: int, n: int) -> str:
    """The literal marker of item ``n`` at heading level 1-4."""
    if level == 1:
        return f"{chinese(n)}、"
    if level == 2:
        return f"（{chinese(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level {level}")
