"""circular template check: what a Word template asks for, and docxtpl tags it would trip over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from jinja2 import TemplateSyntaxError

from .errors import display_path
from .render.forms import open_template
from .templating import environment, template_error

_TAG = re.compile(r"\{%\s*(p|tr|tc|r)\s")


@dataclass(frozen=True)
class Finding:
    where: str
    message: str

    def line(self) -> str:
        return f"{self.where}: {self.message}"


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def misplaced_tags(path: Path) -> list[Finding]:
    """{%tr %} outside a table row, {%tc %} outside a cell, two {%p/tr/tc/r %} in one paragraph."""
    template = open_template(path)
    template.init_docx()
    body = template.docx.element.body
    found = []
    for n, p in enumerate(body.iter(qn("w:p")), start=1):
        text = _text(p)
        tags = _TAG.findall(text)
        if not tags:
            continue
        where = f"{display_path(path)}: 第{n}段“{text[:30]}”"
        in_row = any(a.tag == qn("w:tr") for a in p.iterancestors())
        in_cell = any(a.tag == qn("w:tc") for a in p.iterancestors())
        if "tr" in tags and not in_row:
            found.append(Finding(where, "{%tr %} 不在表格行中：它会删掉整行，只能写在要重复的表格行里"))
        if "tc" in tags and not in_cell:
            found.append(Finding(where, "{%tc %} 不在表格单元格中"))
        if len(tags) > 1:
            found.append(Finding(where, f"同一段里有 {len(tags)} 个 {{%p/tr/tc/r %}} 标签：每段只能有一个，请分段"))
    return found


_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_]\w*)")


def check_template(path: Path, provided: dict[str, str]) -> tuple[list[str], list[str], list[Finding]]:
    """(variables the template uses, those the data does not provide, misplaced tags)."""
    misplaced = misplaced_tags(path)
    template = open_template(path)
    try:
        used = sorted(template.get_undeclared_template_variables(jinja_env=environment(autoescape=True)))
    except TemplateSyntaxError as exc:
        if not misplaced:
            raise template_error(path, exc) from None
        # a misplaced {%tr %} leaves Jinja unparsable: name the variables from the text instead
        template.init_docx()
        text = "".join(t.text or "" for t in template.docx.element.body.iter(qn("w:t")))
        used = sorted(set(_VARIABLE.findall(text)))
    missing = [v for v in used if v not in provided]
    return used, missing, misplaced
