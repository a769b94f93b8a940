"""GB/T 9704 rules measured on a rendered PDF. Each rule prints what it measured, PASS or not.

Elements are found on the page, not in our data, so any 公文 PDF can be checked: the mark is the red
text of page 1, the 发文字号 the row with 〔…〕…号, the title the 二号 rows, page numbers the 4号 rows
below the 版心, the 版记 the black full-width rules of the last page. Absent elements give SKIP.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import pairwise

from ..fonts import typeface_class
from ..grammar import MARKERS
from ..standard import PT_PER_MM
from . import closing, masthead
from .elements import PAGE_NUMBER, Rendered, within
from .pdf import HANGING, PageView, PdfView, Row
from .result import FAIL, PASS, SKIP, Result, mm

RuleFn = Callable[[Rendered], Iterator[Result]]
_HEADING_FONTS = ((MARKERS[1], "一级标题", "黑体"), (MARKERS[2], "二级标题", "楷体"))


def paper(doc: Rendered) -> Iterator[Result]:
    for page in doc.pages:
        width, height = doc.std.paper_pt
        ok = within(page.width, width, 1) and within(page.height, height, 1)
        yield Result("page.paper", "纸张 A4", PASS if ok else FAIL, f"{page.width:.1f}×{page.height:.1f} pt",
                     f"{width:.1f}×{height:.1f} pt ±1", page.number, "5.1")


def text_area(doc: Rendered) -> Iterator[Result]:
    x0, y0, x1, y1 = doc.box
    tol = doc.std.margin_tolerance_mm * PT_PER_MM
    for page in doc.pages:
        # a line-end punctuation mark may hang past the edge (Word and WPS do the same)
        outside = [r for r in page.rows if not doc.is_page_number(r)
                   and not (doc.is_letter and r is doc.mark)  # a 信函's mark stands 30 mm from the paper top
                   and (r.x0 < x0 - tol or r.ink_x1 > x1 + tol or r.top < y0 - tol or r.baseline > y1 + tol)]
        status = FAIL if outside else PASS
        measured = f"{len(outside)} 行越界" + (f"（“{outside[0].text[:10]}”）" if outside else "")
        width_mm, height_mm = (x1 - x0) / PT_PER_MM, (y1 - y0) / PT_PER_MM
        yield Result("page.text-area", "文字在版心内", status, measured,
                     f"{width_mm:.0f}×{height_mm:.0f} mm 版心 ±{doc.std.margin_tolerance_mm:g} mm", page.number,
                     "5.2.1")


def grid(doc: Rendered) -> Iterator[Result]:
    phase = doc.grid_phase
    if phase is None:
        yield Result("grid.pitch", f"行距 {doc.pitch:g} pt 网格", SKIP, "无正文行")
        return
    for page in doc.pages:
        rows = [r for r in doc.body_rows(page) if r is not doc.order_number]  # 20 mm sets it off the grid
        if not rows:
            continue
        offsets = [((r.baseline - phase) / doc.pitch) for r in rows]
        worst = max(abs(o - round(o)) for o in offsets)
        tol = doc.std.grid_tolerance_lines
        yield Result("grid.pitch", f"正文基线在 {doc.pitch:g} pt 网格上", PASS if worst <= tol else FAIL,
                     f"最大偏离 {worst:.3f} 行", f"±{tol:g} 行", page.number, "5.2.3")
        baselines = sorted({round(r.baseline * 2) / 2 for r in page.rows if r.baseline <= doc.box[3] + 1})
        lines = [b for i, b in enumerate(baselines) if i == 0 or b - baselines[i - 1] > 3]
        yield Result("grid.rows", f"每面不超过 {doc.std.rows} 行", PASS if len(lines) <= doc.std.rows else FAIL,
                     f"{len(lines)} 行", f"≤{doc.std.rows} 行", page.number, "5.2.3")


def chars_per_line(doc: Rendered) -> Iterator[Result]:
    """28 characters fit a line: the natural advance of body glyphs times 28 fills the 版心 width.

    Lines may legitimately carry 27 (避头尾 pushes a character down and the line is justified) or
    29 (line-end punctuation hangs); more than 28 characters inside the 版心 is a fault.
    """
    x0, _, x1, _ = doc.box
    for page in doc.pages:
        rows = [r for r in doc.body_rows(page) if not any(c.isascii() for c in r.plain)]
        advances = sorted(round(b[1] - a[1], 2) for r in rows for a, b in pairwise(r.glyphs))
        if len(advances) < 28:
            continue
        natural = advances[len(advances) // 4]  # justified lines only ever widen the advance
        capacity = int((x1 - x0 + 1) // natural)
        crowded = [r for r in rows if within(r.x0, x0, 2)
                   and r.wide_count - (r.glyphs[-1][0] in HANGING) > doc.std.chars]
        ok = capacity == doc.std.chars and not crowded
        chars = doc.std.chars
        yield Result("grid.chars", f"每行 {chars} 字", PASS if ok else FAIL,
                     f"字距 {natural:.2f} pt，每行容 {capacity} 字"
                     + (f"，{len(crowded)} 行超过 {chars} 字" if crowded else ""),
                     f"{chars} 字（行末标点可悬挂）", page.number, "5.2.3")


def heading_fonts(doc: Rendered) -> Iterator[Result]:
    """Level-1 headings in 黑体, level-2 in 楷体 (standard 7.3.3), judged on indented body rows."""
    indent = doc.box[0] + doc.std.indent_pt
    for page in doc.pages:
        for row in doc.body_rows(page):
            if not within(row.x0, indent, 2):
                continue
            for pattern, name, expected in _HEADING_FONTS:
                if pattern.match(row.plain):
                    classes = {typeface_class(f) for f in row.fonts if not f.startswith("Liberation")}
                    yield Result("heading.font", f"{name}用{expected}", PASS if classes == {expected} else FAIL,
                                 "、".join(sorted(row.fonts)), expected, page.number, "7.3.3")


def fonts_by_role(doc: Rendered) -> Iterator[Result]:
    """Which faces the PDF embeds for each element, and whether each is of the right typeface class."""
    def faces(rows: list[Row]) -> set[str]:
        return {f for r in rows for f in r.fonts if not f.startswith(("Liberation", "DejaVu"))}

    body = [r for p in doc.pages for r in doc.body_rows(p) if not _HEADING_FONTS[0][0].match(r.plain)
            and not _HEADING_FONTS[1][0].match(r.plain) and not re.match(r"^附件\d*$", r.plain)]
    roles = [("body", "正文", body, {"仿宋"}),
             ("title", "标题", doc.title_rows, {"小标宋", "宋体"}),
             ("mark", "发文机关标志", doc.mark_rows, {"小标宋", "宋体"}),
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
    return max(counts, key=lambda cls: counts[cls]) if counts else ""


def body_indent(doc: Rendered) -> Iterator[Result]:
    """Paragraphs start 2 字 in: the first-line x of indented rows is body indent (not 1 or 3 字)."""
    indent = doc.std.indent_pt
    for page in doc.pages:
        # 附件说明 and 附件 labels have rules of their own; the 版头 is not body text
        header_end = doc.number.baseline if doc.number and page is doc.pages[0] else 0
        closing = doc.closing.names if doc.closing else []  # 署名 stand where their seals are
        starts = [r.x0 - doc.box[0] for r in doc.paragraph_rows(page) if doc.box[0] + 4 < r.x0 < doc.box[0] + 60
                  and r.baseline > header_end and not re.match(r"^附件(\d*$|：)", r.plain) and r not in closing]
        if not starts:
            continue
        off = [s for s in starts if not within(s, indent, 1.5)]
        yield Result("body.indent", "段首空二字", PASS if not off else FAIL,
                     f"{len(starts)} 段，{len(off)} 段缩进不是二字" + (f"（{off[0]:.1f} pt）" if off else ""),
                     f"{indent:.1f} pt ±1.5", page.number, "7.3.3")


def page_numbers(doc: Rendered) -> Iterator[Result]:
    x0, _, x1, y1 = doc.box
    side = doc.std.page_number_side
    dash_target = doc.std.page_number_dash
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
        found = PAGE_NUMBER.match(row.plain)
        value = int(found.group(1)) if found else -1
        yield Result("pagenum.value", "页码连续", PASS if value == page.number else FAIL,
                     row.text, f"— {page.number} —", page.number, "7.5")
        yield Result("pagenum.size", "页码 4 号", PASS if row.size == doc.small_pt else FAIL, f"{row.size:g} pt",
                     f"{doc.small_pt:g} pt",
                     page.number, "7.5")
        gap = (x1 - row.x1) if page.number % 2 else (row.x0 - x0)
        name = "单页右空一字" if page.number % 2 else "双页左空一字"
        yield Result("pagenum.side", name, PASS if side.holds(gap) else FAIL, f"{gap:.2f} pt", side.text(),
                     page.number, side.clause)
        dash = doc.view.ink_extent(page.index, (row.x0 - 1, row.top - 4, row.x0 + row.size, row.baseline + 4))
        if dash:
            yield Result("pagenum.dash", f"一字线距版心下边缘 {dash_target.value:g} mm",
                         PASS if dash_target.holds((dash[0] - y1) / PT_PER_MM) else FAIL,
                         mm(dash[0] - y1), dash_target.text(), page.number, dash_target.clause)


def imprint(doc: Rendered) -> Iterator[Result]:
    rules = doc.imprint_rules
    if len(rules) < 2:
        yield Result("imprint.present", "版记", SKIP, "末页无版记分隔线")
        return
    last_page = doc.pages[-1].number
    bottom = rules[-1]
    tol = doc.std.imprint_bottom_pt
    yield Result("imprint.bottom", "末条分隔线与版心下边缘重合", PASS if within(bottom.y, doc.box[3], tol) else FAIL,
                 f"y={bottom.y:.2f} pt", f"{doc.box[3]:.2f} pt ±{tol:g}", last_page, "7.4.1")
    black = all(r.is_black for r in rules)  # red belongs to the 版头 only
    yield Result("imprint.color", "版记分隔线为黑色", PASS if black else FAIL, "黑色" if black else "非黑色", "黑色",
                 last_page, "5.2.4")
    thick = [r.width for r in (rules[0], rules[-1])]
    thin = doc.std.imprint_thin
    ok = all(doc.std.imprint_thick.holds(wd) for wd in thick) and all(thin.holds(r.width) for r in rules[1:-1])
    yield Result("imprint.weights", "首末分隔线粗、中间细", PASS if ok else FAIL,
                 " / ".join(f"{r.width:.2f}" for r in rules) + " pt",
                 f"{doc.std.imprint_thick.value:g} / {thin.value:g} / {doc.std.imprint_thick.value:g} pt "
                 f"±{thin.tolerance:g}", last_page, "7.4.1")
    yield Result("imprint.even", "版记在偶数页", PASS if last_page % 2 == 0 else FAIL, f"第 {last_page} 页", "偶数页",
                 last_page, "7.4")


def attachment_pages(doc: Rendered) -> Iterator[Result]:
    phase = doc.grid_phase
    for page in doc.pages[1:]:
        rows = [r for r in page.rows if r.baseline <= doc.box[3]]
        if not rows or not re.match(r"^附件\d*$", rows[0].plain):
            continue
        label = rows[0]
        line1 = phase is not None and within(label.baseline, phase, doc.std.grid_tolerance_lines * doc.pitch)
        yield Result("attachment.label", "附件标识在第 1 行顶格", PASS if line1 and within(label.x0, doc.box[0],
                                                                                  1) else FAIL,
                     f"基线 {label.baseline:.1f} pt，x={label.x0:.1f}", "第 1 行，版心左缘", page.number, "7.3.7")
        titles = [r for r in rows if r.size == doc.title_pt]
        if titles and phase is not None:
            line = (titles[0].baseline - phase) / doc.pitch + 1
            target = doc.std.attachment_title_line
            yield Result("attachment.title", f"附件标题在第 {target} 行",
                         PASS if within(line, target, doc.std.grid_tolerance_lines) else FAIL,
                         f"第 {line:.2f} 行", f"第 {target} 行", page.number, "7.3.7")


# every rule, in the order reports list them
RULES: tuple[RuleFn, ...] = (
    paper, text_area, grid, chars_per_line,
    masthead.header_numbers, masthead.mark, masthead.doc_number, masthead.order_number, masthead.letter_lines,
    masthead.red_line, masthead.title, masthead.recipients,
    heading_fonts, fonts_by_role, body_indent,
    closing.attachment_note, closing.signature, closing.seal, closing.signed_by, closing.attendance,
    page_numbers, imprint, attachment_pages,
)


def check(view: PdfView, pages: list[PageView] | None = None) -> list[Result]:
    """Every rule on a rendered document (or on ``pages``, one document of a print file)."""
    doc = Rendered(view, pages)
    return [result for fn in RULES for result in fn(doc)]


def check_print(view: PdfView, parts: list[tuple[int, int]]) -> list[Result]:
    """A print file: each document (first page, page count) starts on an odd page, is followed by
    blank padding only, and is checked as if alone with its pages numbered from 1."""
    from dataclasses import replace

    results = []
    if view.producer == "PDFium":  # bound by printbook from the PDF stage's LibreOffice renders
        view.producer = "LibreOffice (circular 合订本)"
    ends = [start - 1 for start, _ in parts[1:]] + [len(view.pages)]
    for n, ((start, count), end) in enumerate(zip(parts, ends, strict=True), start=1):
        results.append(Result("print.odd-start", f"第{n}份从奇数页开始", PASS if start % 2 else FAIL,
                              f"第 {start} 页", "奇数页", start, "6"))
        padding = view.pages[start - 1 + count:end]
        blank = all(not p.rows and not p.rules and not p.images for p in padding)
        results.append(Result("print.padding", f"第{n}份之后的补白页为空白", PASS if blank else FAIL,
                              f"{len(padding)} 页" + ("" if blank else "，有内容"), "空白、无页码", start, "6"))
        pages = [replace(p, number=k) for k, p in enumerate(view.pages[start - 1:start - 1 + count], start=1)]
        results.extend(check(view, pages))
    return results
