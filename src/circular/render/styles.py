"""Paragraph styles, one per 公文 element, built from the layout numbers.

Each element of a document carries its own named style (公文正文, 发文字号, 版记 …; ids and names from
grammar.Element): Word and WPS users see what a paragraph is, and review labels paragraphs by style.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from ..grammar import Element
from ..layout import Layout
from .ooxml import fonts, put, strip_theme_fonts, w

KEEP_BUILTIN = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


@dataclass(frozen=True)
class Style:
    element: Element
    ppr: tuple[etree._Element, ...] = ()
    rpr: tuple[etree._Element, ...] = field(default=())
    based_on: str = "Normal"


def exact(layout: Layout, lines: int = 1, before: int = 0, after: int = 0) -> etree._Element:
    return w("spacing", before=before, after=after, line=lines * layout.grid.line, lineRule="exact")


def first_line_indent(layout: Layout) -> etree._Element:
    # LibreOffice ignores *Chars and Word prefers them: always write both, consistent (docs/layout.md §9.3)
    return w("ind", firstLineChars=layout.body.first_line_chars * 100, firstLine=layout.body_indent)


def no_indent() -> etree._Element:
    return w("ind", left=0, right=0, firstLine=0, firstLineChars=0)


def tight() -> tuple[etree._Element, ...]:
    """No automatic CJK-Latin spacing: dates and numbers keep the widths the layout computes."""
    return (w("autoSpaceDE", val=0), w("autoSpaceDN", val=0))


def role_fonts(layout: Layout, east_asia: str) -> etree._Element:
    return fonts(layout.fonts.latin, east_asia)


def styles(layout: Layout) -> list[Style]:
    f, s = layout.fonts, layout.sizes
    body_rpr = (role_fonts(layout, f.body), w("sz", val=s.body), w("szCs", val=s.body))
    heading = lambda font: (role_fonts(layout, font), w("sz", val=s.body), w("szCs", val=s.body))  # noqa: E731
    centred = w("jc", val="center")
    keep = w("keepNext")
    title_rpr = (role_fonts(layout, f.title), w("sz", val=s.title), w("szCs", val=s.title))
    small_rpr = (role_fonts(layout, f.body), w("sz", val=s.imprint), w("szCs", val=s.imprint), w("spacing", val=0))
    body = Element.BODY.style
    return [
        Style(Element.BODY, (exact(layout), first_line_indent(layout), w("jc", val="both")), body_rpr),
        Style(Element.BLANK, (exact(layout), no_indent()), body_rpr),
        Style(Element.HEADING1, (keep, exact(layout), first_line_indent(layout), w("jc", val="both"),
                                 w("outlineLvl", val=0)), heading(f.heading1), builtin_heading(1)),
        Style(Element.HEADING2, (keep, exact(layout), first_line_indent(layout), w("jc", val="both"),
                                 w("outlineLvl", val=1)), heading(f.heading2), builtin_heading(2)),
        Style(Element.HEADING3, (keep, exact(layout), first_line_indent(layout), w("jc", val="both"),
                                 w("outlineLvl", val=2)), heading(f.body), builtin_heading(3)),
        Style(Element.HEADING4, (keep, exact(layout), first_line_indent(layout), w("jc", val="both"),
                                 w("outlineLvl", val=3)), heading(f.body), builtin_heading(4)),
        Style(
            Element.MARK,
            (keep, no_indent(), centred),
            (role_fonts(layout, f.title), w("color", val=layout.header.mark_color), w("sz", val=s.mark),
             w("szCs", val=s.mark)),
        ),
        Style(Element.COPY_NUMBER, (exact(layout), no_indent()), body_rpr),
        Style(Element.SECRECY, (exact(layout), no_indent()), heading(f.heading1)),
        Style(Element.URGENCY, (exact(layout), no_indent()), heading(f.heading1)),
        Style(Element.DOC_NUMBER, (keep, *tight(), exact(layout), no_indent(), centred), body_rpr),
        Style(Element.TITLE, (keep, exact(layout), no_indent(), centred), title_rpr),
        Style(Element.RECIPIENTS, (keep, exact(layout), no_indent(), w("jc", val="both")), body_rpr),
        Style(Element.ATTACHMENT_NOTE, (exact(layout), w("jc", val="left")), body_rpr, body),
        Style(Element.SIGNATURE, (keep, *tight(), exact(layout), w("jc", val="right")), body_rpr),
        Style(Element.DATE, (*tight(), exact(layout), w("jc", val="left")), body_rpr),
        Style(Element.NOTE, (exact(layout), first_line_indent(layout), w("jc", val="both")), body_rpr),
        Style(Element.ATTACHMENT_LABEL, (keep, exact(layout), no_indent(), w("jc", val="left")),
              heading(f.heading1)),
        Style(Element.ATTACHMENT_TITLE, (keep, exact(layout), no_indent(), centred), title_rpr),
        Style(Element.IMPRINT, (*tight(), exact(layout), no_indent(), w("jc", val="left")), small_rpr),
        Style(Element.TABLE_TEXT, (w("spacing", before=0, after=0, line=layout.grid.line, lineRule="exact"),
                                   no_indent(), centred), small_rpr),
        Style(
            Element.PAGE_NUMBER,
            (w("snapToGrid", val=0), w("spacing", before=0, after=0, line=layout.page_number.line, lineRule="exact"),
             no_indent()),
            (fonts(f.page_number, f.page_number, hint_east_asia=True), w("spacing", val=0),
             w("sz", val=s.page_number), w("szCs", val=s.page_number)),
        ),
    ]


def east_asia_face(element: Element, layout: Layout) -> str:
    """The CJK face of an element's text (for runs that carry the eastAsia hint)."""
    f = layout.fonts
    return {Element.HEADING1: f.heading1, Element.ATTACHMENT_LABEL: f.heading1, Element.HEADING2: f.heading2,
            Element.TITLE: f.title, Element.ATTACHMENT_TITLE: f.title, Element.MARK: f.title}.get(element, f.body)


def install(document: Document, layout: Layout) -> None:
    """Replace python-docx's template styles by ours: explicit fonts, no themes, zh-CN."""
    root = document.styles.element
    for style in list(root.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_BUILTIN:
            root.remove(style)
    strip_theme_fonts(root)
    _defaults(root, layout)
    normal = root.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
    ppr = normal.find(qn("w:pPr"))
    if ppr is None:
        ppr = w("pPr")
        normal.append(ppr)
    put(ppr, w("widowControl", val=0))
    put(ppr, exact(layout))
    for level in range(1, 5):
        root.append(_builtin_heading(level))
    for spec in styles(layout):
        root.append(_style_element(spec))


def builtin_heading(level: int) -> str:
    return f"Heading{level}"


def _builtin_heading(level: int) -> etree._Element:
    """Word's own "heading N", under our 一级标题…四级标题 (which are based on it and set every layout
    number themselves): Word's navigation pane and TOC, pandoc and screen readers see headings."""
    el = w("style", type="paragraph", styleId=builtin_heading(level))
    el.append(w("name", val=f"heading {level}"))
    el.append(w("basedOn", val=Element.BODY.style))
    el.append(w("next", val=Element.BODY.style))
    el.append(w("uiPriority", val=9))
    el.append(w("qFormat"))
    ppr = w("pPr")
    put(ppr, w("keepNext"))
    put(ppr, w("outlineLvl", val=level - 1))
    el.append(ppr)
    return el


def _defaults(root: etree._Element, layout: Layout) -> None:
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    for child in (
        fonts(layout.fonts.latin, layout.fonts.body),
        w("spacing", val=layout.grid.char_spacing),
        w("kern", val=0),
        w("sz", val=layout.sizes.body),
        w("szCs", val=layout.sizes.body),
        w("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"),
    ):
        put(rpr, child)
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    for child in list(ppr):
        ppr.remove(child)
    put(ppr, exact(layout))


def _style_element(spec: Style) -> etree._Element:
    el = w("style", type="paragraph", customStyle=1, styleId=spec.element.style)
    el.append(w("name", val=spec.element.style_name))
    el.append(w("basedOn", val=spec.based_on))
    el.append(w("next", val=Element.BODY.style))
    el.append(w("qFormat"))
    ppr = w("pPr")
    for child in spec.ppr:
        put(ppr, _clone(child))
    el.append(ppr)
    rpr = w("rPr")
    for child in spec.rpr:
        put(rpr, _clone(child))
    el.append(rpr)
    return el


def _clone(el: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(el)
