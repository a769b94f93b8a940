"""load: data/ (YAML + Markdown) -> validated model, every error tied to file:line."""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Gather, Where, display_path
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
    SignedBy,
    Text,
)
from ..project import REGISTER_FILE
from .invitations import (
    INVITATION_TEMPLATE,
    RECEIPT_TEMPLATE,
    REGIONS_FILE,
    PendingInvitation,
    Recipients,
    Register,
    invitation,
    template_file,
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
    bag = Gather()  # a mistake in one set does not hide those of the next
    for notice in sorted(data_dir.glob(f"*/{NOTICE_FILE}")):
        with bag.step():
            sets.append(load_notice_set(notice, shared))
    bag.check()
    return sets


def load_notice_set(path: Path, shared: Shared) -> DocumentSet:
    """The 公文 of a set (kind ``circular``, ``minutes`` or ``order``), a standalone document per
    transmitted text, and a 会议通知 per meeting of its schedules that carries an invitation."""
    doc = parse_yaml(path)
    try:
        notice = validate(NoticeFile, doc)
    except DataError as exc:
        bag = Gather()
        bag.errors.append(exc)
        _read_listed_files(path, doc, bag)
        bag.check()
        raise
    organs = _organs(notice, shared.organs, doc)
    _check_kind(notice, organs, doc)
    set_name = path.parent.name
    if notice.doc_number:
        shared.register.claim(f"{set_name}/notice", notice.doc_number, doc.where(("doc_number",)))
    offset = _block_offset(doc, "body")
    body = to_blocks(body_tokens(notice.body, doc.path, offset), doc.path, offset)
    sources = [display_path(path.parent.parent / ORGANS_FILE), doc.path]
    meetings: list[tuple[Meeting, Where, str]] = []
    own = []
    bag = Gather()  # every attachment and transmitted text is read, and all their mistakes reported
    for i, name in enumerate(notice.attachments):
        with bag.step():
            att_path = _sibling(path, name, doc, ("attachments", i))
            own.append(load_attachment(att_path, meetings, (path.resolve(),)))
            sources.append(display_path(att_path))
    texts = []
    standalone = []
    for i, name in enumerate(notice.transmits):
        with bag.step():
            text, meta, text_sources = load_text(_sibling(path, name, doc, ("transmits", i)), meetings)
            texts.append(text)
            sources.extend(s for s in text_sources if s not in sources)
            standalone.append((text, meta, text_sources))
    bag.check()
    _unique_meetings(meetings)
    host = organs[0]
    header = _header(notice, organs)
    title = notice.title or ""
    main = Gongwen(
        kind=Kind.CIRCULAR if notice.kind == "notice" else Kind(notice.kind),
        format="letter" if notice.format == "letter" else {"notice": "document"}.get(notice.kind, notice.kind),
        main=Text(title, body, tuple(notice.title_lines), tuple(own), where=doc.where(("title",))),
        header=header,
        recipients=tuple(notice.recipients),
        signature=_signature(notice, organs, path, doc, sources),
        signed_by=_signed_by(notice, path, doc, sources),
        attendance=_attendance(notice),
        note=notice.note,
        transmitted=tuple(texts),
        imprint=Imprint(organ=notice.imprint.organ or host.imprint_organ, date=notice.imprint.date,
                        copy_to=tuple(notice.imprint.copy_to)) if notice.imprint else None,
        author=host.name,
        dated=notice.date,
        sources=tuple(sources),
        slug="_".join(filter(None, (str(notice.doc_number or ""), title or header.mark + header.order_number))),
    )
    docs = [main]
    for text, meta, text_sources in standalone:
        docs.append(
            Gongwen(
                kind=Kind(meta.kind),
                main=text,
                author=host.name,
                dated=notice.date,
                sources=(display_path(path.parent.parent / ORGANS_FILE), doc.path, *text_sources),
                slug=text.title,
            )
        )
    organ = host
    pending = []
    templates = (display_path(template_file(shared.templates, INVITATION_TEMPLATE)),
                 display_path(template_file(shared.templates, RECEIPT_TEMPLATE)))
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


def _read_listed_files(path: Path, doc: Located, bag: Gather) -> None:
    """notice.yaml did not validate: still read the attachments and texts it names, so their
    mistakes are reported in the same run."""
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, load in (("attachments", load_attachment), ("transmits", load_text)):
        names = data.get(key)
        for i, name in enumerate(names if isinstance(names, list) else []):
            if isinstance(name, str):
                with bag.step():
                    load(_sibling(path, name, doc, (key, i)), [])


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
    blocks = to_blocks(tokens, where.path, continuous=meta.numbering == "continuous",
                       by_list=meta.numbering == "by-list")
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


def _organs(notice: NoticeFile, organs: dict[str, Organ], doc: Located) -> list[Organ]:
    """The issuing organs, 主办机关 first (one, or several for a joint 公文)."""
    names = [notice.organ] if isinstance(notice.organ, str) else notice.organ
    found = []
    for i, name in enumerate(names):
        loc = ("organ",) if isinstance(notice.organ, str) else ("organ", i)
        if name not in organs:
            close = difflib.get_close_matches(name, list(organs), n=1, cutoff=0.4)
            fix = f"是否应为“{close[0]}”？" if close else f"请先在 {ORGANS_FILE} 中登记该机关"
            raise DataError(doc.where(loc), f"未知的发文机关“{name}”", fix)
        if organs[name] in found:
            raise DataError(doc.where(loc), f"发文机关“{name}”重复", "联合行文时每个机关只写一次")
        found.append(organs[name])
    return found


_KIND_NAMES = {"notice": "公文", "minutes": "纪要", "order": "命令（令）"}


def _check_kind(notice: NoticeFile, organs: list[Organ], doc: Located) -> None:
    """What each kind of 公文 needs and may not have, each refusal at its field."""
    kind = _KIND_NAMES[notice.kind]

    def need(field: str, fix: str) -> None:
        if getattr(notice, field):
            return
        if field in doc.data:  # written, but empty
            raise DataError(doc.where((field,)), f"字段“{field}”不能为空", fix)
        raise DataError(doc.where(()), f"{kind}缺少必填字段“{field}”", fix)

    def refuse(field: str, why: str) -> None:
        if getattr(notice, field):
            raise DataError(doc.key_where((), field), f"{kind}不用“{field}”：{why}", f"请删去 {field}:")

    if notice.kind == "notice":
        need("doc_number", "例如 doc_number: 渝教工委办〔2013〕8号")
        need("title", "例如 title: 关于……的通知")
        need("recipients", "主送机关写在 recipients: 下，每行一个")
    if notice.kind == "order":
        need("order_number", "例如 order_number: 第12号")
        need("signed_by", "签发人职务和签名章写在 signed_by: 下，例如 - {title: 市长, stamp: 签名章.png}")
        refuse("signature", "命令由签发人职务和签名章落款（signed_by）")
        refuse("seal", "命令加盖签发人签名章（signed_by 的 stamp）")
        if len(notice.signed_by) != len(organs):
            raise DataError(doc.where(("signed_by",)),
                            f"signed_by 有 {len(notice.signed_by)} 项，发文机关有 {len(organs)} 个",
                            "每个发文机关一位签发人，顺序与 organ 相同")
    if notice.kind == "minutes":
        refuse("signature", "纪要不署名（GB/T 9704 10.3）")
        refuse("seal", "纪要不加盖印章")
    if notice.kind != "notice":
        refuse("signers", "签发人只用于上行文的版头")
        if notice.format == "letter":
            raise DataError(doc.where(("format",)), f"{kind}不能用信函格式",
                            "信函格式只用于函件，请删去 format: letter")
    if notice.format == "letter":
        refuse("signers", "信函格式不标签发人")
    elif notice.imprint is None:
        need("imprint", "例如 imprint: {date: 2013年3月5日}（版记：印发日期，抄送机关写在 copy_to: 下）")
    if notice.secrecy and not notice.copy_number:
        raise DataError(doc.where(("secrecy",)), "标注密级的公文须标注份号",
                        "例如 copy_number: \"000023\"（六位阿拉伯数字）")
    for field in ("signature", "seal"):
        value = getattr(notice, field)
        if isinstance(value, list) and len(value) != len(organs):
            raise DataError(doc.where((field,)), f"{field} 有 {len(value)} 项，发文机关有 {len(organs)} 个",
                            "联合行文时每个发文机关一项，顺序与 organ 相同")
    if len(organs) > 1 and isinstance(notice.seal, str) and notice.seal:
        raise DataError(doc.where(("seal",)), "联合行文时每个发文机关一个印章", "把 seal: 写成列表，顺序与 organ 相同")


def _header(notice: NoticeFile, organs: list[Organ]) -> Header:
    """版头: the mark (stacked names for a joint 公文, the 主办机关's alone in a 信函), the numbers."""
    host = organs[0]
    letter = notice.format == "letter"
    joint: tuple[str, ...] = ()
    suffix = ""
    if len(organs) > 1 and not letter and notice.kind == "notice":
        marks = [o.mark for o in organs]
        suffix = "文件" if all(m.endswith("文件") for m in marks) else ""
        joint = tuple(m.removesuffix(suffix) if suffix else m for m in marks)
    default = {"minutes": f"{host.name}会议纪要", "order": f"{host.name}令"}.get(notice.kind, host.mark)
    return Header(
        mark=notice.mark or (host.letter_mark if letter else default),
        doc_number=notice.doc_number,
        copy_number=notice.copy_number or "",
        secrecy=notice.secrecy or "",
        urgency=notice.urgency or "",
        joint=joint,
        mark_suffix=suffix,
        signers=tuple(notice.signers),
        order_number=notice.order_number or "",
    )


def _signature(notice: NoticeFile, organs: list[Organ], path: Path, doc: Located,
               sources: list[str]) -> Signature | None:
    """署名 and 成文日期: one 署名 per organ; sealed when every organ has a seal."""
    if notice.kind != "notice":
        return None
    given = notice.signature
    names = [given] if isinstance(given, str) else given or [o.name for o in organs]
    seals = [notice.seal] if isinstance(notice.seal, str) else notice.seal
    paths = []
    for i, seal in enumerate(s for s in seals if s):
        loc = ("seal",) if isinstance(notice.seal, str) else ("seal", i)
        seal_path = _sibling(path, seal, doc, loc)
        check_seal(seal_path, doc.where(loc))
        paths.append(str(seal_path))
        sources.append(display_path(seal_path))
    return Signature(tuple(names), notice.date, tuple(paths))


def _signed_by(notice: NoticeFile, path: Path, doc: Located, sources: list[str]) -> tuple[SignedBy, ...]:
    """命令: each organ's signer, 职务 and 签名章 (or the name, printed)."""
    signed = []
    for i, signer in enumerate(notice.signed_by):
        stamp = ""
        if signer.stamp:
            stamp_path = _sibling(path, signer.stamp, doc, ("signed_by", i, "stamp"))
            check_seal(stamp_path, doc.where(("signed_by", i, "stamp")))
            stamp = str(stamp_path)
            sources.append(display_path(stamp_path))
        elif not signer.name:
            raise DataError(doc.where(("signed_by", i)), "签发人既无签名章也无姓名",
                            "请写 stamp: 签名章图片，或 name: 姓名")
        signed.append(SignedBy(signer.title, signer.name or "", stamp))
    return tuple(signed)


def _attendance(notice: NoticeFile) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """纪要: 出席, 请假, 列席 — each list that has names."""
    if notice.attendance is None:
        return ()
    lists = (("出席", notice.attendance.present), ("请假", notice.attendance.on_leave),
             ("列席", notice.attendance.observers))
    return tuple((label, tuple(names)) for label, names in lists if names)


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
