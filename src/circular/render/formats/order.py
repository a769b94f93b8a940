"""命令（令）格式 (GB/T 9704-2012 10.2): the mark "……令" 20 mm below the 版心 top, the 令号 under it,
no red line; the text ends with the 签发人职务 and 签名章 and the date (7.3.5.3)."""

from __future__ import annotations

from ..engine import Format
from ..pages import plain_first_page
from ..parts import annexes, body, closing, imprint, masthead

FORMAT = Format(
    name="order",
    pages=plain_first_page,
    parts=(masthead.order_masthead, body.title, body.recipients, body.main_text, closing.main_attachment_note,
           closing.signed_by, closing.note, annexes.annex_pages, imprint.document_imprint),
    draws_imprint=imprint.has_imprint,
)
