"""The writer's engine: a package of shared parts built once per shape, a canvas each document's
body is written on, and the loop that runs a format's parts in order.

A format (文件格式, 信函格式 …, see ``formats/``) is pages + parts; parts (版头, 主体, 落款, 版记 …, see
``parts/``) write onto a :class:`Writing`. Nothing here knows any particular format or part.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml import etree

from ..grammar import Element
from ..layout import Layout
from ..model import Attachment, Gongwen
from . import pages
from .forms import Relation, compiled
from .measure import hint_chunks
from .ooxml import fonts, put, run, w
from .package import rezip, with_parts
from .pages import Package
from .styles import east_asia_face

_MAX_REUSABLE = 512


class ImprintPlacement(StrEnum):
    """Where the 版记 goes; the build picks one after a render so the 版记 page is even (docs/layout.md §4)."""

    FLOW = "flow"  # at the bottom of the page the text ends on
    NEW_PAGE = "new-page"  # text ended on an odd page that had room: 版记 on the next (even) page
    EVEN_SECTION = "even-section"  # 版记 alone on an odd page: blank page, then the 版记; both unnumbered


class Canvas:
    """One document's body being written: appends paragraphs and tables, hands out drawing ids."""

    def __init__(self, layout: Layout, shared: Skeleton):
        self.layout = layout
        self.shared = shared
        self.root = copy(shared.document)
        self.body = self.root.find(qn("w:body"))
        self.section = self.body.find(qn("w:sectPr"))  # the last section's properties: content goes before
        self._next_id = shared.next_drawing_id

    def drawing_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def append(self, element: etree._Element) -> etree._Element:
        self.section.addprevious(element)
        return element

    def last(self) -> etree._Element | None:
        """The last paragraph or table written so far."""
        return self.section.getprevious()

    def reused(self, key: tuple, build: Callable[[], etree._Element]) -> etree._Element:
        """A copy of what ``build`` makes for ``key``, built once per skeleton: blank lines, text
        from one template and drawings recur across documents. Always a copy, never the first
        build itself, so a document's bytes do not depend on what was rendered before it."""
        known = self.shared.reusable
        if key not in known:
            if len(known) >= _MAX_REUSABLE:
                known.clear()
            known[key] = build()
        return copy(known[key])  # lxml's copy is a deep copy, without deepcopy's memo

    def paragraph(self, element: Element, text: str = "", *ppr: etree._Element,
                  rpr: Iterable[etree._Element] = ()) -> etree._Element:
        if ppr or rpr:
            return self.append(self._paragraph(element, text, ppr, rpr))
        return self.append(self.reused(("p", element.style, text), lambda: self._paragraph(element, text, (), ())))

    def _paragraph(self, element: Element, text: str, ppr: Iterable[etree._Element],
                   rpr: Iterable[etree._Element]) -> etree._Element:
        p = w("p")
        pp = w("pPr")
        put(pp, w("pStyle", val=element.style))
        for child in ppr:
            put(pp, child)
        p.append(pp)
        if text:
            for chunk, hinted in hint_chunks(text):
                extra = list(rpr)
                if hinted:
                    extra.append(fonts(self.layout.fonts.latin, east_asia_face(element, self.layout), True))
                p.append(run(chunk, extra))
        return p

    def image_id(self, path: str) -> str:
        """The relationship id of the picture at ``path`` (a seal, a 签名章) in this package."""
        return self.shared.image_ids[digest(Path(path).read_bytes())]

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.paragraph(Element.BLANK)


@dataclass
class Writing:
    """One document being written: what parts share while they run in order."""

    canvas: Canvas
    gw: Gongwen
    placement: ImprintPlacement
    last_body: etree._Element | None = None  # the main text's last paragraph (the 落款 keeps with it)
    annexes: list[Attachment] = field(default_factory=list)  # attachments of every text, in order

    @property
    def layout(self) -> Layout:
        return self.canvas.layout


Part = Callable[[Writing], None]


@dataclass(frozen=True)
class Format:
    """A 公文 format (GB/T 9704 7 and 10): its page set-up and the parts it writes, in order."""

    name: str
    pages: Callable[[Package], None]  # headers, footers, first-page set-up (shared by every document)
    parts: tuple[Part, ...]
    draws_imprint: Callable[[Gongwen], bool]  # prints a 版记 (the pagination pass moves it)


# --- the package: shared parts built once, the body and core properties per document ------------

_DOCUMENT, _CORE = "word/document.xml", "docProps/core.xml"


@dataclass(frozen=True)
class Shape:
    """Everything that decides a document's parts other than its body and core properties."""

    format: Format
    even_section: bool  # 版记 in an even-page section of its own
    images: tuple[bytes, ...] = ()  # seals and 签名章, each once
    relations: tuple[Relation, ...] = ()  # pictures and hyperlinks of the forms the document holds


@dataclass(frozen=True)
class Skeleton:
    """The parts shared by every document of one shape, ready to receive a body."""

    parts: bytes  # zip of every part but the body and the core properties
    document: etree._Element  # the document part, its body holding only the last section's properties
    core_xml: bytes
    section_break: bytes | None  # sectPr ending the text's section before an even-page 版记
    image_ids: dict[str, str]  # sha256 of an image -> its relationship id in this package
    next_drawing_id: int
    form_ids: dict[str, str]  # a form's relationship id -> the id of the same part in this package
    reusable: dict[tuple, etree._Element] = field(default_factory=dict, compare=False, repr=False)


@functools.lru_cache(maxsize=32)
def skeleton(layout: Layout, shape: Shape) -> Skeleton:
    pkg = Package(layout)
    pages.setup(pkg)
    shape.format.pages(pkg)
    image_ids = {digest(image): pkg.document.part.get_or_add_image(io.BytesIO(image))[0] for image in shape.images}
    form_ids = {}
    for rel in shape.relations:
        if isinstance(rel.target, bytes):  # a picture
            form_ids[rel.rid] = pkg.document.part.get_or_add_image(io.BytesIO(rel.target))[0]
        else:  # a hyperlink's address
            form_ids[rel.rid] = pkg.document.part.relate_to(rel.target, RT.HYPERLINK, is_external=True)
    section_break = pages.even_page_section(pkg) if shape.even_section else None
    saved = io.BytesIO()
    pkg.document.save(saved)
    return Skeleton(
        parts=rezip(saved.getvalue(), leave_out=(_DOCUMENT, _CORE)),
        document=parse_xml(serialize_part_xml(pkg.document.element)),
        core_xml=serialize_part_xml(pkg.document.core_properties._element),
        section_break=section_break, image_ids=image_ids, next_drawing_id=pkg.next_id, form_ids=form_ids,
    )


def shape_of(gw: Gongwen, fmt: Format, placement: ImprintPlacement) -> Shape:
    paths = [*(gw.signature.seals if gw.signature else ()), *(s.stamp for s in gw.signed_by if s.stamp)]
    images = tuple(dict.fromkeys(Path(p).read_bytes() for p in paths))
    forms = [att.form for text in (gw.main, *gw.transmitted) for att in text.attachments if att.form]
    relations = tuple(rel for form in forms for rel in compiled(form).relations)
    return Shape(fmt, placement is ImprintPlacement.EVEN_SECTION and fmt.draws_imprint(gw), images, relations)


def digest(image: bytes) -> str:
    return hashlib.sha256(image).hexdigest()


def write(fmt: Format, gw: Gongwen, layout: Layout, placement: ImprintPlacement) -> bytes:
    """The whole .docx of ``gw`` in format ``fmt``, as reproducible bytes."""
    shared = skeleton(layout, shape_of(gw, fmt, placement))
    writing = Writing(Canvas(layout, shared), gw, placement)
    for part in fmt.parts:
        part(writing)
    return with_parts(shared.parts, ((_CORE, _core_properties(writing.canvas, gw)),
                                     (_DOCUMENT, serialize_part_xml(writing.canvas.root))))


def _core_properties(canvas: Canvas, gw: Gongwen) -> bytes:
    """docProps/core.xml: what is common to a kind of document by one author on one date is set
    once; title and subject per document."""
    date = gw.date.value if gw.date else dt.date(1980, 1, 1)

    def common() -> etree._Element:
        element = parse_xml(canvas.shared.core_xml)
        cp = CoreProperties(element)
        stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
        cp.author = _property(gw.author)
        cp.last_modified_by = _property(gw.author)
        cp.created = stamp
        cp.modified = stamp
        cp.last_printed = stamp
        cp.revision = 1
        cp.language = "zh-CN"
        cp.keywords = ""
        cp.comments = ""
        cp.category = str(gw.kind)
        return element

    element = canvas.reused(("core", gw.author, gw.kind, date), common)
    cp = CoreProperties(element)
    cp.title = _property(gw.title)
    cp.subject = _property(str(gw.header.doc_number)) if gw.header else ""
    return serialize_part_xml(element)


def _property(text: str) -> str:
    """Core properties hold at most 255 characters (python-docx enforces Word's limit)."""
    return text if len(text) <= 255 else text[:254] + "…"
