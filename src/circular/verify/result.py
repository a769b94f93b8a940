"""A checked rule's outcome, and the helpers rules share."""

from __future__ import annotations

from dataclasses import dataclass

from ..standard import PT_PER_MM

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclass(frozen=True)
class Result:
    rule: str
    name: str
    status: str
    measured: str = ""
    expected: str = ""
    page: int | None = None
    clause: str = ""

    def line(self) -> str:
        where = f"第{self.page}页 " if self.page else ""
        parts = [f"{self.status:4}", f"{self.rule:22}", f"{where}{self.name}"]
        if self.measured or self.expected:
            parts.append(f"实测 {self.measured}；要求 {self.expected}")
        return "  ".join(parts)


def status(ok: bool) -> str:
    return PASS if ok else FAIL


def is_red(color: tuple[float, ...]) -> bool:
    return len(color) == 3 and color[0] > 0.8 and color[1] < 0.3 and color[2] < 0.3


def color_name(color: tuple[float, ...]) -> str:
    if is_red(color):
        return "红色"
    if all(c < 0.3 for c in color):
        return "黑色"
    return "(" + ", ".join(f"{c:.2f}" for c in color) + ")"


def mm(pt: float) -> str:
    return f"{pt / PT_PER_MM:.2f} mm"
