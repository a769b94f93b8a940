"""Forms from Word templates (docxtpl): the template's body, filled, as elements for our writer."""

from __future__ import annotations

import zipfile
from copy import deepcopy
from pathlib import Path

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from lxml import etree

from ..errors import CircularError, Where, display_path
from ..model import Form
from ..templating import environment, template_error

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # unpacked; a Word form is tens of kB


def open_template(path: Path) -> DocxTemplate:
    """A Word template, refused when it is not a .docx or unpacks to something huge (zip bomb)."""
    where = Where(display_path(path))
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_TEMPLATE_BYTES:
                raise CircularError(where, "Word 模板解压后过大", "请检查模板是否损坏，或另存为普通 .docx")
            if "word/document.xml" not in z.namelist():
                raise CircularError(where, "不是有效的 Word（.docx）文件", "请在 Word 中另存为 .docx")
            # Word never writes a DTD; one in a template can only be an entity-expansion attack
            if any(b"<!DOCTYPE" in z.read(n)[:4096] for n in z.namelist() if n.endswith((".xml", ".rels"))):
                raise CircularError(where, "Word 模板含有 DTD 声明（Word 不会生成这种内容）", "请在 Word 中重新另存为 .docx")
    except (zipfile.BadZipFile, OSError):
        raise CircularError(where, "不是有效的 Word（.docx）文件", "请在 Word 中另存为 .docx") from None
    template = DocxTemplate(str(path))
    try:
        template.init_docx()
    except (etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise CircularError(where, f"Word 模板无法解析：{exc}", "请在 Word 中打开后重新另存为 .docx") from None
    return template


def form_elements(form: Form) -> list[etree._Element]:
    """Render the form (strict, sandboxed, XML-escaped) and return its body paragraphs and tables."""
    path = Path(form.template)
    template = open_template(path)
    try:
        template.render(dict(form.context), jinja_env=environment(autoescape=True))
    except (TemplateError, TypeError, OverflowError, ValueError) as exc:
        raise template_error(path, exc) from None
    body = template.docx.element.body
    return [deepcopy(el) for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
