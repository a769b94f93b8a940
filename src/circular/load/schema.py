"""Schemas of the files under data/ (what an office writer may write, and nothing else)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PlainValidator, StringConstraints, Tag

from ..model import DocNumber, IssueDate

DocNumberField = Annotated[DocNumber, PlainValidator(DocNumber.parse)]
DateField = Annotated[IssueDate, PlainValidator(IssueDate.parse)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganEntry(Strict):
    mark: Name  # 发文机关标志
    code: Name  # 机关代字
    imprint_organ: Name  # 印发机关


class OrgansFile(Strict):
    organs: dict[str, OrganEntry]


class ImprintEntry(Strict):
    organ: Name | None = None  # defaults to the organ's 印发机关
    date: DateField
    copy_to: list[Name] = []


class NoticeFile(Strict):
    """data/<set>/notice.yaml: a numbered 公文 in 文件格式."""

    organ: Name
    doc_number: DocNumberField
    title: Name
    title_lines: list[Name] = []
    recipients: list[Name] = Field(min_length=1)
    body: Name  # Markdown
    signature: Name | None = None  # defaults to the organ's name
    date: DateField
    seal: str = ""
    note: str = ""  # 附注
    copy_number: str = ""
    secrecy: str = ""
    urgency: Literal["", "特急", "加急"] = ""
    transmits: list[Name] = []
    imprint: ImprintEntry


class FrontMatter(Strict):
    """Front matter of a transmitted text such as workpoints.md."""

    kind: Name = "transmitted"
    title: Name
    title_lines: list[Name] = []
    # continuous: run-in items 1. 2. 3. keep counting across sections (as a 工作要点 does)
    numbering: Literal["continuous", "by-section"] = "by-section"
    attachments: list[Name] = []


class Meeting(Strict):
    text: Name
    place: Name


# a mapping is always a meeting, so its errors speak of meeting fields, not "should be text"
ScheduleItem = Annotated[
    Annotated[Name, Tag("text")] | Annotated[Meeting, Tag("meeting")],
    Discriminator(lambda v: "meeting" if isinstance(v, dict) else "text"),
]


class Quarter(Strict):
    name: Name
    items: list[ScheduleItem] = Field(min_length=1)


class ScheduleFile(Strict):
    """An annex planning activities by quarter (会议与活动计划安排)."""

    title: Name
    quarters: list[Quarter] = Field(min_length=1)
    note: str = ""
