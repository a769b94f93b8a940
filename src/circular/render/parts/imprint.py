"""版记 (standard 7.4, 10.1): a floating table anchored to the bottom of the last page's 版心.

Where it goes (flow, next page, its own even-page section) is the build's pagination decision,
carried in ``Writing.placement``.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from ...grammar import Element
from ...model import Gongwen
from ..engine import ImprintPlacement, Writing
from ..ooxml import border, fixed_table, props, put, run, w


def has_imprint(gw: Gongwen) -> bool:
    return gw.imprint is not None


def has_letter_imprint(gw: Gongwen) -> bool:
    """A 信函's 版记 is only its 抄送 line (standard 10.1): with nothing to 抄送, none."""
    return gw.imprint is not None and bool(gw.imprint.copy_to)


def document_imprint(doc: Writing) -> None:
    """抄送 and 印发机关/印发日期 between a thick first and last rule, a thin rule between them."""
    if has_imprint(doc.gw):
        _imprint(doc, rules=True, issued=True)


def letter_imprint(doc: Writing) -> None:
    """信函: the 抄送 line only, no 印发机关 and 印发日期, no rules."""
    if has_letter_imprint(doc.gw):
        _imprint(doc, rules=False, issued=False)


def _imprint(doc: Writing, rules: bool, issued: bool) -> None:
    canvas, lay, imprint, placement = doc.canvas, doc.layout, doc.gw.imprint, doc.placement
    assert imprint is not None  # the parts above only call this for a document with a 版记
    if placement is ImprintPlacement.EVEN_SECTION:
        _end_text_section(doc)
    elif placement is ImprintPlacement.NEW_PAGE:
        # the break stands before the table: an engine that anchors a floating table to the
        # paragraph before it and one that anchors it to the one after agree (measured: not so when
        # the break was on the paragraph after it)
        canvas.paragraph(Element.BLANK, "", w("pageBreakBefore"))
    cw4 = lay.sizes.imprint * 10  # one 4号 字
    width = lay.page.text_width
    thick = lay.imprint.thick_rule if rules else 0
    tbl = fixed_table(width, {"top": thick, "bottom": thick}, {},
                      w("tblpPr", vertAnchor="margin", horzAnchor="page", tblpX=lay.page.left, tblpYSpec="bottom"),
                      w("tblInd", w=0, type="dxa"))
    left_w = width * 5 // 8
    grid = w("tblGrid")
    grid.append(w("gridCol", w=left_w))
    grid.append(w("gridCol", w=width - left_w))
    tbl.append(grid)
    label_w = 3 * cw4  # 抄送：
    rows = []
    if imprint.copy_to:
        rows.append([("抄送：" + "，".join(imprint.copy_to) + "。",
                      w("ind", left=cw4 + label_w, hanging=label_w, right=cw4), "both")])
    if issued:
        rows.append([(imprint.organ, w("ind", left=cw4), "left"),
                     (f"{imprint.date}印发", w("ind", right=cw4), "right")])
    for index, cells in enumerate(rows):
        tr = w("tr")
        last = index == len(rows) - 1
        for text, ind, jc in cells:
            tc = w("tc")
            tcp = w("tcPr")
            put(tcp, w("tcW", w=width if len(cells) == 1 else (left_w if jc == "left" else width - left_w), type="dxa"))
            if len(cells) == 1:
                put(tcp, w("gridSpan", val=2))
            if last and index > 0 and rules:
                tb = w("tcBorders")
                tb.append(border("top", lay.imprint.thin_rule))
                put(tcp, tb)
            tc.append(tcp)
            p = w("p")
            pp = w("pPr")
            put(pp, w("pStyle", val=Element.IMPRINT.style))
            put(pp, ind)
            put(pp, w("jc", val=jc))
            p.append(pp)
            p.append(run(text))
            tc.append(p)
            tr.append(tc)
        tbl.append(tr)
    canvas.append(tbl)
    canvas.paragraph(Element.BLANK, "")  # a floating table needs a paragraph after it


def _end_text_section(doc: Writing) -> None:
    """End the text's section at its last paragraph; the 版记 follows in the even-page section.

    The break lives in the last paragraph, so no extra paragraph can spill onto a page of its own.
    LibreOffice attaches a section's page style to its first paragraph: a section starting with
    the floating 版记 table lost its even-page start and its empty footers (measured), hence the
    blank paragraph.
    """
    canvas = doc.canvas
    last = canvas.last()
    if last is None or last.tag != qn("w:p"):
        last = canvas.paragraph(Element.BLANK)
    assert canvas.shared.section_break is not None  # an even-section shape has its break
    put(props(last, "pPr"), parse_xml(canvas.shared.section_break))
    canvas.paragraph(Element.BLANK)
