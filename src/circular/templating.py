"""Templates an office edits: rendered in a sandbox that only sees plain data, strictly, boundedly.

Templates are untrusted (a pull request may change them, CI renders them). So:

* they receive plain data only — dicts, lists, strings, numbers (:func:`plain_data`), never live
  objects whose methods could reach files, pickle or imports;
* the sandbox allow-lists what may be touched: a few string and dict methods, the loop variable,
  a short list of filters and the ``range`` global — nothing else is reachable;
* work is bounded: loop steps, text and number sizes, total output and render time, so neither
  ``'x'.center(10**9)`` nor nested loops nor repeated ``~`` can exhaust the machine;
* undefined names are errors naming the template, its line and the variable.

Values from data are inserted as text: for Markdown output every ASCII punctuation mark is
backslash-escaped, so "&", "<", "*" or "{{ 7*7 }}" in data come out literally.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import math
import re
import time
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import (
    FunctionLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from .errors import CircularError, Where, display_path

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>&|~^\"'$%=:;,?@/])")

# --- limits: a page holds ~600 characters; these are orders of magnitude above any real template ---
MAX_TEXT = 1_000_000  # characters in one string or list a template builds
MAX_OUTPUT = 20_000_000  # characters a render may produce (a Word form's XML included)
MAX_STEPS = 1_000_000  # loop iterations in one render
MAX_SECONDS = 10.0  # wall time of one render
MAX_INT_BITS = 4096  # integers a template computes
MAX_RANGE = 100_000


class TemplateLimit(SecurityError):
    """A template went over one of the limits above; the message is the user's (Chinese)."""


def markdown_text(value: Any) -> str:
    """A data value as literal Markdown text."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


# --- plain data -----------------------------------------------------------------------------------


def plain_data(value: Any) -> Any:
    """``value`` as dicts, lists, strings, numbers, booleans and None only (what a template may see).

    Models and dataclasses become dicts of their fields, dates and 文号 their printed form; anything
    else is refused, so no object with methods ever reaches a template.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError("non-finite number")
        return value
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, enum.Enum):
        return plain_data(value.value)
    if isinstance(value, (dt.date, Path)):
        return str(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a pydantic model: its fields as printed (dates as 2013年3月1日)
        return plain_data(dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__str__ is not object.__str__:
            return str(value)  # value types (发文字号, 日期) print as they appear in a 公文
        return {f.name: plain_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"not plain data: {type(value).__name__}")


# --- the sandbox -----------------------------------------------------------------------------------

SAFE_STR_METHODS = frozenset({"strip", "lstrip", "rstrip", "startswith", "endswith", "removeprefix",
                              "removesuffix", "upper", "lower", "split", "count", "find", "isdigit"})
SAFE_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
SAFE_LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length",
                                  "depth", "depth0", "previtem", "nextitem", "changed", "cycle"})
# Jinja's filters minus those that allocate by a parameter (center, indent, format, wordwrap), reach
# attributes by name (attr), emit markup or reprs (safe, xmlattr, pprint, tojson, urlize) or differ
# between runs (random); join and replace are bounded below.
SAFE_FILTERS = ("abs", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
                "float", "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
                "min", "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "slice",
                "sort", "string", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount")


def _too_long(size: int) -> None:
    if size > MAX_TEXT:
        raise TemplateLimit(f"模板生成的文字过长（超过 {MAX_TEXT:,} 字符）")


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


class _Budget:
    """What one render may still spend: loop steps and time."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise TemplateLimit(f"模板中的循环次数过多（超过 {MAX_STEPS:,} 次）")
        if self.steps & 0xFF == 0:
            self.tick()

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"模板渲染超时（超过 {MAX_SECONDS:g} 秒）")


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox narrowed to an allow-list, with every costly operation bounded."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "/", "//"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals.clear()
        self.globals["range"] = self._range
        self.filters = {name: FILTERS[name] for name in SAFE_FILTERS}
        self.filters["join"] = _bounded_join
        self.filters["replace"] = _bounded_replace
        self._budget: _Budget | None = None

    # budget ---------------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[None]:
        """One render: a fresh budget for its steps and time."""
        outer, self._budget = self._budget, _Budget()
        try:
            yield
        finally:
            self._budget = outer

    @property
    def budget(self) -> _Budget:
        if self._budget is None:  # rendered outside session(): bounded all the same
            self._budget = _Budget()
        return self._budget

    # the allow-list -------------------------------------------------------------------------
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        self.budget.tick()
        if isinstance(obj, str):
            return attr in SAFE_STR_METHODS
        if isinstance(obj, dict):
            return attr in SAFE_DICT_METHODS
        if isinstance(obj, LoopContext):
            return attr in SAFE_LOOP_ATTRIBUTES
        return False

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is not on the allow-list ('{:>999999999}'.format allocates)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        __self.budget.tick()  # double underscores: a template's keyword arguments cannot collide
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator_: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator_ == "%" and isinstance(left, str):
            raise TemplateLimit("模板不能用 % 格式化文字")
        if operator_ == "**" and isinstance(right, int) and abs(right) > 100:
            raise TemplateLimit("模板中的指数过大")
        if operator_ == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    _too_long(len(seq) * times)
        if operator_ == "+":
            _too_long(_sized(left) + _sized(right))
        result = super().call_binop(context, operator_, left, right)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise TemplateLimit("模板中的数值过大")
        return result

    def _range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise TemplateLimit(f"range() 过大（超过 {MAX_RANGE:,} 项）")
        for n in numbers:
            self.budget.step()
            yield n

    # hooks the rewritten templates call ----------------------------------------------------
    def guard_iter(self, iterable: Any) -> Iterator[Any]:
        """Every ``{% for %}`` iterates through here: its steps count against the budget."""
        budget = self.budget
        for item in iterable:
            budget.step()
            yield item

    def guard_concat(self, *items: Any) -> str:
        """``a ~ b ~ c``: sized before it is built."""
        _too_long(sum(len(str(i)) for i in items))
        return (markup_join if self.autoescape else str_join)(items)

    def concat(self, pieces: Iterable[str]) -> str:
        """Every render's output (and each macro's) is joined here: bounded in size and time."""
        out, size = [], 0
        budget = self.budget
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"模板输出过长（超过 {MAX_OUTPUT:,} 字符）")
            budget.tick()
            out.append(piece)
        return "".join(out)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Guards().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree


class _Guards(NodeTransformer):
    """Rewrites a parsed template so every loop and every ``~`` goes through the sandbox's guards."""

    def visit_For(self, node: nodes.For) -> nodes.For:  # noqa: N802 (Jinja's visitor names)
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("guard_iter"), [node.iter], [], None, None,
                               lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:  # noqa: N802
        self.generic_visit(node)
        return nodes.Call(nodes.EnvironmentAttribute("guard_concat"), node.nodes, [], None, None, lineno=node.lineno)


def _bounded_join(eval_ctx, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    items = list(value)
    _too_long(sum(len(str(i)) for i in items) + len(d) * max(0, len(items) - 1))
    return FILTERS["join"](eval_ctx, items, d, attribute)


_bounded_join.jinja_pass_arg = FILTERS["join"].jinja_pass_arg  # type: ignore[attr-defined]


def _bounded_replace(eval_ctx, s: str, old: str, new: str, count: int | None = None) -> str:
    text = str(s)
    hits = text.count(str(old)) if old else len(text) + 1
    if count is not None:
        hits = min(hits, max(0, count))
    _too_long(len(text) + hits * (len(str(new)) - len(str(old))))
    return FILTERS["replace"](eval_ctx, s, old, new, count)


_bounded_replace.jinja_pass_arg = FILTERS["replace"].jinja_pass_arg  # type: ignore[attr-defined]


class _CompileOnce(_Sandbox):
    """Compiles each distinct template source once: docxtpl hands it the same XML for every record."""

    def __init__(self, **options: Any):
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def environment(autoescape: bool = False, finalize=None, compile_once: bool = False) -> _Sandbox:
    kind = _CompileOnce if compile_once else _Sandbox
    return kind(undefined=StrictUndefined, autoescape=autoescape, finalize=finalize,
                keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


# --- errors ----------------------------------------------------------------------------------------

# what a template may get wrong while rendering (anything else is a bug of ours)
RENDER_ERRORS = (TemplateError, TypeError, AttributeError, OverflowError, ValueError, ArithmeticError,
                 RecursionError, LookupError, MemoryError)


def template_error(path: Path, exc: BaseException) -> CircularError:
    """One Chinese line for a template that does not render: file, line, what and how to fix."""
    name = display_path(path)
    if isinstance(exc, TemplateSyntaxError):
        return CircularError(Where(name, exc.lineno or 0), "模板语法错误：" + _syntax_words(exc.message or ""),
                             "请检查 {{ }} 和 {% %} 是否成对、拼写是否正确")
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and (frame.filename == str(path) or frame.filename.endswith(path.name)):
            line = frame.lineno or 0
    where = Where(name, line)
    if isinstance(exc, UndefinedError) and not isinstance(exc, SecurityError):
        missing = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        var = next((g for g in missing.groups() if g), "") if missing else ""
        what = f"“{var}”" if var else ""
        return CircularError(where, f"模板用到了数据中没有的变量{what}", "请检查变量名拼写，或在数据中补上这一项")
    if isinstance(exc, TemplateNotFound):
        return CircularError(where, "模板不能引用其他文件", "请把需要的文字直接写在模板里")
    if isinstance(exc, TemplateLimit):
        return CircularError(where, str(exc), "请简化模板：模板只用来排列数据中的文字")
    if isinstance(exc, (SecurityError, UndefinedError)):
        return CircularError(where, "模板试图执行不允许的操作", "模板只能引用数据，不能调用程序内部功能")
    if isinstance(exc, RecursionError):
        return CircularError(where, "模板中的宏递归调用过深", "请检查宏是否调用了自己")
    if isinstance(exc, ZeroDivisionError):
        return CircularError(where, "模板中除以零", "请检查模板中的算式")
    if isinstance(exc, MemoryError):
        return CircularError(where, "模板渲染用尽了内存", "请简化模板")
    return CircularError(where, "模板中的表达式无法计算（值的类型或取值不对）", "请检查该行的变量和运算")


_SYNTAX_WORDS = (
    ("No filter named", "模板用了不允许的过滤器"),
    ("No test named", "模板用了未知的判断"),
    ("unexpected end of template", "模板意外结束，缺少结束标签"),
    ("unexpected '}'", "多了一个“}”"),
    ("unexpected char", "出现了不能识别的字符"),
    ("expected token", "缺少必要的符号"),
    ("Encountered unknown tag", "未知的标签"),
    ("unexpected", "出现了不应有的内容"),
)


def _syntax_words(message: str) -> str:
    for english, chinese in _SYNTAX_WORDS:
        if english in message:
            quoted = re.findall(r"'([^']*)'", message)
            return chinese + (f"（{quoted[0]}）" if quoted and english != "unexpected '}'" else "")
    return "无法解析"


# --- Markdown templates ----------------------------------------------------------------------------


def file_version(path: Path) -> tuple[int, ...]:
    """Changes whenever the file is written (ctime), so a compiled template is never stale."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def render_markdown(path: Path, context: dict[str, Any]) -> str:
    """Render a Markdown Jinja template file over plain data, values escaped as literal text."""
    try:
        version = file_version(path)
    except OSError:
        version = ()  # read_text names the problem
    env, template = _markdown_template(path, version)
    try:
        with env.session():
            return template.render(**plain_data(context))
    except RENDER_ERRORS as exc:
        raise template_error(path, exc) from None


@functools.lru_cache(maxsize=8)
def _markdown_template(path: Path, version: tuple[int, ...]):
    """Compiled once per version of the file: compiling took 70% of writing an invitation."""
    from .load.yamlsrc import read_text

    source = read_text(path)
    env = environment(finalize=markdown_text)
    # a loader that knows the file name, so errors point at the template's own lines, and that
    # serves nothing else: {% include %} / {% import %} of other files cannot read the disk
    env.loader = FunctionLoader(lambda name: (source, str(path), lambda: True) if name == path.name else None)
    try:
        return env, env.get_template(path.name)
    except RENDER_ERRORS as exc:
        raise template_error(path, exc) from None


__all__ = ["MAX_OUTPUT", "MAX_STEPS", "MAX_TEXT", "RENDER_ERRORS", "TemplateLimit", "environment", "file_version",
           "markdown_text", "plain_data", "render_markdown", "template_error"]
