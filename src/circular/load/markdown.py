"""Markdown (markdown-it-py tokens) -> 公文 body blocks with generated 序号.

Mapping: ``#`` 一、 (黑体), ``##`` （一） (楷体), ``###`` 1. , ``####`` （1）; an ordered list's items are
run-in numbered paragraphs one level below the nearest heading (at least level 3, "1."); a bullet
list's items are plain paragraphs; a pipe table is a table. Numbers are never typed in the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import DataError, Where
from ..model import Block, Heading, Paragraph, Table
from ..numerals import marker

_TYPED_MARKER = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])")


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": False, "html": False}).enable("table")
    return md.use(front_matter_plugin)


@dataclass
class _Counters:
    continuous: bool
    counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    heading_level: int = 0

    def next(self, level: int) -> str:
        self.counts[level] += 1
        for deeper in range(level + 1, 5):
            if not (self.continuous and deeper == 3 and level < 3):
                self.counts[deeper] = 0
        return marker(level, self.counts[level])


def split_front_matter(text: str) -> tuple[str | None, int, list[Token]]:
    """Return (front matter YAML or None, line where it starts, body tokens)."""
    tokens = parser().parse(text)
    if tokens and tokens[0].type == "front_matter":
        fm = tokens[0]
        return fm.content, (fm.map[0] + 1 if fm.map else 0), tokens[1:]
    return None, 0, tokens


def to_blocks(tokens: list[Token], path: str, line_offset: int = 0, continuous: bool = False) -> tuple[Block, ...]:
    """Turn markdown-it block tokens into body blocks."""
    counters = _Counters(continuous)
    blocks: list[Block] = []
    list_stack: list[str] = []  # "ordered" / "bullet"
    item_first_para = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        where = Where(path, tok.map[0] + 1 + line_offset, 1) if tok.map else Where(path)
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            if level > 4:
                raise DataError(where, f"标题层级过深（{tok.markup}）", "公文正文最多四级：# ## ### ####")
            text = _inline_text(tokens[i + 1])
            _reject_typed_marker(text, where)
            counters.heading_level = level
            blocks.append(Heading(level, text, counters.next(level), where))
            i += 3
            continue
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            list_stack.append("ordered" if tok.type == "ordered_list_open" else "bullet")
            if len(list_stack) > 1 and list_stack[-1] == "ordered":
                raise DataError(where, "不支持嵌套的编号列表", "请改用 #### 标题或拆成段落")
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            list_stack.pop()
        elif tok.type == "list_item_open":
            item_first_para = True
        elif tok.type == "paragraph_open":
            text = _inline_text(tokens[i + 1])
            if list_stack and list_stack[-1] == "ordered" and item_first_para:
                _reject_typed_marker(text, where)
                if counters.heading_level == 4:
                    raise DataError(where, "四级标题（####）下不能再有编号列表：公文序号只有四级",
                                    "请把这些条目写成不编号的段落，或提高标题层级")
                level = min(4, max(3, counters.heading_level + 1))
                blocks.append(Paragraph(text, counters.next(level), level, where))
            else:
                blocks.append(Paragraph(text, where=where))
            item_first_para = False
            i += 3
            continue
        elif tok.type == "table_open":
            i, table = _table(tokens, i, where)
            blocks.append(table)
            continue
        elif tok.type in ("fence", "code_block", "html_block", "hr"):
            raise DataError(where, f"公文正文不支持这种 Markdown 写法（{tok.type}）", "请写成普通段落、标题、列表或表格")
        elif tok.type == "blockquote_open":
            raise DataError(where, "公文正文不支持引用块（行首的“>”）", "请删去行首的“>”")
        i += 1
    return tuple(blocks)


def _table(tokens: list[Token], i: int, where: Where) -> tuple[int, Table]:
    rows: list[tuple[str, ...]] = []
    row: list[str] = []
    header_rows = 0
    in_head = False
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            rows.append(tuple(row))
            header_rows += in_head
        elif tok.type == "inline":
            row.append(_inline_text(tok))
        i += 1
    return i + 1, Table(tuple(rows), header_rows, where)


def _inline_text(tok: Token) -> str:
    """Plain text of an inline token; soft breaks join without a space (Chinese)."""
    parts = []
    for child in tok.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts).strip()


def _reject_typed_marker(text: str, where: Where) -> None:
    m = _TYPED_MARKER.match(text)
    if m:
        raise DataError(where, f"序号“{m.group(1)}”不要手写", "序号由程序按结构生成，请删去它")
