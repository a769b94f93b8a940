"""The compiled form path (parse and compile once, fill per record) gives what docxtpl gives."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from circular.model import Form
from circular.render.forms import CompiledForm, form_elements
from circular.templating import environment

ROOT = Path(__file__).resolve().parents[1]
RECEIPT = ROOT / "templates" / "回执.docx"
CONTEXT = {"meeting": "渝西片区关工委工作研讨会", "reply_by": "2013年4月20日", "contact_name": "刘立新",
           "contact_phone": "023-63854123", "organ": "中共重庆市委教育工委办公室"}


def docxtpl_body(path: Path, context: dict) -> list[bytes]:
    """Reference: a fresh DocxTemplate, rendered the ordinary way."""
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=environment(autoescape=True))
    body = template.docx.element.body
    return [etree.tostring(el) for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]


def compiled_body(form: CompiledForm, context: dict) -> list[bytes]:
    return [etree.tostring(el) for el in form.elements(context)]


def table_template(path: Path, cells: list[str], loop_rows: bool) -> Path:
    """A Word table whose second row holds ``cells``: plain text, {%tc %} loops, or a {%tr %} loop."""
    document = docx.Document()
    document.add_paragraph("{{ meeting }}")
    table = document.add_table(rows=3 if loop_rows else 2, cols=len(cells))
    for i, text in enumerate(["名称"] * len(cells)):
        table.cell(0, i).text = text
    if loop_rows:
        table.cell(1, 0).text = "{%tr for unit in units %}"
        for i in range(len(cells)):
            table.cell(2, i).text = cells[i]
        table.add_row().cells[0].text = "{%tr endfor %}"
    else:
        for i, text in enumerate(cells):
            table.cell(1, i).text = text
    document.save(path)
    return path


def test_receipt_matches_docxtpl_for_many_records():
    form = CompiledForm(RECEIPT)
    assert form.template.tables_fixed  # the 回执 takes the fast path: its tables never change shape
    for n in range(5):
        context = {**CONTEXT, "meeting": f"第{n}次研讨会 <&> {{{{ 7*7 }}}}"}
        assert compiled_body(form, context) == docxtpl_body(RECEIPT, context)


def test_listing_characters_still_become_breaks():
    """\\n in a value becomes a line break exactly as docxtpl does it (the skipped pass runs)."""
    form = CompiledForm(RECEIPT)
    context = {**CONTEXT, "contact_name": "刘立新\n王二"}
    body = compiled_body(form, context)
    assert body == docxtpl_body(RECEIPT, context)
    assert any(b"<w:br/>" in el for el in body)


@pytest.mark.parametrize("cells, loop_rows, fast", [
    (["{{ meeting }}", "{{ reply_by }}"], False, True),  # tags only in cell text
    (["{%tc for u in units %}", "{{ u }}", "{%tc endfor %}"], False, False),  # column loop: docxtpl fixes the grid
    (["{{ unit }}", "x"], True, False),  # a row loop
])
def test_tables_match_docxtpl(tmp_path, cells, loop_rows, fast):
    path = table_template(tmp_path / "t.docx", cells, loop_rows)
    form = CompiledForm(path)
    assert form.template.tables_fixed is fast
    context = {**CONTEXT, "units": ["甲", "乙", "丙"], "unit": "甲"}
    assert compiled_body(form, context) == docxtpl_body(path, context)


def test_changed_template_is_recompiled(tmp_path):
    path = tmp_path / "回执.docx"
    path.write_bytes(RECEIPT.read_bytes())
    form = Form(str(path), tuple(CONTEXT.items()))
    before = "".join(etree.tostring(el, encoding="unicode") for el in form_elements(form))
    document = docx.Document()
    document.add_paragraph("新模板 {{ meeting }}")
    document.save(path)
    after = "".join(etree.tostring(el, encoding="unicode") for el in form_elements(form))
    assert after != before and "新模板" in after
