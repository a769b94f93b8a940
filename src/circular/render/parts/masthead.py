"""版头 of the 文件格式 (standard 7.2): 份号, 密级, 紧急程度, 发文机关标志, 发文字号, red separator."""

from __future__ import annotations

from lxml import etree

from ...grammar import Element
from ...layout import EMU_PER_PT, Layout
from ..engine import Writing
from ..measure import advance
from ..ooxml import anchored_line, w


def document_masthead(doc: Writing) -> None:
    """The mark 35 mm below the 版心 top, the 发文字号 two lines below it, the red line 4 mm under that."""
    if not doc.gw.header:
        return
    canvas, lay, h = doc.canvas, doc.layout, doc.gw.header
    used = 0
    for element, value in ((Element.COPY_NUMBER, h.copy_number), (Element.SECRECY, h.secrecy),
                           (Element.URGENCY, h.urgency)):
        if value:
            canvas.paragraph(element, value)
            used += 1
    # The mark block (space before + exact line + space after) spans whole grid lines, so
    # everything below stays on the 579 tw grid; the split puts the ink top at 35 mm.
    line = lay.grid.line
    block = lay.header.mark_block_lines * line - used * line
    mark_height = lay.header.mark_lines * line
    before = max(0, lay.mark_space_before - used * line)
    after = block - before - mark_height
    canvas.paragraph(
        Element.MARK, h.mark,
        w("spacing", before=before, after=after, line=mark_height, lineRule="exact"),
        rpr=fit_to_width(h.mark, lay, lay.sizes.mark, lay.page.text_width),
    )
    canvas.blank(lay.header.blank_lines_before_number)
    number = canvas.paragraph(Element.DOC_NUMBER, str(h.doc_number))
    text_width_emu = lay.page.text_width * EMU_PER_PT // 20
    drawing = canvas.drawing_id()
    number.append(canvas.reused(("red-line", drawing), lambda: anchored_line(
        drawing, "红色分隔线",
        x_emu=0,
        y_emu=round(lay.header.red_line_offset_pt * EMU_PER_PT),
        length_emu=text_width_emu,
        weight_emu=round(lay.header.red_line_weight_pt * EMU_PER_PT),
        color=lay.header.red_line_color,
    )))
    canvas.blank(lay.header.blank_lines_before_title)


def fit_to_width(text: str, lay: Layout, size: int, width_tw: int) -> list[etree._Element]:
    """Scale a long mark horizontally (字符缩放, as offices do) so it fits ``width_tw``.

    The size stays: it fixes the mark's height and so its distance to the 发文字号.
    """
    natural = advance(text, lay, size)
    if natural <= width_tw:
        return []
    return [w("w", val=max(1, width_tw * 100 // natural))]
