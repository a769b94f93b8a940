"""YAML with positions: every value can be traced back to file:line:col for messages."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import DataError, Where, display_path
from ..model import ValueProblem

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path) -> str:
    """Read a data file as UTF-8 (a BOM is fine); name GBK files instead of failing obscurely."""
    where = Where(display_path(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(where, "文件不存在", "请检查文件名和路径") from None
    except OSError as exc:
        raise DataError(where, f"无法读取文件：{exc.strerror}") from None
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
    """A parsed YAML document that can tell where any of its values stands."""

    def __init__(self, path: Path, data: Any, line_offset: int = 0):
        self.path = display_path(path)
        self.data = data
        self.line_offset = line_offset

    def resolve(self, loc: tuple = ()) -> tuple[tuple, Where]:
        """The data path actually present in the file (union tags dropped) and its position."""
        node, line, col, path = self.data, 0, 0, []
        for key in loc:
            lc = getattr(node, "lc", None)
            if isinstance(node, dict) and key in node:
                pos = _pos(lc, "value", key) or _pos(lc, "key", key)
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                pos = _pos(lc, "item", key)
            else:
                continue  # a schema tag (union branch), not a key of the file
            node = node[key]
            path.append(key)
            if pos:
                line, col = pos[0] + 1, pos[1] + 1
        if not line:
            lc = getattr(self.data, "lc", None)
            has = lc is not None and lc.line is not None
            line, col = (lc.line + 1, lc.col + 1) if has else (1, 1)
        return tuple(path), Where(self.path, line + self.line_offset, col)

    def where(self, loc: tuple = ()) -> Where:
        return self.resolve(loc)[1]

    def key_where(self, loc: tuple, key: str) -> Where:
        """Where ``key`` itself stands inside the mapping at ``loc`` (for unknown keys)."""
        present, fallback = self.resolve(loc)
        node = self.data
        for k in present:
            node = node[k]
        pos = _pos(getattr(node, "lc", None), "key", key)
        return Where(self.path, pos[0] + 1 + self.line_offset, pos[1] + 1) if pos else fallback


def _pos(lc, kind: str, key) -> tuple[int, int] | None:
    try:
        pos = getattr(lc, kind)(key)
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return pos if pos and pos[0] is not None else None


class _Constructor(RoundTripConstructor):
    """Dates stay text: our parser judges them (2013-02-30 made the YAML library itself fail)."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def parse_yaml(path: Path, text: str | None = None, line_offset: int = 0) -> Located:
    """Parse YAML strictly: duplicate keys and syntax errors are DataErrors with a position."""
    text = read_text(path) if text is None else text
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = (exc.problem or "").split('"')[1] if '"' in (exc.problem or "") else ""
        raise DataError(
            Where(display_path(path), mark.line + 1 + line_offset, mark.column + 1),
            f"键“{key}”重复出现" if key else "键重复出现",
            "同一层级的键只能写一次，请删去或合并重复的一项",
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(display_path(path), mark.line + 1 + line_offset, mark.column + 1) if mark else Where(display_path(path))
        raise DataError(where, f"YAML 语法错误：{_yaml_problem(exc)}", _yaml_hint(exc)) from None
    except YAMLError:
        raise DataError(Where(display_path(path)), "YAML 语法错误", "请检查缩进、冒号和引号") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(Where(display_path(path), 1 + line_offset, 1), "文件内容应为“键: 值”形式的映射",
                        "每行写成 键: 值，例如 title: 关于……的通知")
    return Located(path, data, line_offset)


def _yaml_problem(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "").strip()
    known = {
        "mapping values are not allowed here": "此处不能出现“键: 值”",
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
}


def validate(model: type[M], doc: Located, loc: tuple = ()) -> M:
    """Validate ``doc.data[loc]`` against a pydantic schema, translating the first error."""
    node = doc.data
    for k in loc:
        node = node[k]
    try:
        return model.model_validate(node)
    except ValidationError as exc:
        raise _translate(exc, model, doc, loc) from None


def _translate(exc: ValidationError, model: type[BaseModel], doc: Located, base: tuple) -> DataError:
    # A misspelt key also makes its field "missing": name the misspelling, it carries the fix.
    errors = exc.errors(include_url=False)
    err = min(errors, key=lambda e: (e["type"] != "extra_forbidden", e["type"] == "missing"))
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
        return DataError(where, f"字段“{field}”的值不正确：{cause}")
    words = _TYPE_WORDS.get(kind, err["msg"])
    if kind == "literal_error":
        words += "：" + err.get("ctx", {}).get("expected", "")
    return DataError(where, f"字段“{field}”{words}")


def _allowed_keys(model: type[BaseModel], path: tuple) -> list[str]:
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
