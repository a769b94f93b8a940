"""Markdown (markdown-it-py tokens) -> 公文 body blocks with generated 序号.

Mapping: ``#`` 一、 (黑体), ``##`` （一） (楷体), ``###`` 1. , ``####`` （1）; an ordered list's items are
run-in numbered paragraphs one level below the nearest heading (at least level 3, "1."); a bullet
list's items are plain paragraphs; a pipe table is a table. Numbers are never typed in the data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import DataError, Where
from ..grammar import TYPED_MARKER, marker
from ..model import Block, Heading, Paragraph, Table

_UNSUPPORTED = {"fence": "代码块（```）", "code_block": "代码块（行首缩进四个空格）", "html_block": "HTML",
                "hr": "分隔线（---）"}


@functools.lru_cache(maxsize=2)
def parser(front_matter: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": False, "html": False}).enable("table")
    return md.use(front_matter_plugin) if front_matter else md


def body_tokens(text: str, path: str, line_offset: int = 0) -> list[Token]:
    """Tokens of Markdown that is all body (a notice's ``body:``): a leading --- is not metadata."""
    tokens = parser(front_matter=False).parse(text)
    _nothing_dropped(text, tokens, path, line_offset)
    return tokens


def _nothing_dropped(text: str, tokens: list[Token], path: str, line_offset: int) -> None:
    """markdown-it silently consumes link and footnote definitions ("[x]: …"): a line of the
    source that no block covers would vanish from the 公文, so it is refused instead."""
    covered: set[int] = set()
    for tok in tokens:
        if tok.map and tok.level == 0:
            covered.update(range(*tok.map))
    for n, line in enumerate(text.split("\n")):
        if line.strip() and n not in covered:
            where = Where(path, n + 1 + line_offset, len(line) - len(line.lstrip()) + 1)
            if re.match(r"\s*\[\^", line):
                raise DataError(where, "公文不用脚注，这一行不会出现在文中",
                                "请改为括号中的说明，或写在附注（note:）中")
            raise DataError(where, "这一行被当作 Markdown 链接定义（[名称]: 地址），不会出现在文中",
                            "如是正文，请改写这一行（例如不要以“[…]:”开头）")


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


def split_front_matter(text: str, path: str = "") -> tuple[str | None, int, list[Token]]:
    """Return (front matter YAML or None, line where it starts, body tokens). With ``path``, a
    line the body would silently lose is an error naming it."""
    tokens = parser().parse(text)
    if path:
        _nothing_dropped(text, tokens, path, 0)
    if tokens and tokens[0].type == "front_matter":
        fm = tokens[0]
        return fm.content, (fm.map[0] + 1 if fm.map else 0), tokens[1:]
    return None, 0, tokens


def to_blocks(tokens: list[Token], path: str, line_offset: int = 0, continuous: bool = False,
              by_list: bool = False) -> tuple[Block, ...]:
    """Turn markdown-it block tokens into body blocks. ``continuous``: run-in numbers go on counting
    across sections; ``by_list``: every list starts again at 1 (a 计划安排 numbering each quarter)."""
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
            text = _inline_text(tokens[i + 1], where)
            _reject_typed_marker(text, where)
            counters.heading_level = level
            blocks.append(Heading(level, text, counters.next(level), where))
            i += 3
            continue
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            list_stack.append("ordered" if tok.type == "ordered_list_open" else "bullet")
            if by_list and len(list_stack) == 1:
                counters.counts[3] = counters.counts[4] = 0
            if len(list_stack) > 1 and list_stack[-1] == "ordered":
                raise DataError(where, "不支持嵌套的编号列表", "请改用 #### 标题或拆成段落")
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            list_stack.pop()
        elif tok.type == "list_item_open":
            item_first_para = True
        elif tok.type == "paragraph_open":
            text = _inline_text(tokens[i + 1], where)
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
        elif tok.type in _UNSUPPORTED:
            raise DataError(where, f"公文正文不支持{_UNSUPPORTED[tok.type]}", "请写成普通段落、标题、列表或表格")
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
            row.append(_inline_text(tok, where))
        i += 1
    return i + 1, Table(tuple(rows), header_rows, where)


def _inline_text(tok: Token, where: Where) -> str:
    """Plain text of an inline token. Soft breaks join lines without a space (Chinese) unless
    both sides are Latin; a link keeps its address after its text; a picture is refused."""
    parts: list[str] = []
    links: list[tuple[str, int]] = []  # address, where its text starts
    for child in tok.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "softbreak":
            before, after = "".join(parts)[-1:], _first_text(tok, child)
            parts.append(" " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else "")
        elif child.type == "link_open":
            links.append((unquote(str(child.attrs.get("href", ""))), len(parts)))
        elif child.type == "link_close" and links:
            href, start = links.pop()
            label = "".join(parts[start:])
            if href and href not in (label, f"mailto:{label}"):
                parts.append(f"（{href.removeprefix('mailto:')}）")
        elif child.type == "image":
            raise DataError(where, "公文正文中不能插入图片（![…](…)）", "请把图片作为附件另行印发，或删去这一处")
    return "".join(parts).strip()


def _first_text(tok: Token, after: Token) -> str:
    """The first character of text following ``after`` among ``tok``'s children."""
    children = tok.children or []
    for child in children[children.index(after) + 1:]:
        if child.content:
            return child.content[0]
    return ""


def _reject_typed_marker(text: str, where: Where) -> None:
    m = TYPED_MARKER.match(text)
    if m:
        raise DataError(where, f"序号“{m.group(1)}”不要手写", "序号由程序按结构生成，请删去它")
