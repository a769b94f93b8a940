"""Export a 公文 for the web: our model as a pandoc document, written by pandoc as HTML or Markdown.

The model becomes pandoc's JSON AST (no Markdown escaping to get wrong), each element a block with a
class named after it (grammar.Element ids: title, recipients, signature …), headings with their
序号 as the .docx prints them. pandoc (bundled by pypandoc-binary) writes semantic HTML5 with
``lang="zh-CN"`` and no layout: pixels belong to the .docx and its PDF.
"""

from __future__ import annotations

import json
import tempfile
from copy import deepcopy
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..grammar import Element, marker
from ..model import Attachment, Block, Form, Gongwen, Heading, Paragraph, Table, Text

FORMATS = {"html": ("html5", ".html"), "md": ("markdown", ".md")}  # pandoc Markdown: fenced divs

Node = dict[str, Any]


def _inlines(text: str) -> list[Node]:
    parts: list[Node] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            parts.append({"t": "LineBreak"})
        if line:
            parts.append({"t": "Str", "c": line})
    return parts


def _attr(element: Element | str) -> list[Any]:
    name = element.value.id if isinstance(element, Element) else element
    return ["", [name], []]


def _div(element: Element | str, blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [_attr(element), blocks]}


def _para(text: str) -> Node:
    return {"t": "Para", "c": _inlines(text)}


def _element(element: Element | str, *lines: str) -> list[Node]:
    lines = tuple(line for line in lines if line)
    return [_div(element, [_para(line) for line in lines])] if lines else []


def _cell(text: str) -> list[Any]:
    return ["", {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": _inlines(text)}]]


def _table(table: Table) -> Node:
    width = max(len(row) for row in table.rows)
    rows = [list(row) + [""] * (width - len(row)) for row in table.rows]
    head = [["", []], [[["", [], []], [_cell(c) for c in row]] for row in rows[:table.header_rows]]]
    body = [[["", [], []], 0, [], [[["", [], []], [_cell(c) for c in row]] for row in rows[table.header_rows:]]]]
    return {"t": "Table", "c": [["", [], []], [None, []], [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]] * width,
                                head, body, [["", [], []], []]]}


def _blocks(blocks: tuple[Block, ...], top: int) -> list[Node]:
    """Body blocks; heading level n becomes <h{top + n}>."""
    out: list[Node] = []
    for block in blocks:
        if isinstance(block, Heading):
            style = Element.heading(block.level).value.id
            out.append({"t": "Header", "c": [top + block.level, ["", [style], []],
                                             _inlines(block.marker + block.text)]})
        elif isinstance(block, Paragraph):
            out.append(_para(block.marker + block.text))
        elif isinstance(block, Table):
            out.append(_table(block))
    return out


def _attachment_note(attachments: tuple[Attachment, ...]) -> list[Node]:
    if not attachments:
        return []
    if len(attachments) == 1:
        return _element(Element.ATTACHMENT_NOTE, "附件：" + attachments[0].title)
    lines = [("附件：" if n == 1 else "") + marker(3, n) + att.title for n, att in enumerate(attachments, start=1)]
    return _element(Element.ATTACHMENT_NOTE, *lines)


def _title(text: Text, level: int, element: bool = True) -> Node:
    """The title as a heading; ``element``: it carries the title class itself (not when it opens a
    section, whose class pandoc would then take)."""
    lines = "\n".join(text.title_lines) if text.title_lines else text.title
    return {"t": "Header", "c": [level, ["", [Element.TITLE.value.id] if element else [], []], _inlines(lines)]}


def _annexes(attachments: list[Attachment]) -> list[Node]:
    out = []
    for n, att in enumerate(attachments, start=1):
        label = "附件" if len(attachments) == 1 else f"附件{n}"
        section = [*_element(Element.ATTACHMENT_LABEL, label),
                   {"t": "Header", "c": [2, ["", [Element.ATTACHMENT_TITLE.value.id], []], _inlines(att.title)]},
                   *_blocks(att.blocks, 2), *(_form_blocks(att.form) if att.form else [])]
        out.append(_div("attachment", section))
    return out


def _form_blocks(form: Form) -> list[Node]:
    """A Word form (回执 …) filled in as the .docx has it, read back by pandoc's docx reader: its
    tables and paragraphs as pandoc blocks."""
    import docx
    import pypandoc
    from docx.oxml.ns import qn

    from ..render.forms import form_elements

    document = docx.Document()
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    for element in form_elements(form):
        section.addprevious(deepcopy(element))
    with tempfile.TemporaryDirectory(prefix="circular-export-") as tmp:
        path = Path(tmp) / "form.docx"
        document.save(str(path))
        return json.loads(pypandoc.convert_file(str(path), "json", format="docx", extra_args=["--quiet"]))["blocks"]


def document(gw: Gongwen) -> Node:
    """The pandoc document of one 公文: 版头, 主体, 版记, in the .docx's order."""
    blocks: list[Node] = []
    header = gw.header
    if header:
        blocks += _element(Element.COPY_NUMBER, header.copy_number)
        blocks += _element(Element.SECRECY, header.secrecy)
        blocks += _element(Element.URGENCY, header.urgency)
        blocks += _element(Element.MARK, *(header.joint or (header.mark,)), header.mark_suffix)
        if header.signers:
            blocks += _element("signers", "签发人：" + "　".join(header.signers))
        blocks += _element(Element.DOC_NUMBER, str(header.doc_number) if header.doc_number else header.order_number)
    if gw.main.title:
        blocks.append(_title(gw.main, 1))
    if gw.recipients:
        blocks += _element(Element.RECIPIENTS, "，".join(gw.recipients) + "：")
    blocks += _blocks(gw.main.body, 1)
    blocks += _attachment_note(gw.main.attachments)
    for label, names in gw.attendance:
        blocks += _element("attendance", f"{label}：" + "、".join(names))
    if gw.signature:
        blocks += _element(Element.SIGNATURE, *gw.signature.names)
        blocks += _element(Element.DATE, str(gw.signature.date))
    for signer in gw.signed_by:
        blocks += _element(Element.SIGNATURE, f"{signer.title}　{signer.name}".strip("　"))
    if gw.signed_by and gw.dated:
        blocks += _element(Element.DATE, str(gw.dated))
    blocks += _element(Element.NOTE, gw.note)
    annexes = list(gw.main.attachments)
    for text in gw.transmitted:
        section = [_title(text, 1, element=False), *_blocks(text.body, 1), *_attachment_note(text.attachments)]
        blocks.append(_div("transmitted", section))
        annexes.extend(text.attachments)
    blocks += _annexes(annexes)
    if gw.imprint:
        lines = ["抄送：" + "，".join(gw.imprint.copy_to) + "。" if gw.imprint.copy_to else ""]
        if gw.format != "letter":  # a 信函's 版记 is its 抄送 line only (10.1)
            lines += [gw.imprint.organ, f"{gw.imprint.date}印发"]
        blocks += _element(Element.IMPRINT, *lines)
    title = gw.main.title or (header.mark if header else "")
    # pagetitle: the page's <title> without a second title block above the document's own
    meta = {"pagetitle": {"t": "MetaString", "c": title}, "lang": {"t": "MetaString", "c": "zh-CN"}}
    return {"pandoc-api-version": _api_version(), "meta": meta, "blocks": blocks}


@lru_cache(maxsize=1)
def _api_version() -> list[int]:
    import pypandoc

    return json.loads(pypandoc.convert_text("", "json", format="markdown"))["pandoc-api-version"]


def write(gw: Gongwen, fmt: str) -> bytes:
    """``gw`` as a standalone HTML page or a Markdown file (``fmt``: html or md), UTF-8."""
    import pypandoc

    target, _ = FORMATS[fmt]
    # our page template: pandoc's default carries CSS, and layout belongs to the .docx, not the web page
    page = str(resources.files("circular.export") / "page.html")
    extra = ["--quiet", *(["--standalone", f"--template={page}"] if fmt == "html" else ["--wrap=none"])]
    text = pypandoc.convert_text(json.dumps(document(gw), ensure_ascii=False), target, format="json",
                                 extra_args=extra)
    return text.encode("utf-8")
