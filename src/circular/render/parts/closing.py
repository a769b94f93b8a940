"""After the 正文 (standard 7.3.4–7.3.6): 附件说明, 发文机关署名 and 成文日期 (with or without a seal), 附注."""

from __future__ import annotations

from docx.oxml.ns import qn

from ...grammar import Element, marker
from ...model import Attachment, Signature
from ..engine import Canvas, Writing
from ..measure import advance
from ..ooxml import anchored_picture, props, put, w


def main_attachment_note(doc: Writing) -> None:
    if doc.gw.main.attachments:
        attachment_note(doc.canvas, doc.gw.main.attachments)


def attachment_note(canvas: Canvas, attachments: tuple[Attachment, ...]) -> None:
    """附件说明: 左空二字 "附件：", several items numbered 1. 2. with wrapped names aligned (standard 7.3.4)."""
    lay = canvas.layout
    label = "附件："
    name_start = lay.body_indent + advance(label, lay)
    for _ in range(lay.body.blank_lines_before_attachment_note):
        canvas.paragraph(Element.BLANK, "", w("keepNext"))
    if len(attachments) == 1:
        hanging = name_start - lay.body_indent
        canvas.paragraph(Element.ATTACHMENT_NOTE, label + attachments[0].title,
                         w("ind", left=name_start, hanging=hanging))
        return
    for n, att in enumerate(attachments, start=1):
        number = marker(3, n)
        num_width = advance(number, lay)
        left = name_start + num_width
        hanging = (left - lay.body_indent) if n == 1 else num_width
        keep = [w("keepNext")] if n < len(attachments) else []
        canvas.paragraph(Element.ATTACHMENT_NOTE, (label if n == 1 else "") + number + att.title,
                         w("ind", left=left, hanging=hanging), *keep)


def signature(doc: Writing) -> None:
    """署名 and 成文日期, unsealed (7.3.5.2) or sealed (7.3.5.1); the block never stands alone on a page."""
    sig = doc.gw.signature
    if not sig:
        return
    canvas, lay = doc.canvas, doc.layout
    if doc.last_body is not None and doc.last_body.tag == qn("w:p"):
        put(props(doc.last_body, "pPr"), w("keepNext"))
    blanks = lay.body.blank_lines_before_sealed_signature if sig.seal else lay.body.blank_lines_before_signature
    for _ in range(blanks):
        canvas.paragraph(Element.BLANK, "", w("keepNext"))
    if sig.seal:
        _sealed(canvas, sig)
    else:
        _unsealed(canvas, sig)


def note(doc: Writing) -> None:
    """附注: the line after the 成文日期, 左空二字, in round brackets as written (7.3.6)."""
    if doc.gw.note:
        doc.canvas.paragraph(Element.NOTE, doc.gw.note)


def _unsealed(canvas: Canvas, sig: Signature) -> None:
    """署名 右空二字; the date starts 2 字 right of the 署名's first character (or 右空二字 if longer)."""
    lay = canvas.layout
    name, date = sig.names[0], str(sig.date)
    name_w, date_w = advance(name, lay), advance(date, lay)
    right = lay.chars_tw(lay.body.signature_right_chars)
    offset = lay.body.date_offset_chars * lay.char_width
    if date_w + offset <= name_w:
        # placed from the left: digit widths vary by font, the 署名's CJK width does not
        canvas.paragraph(Element.SIGNATURE, name, w("ind", right=right))
        canvas.paragraph(Element.DATE, date, w("jc", val="left"),
                         w("ind", left=lay.page.text_width - right - name_w + offset))
    else:
        canvas.paragraph(Element.SIGNATURE, name, w("ind", right=right + offset + date_w - name_w))
        canvas.paragraph(Element.DATE, date, w("jc", val="right"), w("ind", right=right))


def _sealed(canvas: Canvas, sig: Signature) -> None:
    """Date 右空四字, 署名 centred over it, the seal centred on both and pressing on them."""
    lay = canvas.layout
    name, date = sig.names[0], str(sig.date)
    name_w, date_w = advance(name, lay), advance(date, lay)
    date_right = lay.chars_tw(lay.body.sealed_date_right_chars)
    name_right = max(0, date_right + (date_w - name_w) // 2)
    signed = canvas.paragraph(Element.SIGNATURE, name, w("ind", right=name_right))
    canvas.paragraph(Element.DATE, date, w("jc", val="right"), w("ind", right=date_right))
    assert canvas.shared.seal_rel is not None  # a sealed document's shape holds its seal
    size_emu = round(lay.body.seal_size_mm * 36000)
    centre_tw = lay.page.text_width - date_right - date_w / 2
    signed.append(anchored_picture(
        canvas.drawing_id(), "印章", canvas.shared.seal_rel,
        x_emu=round(centre_tw * 635 - size_emu / 2),
        y_emu=round(lay.body.seal_offset_lines * lay.grid.line * 635),
        cx=size_emu, cy=size_emu,
    ))
