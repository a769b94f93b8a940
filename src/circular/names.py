"""File names made from data (titles, regions, places) and folder names typed by users.

A name must work on every system an office uses: at most 255 bytes per path component (ext4, NTFS
and APFS all count bytes or UTF-16 units; UTF-8 bytes is the stricter), none of Windows' reserved
device names, no separators, control, bidi-override or zero-width characters.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

NAME_MAX_BYTES = 255
# room left for what circular appends to a document's stem: ".docx", ".pdf", "-页12.png",
# "-长图.png", ".tmp-<pid>" — the longest is under 30 bytes
SUFFIX_BYTES = 30
STEM_MAX_BYTES = NAME_MAX_BYTES - SUFFIX_BYTES

_SEPARATORS_AND_CONTROLS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
# bidi overrides and isolates, zero-width characters, BOM: invisible, and they make a name read
# differently from what it is ("会议通知‮xcod.exe")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _fit(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 encoding fits ``limit`` bytes."""
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")


def is_reserved(name: str) -> bool:
    """Windows device names, with or without an extension: CON, con.txt, LPT1.docx."""
    return name.split(".", 1)[0].strip().upper() in _RESERVED


def safe_name(text: str, limit: int = STEM_MAX_BYTES) -> str:
    """A file-name stem from data text: no separators or invisible characters, never '..', never a
    device name, at most ``limit`` bytes. A name cut short ends in a hash of the whole text, so two
    long titles that share their beginning still get different files, the same ones every time."""
    name = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    name = _SEPARATORS_AND_CONTROLS.sub("_", name).strip(" .")
    if len(name.encode("utf-8")) > limit:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        name = _fit(name, limit - len(digest) - 1).rstrip(" .") + "_" + digest
    if is_reserved(name):
        name = "_" + name
    return name or "_"


def folder_problem(name: str) -> str | None:
    """Why ``name`` cannot be a data folder created by ``circular new`` (None when it can)."""
    if not name or not name.strip():
        return "不能为空"
    if _SEPARATORS_AND_CONTROLS.search(name) or INVISIBLE.search(name):
        return "不能含有斜杠、冒号、引号、控制字符或不可见字符"
    if name.startswith(".") or name != name.strip():
        return "不能以点或空格开头，也不能以空格结尾"
    if name.endswith("."):
        return "不能以点结尾（Windows 不允许）"
    if is_reserved(name):
        return f"“{name}”是 Windows 保留的设备名"
    if len(name.encode("utf-8")) > STEM_MAX_BYTES:
        return f"过长（{len(name.encode('utf-8'))} 字节，最多 {STEM_MAX_BYTES} 字节）"
    return None


def visible(text: str) -> str:
    """``text`` with control and invisible characters shown as escapes (for messages)."""
    return re.sub(f"[\x00-\x1f\x7f]|{INVISIBLE.pattern}", lambda m: m.group().encode("unicode_escape").decode("ascii"),
                  text)
