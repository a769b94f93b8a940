"""附件 pages (standard 7.3.7): each on a new page, 附件N on line 1, its title on line 3."""

from __future__ import annotations

from ...grammar import Element
from ...model import Text
from ..engine import Writing
from ..forms import form_elements, rebind
from ..ooxml import w
from .body import blocks, write_title


def annex_pages(doc: Writing) -> None:
    """Every attachment of every text, in order, bound with the body before the 版记."""
    canvas, lay, annexes = doc.canvas, doc.layout, doc.annexes
    for n, att in enumerate(annexes, start=1):
        label = "附件" if len(annexes) == 1 else f"附件{n}"
        canvas.paragraph(Element.ATTACHMENT_LABEL, label, w("pageBreakBefore"))
        canvas.blank(lay.body.attachment_title_line - 2)
        write_title(canvas, Text(att.title, ()), Element.ATTACHMENT_TITLE)
        canvas.blank(1)
        blocks(canvas, att.blocks)
        if att.form:
            for element in rebind(form_elements(att.form), canvas.shared.form_ids):
                canvas.append(element)
