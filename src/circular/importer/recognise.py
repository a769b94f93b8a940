"""Which 公文 element each item of a draft is, and the draft as the parts of a notice.

Our own .docx name every paragraph's element by its style. A draft typed by hand does not: its
items are labelled from what they say and where they stand (the 发文字号 near the top, the 主送
ending in "：", the date at the foot with the 署名 above it, the 版记's 抄送 and 印发 lines), and
the result goes through the same assembly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grammar import CN_DATE, CN_NUMERAL_DATE, DOC_NUMBER_LIKE, MARKERS, SECRECY, TYPED_MARKER, Element
from .reader import Item

KINDS = "通知|请示|报告|意见|决定|复函|函|纪要|方案|办法|规定|通报|公告|批复|议案|要点|规划|计划"
TITLE_WORDS = re.compile(rf"^关于|({KINDS})$")
SENTENCE = re.compile(r"[。；！？]")


@dataclass
class Annex:
    title: str = ""
    items: list[Item] = field(default_factory=list)


@dataclass
class Transmitted:
    title_lines: list[str] = field(default_factory=list)
    body: list[Item] = field(default_factory=list)
    attachment_note: list[str] = field(default_factory=list)


@dataclass
class Draft:
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    mark: list[str] = field(default_factory=list)
    doc_number: str = ""
    signers: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    recipients: str = ""
    body: list[Item] = field(default_factory=list)
    attachment_note: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    date: str = ""
    note: str = ""
    transmitted: list[Transmitted] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    copy_to: list[str] = field(default_factory=list)
    imprint_organ: str = ""
    imprint_date: str = ""


def recognise(items: list[Item]) -> Draft:
    styled = any(Element.of_style(style_name=i.style) for i in items if i.style)
    labels = [_styled_label(i) for i in items] if styled else _guess(items)
    return _assemble(items, labels)


def _styled_label(item: Item) -> Element | None:
    if item.is_table:
        return Element.IMPRINT if _imprint_rows(item) else Element.TABLE_TEXT
    return Element.of_style(style_name=item.style)


# --- a draft typed by hand ----------------------------------------------------------------------


def _guess(items: list[Item]) -> list[Element | None]:
    labels: list[Element | None] = [None] * len(items)
    n = len(items)
    top = 0
    for i, item in enumerate(items[:4]):  # 份号, 密级, 紧急程度 head the page
        if re.fullmatch(r"\d{6}", item.text):
            labels[i], top = Element.COPY_NUMBER, i + 1
        elif SECRECY.fullmatch(item.text):
            labels[i], top = Element.SECRECY, i + 1
        elif item.text in ("特急", "加急"):
            labels[i], top = Element.URGENCY, i + 1
    number = next((i for i in range(top, min(n, top + 10)) if not items[i].is_table
                   and DOC_NUMBER_LIKE.search(items[i].text) and len(items[i].text) < 60), None)
    if number is not None:
        labels[number] = Element.DOC_NUMBER
        for i in range(top, number):
            labels[i] = Element.DOC_NUMBER if "签发人" in items[i].text else Element.MARK
    start = number + 1 if number is not None else top
    recipients = next((i for i in range(start, min(n, start + 8)) if _is_recipients(items[i])), None)
    if recipients is not None:
        labels[recipients] = Element.RECIPIENTS
        for i in range(start, recipients):
            labels[i] = Element.TITLE
    else:
        title = next((i for i in range(start, min(n, start + 4)) if TITLE_WORDS.search(items[i].text)), None)
        if title is not None:
            labels[title] = Element.TITLE
            recipients = title
    body_start = (recipients if recipients is not None else start - 1) + 1
    end = _foot(items, labels, body_start)
    for i in range(body_start, end):
        labels[i] = labels[i] or Element.BODY
    return labels


def _is_recipients(item: Item) -> bool:
    text = item.text
    return (not item.is_table and text.endswith(("：", ":")) and len(text) < 400 and not TYPED_MARKER.match(text)
            and not text.startswith("附件"))


def _foot(items: list[Item], labels: list[Element | None], start: int) -> int:
    """Label the 版记, 附件 pages, date, 署名, 附注 and 附件说明 from the end; returns where the body ends."""
    n = len(items)
    end = n
    while end > start and _is_imprint(items[end - 1]):
        end -= 1
        labels[end] = Element.IMPRINT
    date = next((i for i in range(end - 1, start - 1, -1) if _is_date(items[i].text)), None)
    if date is None:
        return end
    annex = date + 1
    if annex < end and re.fullmatch(r"（.*）|\(.*\)", items[annex].text):
        labels[annex] = Element.NOTE
        annex += 1
    for i in range(annex, end):  # after the date: the 附件 pages
        if re.fullmatch(r"附件\d*", items[i].text):
            labels[i] = Element.ATTACHMENT_LABEL
            if i + 1 < end:
                labels[i + 1] = Element.ATTACHMENT_TITLE
        elif labels[i] is None:
            labels[i] = Element.TABLE_TEXT if items[i].is_table else Element.BODY
    labels[date] = Element.DATE
    first = date
    while first - 1 >= start and date - first < 3 and _is_name(items[first - 1]):
        first -= 1
        labels[first] = Element.SIGNATURE
    note = first
    while note - 1 >= start and (items[note - 1].text.startswith("附件：")
                                 or (re.match(r"^\d+[.．、]", items[note - 1].text)
                                     and any(items[k].text.startswith("附件：") for k in range(start, note - 1)))):
        note -= 1
        if items[note].text.startswith("附件："):
            break
    if note < first and items[note].text.startswith("附件："):
        for i in range(note, first):
            labels[i] = Element.ATTACHMENT_NOTE
        return note
    return first


def _is_imprint(item: Item) -> bool:
    if item.is_table:
        return bool(_imprint_rows(item))
    return item.text.startswith("抄送：") or bool(re.search(r"\d{4}年\d{1,2}月\d{1,2}日印发$", item.text))


def _imprint_rows(item: Item) -> bool:
    cells = [c for row in item.rows for c in row if c]
    return bool(cells) and all(c.startswith("抄送：") or c.endswith("印发") or len(c) < 30 for c in cells) \
        and any(c.startswith("抄送：") or c.endswith("印发") for c in cells)


def _is_date(text: str) -> bool:
    return bool(CN_DATE.match(text) or CN_NUMERAL_DATE.fullmatch(text))


def _is_name(item: Item) -> bool:
    text = item.text
    return not item.is_table and 2 <= len(text) <= 30 and not re.search(r"[，。；：、！？]", text) \
        and not TYPED_MARKER.match(text)


# --- assembly ----------------------------------------------------------------------------------------


def _assemble(items: list[Item], labels: list[Element | None]) -> Draft:
    draft = Draft()
    annex: Annex | None = None
    text: Transmitted | None = None  # a transmitted text being read
    closed = False  # the 落款 has been read: a title now starts a transmitted text
    for item, label in zip(items, labels, strict=True):
        if label is Element.IMPRINT:
            _imprint(draft, item)
        elif label is Element.ATTACHMENT_LABEL:
            annex = Annex()
            draft.annexes.append(annex)
        elif label is Element.ATTACHMENT_TITLE and annex is not None:
            annex.title = item.text
        elif annex is not None:
            annex.items.append(item)
        elif label is Element.COPY_NUMBER:
            draft.copy_number = item.text
        elif label is Element.SECRECY:
            draft.secrecy = item.text
        elif label is Element.URGENCY:
            draft.urgency = item.text
        elif label is Element.MARK:
            draft.mark.append(item.text)
        elif label is Element.DOC_NUMBER:
            _doc_number(draft, item)
        elif label is Element.TITLE:
            lines = item.lines or [item.text]
            if closed:
                text = Transmitted(title_lines=lines)
                draft.transmitted.append(text)
            else:
                draft.title_lines.extend(lines)
        elif label is Element.RECIPIENTS:
            draft.recipients = item.text
        elif label is Element.ATTACHMENT_NOTE:
            (text.attachment_note if text else draft.attachment_note).append(item.text)
        elif label is Element.SIGNATURE:
            draft.signature.append(item.text)
        elif label is Element.DATE:
            draft.date, closed = item.text, True
        elif label is Element.NOTE:
            draft.note = item.text
        elif text is not None:
            text.body.append(item)
        elif not closed:
            draft.body.append(item)
    return draft


def _doc_number(draft: Draft, item: Item) -> None:
    """A 发文字号, or a 上行文 line holding it and the 签发人 (签发人：甲　乙)."""
    text = item.text
    found = DOC_NUMBER_LIKE.search(text)
    if found:
        draft.doc_number = found.group(0)
        text = text.replace(found.group(0), "")
    if "签发人" in text or draft.signers:
        names = re.sub(r"签发人[:：]?", " ", text)
        draft.signers.extend(n for n in re.split(r"[\s\u3000、，]+", names) if n)


def _imprint(draft: Draft, item: Item) -> None:
    cells = [c for row in item.rows for c in row if c] if item.is_table else [item.text]
    for cell in cells:
        issued = re.search(r"(\d{4}年\d{1,2}月\d{1,2}日)印发$", cell)
        if cell.startswith("抄送："):
            draft.copy_to = [c for c in re.split(r"[，、]", cell.removeprefix("抄送：").rstrip("。")) if c]
        elif issued:
            draft.imprint_date = issued.group(1)
            organ = cell[:issued.start()].strip()
            if organ:
                draft.imprint_organ = organ
        elif cell:
            draft.imprint_organ = cell


def heading_level(text: str) -> int:
    """The 序号 level a text starts with, as printed (一、 （一） 1. （1）) or typed (1、 (1))."""
    normal = text.replace("(", "（").replace(")", "）")
    for level, pattern in MARKERS.items():
        if pattern.match(normal) or (level == 3 and re.match(r"^\d+、", normal)):
            return level
    return 0


def strip_marker(text: str) -> str:
    return TYPED_MARKER.sub("", text, count=1).lstrip()


def is_heading_like(item: Item) -> bool:
    """Typed as a heading: bold, or short with no sentence in it."""
    return item.bold or item.heading > 0 or (len(item.text) <= 40 and not SENTENCE.search(item.text))
