"""GB/T 9704 rules measured on a rendered PDF. Each rule prints what it measured, PASS or not.

Elements are found on the page, not in our data, so any 公文 PDF can be checked: the mark is the red
text of page 1, the 发文字号 the row with 〔…〕…号, the title the 二号 rows, page numbers the 4号 rows
below the 版心, the 版记 the black full-width rules of the last page. Absent elements give SKIP.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from ..fonts import typeface_class
from ..layout import PT_PER_MM, Layout
from ..model import DocNumber, IssueDate, ValueProblem
from .pdf import HANGING, PageView, PdfView, Row, Rule

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
_PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
_NUMBER_IN_ROW = re.compile(r"([\u4e00-\u9fff]+[〔\[［【(（]\d{2,4}[〕\]］】)）]第?\d+号?)")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


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


def within(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance + 1e-9


class Rendered:
    """A rendered 公文 and the elements found on its pages."""

    def __init__(self, view: PdfView, layout: Layout, pages: list[PageView] | None = None):
        self.view = view
        self.layout = layout
        self.box = layout.text_box_pt
        self.pitch = layout.line_pt
        self.body_pt = layout.sizes.body / 2  # sizes from the layout the document was written with
        self.title_pt = layout.sizes.title / 2
        self.small_pt = layout.sizes.page_number / 2
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
            if _NUMBER_IN_ROW.search(row.plain) and not self._is_page_number(row):
                return row
        return None

    @property
    def number_text(self) -> str:
        m = _NUMBER_IN_ROW.search(self.number.plain) if self.number else None
        return m.group(1) if m else ""

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
        rows = [r for r in page.rows if self._is_page_number(r)]
        return rows[0] if rows else None

    def _is_page_number(self, row: Row) -> bool:
        return row.top > self.box[3] and bool(_PAGE_NUMBER.match(row.plain))

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
            for above, row in zip(rows, rows[1:]):
                if _DATE.match(row.plain) and row.x0 > self.box[0] + 100 and \
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


def _is_red(color: tuple[float, ...]) -> bool:
    return len(color) == 3 and color[0] > 0.8 and color[1] < 0.3 and color[2] < 0.3


def _color_name(color: tuple[float, ...]) -> str:
    if _is_red(color):
        return "红色"
    if all(c < 0.3 for c in color):
        return "黑色"
    return "(" + ", ".join(f"{c:.2f}" for c in color) + ")"


# --- rules --------------------------------------------------------------------------------------

RuleFn = Callable[[Rendered], Iterator[Result]]
RULES: list[RuleFn] = []


def rule(fn: RuleFn) -> RuleFn:
    RULES.append(fn)
    return fn


def _mm(pt: float) -> str:
    return f"{pt / PT_PER_MM:.2f} mm"


@rule
def paper(doc: Rendered) -> Iterator[Result]:
    for page in doc.pages:
        width, height = doc.layout.paper_pt
        ok = within(page.width, width, 1) and within(page.height, height, 1)
        yield Result("page.paper", "纸张 A4", PASS if ok else FAIL, f"{page.width:.1f}×{page.height:.1f} pt",
                     f"{width:.1f}×{height:.1f} pt ±1", page.number, "5.1")


@rule
def text_area(doc: Rendered) -> Iterator[Result]:
    x0, y0, x1, y1 = doc.box
    tol = PT_PER_MM
    for page in doc.pages:
        # a line-end punctuation mark may hang past the edge (Word and WPS do the same)
        outside = [r for r in page.rows if not doc._is_page_number(r)
                   and not (doc.is_letter and r is doc.mark)  # a 信函's mark stands 30 mm from the paper top
                   and (r.x0 < x0 - tol or r.ink_x1 > x1 + tol or r.top < y0 - tol or r.baseline > y1 + tol)]
        status = FAIL if outside else PASS
        measured = f"{len(outside)} 行越界" + (f"（“{outside[0].text[:10]}”）" if outside else "")
        yield Result("page.text-area", "文字在版心内", status, measured, "156×225 mm 版心 ±1 mm", page.number, "5.2.1")


@rule
def grid(doc: Rendered) -> Iterator[Result]:
    phase = doc.grid_phase
    if phase is None:
        yield Result("grid.pitch", "行距 28.95 pt 网格", SKIP, "无正文行")
        return
    for page in doc.pages:
        rows = doc.body_rows(page)
        if not rows:
            continue
        offsets = [((r.baseline - phase) / doc.pitch) for r in rows]
        worst = max(abs(o - round(o)) for o in offsets)
        yield Result("grid.pitch", "正文基线在 28.95 pt 网格上", PASS if worst <= 0.05 else FAIL,
                     f"最大偏离 {worst:.3f} 行", "±0.05 行", page.number, "5.2.3")
        baselines = sorted({round(r.baseline * 2) / 2 for r in page.rows if r.baseline <= doc.box[3] + 1})
        rows = [b for i, b in enumerate(baselines) if i == 0 or b - baselines[i - 1] > 3]
        yield Result("grid.rows", "每面不超过 22 行", PASS if len(rows) <= doc.layout.grid.rows else FAIL,
                     f"{len(rows)} 行", f"≤{doc.layout.grid.rows} 行", page.number, "5.2.3")


@rule
def chars_per_line(doc: Rendered) -> Iterator[Result]:
    """28 characters fit a line: the natural advance of body glyphs times 28 fills the 版心 width.

    Lines may legitimately carry 27 (避头尾 pushes a character down and the line is justified) or
    29 (line-end punctuation hangs); more than 28 characters inside the 版心 is a fault.
    """
    x0, _, x1, _ = doc.box
    for page in doc.pages:
        rows = [r for r in doc.body_rows(page) if not any(c.isascii() for c in r.plain)]
        advances = sorted(round(b[1] - a[1], 2) for r in rows for a, b in zip(r.glyphs, r.glyphs[1:]))
        if len(advances) < 28:
            continue
        natural = advances[len(advances) // 4]  # justified lines only ever widen the advance
        capacity = int((x1 - x0 + 1) // natural)
        crowded = [r for r in rows if within(r.x0, x0, 2) and r.wide_count - (r.glyphs[-1][0] in HANGING) > 28]
        ok = capacity == doc.layout.grid.chars and not crowded
        yield Result("grid.chars", "每行 28 字", PASS if ok else FAIL,
                     f"字距 {natural:.2f} pt，每行容 {capacity} 字" + (f"，{len(crowded)} 行超过 28 字" if crowded else ""),
                     "28 字（行末标点可悬挂）", page.number, "5.2.3")


@rule
def mark(doc: Rendered) -> Iterator[Result]:
    row = doc.mark
    if row is None:
        yield Result("mark.present", "发文机关标志", SKIP, "首页发文字号上方无大号文字")
        return
    red = _is_red(row.color)
    yield Result("mark.color", "发文机关标志套红", PASS if red else FAIL, _color_name(row.color), "红色", 1, "7.2.4")
    centre = (doc.box[0] + doc.box[2]) / 2
    yield Result("mark.centre", "发文机关标志居中", PASS if within(row.centre, centre, 1) else FAIL,
                 f"中心 x={row.centre:.2f} pt", f"{centre:.2f} pt ±1", 1, "7.2.4")
    top = doc.ink(doc.first, row, below=row.size * 0.3)[0]
    if doc.is_letter:
        target = doc.layout.letter.mark_top_mm * PT_PER_MM
        yield Result("letter.mark-top", "信函标志上边缘距上页边 30 mm", PASS if within(top, target, PT_PER_MM) else FAIL,
                     _mm(top), "30 mm ±1 mm", 1, "10.1")
        return
    target = doc.box[1] + doc.layout.header.mark_top_mm * PT_PER_MM
    yield Result("mark.top", "标志上边缘距版心上边缘 35 mm", PASS if within(top, target, PT_PER_MM) else FAIL,
                 _mm(top - doc.box[1]), "35 mm ±1 mm", 1, "7.2.4")


@rule
def doc_number(doc: Rendered) -> Iterator[Result]:
    row = doc.number
    if row is None:
        yield Result("number.present", "发文字号", SKIP, "首页无发文字号")
        return
    try:
        DocNumber.parse(doc.number_text)
        yield Result("number.syntax", "发文字号格式", PASS, doc.number_text, "代字〔年份〕序号号", 1, "7.2.5")
    except ValueProblem as exc:
        yield Result("number.syntax", "发文字号格式", FAIL, doc.number_text, exc.fix, 1, "7.2.5")
    if doc.is_letter:
        right = doc.box[2] - row.x1
        yield Result("letter.number-right", "信函发文字号顶格居版心右边缘", PASS if within(right, 0, 1.5) else FAIL,
                     f"距右缘 {right:.2f} pt", "0 pt ±1.5", 1, "10.1")
        lines = sorted(r.y for r in doc.letter_rules if r.y < row.top)
        if lines:
            gap = row.top - lines[-1]
            target = doc.layout.letter.number_gap_pt
            yield Result("letter.number-gap", "发文字号距双线 3号字高的 7/8", PASS if within(gap, target, 2) else FAIL,
                         f"{gap:.2f} pt", f"{target:g} pt ±2", 1, "10.1")
        return
    signer = [r for r in doc.pages[0].rows if "签发人" in r.plain and within(r.baseline, row.baseline, 1)]
    space = doc.layout.chars_tw(1) / 20
    if signer or "签发人" in row.plain:
        # 上行文 (7.2.5/7.2.6): 发文字号 左空一字, 签发人 右空一字, on the line of the (last) 签发人
        right_end = max(r.x1 for r in signer) if signer else row.x1
        ok = within(row.x0 - doc.box[0], space, 1.5) and within(doc.box[2] - right_end, space, 1.5)
        yield Result("number.upward", "上行文：发文字号左空一字、签发人右空一字", PASS if ok else FAIL,
                     f"左 {row.x0 - doc.box[0]:.1f} pt，右 {doc.box[2] - right_end:.1f} pt", f"{space:.1f} pt ±1.5",
                     1, "7.2.5")
    else:
        centre = (doc.box[0] + doc.box[2]) / 2
        yield Result("number.centre", "发文字号居中", PASS if within(row.centre, centre, 1) else FAIL,
                     f"中心 x={row.centre:.2f} pt", f"{centre:.2f} pt ±1", 1, "7.2.5")
    if doc.mark:
        gap = (doc.ink(doc.first, row)[0] - doc.ink(doc.first, doc.mark, below=doc.mark.size * 0.3)[1]) / doc.pitch
        yield Result("number.gap", "标志下空二行", PASS if within(gap, 2.5, 0.3) else FAIL,
                     f"{gap:.2f} 行", "2.5 行 ±0.3（两空行）", 1, "7.2.5")


@rule
def letter_lines(doc: Rendered) -> Iterator[Result]:
    """信函: red double lines, 170 mm, thick over thin 4 mm under the mark, thin over thick 20 mm from the bottom."""
    if not doc.is_letter:
        return
    letter = doc.layout.letter
    rules = sorted(doc.letter_rules, key=lambda r: r.y)
    centre = (doc.box[0] + doc.box[2]) / 2
    length = letter.line_length_mm * PT_PER_MM
    ok = all(within(r.x1 - r.x0, length, 1.5) and within((r.x0 + r.x1) / 2, centre, 1) for r in rules)
    yield Result("letter.lines", "红色双线长 170 mm、居中", PASS if ok and len(rules) == 4 else FAIL,
                 f"{len(rules)} 条，长 " + "、".join(f"{(r.x1 - r.x0) / PT_PER_MM:.1f}" for r in rules) + " mm",
                 "上下各一组双线，170 mm", 1, "10.1")
    if len(rules) != 4:
        return
    top, bottom = rules[:2], rules[2:]
    order = top[0].width > top[1].width and bottom[0].width < bottom[1].width
    yield Result("letter.line-weights", "上双线上粗下细，下双线上细下粗", PASS if order else FAIL,
                 " / ".join(f"{r.width:.2f}" for r in rules) + " pt", "粗/细 … 细/粗", 1, "10.1")
    edge = doc.pages[0].height - bottom[1].y
    yield Result("letter.bottom-line", "下双线距下页边 20 mm", PASS if within(edge, 20 * PT_PER_MM, PT_PER_MM) else FAIL,
                 _mm(edge), "20 mm ±1 mm", 1, "10.1")
    if doc.mark:
        gap = top[0].y - doc.ink(doc.first, doc.mark, below=doc.mark.size * 0.3)[1]
        yield Result("letter.line-gap", "上双线在标志下 4 mm", PASS if within(gap, 4 * PT_PER_MM, PT_PER_MM) else FAIL,
                     _mm(gap), "4 mm ±1 mm", 1, "10.1")


@rule
def red_line(doc: Rendered) -> Iterator[Result]:
    rule_ = doc.red_rule
    if doc.is_letter:
        return
    if rule_ is None:
        yield Result("redline.present", "版头红色分隔线", SKIP, "首页无红线")
        return
    x0, _, x1, _ = doc.box
    ok = within(rule_.x0, x0, 1) and within(rule_.x1, x1, 1)
    yield Result("redline.width", "红色分隔线与版心等宽", PASS if ok else FAIL,
                 f"x={rule_.x0:.2f}–{rule_.x1:.2f} pt", f"{x0:.2f}–{x1:.2f} pt ±1", 1, "7.2.7")
    if doc.number:
        gap = rule_.y - doc.ink(doc.first, doc.number)[1]
        yield Result("redline.gap", "发文字号下 4 mm", PASS if within(gap, 4 * PT_PER_MM, PT_PER_MM) else FAIL,
                     _mm(gap), "4 mm ±1 mm", 1, "7.2.7")


@rule
def title(doc: Rendered) -> Iterator[Result]:
    rows = doc.title_rows
    if not rows:
        yield Result("title.present", "标题", SKIP, "首页无二号标题")
        return
    sizes = sorted({r.size for r in rows})
    yield Result("title.size", "标题二号字", PASS if sizes == [doc.title_pt] else FAIL,
                 "、".join(f"{x:g}" for x in sizes) + " pt", "22 pt", 1, "7.3.1")
    centre = (doc.box[0] + doc.box[2]) / 2
    worst = max(abs(r.centre - centre) for r in rows)
    yield Result("title.centre", "标题居中", PASS if worst <= 1 else FAIL, f"最大偏离 {worst:.2f} pt", "±1 pt", 1, "7.3.1")
    longest = max(sum(1.0 if not c.isascii() else 0.5 for c in r.plain) for r in rows)
    yield Result("title.width", "标题每行不超过 20 字", PASS if longest <= 20 else FAIL, f"{longest:g} 字", "≤20 字",
                 1, "7.3.1")
    if doc.red_rule:
        gap = (doc.ink(doc.first, rows[0])[0] - doc.red_rule.y) / doc.pitch
        yield Result("title.gap", "红线下空二行", PASS if within(gap, doc.layout.header.title_gap_lines, 0.3) else FAIL,
                     f"{gap:.2f} 行", f"{doc.layout.header.title_gap_lines} 行 ±0.3（校准值）", 1, "7.3.1")
    elif doc.is_letter and doc.number:
        gap = (doc.ink(doc.first, rows[0])[0] - doc.ink(doc.first, doc.number)[1]) / doc.pitch
        yield Result("letter.title-gap", "标题在发文字号下空二行", PASS if within(gap, doc.layout.letter.title_gap_lines, 0.3) else FAIL,
                     f"{gap:.2f} 行", f"{doc.layout.letter.title_gap_lines} 行 ±0.3（校准值）", 1, "10.1")


@rule
def recipients(doc: Rendered) -> Iterator[Result]:
    rows = doc.recipients
    if not rows:
        yield Result("recipients.form", "主送机关", SKIP, "标题后无顶格的主送行")
        return
    left = max(abs(r.x0 - doc.box[0]) for r in rows)
    yield Result("recipients.form", "主送机关居左顶格", PASS if left <= 1 else FAIL,
                 f"左缩进 {left:.2f} pt", "0 pt ±1", 1, "7.3.2")
    colon = rows[-1].plain.endswith("：")
    yield Result("recipients.colon", "主送机关末尾用全角冒号", PASS if colon else FAIL,
                 f"“…{rows[-1].plain[-6:]}”", "以“：”结尾", 1, "7.3.2")
    after = [r for r in doc.body_rows(doc.pages[0]) if r.top > rows[-1].baseline]
    yield Result("page1.body", "首页显示正文", PASS if after else FAIL, f"{len(after)} 行", "≥1 行", 1, "7.3.3")


_HEADING_FONTS = ((re.compile(r"^[一二三四五六七八九十]+、"), "一级标题", "黑体"),
                  (re.compile(r"^（[一二三四五六七八九十]+）"), "二级标题", "楷体"))


@rule
def heading_fonts(doc: Rendered) -> Iterator[Result]:
    """Level-1 headings in 黑体, level-2 in 楷体 (standard 7.3.3), judged on indented body rows."""
    indent = doc.box[0] + doc.layout.body_indent / 20
    for page in doc.pages:
        for row in doc.body_rows(page):
            if not within(row.x0, indent, 2):
                continue
            for pattern, name, expected in _HEADING_FONTS:
                if pattern.match(row.plain):
                    classes = {typeface_class(f) for f in row.fonts if not f.startswith("Liberation")}
                    yield Result("heading.font", f"{name}用{expected}", PASS if classes == {expected} else FAIL,
                                 "、".join(sorted(row.fonts)), expected, page.number, "7.3.3")


@rule
def fonts_by_role(doc: Rendered) -> Iterator[Result]:
    """Which faces the PDF embeds for each element, and whether each is of the right typeface class."""
    def faces(rows: list[Row]) -> set[str]:
        return {f for r in rows for f in r.fonts if not f.startswith(("Liberation", "DejaVu"))}

    body = [r for p in doc.pages for r in doc.body_rows(p) if not _HEADING_FONTS[0][0].match(r.plain)
            and not _HEADING_FONTS[1][0].match(r.plain) and not re.match(r"^附件\d*$", r.plain)]
    roles = [("body", "正文", body, {"仿宋"}),
             ("title", "标题", doc.title_rows, {"宋体"}),
             ("mark", "发文机关标志", [doc.mark] if doc.mark else [], {"宋体"}),
             ("page-number", "页码", [r for p in doc.pages if (r := doc.page_number(p))], {"宋体"})]
    for key, name, rows, allowed in roles:
        found = faces(rows)
        if not found:
            continue
        classes = {typeface_class(f) for f in found}
        # body rows may hold a few 楷体/黑体 run-ins; the face used most must be 仿宋
        ok = classes <= allowed if key != "body" else _dominant_class(rows) in allowed
        yield Result(f"fonts.{key}", f"{name}字体", PASS if ok else FAIL, "、".join(sorted(found)),
                     "、".join(sorted(allowed)) + "类字体", None, "5.2.2")


def _dominant_class(rows: list[Row]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        for f in r.fonts:
            cls = typeface_class(f)
            if cls and not f.startswith(("Liberation", "DejaVu")):
                counts[cls] = counts.get(cls, 0) + len(r.plain)
    return max(counts, key=counts.get) if counts else ""


@rule
def body_indent(doc: Rendered) -> Iterator[Result]:
    """Paragraphs start 2 字 in: the first-line x of indented rows is body indent (not 1 or 3 字)."""
    indent = doc.layout.body_indent / 20
    for page in doc.pages:
        # 附件说明 and 附件 labels have rules of their own; the 版头 is not body text
        header_end = doc.number.baseline if doc.number and page is doc.pages[0] else 0
        starts = [r.x0 - doc.box[0] for r in doc.paragraph_rows(page) if doc.box[0] + 4 < r.x0 < doc.box[0] + 60
                  and r.baseline > header_end and not re.match(r"^附件(\d*$|：)", r.plain)]
        if not starts:
            continue
        off = [s for s in starts if not within(s, indent, 1.5)]
        yield Result("body.indent", "段首空二字", PASS if not off else FAIL,
                     f"{len(starts)} 段，{len(off)} 段缩进不是二字" + (f"（{off[0]:.1f} pt）" if off else ""),
                     f"{indent:.1f} pt ±1.5", page.number, "7.3.3")


@rule
def attachment_note(doc: Rendered) -> Iterator[Result]:
    """附件说明: 左空二字 "附件："; items 1. 2. with later items under the first item's number."""
    indent = doc.box[0] + doc.layout.body_indent / 20
    rows = [(page.number, row) for page in doc.pages for row in doc.body_rows(page)]
    for i, (number, row) in enumerate(rows):
        if not row.plain.startswith("附件："):
            continue
        ok = within(row.x0, indent, 1.5) and not re.search(r"[，。；、.]$", row.plain)
        yield Result("attachment.note", "附件说明左空二字、名称后无标点", PASS if ok else FAIL,
                     f"x={row.x0 - doc.box[0]:.1f} pt，“{row.plain[:16]}”", f"{indent - doc.box[0]:.1f} pt，无末尾标点",
                     number, "7.3.4")
        first = next((g for g in row.glyphs[3:] if g[0].strip()), None)
        if first and re.match(r"^附件：1[.．]", row.plain):
            items = [r for _, r in rows[i + 1:i + 20] if re.match(r"^\d+[.．]", r.plain)]
            if items:
                worst = max(abs(r.x0 - first[1]) for r in items)
                yield Result("attachment.note-align", "附件序号上下对齐", PASS if worst <= 1.5 else FAIL,
                             f"最大偏差 {worst:.2f} pt", "±1.5 pt", number, "7.3.4")
        return


@rule
def signature(doc: Rendered) -> Iterator[Result]:
    found = doc.signature
    if found is None:
        yield Result("signature.layout", "署名与成文日期", SKIP, "未找到成文日期行")
        return
    page, name, date = found
    try:
        IssueDate.parse(date.plain)
        yield Result("date.format", "成文日期格式", PASS, date.plain, "2013年3月1日式", doc.pages[page].number, "7.3.5.4")
    except ValueProblem as exc:
        yield Result("date.format", "成文日期格式", FAIL, date.plain, exc.fix, doc.pages[page].number, "7.3.5.4")
    if doc.pages[page].images:
        return  # sealed layouts are checked by the seal rules
    char = doc.layout.char_width / 20
    short_date = date.x1 - date.x0 + 2 * char <= name.x1 - name.x0 + 1
    # the date starts 2 字 right of the 署名; if that would not fit, the date is 右空二字 instead
    anchor = name if short_date else date
    right = doc.box[2] - anchor.x1
    yield Result("signature.unsealed", "不加盖印章：署名（日期较长时为日期）右空二字",
                 PASS if within(right, 2 * char, 1.5) else FAIL, f"{right:.2f} pt", f"{2 * char:.2f} pt ±1.5",
                 doc.pages[page].number, "7.3.5.2")
    offset = date.x0 - name.x0
    yield Result("signature.date-offset", "成文日期首字比署名首字右移二字",
                 PASS if within(offset, 2 * char, 1.5) else FAIL, f"{offset:.2f} pt", f"{2 * char:.2f} pt ±1.5",
                 doc.pages[page].number, "7.3.5.2")


@rule
def seal(doc: Rendered) -> Iterator[Result]:
    found = doc.signature
    if found is None or not doc.pages[found[0]].images:
        yield Result("seal.present", "印章", SKIP, "署名页无印章图像")
        return
    page, name, date = found
    number = doc.pages[page].number
    x0, top, x1, bottom = max(doc.pages[page].images, key=lambda im: (im[2] - im[0]) * (im[3] - im[1]))
    char = doc.layout.char_width / 20
    right = doc.box[2] - date.x1
    yield Result("seal.date-right", "加盖印章：成文日期右空四字", PASS if within(right, 4 * char, 1.5) else FAIL,
                 f"{right:.2f} pt", f"{4 * char:.2f} pt ±1.5", number, "7.3.5.1")
    yield Result("seal.name-centred", "署名以成文日期为准居中", PASS if within(name.centre, date.centre, 1.5) else FAIL,
                 f"署名中心 {name.centre:.2f} pt，日期中心 {date.centre:.2f} pt", "相差 ≤1.5 pt", number, "7.3.5.1")
    centre_x, centre_y = (x0 + x1) / 2, (top + bottom) / 2
    yield Result("seal.centred", "印章居中", PASS if within(centre_x, date.centre, 2) else FAIL,
                 f"印章中心 x={centre_x:.2f} pt", f"{date.centre:.2f} pt ±2", number, "7.3.5.1")
    date_mid = (date.top + date.baseline) / 2
    name_mid = (name.top + name.baseline) / 2
    pressed = top < name_mid < bottom and top < date_mid < bottom and date_mid > centre_y
    yield Result("seal.press", "印章下压署名和日期，二者居印章中心偏下",
                 PASS if pressed else FAIL,
                 f"印章 y={top:.1f}–{bottom:.1f}，署名中线 {name_mid:.1f}，日期中线 {date_mid:.1f}",
                 "署名、日期在印章内，日期在中心之下", number, "7.3.5.1")
    above = [r for r in doc.pages[page].rows if r.baseline < name.top - 1 and r.baseline > doc.box[1]]
    if above:
        gap = (top - above[-1].baseline) / doc.pitch
        yield Result("seal.top", "印章顶端距正文（或附件说明）一行之内", PASS if 0 <= gap <= 1 else FAIL,
                     f"{gap:.2f} 行", "0–1 行", number, "7.3.5.1")


@rule
def page_numbers(doc: Rendered) -> Iterator[Result]:
    x0, _, x1, y1 = doc.box
    space = doc.layout.page_number.side_space / 20
    dash_target = y1 + 7 * PT_PER_MM
    numbered = [(p, doc.page_number(p)) for p in doc.pages]
    if not any(row for _, row in numbered):
        yield Result("pagenum.present", "页码", SKIP, "无页码")
        return
    exempt = doc.unnumbered_pages
    for page, row in numbered:
        if page.number in exempt:
            yield Result("pagenum.absent", exempt[page.number], PASS if row is None else FAIL,
                         "无页码" if row is None else row.text, "不编页码", page.number, "7.5")
            continue
        if row is None:
            yield Result("pagenum.value", "页码连续", FAIL, "缺少页码", f"— {page.number} —", page.number, "7.5")
            continue
        value = int(_PAGE_NUMBER.match(row.plain).group(1))
        yield Result("pagenum.value", "页码连续", PASS if value == page.number else FAIL,
                     row.text, f"— {page.number} —", page.number, "7.5")
        yield Result("pagenum.size", "页码 4 号", PASS if row.size == doc.small_pt else FAIL, f"{row.size:g} pt", "14 pt",
                     page.number, "7.5")
        gap = (x1 - row.x1) if page.number % 2 else (row.x0 - x0)
        side = "单页右空一字" if page.number % 2 else "双页左空一字"
        yield Result("pagenum.side", side, PASS if within(gap, space, 1) else FAIL, f"{gap:.2f} pt",
                     f"{space:.1f} pt ±1", page.number, "7.5")
        dash = doc.view.ink_extent(page.index, (row.x0 - 1, row.top - 4, row.x0 + row.size, row.baseline + 4))
        if dash:
            yield Result("pagenum.dash", "一字线距版心下边缘 7 mm",
                         PASS if within(dash[0], dash_target, 0.5 * PT_PER_MM) else FAIL,
                         _mm(dash[0] - y1), "7 mm ±0.5 mm", page.number, "7.5")


@rule
def imprint(doc: Rendered) -> Iterator[Result]:
    rules = doc.imprint_rules
    if len(rules) < 2:
        yield Result("imprint.present", "版记", SKIP, "末页无版记分隔线")
        return
    last_page = doc.pages[-1].number
    bottom = rules[-1]
    yield Result("imprint.bottom", "末条分隔线与版心下边缘重合", PASS if within(bottom.y, doc.box[3], 2) else FAIL,
                 f"y={bottom.y:.2f} pt", f"{doc.box[3]:.2f} pt ±2", last_page, "7.4.1")
    black = all(r.is_black for r in rules)  # red belongs to the 版头 only
    yield Result("imprint.color", "版记分隔线为黑色", PASS if black else FAIL, "黑色" if black else "非黑色", "黑色",
                 last_page, "5.2.4")
    thick = [r.width for r in (rules[0], rules[-1])]
    ok = all(within(wd, 1.0, 0.15) for wd in thick) and all(within(r.width, 0.75, 0.15) for r in rules[1:-1])
    yield Result("imprint.weights", "首末分隔线粗、中间细", PASS if ok else FAIL,
                 " / ".join(f"{r.width:.2f}" for r in rules) + " pt", "1.0 / 0.75 / 1.0 pt ±0.15", last_page, "7.4.1")
    yield Result("imprint.even", "版记在偶数页", PASS if last_page % 2 == 0 else FAIL, f"第 {last_page} 页", "偶数页",
                 last_page, "7.4")


@rule
def attachment_pages(doc: Rendered) -> Iterator[Result]:
    phase = doc.grid_phase
    for page in doc.pages[1:]:
        rows = [r for r in page.rows if r.baseline <= doc.box[3]]
        if not rows or not re.match(r"^附件\d*$", rows[0].plain):
            continue
        label = rows[0]
        line1 = phase is not None and within(label.baseline, phase, 0.05 * doc.pitch)
        yield Result("attachment.label", "附件标识在第 1 行顶格", PASS if line1 and within(label.x0, doc.box[0], 1) else FAIL,
                     f"基线 {label.baseline:.1f} pt，x={label.x0:.1f}", "第 1 行，版心左缘", page.number, "7.3.7")
        titles = [r for r in rows if r.size == doc.title_pt]
        if titles and phase is not None:
            line = (titles[0].baseline - phase) / doc.pitch + 1
            yield Result("attachment.title", "附件标题在第 3 行", PASS if within(line, 3, 0.05) else FAIL,
                         f"第 {line:.2f} 行", "第 3 行", page.number, "7.3.7")


def check(view: PdfView, layout: Layout, pages: list[PageView] | None = None) -> list[Result]:
    """Every rule on a rendered document (or on ``pages``, one document of a print file)."""
    doc = Rendered(view, layout, pages)
    return [result for fn in RULES for result in fn(doc)]


def check_print(view: PdfView, layout: Layout, parts: list[tuple[int, int]]) -> list[Result]:
    """A print file: each document (first page, page count) starts on an odd page, is followed by
    blank padding only, and is checked as if alone with its pages numbered from 1."""
    from dataclasses import replace

    results = []
    ends = [start - 1 for start, _ in parts[1:]] + [len(view.pages)]
    for n, ((start, count), end) in enumerate(zip(parts, ends), start=1):
        results.append(Result("print.odd-start", f"第{n}份从奇数页开始", PASS if start % 2 else FAIL,
                              f"第 {start} 页", "奇数页", start, "6"))
        padding = view.pages[start - 1 + count:end]
        blank = all(not p.rows and not p.rules and not p.images for p in padding)
        results.append(Result("print.padding", f"第{n}份之后的补白页为空白", PASS if blank else FAIL,
                              f"{len(padding)} 页" + ("" if blank else "，有内容"), "空白、无页码", start, "6"))
        pages = [replace(p, number=k) for k, p in enumerate(view.pages[start - 1:start - 1 + count], start=1)]
        results.extend(check(view, layout, pages))
    return results
