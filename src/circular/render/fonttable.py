"""word/fontTable.xml: the fonts the document uses, described so Word can substitute one that is
missing (方正小标宋简体 is not on a stock Windows): alternative name, GB2312 charset (86), family,
PANOSE and Unicode/code-page signature, as Word itself writes them for these faces."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..layout import Layout
from .ooxml import W_NS, w


@dataclass(frozen=True)
class FontInfo:
    alt_name: str
    charset: str  # hex: 86 GB2312, 00 ANSI
    family: str  # roman, swiss, modern, script, decorative, auto
    pitch: str
    panose: str
    sig: tuple[str, str, str, str, str, str]  # usb0..usb3, csb0, csb1


_GB2312_SIG = ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")
KNOWN = {
    "仿宋": FontInfo("FangSong", "86", "modern", "fixed", "02010609060101010101", _GB2312_SIG),
    "仿宋_GB2312": FontInfo("FangSong_GB2312", "86", "modern", "fixed", "02010609030101010101", _GB2312_SIG),
    "黑体": FontInfo("SimHei", "86", "modern", "fixed", "02010609060101010101", _GB2312_SIG),
    "楷体": FontInfo("KaiTi", "86", "modern", "fixed", "02010609060101010101", _GB2312_SIG),
    "楷体_GB2312": FontInfo("KaiTi_GB2312", "86", "modern", "fixed", "02010609030101010101", _GB2312_SIG),
    "宋体": FontInfo("SimSun", "86", "auto", "variable", "02010600030101010101",
                   ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")),
    "方正小标宋简体": FontInfo("FZXiaoBiaoSong-B05S", "86", "script", "variable", "02000000000000000000",
                        _GB2312_SIG),
    "Times New Roman": FontInfo("", "00", "roman", "variable", "02020603050405020304",
                                ("E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000")),
}


def font_table(layout: Layout) -> bytes:
    """The table for the families ``layout`` writes (house.yaml may name others: those are listed by
    name only, which Word accepts)."""
    f = layout.fonts
    names = list(dict.fromkeys((f.latin, f.body, f.heading1, f.heading2, f.title, f.page_number)))
    root = etree.Element(f"{{{W_NS}}}fonts", nsmap={"w": W_NS})
    for name in names:
        font = w("font", name=name)
        info = KNOWN.get(name)
        if info:
            if info.alt_name:
                font.append(w("altName", val=info.alt_name))
            font.append(w("panose1", val=info.panose))
            font.append(w("charset", val=info.charset))
            font.append(w("family", val=info.family))
            font.append(w("pitch", val=info.pitch))
            u0, u1, u2, u3, c0, c1 = info.sig
            font.append(w("sig", usb0=u0, usb1=u1, usb2=u2, usb3=u3, csb0=c0, csb1=c1))
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
