"""The 公文 grammar every stage speaks: its elements, 序号, 发文字号 and document kinds.

Load, lint, render, verify and review all take these from here, so a writer's paragraph style, the
label review prints and the element the checker looks for are one thing with one name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum, StrEnum


class Kind(StrEnum):
    """What a document is (manifest ``kind``)."""

    CIRCULAR = "circular"  # the numbered notice as issued, with what it transmits
    WORKPOINTS = "workpoints"  # a 工作要点 on its own
    TRANSMITTED = "transmitted"  # any other transmitted text on its own
    INVITATION = "invitation"  # one 会议通知
    MINUTES = "minutes"  # a 纪要
    ORDER = "order"  # a 命令（令）
    INVITATIONS_PRINT = "invitations-print"  # the invitations bound for double-sided printing (PDF)


@dataclass(frozen=True)
class ElementSpec:
    id: str  # element id in code and JSON
    style: str  # Word paragraph style id written into the .docx
    style_name: str  # the style's display name Word and WPS users see
    label: str  # what review prints for it


class Element(Enum):
    """The 公文 elements the writer gives a paragraph style of their own (GB/T 9704 7.2–7.4)."""

    COPY_NUMBER = ElementSpec("copy-number", "GwCopyNumber", "份号", "份号")
    SECRECY = ElementSpec("secrecy", "GwSecrecy", "密级和保密期限", "密级")
    URGENCY = ElementSpec("urgency", "GwUrgency", "紧急程度", "紧急程度")
    MARK = ElementSpec("mark", "GwMark", "发文机关标志", "发文机关标志")
    DOC_NUMBER = ElementSpec("doc-number", "GwDocNumber", "发文字号", "发文字号")
    TITLE = ElementSpec("title", "GwTitle", "公文标题", "标题")
    RECIPIENTS = ElementSpec("recipients", "GwRecipients", "主送机关", "主送")
    BODY = ElementSpec("body", "GwBody", "公文正文", "正文")
    BLANK = ElementSpec("blank", "GwBlank", "公文空行", "")
    HEADING1 = ElementSpec("heading-1", "GwHeading1", "一级标题", "正文")
    HEADING2 = ElementSpec("heading-2", "GwHeading2", "二级标题", "正文")
    HEADING3 = ElementSpec("heading-3", "GwHeading3", "三级标题", "正文")
    HEADING4 = ElementSpec("heading-4", "GwHeading4", "四级标题", "正文")
    TABLE_TEXT = ElementSpec("table-text", "GwTableText", "表格文字", "正文")
    ATTACHMENT_NOTE = ElementSpec("attachment-note", "GwAttachmentNote", "附件说明", "附件说明")
    SIGNATURE = ElementSpec("signature", "GwSignature", "发文机关署名", "署名")
    DATE = ElementSpec("date", "GwDate", "成文日期", "成文日期")
    NOTE = ElementSpec("note", "GwNote", "附注", "附注")
    ATTACHMENT_LABEL = ElementSpec("attachment-label", "GwAttachmentLabel", "附件标识", "附件")
    ATTACHMENT_TITLE = ElementSpec("attachment-title", "GwAttachmentTitle", "附件标题", "附件标题")
    IMPRINT = ElementSpec("imprint", "GwImprint", "版记", "版记")
    PAGE_NUMBER = ElementSpec("page-number", "GwPageNumber", "页码", "页码")

    @property
    def style(self) -> str:
        return self.value.style

    @property
    def style_name(self) -> str:
        return self.value.style_name

    @property
    def label(self) -> str:
        return self.value.label

    @classmethod
    def heading(cls, level: int) -> Element:
        return (cls.HEADING1, cls.HEADING2, cls.HEADING3, cls.HEADING4)[level - 1]

    @classmethod
    def of_style(cls, style_id: str = "", style_name: str = "") -> Element | None:
        """The element a paragraph style stands for: by id (ours), else by display name (a file
        whose styles Word renamed keeps their names)."""
        for element in cls:
            if style_id == element.style or (style_name and style_name == element.style_name):
                return element
        return None


BODY_ELEMENTS = frozenset({Element.BODY, Element.HEADING1, Element.HEADING2, Element.HEADING3, Element.HEADING4,
                           Element.TABLE_TEXT})

# --- 序号 (standard 7.3.3) ---------------------------------------------------------------------------

CHINESE_DIGITS = "〇一二三四五六七八九"
CHINESE_NUMBER = "[一二三四五六七八九十]+"
# as printed, level by level: 一、 （一） 1. （1）
MARKERS = {1: re.compile(rf"^({CHINESE_NUMBER})、"), 2: re.compile(rf"^（({CHINESE_NUMBER})）"),
           3: re.compile(r"^(\d+)[.．]"), 4: re.compile(r"^（(\d+)）")}
# as someone may type them by hand (half-width brackets, 1、): never typed in circular's data
TYPED_MARKER = re.compile(rf"^\s*({CHINESE_NUMBER}、|[（(]{CHINESE_NUMBER}[）)]|\d+[.．、]|[（(]\d+[）)])")


def chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (enough for 序号)."""
    if not 0 < n < 100:
        raise ValueError(f"序号 {n} 超出 1–99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[ones] if ones else "")


def marker(level: int, n: int) -> str:
    """The literal marker of item ``n`` at heading level 1-4."""
    if level == 1:
        return f"{chinese(n)}、"
    if level == 2:
        return f"（{chinese(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level {level}")


def length_in_chars(text: str) -> float:
    """A text's length as the standard counts it when it compares two (7.3.5.2 "成文日期长于署名"):
    a Chinese character is one 字, a digit or Latin letter half of one; the widest line counts."""
    return max(sum(1.0 if unicodedata.east_asian_width(c) in "WFA" and not c.isascii() else 0.5 for c in line)
               for line in text.split("\n"))


# 密级和保密期限 (7.2.2): 秘密, 机密★10年, 绝密★6个月
SECRECY = re.compile(r"(绝密|机密|秘密)(★[1-9]\d*(年|个月|天))?")


# --- 发文字号 (standard 7.2.5) -------------------------------------------------------------------------

# 机关代字〔四位年份〕序号号, 六角括号, no 第, no padding
DOC_NUMBER = re.compile(r"^(?P<code>[^〔〕\[\]【】［］()（）\s]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
# something written as a 发文字号, right or wrong (any brackets, 第, two-digit year, padding)
DOC_NUMBER_LIKE = re.compile(r"[\u4e00-\u9fff]+[〔\[［【(（]\d{2,4}[〕\]］】)）]第?\d+号?")
# a 发文字号 cited in running text, perhaps without its year: an organ's code, then digits and 号
DOC_NUMBER_CITED = re.compile(r"^[\u4e00-\u9fff]{2,}.*\d+号$")
# 2013年3月1日 (standard 7.3.5.4)
CN_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
# a date in Chinese numerals (二〇一〇年三月五日), also with a zero typed as ○ (U+25CB), 零, O or 0
_CN_DAY = "[一二三四五六七八九十]{1,3}"
CN_NUMERAL_DATE = re.compile(rf"([〇○零ＯO0一二三四五六七八九]{{4}})年({_CN_DAY})月({_CN_DAY})日")
