"""Templates an office edits: rendered in Jinja's sandbox, strictly, never evaluating data.

Undefined names are errors that name the template, its line and the variable. Values coming from
data are inserted as text: for Markdown output every ASCII punctuation mark is backslash-escaped,
so "&", "<", "*" or "{{ 7*7 }}" in data come out literally.
"""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path
from typing import Any

from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import CircularError, Where, display_path

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>&|~^\"'$%=:;,?@/])")


def markdown_text(value: Any) -> str:
    """A data value as literal Markdown text."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


MAX_REPEAT = 100_000  # longest string or list a template may build with * (a page is ~600 characters)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no attribute internals, no mutating data), plus bounded * and **:
    '"a" * 10**9' would otherwise take the machine's memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise SecurityError("指数过大")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise SecurityError("重复次数过多")
        return super().call_binop(context, operator, left, right)


class _CompileOnce(_Sandbox):
    """Compiles each distinct template source once: docxtpl hands it the same XML for every record."""

    def __init__(self, **options: Any):
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 (Jinja's signature)
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def environment(autoescape: bool = False, finalize=None, compile_once: bool = False) -> ImmutableSandboxedEnvironment:
    kind = _CompileOnce if compile_once else _Sandbox
    return kind(undefined=StrictUndefined, autoescape=autoescape, finalize=finalize,
                keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def template_error(path: Path, exc: Exception) -> CircularError:
    """One Chinese line for a template that does not render: file, line, what and how to fix."""
    name = display_path(path)
    if isinstance(exc, TemplateSyntaxError):
        return CircularError(Where(name, exc.lineno or 0), f"模板语法错误：{exc.message}",
                             "请检查 {{ }} 和 {% %} 是否成对、拼写是否正确")
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and (frame.filename == str(path) or frame.filename.endswith(path.name)):
            line = frame.lineno or 0
    if isinstance(exc, UndefinedError):
        missing = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        var = next((g for g in missing.groups() if g), str(exc)) if missing else str(exc)
        return CircularError(Where(name, line), f"模板用到了数据中没有的变量“{var}”",
                             "请检查变量名拼写，或在数据中补上这一项")
    if isinstance(exc, TemplateNotFound):
        return CircularError(Where(name, line), f"模板不能引用其他文件（{exc.name}）", "请把需要的文字直接写在模板里")
    if isinstance(exc, (SecurityError, OverflowError)):
        return CircularError(Where(name, line), "模板试图执行不允许的操作", "模板只能引用数据，不能调用程序内部功能")
    return CircularError(Where(name, line), f"模板无法渲染：{exc}")


def file_version(path: Path) -> tuple[int, ...]:
    """Changes whenever the file is written (ctime), so a compiled template is never stale."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def render_markdown(path: Path, context: dict[str, Any]) -> str:
    """Render a Markdown Jinja template file with data values escaped as literal text."""
    try:
        version = file_version(path)
    except OSError:
        version = ()  # read_text names the problem
    template = _markdown_template(path, version)
    try:
        return template.render(**context)
    except (TemplateError, TypeError, AttributeError, OverflowError, ValueError) as exc:
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
        return env.get_template(path.name)
    except (TemplateError, TypeError, AttributeError, OverflowError, ValueError) as exc:
        raise template_error(path, exc) from None
