"""文件格式 writer: a 公文 model -> .docx bytes, following GB/T 9704-2012 (docs: gbt9704.md)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import unicodedata
from collections.abc import Callable, Iterable
from copy import copy, deepcopy
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Twips
from lxml import etree

from ..layout import EMU_PER_PT, Layout
from ..model import Attachment, Block, Gongwen, Heading, Imprint, Paragraph, Signature, Table, Text
from ..numerals import marker as seq_marker
from ..titles import break_title
from . import styles
from .forms import Relation, compiled, form_elements, rebind
from .ooxml import anchored_line, anchored_picture, border, field_runs, fonts, props, put, run, w
from .package import rezip, with_parts

TABLE_CELL_MARGIN = 108  # tw, Word's default left/right cell margin
_MAX_REUSABLE = 512

# punctuation that shares Unicode ranges with Latin text: without the hint Word sets it half-width
_EAST_ASIAN_HINT = set("“”‘’—…·")


class ImprintPlacement(str, Enum):
    """Where the 版记 goes; the build picks one after a render so the 版记 page is even (gbt9704.md §4)."""

    FLOW = "flow"  # at the bottom of the page the text ends on
    NEW_PAGE = "new-page"  # text ended on an odd page that had room: 版记 on the next (even) page
    EVEN_SECTION = "even-section"  # 版记 alone on an odd page: blank page, then the 版记; both unnumbered


class Package:
    """The python-docx document that every part but the body comes from: page set-up, styles,
    footers, headers, the seal image. Built once per :class:`Shape` and reused (see :func:`skeleton`)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.document: Document = docx.Document()
        self._next_id = 1

    def drawing_id(self) -> int:
        self._next_id += 1
        return self._next_id


class Canvas:
    """One document's body being written: appends paragraphs and tables, hands out drawing ids."""

    def __init__(self, layout: Layout, shared: Skeleton):
        self.layout = layout
        self.shared = shared
        self.root = copy(shared.document)
        self.body = self.root.find(qn("w:body"))
        self._sect_pr = self.body.find(qn("w:sectPr"))
        self._next_id = shared.next_drawing_id

    def drawing_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def append(self, element: etree._Element) -> etree._Element:
        self._sect_pr.addprevious(element)
        return element

    def reused(self, key: tuple, build: Callable[[], etree._Element]) -> etree._Element:
        """A copy of what ``build`` makes for ``key``, built once per skeleton: blank lines, text
        from one template and drawings recur across documents. Always a copy, never the first
        build itself, so a document's bytes do not depend on what was rendered before it."""
        known = self.shared.reusable
        if key not in known:
            if len(known) >= _MAX_REUSABLE:
                known.clear()
            known[key] = build()
        return copy(known[key])  # lxml's copy is a deep copy, without deepcopy's memo

    def paragraph(self, style: str, text: str = "", *ppr: etree._Element, rpr: Iterable[etree._Element] = ()) -> etree._Element:
        if ppr or rpr:
            return self.append(self._paragraph(style, text, ppr, rpr))
        return self.append(self.reused(("p", style, text), lambda: self._paragraph(style, text, (), ())))

    def _paragraph(self, style: str, text: str, ppr: Iterable[etree._Element],
                   rpr: Iterable[etree._Element]) -> etree._Element:
        p = w("p")
        pp = w("pPr")
        put(pp, w("pStyle", val=style))
        for child in ppr:
            put(pp, child)
        p.append(pp)
        if text:
            for chunk, hinted in _hint_chunks(text):
                extra = list(rpr)
                if hinted:
                    extra.append(fonts(self.layout.fonts.latin, _east_asia_of(style, self.layout), True))
                p.append(run(chunk, extra))
        return p

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.paragraph("GwBlank")


def _east_asia_of(style: str, layout: Layout) -> str:
    f = layout.fonts
    return {"GwHeading1": f.heading1, "GwAttachmentLabel": f.heading1, "GwHeading2": f.heading2,
            "GwTitle": f.title, "GwAttachmentTitle": f.title, "GwMark": f.title}.get(style, f.body)


def _hint_chunks(text: str) -> list[tuple[str, bool]]:
    """Split text into runs; quote marks and dashes get their own run with the eastAsia hint."""
    chunks: list[tuple[str, bool]] = []
    for ch in text:
        hinted = ch in _EAST_ASIAN_HINT
        if chunks and chunks[-1][1] == hinted:
            chunks[-1] = (chunks[-1][0] + ch, hinted)
        else:
            chunks.append((ch, hinted))
    return chunks


def advance(text: str, layout: Layout, size: int | None = None) -> int:
    """Advance of ``text`` in tw: CJK 1 字, Latin/digits ½ 字, run spacing, CJK-Latin spacing."""
    size = size or layout.sizes.body
    total = 0.0
    for i, ch in enumerate(text):
        wide = unicodedata.east_asian_width(ch) in "WFA" and not ch.isascii()
        total += size * 10 * (1 if wide else 0.5) + layout.grid.char_spacing
        if i and _autospaced(text[i - 1], ch):
            total += size * 10 * layout.grid.autospace_em
    return round(total)


def _autospaced(a: str, b: str) -> bool:
    """Renderers add CJK-Latin space between an ideograph and a letter or digit, not at punctuation."""
    def ideograph(c: str) -> bool:
        return not c.isascii() and unicodedata.category(c) == "Lo"

    return (ideograph(a) and b.isascii() and b.isalnum()) or (ideograph(b) and a.isascii() and a.isalnum())


# --- page, settings, footers -----------------------------------------------------------------


def _setup_page(pkg: Package) -> None:
    lay = pkg.layout
    p = lay.page
    section = pkg.document.sections[0]
    section.page_width, section.page_height = Twips(p.width), Twips(p.height)
    section.top_margin, section.bottom_margin = Twips(p.top), Twips(p.bottom)
    section.left_margin, section.right_margin = Twips(p.left), Twips(p.right)
    section.footer_distance = Twips(p.footer)
    section.header_distance = Twips(851)
    section.gutter = Twips(0)
    sect = section._sectPr
    for attr in ("rsidR", "rsidRPr", "rsidSect"):
        sect.attrib.pop(qn(f"w:{attr}"), None)
    # no character grid: LibreOffice would give each glyph two cells (gbt9704.md §1.3)
    put(sect, w("docGrid", linePitch=lay.grid.line))
    settings = pkg.document.settings
    settings.odd_and_even_pages_header_footer = True
    s = settings.element
    lang = s.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for rsids in s.findall(qn("w:rsids")):
        s.remove(rsids)
    styles.install(pkg.document, lay)
    _drop_template_leftovers(pkg.document)


def _drop_template_leftovers(document: Document) -> None:
    """python-docx's template carries Word 2010's stylesWithEffects.xml, a copy of the old styles:
    with ours replaced, Word would find the two disagreeing and offer to repair (openxml-audit).
    It also carries a thumbnail of a blank page, which file browsers would show for every 公文."""
    for part, kind in ((document.part, "/stylesWithEffects"), (document.part.package, "/thumbnail")):
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype.endswith(kind):
                part.rels.pop(rel_id)


def _page_numbers(pkg: Package) -> None:
    """— N — in 4号 宋体: odd pages right, even pages left, one 字 from the 版心 edge (standard 7.5)."""
    lay = pkg.layout
    section = pkg.document.sections[0]
    dash = lay.page_number.dash
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]._p
        for child in list(p):
            p.remove(child)
        pp = w("pPr")
        put(pp, w("pStyle", val="GwPageNumber"))
        put(pp, w("jc", val=side))
        put(pp, w("ind", **{side: lay.page_number.side_space}))
        p.append(pp)
        p.append(run(f"{dash} "))
        for r in field_runs("PAGE", "1", ()):
            p.append(r)
        p.append(run(f" {dash}"))


# --- 版头 -------------------------------------------------------------------------------------


def _header(canvas: Canvas, gw: Gongwen) -> None:
    lay, h = canvas.layout, gw.header
    used = 0
    for style, value in (("GwCopyNumber", h.copy_number), ("GwSecrecy", h.secrecy), ("GwUrgency", h.urgency)):
        if value:
            canvas.paragraph(style, value)
            used += 1
    # The mark block (space before + exact line + space after) spans whole grid lines, so
    # everything below stays on the 579 tw grid; the split puts the ink top at 35 mm.
    line = lay.grid.line
    block = lay.header.mark_block_lines * line - used * line
    mark_height = lay.header.mark_lines * line
    before = max(0, lay.header.mark_space_before - used * line)
    after = block - before - mark_height
    canvas.paragraph(
        "GwMark", h.mark,
        w("spacing", before=before, after=after, line=mark_height, lineRule="exact"),
        rpr=_fit_mark(h.mark, lay),
    )
    canvas.blank(lay.header.blank_lines_before_number)
    number = canvas.paragraph("GwDocNumber", str(h.doc_number))
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


def _fit_mark(mark: str, lay: Layout) -> list[etree._Element]:
    """Scale a long mark horizontally (字符缩放, as offices do) so it fits the 版心 width.

    The size stays: it fixes the mark's height and so its distance to the 发文字号.
    """
    natural = advance(mark, lay, lay.sizes.mark)
    if natural <= lay.page.text_width:
        return []
    return [w("w", val=max(1, lay.page.text_width * 100 // natural))]


# --- 主体 -------------------------------------------------------------------------------------


def _title(canvas: Canvas, text: Text, style: str = "GwTitle", page_break: bool = False) -> None:
    lines = list(text.title_lines) or break_title(text.title, canvas.layout.body.title_max_chars)
    extra = [w("pageBreakBefore")] if page_break else []
    canvas.paragraph(style, "\n".join(lines), *extra)


def _blocks(canvas: Canvas, blocks: Iterable[Block]) -> etree._Element | None:
    last = None
    for block in blocks:
        if isinstance(block, Heading):
            style = f"GwHeading{block.level}"
            last = canvas.paragraph(style, block.marker + block.text)
        elif isinstance(block, Paragraph):
            last = canvas.paragraph("GwBody", block.marker + block.text)
        elif isinstance(block, Table):
            last = _table(canvas, block)
    return last


def _table(canvas: Canvas, table: Table) -> etree._Element:
    lay = canvas.layout
    columns = max(len(r) for r in table.rows)
    col_width = lay.page.text_width // columns
    tbl = w("tbl")
    tp = w("tblPr")
    put(tp, w("tblW", w=col_width * columns, type="dxa"))
    put(tp, w("jc", val="center"))
    borders = w("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(border(side, 4))
    put(tp, borders)
    put(tp, w("tblLayout", type="fixed"))
    margins = w("tblCellMar")
    for side, width in (("top", 0), ("left", TABLE_CELL_MARGIN), ("bottom", 0), ("right", TABLE_CELL_MARGIN)):
        margins.append(w(side, w=width, type="dxa"))
    put(tp, margins)
    tbl.append(tp)
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
            put(pp, w("pStyle", val="GwTableText"))
            p.append(pp)
            cell_text = row[c] if c < len(row) else ""
            rpr = [w("rFonts", eastAsia=lay.fonts.heading1)] if index < table.header_rows else []
            if cell_text:
                p.append(run(cell_text, rpr))
            tc.append(p)
            tr.append(tc)
        tbl.append(tr)
    return canvas.append(tbl)


def _attachment_note(canvas: Canvas, attachments: tuple[Attachment, ...]) -> None:
    """附件说明: 左空二字 "附件：", several items numbered 1. 2. with wrapped names aligned (standard 7.3.4)."""
    lay = canvas.layout
    label = "附件："
    name_start = lay.body_indent + advance(label, lay)
    for _ in range(lay.body.blank_lines_before_attachment_note):
        canvas.paragraph("GwBlank", "", w("keepNext"))
    if len(attachments) == 1:
        hanging = name_start - lay.body_indent
        canvas.paragraph("GwAttachmentNote", label + attachments[0].title,
                         w("ind", left=name_start, hanging=hanging))
        return
    for n, att in enumerate(attachments, start=1):
        number = seq_marker(3, n)
        num_width = advance(number, lay)
        left = name_start + num_width
        hanging = (left - lay.body_indent) if n == 1 else num_width
        keep = [w("keepNext")] if n < len(attachments) else []
        canvas.paragraph("GwAttachmentNote", (label if n == 1 else "") + number + att.title,
                         w("ind", left=left, hanging=hanging), *keep)


def _signature(canvas: Canvas, sig: Signature, last_body: etree._Element | None) -> None:
    """署名 and 成文日期, unsealed (7.3.5.2) or sealed (7.3.5.1); the block never stands alone on a page."""
    lay = canvas.layout
    if last_body is not None and last_body.tag == qn("w:p"):
        put(props(last_body, "pPr"), w("keepNext"))
    blanks = lay.body.blank_lines_before_sealed_signature if sig.seal else lay.body.blank_lines_before_signature
    for _ in range(blanks):
        canvas.paragraph("GwBlank", "", w("keepNext"))
    if sig.seal:
        _sealed_signature(canvas, sig)
    else:
        _unsealed_signature(canvas, sig)


def _unsealed_signature(canvas: Canvas, sig: Signature) -> None:
    """署名 右空二字; the date starts 2 字 right of the 署名's first character (or 右空二字 if longer)."""
    lay = canvas.layout
    name, date = sig.names[0], str(sig.date)
    name_w, date_w = advance(name, lay), advance(date, lay)
    right = lay.chars_tw(lay.body.signature_right_chars)
    offset = lay.body.date_offset_chars * lay.char_width
    if date_w + offset <= name_w:
        # placed from the left: digit widths vary by font, the 署名's CJK width does not
        canvas.paragraph("GwSignature", name, w("ind", right=right))
        canvas.paragraph("GwDate", date, w("jc", val="left"),
                         w("ind", left=lay.page.text_width - right - name_w + offset))
    else:
        canvas.paragraph("GwSignature", name, w("ind", right=right + offset + date_w - name_w))
        canvas.paragraph("GwDate", date, w("jc", val="right"), w("ind", right=right))


def _sealed_signature(canvas: Canvas, sig: Signature) -> None:
    """Date 右空四字, 署名 centred over it, the seal centred on both and pressing on them."""
    lay = canvas.layout
    name, date = sig.names[0], str(sig.date)
    name_w, date_w = advance(name, lay), advance(date, lay)
    date_right = lay.chars_tw(lay.body.sealed_date_right_chars)
    name_right = max(0, date_right + (date_w - name_w) // 2)
    signature = canvas.paragraph("GwSignature", name, w("ind", right=name_right))
    canvas.paragraph("GwDate", date, w("jc", val="right"), w("ind", right=date_right))
    size_emu = round(lay.body.seal_size_mm * 36000)
    centre_tw = lay.page.text_width - date_right - date_w / 2
    signature.append(anchored_picture(
        canvas.drawing_id(), "印章", canvas.shared.seal_rel,
        x_emu=round(centre_tw * 635 - size_emu / 2),
        y_emu=round(lay.body.seal_offset_lines * lay.grid.line * 635),
        cx=size_emu, cy=size_emu,
    ))


def _attachments(canvas: Canvas, attachments: tuple[Attachment, ...]) -> None:
    """Each 附件 on a new page: label on line 1, title on line 3, content like the body (standard 7.3.7)."""
    lay = canvas.layout
    for n, att in enumerate(attachments, start=1):
        label = "附件" if len(attachments) == 1 else f"附件{n}"
        canvas.paragraph("GwAttachmentLabel", label, w("pageBreakBefore"))
        canvas.blank(lay.body.attachment_title_line - 2)
        _title(canvas, Text(att.title, ()), "GwAttachmentTitle")
        canvas.blank(1)
        _blocks(canvas, att.blocks)
        if att.form:
            for element in rebind(form_elements(att.form), canvas.shared.form_ids):
                canvas.append(element)


# --- 版记 -------------------------------------------------------------------------------------


def _imprint(canvas: Canvas, imprint: Imprint, placement: ImprintPlacement) -> None:
    """版记 as a floating table anchored to the bottom of the 版心 (gbt9704.md §4).

    A 信函's 版记 has neither 印发机关/日期 nor rules (standard 10.1): with nothing to 抄送, none.
    """
    lay = canvas.layout
    if not draws_imprint(imprint):
        return
    if placement is ImprintPlacement.EVEN_SECTION:
        _end_text_section(canvas)
    cw4 = lay.sizes.imprint * 10  # one 4号 字
    width = lay.page.text_width
    tbl = w("tbl")
    tp = w("tblPr")
    put(tp, w("tblpPr", vertAnchor="margin", horzAnchor="page", tblpX=lay.page.left, tblpYSpec="bottom"))
    put(tp, w("tblW", w=width, type="dxa"))
    put(tp, w("tblInd", w=0, type="dxa"))
    thick = 0 if imprint.letter else lay.imprint.thick_rule
    borders = w("tblBorders")
    for side, size in (("top", thick), ("left", 0), ("bottom", thick), ("right", 0), ("insideH", 0), ("insideV", 0)):
        borders.append(border(side, size))
    put(tp, borders)
    put(tp, w("tblLayout", type="fixed"))
    margins = w("tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(w(side, w=0, type="dxa"))
    put(tp, margins)
    tbl.append(tp)
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
    if not imprint.letter:
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
            if last and index > 0 and not imprint.letter:
                tb = w("tcBorders")
                tb.append(border("top", lay.imprint.thin_rule))
                put(tcp, tb)
            tc.append(tcp)
            p = w("p")
            pp = w("pPr")
            put(pp, w("pStyle", val="GwImprint"))
            put(pp, ind)
            put(pp, w("jc", val=jc))
            p.append(pp)
            p.append(run(text))
            tc.append(p)
            tr.append(tc)
        tbl.append(tr)
    canvas.append(tbl)
    # the floating table needs a paragraph to anchor to; it carries the table to the next page
    anchor = [w("pageBreakBefore")] if placement is ImprintPlacement.NEW_PAGE else []
    canvas.paragraph("GwBlank", "", *anchor)


def draws_imprint(imprint: Imprint | None) -> bool:
    """A 信函's 版记 has neither 印发机关/日期 nor rules (standard 10.1): with nothing to 抄送, none."""
    return imprint is not None and not (imprint.letter and not imprint.copy_to)


def _end_text_section(canvas: Canvas) -> None:
    """End the text's section at its last paragraph; the 版记 follows in the even-page section.

    The break lives in the last paragraph, so no extra paragraph can spill onto a page of its own.
    LibreOffice attaches a section's page style to its first paragraph: a section starting with
    the floating 版记 table lost its even-page start and its empty footers (measured), hence the
    blank paragraph.
    """
    last = canvas._sect_pr.getprevious()
    if last is None or last.tag != qn("w:p"):
        last = canvas.paragraph("GwBlank")
    put(props(last, "pPr"), parse_xml(canvas.shared.section_break))
    canvas.paragraph("GwBlank")


def blank_footer(layout: Layout, footer) -> None:
    """An unlinked footer without page number.

    LibreOffice sizes an empty footer by its line: a 28.95 pt line raised the body bottom 2.3 pt,
    a 14 pt one lowered it 12 pt (measured). A line exactly as tall as the band between footer and
    body (bottom margin - footer distance) keeps the 版心 bottom in place.
    """
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    band = layout.page.bottom - layout.page.footer
    ppr = props(p, "pPr")
    put(ppr, w("pStyle", val="GwPageNumber"))
    put(ppr, w("spacing", before=0, after=0, line=band, lineRule="exact"))


def _even_page_section(pkg: Package) -> bytes:
    """Make the last section an even-page one with empty footers (the 版记 alone, unnumbered: the
    renderer adds the blank page before it); returns the sectPr that ends the text's section."""
    body = pkg.document.element.body
    holder = w("p")
    body.find(qn("w:sectPr")).addprevious(holder)
    ending = deepcopy(body.find(qn("w:sectPr")))
    put(props(holder, "pPr"), ending)
    section = pkg.document.sections[-1]
    section.start_type = WD_SECTION.EVEN_PAGE
    section.different_first_page_header_footer = False
    for ref in section._sectPr.findall(qn("w:footerReference")):
        section._sectPr.remove(ref)
    for footer in (section.footer, section.even_page_footer):
        blank_footer(pkg.layout, footer)
    body.remove(holder)
    return etree.tostring(ending)


# --- the document -------------------------------------------------------------------------------


def _core_properties(canvas: Canvas, gw: Gongwen) -> bytes:
    """docProps/core.xml: what is common to a kind of document by one author on one date is set
    once; title and subject per document."""
    date = gw.date.value if gw.date else dt.date(1980, 1, 1)

    def common() -> etree._Element:
        element = parse_xml(canvas.shared.core_xml)
        cp = CoreProperties(element)
        stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
        cp.author = _property(gw.author)
        cp.last_modified_by = _property(gw.author)
        cp.created = stamp
        cp.modified = stamp
        cp.last_printed = stamp
        cp.revision = 1
        cp.language = "zh-CN"
        cp.keywords = ""
        cp.comments = ""
        cp.category = gw.kind
        return element

    element = canvas.reused(("core", gw.author, gw.kind, date), common)
    cp = CoreProperties(element)
    cp.title = _property(gw.title)
    cp.subject = _property(str(gw.header.doc_number)) if gw.header else ""
    return serialize_part_xml(element)


def _property(text: str) -> str:
    """Core properties hold at most 255 characters (python-docx enforces Word's limit)."""
    return text if len(text) <= 255 else text[:254] + "…"


@dataclass(frozen=True)
class Format:
    """What differs between 文件格式, 信函格式 …: page set-up (headers, footers), 版头, 版记."""

    pages: Callable[[Package], None]
    header: Callable[[Canvas, Gongwen], None]
    imprint: Callable[[Canvas, Imprint, ImprintPlacement], None] = _imprint


def _plain_pages(pkg: Package) -> None:
    pkg.document.sections[-1].different_first_page_header_footer = False


FORMATS: dict[str, Format] = {"document": Format(_plain_pages, _header)}


def write_document(canvas: Canvas, gw: Gongwen, placement: ImprintPlacement) -> None:
    """Write one whole 公文's body onto the canvas."""
    layout = canvas.layout
    fmt = FORMATS[gw.format]
    if gw.header:
        fmt.header(canvas, gw)
    _title(canvas, gw.main)
    canvas.blank(layout.body.blank_lines_after_title)
    if gw.recipients:
        canvas.paragraph("GwRecipients", "，".join(gw.recipients) + "：")
    last = _blocks(canvas, gw.main.body)
    attachments = list(gw.main.attachments)
    if gw.main.attachments:
        _attachment_note(canvas, gw.main.attachments)
    if gw.signature:
        _signature(canvas, gw.signature, last)
    if gw.note:
        canvas.paragraph("GwNote", gw.note)
    for text in gw.transmitted:
        _title(canvas, text, page_break=True)
        canvas.blank(layout.body.blank_lines_after_title)
        _blocks(canvas, text.body)
        if text.attachments:
            _attachment_note(canvas, text.attachments)
        attachments.extend(text.attachments)
    _attachments(canvas, tuple(attachments))
    if gw.imprint:
        fmt.imprint(canvas, gw.imprint, placement)


# --- the package: shared parts built once, the body and core properties per document ------------

_DOCUMENT, _CORE = "word/document.xml", "docProps/core.xml"


@dataclass(frozen=True)
class Shape:
    """Everything that decides a document's parts other than its body and core properties."""

    format: str
    even_section: bool  # 版记 in an even-page section of its own
    seal: bytes | None  # the seal image
    relations: tuple[Relation, ...] = ()  # pictures and hyperlinks of the forms the document holds


@dataclass(frozen=True)
class Skeleton:
    """The parts shared by every document of one shape, ready to receive a body."""

    parts: bytes  # zip of every part but the body and the core properties
    document: etree._Element  # the document part, its body holding only the last section's properties
    core_xml: bytes
    section_break: bytes | None  # sectPr ending the text's section before an even-page 版记
    seal_rel: str | None
    next_drawing_id: int
    form_ids: dict[str, str]  # a form's relationship id -> the id of the same part in this package
    reusable: dict[tuple, etree._Element] = field(default_factory=dict, compare=False, repr=False)


@functools.lru_cache(maxsize=32)
def skeleton(layout: Layout, shape: Shape) -> Skeleton:
    pkg = Package(layout)
    _setup_page(pkg)
    _page_numbers(pkg)
    FORMATS[shape.format].pages(pkg)
    seal_rel = pkg.document.part.get_or_add_image(io.BytesIO(shape.seal))[0] if shape.seal else None
    form_ids = {}
    for rel in shape.relations:
        if rel.kind == "image":
            form_ids[rel.rid] = pkg.document.part.get_or_add_image(io.BytesIO(rel.target))[0]
        else:
            form_ids[rel.rid] = pkg.document.part.relate_to(rel.target, RT.HYPERLINK, is_external=True)
    section_break = _even_page_section(pkg) if shape.even_section else None
    saved = io.BytesIO()
    pkg.document.save(saved)
    return Skeleton(
        parts=rezip(saved.getvalue(), leave_out=(_DOCUMENT, _CORE)),
        document=parse_xml(serialize_part_xml(pkg.document.element)),
        core_xml=serialize_part_xml(pkg.document.core_properties._element),
        section_break=section_break, seal_rel=seal_rel, next_drawing_id=pkg._next_id, form_ids=form_ids,
    )


def shape_of(gw: Gongwen, placement: ImprintPlacement) -> Shape:
    seal = gw.signature.seal if gw.signature else ""
    forms = [att.form for text in (gw.main, *gw.transmitted) for att in text.attachments if att.form]
    relations = tuple(rel for form in forms for rel in compiled(form).relations)
    return Shape(gw.format, placement is ImprintPlacement.EVEN_SECTION and draws_imprint(gw.imprint),
                 Path(seal).read_bytes() if seal else None, relations)


def render(gw: Gongwen, layout: Layout, placement: ImprintPlacement = ImprintPlacement.FLOW) -> bytes:
    """The whole .docx of ``gw`` as reproducible bytes."""
    shared = skeleton(layout, shape_of(gw, placement))
    canvas = Canvas(layout, shared)
    write_document(canvas, gw, placement)
    return with_parts(shared.parts, ((_CORE, _core_properties(canvas, gw)),
                                     (_DOCUMENT, serialize_part_xml(canvas.root))))
