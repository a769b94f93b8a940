"""GB/T 9704 rules measured on a rendered PDF. Each rule prints what it measured, PASS or not.

Elements are found on the page, not in our data, so any 公文 PDF can be checked: the mark is the red
text of page 1, the 发文字号 the row with 〔…〕…号, the title the 二号 rows, page numbers the 4号 rows
below the 版心, the 版记 the black full-width rules of the last page. Absent elements give SKIP.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from ..fonts import typeface_class
from ..grammar import MARKERS
from ..layout import CALIBRATION
from ..model import DocNumber, IssueDate, ValueProblem
from ..standard import PT_PER_MM
from .elements import PAGE_NUMBER, Rendered, within
from .pdf import HANGING, PageView, PdfView, Row

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


def _mm(pt: float) -> str:
    return f"{pt / PT_PER_MM:.2f} mm"


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
        rows = doc.body_rows(page)
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


def mark(doc: Rendered) -> Iterator[Result]:
    row = doc.mark
    if row is None:
        yield Result("mark.present", "发文机关标志", SKIP, "首页发文字号上方无大号文字")
        return
    red = _is_red(row.color)
    yield Result("mark.color", "发文机关标志套红", PASS if red else FAIL, _color_name(row.color), "红色", 1, "7.2.4")
    centre = (doc.box[0] + doc.box[2]) / 2
    yield Result("mark.centre", "发文机关标志居中", PASS if within(row.centre, centre, doc.std.centring_pt) else FAIL,
                 f"中心 x={row.centre:.2f} pt", f"{centre:.2f} pt ±{doc.std.centring_pt:g}", 1, "7.2.4")
    top = doc.ink(doc.first, row, below=row.size * 0.3)[0]
    if doc.is_letter:
        target = doc.std.letter_mark_top
        yield Result("letter.mark-top", f"信函标志上边缘距上页边 {target.value:g} mm",
                     PASS if target.holds(top / PT_PER_MM) else FAIL,
                     _mm(top), target.text(), 1, target.clause)
        return
    target = doc.std.mark_top
    yield Result("mark.top", f"标志上边缘距版心上边缘 {target.value:g} mm",
                 PASS if target.holds((top - doc.box[1]) / PT_PER_MM) else FAIL,
                 _mm(top - doc.box[1]), target.text(), 1, target.clause)


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
        yield Result("letter.number-right", "信函发文字号顶格居版心右边缘",
                     PASS if within(right, 0, doc.std.letter_number_right_pt) else FAIL,
                     f"距右缘 {right:.2f} pt", f"0 pt ±{doc.std.letter_number_right_pt:g}", 1, "10.1")
        lines = sorted(r.y for r in doc.letter_rules if r.y < row.top)
        if lines:
            gap = row.top - lines[-1]
            target = doc.std.letter_number_gap
            yield Result("letter.number-gap", "发文字号距双线 3号字高的 7/8", PASS if target.holds(gap) else FAIL,
                         f"{gap:.2f} pt", target.text(), 1, target.clause)
        return
    signer = [r for r in doc.pages[0].rows if "签发人" in r.plain and within(r.baseline, row.baseline, 1)]
    space = doc.std.body_pt  # one 三号 字
    if signer or "签发人" in row.plain:
        # 上行文 (7.2.5/7.2.6): 发文字号 左空一字, 签发人 右空一字, on the line of the (last) 签发人
        right_end = max(r.x1 for r in signer) if signer else row.x1
        tol = doc.std.position_pt
        ok = within(row.x0 - doc.box[0], space, tol) and within(doc.box[2] - right_end, space, tol)
        yield Result("number.upward", "上行文：发文字号左空一字、签发人右空一字", PASS if ok else FAIL,
                     f"左 {row.x0 - doc.box[0]:.1f} pt，右 {doc.box[2] - right_end:.1f} pt", f"{space:.1f} pt ±{tol:g}",
                     1, "7.2.5")
    else:
        centre = (doc.box[0] + doc.box[2]) / 2
        yield Result("number.centre", "发文字号居中", PASS if within(row.centre, centre, doc.std.centring_pt) else FAIL,
                     f"中心 x={row.centre:.2f} pt", f"{centre:.2f} pt ±{doc.std.centring_pt:g}", 1, "7.2.5")
    if doc.mark:
        gap = (doc.ink(doc.first, row)[0] - doc.ink(doc.first, doc.mark, below=doc.mark.size * 0.3)[1]) / doc.pitch
        target = doc.std.number_gap
        yield Result("number.gap", "标志下空二行", PASS if target.holds(gap) else FAIL,
                     f"{gap:.2f} 行", target.text() + "（两空行）", 1, target.clause)


def letter_lines(doc: Rendered) -> Iterator[Result]:
    """信函: red double lines, 170 mm, thick over thin 4 mm under the mark, thin over thick 20 mm from the bottom."""
    if not doc.is_letter:
        return
    std = doc.std
    rules = sorted(doc.letter_rules, key=lambda r: r.y)
    centre = (doc.box[0] + doc.box[2]) / 2
    length = std.letter_line_length
    ok = all(length.holds((r.x1 - r.x0) / PT_PER_MM) and within((r.x0 + r.x1) / 2, centre, std.centring_pt)
             for r in rules)
    yield Result("letter.lines", f"红色双线长 {length.value:g} mm、居中", PASS if ok and len(rules) == 4 else FAIL,
                 f"{len(rules)} 条，长 " + "、".join(f"{(r.x1 - r.x0) / PT_PER_MM:.1f}" for r in rules) + " mm",
                 f"上下各一组双线，{length.text()}", 1, length.clause)
    if len(rules) != 4:
        return
    top, bottom = rules[:2], rules[2:]
    order = top[0].width > top[1].width and bottom[0].width < bottom[1].width
    yield Result("letter.line-weights", "上双线上粗下细，下双线上细下粗", PASS if order else FAIL,
                 " / ".join(f"{r.width:.2f}" for r in rules) + " pt", "粗/细 … 细/粗", 1, "10.1")
    edge = doc.pages[0].height - bottom[1].y
    target = std.letter_bottom_line
    yield Result("letter.bottom-line", f"下双线距下页边 {target.value:g} mm",
                 PASS if target.holds(edge / PT_PER_MM) else FAIL, _mm(edge), target.text(), 1, target.clause)
    if doc.mark:
        gap = top[0].y - doc.ink(doc.first, doc.mark, below=doc.mark.size * 0.3)[1]
        target = std.letter_line_gap
        yield Result("letter.line-gap", f"上双线在标志下 {target.value:g} mm",
                     PASS if target.holds(gap / PT_PER_MM) else FAIL, _mm(gap), target.text(), 1, target.clause)


def red_line(doc: Rendered) -> Iterator[Result]:
    rule_ = doc.red_rule
    if doc.is_letter:
        return
    if rule_ is None:
        yield Result("redline.present", "版头红色分隔线", SKIP, "首页无红线")
        return
    x0, _, x1, _ = doc.box
    tol = doc.std.centring_pt
    ok = within(rule_.x0, x0, tol) and within(rule_.x1, x1, tol)
    yield Result("redline.width", "红色分隔线与版心等宽", PASS if ok else FAIL,
                 f"x={rule_.x0:.2f}–{rule_.x1:.2f} pt", f"{x0:.2f}–{x1:.2f} pt ±{tol:g}", 1, "7.2.7")
    if doc.number:
        gap = rule_.y - doc.ink(doc.first, doc.number)[1]
        target = doc.std.red_line_gap
        yield Result("redline.gap", f"发文字号下 {target.value:g} mm", PASS if target.holds(gap / PT_PER_MM) else FAIL,
                     _mm(gap), target.text(), 1, target.clause)


def title(doc: Rendered) -> Iterator[Result]:
    rows = doc.title_rows
    if not rows:
        yield Result("title.present", "标题", SKIP, "首页无二号标题")
        return
    sizes = sorted({r.size for r in rows})
    yield Result("title.size", "标题二号字", PASS if sizes == [doc.title_pt] else FAIL,
                 "、".join(f"{x:g}" for x in sizes) + " pt", f"{doc.title_pt:g} pt", 1, "7.3.1")
    centre = (doc.box[0] + doc.box[2]) / 2
    worst = max(abs(r.centre - centre) for r in rows)
    tol = doc.std.centring_pt
    yield Result("title.centre", "标题居中", PASS if worst <= tol else FAIL, f"最大偏离 {worst:.2f} pt", f"±{tol:g} pt",
                 1, "7.3.1")
    longest = max(sum(1.0 if not c.isascii() else 0.5 for c in r.plain) for r in rows)
    most = doc.std.title_max_chars
    yield Result("title.width", f"标题每行不超过 {most:g} 字", PASS if longest <= most else FAIL, f"{longest:g} 字",
                 f"≤{most:g} 字",
                 1, "7.3.1")
    if doc.red_rule:
        gap = (doc.ink(doc.first, rows[0])[0] - doc.red_rule.y) / doc.pitch
        expected = CALIBRATION.title_gap_lines
        yield Result("title.gap", "红线下空二行", PASS if within(gap, expected, 0.3) else FAIL,
                     f"{gap:.2f} 行", f"{expected} 行 ±0.3（校准值）", 1, "7.3.1")
    elif doc.is_letter and doc.number:
        gap = (doc.ink(doc.first, rows[0])[0] - doc.ink(doc.first, doc.number)[1]) / doc.pitch
        expected = CALIBRATION.letter_title_gap_lines
        yield Result("letter.title-gap", "标题在发文字号下空二行", PASS if within(gap, expected, 0.3) else FAIL,
                     f"{gap:.2f} 行", f"{expected} 行 ±0.3（校准值）", 1, "10.1")


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


_HEADING_FONTS = ((MARKERS[1], "一级标题", "黑体"), (MARKERS[2], "二级标题", "楷体"))


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
    return max(counts, key=lambda cls: counts[cls]) if counts else ""


def body_indent(doc: Rendered) -> Iterator[Result]:
    """Paragraphs start 2 字 in: the first-line x of indented rows is body indent (not 1 or 3 字)."""
    indent = doc.std.indent_pt
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


def attachment_note(doc: Rendered) -> Iterator[Result]:
    """附件说明: 左空二字 "附件："; items 1. 2. with later items under the first item's number."""
    indent = doc.box[0] + doc.std.indent_pt
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


def signature(doc: Rendered) -> Iterator[Result]:
    found = doc.signature
    if found is None:
        yield Result("signature.layout", "署名与成文日期", SKIP, "未找到成文日期行")
        return
    page, name, date = found
    try:
        IssueDate.parse(date.plain)
        yield Result("date.format", "成文日期格式", PASS, date.plain, "2013年3月1日式", doc.pages[page].number,
                     "7.3.5.4")
    except ValueProblem as exc:
        yield Result("date.format", "成文日期格式", FAIL, date.plain, exc.fix, doc.pages[page].number, "7.3.5.4")
    if doc.pages[page].images:
        return  # sealed layouts are checked by the seal rules
    std, char = doc.std, doc.std.char_pt
    tol = std.position_pt
    space, shift = std.signature_right_chars * char, std.date_offset_chars * char
    short_date = date.x1 - date.x0 + shift <= name.x1 - name.x0 + 1
    # the date starts 2 字 right of the 署名; if that would not fit, the date is 右空二字 instead
    anchor = name if short_date else date
    right = doc.box[2] - anchor.x1
    yield Result("signature.unsealed", "不加盖印章：署名（日期较长时为日期）右空二字",
                 PASS if within(right, space, tol) else FAIL, f"{right:.2f} pt", f"{space:.2f} pt ±{tol:g}",
                 doc.pages[page].number, "7.3.5.2")
    offset = date.x0 - name.x0
    yield Result("signature.date-offset", "成文日期首字比署名首字右移二字",
                 PASS if within(offset, shift, tol) else FAIL, f"{offset:.2f} pt", f"{shift:.2f} pt ±{tol:g}",
                 doc.pages[page].number, "7.3.5.2")


def seal(doc: Rendered) -> Iterator[Result]:
    found = doc.signature
    if found is None or not doc.pages[found[0]].images:
        yield Result("seal.present", "印章", SKIP, "署名页无印章图像")
        return
    page, name, date = found
    number = doc.pages[page].number
    x0, top, x1, bottom = max(doc.pages[page].images, key=lambda im: (im[2] - im[0]) * (im[3] - im[1]))
    tol = doc.std.position_pt
    space = doc.std.sealed_date_right_chars * doc.std.char_pt
    right = doc.box[2] - date.x1
    yield Result("seal.date-right", "加盖印章：成文日期右空四字", PASS if within(right, space, tol) else FAIL,
                 f"{right:.2f} pt", f"{space:.2f} pt ±{tol:g}", number, "7.3.5.1")
    yield Result("seal.name-centred", "署名以成文日期为准居中", PASS if within(name.centre, date.centre, tol) else FAIL,
                 f"署名中心 {name.centre:.2f} pt，日期中心 {date.centre:.2f} pt", f"相差 ≤{tol:g} pt", number,
                 "7.3.5.1")
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
                         _mm(dash[0] - y1), dash_target.text(), page.number, dash_target.clause)


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
RULES: tuple[RuleFn, ...] = (paper, text_area, grid, chars_per_line, mark, doc_number, letter_lines, red_line, title,
                             recipients, heading_fonts, fonts_by_role, body_indent, attachment_note, signature, seal,
                             page_numbers, imprint, attachment_pages)


def check(view: PdfView, pages: list[PageView] | None = None) -> list[Result]:
    """Every rule on a rendered document (or on ``pages``, one document of a print file)."""
    doc = Rendered(view, pages)
    return [result for fn in RULES for result in fn(doc)]


def check_print(view: PdfView, parts: list[tuple[int, int]]) -> list[Result]:
    """A print file: each document (first page, page count) starts on an odd page, is followed by
    blank padding only, and is checked as if alone with its pages numbered from 1."""
    from dataclasses import replace

    results = []
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
