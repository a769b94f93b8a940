"""纪要格式 (GB/T 9704-2012 10.3): the mark "……纪要" as the 文件格式 places it, no 署名; after the text
(or its 附件说明) the 出席, 请假 and 列席 lists."""

from __future__ import annotations

from ..engine import Format
from ..pages import plain_first_page
from ..parts import annexes, body, closing, imprint, masthead

FORMAT = Format(
    name="minutes",
    pages=plain_first_page,
    parts=(masthead.document_masthead, body.title, body.recipients, body.main_text, closing.main_attachment_note,
           closing.attendance, closing.note, body.transmitted, annexes.annex_pages, imprint.document_imprint),
    draws_imprint=imprint.has_imprint,
)
