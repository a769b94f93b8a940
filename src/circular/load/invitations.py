"""会议通知: one per meeting of a schedule that carries an ``invitation``, numbered from the 发文登记."""

from __future__ import annotations

import difflib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from ..errors import DataError, Where, display_path
from ..grammar import Kind
from ..model import Attachment, DocNumber, Form, Gongwen, Header, Imprint, Organ, Signature, Text
from ..templating import render_markdown
from .markdown import body_tokens, to_blocks
from .schema import Meeting, RegionsFile, RegisterFile
from .yamlsrc import Located, parse_yaml, read_text, validate

REGIONS_FILE = "regions.yaml"
INVITATION_TEMPLATE = "invitation.md.j2"
RECEIPT_TEMPLATE = "回执.docx"
RECEIPT_TITLE = "参会回执"
# what the 回执 template may use (circular template check lists the rest as missing)
RECEIPT_FIELDS = {
    "meeting": "会议名称（去掉“召开”）",
    "reply_by": "回执截止日期",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "organ": "回执报送单位（办公室）",
}


@dataclass
class Register:
    """The 发文登记: which number went to which document. Numbers are never reused."""

    path: Path
    numbers: dict[str, DocNumber] = field(default_factory=dict)  # document key -> number
    added: list[tuple[str, DocNumber]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Register:
        register = cls(path)
        if not path.exists():
            return register
        doc = parse_yaml(path)
        parsed = validate(RegisterFile, doc)
        owners: dict[DocNumber, str] = {}
        for i, entry in enumerate(parsed.entries):
            where = doc.where(("entries", i))
            if entry.number in owners:
                raise DataError(where, f"发文字号“{entry.number}”已登记给 {owners[entry.number]}，不能重复使用",
                                "请改用未用过的序号")
            if entry.document in register.numbers:
                raise DataError(where, f"文件 {entry.document} 登记了两个发文字号", "一份文件只登记一个发文字号")
            owners[entry.number] = entry.document
            register.numbers[entry.document] = entry.number
        return register

    def claim(self, document: str, number: DocNumber, where: Where) -> None:
        """A number typed in data: it must be free or already this document's."""
        owner = next((d for d, n in self.numbers.items() if n == number), None)
        if owner is not None and owner != document:
            raise DataError(where, f"发文字号“{number}”已登记给 {owner}",
                            "请核对发文登记（register.yaml），改用未用过的序号")
        if document in self.numbers and self.numbers[document] != number:
            raise DataError(where, f"发文登记中本文件的发文字号是“{self.numbers[document]}”，与此处不符",
                            "请把两处改成一致")
        if document not in self.numbers:
            self._add(document, number)

    def allocate(self, document: str, code: str, year: int) -> DocNumber:
        """This document's number; a new one is the next free 序号 of its 代字 and year."""
        if document in self.numbers:
            return self.numbers[document]
        used = [n.seq for n in self.numbers.values() if n.code == code and n.year == year]
        number = DocNumber(code, year, max(used, default=0) + 1)
        self._add(document, number)
        return number

    def _add(self, document: str, number: DocNumber) -> None:
        self.numbers[document] = number
        self.added.append((document, number))

    def save(self) -> None:
        """Append the new entries, keeping the file's comments and order.

        The new entries are appended as text, in the file's own layout, when the result reads
        back as exactly the old entries plus the new ones; otherwise (a file laid out by hand) the
        whole file goes through ruamel's round trip, which holds it all in memory.
        """
        if not self.added:
            return
        new = [{"number": str(number), "document": document} for document, number in self.added]
        text = read_text(self.path) if self.path.exists() else ""
        updated = self._appended(text, new) or self._round_trip(text, new)
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        tmp.write_text(updated, encoding="utf-8")
        os.replace(tmp, self.path)
        self.added.clear()

    @staticmethod
    def _yaml() -> YAML:
        yaml = YAML()
        yaml.indent(mapping=2, sequence=4, offset=2)
        return yaml

    def _appended(self, text: str, new: list[dict[str, str]]) -> str | None:
        if not text.strip():
            return None
        try:
            data = parse_yaml(self.path, text).data
        except DataError:
            return None
        if not isinstance(data.get("entries"), list) or list(data)[-1] != "entries":
            return None
        count = len(data["entries"])
        del data  # a 10,000-entry register is not held twice
        items = io.StringIO()
        self._yaml().dump({"entries": new}, items)
        updated = text + ("" if text.endswith("\n") else "\n") + items.getvalue().split("\n", 1)[1]
        try:
            after = parse_yaml(self.path, updated).data.get("entries")
        except DataError:
            return None
        # the old text is unchanged, so its entries read the same unless the new lines changed how
        # it reads (a block scalar or flow list left open): then the count or the tail differs
        return updated if isinstance(after, list) and len(after) == count + len(new) and after[count:] == new else None

    def _round_trip(self, text: str, new: list[dict[str, str]]) -> str:
        yaml = self._yaml()
        data = yaml.load(text) if text.strip() else None
        if data is None:
            data = {"entries": []}
        if data.get("entries") is None:
            data["entries"] = []
        data["entries"].extend(new)
        out = io.StringIO()
        yaml.dump(data, out)
        return out.getvalue()


@dataclass(frozen=True)
class Recipients:
    regions: dict[str, tuple[str, ...]]  # one tuple per list, shared by every meeting sent to it
    groups: dict[str, tuple[str, ...]]
    doc: Located

    @classmethod
    def load(cls, path: Path) -> Recipients:
        doc = parse_yaml(path)
        parsed = validate(RegionsFile, doc)
        regions = {name: tuple(d.recipient for d in districts) for name, districts in parsed.regions.items()}
        seen: dict[str, str] = {}
        for region, districts in parsed.regions.items():
            for i, d in enumerate(districts):
                if d.name in seen:
                    raise DataError(doc.where(("regions", region, i)),
                                    f"区县“{d.name}”同时属于{seen[d.name]}和{region}",
                                    "一个区县只能归入一个片区")
                seen[d.name] = region
        return cls(regions, {k: tuple(v) for k, v in parsed.groups.items()}, doc)

    def of(self, meeting: Meeting, where: Where) -> tuple[str, tuple[str, ...]]:
        if meeting.region is not None:
            return meeting.region, self._pick(meeting.region, self.regions, "片区", where)
        group = meeting.group or ""  # the schema requires one of region and group
        return group, self._pick(group, self.groups, "参会名单", where)

    def _pick(self, name: str, table: dict[str, tuple[str, ...]], what: str, where: Where) -> tuple[str, ...]:
        if name in table:
            return table[name]
        close = difflib.get_close_matches(name, list(table), n=1, cutoff=0.3)
        fix = f"是否应为“{close[0]}”？" if close else f"可用的{what}：" + "、".join(table)
        raise DataError(where, f"未知的{what}“{name}”（{display_path(self.doc.path)} 中没有）", fix)


@dataclass(frozen=True, slots=True)
class PendingInvitation:
    """A 会议通知 checked and numbered, its text not yet written: ``build()`` renders the wording
    template and parses it. A build makes one at a time, so 10,000 meetings never hold 10,000
    models at once; the checked meeting waits as UTF-8 JSON (a quarter of the model's memory)."""

    meeting_json: bytes
    slug: str  # file name stem under out/<set>/
    where: Where
    organ: Organ
    number: DocNumber
    scope: str
    names: tuple[str, ...]
    templates: Path
    sources: tuple[str, ...]

    @property
    def kind(self) -> Kind:
        return Kind.INVITATION

    @property
    def meeting(self) -> Meeting:
        return Meeting.model_validate_json(self.meeting_json)

    def build(self) -> Gongwen:
        meeting, organ = self.meeting, self.organ
        inv = meeting.invitation
        assert inv is not None  # only meetings with an invitation become pending invitations
        letter = inv.format == "letter"
        template = template_file(self.templates, INVITATION_TEMPLATE)
        markdown = render_markdown(template, wording_context(meeting, organ))
        body = to_blocks(body_tokens(markdown, display_path(template)), display_path(template))
        receipt = template_file(self.templates, RECEIPT_TEMPLATE)
        values = {"meeting": meeting.text.removeprefix("召开"), "reply_by": str(inv.reply_by),
                  "contact_name": inv.contact.name, "contact_phone": inv.contact.phone, "organ": organ.imprint_organ}
        form = Form(str(receipt), tuple((key, values[key]) for key in RECEIPT_FIELDS))
        issuer = organ.imprint_organ if letter else organ.name
        return Gongwen(
            kind=self.kind,
            format=inv.format,
            main=Text(f"关于{meeting.text}的通知", body,
                      attachments=(Attachment(RECEIPT_TITLE, (), self.where, form),), where=self.where),
            header=Header(mark=organ.letter_mark if letter else organ.mark, doc_number=self.number),
            recipients=self.names,
            signature=Signature((issuer,), inv.issued),
            imprint=Imprint(organ=organ.imprint_organ, date=inv.issued, copy_to=tuple(inv.copy_to)),
            author=issuer,
            sources=self.sources,
            slug=self.slug,
            extra=(("region", self.scope), ("location", meeting.place), ("meeting", meeting.id or "")),
        )


def template_file(templates: Path, name: str) -> Path:
    """The project's template, or circular's own where the project has none (a data repository
    made by circular init may keep only the templates it changed)."""
    from ..init import default_template

    own = templates / name
    return own if own.exists() or own.is_symlink() else default_template(name)


def wording_context(meeting: Meeting, organ: Organ) -> dict:
    """What the wording template may use (made plain data by the renderer)."""
    return {"meeting": meeting, "inv": meeting.invitation, "organ": organ}


def invitation(set_name: str, meeting: Meeting, where: Where, organ: Organ, recipients: Recipients,
               register: Register, templates: Path, sources: tuple[str, ...]) -> PendingInvitation:
    """Check the meeting's recipients and templates, take its number from the 发文登记."""
    inv = meeting.invitation
    assert inv is not None  # the caller skips meetings without an invitation
    code = organ.letter_code if inv.format == "letter" else organ.code
    number = register.allocate(f"{set_name}/{meeting.id}", code, inv.issued.value.year)
    scope, names = recipients.of(meeting, where)
    receipt = template_file(templates, RECEIPT_TEMPLATE)
    if not receipt.is_file():
        raise DataError(Where(display_path(receipt)), "找不到参会回执模板", "请把 Word 模板放在 templates/回执.docx")
    slug = inv.file_name or f"会议通知_{scope}_{meeting.place}"
    return PendingInvitation(meeting.model_dump_json().encode(), slug, where, organ, number, scope, names,
                             templates, sources)

