"""Schemas of the files under data/ (what an office writer may write, and nothing else)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from ..grammar import SECRECY, length_in_chars
from ..model import DocNumber, IssueDate, ValueProblem
from ..standard import STANDARD

DocNumberField = Annotated[DocNumber, PlainValidator(DocNumber.parse)]
DateField = Annotated[IssueDate, PlainValidator(IssueDate.parse), PlainSerializer(str)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganEntry(Strict):
    mark: Name  # 发文机关标志
    code: Name  # 机关代字
    imprint_organ: Name  # 印发机关
    letter_mark: Name | None = None  # 信函格式的标志 (default: 印发机关, i.e. the office)
    letter_code: Name | None = None  # 函的代字 (default: 代字 + 函)


class OrgansFile(Strict):
    organs: dict[str, OrganEntry]


class ImprintEntry(Strict):
    organ: Name | None = None  # defaults to the organ's 印发机关
    date: DateField
    copy_to: list[Name] = []


class SignedBy(Strict):
    """命令（令）: a signer's 职务 and 签名章 (standard 7.3.5.3)."""

    title: Name  # 职务, in full
    name: Name | None = None  # printed in 楷体 where there is no 签名章 image
    stamp: str = ""  # 签名章 image (PNG, red)


class Attendance(Strict):
    """纪要: who attended (standard 10.3)."""

    present: list[Name] = []  # 出席
    on_leave: list[Name] = []  # 请假
    observers: list[Name] = []  # 列席


CopyNumber = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
# 密级和保密期限: 绝密/机密/秘密, optionally ★ and an Arabic period (standard 7.2.2)
Secrecy = Annotated[str, StringConstraints(pattern=f"^{SECRECY.pattern}$")]
OneOrMore = Annotated[list[Name], Field(min_length=1)]


class NoticeFile(Strict):
    """data/<set>/notice.yaml: a 公文 — a 通知, 请示 …, a 纪要 or a 命令, in 文件格式 or 信函格式.

    Cross-field rules (what each kind needs) are checked by the loader, which can point at the field."""

    kind: Literal["notice", "minutes", "order"] = "notice"
    format: Literal["document", "letter"] = "document"
    organ: Name | OneOrMore  # several: joint issuance, 主办机关 first
    mark: Name | None = None  # 发文机关标志 wording for this document (纪要: "……纪要")
    doc_number: DocNumberField | None = None
    order_number: Name | None = None  # 命令: 令号, e.g. 第12号
    signers: list[Name] = []  # 上行文: 签发人, 主办机关的 first
    title: Name | None = None
    title_lines: list[TitleLine] = []
    recipients: list[Name] = []
    body: Name  # Markdown
    signature: Name | OneOrMore | None = None  # defaults to the organs' names
    date: DateField
    seal: str | OneOrMore = ""  # one image per organ
    signed_by: list[SignedBy] = []  # 命令: 签发人职务 and 签名章, one per organ
    attendance: Attendance | None = None  # 纪要
    note: str = ""  # 附注
    copy_number: CopyNumber | None = None  # 份号: six digits
    secrecy: Secrecy | None = None  # 密级和保密期限, e.g. 秘密★1年
    urgency: Literal["特急", "加急"] | None = None
    attachments: list[Name] = []  # the notice's own attachments (Markdown or YAML files)
    transmits: list[Name] = []
    imprint: ImprintEntry | None = None


class FrontMatter(Strict):
    """Front matter of a transmitted text such as workpoints.md."""

    kind: Literal["workpoints", "transmitted"] = "transmitted"  # grammar.Kind of the text on its own
    title: Name
    title_lines: list[TitleLine] = []
    # continuous: run-in items 1. 2. 3. keep counting across sections (as a 工作要点 does);
    # by-list: every list starts again at 1, also between paragraphs (a 计划安排 by quarter)
    numbering: Literal["continuous", "by-section", "by-list"] = "by-section"
    attachments: list[Name] = []


def _fits_title_line(value: str) -> str:
    width = length_in_chars(value)
    if width > STANDARD.title_max_chars:
        raise ValueProblem(f"标题的这一行有 {width:g} 字，二号字一行最多排 {STANDARD.title_max_chars:g} 字",
                           "请在 title_lines 中把它分成两行（词意完整、梯形或菱形排列）")
    return value


TitleLine = Annotated[Name, AfterValidator(_fits_title_line)]


Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9０-９()（）\-—+ 、，,/]{5,40}$")]
def _not_reserved(value: str) -> str:
    if value == "notice":  # the 发文登记 keys the notice itself as <set>/notice
        raise ValueProblem("会议 id 不能是“notice”（发文登记中它代表通知本身）", "请换一个 id，例如 notice-meeting")
    return value


MeetingId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$"), AfterValidator(_not_reserved)]


class Contact(Strict):
    name: Name
    phone: Phone


class InvitationInfo(Strict):
    """What a 会议通知 needs beyond the schedule line."""

    issued: DateField  # 成文日期 of the invitation
    date: DateField
    time: Name
    duration: str = ""
    venue: Name
    check_in: str = ""
    participants: Name
    agenda: list[Name] = Field(min_length=1)
    reply_by: DateField
    contact: Contact
    purpose: str = ""
    copy_to: list[Name] = []
    # 信函格式 by default: an office's meeting notice goes out as a 函 (see README)
    format: Literal["letter", "document"] = "letter"
    file_name: Name | None = None  # output file name when two meetings share scope and place


class Meeting(Strict):
    id: MeetingId | None = None  # key in the 发文登记; never change it once numbered
    text: Name
    place: Name
    region: Name | None = None  # a 片区 of regions.yaml: its 区县 are the recipients
    group: Name | None = None  # or a recipient list of regions.yaml
    invitation: InvitationInfo | None = None

    @model_validator(mode="after")
    def _invitation_needs_id_and_recipients(self) -> Meeting:
        if self.invitation is None:
            return self
        if self.id is None:
            raise ValueProblem(f"会议“{self.text}”要发通知，但没有 id",
                               "请加 id: 例如 id: zhucheng（小写字母、数字、连字符）")
        if (self.region is None) == (self.group is None):
            raise ValueProblem(f"会议“{self.text}”须指定参会范围（region 或 group，二者只写一个）",
                               "例如 region: 主城区，或 group: 高等学校")
        return self


class Quarter(Strict):
    name: Name
    # each a ScheduleItem, checked one at a time by load.schedule_items: 10,000 meetings are
    # never held as raw YAML and as models at once
    items: list[Any] = Field(min_length=1)


class ScheduleFile(Strict):
    """An annex planning activities by quarter (会议与活动计划安排)."""

    title: Name
    quarters: list[Quarter] = Field(min_length=1)
    note: str = ""


SCHEDULE_TEXT = TypeAdapter(Name)


class District(Strict):
    name: Name
    recipient: Name


class RegionsFile(Strict):
    regions: dict[str, list[District]]
    groups: dict[str, list[Name]] = {}


class RegisterEntry(Strict):
    number: DocNumberField
    document: Name


class RegisterFile(Strict):
    entries: list[RegisterEntry] = []


class LintFile(Strict):
    """data/lint.yaml: house rules for circular lint."""

    rules: dict[str, str | bool] = {}
