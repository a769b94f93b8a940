"""Text of a .docx in reading order, each paragraph with the element (style) it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree


@dataclass(frozen=True)
class Line:
    style: str  # style name, e.g. 公文正文, 发文字号, 版记; '' when the paragraph has none
    text: str


def _paragraph_text(p: etree._Element) -> str:
    """The paragraph's own text; a text box anchored in it is a paragraph of its own."""
    parts = []
    for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:instrText")):
        if next(el.iterancestors(qn("w:p"))) is not p:
            continue
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:br"):
            parts.append("\n")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
    return "".join(parts)


def body_lines(path: Path) -> list[Line]:
    """Body paragraphs and table-cell paragraphs in document order (no headers or footers)."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    lines = []
    for p in document.element.body.iter(qn("w:p")):
        style_el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style = names.get(style_el.get(qn("w:val")), "") if style_el is not None else ""
        lines.append(Line(style, _paragraph_text(p)))
    return lines
