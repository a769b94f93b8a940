"""circular import: a Word or WPS draft -> data/SET/notice.yaml and its Markdown files.

reader.py turns the .docx into items (pandoc's docx reader), recognise.py says which element each
is; here the parts become our data: typed 序号 become Markdown headings and lists (we number),
tables become Markdown tables, the 附件说明 names attachment files, the 版记 the imprint. What the
draft does not say is written as 待填 with a comment naming where it was looked for, so lint and
build report it at its line.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from ..errors import CircularError, Where, display_path
from ..grammar import Element, length_in_chars
from ..model import Organ
from ..names import safe_name
from .reader import Item, read
from .recognise import Annex, Draft, Transmitted, heading_level, is_heading_like, recognise, strip_marker

TODO = "待填"
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def import_docx(draft_path: Path, data_dir: Path, set_name: str, organs: dict[str, Organ]) -> Path:
    """Write data/<set_name>/ from the draft; returns the folder. Nothing is overwritten: an existing
    folder is refused, and the folder appears whole or not at all."""
    target = data_dir / set_name
    if target.exists() or target.is_symlink():
        raise CircularError(Where(display_path(target)), "这个公文目录已经存在，导入不会覆盖它",
                            "请换一个目录名，例如 circular import 草稿.docx 2013-09")
    draft = recognise(read(draft_path))
    if not draft.date and not draft.recipients and draft.title_lines and not draft.transmitted:
        # a text with no 主送 and no 落款 (a 工作要点 on its own): the text a notice transmits
        draft.transmitted.append(Transmitted(draft.title_lines, draft.body, draft.attachment_note))
        draft.title_lines, draft.body, draft.attachment_note = [], [], []
    files = _files(draft, organs, draft_path.name)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{set_name}.import-", dir=data_dir))
    try:
        for name, content in files.items():
            (staging / name).write_text(content, encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


# --- notice.yaml -------------------------------------------------------------------------------


def _files(draft: Draft, organs: dict[str, Organ], source: str) -> dict[str, str]:
    files: dict[str, str] = {}
    notice = CommentedMap()
    organ, letter = _organ(draft, organs)
    where = f"草稿《{source}》"
    _put(notice, "organ", organ.name if organ else TODO,
         None if organ else f"{where}的发文机关标志“{'　'.join(draft.mark) or '（无）'}”不在 organs.yaml 中；"
                            f"请写 organs.yaml 中的机关全称")
    if letter:
        notice["format"] = "letter"
    _put(notice, "doc_number", draft.doc_number or TODO,
         None if draft.doc_number else f"{where}版头中未找到发文字号；请写登记过的号，或用 circular new 取号")
    if draft.signers:
        notice["signers"] = draft.signers
    for key in ("copy_number", "secrecy", "urgency"):
        if getattr(draft, key):
            notice[key] = getattr(draft, key)
    title = "".join(draft.title_lines)
    _put(notice, "title", title or TODO, None if title else f"{where}开头未找到标题（“关于……的通知”式的一行或几行）")
    if len(draft.title_lines) > 1 and all(length_in_chars(line) <= 20 for line in draft.title_lines):
        notice["title_lines"] = draft.title_lines
    recipients = [r for r in re.split(r"[，,]", draft.recipients.rstrip("：:")) if r]
    _put(notice, "recipients", recipients or [TODO],
         None if recipients else f"{where}标题之后未找到以“：”结尾的主送机关行")
    body = _markdown(draft.body)
    _put(notice, "body", LiteralScalarString(body + "\n") if body else TODO,
         None if body else f"{where}主送机关与落款之间没有正文")
    names = [organ.name] if organ else []  # the default 署名, in 信函 too
    if draft.signature and draft.signature != names:
        notice["signature"] = draft.signature[0] if len(draft.signature) == 1 else draft.signature
    _put(notice, "date", draft.date or TODO,
         None if draft.date else f"{where}末尾未找到“2013年3月1日”式的成文日期")
    if draft.note:
        notice["note"] = draft.note
    attachments = _annex_files(draft.attachment_note, draft.annexes, files)
    if attachments:
        notice["attachments"] = attachments
    transmits = []
    for text in draft.transmitted:
        name = safe_name("".join(text.title_lines)) + ".md"
        files[name] = _transmitted(text, _annex_files(text.attachment_note, draft.annexes, files))
        transmits.append(name)
    if transmits:
        notice["transmits"] = transmits
    if draft.imprint_date or draft.copy_to or not letter:  # a 文件格式 公文 has a 版记
        imprint = CommentedMap()
        if draft.imprint_organ and (not organ or draft.imprint_organ != organ.imprint_organ):
            imprint["organ"] = draft.imprint_organ
        if draft.imprint_date:
            imprint["date"] = draft.imprint_date
        elif draft.date:  # a draft seldom has its 版记 yet: issued the day it is dated, until told otherwise
            _put(imprint, "date", draft.date, f"{where}没有版记，印发日期暂取成文日期，请核对")
        else:
            _put(imprint, "date", TODO, f"{where}末页未找到版记的“……印发”一行")
        if draft.copy_to:
            imprint["copy_to"] = draft.copy_to
        notice["imprint"] = imprint
    out = io.StringIO()
    out.write(f"# 由 {source} 导入（circular import）。标有“{TODO}”的地方草稿中没有找到，"
              "请补上后运行 make circular。\n")
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.dump(notice, out)
    files["notice.yaml"] = out.getvalue()
    return files


def _put(mapping: CommentedMap, key: str, value: Any, missing: str | None) -> None:
    mapping[key] = value
    if missing:
        mapping.yaml_add_eol_comment(missing, key)


def _organ(draft: Draft, organs: dict[str, Organ]) -> tuple[Organ | None, bool]:
    """The organ whose 发文机关标志 (or 信函 mark, or name) the draft's mark is; and whether it is the
    信函 mark. Without a mark, the 署名 may name it."""
    mark = "".join(draft.mark)
    for organ in organs.values():
        if mark and mark in (organ.mark, organ.name, organ.mark.removesuffix("文件")):
            return organ, False
        if mark and mark == organ.letter_mark:
            return organ, True
    for organ in organs.values():
        if draft.signature and draft.signature[0] == organ.name:
            return organ, False
    return None, False


def _annex_files(note: list[str], annexes: list[Annex], files: dict[str, str]) -> list[str]:
    """The attachments a 附件说明 names, each a Markdown file with the 附件 page's content when the
    draft has it (matched by title), else a stub for the writer to fill."""
    names = _note_names(note)
    out = []
    for title in names:
        annex = next((a for a in annexes if a.title == title), None)
        body = _markdown(annex.items) if annex else ""
        if not body:
            body = f"{TODO}（草稿中没有附件“{title}”的内容页；请补上，或把附件文件放在这个目录中）"
        name = safe_name(title) + ".md"
        numbering = _numbering(annex.items) if annex else ""
        front = f"title: {_yaml_str(title)}\n" + (f"numbering: {numbering}\n" if numbering else "")
        files[name] = f"---\n{front}---\n{body}\n"
        out.append(name)
    return out


def _note_names(note: list[str]) -> list[str]:
    names = []
    for line in note:
        text = line.removeprefix("附件：").strip()
        text = re.sub(r"^\d+[.．、]\s*", "", text)
        if text:
            names.append(text.rstrip("。；;，,"))
    return names


def _transmitted(text: Transmitted, attachments: list[str]) -> str:
    front = ["---", f"title: {_yaml_str(''.join(text.title_lines))}"]
    if len(text.title_lines) > 1:
        front.append("title_lines:")
        front.extend(f"  - {_yaml_str(line)}" for line in text.title_lines)
    if numbering := _numbering(text.body):
        front.append(f"numbering: {numbering}")
    if attachments:
        front.append("attachments:")
        front.extend(f"  - {_yaml_str(name)}" for name in attachments)
    front.append("---")
    return "\n".join(front) + "\n" + _markdown(text.body) + "\n"


def _yaml_str(text: str) -> str:
    out = io.StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.dump(text, out)
    return out.getvalue().removesuffix("\n...\n").strip()


# --- body -> Markdown -------------------------------------------------------------------------------


def _markdown(items: list[Item]) -> str:
    """Typed 序号 become headings (一、→ #, （一）→ ##, short 1. → ###, short （1）→ ####) or list items
    (a 1. paragraph, Word's numbered lists), their numbers dropped: the writer numbers them."""
    blocks: list[str] = []
    in_list = False
    for item in items:
        if item.is_table:
            blocks.append(_table(item.rows))
            in_list = False
            continue
        kind, level = _kind(item)
        if kind == "heading":
            blocks.append("#" * level + " " + _escape(strip_marker(item.text)))
            in_list = False
        elif kind == "item":
            body = strip_marker(item.text) if level else item.text
            line = f"1. {_escape(body)}"  # one level: the writer numbers by the heading above
            if in_list:
                blocks[-1] += "\n" + line
            else:
                blocks.append(line)
            in_list = True
        else:
            blocks.append(_escape(item.text))
            in_list = False
    return "\n\n".join(blocks)


def _kind(item: Item) -> tuple[str, int]:
    """heading, item (of a numbered list) or paragraph, with its level. Our styles say which; a
    draft's typed 序号 and look decide."""
    marker = heading_level(item.text)
    style = Element.of_style(style_name=item.style) if item.style else None
    if style is not None:
        styled_level = next((n for n in range(1, 5) if style is Element.heading(n)), 0)
        if styled_level and marker:
            return "heading", styled_level
        return ("item", marker) if marker in (3, 4) else ("paragraph", 0)
    if marker in (1, 2) or (marker in (3, 4) and is_heading_like(item) and not item.listed):
        return "heading", marker
    if marker in (3, 4) or item.listed:
        return "item", marker
    return "paragraph", 0


def _numbering(items: list[Item]) -> str:
    """How the draft's run-in 1. 2. numbers count: "continuous" across sections (a 工作要点's way),
    "by-list" when they start again at 1 after a plain paragraph, else "" (by section, the default)."""
    last, after_section, after_paragraph = 0, False, False
    continuous = by_list = False
    for item in items:
        kind, level = _kind(item)
        if kind == "heading":
            after_section, after_paragraph = last > 0, False
            continue
        if kind != "item" or level != 3:
            after_paragraph = kind == "paragraph" and last > 0
            continue
        found = re.match(r"^(\d+)[.．、]", item.text)
        number = int(found.group(1)) if found else last + 1
        continuous = continuous or (after_section and number == last + 1 and number > 1)
        by_list = by_list or (after_paragraph and number == 1)
        after_section = after_paragraph = False
        last = number
    return "continuous" if continuous else "by-list" if by_list else ""


def _escape(text: str) -> str:
    """Text as Markdown that reads back as itself (no emphasis, links or headings by accident)."""
    text = MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def _table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    cells = [[_escape(c) for c in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)
