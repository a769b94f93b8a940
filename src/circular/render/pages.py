"""The package every document starts from: A4, margins, the line grid, settings, styles, page
numbers, and the section constructs page parity needs (GB/T 9704 5, 7.5)."""

from __future__ import annotations

from copy import deepcopy

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from ..grammar import Element
from ..layout import Layout
from . import styles
from .fonttable import font_table
from .ooxml import field_runs, props, put, run, w


class Package:
    """The python-docx document that every part but the body comes from: page set-up, styles,
    footers, headers, the seal image. Built once per document shape and reused (engine.skeleton)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.document: Document = docx.Document()
        self.next_id = 1

    def drawing_id(self) -> int:
        self.next_id += 1
        return self.next_id


def setup(pkg: Package) -> None:
    """What every format shares: page, grid, settings, styles, odd/even page numbers, font table."""
    _page(pkg)
    _page_numbers(pkg)
    _font_table(pkg)


def _font_table(pkg: Package) -> None:
    """Our fonts in word/fontTable.xml, in place of the template's (Cambria, ＭＳ 明朝 …)."""
    for part in pkg.document.part.package.iter_parts():
        if part.partname == "/word/fontTable.xml":
            part._blob = font_table(pkg.layout)  # a generic part: python-docx keeps its bytes


def _page(pkg: Package) -> None:
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
    # no character grid: LibreOffice would give each glyph two cells (docs/layout.md §1.3)
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
        put(pp, w("pStyle", val=Element.PAGE_NUMBER.style))
        put(pp, w("jc", val=side))
        put(pp, w("ind", **{side: lay.page_number.side_space}))
        p.append(pp)
        p.append(run(f"{dash} "))
        for r in field_runs("PAGE", "1", ()):
            p.append(r)
        p.append(run(f" {dash}"))


def plain_first_page(pkg: Package) -> None:
    """Page 1 numbered like every other page (文件格式)."""
    pkg.document.sections[-1].different_first_page_header_footer = False


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
    put(ppr, w("pStyle", val=Element.PAGE_NUMBER.style))
    put(ppr, w("spacing", before=0, after=0, line=band, lineRule="exact"))


def even_page_section(pkg: Package) -> bytes:
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
