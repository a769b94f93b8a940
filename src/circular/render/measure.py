"""How wide text will be, and which characters need Word's East Asian hint."""

from __future__ import annotations

import unicodedata

from ..layout import Layout

# punctuation that shares Unicode ranges with Latin text: without the hint Word sets it half-width
EAST_ASIAN_HINT = set("“”‘’—…·")


def hint_chunks(text: str) -> list[tuple[str, bool]]:
    """Split text into runs; quote marks and dashes get their own run with the eastAsia hint."""
    chunks: list[tuple[str, bool]] = []
    for ch in text:
        hinted = ch in EAST_ASIAN_HINT
        if chunks and chunks[-1][1] == hinted:
            chunks[-1] = (chunks[-1][0] + ch, hinted)
        else:
            chunks.append((ch, hinted))
    return chunks


def advance(text: str, layout: Layout, size: int | None = None, tight: bool = False) -> int:
    """Advance of ``text`` in tw: CJK 1 字, Latin/digits ½ 字, run spacing, CJK-Latin spacing.

    ``tight``: the paragraph sets autoSpaceDE/DN off (dates, 署名, 版记), so Word adds no CJK-Latin
    space: the width Word lays out. LibreOffice adds it anyway; the checker allows for that."""
    size = size or layout.sizes.body
    total = 0.0
    for i, ch in enumerate(text):
        wide = unicodedata.east_asian_width(ch) in "WFA" and not ch.isascii()
        total += size * 10 * (1 if wide else 0.5) + layout.grid.char_spacing
        if i and not tight and autospaced(text[i - 1], ch):
            total += size * 10 * layout.grid.autospace_em
    return round(total)


def autospaced(a: str, b: str) -> bool:
    """Renderers add CJK-Latin space between an ideograph and a letter or digit, not at punctuation."""
    def ideograph(c: str) -> bool:
        return not c.isascii() and unicodedata.category(c) == "Lo"

    return (ideograph(a) and b.isascii() and b.isalnum()) or (ideograph(b) and a.isascii() and a.isalnum())


def widest(text: str, layout: Layout, size: int | None = None, tight: bool = False) -> int:
    """Advance of the widest line of ``text`` (a mark or 署名 written on several lines)."""
    return max(advance(line, layout, size, tight) for line in text.split("\n"))
