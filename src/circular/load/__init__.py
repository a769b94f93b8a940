"""load: data/ (YAML + Markdown) -> validated model, every error tied to file:line."""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Where, display_path
from ..grammar import Kind, marker
from ..layout import House, Layout
from ..model import (
    Attachment,
    Gongwen,
    Header,
    Heading,
    Imprint,
    IssueDate,
    Organ,
    Paragraph,
    Signature,
    Text,
)
from .invitations import (
    INVITATION_TEMPLATE,
    RECEIPT_TEMPLATE,
    REGIONS_FILE,
    REGISTER_FILE,
    PendingInvitation,
    Recipients,
    Register,
    invitation,
)
from .markdown import body_tokens, split_front_matter, to_blocks
from .schema import SCHEDULE_TEXT, FrontMatter, Meeting, NoticeFile, OrgansFile, ScheduleFile
from .yamlsrc import Each, Located, parse_yaml, read_bytes, read_text, validate

ORGANS_FILE = "organs.yaml"
HOUSE_FILE = "house.yaml"
NOTICE_FILE = "notice.yaml"


@dataclass(frozen=True)
class DocumentSet:
    """One folder under data/: a notice and the documents built from it."""

    name: str
    loaded: tuple[Gongwen, ...]
    pending: tuple[PendingInvitation, ...] = ()

    def planned(self) -> Iterator[Gongwen | PendingInvitation]:
        """Every document, invitations not yet written (see :class:`PendingInvitation`)."""
        yield from self.loaded
        yield from self.pending

    @property
    def documents(self) -> tuple[Gongwen, ...]:
        """Every document written out (lint and review want them all at once)."""
        return self.loaded + tuple(p.build() for p in self.pending)


def load_layout(data_dir: Path) -> Layout:
    """House rules (data/house.yaml, key ``layout``) over the GB/T 9704 defaults. Only font names
    and the red line's weight and colour are house rules; the standard's numbers are not."""
    path = data_dir / HOUSE_FILE
    if not path.exists():
        return Layout()
    doc = parse_yaml(path)
    if not isinstance(doc.data, dict) or set(doc.data) - {"layout"}:
        raise DataError(doc.where(), "house.yaml 只能包含 layout: 一项", "例如 layout: {fonts: {body: 仿宋_GB2312}}")
    if "layout" not in doc.data:
        return Layout()
    settings = doc.data["layout"]
    if isinstance(settings, dict):
        for key in settings:
            if key not in House.model_fields and key in Layout.model_fields:
                raise DataError(doc.key_where(("layout",), key),
                                f"house.yaml 不能修改“{key}”：这是 GB/T 9704 规定或校准的数值",
                                "本单位可改的只有 fonts（字体名称）和 header 中红线的粗细与颜色")
    return Layout.for_house(validate(House, doc, ("layout",)))


def load_organs(data_dir: Path) -> dict[str, Organ]:
    doc = parse_yaml(data_dir / ORGANS_FILE)
    parsed = validate(OrgansFile, doc)
    return {
        name: Organ(name=name, mark=o.mark, code=o.code, imprint_organ=o.imprint_organ,
                    letter_mark=o.letter_mark or o.imprint_organ, letter_code=o.letter_code or f"{o.code}函")
        for name, o in parsed.organs.items()
    }


@dataclass
class Shared:
    """Reference data every document set reads."""

    organs: dict[str, Organ]
    register: Register
    recipients: Recipients | None
    templates: Path
    data_dir: Path


def load_all(data_dir: Path, register: Register | None = None) -> list[DocumentSet]:
    """Every document set under data/: each folder holding a notice.yaml."""
    if not data_dir.is_dir():
        raise DataError(Where(display_path(data_dir)), "数据目录不存在", "请在项目根目录运行，或用 --data 指定目录")
    regions = data_dir / REGIONS_FILE
    shared = Shared(
        organs=load_organs(data_dir),
        register=register or Register.load(data_dir / REGISTER_FILE),
        recipients=Recipients.load(regions) if regions.exists() else None,
        templates=data_dir.resolve().parent / "templates",
        data_dir=data_dir,
    )
    sets = []
    for notice in sorted(data_dir.glob(f"*/{NOTICE_FILE}")):
        sets.append(load_notice_set(notice, shared))
    return sets


def load_notice_set(path: Path, shared: Shared) -> DocumentSet:
    """The numbered notice (kind ``circular``), a standalone document per transmitted text, and
    a 会议通知 per meeting of its schedules that carries an invitation."""
    doc = parse_yaml(path)
    notice = validate(NoticeFile, doc)
    organ = _organ(notice.organ, shared.organs, doc)
    set_name = path.parent.name
    shared.register.claim(f"{set_name}/notice", notice.doc_number, doc.where(("doc_number",)))
    offset = _block_offset(doc, "body")
    body = to_blocks(body_tokens(notice.body, doc.path, offset), doc.path, offset)
    sources = [display_path(path.parent.parent / ORGANS_FILE), doc.path]
    texts = []
    standalone = []
    meetings: list[tuple[Meeting, Where, str]] = []
    for i, name in enumerate(notice.transmits):
        text, meta, text_sources = load_text(_sibling(path, name, doc, ("transmits", i)), meetings)
        texts.append(text)
        sources.extend(s for s in text_sources if s not in sources)
        standalone.append((text, meta, text_sources))
    _unique_meetings(meetings)
    seal = ""
    if notice.seal:
        seal_path = _sibling(path, notice.seal, doc, ("seal",))
        check_seal(seal_path, doc.where(("seal",)))
        seal = str(seal_path)
        sources.append(display_path(seal_path))
    circular = Gongwen(
        kind=Kind.CIRCULAR,
        main=Text(notice.title, body, tuple(notice.title_lines), where=doc.where(("title",))),
        header=Header(
            mark=organ.mark,
            doc_number=notice.doc_number,
            copy_number=notice.copy_number,
            secrecy=notice.secrecy,
            urgency=notice.urgency,
        ),
        recipients=tuple(notice.recipients),
        signature=Signature((notice.signature or organ.name,), notice.date, seal),
        note=notice.note,
        transmitted=tuple(texts),
        imprint=Imprint(
            organ=notice.imprint.organ or organ.imprint_organ,
            date=notice.imprint.date,
            copy_to=tuple(notice.imprint.copy_to),
        ),
        author=organ.name,
        sources=tuple(sources),
        slug=f"{notice.doc_number}_{notice.title}",
    )
    docs = [circular]
    for text, meta, text_sources in standalone:
        docs.append(
            Gongwen(
                kind=Kind(meta.kind),
                main=text,
                author=organ.name,
                dated=notice.date,
                sources=(display_path(path.parent.parent / ORGANS_FILE), doc.path, *text_sources),
                slug=text.title,
            )
        )
    pending = []
    templates = (display_path(shared.templates / INVITATION_TEMPLATE),
                 display_path(shared.templates / RECEIPT_TEMPLATE))
    invitation_sources: dict[str, tuple[str, ...]] = {}  # one tuple per schedule file, shared by its meetings
    for meeting, where, schedule in meetings:
        if meeting.invitation is None:
            continue
        if shared.recipients is None:
            raise DataError(where, f"会议“{meeting.text}”要发通知，但没有 {REGIONS_FILE}",
                            f"请在 {display_path(shared.data_dir)} 中建立 {REGIONS_FILE}")
        meeting_sources = invitation_sources.setdefault(schedule, (
            display_path(shared.data_dir / ORGANS_FILE), display_path(shared.data_dir / REGIONS_FILE),
            display_path(shared.data_dir / REGISTER_FILE), schedule, *templates))
        pending.append(invitation(set_name, meeting, where, organ, shared.recipients, shared.register,
                                  shared.templates, meeting_sources))
    return DocumentSet(set_name, tuple(docs), tuple(pending))


def _unique_meetings(meetings: list[tuple[Meeting, Where, str]]) -> None:
    """Meeting ids key the 发文登记 within a set: two meetings with one id would share a 发文字号.
    The same file attached twice names the same meetings, which count once."""
    seen: dict[str, Where] = {}
    kept = []
    for meeting, where, schedule in meetings:
        if meeting.id is None:
            kept.append((meeting, where, schedule))
            continue
        first = seen.get(meeting.id)
        if first == where:
            continue
        if first is not None:
            raise DataError(where, f"会议 id“{meeting.id}”重复（另见 {first}）",
                            "同一组文件中每个会议的 id 须不同：它是发文登记中的编号依据")
        seen[meeting.id] = where
        kept.append((meeting, where, schedule))
    meetings[:] = kept


def check_seal(path: Path, where: Where) -> None:
    """A seal is a picture Word can show: PNG, JPEG, GIF, BMP or TIFF, not empty, not enormous."""
    from PIL import Image, UnidentifiedImageError

    data = read_bytes(path, limit=MAX_SEAL_BYTES)
    fix = "印章须是 PNG（推荐，背景透明）或 JPEG 图片"
    if not data:
        raise DataError(where, f"印章文件“{path.name}”是空的", fix)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise DataError(where, f"印章文件“{path.name}”不是可用的图片", fix) from None
    if kind not in SEAL_FORMATS:
        raise DataError(where, f"印章文件“{path.name}”的格式（{kind}）Word 不能显示", fix)
    if size[0] * size[1] > MAX_SEAL_PIXELS or min(size) < 1:
        raise DataError(where, f"印章图片尺寸不合适（{size[0]}×{size[1]} 像素）", "用 300–2000 像素见方的图片即可")


MAX_SEAL_BYTES = 20 * 1024 * 1024
MAX_SEAL_PIXELS = 40_000_000
SEAL_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}


def load_text(path: Path, meetings: list | None = None,
              chain: tuple[Path, ...] = ()) -> tuple[Text, FrontMatter, list[str]]:
    """A Markdown text with front matter (title, numbering, attachments); schedules' meetings are
    appended to ``meetings``. ``chain`` holds the texts whose attachments led here (cycles)."""
    where = Where(display_path(path), 1, 1)
    fm_text, fm_offset, tokens = split_front_matter(read_text(path), where.path)
    if fm_text is None:
        raise DataError(where, "缺少开头的元数据块", "请在文件开头用 --- 包起 title: 等字段")
    meta_doc = parse_yaml(path, fm_text, line_offset=fm_offset)
    meta = validate(FrontMatter, meta_doc)
    blocks = to_blocks(tokens, where.path, continuous=meta.numbering == "continuous")
    if not blocks:
        raise DataError(where, "正文为空", "请在元数据块之后写正文")
    sources = [where.path]
    attachments = []
    chain = (*chain, path.resolve())
    for i, name in enumerate(meta.attachments):
        att_path = _sibling(path, name, meta_doc, ("attachments", i))
        if att_path in chain:
            loop = " → ".join(p.name for p in (*chain[chain.index(att_path):], att_path))
            raise DataError(meta_doc.where(("attachments", i)), f"附件引用形成了循环（{loop}）",
                            "一个文件不能直接或间接把自己列为附件")
        attachments.append(load_attachment(att_path, meetings, chain))
        sources.append(display_path(att_path))
    return (
        Text(meta.title, blocks, tuple(meta.title_lines), tuple(attachments), meta_doc.where(("title",))),
        meta,
        sources,
    )


def load_attachment(path: Path, meetings: list | None = None, chain: tuple[Path, ...] = ()) -> Attachment:
    if path.suffix in (".yaml", ".yml"):
        return load_schedule(path, meetings)
    text, _, _ = load_text(path, meetings, chain)
    return Attachment(text.title, text.body, text.where)


def load_schedule(path: Path, meetings: list | None = None) -> Attachment:
    """会议与活动计划安排: quarters of numbered items; meetings carry their place."""
    doc, schedule, items = read_schedule(path)
    blocks: list = []
    numbers: dict[int, int] = {}
    for qi, item, where in items:
        if qi not in numbers:
            blocks.append(Heading(1, schedule.quarters[qi].name, "", doc.where(("quarters", qi, "name"))))
        numbers[qi] = numbers.get(qi, 0) + 1
        text = f"{item.text}（地点：{item.place}）" if isinstance(item, Meeting) else item
        blocks.append(Paragraph(text, marker(3, numbers[qi]), 3, where))
        if isinstance(item, Meeting) and meetings is not None:
            meetings.append((item, where, doc.path))
    if schedule.note:
        blocks.append(Paragraph(f"注：{schedule.note.strip()}", where=doc.where(("note",))))
    return Attachment(schedule.title, tuple(blocks), doc.where(("title",)))


def read_schedule(path: Path) -> tuple[Located, ScheduleFile, list[tuple[int, Meeting | str, Where]]]:
    """A schedule file and its items (quarter index, item, position), each item checked as the
    file is read and its raw YAML dropped: 10,000 meetings are never held as raw YAML and as
    models together. A mapping is always a meeting, so its errors speak of meeting fields."""
    items: list[tuple[int, Meeting | str, Where]] = []

    def check(doc: Located, loc: tuple) -> None:
        raw = doc.data["quarters"][loc[1]]["items"][loc[3]]
        items.append((loc[1], validate(Meeting if isinstance(raw, dict) else SCHEDULE_TEXT, doc, loc), doc.where(loc)))

    doc = parse_yaml(path, each=Each(("quarters", None, "items"), check))
    return doc, validate(ScheduleFile, doc), items


def _organ(name: str, organs: dict[str, Organ], doc: Located) -> Organ:
    if name in organs:
        return organs[name]
    close = difflib.get_close_matches(name, list(organs), n=1, cutoff=0.4)
    fix = f"是否应为“{close[0]}”？" if close else f"请先在 {ORGANS_FILE} 中登记该机关"
    raise DataError(doc.where(("organ",)), f"未知的发文机关“{name}”", fix)


def _sibling(base: Path, name: str, doc: Located, loc: tuple) -> Path:
    """A file named in data, resolved next to ``base`` and kept inside its folder."""
    folder = base.parent.resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder):
        raise DataError(doc.where(loc), f"路径“{name}”指向数据目录之外", "只能引用同一目录下的文件")
    if not path.is_file():
        raise DataError(doc.where(loc), f"找不到文件“{name}”", f"请确认它在 {display_path(folder)} 中")
    return path


def _block_offset(doc: Located, key: str) -> int:
    """Line offset of a Markdown value inside YAML (block scalars start one line below the key)."""
    line = doc.where((key,)).line
    if doc.is_block_text(key):
        return line  # content starts on the next line; to_blocks adds 1-based lines
    return line - 1


__all__ = ["DocumentSet", "IssueDate", "Register", "load_all", "load_layout", "load_notice_set", "load_organs",
           "read_schedule"]
