"""The registry of 公文 formats, by the name data uses (``format:``). A new format is one module
in this folder and one line here."""

from __future__ import annotations

from ..engine import Format
from . import document, letter, minutes, order

FORMATS: dict[str, Format] = {
    "document": document.FORMAT,  # 文件格式 (7)
    "letter": letter.FORMAT,  # 信函格式 (10.1)
    "order": order.FORMAT,  # 命令（令）格式 (10.2)
    "minutes": minutes.FORMAT,  # 纪要格式 (10.3)
}
