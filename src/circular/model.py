"""Plain typed objects for a 公文. No python-docx here, no file paths beyond provenance."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import Where
from .grammar import CN_DATE, DOC_NUMBER, Kind

# --- parsed value types --------------------------------------------------------------------

_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕",
                           "(": "〔", ")": "〕", "（": "〔", "）": "〕", "〖": "〔", "〗": "〕"})


class ValueProblem(ValueError):
    """A value that does not parse; carries the Chinese message and the fix."""

    def __init__(self, message: str, fix: str = ""):
        self.message = message
        self.fix = fix
        super().__init__(message)


@dataclass(frozen=True, order=True, slots=True)
class DocNumber:
    """发文字号: 机关代字〔年份〕序号号 (standard 7.2.5)."""

    code: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.seq}号"

    @classmethod
    def parse(cls, text: str) -> DocNumber:
        text = str(text).strip()
        m = DOC_NUMBER.match(text)
        if m:
            return cls(m["code"], int(m["year"]), int(m["seq"]))
        reasons = []
        if re.search(r"[\[\]［］【】()（）〖〗]", text) or "〔" not in text:
            reasons.append("年份须用六角括号〔〕")
        if "第" in text:
            reasons.append("序号前不加“第”")
        if re.search(r"[〕\]］】)）]0\d", text):
            reasons.append("序号不编虚位")
        if re.search(r"[〔\[［【(（]\d{2}[〕\]］】)）]", text):
            reasons.append("年份须写全四位")
        if not text.endswith("号"):
            reasons.append("须以“号”结尾")
        fix = ""
        guess = re.sub(r"\s+", "", text).translate(_BRACKETS).replace("第", "")
        guess = re.sub(r"〕0+(?=\d)", "〕", guess)
        if DOC_NUMBER.match(guess):
            fix = f"应为 {guess}"
        else:
            fix = "格式为 机关代字〔年份〕序号号，例如 渝教工委办〔2013〕7号"
        why = "、".join(reasons) or "格式应为 机关代字〔四位年份〕序号号"
        raise ValueProblem(f"发文字号“{text}”格式不正确：{why}", fix)


@dataclass(frozen=True, order=True, slots=True)
class IssueDate:
    """成文日期 / 印发日期: 2013年3月1日, Arabic numerals, no zero padding (standard 7.3.5.4)."""

    value: dt.date

    def __str__(self) -> str:
        d = self.value
        return f"{d.year}年{d.month}月{d.day}日"

    @classmethod
    def parse(cls, raw: object) -> IssueDate:
        if isinstance(raw, dt.datetime):
            return cls(raw.date())
        if isinstance(raw, dt.date):
            return cls(raw)
        text = str(raw).strip()
        m = CN_DATE.match(text)
        iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
        if not m and not iso:
            raise ValueProblem(
                f"日期“{text}”格式不正确",
                "写成 2013年3月1日（阿拉伯数字，年份写全，月日不补零）",
            )
        found = m or iso
        assert found is not None  # one of them matched, or we returned above
        y, mo, d = (int(g) for g in found.groups())
        try:
            value = dt.date(y, mo, d)
        except ValueError:
            raise ValueProblem(f"日期“{text}”不存在", "请核对年、月、日") from None
        if m and (m["m"].startswith("0") or m["d"].startswith("0")):
            raise ValueProblem(f"日期“{text}”的月、日不应补零", f"应为 {cls(value)}")
        return cls(value)


# --- body blocks ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of level 1-4; ``marker`` is the generated 序号 (一、 （一） 1. （1）) or ''."""

    level: int
    text: str
    marker: str = ""
    where: Where | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph; ``marker`` is a run-in 序号 such as "1." or ''."""

    text: str
    marker: str = ""
    level: int = 0  # level of the run-in marker (3 for "1.", 4 for "（1）"), 0 for plain text
    where: Where | None = None


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    where: Where | None = None


Block = Heading | Paragraph | Table


@dataclass(frozen=True, slots=True)
class Form:
    """A form filled from a Word template (docxtpl), e.g. the 参会回执; rendered by the writer."""

    template: str  # path of the .docx template
    context: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Attachment:
    title: str
    blocks: tuple[Block, ...]
    where: Where | None = None
    form: Form | None = None


@dataclass(frozen=True, slots=True)
class Text:
    """A titled text: the notice itself or a document it transmits (印发的文件)."""

    title: str
    body: tuple[Block, ...]
    title_lines: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    where: Where | None = None


@dataclass(frozen=True, slots=True)
class Organ:
    name: str  # full name, used in 署名
    mark: str  # 发文机关标志 wording
    code: str  # 机关代字
    imprint_organ: str  # 印发机关
    letter_mark: str = ""  # 信函格式的发文机关标志
    letter_code: str = ""  # 函的机关代字


@dataclass(frozen=True, slots=True)
class Header:
    """版头."""

    mark: str  # 发文机关标志 on one line (a single organ's, or the 主办机关's in a 信函)
    doc_number: DocNumber | None = None
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    joint: tuple[str, ...] = ()  # 联合行文: the organs' names stacked in the mark, 主办机关 first
    mark_suffix: str = ""  # "文件" to the right of the stacked names, when the organs use it
    signers: tuple[str, ...] = ()  # 上行文: 签发人, 主办机关's first
    order_number: str = ""  # 命令: 令号


@dataclass(frozen=True, slots=True)
class Signature:
    names: tuple[str, ...]  # one 署名 per organ, 主办机关 first
    date: IssueDate
    seals: tuple[str, ...] = ()  # paths of seal images, one per name; none = unsealed layout


@dataclass(frozen=True, slots=True)
class SignedBy:
    """命令: a signer's 职务 and 签名章 (standard 7.3.5.3)."""

    title: str
    name: str = ""
    stamp: str = ""  # path of the 签名章 image; empty = the name printed


@dataclass(frozen=True, slots=True)
class Imprint:
    """版记."""

    organ: str
    date: IssueDate
    copy_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gongwen:
    """One document as written to one .docx."""

    kind: Kind
    main: Text
    header: Header | None = None
    format: str = "document"  # a name in render.FORMATS: document, letter, minutes, order
    recipients: tuple[str, ...] = ()
    signature: Signature | None = None
    signed_by: tuple[SignedBy, ...] = ()  # 命令: instead of a 署名
    attendance: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 纪要: (出席/请假/列席, names)
    note: str = ""  # 附注
    transmitted: tuple[Text, ...] = ()
    imprint: Imprint | None = None
    author: str = ""
    dated: IssueDate | None = None  # document date when there is no signature (core properties)
    sources: tuple[str, ...] = field(default=())
    slug: str = ""  # file name stem under out/<set>/
    extra: tuple[tuple[str, str], ...] = ()  # more manifest fields (region, location)

    @property
    def title(self) -> str:
        return self.main.title

    @property
    def date(self) -> IssueDate | None:
        return self.signature.date if self.signature else self.dated
