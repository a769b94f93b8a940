"""Where the elements of a 公文 are on a rendered page: the 发文机关标志, 发文字号, red line, title,
主送, body rows, 落款, page numbers, 版记 … found from what the page shows, not from our data, so any
公文 PDF can be read. The checker, the pagination pass and review all ask this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from ..grammar import DOC_NUMBER_LIKE
from ..layout import CALIBRATION
from ..standard import STANDARD, Standard
from .pdf import PageView, PdfView, Row, Rule
from .result import is_red

PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
ORDER_NUMBER = re.compile(r"^第\d+号$")
DATE_ROW = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class Closing:
    """The 落款 of a document as rendered."""

    page: int  # position in the document's pages
    names: list[Row]  # 署名 rows (a joint signature's rows hold several, apart) or the 职务 rows of 签名章
    date: Row
    seals: list[Box]  # 印章 images near the 署名
    stamps: list[Box]  # 签名章 images (smaller than any seal)
    above: Row | None  # the last text row above the 落款 (正文 or 附件说明)


def _beside_image(row: Row, images: list[Box]) -> bool:
    """The row shares its height with a seal (pressed by it) or a 签名章 (the 职务 beside it)."""
    middle = (row.top + row.baseline) / 2
    return any(im[1] < middle < im[3] for im in images)


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

    def word_width_excess(self, row: Row) -> float:
        """How much wider LibreOffice set ``row`` than Word would: our dates and 署名 turn CJK-Latin
        spacing off (autoSpaceDN), which Word honours and LibreOffice does not (0.22 em a switch)."""
        if "LibreOffice" not in self.view.producer:
            return 0.0
        switches = sum(1 for a, b in pairwise(row.plain) if a.isascii() != b.isascii())
        return switches * CALIBRATION.autospace_em * row.size

    def ink(self, page: int, row: Row, below: float = 6.0) -> tuple[float, float]:
        found = self.view.ink_extent(page, (row.x0 - 1, row.top - 3, row.x1 + 1, row.baseline + below))
        return found or (row.top, row.baseline)

    # --- elements ---------------------------------------------------------------------------
    @cached_property
    def mark(self) -> Row | None:
        """The largest text of the 发文机关标志 (red when right)."""
        return max(self.mark_rows, key=lambda r: r.size) if self.mark_rows else None

    @cached_property
    def mark_rows(self) -> list[Row]:
        """Every row of the 发文机关标志 on page 1: one, or a joint mark's stacked names and its 文件."""
        if not self.pages:
            return []
        below = self.signer_rows[0] if self.signer_rows else self.number
        if below:  # a joint mark's names may be smaller than the title, but they are red
            return [r for r in self.pages[0].rows if r.baseline < below.top
                    and (r.size > self.title_pt or (r.size > self.body_pt and is_red(r.color)))]
        limit = self.box[1] + 0.4 * (self.box[3] - self.box[1])
        return [r for r in self.pages[0].rows if r.baseline < limit and r.size > self.title_pt]

    @property
    def mark_box(self) -> tuple[float, float, float, float]:
        """(x0, top, x1, baseline of the last row) of all mark rows."""
        rows = self.mark_rows
        return (min(r.x0 for r in rows), min(r.top for r in rows), max(r.x1 for r in rows),
                max(r.baseline for r in rows))

    def mark_ink(self) -> tuple[float, float]:
        """Ink top and bottom of the whole mark."""
        inks = [self.ink(self.first, r, below=r.size * 0.3) for r in self.mark_rows]
        return min(top for top, _ in inks), max(bottom for _, bottom in inks)

    @property
    def is_order(self) -> bool:
        """命令（令）格式: the mark ends in 令 (10.2)."""
        return bool(self.mark and self.mark.plain.endswith("令"))

    @cached_property
    def header_numbers(self) -> list[Row]:
        """份号, 密级和保密期限, 紧急程度: the body-size rows above the mark on page 1."""
        if not self.pages or not self.mark_rows:
            return []
        top = min(r.top for r in self.mark_rows)
        return [r for r in self.pages[0].rows if r.size == self.body_pt and r.baseline < top]

    @cached_property
    def signer_rows(self) -> list[Row]:
        """上行文: the rows of the 签发人 block, from the first "签发人" to the row of the 发文字号."""
        if not self.pages:
            return []
        rows = [r for r in self.pages[0].rows if r.size == self.body_pt and r.baseline < self.box[1] + 300]
        first = next((n for n, r in enumerate(rows) if r.plain.startswith("签发人") or "签发人：" in r.plain), None)
        if first is None:
            return []
        block = [rows[first]]
        for row in rows[first + 1:]:
            if row.baseline - block[-1].baseline > 1.5 * self.pitch:
                break
            block.append(row)
            if DOC_NUMBER_LIKE.search(row.plain):
                break
        return block

    @cached_property
    def order_number(self) -> Row | None:
        """命令: the 令号 row under the mark (第12号)."""
        if not self.is_order or not self.mark:
            return None
        return next((r for r in self.pages[0].rows if r.top > self.mark.baseline and ORDER_NUMBER.match(r.plain)), None)

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
    def closing(self) -> Closing | None:
        """The 落款: the last date row right of centre, the 署名 (or 职务) rows above it, and the seals
        or 签名章 around them. Rows belong to it while they start right of the body's indent and
        follow each other within a seal row's height."""
        for pos in range(len(self.pages) - 1, -1, -1):
            page = self.pages[pos]
            rows = self.paragraph_rows(page)
            dates = [n for n, r in enumerate(rows) if DATE_ROW.match(r.plain) and r.x0 > self.box[0] + 100]
            if not dates:
                continue
            date = rows[dates[-1]]
            names: list[Row] = []
            limit = self.box[0] + self.std.indent_pt + self.std.char_pt
            for row in reversed(rows[:dates[-1]]):
                # the next line up, or one further up beside a seal or 签名章 (a joint signature's rows)
                next_line = (names or [date])[0].baseline - row.baseline < 1.5 * self.pitch
                beside = _beside_image(row, page.images)  # a seal's 署名 may start anywhere in its column
                if not beside and (row.x0 <= limit or not next_line):
                    break
                names.insert(0, row)
            if not names:
                continue
            near = [im for im in page.images if im[3] > names[0].top - self.pitch and im[1] < date.baseline]
            # a seal presses on the 署名 and date; a 签名章 stands beside its 职务
            seals = [im for im in near if any(im[0] < r.x1 and r.x0 < im[2] for r in names)]
            stamps = [im for im in near if im not in seals]
            above = [r for r in page.rows if self.box[1] < r.baseline < names[0].top - 1]
            return Closing(pos, names, date, seals, stamps, above[-1] if above else None)
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
