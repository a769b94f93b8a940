"""信函格式 (GB/T 9704-2012 10.1): mark 30 mm from the paper's top, red double lines, no number on page 1.

The mark stands above the 版心 (30 mm < 37 mm), so it cannot be in the text flow: it is a text box
anchored to the page, and with the four 170 mm lines it lives in the first-page header, which
every page-1 of a 信函 shares. Everything in the flow stays on the 579 tw grid.
"""

from __future__ import annotations

from lxml import etree

from ...grammar import Element
from ...layout import EMU_PER_PT, PT_PER_MM, Layout
from ..engine import Canvas, Format, Writing
from ..ooxml import anchored_line, anchored_text_box, fonts, props, put, run, w
from ..pages import Package, blank_footer
from ..parts import annexes, body, closing, imprint
from ..parts.masthead import fit_to_width

EMU_PER_MM = 36000


def pages(pkg: Package) -> None:
    """Page 1: no page number; the first-page header draws the double lines."""
    lay, letter = pkg.layout, pkg.layout.letter
    section = pkg.document.sections[-1]
    section.different_first_page_header_footer = True
    blank_footer(lay, section.first_page_footer)
    header = section.first_page_header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    ppr = props(p, "pPr")
    put(ppr, w("pStyle", val=Element.PAGE_NUMBER.style))
    put(ppr, w("spacing", before=0, after=0, line=20, lineRule="exact"))  # takes no room in the margin
    length = round(letter.line_length_mm * EMU_PER_MM)
    x = _centred_on_text(lay, length)
    mark_top = letter.mark_top_mm * PT_PER_MM
    top_line = mark_top + letter.mark_ink_em * letter.mark_size / 2 + letter.line_gap_mm * PT_PER_MM
    bottom_line = lay.page.height / 20 - letter.bottom_line_mm * PT_PER_MM
    # top pair thick over thin; bottom pair thin over thick, the thick line 20 mm above the edge
    for y, weight in ((top_line, letter.thick_pt), (top_line + letter.pair_gap_pt, letter.thin_pt),
                      (bottom_line - letter.pair_gap_pt, letter.thin_pt), (bottom_line, letter.thick_pt)):
        p.append(anchored_line(
            pkg.drawing_id(), "红色双线", x_emu=x, y_emu=round(y * EMU_PER_PT), length_emu=length,
            weight_emu=round(weight * EMU_PER_PT), color=lay.header.red_line_color,
            relative_h="page", relative_v="page",
        ))


def masthead(doc: Writing) -> None:
    """发文字号 顶格 at the 版心's right edge, 7/8 of a 3号 height under the lines; title 2 lines below."""
    if not doc.gw.header:
        return
    canvas, lay = doc.canvas, doc.layout
    letter = lay.letter
    # the mark's text box hangs on the first paragraph: LibreOffice 7.4 ignored the page offsets
    # of a text box anchored in the header (put it at the page origin; measured), not of one here
    first = canvas.paragraph(Element.BLANK)
    length = round(letter.line_length_mm * EMU_PER_MM)
    drawing, mark = canvas.drawing_id(), doc.gw.header.mark
    first.append(canvas.reused(("letter-mark", mark, drawing), lambda: anchored_text_box(
        drawing, "发文机关标志", _mark_paragraph(canvas, mark, round(length / 635)),
        x_emu=_centred_on_text(lay, length),
        y_emu=round((letter.mark_top_mm * PT_PER_MM - letter.mark_ink_offset_pt) * EMU_PER_PT),
        cx=length, cy=2 * lay.grid.line * 635,
    )))
    canvas.blank(lay.letter.number_line - 2)
    canvas.paragraph(Element.DOC_NUMBER, str(doc.gw.header.doc_number), w("jc", val="right"))
    canvas.blank(lay.header.blank_lines_before_title)


def _mark_paragraph(canvas: Canvas, mark: str, width_tw: int) -> etree._Element:
    lay = canvas.layout
    size = lay.letter.mark_size
    p = w("p")
    ppr = w("pPr")
    put(ppr, w("pStyle", val=Element.MARK.style))
    put(ppr, w("jc", val="center"))
    put(ppr, w("spacing", before=0, after=0, line=2 * lay.grid.line, lineRule="exact"))
    put(ppr, w("ind", left=0, right=0, firstLine=0))
    p.append(ppr)
    rpr = [fonts(lay.fonts.latin, lay.fonts.title), w("color", val=lay.header.mark_color),
           w("sz", val=size), w("szCs", val=size), *fit_to_width(mark, lay, size, width_tw)]
    p.append(run(mark, rpr))
    return p


def _centred_on_text(layout: Layout, length_emu: int) -> int:
    """Page x (EMU) that centres ``length_emu`` on the 版心: the 170 mm lines stick out 7 mm each side."""
    page = layout.page
    return round((page.left + page.text_width / 2) * 635 - length_emu / 2)


FORMAT = Format(
    name="letter",
    pages=pages,
    parts=(masthead, body.title, body.recipients, body.main_text, closing.main_attachment_note, closing.signature,
           closing.note, body.transmitted, annexes.annex_pages, imprint.letter_imprint),
    draws_imprint=imprint.has_letter_imprint,
)
