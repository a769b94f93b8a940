"""版头 (standard 7.2, 10.2, 10.3): 份号, 密级, 紧急程度; the 发文机关标志 (one organ's, or the names of
joint organs stacked with 文件 to their right); the 发文字号 centred, or left with the 签发人 on its line
(上行文); the red separator. The 命令's mark and 令号."""

from __future__ import annotations

from lxml import etree

from ...grammar import Element
from ...layout import EMU_PER_PT, Layout
from ...model import Header
from ...standard import TW_PER_PT
from ..engine import Canvas, Writing
from ..measure import advance, widest
from ..ooxml import anchored_line, fixed_table, fonts, put, run, w

TAB = "\t"


def document_masthead(doc: Writing) -> None:
    """The 文件格式 and 纪要 版头: the mark 35 mm below the 版心 top, the 发文字号 two lines below it,
    the red line 4 mm under that."""
    header = doc.gw.header
    if not header:
        return
    canvas, lay = doc.canvas, doc.layout
    used = _numbers(canvas, header)
    if header.joint:
        _stacked_mark(canvas, header, used)
    else:
        line = lay.grid.line
        before = max(0, lay.mark_space_before - used * line)
        height = lay.header.mark_lines * line
        _mark(canvas, header.mark, before, height, lay.header.mark_block_lines * line - used * line - before - height)
    canvas.blank(lay.header.blank_lines_before_number)
    line = _signers(canvas, header) if header.signers else \
        canvas.paragraph(Element.DOC_NUMBER, str(header.doc_number) if header.doc_number else "")
    _red_line(canvas, line)
    canvas.blank(lay.header.blank_lines_before_title)


def order_masthead(doc: Writing) -> None:
    """命令（令）格式 (10.2): the mark 20 mm below the 版心 top, no red line; the 令号 centred two lines
    below it; the text two lines below that."""
    header = doc.gw.header
    if not header:
        return
    canvas, lay = doc.canvas, doc.layout
    line = lay.grid.line
    used = _numbers(canvas, header)
    before = max(0, lay.order_mark_space_before - used * line)
    height = lay.header.mark_lines * line
    # 20 mm puts the mark half a line off the grid the text keeps: the 令号 takes half of the misfit
    # from each of its two 空二行 instead of all from one
    misfit = -(before + height) % line
    _mark(canvas, header.mark, before, height, misfit - misfit // 2)
    canvas.blank(lay.header.blank_lines_before_number)
    canvas.paragraph(Element.DOC_NUMBER, header.order_number, w("spacing", before=0, after=misfit // 2))
    canvas.blank(lay.header.blank_lines_before_title)


def _numbers(canvas: Canvas, header: Header) -> int:
    """份号, 密级和保密期限, 紧急程度, one per line from the top (7.2.1–7.2.3); how many lines they took."""
    used = 0
    for element, value in ((Element.COPY_NUMBER, header.copy_number), (Element.SECRECY, header.secrecy),
                           (Element.URGENCY, header.urgency)):
        if value:
            canvas.paragraph(element, value)
            used += 1
    return used


def _mark(canvas: Canvas, mark: str, before: int, height: int, after: int) -> None:
    """One organ's mark in an exact line of ``height``; the space around it puts its ink top where it
    belongs and the lines below back on the grid."""
    lay = canvas.layout
    canvas.paragraph(
        Element.MARK, mark,
        w("spacing", before=before, after=after, line=height, lineRule="exact"),
        rpr=fit_to_width(mark, lay, lay.sizes.mark, lay.page.text_width),
    )


def _stacked_mark(canvas: Canvas, header: Header, used: int) -> None:
    """联合行文 (7.2.4): the organs' names stacked, 主办机关 first, each in a row of its own and spread to
    one width; "文件" to their right, centred on the block; the whole centred, its top 35 mm below the
    版心 top."""
    lay = canvas.layout
    suffix_size, names = lay.sizes.mark, header.joint
    row, spacer, size = _stacked_rows(lay, len(names), used)
    # a quarter character of slack: text spread to the cell's width must not wrap
    names_w = max(widest(n, lay, size) for n in names) + lay.chars_tw(0.25, size)
    suffix_w = advance(header.mark_suffix, lay, suffix_size) if header.mark_suffix else 0
    gap = lay.chars_tw(0.5, size) if suffix_w else 0
    scale = min(100, lay.page.text_width * 100 // (names_w + gap + suffix_w))
    names_col = names_w * scale // 100
    suffix_col = gap + suffix_w if suffix_w else 0
    canvas.paragraph(Element.BLANK, "", w("spacing", before=0, after=0, line=spacer, lineRule="exact"))
    tbl = fixed_table(names_col + suffix_col, {}, {}, w("jc", val="center"))
    grid = w("tblGrid")
    grid.append(w("gridCol", w=names_col))
    if suffix_col:
        grid.append(w("gridCol", w=suffix_col))
    tbl.append(grid)
    for r, name in enumerate(names):
        tr = w("tr")
        trp = w("trPr")
        put(trp, w("trHeight", val=row, hRule="exact"))
        tr.append(trp)
        tr.append(_cell(lay, names_col, name, size, "distribute", scale, row))
        if suffix_col:  # flush right: the gap stays between the names and 文件
            tr.append(_cell(lay, suffix_col, header.mark_suffix if r == 0 else "", suffix_size, "right", 100,
                            min(len(names) * row, lay.header.mark_lines * lay.grid.line),
                            merge="restart" if r == 0 else "continue"))
        tbl.append(tr)
    canvas.append(tbl)


def _stacked_rows(lay: Layout, count: int, used: int) -> tuple[int, int, int]:
    """Row height, the spacer above and the names' size (half-points) of a stacked mark.

    Three things must hold at once: the ink top 35 mm below the 版心 top (7.2.4), the 发文字号 two
    blank lines under the ink (7.2.5), and every line below on the grid. So the block (spacer and
    names) ends on a grid line and the rows share what lies between: at least 0.8 line each, the
    names' size shrinking to fit a row when they are many."""
    line = lay.grid.line
    top = lay.joint_mark_top - used * line
    least = round(lay.header.joint_mark_min_row_lines * line)
    lines = -(-(top + used * line + count * least) // line)  # ceiling
    row = (lines * line - used * line - top) // count
    spacer = lines * line - used * line - count * row
    size = min(lay.sizes.joint_mark, (row - 2 * TW_PER_PT) * 2 // TW_PER_PT)
    return row, spacer, size


def _cell(lay: Layout, width: int, text: str, size: int, jc: str, scale: int, height: int,
          merge: str = "") -> etree._Element:
    tc = w("tc")
    tcp = w("tcPr")
    put(tcp, w("tcW", w=width, type="dxa"))
    if merge:
        put(tcp, w("vMerge", val=merge) if merge == "restart" else w("vMerge"))
    put(tcp, w("vAlign", val="center"))
    tc.append(tcp)
    p = w("p")
    pp = w("pPr")
    put(pp, w("pStyle", val=Element.MARK.style))
    put(pp, w("spacing", before=0, after=0, line=height, lineRule="exact"))
    put(pp, w("ind", left=0, right=0, firstLine=0, firstLineChars=0))
    put(pp, w("jc", val=jc))
    p.append(pp)
    if text:
        rpr = [fonts(lay.fonts.latin, lay.fonts.title), w("color", val=lay.header.mark_color),
               w("sz", val=size), w("szCs", val=size)]
        if scale < 100:
            rpr.append(w("w", val=scale))
        p.append(run(text, rpr))
    tc.append(p)
    return tc


def _signers(canvas: Canvas, header: Header) -> etree._Element:
    """上行文 (7.2.5, 7.2.6): "签发人：" and the names in 楷体, two to a row, 右空一字; further rows begin
    under the first name; the 发文字号 左空一字 on the row of the last 签发人. Tab stops put each part at
    a computed column, so no engine has to measure digits. Returns the last row's paragraph."""
    lay = canvas.layout
    label = "签发人："
    space = lay.chars_tw(1)
    rows = ["\u3000".join(header.signers[i:i + 2]) for i in range(0, len(header.signers), 2)]
    label_w = advance(label, lay)
    names_start = lay.page.text_width - space - max(advance(r, lay) for r in rows)
    label_start = names_start - label_w
    last = canvas.last()
    for n, names in enumerate(rows):
        first, final = n == 0, n == len(rows) - 1
        tabs = w("tabs")
        tabs.append(w("tab", val="left", pos=label_start if first else names_start))
        number = str(header.doc_number) if final and header.doc_number else ""
        last = canvas.paragraph(Element.DOC_NUMBER, number + TAB + (label if first else ""),
                                tabs, w("jc", val="left"), w("ind", left=space, right=0, firstLineChars=0))
        last.append(run(names, [fonts(lay.fonts.latin, lay.fonts.heading2)]))
    return last


def _red_line(canvas: Canvas, anchor: etree._Element) -> None:
    """156 mm red, 4 mm under the 发文字号 (7.2.7), hung on its paragraph."""
    lay = canvas.layout
    text_width_emu = lay.page.text_width * EMU_PER_PT // 20
    drawing = canvas.drawing_id()
    anchor.append(canvas.reused(("red-line", drawing), lambda: anchored_line(
        drawing, "红色分隔线",
        x_emu=0,
        y_emu=round(lay.header.red_line_offset_pt * EMU_PER_PT),
        length_emu=text_width_emu,
        weight_emu=round(lay.header.red_line_weight_pt * EMU_PER_PT),
        color=lay.header.red_line_color,
    )))


def fit_to_width(text: str, lay: Layout, size: int, width_tw: int) -> list[etree._Element]:
    """Scale a long mark horizontally (字符缩放, as offices do) so it fits ``width_tw``; a mark on
    several lines is measured line by line.

    The size stays: it fixes the mark's height and so its distance to the 发文字号.
    """
    natural = widest(text, lay, size)
    if natural <= width_tw:
        return []
    return [w("w", val=max(1, width_tw * 100 // natural))]
