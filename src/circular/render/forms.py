"""Forms from Word templates (docxtpl): the template's body, filled, as elements for our writer."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from ..errors import CircularError, Where, display_path
from ..model import Form
from ..templating import RENDER_ERRORS, environment, file_version, plain_data, template_error

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # unpacked; a Word form is tens of kB


_RECOVER = etree.XMLParser(recover=True)  # the parser docxtpl's fix_tables uses
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)


class _Template(DocxTemplate):
    """docxtpl, skipping two of its post-render passes when they provably change nothing."""

    _LISTING = re.compile("[\t\a\n\f]")
    tables_fixed = False  # no render can change a table's shape, and the template's need no fix

    def resolve_listing(self, xml: str) -> str:
        # docxtpl's per-run rewrite only acts on \t \a \n \f; without any, it returns ``xml``
        return super().resolve_listing(xml) if self._LISTING.search(xml) else xml

    def fix_tables(self, xml: str) -> etree._Element:
        if self.tables_fixed:
            return etree.fromstring(xml, parser=_RECOVER)
        return super().fix_tables(xml)


def _static_tables(template: _Template, source: str) -> bool:
    """True when rendering cannot change any table's rows, cells or spans (tags inside tables
    only in cell text, values plain text) and docxtpl's column fix leaves the tables as they are."""
    start, end = source.find("<w:tbl"), source.rfind("</w:tbl>")
    if start >= 0 and re.search(r"\{[{%]", _TEXT.sub("", source[start:end])):
        return False
    parsed = etree.tostring(etree.fromstring(source, parser=_RECOVER))
    return etree.tostring(template.fix_tables(source)) == parsed


def open_template(path: Path) -> DocxTemplate:
    """A Word template, refused when it is not a .docx or unpacks to something huge (zip bomb)."""
    where = Where(display_path(path))
    from ..load.yamlsrc import read_bytes

    try:
        data = read_bytes(path, limit=MAX_TEMPLATE_BYTES)
    except CircularError as exc:
        raise CircularError(where, exc.message, exc.fix) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_TEMPLATE_BYTES:
                raise CircularError(where, "Word 模板解压后过大", "请检查模板是否损坏，或另存为普通 .docx")
            if "word/document.xml" not in z.namelist():
                raise CircularError(where, "不是有效的 Word（.docx）文件", "请在 Word 中另存为 .docx")
            # Word never writes a DTD; one in a template can only be an entity-expansion attack
            if any(b"<!DOCTYPE" in z.read(n)[:4096] for n in z.namelist() if n.endswith((".xml", ".rels"))):
                raise CircularError(where, "Word 模板含有 DTD 声明（Word 不会生成这种内容）",
                                    "请在 Word 中重新另存为 .docx")
    except (zipfile.BadZipFile, OSError):
        raise CircularError(where, "不是有效的 Word（.docx）文件", "请在 Word 中另存为 .docx") from None
    template = _Template(io.BytesIO(data))
    try:
        template.init_docx()
    except (etree.XMLSyntaxError, KeyError, ValueError, zipfile.BadZipFile, AttributeError, TypeError):
        raise CircularError(where, "Word 模板无法解析", "请在 Word 中打开后重新另存为 .docx") from None
    return template


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# body elements that point into parts a form cannot bring along
_UNCARRIED = {qn("w:footnoteReference"): "脚注", qn("w:endnoteReference"): "尾注", qn("w:commentReference"): "批注",
              qn("w:object"): "嵌入对象", qn("w:altChunk"): "嵌入文档", qn("w:subDoc"): "子文档"}


@dataclass(frozen=True)
class Relation:
    """Something the form's body points at by relationship id, carried into every document that
    holds the form: a picture (its bytes) or a hyperlink (its address)."""

    rid: str
    kind: str  # "image" | "hyperlink"
    target: str | bytes


def _relations(template: DocxTemplate, where: Where) -> tuple[Relation, ...]:
    """The pictures and hyperlinks the form's body uses; anything else it points at is refused."""
    part = template.docx.part
    found: dict[str, Relation] = {}
    for element in template.docx.element.body.iter():
        if element.tag in _UNCARRIED:
            raise CircularError(where, f"Word 模板中有{_UNCARRIED[element.tag]}，circular 不能把它带入公文",
                                "请在 Word 中删去它（说明文字可直接写在表格里）")
        for name, rid in element.attrib.items():
            if not name.startswith(f"{{{R_NS}}}") or rid in found:
                continue
            rel = part.rels.get(rid)
            if rel is None:
                raise CircularError(where, f"Word 模板中的关系“{rid}”指向不存在的内容",
                                    "请在 Word 中打开后重新另存为 .docx")
            if rel.reltype == _IMAGE and not rel.is_external:
                found[rid] = Relation(rid, "image", rel.target_part.blob)
            elif rel.reltype == _HYPERLINK and rel.is_external:
                found[rid] = Relation(rid, "hyperlink", rel.target_ref)
            else:
                kind = rel.reltype.rsplit("/", 1)[-1]
                raise CircularError(where, f"Word 模板中有 circular 不能带入的内容（{kind}）",
                                    "回执模板中只能有文字、表格、图片和超链接，请删去其他对象")
    return tuple(found[rid] for rid in sorted(found))


def rebind(elements: list[etree._Element], ids: dict[str, str]) -> list[etree._Element]:
    """Point the form's relationship ids at the ids its parts have in the document."""
    for top in elements:
        for element in top.iter():
            for name, rid in element.attrib.items():
                if name.startswith(f"{{{R_NS}}}") and rid in ids:
                    element.set(name, ids[rid])
    return elements


class CompiledForm:
    """A Word form parsed and compiled once; filling a record only runs Jinja and docxtpl's fixes.

    The steps are docxtpl's own (patch_xml, render_xml_part, fix_tables, fix_docpr_ids), in the
    order ``DocxTemplate.render`` runs them, minus re-reading the .docx and re-compiling Jinja for
    every record (tests/test_forms.py checks the result against a plain ``DocxTemplate.render``).
    """

    def __init__(self, path: Path):
        self.path = path
        self.template = open_template(path)
        self.env = environment(autoescape=True, compile_once=True)
        self.source = self.template.patch_xml(self.template.get_xml())
        self.template.tables_fixed = _static_tables(self.template, self.source)
        self.relations = _relations(self.template, Where(display_path(path)))

    def elements(self, context: dict[str, str]) -> list[etree._Element]:
        """The form's body paragraphs and tables, filled (strict, sandboxed, XML-escaped)."""
        template = self.template
        template.render_init()
        try:
            with self.env.session():
                xml = template.render_xml_part(self.source, template.docx._part, plain_data(context), self.env)
        except RENDER_ERRORS as exc:
            raise template_error(self.path, exc) from None
        tree = template.fix_tables(xml)
        template.fix_docpr_ids(tree)
        return [el for el in tree if el.tag in (qn("w:p"), qn("w:tbl"))]


@functools.lru_cache(maxsize=8)
def _compiled(path: Path, version: tuple[int, ...]) -> CompiledForm:
    return CompiledForm(path)


def compiled(form: Form) -> CompiledForm:
    """The form's template, compiled once per version of the file."""
    path = Path(form.template)
    try:
        version = file_version(path)
    except OSError:
        raise CircularError(Where(display_path(path)), "找不到 Word 模板或无法读取", "请检查模板路径") from None
    return _compiled(path, version)


def form_elements(form: Form) -> list[etree._Element]:
    """The filled form's body elements (relationship ids still the template's: see :func:`rebind`)."""
    return compiled(form).elements(dict(form.context))
