"""Templates an office edits: rendered in Jinja's sandbox, strictly, never evaluating data.

Undefined names are errors that name the template, its line and the variable. Values coming from
data are inserted as text: for Markdown output every ASCII punctuation mark is backslash-escaped,
so "&", "<", "*" or "{{ 7*7 }}" in data come out literally.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import CircularError, Where, display_path

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>&|~^\"'$%=:;,?@/])")


def markdown_text(value: Any) -> str:
    """A data value as literal Markdown text."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def environment(autoescape: bool = False, finalize=None) -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=autoescape, finalize=finalize,
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
    if isinstance(exc, SecurityError):
        return CircularError(Where(name, line), "模板试图执行不允许的操作", "模板只能引用数据，不能调用程序内部功能")
    return CircularError(Where(name, line), f"模板无法渲染：{exc}")


def render_markdown(path: Path, context: dict[str, Any]) -> str:
    """Render a Markdown Jinja template file with data values escaped as literal text."""
    from .load.yamlsrc import read_text

    source = read_text(path)
    env = environment(finalize=markdown_text)
    # a loader that knows the file name, so errors point at the template's own lines
    env.loader = FunctionLoader(lambda name: (source, str(path), lambda: True))
    try:
        return env.get_template(path.name).render(**context)
    except (TemplateError, TypeError, AttributeError) as exc:
        raise template_error(path, exc) from None
