"""Where the elements of a 公文 are on a rendered page: the 发文机关标志, 发文字号, red line, title,
主送, body rows, 落款, page numbers, 版记 … found from what the page shows, not from our data, so any
公文 PDF can be read. The checker, the pagination pass and review all ask this module.
"""

from __future__ import annotations

import re
from functools import cached_property
from itertools import pairwise

from ..grammar import DOC_NUMBER_LIKE
from ..standard import STANDARD, Standard
from .pdf import PageView, PdfView, Row, Rule

PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
DATE_ROW = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def within(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance + 1e-9


class Rendered:
    """A rendered 公文 and the elements found on its pages."""

    def __init__(self, view: PdfView, pages: list[PageView] | None = None, standard: Standard = STANDARD):
        self.view = view
        self.std = standard
        self.box = standard.box_pt
        self.pitch = standard.line_pt
        self.body_pt = standard.body_pt
        self.title_pt = standard.title_pt
        self.small_pt = standard.small_pt
        self._pages = view.pages if pages is None else pages

    @property
    def pages(self) -> list[PageView]:
        return self._pages

    @property
    def first(self) -> int:
        """File index of the document's first page (for ink measurements)."""
        return self._pages[0].index if self._pages else 0

    def ink(self, page: int, row: Row, below: float = 6.0) -> tuple[float, float]:
        found = self.view.ink_extent(page, (row.x0 - 1, row.top - 3, row.x1 + 1, row.baseline + below))
        return found or (row.top, row.baseline)

    # --- elements ---------------------------------------------------------------------------
    @cached_property
    def mark(self) -> Row | None:
        """The largest text above the 发文字号 on page 1 (red when right)."""
        if not self.pages:
            return None
        limit = self.number.top if self.number else self.box[1] + 0.4 * (self.box[3] - self.box[1])
        big = [r for r in self.pages[0].rows if r.baseline < limit and r.size > self.title_pt]
        return max(big, key=lambda r: r.size) if big else None

    @cached_property
    def number(self) -> Row | None:
        """The page-1 row holding the 发文字号 (in a 上行文 it shares the line with 签发人)."""
        if not self.pages:
            return None
        for row in self.pages[0].rows:
            if DOC_NUMBER_LIKE.search(row.plain) and not self.is_page_number(row):
                return row
        return None

    @property
    def number_text(self) -> str:
        m = DOC_NUMBER_LIKE.search(self.number.plain) if self.number else None
        return m.group(0) if m else ""

    @cached_property
    def letter_rules(self) -> list[Rule]:
        """信函格式: the red double lines of page 1, wider than the 版心 (170 mm)."""
        if not self.pages:
            return []
        wide = (self.box[2] - self.box[0]) + 10
        return [r for r in self.pages[0].rules if r.is_red and r.x1 - r.x0 > wide]

    @property
    def is_letter(self) -> bool:
        return len(self.letter_rules) >= 2

    @cached_property
    def red_rule(self) -> Rule | None:
        if self.is_letter:
            return None
        reds = [r for r in self.pages[0].rules if r.is_red] if self.pages else []
        return reds[0] if reds else None

    @cached_property
    def title_rows(self) -> list[Row]:
        if not self.pages:
            return []
        start = self.red_rule.y if self.red_rule else (self.number.baseline if self.number else self.box[1])
        largest = self.mark.size if self.mark else 100
        rows = [r for r in self.pages[0].rows if self.body_pt < r.size < largest and r.top > start]
        if not rows:
            return []
        block = [rows[0]]
        for row in rows[1:]:
            if row.baseline - block[-1].baseline < 1.5 * self.pitch:
                block.append(row)
        return block

    @cached_property
    def recipients(self) -> list[Row]:
        """The 主送 block after the title: up to the first row ending in "：" (within six rows),
        or else the flush-left rows before the first indented paragraph."""
        if not self.title_rows:
            return []
        rows = [r for r in self.pages[0].rows if r.size == self.body_pt and r.top > self.title_rows[-1].baseline]
        for n, row in enumerate(rows[:6]):
            if row.plain.endswith("："):
                return rows[:n + 1]
        block = []
        for row in rows[:6]:
            if row.x0 > self.box[0] + 4:
                break
            block.append(row)
        return block if rows[len(block):] else []

    def page_number(self, page: PageView) -> Row | None:
        rows = [r for r in page.rows if self.is_page_number(r)]
        return rows[0] if rows else None

    def is_page_number(self, row: Row) -> bool:
        return row.top > self.box[3] and bool(PAGE_NUMBER.match(row.plain))

    def body_rows(self, page: PageView) -> list[Row]:
        """16 pt rows inside the 版心 (the grid's own rows)."""
        return [r for r in page.rows if r.size == self.body_pt and r.baseline <= self.box[3] + 1]

    def paragraph_rows(self, page: PageView) -> list[Row]:
        """Body rows outside tables (a cell's text is no paragraph of the body)."""
        return [r for r in self.body_rows(page) if not page.in_table(r.x0, r.baseline - 4)]

    @cached_property
    def imprint_rules(self) -> list[Rule]:
        if not self.pages:
            return []
        x0, _, x1, _ = self.box
        last = self.pages[-1]
        return [r for r in last.rules if r is not self.red_rule and r.x1 - r.x0 > (x1 - x0) * 0.95
                and r.y > self.box[1] and not last.in_table((r.x0 + r.x1) / 2, r.y)
                and r not in self.letter_rules]

    @cached_property
    def unnumbered_pages(self) -> dict[int, str]:
        """Pages that must not carry a number: 信函 page 1; a blank page before the 版记 page, and that page."""
        pages = {1: "信函首页不编页码"} if self.is_letter else {}
        if len(self.pages) >= 2 and len(self.imprint_rules) >= 2 and not self.pages[-2].rows \
                and not self.pages[-2].rules:
            pages.update({self.pages[-2].number: "版记前的空白页不编页码",
                          self.pages[-1].number: "空白页后的版记页不编页码"})
        return pages

    @cached_property
    def signature(self) -> tuple[int, Row, Row] | None:
        """(position in pages, 署名 row, date row): a date row right of centre with a row just above it."""
        for pos, page in enumerate(self.pages):
            rows = self.body_rows(page)
            for above, row in pairwise(rows):
                if DATE_ROW.match(row.plain) and row.x0 > self.box[0] + 100 and \
                        within(row.baseline - above.baseline, self.pitch, 0.5) and above.x0 > self.box[0] + 100:
                    return pos, above, row
        return None

    @cached_property
    def grid_phase(self) -> float | None:
        """Baseline of grid row 0: the most common baseline phase of body rows over all pages.

        One mis-set paragraph shifts the rows after it on its page, never the majority.
        """
        phases: dict[float, int] = {}
        for page in self.pages:
            for row in self.body_rows(page):
                phase = round((row.baseline - self.box[1]) % self.pitch, 1)
                phases[phase] = phases.get(phase, 0) + 1
        if not phases:
            return None
        return self.box[1] + max(phases, key=lambda k: (phases[k], -k))
