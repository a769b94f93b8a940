"""After the 正文 (standard 7.3.4–7.3.6, 10.3): 附件说明; 发文机关署名 and 成文日期, with or without
seals, for one organ or several; 签发人职务 and 签名章 (命令); 出席/请假/列席 (纪要); 附注."""

from __future__ import annotations

import io
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree
from PIL import Image

from ...grammar import Element, length_in_chars, marker
from ...model import Attachment, Signature
from ..engine import Canvas, Writing
from ..measure import advance, widest
from ..ooxml import anchored_picture, fonts, props, put, run, w

EMU_PER_TW = 635
TAB = "\t"


def main_attachment_note(doc: Writing) -> None:
    if doc.gw.main.attachments:
        keep_with_next(doc.last_body)
        attachment_note(doc.canvas, doc.gw.main.attachments)


def keep_with_next(paragraph: etree._Element | None) -> None:
    """The text before a 附件说明 or 落款 stays on its page with it."""
    if paragraph is not None and paragraph.tag == qn("w:p"):
        put(props(paragraph, "pPr"), w("keepNext"))


def attachment_note(canvas: Canvas, attachments: tuple[Attachment, ...]) -> None:
    """附件说明: 左空二字 "附件：" + name; several items numbered 1. 2. … (standard 7.3.4).

    With several, the number and the name are separated by a tab to the hanging indent: the name
    starts at the same column on every line and every item whatever the number's glyphs measure in
    a renderer (a width computed for one font was 3.8 pt off in another)."""
    lay = canvas.layout
    label = "附件："
    name_start = lay.body_indent + advance(label, lay)
    for _ in range(lay.body.blank_lines_before_attachment_note):
        canvas.paragraph(Element.BLANK, "", w("keepNext"))
    if len(attachments) == 1:
        hanging = name_start - lay.body_indent
        canvas.paragraph(Element.ATTACHMENT_NOTE, label + attachments[0].title,
                         w("ind", left=name_start, hanging=hanging, firstLineChars=0))
        return
    widest_number = max(advance(marker(3, n), lay) for n in range(1, len(attachments) + 1))
    left = name_start + widest_number + lay.char_width // 2
    for n, att in enumerate(attachments, start=1):
        keep = [w("keepNext")] if n < len(attachments) else []
        indent = w("ind", left=left, hanging=left - (lay.body_indent if n == 1 else name_start), firstLineChars=0)
        canvas.paragraph(Element.ATTACHMENT_NOTE, (label if n == 1 else "") + marker(3, n) + TAB + att.title,
                         indent, *keep)


def signature(doc: Writing) -> None:
    """署名 and 成文日期, unsealed (7.3.5.2) or sealed (7.3.5.1); the block never stands alone on a page."""
    sig = doc.gw.signature
    if not sig:
        return
    canvas, lay = doc.canvas, doc.layout
    keep_with_next(doc.last_body)
    blanks = lay.body.blank_lines_before_sealed_signature if sig.seals else lay.body.blank_lines_before_signature
    for _ in range(blanks):
        canvas.paragraph(Element.BLANK, "", w("keepNext"))
    if sig.seals:
        _sealed(canvas, sig)
    elif len(sig.names) == 1 and "\n" not in sig.names[0]:
        _unsealed(canvas, sig)
    else:
        _unsealed_block(canvas, sig)


def note(doc: Writing) -> None:
    """附注: the line after the 成文日期, 左空二字, in round brackets as written (7.3.6)."""
    if doc.gw.note:
        doc.canvas.paragraph(Element.NOTE, doc.gw.note)


def _unsealed(canvas: Canvas, sig: Signature) -> None:
    """署名 右空二字. When the date is not longer than the 署名, it starts 2 字 right of the 署名's
    first character; a longer date is 右空二字 and the 署名 moves left (7.3.5.2). "Longer" counts 字 as
    the standard does, digits half: a renderer's spacing must not decide the layout."""
    lay = canvas.layout
    name, date = sig.names[0], str(sig.date)
    name_w = advance(name, lay, tight=True)
    start = _names_start(canvas, sig, name_w)
    canvas.paragraph(Element.SIGNATURE, name, w("ind", right=lay.page.text_width - start - name_w))
    _date(canvas, date, start)


def _unsealed_block(canvas: Canvas, sig: Signature) -> None:
    """Several 署名 (联合行文: 主办机关 first, the others below it, 7.3.5.2), or a 署名 on several lines:
    all start at one column, the widest line ending 右空二字; the date as for one 署名, against the
    widest line."""
    start = _names_start(canvas, sig, max(widest(name, canvas.layout, tight=True) for name in sig.names))
    for name in sig.names:
        canvas.paragraph(Element.SIGNATURE, name, w("jc", val="left"), w("ind", left=start))
    _date(canvas, str(sig.date), start)


def _names_start(canvas: Canvas, sig: Signature, name_w: int) -> int:
    """Where the 署名 start: the (widest) 署名 右空二字, or further left so a longer date, 2 字 right of
    them, ends 右空二字."""
    lay = canvas.layout
    right = lay.chars_tw(lay.body.signature_right_chars)
    offset = lay.body.date_offset_chars * lay.char_width
    date_w = advance(str(sig.date), lay, tight=True)
    return lay.page.text_width - right - (date_w + offset if _date_longer(str(sig.date), sig.names) else name_w)


def _date(canvas: Canvas, date: str, names_start: int) -> None:
    """The date 2 字 right of the 署名's first character, set from the right edge at the width Word
    gives it: a renderer that spaces digits wider (LibreOffice) grows it leftwards, never into a
    second line at the 版心's edge."""
    lay = canvas.layout
    end = names_start + lay.body.date_offset_chars * lay.char_width + advance(date, lay, tight=True)
    canvas.paragraph(Element.DATE, date, w("jc", val="right"), w("ind", right=max(0, lay.page.text_width - end)))


def _date_longer(date: str, names: tuple[str, ...]) -> bool:
    return length_in_chars(date) > max(length_in_chars(name) for name in names)


def _sealed(canvas: Canvas, sig: Signature) -> None:
    """Date 右空四字; each 署名 centred under its seal, the last 署名 centred over the date and its seal
    pressing on both (7.3.5.1). Several organs stand in rows of at most three, aligned in columns
    wide enough for the widest 署名, their seals apart and inside the 版心."""
    lay = canvas.layout
    date = str(sig.date)
    date_w = advance(date, lay, tight=True)
    date_right = lay.chars_tw(lay.body.sealed_date_right_chars)
    size_emu = round(lay.body.seal_size_mm * 36000)
    size = size_emu / EMU_PER_TW  # tw
    last_centre = lay.page.text_width - date_right - date_w / 2
    # a column holds its seal and its 署名: names wider than a seal push the columns apart
    pitch = max(size + lay.body.seal_gap_mm * 36000 / EMU_PER_TW,
                max(widest(name, lay, tight=True) for name in sig.names) + lay.char_width)
    per_row = max(1, min(3, int((last_centre - size / 2) // pitch) + 1))  # the leftmost seal inside the 版心
    names = list(zip(sig.names, sig.seals, strict=True))
    rows = [names[start:start + per_row] for start in range(0, len(names), per_row)]
    for r, row in enumerate(rows):
        if r:
            canvas.blank(lay.body.seal_row_lines - 1)
        centres = [last_centre - (len(row) - 1 - i) * pitch for i in range(len(row))]
        if len(row) == 1:
            name_right = max(0, date_right + (date_w - advance(row[0][0], lay, tight=True)) // 2)
            paragraph = canvas.paragraph(Element.SIGNATURE, row[0][0], w("ind", right=name_right))
        else:
            tabs = w("tabs")
            for centre in centres:
                tabs.append(w("tab", val="center", pos=round(centre)))
            paragraph = canvas.paragraph(Element.SIGNATURE, "".join(TAB + name for name, _ in row),
                                         w("keepNext"), tabs, w("jc", val="left"), w("ind", left=0, right=0))
        for centre, (_, seal) in zip(centres, row, strict=True):
            paragraph.append(anchored_picture(
                canvas.drawing_id(), "印章", canvas.image_id(seal),
                x_emu=round(centre * EMU_PER_TW - size_emu / 2),
                y_emu=round(lay.body.seal_offset_lines * lay.grid.line * EMU_PER_TW),
                cx=size_emu, cy=size_emu,
            ))
    canvas.paragraph(Element.DATE, date, w("jc", val="right"), w("ind", right=date_right))


def signed_by(doc: Writing) -> None:
    """命令: two blank lines below the text; per organ a row with the 签名章 右空四字 and the 职务 左空二字
    from it, centred on it; one blank line; the date 右空四字 (7.3.5.3)."""
    if not doc.gw.signed_by:
        return
    canvas, lay = doc.canvas, doc.layout
    keep_with_next(doc.last_body)
    canvas.blank(2)
    right = lay.chars_tw(lay.body.sealed_date_right_chars)
    gap = lay.chars_tw(2)
    for n, signer in enumerate(doc.gw.signed_by):
        if n:
            canvas.blank(1)
        if not signer.stamp:  # the name printed where the 签名章 would be, in 楷体
            paragraph = canvas.paragraph(Element.SIGNATURE, signer.title, w("keepNext"), w("ind", right=right))
            paragraph.append(_run(signer.name, lay.fonts.latin, lay.fonts.heading2, gap=True))
            continue
        with Image.open(io.BytesIO(Path(signer.stamp).read_bytes())) as image:
            aspect = image.width / image.height
        height = round(lay.body.stamp_height_mm * 36000 / EMU_PER_TW)
        width = round(height * aspect)
        paragraph = canvas.paragraph(Element.SIGNATURE, signer.title, w("keepNext"),
                                     w("ind", right=right + width + gap))
        paragraph.append(anchored_picture(
            canvas.drawing_id(), "签名章", canvas.image_id(signer.stamp),
            x_emu=(lay.page.text_width - right - width) * EMU_PER_TW,
            y_emu=round((lay.grid.line - height) / 2 * EMU_PER_TW),
            cx=width * EMU_PER_TW, cy=height * EMU_PER_TW,
        ))
    canvas.blank(1)
    canvas.paragraph(Element.DATE, str(doc.gw.date), w("jc", val="right"), w("ind", right=right))


def attendance(doc: Writing) -> None:
    """纪要: one blank line, then 出席：, 请假：, 列席： 左空二字 in 黑体, the names in 仿宋, wrapped lines
    aligned after the colon (standard 10.3)."""
    if not doc.gw.attendance:
        return
    canvas, lay = doc.canvas, doc.layout
    keep_with_next(canvas.last())
    canvas.blank(1)
    for label, names in doc.gw.attendance:
        head = label + "："
        hanging = advance(head, lay)
        paragraph = canvas.paragraph(Element.BODY, "", w("ind", left=lay.body_indent + hanging, hanging=hanging,
                                                         firstLineChars=0))
        paragraph.append(_run(head, lay.fonts.latin, lay.fonts.heading1))
        paragraph.append(_run("、".join(names), lay.fonts.latin, lay.fonts.body))


def _run(text: str, latin: str, east_asia: str, gap: bool = False) -> etree._Element:
    return run(("\u3000\u3000" if gap else "") + text, [fonts(latin, east_asia)])
