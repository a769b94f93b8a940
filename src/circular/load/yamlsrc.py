"""YAML with positions: every value can be traced back to file:line:col for messages."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode

from ..errors import CircularError, DataError, DataErrors, Where, display_path, os_error
from ..model import ValueProblem

M = TypeVar("M", bound=BaseModel)


MAX_FILE_BYTES = 64 * 1024 * 1024  # a data file; the largest real ones are a few MB


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes: a FIFO or a device (/dev/zero) would hang or never end, so they are
    refused before reading, as is a file too large to be data."""
    where = Where(display_path(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise DataError(where, "文件不存在", "请检查文件名和路径") from None
    except OSError as exc:
        raise DataError(where, "无法读取文件：" + os_error(exc).message, "请检查文件和权限") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # before wrapping the descriptor: Python refuses a folder's
        os.close(fd)
        raise DataError(where, "不是普通文件（是目录、管道或设备）", "数据文件只能是普通文件，请换成文件本身")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > limit:
            raise DataError(where, f"文件过大（{info.st_size // 1048576} MB，最多 {limit // 1048576} MB）",
                            "请检查是否放错了文件")
        try:
            return fh.read(limit + 1)
        except OSError as exc:
            raise DataError(where, "无法读取文件：" + os_error(exc).message, "请检查文件和权限") from None


def read_text(path: Path) -> str:
    """Read a data file as UTF-8 (a BOM is fine); name GBK files instead of failing obscurely."""
    where = Where(display_path(path))
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "请用 UTF-8 编码另存该文件"
        try:
            raw.decode("gbk")
            msg = "文件是 GBK 编码，不是 UTF-8"
        except UnicodeDecodeError:
            msg = "文件不是 UTF-8 编码"
        raise DataError(Where(where.path, line), msg, hint) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _XML_ILLEGAL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise DataError(Where(where.path, line, column), f"文件含有不可见的控制字符（U+{ord(bad.group()):04X}）",
                        "多半是从别处复制时带进来的，请删去该字符后重新输入")
    return text


# characters XML 1.0 cannot carry (Word could not open the file): C0 controls except tab/newline
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Located:
    """A parsed YAML document that can tell where any of its values stands.

    ``data`` is plain dicts, lists and scalars; positions sit in a compact side index, one list
    of ints per mapping or sequence in key or item order, rather than in a round-trip tree: a
    10,000-meeting schedule parsed into ruamel's round-trip objects took ~75 bytes of memory per
    byte of YAML.
    """

    def __init__(self, path: Path, data: Any, positions: dict[int, Any], line_offset: int = 0):
        self.path = display_path(path)
        self.data = data
        self._positions = positions
        self.line_offset = line_offset

    def _at(self, packed: int) -> Where:
        line, col = _unpack(packed)
        return Where(self.path, line + self.line_offset, col)

    def resolve(self, loc: tuple = ()) -> tuple[tuple, Where]:
        """The data path actually present in the file (union tags dropped) and its position."""
        node, path = self.data, []
        packed = self._positions[id(None)]
        for key in loc:
            if isinstance(node, dict) and key in node:
                entry = self._entry(node, key)
                packed = packed if entry is None else _value_of(entry)
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                index = self._positions.get(id(node))
                packed = index[key] if index and key < len(index) else packed
            else:
                continue  # a schema tag (union branch), not a key of the file
            node = node[key]
            path.append(key)
        return tuple(path), self._at(packed)

    def where(self, loc: tuple = ()) -> Where:
        return self.resolve(loc)[1]

    def key_where(self, loc: tuple, key: str) -> Where:
        """Where ``key`` itself stands inside the mapping at ``loc`` (for unknown keys)."""
        present, fallback = self.resolve(loc)
        node = self.data
        for k in present:
            node = node[k]
        entry = self._entry(node, key) if isinstance(node, dict) else None
        return fallback if entry is None else self._at(_key_of(entry))

    def is_block_text(self, key: str) -> bool:
        """True when the top-level ``key`` holds a | or > block scalar (its text starts a line lower)."""
        entry = self._entry(self.data, key)
        return bool(entry and entry & 1)

    def _entry(self, mapping: dict, key: Any) -> int | None:
        """The packed entry of ``key``: the index lists a mapping's keys in their order (keys
        merged in with << come last and have none)."""
        index = self._positions.get(id(mapping))
        if not index or key not in mapping:
            return None
        n = list(mapping).index(key)
        return index[n] if n < len(index) else None


_COL = 1 << 20


def _pack(mark) -> int:
    return (mark.line + 1) * _COL + min(mark.column + 1, _COL - 1)


def _unpack(packed: int) -> tuple[int, int]:
    return divmod(packed, _COL)


# a mapping entry: key position, value position and "value is a block scalar", in one int
_ENTRY = 1 << 45


def _entry(key_mark, value_mark, block: bool) -> int:
    return (_pack(key_mark) * _ENTRY + _pack(value_mark)) * 2 + block


def _key_of(entry: int) -> int:
    return entry // 2 // _ENTRY


def _value_of(entry: int) -> int:
    return entry // 2 % _ENTRY


class _Builder:
    """Plain data and positions from ruamel's event stream (its C parser when ruamel.yaml.clib is
    installed): scalars resolved and constructed by ruamel's own YAML 1.2 resolver and safe
    constructor, dates kept as text; no node tree is ever held."""

    def __init__(self, yaml: YAML, path: Path, line_offset: int, each: Each | None):
        self.resolver = yaml.resolver
        self.constructor = yaml.constructor
        self.path, self.line_offset = display_path(path), line_offset
        self.positions: dict[int, Any] = {}  # id(container) -> [entry per key] | [packed per item]; id(None) -> root
        self.doc = Located(path, None, self.positions, line_offset)  # the tree so far, for ``each``
        self.each = each
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[str, int] = {}  # anchor -> values inside it, aliases expanded
        self.stack: list[list] = []  # [container, positions, pending key, key mark, merges, data path, size]
        self.documents = 0
        self.values = 0  # values in the document as readers see it, every alias expanded

    def error(self, mark, message: str, fix: str) -> DataError:
        return DataError(Where(self.path, mark.line + 1 + self.line_offset, mark.column + 1), message, fix)

    def feed(self, event) -> None:
        kind = type(event)
        if kind is ScalarEvent:
            self.value(self.scalar(event), event)
        elif kind is MappingStartEvent:
            self.open({}, [], event)
        elif kind is SequenceStartEvent:
            self.open([], [], event)
        elif kind in (MappingEndEvent, SequenceEndEvent):
            container, _, _, _, merges, loc, size, anchor = self.stack.pop()
            for merged in merges:  # YAML merge keys: explicit keys win
                for key, value in merged.items():
                    container.setdefault(key, value)
            if anchor:
                self.sizes[anchor] = size
            if self.stack:
                self.stack[-1][6] += size
            self.done(loc)
        elif kind is AliasEvent:
            if event.anchor not in self.anchors:
                raise self.error(event.start_mark, f"引用了未定义的别名“{event.anchor}”",
                                 "请先用 &名字 定义，再用 *名字 引用")
            self.count(self.sizes.get(event.anchor, 1), event)
            self.value(self.anchors[event.anchor], event)
        elif kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise self.error(event.start_mark, "一个文件只能有一个 YAML 文档", "请删去多余的 --- 分隔行")

    def count(self, size: int, event) -> None:
        """Count values as a reader of the data sees them: a "billion laughs" of aliases is tiny
        as text and endless once expanded (lint walks every value)."""
        self.values += size
        if self.values > MAX_VALUES:
            raise self.error(event.start_mark, f"别名（*名字）展开后的内容过多（超过 {MAX_VALUES:,} 项）",
                             "请直接写出内容，不要层层引用别名")
        if self.stack:
            self.stack[-1][6] += size if type(event) is AliasEvent else 0

    def open(self, container, index, event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.error(event.start_mark, f"嵌套层数过多（超过 {MAX_DEPTH} 层）", "请检查缩进和括号")
        if event.anchor:
            self.anchors[event.anchor] = container
        self.count(1, event)
        self.positions[id(container)] = index
        loc = self.value(container, event, complete=False)
        self.stack.append([container, index, _NO_KEY, None, [], loc, 1, event.anchor])

    def done(self, loc: tuple | None) -> None:
        """A value at ``loc`` is complete: hand it to ``each`` if it is one of its items."""
        if self.each is None or loc is None or not _matches(self.each.items, loc[:-1]):
            return
        parent = self.stack[-1][0]
        item = parent[loc[-1]]
        parent[loc[-1]] = self.each.check(self.doc, loc)
        if parent[loc[-1]] is not item and not any(item is anchored for anchored in self.anchors.values()):
            self.forget(item)  # an anchored value may be aliased again: its positions stay

    def forget(self, value: Any) -> None:
        """Drop the positions of a value taken out of the tree."""
        pending = [value]
        while pending:
            node = pending.pop()
            if isinstance(node, (dict, list)) and self.positions.pop(id(node), None) is not None:
                pending.extend(node.values() if isinstance(node, dict) else node)

    def scalar(self, event) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = str(self.resolver.resolve(ScalarNode, event.value, event.implicit)) if tag is None else _STR
        if tag in (_STR, _TIMESTAMP):  # dates stay text: our parser judges them (2013-02-30)
            value: Any = event.value
        elif tag == _MERGE:
            value = _MERGE_KEY
        elif tag in _SCALARS:
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        else:
            raise self.error(event.start_mark, f"不支持的 YAML 标签“{tag}”", "请删去 ! 开头的标签，直接写值")
        if event.anchor:
            self.anchors[event.anchor] = value
            self.sizes[event.anchor] = 1
        self.count(1, event)
        if self.stack:
            self.stack[-1][6] += 1
        return value

    def value(self, value, event, complete: bool = True) -> tuple | None:
        """Put ``value`` where the stack expects it: a key, a mapping value, an item, the root.
        Returns its data path (None for a key or a merge)."""
        if not self.stack:
            self.doc.data = value
            self.positions[id(None)] = _pack(event.start_mark)
            return ()
        frame = self.stack[-1]
        container, index, key, base = frame[0], frame[1], frame[2], frame[5]
        if isinstance(container, list):
            loc = (*base, len(container)) if base is not None else None
            container.append(value)
            index.append(_pack(event.start_mark))
        elif key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise self.error(event.start_mark, "键不能是列表或映射", "请检查该行的冒号和缩进")
            frame[2], frame[3] = value, event.start_mark
            return None
        else:
            frame[2] = _NO_KEY
            if key is _MERGE_KEY:
                merged = value if isinstance(value, list) else [value]
                if not all(isinstance(m, dict) for m in merged):
                    raise self.error(event.start_mark, "“<<”只能合并“键: 值”映射", "在 << 后写 *别名，指向一个映射")
                frame[4].extend(merged)
                return None
            if key in container:
                raise self.error(frame[3], f"键“{key}”重复出现", "同一层级的键只能写一次，请删去或合并重复的一项")
            loc = (*base, key) if base is not None else None
            container[key] = value
            block = type(event) is ScalarEvent and event.style in ("|", ">")
            index.append(_entry(frame[3], event.start_mark, block))
        if complete:
            self.done(loc)
        return loc


@dataclass(frozen=True)
class Each:
    """Check the items of the lists at ``items`` one at a time, while the file is read:
    ``check(doc, loc)`` returns what stays in the list (e.g. None), so 10,000 meetings are never
    all held as raw YAML. ``None`` in ``items`` stands for any list index."""

    items: tuple
    check: Callable[[Located, tuple], Any]


def _matches(pattern: tuple, loc: tuple) -> bool:
    return len(pattern) == len(loc) and all(p is None or p == k for p, k in zip(pattern, loc, strict=True))


_NO_KEY = object()
_MERGE_KEY = object()
MAX_DEPTH = 64  # mappings and lists inside each other; real data uses 6
MAX_VALUES = 5_000_000  # values once aliases are expanded; 10,000 meetings are ~300,000
_STR, _TIMESTAMP, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"
_SCALARS = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "null")}


def parse_yaml(path: Path, text: str | None = None, line_offset: int = 0, each: Each | None = None) -> Located:
    """Parse YAML strictly: duplicate keys and syntax errors are DataErrors with a position."""
    text = read_text(path) if text is None else text
    yaml = YAML(typ="safe")
    builder = _Builder(yaml, path, line_offset, each)
    try:
        for event in yaml.parse(text):
            builder.feed(event)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.problem or "").startswith("found unexpected end of stream"):
            mark = exc.context_mark  # where the unclosed quote or bracket opened, not the end of the file
        where = Where(display_path(path), mark.line + 1 + line_offset,
                      mark.column + 1) if mark else Where(display_path(path))
        if mark and _char_at(text, mark) == "\t":  # libyaml's message does not name the character
            raise DataError(where, "YAML 语法错误：不能用 Tab 缩进", "请用空格缩进") from None
        raise DataError(where, f"YAML 语法错误：{_yaml_problem(exc)}", _yaml_hint(exc)) from None
    except (YAMLError, ValueError):
        raise DataError(Where(display_path(path)), "YAML 语法错误", "请检查缩进、冒号和引号") from None
    doc = builder.doc
    if doc.data is None:
        doc.data = {}
        builder.positions[id(None)] = _pack(_Origin)
    if not isinstance(doc.data, dict):
        raise DataError(Where(display_path(path), 1 + line_offset, 1), "文件内容应为“键: 值”形式的映射",
                        "每行写成 键: 值，例如 title: 关于……的通知")
    return doc


class _Origin:
    line = column = 0


def _char_at(text: str, mark) -> str:
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _yaml_problem(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "").strip()
    known = {
        "mapping values are not allowed": "此处不能出现“键: 值”",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进",
        "found undefined alias": "引用了未定义的别名",
        "did not find expected key": "缩进不一致或缺少“键:”",
        "did not find expected '-' indicator": "列表项缩进不一致",
        "found unexpected end of stream": "引号或括号没有闭合",
        "expected <block end>": "缩进不一致，或引号没有闭合",
        "expected <document start>": "缩进不一致",
        "found unknown escape character": "双引号中的反斜杠转义不正确",
        "found character": "此处不能出现该字符",
        "expected ',' or ']'": "方括号列表没有闭合",
        "expected ',' or '}'": "花括号没有闭合",
        "did not find expected ',' or ']'": "方括号列表没有闭合",
        "did not find expected ',' or '}'": "花括号没有闭合",
    }
    for en, cn in known.items():
        if problem.startswith(en):
            return cn
    return "格式不正确"


def _yaml_hint(exc: MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "\\t" in problem:
        return "请用空格缩进"
    if problem.startswith("mapping values"):
        return "值里有冒号时请给整个值加引号，或检查缩进"
    return "请检查该行及上一行的缩进、冒号和引号"


_TYPE_WORDS = {
    "string_type": "应为文字",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "tuple_type": "应为列表（每项一行，以“- ”开头）",
    "dict_type": "应为“键: 值”形式的映射",
    "model_type": "应为“键: 值”形式的映射",
    "model_attributes_type": "应为“键: 值”形式的映射",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "literal_error": "取值不在允许范围内",
    "float_type": "应为数值",
    "float_parsing": "应为数值",
    "finite_number": "应为有限的数值（不能是 .inf 或 .nan）",
    "int_from_float": "应为整数",
    "greater_than": "过小",
    "greater_than_equal": "过小",
    "less_than": "过大",
    "less_than_equal": "过大",
    "string_too_long": "过长",
    "too_long": "项数过多",
    "string_pattern_mismatch": "格式不正确",
    "none_required": "应为空",
    "dict_keys": "的键应为文字",
    "bytes_type": "应为文字",
}


def validate(model: type[M] | TypeAdapter, doc: Located, loc: tuple = ()) -> Any:
    """Validate ``doc.data[loc]`` against a pydantic schema, translating the first error."""
    node = doc.data
    for k in loc:
        node = node[k]
    try:
        return model.validate_python(node) if isinstance(model, TypeAdapter) else model.model_validate(node)
    except ValidationError as exc:
        errors: list[CircularError] = [_translate(err, model, doc, loc) for err in _worth_reporting(exc)]
        raise (errors[0] if len(errors) == 1 else DataErrors(errors)) from None


def _worth_reporting(exc: ValidationError) -> list[Any]:
    """Every error, one per field: a misspelt key also makes its field "missing", and a value that
    fits no branch of a union fails each branch; the misspelling carries the fix, one branch is enough."""
    errors = sorted(exc.errors(include_url=False), key=lambda e: (e["type"] != "extra_forbidden",
                                                                    e["type"] == "missing"))
    misspelt = {tuple(e["loc"][:-1]) for e in errors if e["type"] == "extra_forbidden"}
    kept, fields = [], set()
    for err in errors:
        if err["type"] == "missing" and tuple(err["loc"][:-1]) in misspelt:
            continue
        field = tuple(p for p in err["loc"] if isinstance(p, int) or not _is_branch(p))
        if field not in fields:
            fields.add(field)
            kept.append(err)
    return kept


def _is_branch(part: str) -> bool:
    """pydantic names union branches in an error's loc: str, list[str], function-after[...] …"""
    return "[" in part or part in {"str", "int", "float", "bool", "list", "dict"}


def _translate(err: Any, model: type[BaseModel] | TypeAdapter, doc: Located, base: tuple) -> DataError:
    loc = base + tuple(err["loc"])
    present, where = doc.resolve(loc)
    field = ".".join(str(p) for p in present) or "（整个文件）"
    kind = err["type"]
    if kind == "missing":
        return DataError(doc.where(loc[:-1]), f"缺少必填字段“{loc[-1]}”", f"请在这一组字段中补上 {loc[-1]}: …")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(model, err["loc"][:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
        fix = f"是否应为“{close[0]}”？" if close else ("可用的字段：" + "、".join(allowed) if allowed else "")
        return DataError(doc.key_where(loc[:-1], key), f"未知字段“{key}”", fix)
    if kind == "value_error":
        cause = err.get("ctx", {}).get("error")
        if isinstance(cause, ValueProblem):
            return DataError(where, cause.message, cause.fix)
        return DataError(where, f"字段“{field}”的值不正确")
    words = _TYPE_WORDS.get(kind, "取值不正确")  # never pydantic's English
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        words += "（可选：" + "、".join(choices or ["见说明"]) + "）"
    bounds = {"ge": "最小", "gt": "须大于", "le": "最大", "lt": "须小于", "max_length": "最多字符数"}
    for key, word in bounds.items():
        if key in err.get("ctx", {}):
            bound = err["ctx"][key]
            words += f"（{word} {bound:g}）" if isinstance(bound, (int, float)) else f"（{word} {bound}）"
    fix = _PATTERN_FIXES.get(str(present[-1]) if present else "", "") if kind == "string_pattern_mismatch" else ""
    return DataError(where, f"字段“{field}”{words}", fix)


_PATTERN_FIXES = {
    "copy_number": "份号是六位阿拉伯数字，例如 000023",
    "secrecy": "写成 密级★保密期限，例如 秘密★1年、机密★6个月；不标期限时只写 绝密、机密 或 秘密",
    "id": "只能用小写字母、数字和连字符，例如 zhucheng",
    "phone": "只能写数字、括号和连字符，例如 023-63854123",
    "red_line_color": "写六位十六进制颜色，例如 FF0000",
    "mark_color": "写六位十六进制颜色，例如 FF0000",
}


def _allowed_keys(model: type[BaseModel] | TypeAdapter, path: tuple) -> list[str]:
    """Field names of the (nested) model the unknown key sits in; list indices, mapping keys
    chosen by the writer (organ names) and union tags on the way are stepped over."""
    current: Any = model
    for part in path:
        fields = getattr(current, "model_fields", {})
        if isinstance(part, str) and part in fields:
            current = _inner_model(fields[part].annotation) or current
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
