"""主体 (standard 7.3.1–7.3.3): 标题, 主送机关, 正文 with its headings and tables, transmitted texts."""

from __future__ import annotations

import math
from collections.abc import Iterable

from lxml import etree

from ...grammar import Element
from ...model import Block, Heading, Paragraph, Table, Text
from ...titles import break_title
from ..engine import Canvas, Writing
from ..measure import advance
from ..ooxml import fixed_table, put, run, w
from .closing import attachment_note, keep_with_next

TABLE_CELL_MARGIN = 108  # tw, Word's default left/right cell margin


def title(doc: Writing) -> None:
    """The 标题, then one blank line (a 纪要 or 命令 may have none)."""
    if not doc.gw.main.title:
        return
    write_title(doc.canvas, doc.gw.main)
    doc.canvas.blank(doc.layout.body.blank_lines_after_title)


def recipients(doc: Writing) -> None:
    """主送机关: flush left, names joined by commas, a full-width colon."""
    if doc.gw.recipients:
        doc.canvas.paragraph(Element.RECIPIENTS, "，".join(doc.gw.recipients) + "：")


def main_text(doc: Writing) -> None:
    """The 正文; its attachments go to the annex pages."""
    doc.last_body = blocks(doc.canvas, doc.gw.main.body)
    doc.annexes.extend(doc.gw.main.attachments)


def transmitted(doc: Writing) -> None:
    """Texts the document transmits (印发的文件): each from a new page, with its own 附件说明."""
    for text in doc.gw.transmitted:
        write_title(doc.canvas, text, page_break=True)
        doc.canvas.blank(doc.layout.body.blank_lines_after_title)
        last = blocks(doc.canvas, text.body)
        if text.attachments:
            keep_with_next(last)
            attachment_note(doc.canvas, text.attachments)
        doc.annexes.extend(text.attachments)


def write_title(canvas: Canvas, text: Text, element: Element = Element.TITLE, page_break: bool = False) -> None:
    lines = list(text.title_lines) or break_title(text.title, canvas.layout.body.title_max_chars)
    extra = [w("pageBreakBefore")] if page_break else []
    canvas.paragraph(element, "\n".join(lines), *extra)


def blocks(canvas: Canvas, content: Iterable[Block]) -> etree._Element | None:
    """Headings, paragraphs and tables; returns the last one written."""
    last = None
    for block in content:
        if isinstance(block, Heading):
            last = canvas.paragraph(Element.heading(block.level), block.marker + block.text)
        elif isinstance(block, Paragraph):
            last = canvas.paragraph(Element.BODY, block.marker + block.text)
        elif isinstance(block, Table):
            last = _table(canvas, block)
    return last


def _table(canvas: Canvas, table: Table) -> etree._Element:
    lay = canvas.layout
    columns = max(len(r) for r in table.rows)
    col_width = lay.page.text_width // columns
    ruled = dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), 4)
    tbl = fixed_table(col_width * columns, ruled, {"left": TABLE_CELL_MARGIN, "right": TABLE_CELL_MARGIN},
                      w("jc", val="center"))
    grid = w("tblGrid")
    for _ in range(columns):
        grid.append(w("gridCol", w=col_width))
    tbl.append(grid)
    text_room = col_width - 2 * TABLE_CELL_MARGIN
    for index, row in enumerate(table.rows):
        tr = w("tr")
        trp = w("trPr")
        # whole grid lines, exact: borders then sit inside the row and the body keeps its grid
        lines = max(1, *(math.ceil(advance(cell, lay, lay.sizes.table) / text_room) for cell in row))
        put(trp, w("cantSplit"))
        put(trp, w("trHeight", val=lines * lay.grid.line, hRule="exact"))
        if index < table.header_rows:
            put(trp, w("tblHeader"))
        tr.append(trp)
        for c in range(columns):
            tc = w("tc")
            tcp = w("tcPr")
            put(tcp, w("tcW", w=col_width, type="dxa"))
            put(tcp, w("vAlign", val="center"))
            tc.append(tcp)
            p = w("p")
            pp = w("pPr")
            put(pp, w("pStyle", val=Element.TABLE_TEXT.style))
            p.append(pp)
            cell_text = row[c] if c < len(row) else ""
            rpr = [w("rFonts", eastAsia=lay.fonts.heading1)] if index < table.header_rows else []
            if cell_text:
                p.append(run(cell_text, rpr))
            tc.append(p)
            tr.append(tc)
        tbl.append(tr)
    return canvas.append(tbl)
