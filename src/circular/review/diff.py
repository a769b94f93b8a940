"""What a change did to the issued documents: by 公文 element, character by character.

Chinese has no spaces, so word diffs are useless: changed lines get a character-level inline diff.
Documents are paired by their path in out/ (through the manifests); with PDFs on both sides the
pages where elements end are compared too.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .. import manifest as manifests
from .text import Entry, labelled

CONTEXT = 8  # characters of unchanged text shown around a change


@dataclass(frozen=True)
class Change:
    kind: str  # changed / added / removed
    element: str  # label, e.g. 成文日期, 正文 二/（一）/3
    old: str = ""
    new: str = ""
    pieces: tuple[tuple[str, str, str], ...] = ()  # (op, old text, new text) for changed lines

    def inline(self, deleted: str = "[-{}-]", inserted: str = "{{+{}+}}", escape=lambda s: s) -> str:
        if self.kind == "added":
            return inserted.format(escape(self.new))
        if self.kind == "removed":
            return deleted.format(escape(self.old))
        out: list[str] = []
        for op, old, new in self.pieces:
            if op == "equal":
                if len(old) > 2 * CONTEXT:
                    old = (old[:CONTEXT] if out else "") + "…" + old[-CONTEXT:]
                out.append(escape(old))
            else:
                if old:
                    out.append(deleted.format(escape(old)))
                if new:
                    out.append(inserted.format(escape(new)))
        return "".join(out)


@dataclass
class DocumentDiff:
    name: str
    status: str  # changed / added / removed / same
    title: str = ""
    changes: list[Change] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)  # page movement, in words
    old_pdf: str = ""
    new_pdf: str = ""
    sources: list[str] = field(default_factory=list)  # the data files the new side was made from
    bytes_only: bool = False  # the .docx bytes differ but not its words (layout, formatting, metadata)
    failures: list[str] = field(default_factory=list)  # circular check's FAIL lines on the new PDF


def char_pieces(old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    return tuple((op, old[i1:i2], new[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes())


def diff_entries(old: list[Entry], new: list[Entry]) -> list[Change]:
    """Align labelled lines; lines of the same element that differ become one inline change."""
    a, b = [e.line() for e in old], [e.line() for e in new]
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        by_label: dict[str, list[Entry]] = {}
        for e in news:
            by_label.setdefault(e.label, []).append(e)
        for e in olds:
            partner = by_label.get(e.label)
            if partner:
                n = partner.pop(0)
                changes.append(Change("changed", e.label, e.text, n.text, char_pieces(e.text, n.text)))
                news = [x for x in news if x is not n]
            else:
                changes.append(Change("removed", e.label, old=e.text))
        changes.extend(Change("added", e.label, new=e.text) for e in news)
    return changes


# --- pages --------------------------------------------------------------------------------------

_GROUPS = (("版头", ("发文机关标志", "发文字号", "份号", "密级", "紧急程度")), ("标题", ("标题",)),
           ("主送", ("主送",)), ("正文", ("正文",)), ("附件说明", ("附件说明",)), ("落款", ("署名", "成文日期")),
           ("附件", ("附件",)), ("版记", ("版记",)))


def _group(entry: Entry) -> str:
    for name, prefixes in _GROUPS:
        if any(entry.element.startswith(p) for p in prefixes):
            return name
    return ""


def element_pages(entries: list[Entry], pdf: Path) -> dict[str, int]:
    """The page on which each element group ends, found by its text in the rendered PDF."""
    from ..verify.pdf import PdfView

    with PdfView(pdf) as view:
        pages = [re.sub(r"\s+", "", "".join(r.text for r in p.rows)) for p in view.pages]
    starts = [sum(len(p) for p in pages[:k]) for k in range(len(pages))]
    text = "".join(pages)
    ends: dict[str, int] = {}
    cursor = 0  # reading position: a title quoted earlier (in the notice) is not the title itself
    for entry in entries:
        group = _group(entry)
        probe = re.sub(r"\s+", "", entry.text)[-12:]
        if not group or not probe or "{PAGE}" in probe:
            continue
        found = text.find(probe, cursor)
        if found >= 0:
            cursor = found + len(probe)
            ends[group] = bisect.bisect_right(starts, found)
    return ends


def page_moves(old: dict[str, int], new: dict[str, int]) -> list[str]:
    moves = []
    for name, _ in _GROUPS:
        if name in old and name in new and old[name] != new[name]:
            moves.append(f"{name}结束页：第{old[name]}页 → 第{new[name]}页")
        elif name in new and name not in old:
            moves.append(f"{name}：新出现在第{new[name]}页")
    return moves


# --- documents and folders --------------------------------------------------------------------


def diff_files(old: Path, new: Path, name: str = "", old_pdf: Path | None = None,
               new_pdf: Path | None = None, title: str = "") -> DocumentDiff:
    a, b = labelled(old), labelled(new)
    result = DocumentDiff(name or new.name, "same", title)
    result.changes = diff_entries(a, b)
    if old_pdf and new_pdf and old_pdf.exists() and new_pdf.exists():
        result.moves = page_moves(element_pages(a, old_pdf), element_pages(b, new_pdf))
        result.old_pdf, result.new_pdf = str(old_pdf), str(new_pdf)
    if result.changes or result.moves:
        result.status = "changed"
    return result


def diff_folders(old: Path, new: Path) -> list[DocumentDiff]:
    """Pair the .docx of two out/ folders through their manifests."""
    a = {d.docx: d for d in manifests.read(old).documents if d.docx}
    b = {d.docx: d for d in manifests.read(new).documents if d.docx}
    results = []
    for key in sorted(a.keys() | b.keys()):
        if key not in a:  # a new document: all its text is new, and so are its pages
            added = DocumentDiff(key, "added", b[key].title, sources=list(b[key].sources))
            added.changes = diff_entries([], labelled(new / key))
            added.new_pdf = str(new / b[key].pdf_file) if b[key].pdf else ""
            results.append(added)
        elif key not in b:
            results.append(DocumentDiff(key, "removed", a[key].title))
        elif a[key].sha256 == b[key].sha256:
            results.append(DocumentDiff(key, "same", b[key].title))
        else:
            pdf_a = old / a[key].pdf_file if a[key].pdf else None
            pdf_b = new / b[key].pdf_file if b[key].pdf else None
            changed = diff_files(old / key, new / key, key, pdf_a, pdf_b, b[key].title)
            changed.sources = list(b[key].sources)
            changed.bytes_only = changed.status == "same"  # other bytes, same words: pages may differ
            results.append(changed)
    return results


# --- output -------------------------------------------------------------------------------------

_STATUS = {"changed": "有改动", "added": "新增", "removed": "删除", "same": "无改动"}
LAYOUT_ONLY = "文字没有改动，版面有改动（见页面对比）"


def as_text(results: list[DocumentDiff]) -> str:
    lines = []
    for doc in results:
        if doc.status == "same":
            continue
        lines.append(f"== {doc.name}（{_STATUS[doc.status]}）")
        lines += [f"  {c.element}：{c.inline()}" for c in doc.changes]
        lines += [f"  {m}" for m in doc.moves]
    if not lines:
        lines.append("没有改动")
    return "\n".join(lines) + "\n"


def as_markdown(results: list[DocumentDiff]) -> str:
    changed = [d for d in results if d.status != "same"]
    out = [f"### circular：{len(changed)} 份公文有改动" if changed else "### circular：没有改动", ""]
    for doc in changed:
        out.append(f"**{doc.title or doc.name}**（`{doc.name}`，{_STATUS[doc.status]}）")
        out.append("")
        if doc.changes:
            out.append("| 要素 | 改动 |")
            out.append("|---|---|")
            for c in doc.changes:
                text = c.inline("~~{}~~", "**{}**", lambda s: s.replace("|", "\\|").replace("\n", " "))
                out.append(f"| {c.element} | {text} |")
            out.append("")
        out += [f"- {m}" for m in doc.moves]
        if doc.failures:
            out.append(f"版式检查不合格 {len(doc.failures)} 项：")
            out += [f"- `{line}`" for line in doc.failures]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def as_html(results: list[DocumentDiff], pages: dict[str, list[dict]] | None = None,
            findings: list | None = None) -> str:
    """A standalone page; with ``pages`` (from the page-image diff) the changed pages side by side,
    with ``findings`` the lint findings on the new data."""
    esc = html.escape
    body = []
    if findings is not None:
        items = "".join(f"<li>{esc(f.line())}</li>" for f in findings)
        listed = f"<ul>{items}</ul>" if items else "<p>无</p>"
        body.append(f"<section><h2>文字检查（circular lint）</h2>{listed}</section>")
    for doc in results:
        if doc.status == "same":
            continue
        body.append(f"<section><h2>{esc(doc.title or doc.name)}</h2>"
                    f"<p class=status>{esc(doc.name)}：{_STATUS[doc.status]}</p>")
        if doc.changes:
            body.append("<table><tr><th>要素</th><th>改动</th></tr>")
            for c in doc.changes:
                inline = c.inline("<del>{}</del>", "<ins>{}</ins>", esc)
                body.append(f"<tr><td>{esc(c.element)}</td><td>{inline}</td></tr>")
            body.append("</table>")
        if doc.moves:
            body.append("<ul>" + "".join(f"<li>{esc(m)}</li>" for m in doc.moves) + "</ul>")
        if doc.failures:
            items = "".join(f"<li>{esc(line)}</li>" for line in doc.failures)
            body.append(f"<div class=fail><h3>版式检查不合格 {len(doc.failures)} 项</h3><ul>{items}</ul></div>")
        for page in (pages or {}).get(doc.name, []):
            if page["changed"]:
                figures = "".join(f"<figure><img src='{esc(page[side])}' alt='{caption}'>"
                                  f"<figcaption>{caption}</figcaption></figure>"
                                  for side, caption in (("old", "原"), ("new", "新")) if page[side])
                body.append(f"<div class=pair><h3>第{page['page']}页（有变化）</h3>{figures}</div>")
            else:
                body.append(f"<p class=same>第{page['page']}页：无变化</p>")
        body.append("</section>")
    if not any(d.status != "same" for d in results):
        body.append("<p>没有改动</p>")
    style = ("body{font-family:sans-serif;margin:2em}del{background:#fdd}ins{background:#dfd;text-decoration:none}"
             "td,th{border:1px solid #ccc;padding:4px}table{border-collapse:collapse}"
             ".pair figure{display:inline-block;width:45%;margin:0 1%}.pair img{width:100%;border:1px solid #999}"
             "figcaption{text-align:center}.fail{color:#a00}")
    return ("<!doctype html><html lang=zh-CN><meta charset=utf-8><title>circular 审阅</title>"
            f"<style>{style}</style><h1>公文改动审阅</h1>{''.join(body)}</html>\n")


def as_json(results: list[DocumentDiff]) -> str:
    return json.dumps([asdict(d) for d in results], ensure_ascii=False, indent=2) + "\n"
