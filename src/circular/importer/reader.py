"""A Word or WPS draft as a flat list of items, read by pandoc's docx reader (through pypandoc).

pandoc gives the structure (paragraphs, headings, tables, Word's numbered lists, line breaks, bold)
and, with ``+styles``, each paragraph's style name: our own .docx say exactly what each paragraph
is (公文标题, 发文字号 …); a draft typed by hand says nothing, and recognise.py reads it by content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CircularError, Where, display_path


@dataclass
class Item:
    """One block of the draft: a paragraph, a heading, a list item or a table."""

    text: str  # without leading/trailing spaces; a manual line break joins its lines
    style: str = ""  # the paragraph style's name, when the draft has one (ours do)
    bold: bool = False  # every character bold (a heading typed as bold text)
    heading: int = 0  # a Word heading level (Heading 1 …)
    listed: int = 0  # 1 for an item of Word's numbered list, 2 for one nested in it
    rows: list[list[str]] = field(default_factory=list)  # a table's cells
    lines: list[str] = field(default_factory=list)  # the text's lines where the draft broke them by hand

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def read(path: Path) -> list[Item]:
    """The draft's items in order."""
    import pypandoc

    try:
        ast = json.loads(pypandoc.convert_file(str(path), "json", format="docx+styles", extra_args=["--quiet"]))
    except (RuntimeError, OSError):
        raise CircularError(Where(display_path(path)), "无法读取这个 Word 文件（已损坏、加密，或不是 .docx）",
                            "请在 Word 或 WPS 中另存为 .docx 后再导入") from None
    items: list[Item] = []
    _blocks(ast["blocks"], items, style="")
    return [item for item in items if item.text or item.rows]


def _blocks(blocks: list[Any], items: list[Item], style: str, listed: int = 0) -> None:
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind == "Div":
            attrs = dict(content[0][2])
            _blocks(content[1], items, attrs.get("custom-style", style), listed)
        elif kind in ("Para", "Plain"):
            items.append(_item(content, style, listed=listed))
        elif kind == "Header":
            item = _item(content[2], style)
            item.heading = content[0]
            classes = content[1][1]
            item.style = item.style or (classes[0] if classes else "")
            items.append(item)
        elif kind == "BlockQuote":  # indentation pandoc took for a quotation
            _blocks(content, items, style, listed)
        elif kind in ("OrderedList", "BulletList"):
            entries = content[1] if kind == "OrderedList" else content
            for entry in entries:
                _blocks(entry, items, style, listed + 1)
        elif kind == "Table":
            items.append(Item("", style, rows=_table_rows(content)))
        elif kind == "LineBlock":
            for line in content:
                items.append(_item(line, style, listed=listed))


def _item(inlines: list[Any], style: str, listed: int = 0) -> Item:
    lines = [""]
    bold = [True]

    def walk(nodes: list[Any], strong: bool) -> None:
        for node in nodes:
            kind, content = node["t"], node.get("c")
            if kind == "Str":
                lines[-1] += content
                bold[0] = bold[0] and (strong or not content.strip())
            elif kind == "Space":
                lines[-1] += " "
            elif kind == "SoftBreak":
                lines[-1] += ""
            elif kind == "LineBreak":
                lines.append("")
            elif kind == "Strong":
                walk(content, True)
            elif kind in ("Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
                walk(content, strong)
            elif kind == "Span":
                walk(content[1], strong)
            elif kind == "Quoted":
                quote = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
                lines[-1] += quote[0]
                walk(content[1], strong)
                lines[-1] += quote[1]
            elif kind == "Link":
                walk(content[1], strong)
            elif kind == "Code":
                lines[-1] += content[1]

    walk(inlines, False)
    cleaned = [_clean(line) for line in lines]
    text = "".join(cleaned)
    return Item(text, style, bold=bold[0] and bool(text), listed=listed,
                lines=[line for line in cleaned if line] if len(cleaned) > 1 else [])


def _clean(text: str) -> str:
    """Spaces typed for indentation (leading, ASCII or full-width) are layout, not text; spaces inside
    a line are kept as written (a stray one is the writer's to see: lint reports it)."""
    return text.strip(" \t\u3000\u00a0")


def _table_rows(content: list[Any]) -> list[list[str]]:
    head, bodies = content[3], content[4]
    rows = list(head[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    out = []
    for row in rows:
        cells = []
        for cell in row[1]:
            parts: list[Item] = []
            _blocks(cell[4], parts, "")
            cells.append("".join(p.text for p in parts))
        out.append(cells)
    return out
