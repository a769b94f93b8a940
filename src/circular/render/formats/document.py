"""文件格式 (GB/T 9704-2012 7): the ordinary 公文 — 版头 with the red separator, 主体, 版记."""

from __future__ import annotations

from ..engine import Format
from ..pages import plain_first_page
from ..parts import annexes, body, closing, imprint, masthead

FORMAT = Format(
    name="document",
    pages=plain_first_page,
    parts=(masthead.document_masthead, body.title, body.recipients, body.main_text, closing.main_attachment_note,
           closing.signature, closing.note, body.transmitted, annexes.annex_pages, imprint.document_imprint),
    draws_imprint=imprint.has_imprint,
)
