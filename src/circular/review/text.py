"""Text of a .docx in reading order, each line labelled with the 公文 element it belongs to.

Our files carry one paragraph style per element (grammar.Element, found by style id, else by the
style's name); files made elsewhere are labelled from their text where it is unambiguous (a
发文字号, a 主送 line, 附件 labels) and as 正文 otherwise. Body paragraphs carry their 序号 path, e.g. 正文 二/（一）/3.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from ..grammar import BODY_ELEMENTS, DOC_NUMBER_LIKE, MARKERS, Element

_MARKERS = tuple(MARKERS.items())


@dataclass(frozen=True)
class Line:
    element: Element | None  # the paragraph's element by its style; None for a style of no element
    text: str

    @property
    def style(self) -> str:
        """The style's display name (公文正文, 发文字号 …), '' for a paragraph of no element."""
        return self.element.style_name if self.element else ""


@dataclass(frozen=True)
class Entry:
    """One labelled line: element (发文字号, 正文 …), 序号 path, text."""

    element: str
    path: str
    text: str

    @property
    def label(self) -> str:
        return f"{self.element} {self.path}".strip()

    def line(self) -> str:
        return f"[{self.label}] {self.text}"


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
        elif el.tag == qn("w:tab") and el.getparent().tag == qn("w:r"):  # not a tab stop of w:tabs
            parts.append("\t")
        elif el.tag == qn("w:instrText") and (el.text or "").strip().upper().startswith("PAGE"):
            parts.append("{PAGE}")
    text = "".join(parts)
    # a field's cached result follows its instruction: keep the field, drop the cached digits
    return re.sub(r"\{PAGE\}\d*", "{PAGE}", text)


def _element_of(p: etree._Element, names: dict[str, str]) -> tuple[Element | None, bool]:
    """The element a paragraph's style stands for, and whether it has a style at all."""
    style_el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style_el is None:
        return None, False
    style_id = style_el.get(qn("w:val")) or ""
    return Element.of_style(style_id, names.get(style_id, "")), True


def body_lines(path: Path) -> list[Line]:
    """Body paragraphs and table-cell paragraphs in document order (no headers or footers)."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    return [Line(_element_of(p, names)[0], _paragraph_text(p)) for p in document.element.body.iter(qn("w:p"))
            if not _in_fallback(p)]


def _imprint_label(p: etree._Element, text: str) -> str:
    if text.startswith("抄送："):
        return "版记 抄送"
    if text.startswith("主送："):
        return "版记 主送"
    if text.endswith("印发"):
        return "版记 印发日期"
    return "版记 印发机关"


def _footers(path: Path) -> list[Entry]:
    """Page-number footers: which side, what they print ({PAGE} for the page field)."""
    entries = []
    with zipfile.ZipFile(path) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        document = etree.fromstring(z.read("word/document.xml"))
        seen = set()
        for sect in document.iter(qn("w:sectPr")):
            for ref in sect.findall(qn("w:footerReference")):
                kind = {"default": "单页", "even": "双页", "first": "首页"}.get(ref.get(qn("w:type")), "")
                target = targets.get(ref.get(qn("r:id")))
                if not target or (kind, target) in seen:
                    continue
                seen.add((kind, target))
                root = etree.fromstring(z.read(f"word/{target}"))
                text = "".join(_paragraph_text(p) for p in root.iter(qn("w:p"))).strip()
                if text:
                    entries.append(Entry("页码", kind, text))
    return entries


def labelled(path: Path) -> list[Entry]:
    """The document as labelled lines (empty paragraphs skipped)."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    entries: list[Entry] = []
    numbers: list[str] = []  # current 序号 path, one marker per level
    attachment = ""  # "附件1", "附件2" … once an attachment page starts (by position, not by its printed label)
    attachments = 0
    for p in document.element.body.iter(qn("w:p")):
        text = _paragraph_text(p).strip()
        if not text or _in_fallback(p):
            continue
        kind, styled = _element_of(p, names)
        prefix = f"{attachment} " if attachment else ""
        in_table = any(a.tag == qn("w:tbl") for a in p.iterancestors())
        if kind is Element.IMPRINT:
            entries.append(Entry(_imprint_label(p, text), "", text))
            continue
        if kind is None or kind in BODY_ELEMENTS:
            # a paragraph of ours in the body, or a file made elsewhere: labelled from its text,
            # except that a style of no 公文 element is body text whatever it says
            element = _guess(text, entries, in_table) if not styled or kind in BODY_ELEMENTS else "正文"
        else:
            element = kind.label
        if element == "附件":
            attachments += 1
            attachment, numbers = f"附件{attachments}", []
            entries.append(Entry(attachment, "", text))
            continue
        if element == "标题" and entries and any(e.element == "标题" for e in entries):
            numbers = []  # a transmitted text starts its own numbering
        if element == "正文":
            for level, pattern in _MARKERS:
                m = pattern.match(text)
                if m and not in_table:
                    numbers = numbers[: level - 1] + [""] * (level - 1 - len(numbers)) + [m.group(0).rstrip("、.．")]
                    break
            numbering = "/".join(n for n in numbers if n)
            entries.append(Entry(f"{prefix}正文" + ("表格" if in_table else ""), numbering, text))
            continue
        if element == "附件标题" and attachment:
            element = f"{attachment} 标题"
        entries.extend(_split(kind, element, text.replace("\n", "")))
    return entries + _footers(path)


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _in_fallback(p: etree._Element) -> bool:
    """A paragraph of an mc:Fallback (the VML copy of a text box Word readers see once)."""
    return any(a.tag == _FALLBACK for a in p.iterancestors())


def _split(kind: Element | None, element: str, text: str) -> list[Entry]:
    """Tabs are layout: a 上行文 line holds the 发文字号 and the 签发人, a row of joint 署名 one name per
    organ, a 附件说明 item its number and its name."""
    if "\t" not in text:
        return [Entry(element, "", text)]
    if kind is Element.DOC_NUMBER:
        number, signers = text.split("\t", 1)
        found = [Entry("发文字号", "", number)] if number else []
        return [*found, Entry("签发人", "", signers.removeprefix("签发人："))]
    if kind is Element.SIGNATURE:
        return [Entry(element, "", name) for name in text.split("\t") if name]
    return [Entry(element, "", text.replace("\t", ""))]


def _guess(text: str, before: list[Entry], in_table: bool) -> str:
    """Label a paragraph without one of our styles from what it says."""
    if in_table:
        return "正文"
    if DOC_NUMBER_LIKE.fullmatch(text.replace(" ", "")):
        return "发文字号"
    if re.match(r"^附件\d*$", text):
        return "附件"
    if text.startswith("附件："):
        return "附件说明"
    if text.endswith("：") and not any(e.element == "主送" for e in before) and len(before) < 8:
        return "主送"
    return "正文"


def render_text(path: Path) -> str:
    return "".join(entry.line() + "\n" for entry in labelled(path))
