"""Each layout rule catches its defect: a built .docx with one thing broken fails exactly that rule.

A few defects move two measured things at once (the 发文字号 and the red line anchored in it); those
cases list both rules. Everything is rendered in one LibreOffice batch.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from circular.build import build
from circular.convert import to_pdf
from circular.layout import DEFAULT as L
from circular.render.package import rezip
from circular.verify.pdf import PdfView
from circular.verify.rules import FAIL, check
from conftest import copy_project, need_soffice
from docset import make_set, seal_png

pytestmark = pytest.mark.render

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def paragraphs(root, style: str) -> list:
    return root.xpath(f"//w:body//w:p[w:pPr/w:pStyle/@w:val='{style}']", namespaces=NS)


def style(root, style_id: str):
    return root.xpath(f"//w:style[@w:styleId='{style_id}']", namespaces=NS)[0]


def set_ind(p, **attrs):
    ppr = p.find(q("pPr"))
    ind = ppr.find(q("ind"))
    if ind is None:
        ind = etree.SubElement(ppr, q("ind"))
        # keep schema order: ind before jc
        jc = ppr.find(q("jc"))
        if jc is not None:
            jc.addprevious(ind)
    for k, v in attrs.items():
        ind.set(q(k), str(v))


def set_spacing(p, **attrs):
    ppr = p.find(q("pPr"))
    sp = ppr.find(q("spacing"))
    if sp is None:
        sp = etree.Element(q("spacing"))
        ppr.find(q("pStyle")).addnext(sp)
    for k, v in attrs.items():
        sp.set(q(k), str(v))


def set_font(root, style_id: str, east_asia: str):
    style(root, style_id).find(f"{q('rPr')}/{q('rFonts')}").set(q("eastAsia"), east_asia)


def blank_paragraph():
    p = etree.Element(q("p"))
    ppr = etree.SubElement(p, q("pPr"))
    etree.SubElement(ppr, q("pStyle")).set(q("val"), "GwBlank")
    return p


def replace_text(root, old: str, new: str):
    for t in root.iter(q("t")):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new)


Edit = Callable[[dict], None]  # receives {part name: parsed root}


def mutate(src: Path, dst: Path, edit: Edit) -> None:
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    roots = {n: etree.fromstring(b) for n, b in parts.items() if n.startswith("word/") and n.endswith(".xml")}
    edit(roots)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, etree.tostring(roots[name], xml_declaration=True, encoding="UTF-8",
                                            standalone=True) if name in roots else data)
    dst.write_bytes(rezip(buf.getvalue()))


def doc(roots):
    return roots["word/document.xml"]


def styles(roots):
    return roots["word/styles.xml"]


def footers(roots):
    return [r for n, r in roots.items() if n.startswith("word/footer")]


# --- the defects ---------------------------------------------------------------------------------

def taller_paper(roots):
    sect = doc(roots).find(f".//{q('body')}/{q('sectPr')}")
    size, margins = sect.find(q("pgSz")), sect.find(q("pgMar"))
    size.set(q("h"), str(L.page.height + 1000))
    for key in ("bottom", "footer"):
        margins.set(q(key), str(int(margins.get(q(key))) + 1000))


def outdented_paragraph(roots):
    set_ind(paragraphs(doc(roots), "GwBody")[0], left=-640, right=640)


def looser_paragraph(roots):
    body = paragraphs(doc(roots), "GwBody")
    set_spacing(body[1], line=640, lineRule="exact")


def denser_lines(roots):
    style(styles(roots), "GwBody").find(f"{q('pPr')}/{q('spacing')}").set(q("line"), "520")


def no_condensing(roots):
    styles(roots).find(f".//{q('rPrDefault')}//{q('spacing')}").set(q("val"), "0")


def black_mark(roots):
    style(styles(roots), "GwMark").find(f"{q('rPr')}/{q('color')}").set(q("val"), "000000")


def mark_off_centre(roots):
    set_ind(paragraphs(doc(roots), "GwMark")[0], left=300)


def mark_too_high(roots):
    """1 mm higher: outside 35 ± 1 mm; the grid kept (before and after trade 60 tw)."""
    p = paragraphs(doc(roots), "GwMark")[0]
    spacing = p.find(f"{q('pPr')}/{q('spacing')}")
    set_spacing(p, before=int(spacing.get(q("before"))) - 60, after=int(spacing.get(q("after"))) + 60)


def square_brackets(roots):
    replace_text(doc(roots), "〔2013〕7号", "[2013]7号")


def number_off_centre(roots):
    set_ind(paragraphs(doc(roots), "GwDocNumber")[0], left=800)


def number_one_line_up(roots):
    body = doc(roots).find(q("body"))
    body.remove(paragraphs(doc(roots), "GwBlank")[0])
    paragraphs(doc(roots), "GwDocNumber")[0].addnext(blank_paragraph())


def short_red_line(roots):
    anchor = paragraphs(doc(roots), "GwDocNumber")[0].find(".//wp:anchor", NS)
    for ext in (anchor.find("wp:extent", NS), anchor.find(".//a:ext", NS)):
        ext.set("cx", str(int(ext.get("cx")) * 8 // 10))


def red_line_lower(roots):
    offset = paragraphs(doc(roots), "GwDocNumber")[0].find(".//wp:positionV/wp:posOffset", NS)
    offset.text = str(int(offset.text) + 5 * 12700)


def title_off_centre(roots):
    set_ind(paragraphs(doc(roots), "GwTitle")[0], left=800)


def title_too_wide(roots):
    title = paragraphs(doc(roots), "GwTitle")[0]
    for br in title.iter(q("br")):
        br.getparent().remove(br)
    rpr = etree.Element(q("rPr"))
    etree.SubElement(rpr, q("w")).set(q("val"), "80")  # glyphs 80 % wide: 25 to a line
    for r in title.findall(q("r")):
        r.insert(0, copy.deepcopy(rpr))


def title_line_wraps(roots):
    """A 23-字 title line (as a title_lines entry written too long would give): the renderer wraps it
    at the margin, each row under 20 字, yet the title is broken by the margin, not by meaning."""
    title = paragraphs(doc(roots), "GwTitle")[0]
    texts = [t for t in title.iter(q("t"))]
    texts[0].text = "关于进一步加强和改进全市中小学校关心下一代工作"  # 23 字 on the first line
    for t in texts[1:]:
        t.text = "的通知" if t is texts[-1] else ""


def small_title(roots):
    for tag in ("sz", "szCs"):
        style(styles(roots), "GwTitle").find(f"{q('rPr')}/{q(tag)}").set(q("val"), "36")


def title_one_line_down(roots):
    title = paragraphs(doc(roots), "GwTitle")[0]
    title.addprevious(blank_paragraph())
    title.getnext().getparent().remove(title.getnext())  # the blank line after the title


def indented_recipients(roots):
    set_ind(paragraphs(doc(roots), "GwRecipients")[0], left=640)


def recipients_without_colon(roots):
    replace_text(doc(roots), "委直属中小学党组织：", "委直属中小学党组织")


def no_body_on_page_one(roots):
    ppr = paragraphs(doc(roots), "GwBody")[0].find(q("pPr"))
    ppr.find(q("pStyle")).addnext(etree.Element(q("pageBreakBefore")))


def heading_in_fangsong(roots):
    set_font(styles(roots), "GwHeading1", L.fonts.body)


def three_char_indent(roots):
    set_ind(paragraphs(doc(roots), "GwBody")[0], firstLine=960, firstLineChars=300)


def attachment_note_indent(roots):
    set_ind(paragraphs(doc(roots), "GwAttachmentNote")[0], left=1600, hanging=640)


def attachment_items_misaligned(roots):
    note = paragraphs(doc(roots), "GwAttachmentNote")[1]
    ind = note.find(f"{q('pPr')}/{q('ind')}")
    ind.set(q("left"), str(int(ind.get(q("left"))) - 320))


def padded_date(roots):
    replace_text(doc(roots), "2013年3月1日", "2013年03月01日")


def signature_too_far_left(roots):
    """署名 and date both one 字 too far left (the date keeps its offset)."""
    name = paragraphs(doc(roots), "GwSignature")[0]
    name_ind = name.find(f"{q('pPr')}/{q('ind')}")
    name_ind.set(q("right"), str(int(name_ind.get(q("right"))) + 320))
    date = paragraphs(doc(roots), "GwDate")[0]
    ind = date.find(f"{q('pPr')}/{q('ind')}")
    ind.set(q("right"), str(int(ind.get(q("right"))) + 320))


def date_too_far_right(roots):
    date = paragraphs(doc(roots), "GwDate")[0]  # set from the right edge: less room on the right
    ind = date.find(f"{q('pPr')}/{q('ind')}")
    ind.set(q("right"), str(int(ind.get(q("right"))) - 320))


def _seal(roots):
    return paragraphs(doc(roots), "GwSignature")[0].find(".//wp:anchor", NS)


def sealed_block_right(roots):
    """date, 署名 and seal one 字 further right: only the date's 右空四字 is wrong."""
    for name in ("GwSignature", "GwDate"):
        ind = paragraphs(doc(roots), name)[0].find(f"{q('pPr')}/{q('ind')}")
        ind.set(q("right"), str(int(ind.get(q("right"))) - 320))
    h = _seal(roots).find("wp:positionH/wp:posOffset", NS)
    h.text = str(int(h.text) + 320 * 635)


def sealed_name_off_centre(roots):
    ind = paragraphs(doc(roots), "GwSignature")[0].find(f"{q('pPr')}/{q('ind')}")
    ind.set(q("right"), str(int(ind.get(q("right"))) + 400))


def seal_off_centre(roots):
    h = _seal(roots).find("wp:positionH/wp:posOffset", NS)
    h.text = str(int(h.text) + 20 * 12700)


def small_seal(roots):
    anchor = _seal(roots)
    old = int(anchor.find("wp:extent", NS).get("cx"))
    new = round(20 * 36000)
    for ext in (anchor.find("wp:extent", NS), anchor.find(".//a:ext", NS)):
        ext.set("cx", str(new))
        ext.set("cy", str(new))
    h = anchor.find("wp:positionH/wp:posOffset", NS)
    h.text = str(int(h.text) + (old - new) // 2)


def seal_far_below_text(roots):
    paragraphs(doc(roots), "GwSignature")[0].addprevious(blank_paragraph())


def same_page_number(roots):
    for root in footers(roots):
        for instr in root.iter(q("instrText")):
            instr.text = " QUOTE 1 "


def big_page_number(roots):
    for tag in ("sz", "szCs"):
        style(styles(roots), "GwPageNumber").find(f"{q('rPr')}/{q(tag)}").set(q("val"), "36")


def page_number_far_in(roots):
    for root in footers(roots):
        ind = root.find(f".//{q('ind')}")
        for side in ("left", "right"):
            if ind.get(q(side)):
                ind.set(q(side), "640")


def page_number_low(roots):
    sect = doc(roots).find(f".//{q('body')}/{q('sectPr')}")
    sect.find(q("pgMar")).set(q("footer"), str(L.page.footer - 150))


def imprint_centred(roots):
    pos = doc(roots).xpath("//w:tblpPr", namespaces=NS)[-1]
    pos.set(q("tblpYSpec"), "center")


def red_imprint_rules(roots):
    for b in doc(roots).xpath("//w:tblpPr/../w:tblBorders/*", namespaces=NS):
        if b.get(q("val")) == "single":
            b.set(q("color"), "FF0000")


def thin_imprint_rules(roots):
    top = doc(roots).xpath("//w:tblpPr/../w:tblBorders/w:top", namespaces=NS)[-1]
    top.set(q("sz"), "4")


def label_indented(roots):
    set_ind(paragraphs(doc(roots), "GwAttachmentLabel")[0], left=320)


def attachment_title_on_line_two(roots):
    label = paragraphs(doc(roots), "GwAttachmentLabel")[0]
    label.getparent().remove(label.getnext())


def body_in_hei(roots):
    set_font(styles(roots), "GwBody", L.fonts.heading1)
    styles(roots).find(f".//{q('rPrDefault')}//{q('rFonts')}").set(q("eastAsia"), L.fonts.heading1)


def title_in_hei(roots):
    set_font(styles(roots), "GwTitle", L.fonts.heading1)


def mark_in_hei(roots):
    set_font(styles(roots), "GwMark", L.fonts.heading1)


def page_number_in_hei(roots):
    fonts = style(styles(roots), "GwPageNumber").find(f"{q('rPr')}/{q('rFonts')}")
    for slot in ("ascii", "hAnsi", "eastAsia"):
        fonts.set(q(slot), L.fonts.heading1)


def _upward(roots, left: int, right: int):
    """The 发文字号 line of a 上行文: number 左空一字, then a right tab to “签发人：张三” 右空一字."""
    number = paragraphs(doc(roots), "GwDocNumber")[0]
    ppr = number.find(q("pPr"))
    tabs = etree.Element(q("tabs"))
    tab = etree.SubElement(tabs, q("tab"))
    tab.set(q("val"), "right")
    tab.set(q("pos"), str(L.page.text_width - right))
    ppr.find(q("pStyle")).addnext(tabs)
    jc = etree.SubElement(ppr, q("jc"))
    jc.set(q("val"), "left")
    set_ind(number, left=left)
    signer = etree.SubElement(number, q("r"))
    etree.SubElement(signer, q("tab"))
    t = etree.SubElement(signer, q("t"))
    t.text = "签发人：张三"


def upward_document(roots):
    _upward(roots, 320, 320)


def upward_number_flush_left(roots):
    _upward(roots, 0, 320)


def numbered_imprint_page(roots):
    """The 版记 section's own (empty) footers get the page number runs of the text's footers."""
    numbered = [f for f in footers(roots) if any(True for _ in f.iter(q("instrText")))]
    empty = [f for f in footers(roots) if f not in numbered]
    assert numbered and empty
    runs = numbered[0].find(q("p")).findall(q("r"))
    for footer in empty:
        p = footer.find(q("p"))
        for r in runs:
            p.append(copy.deepcopy(r))


def unmoved_imprint(roots):
    """Undo the even-page fix: the 版记 stays on odd page 1 with the text."""
    for p in doc(roots).xpath("//w:body/w:p[w:pPr/w:pageBreakBefore]", namespaces=NS):
        p.find(q("pPr")).remove(p.find(f"{q('pPr')}/{q('pageBreakBefore')}"))


def _letter_lines(roots):
    header = next(r for n, r in roots.items() if n.startswith("word/header") and r.iter(q("drawing")))
    anchors = [a for a in header.iter("{%s}anchor" % NS["wp"]) if a.find("wp:docPr", NS).get("name") == "红色双线"]
    return sorted(anchors, key=lambda a: int(a.find("wp:positionV/wp:posOffset", NS).text))


def _shift(anchor, points):
    offset = anchor.find("wp:positionV/wp:posOffset", NS)
    offset.text = str(int(offset.text) + round(points * 12700))


def letter_mark_low(roots):
    box = next(a for a in doc(roots).iter("{%s}anchor" % NS["wp"]) if a.find("wp:docPr", NS).get("name") == "发文机关标志")
    _shift(box, 4)


def letter_number_off_right(roots):
    set_ind(paragraphs(doc(roots), "GwDocNumber")[0], right=600)


def letter_top_pair_lower(roots):
    for anchor in _letter_lines(roots)[:2]:
        _shift(anchor, 2.5)


def letter_short_line(roots):
    anchor = _letter_lines(roots)[0]
    for ext in (anchor.find("wp:extent", NS), anchor.find(".//a:ext", NS)):
        ext.set("cx", str(int(ext.get("cx")) * 9 // 10))


def letter_weights_swapped(roots):
    top, second = _letter_lines(roots)[:2]
    a, b = top.find(".//a:ln", NS), second.find(".//a:ln", NS)
    wa, wb = a.get("w"), b.get("w")
    a.set("w", wb)
    b.set("w", wa)


def letter_bottom_pair_higher(roots):
    for anchor in _letter_lines(roots)[2:]:
        _shift(anchor, -15)


def letter_title_lower(roots):
    title = paragraphs(doc(roots), "GwTitle")[0]
    title.addprevious(blank_paragraph())
    title.getnext().getparent().remove(title.getnext())


# (source document, defect, rules that must fail — and only they)
CASES = [
    ("seed", taller_paper, {"page.paper"}),
    ("seed", outdented_paragraph, {"page.text-area"}),
    ("seed", looser_paragraph, {"grid.pitch"}),
    ("seed", denser_lines, {"grid.rows", "grid.pitch"}),
    ("seed", no_condensing, {"grid.chars", "signature.date-offset"}),  # the 落款 is placed in condensed 字
    ("seed", black_mark, {"mark.color"}),
    ("seed", mark_off_centre, {"mark.centre"}),
    ("seed", mark_too_high, {"mark.top"}),
    ("seed", square_brackets, {"number.syntax"}),
    ("seed", number_off_centre, {"number.centre"}),
    ("seed", upward_number_flush_left, {"number.upward"}),
    ("seed", number_one_line_up, {"number.gap", "title.gap"}),  # the red line moves with the 文号
    ("seed", short_red_line, {"redline.width"}),
    ("seed", red_line_lower, {"redline.gap"}),
    ("seed", title_off_centre, {"title.centre"}),
    ("seed", title_too_wide, {"title.width"}),
    ("seed", title_line_wraps, {"title.width"}),
    ("seed", small_title, {"title.size"}),
    ("seed", title_one_line_down, {"title.gap"}),
    ("seed", indented_recipients, {"recipients.form"}),
    ("seed", recipients_without_colon, {"recipients.colon"}),
    ("seed", no_body_on_page_one, {"page1.body", "imprint.even"}),  # a page more: the 版记 parity flips
    ("seed", heading_in_fangsong, {"heading.font"}),
    ("seed", three_char_indent, {"body.indent"}),
    ("seed", attachment_note_indent, {"attachment.note"}),
    ("seed", padded_date, {"date.format", "signature.date-offset"}),  # set from the right: it grows left
    ("seed", signature_too_far_left, {"signature.unsealed"}),
    ("seed", date_too_far_right, {"signature.date-offset"}),
    ("seed", same_page_number, {"pagenum.value"}),
    ("seed", big_page_number, {"pagenum.size"}),
    ("seed", page_number_far_in, {"pagenum.side"}),
    ("seed", page_number_low, {"pagenum.dash"}),
    ("seed", imprint_centred, {"imprint.bottom", "grid.pitch"}),  # text flows round the raised 版记
    ("seed", red_imprint_rules, {"imprint.color"}),
    ("seed", thin_imprint_rules, {"imprint.weights"}),
    ("seed", label_indented, {"attachment.label"}),
    ("seed", attachment_title_on_line_two, {"attachment.title"}),
    ("seed", body_in_hei, {"fonts.body"}),
    ("seed", title_in_hei, {"fonts.title"}),
    ("seed", mark_in_hei, {"fonts.mark"}),
    ("seed", page_number_in_hei, {"fonts.page-number"}),
    ("alone", numbered_imprint_page, {"pagenum.absent"}),
    ("short", unmoved_imprint, {"imprint.even"}),
    ("letter", letter_mark_low, {"letter.mark-top", "letter.line-gap"}),  # the line stays: its gap shrinks
    ("letter", letter_number_off_right, {"letter.number-right"}),
    ("letter", letter_top_pair_lower, {"letter.number-gap"}),
    ("letter", letter_short_line, {"letter.lines"}),
    ("letter", letter_weights_swapped, {"letter.line-weights"}),
    ("letter", letter_bottom_pair_higher, {"letter.bottom-line"}),
    ("letter", letter_title_lower, {"letter.title-gap"}),
    ("rich", attachment_items_misaligned, {"attachment.note-align"}),
    ("rich", sealed_block_right, {"seal.date-right"}),
    ("rich", sealed_name_off_centre, {"seal.name-centred", "seal.centred"}),  # the seal stays on the date
    ("rich", seal_off_centre, {"seal.centred"}),
    ("rich", small_seal, {"seal.press"}),
    ("rich", seal_far_below_text, {"seal.top"}),
]

RICH = """---
title: 关于做好2013年关心下一代工作的意见
attachments:
  - a.md
  - b.md
---
为做好今年的工作，提出如下意见。

# 总体要求

各单位要加强领导。
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    need_soffice()
    root = tmp_path_factory.mktemp("broken")
    build(copy_project(root / "project") / "data", root / "seed")
    data = make_set(root / "rich", notice={"seal": "seal.png"}, workpoints=RICH, files={
        "a.md": "---\ntitle: 工作任务分解表\n---\n内容。\n", "b.md": "---\ntitle: 联系人名单\n---\n内容。\n"})
    seal_png(data / "2013-07" / "seal.png")
    build(data, root / "rich-out")
    line = "本段是测试正文，占一行。"
    for name, n in (("alone", 26), ("short", 1)):  # 版记 alone on page 3 / sharing page 1 (test_even_page)
        build(make_set(root / name, notice={"transmits": None, "body": "\n\n".join([line] * n)}), root / f"{name}-out")
    sources = {"seed": next((root / "seed").rglob("渝教工委办*.docx")),
               "rich": next((root / "rich-out").rglob("渝教工委办*.docx")),
               "alone": next((root / "alone-out").rglob("*.docx")),
               "short": next((root / "short-out").rglob("*.docx")),
               "letter": next((root / "seed").rglob("会议通知_渝西片区_*.docx"))}
    docs = {}
    for source, edit, _ in [*CASES, ("seed", upward_document, set())]:
        target = root / f"{edit.__name__}.docx"
        mutate(sources[source], target, edit)
        docs[edit.__name__] = target
    originals = {f"original-{name}": root / f"original-{name}.docx" for name in sources}
    for name, path in sources.items():
        originals[f"original-{name}"].write_bytes(path.read_bytes())
    pdfs = to_pdf(list(docs.values()) + list(originals.values()), font_gate="off")
    results = {}
    for name, path in [*docs.items(), *originals.items()]:
        with PdfView(pdfs[path]) as view:
            results[name] = check(view)
    return results


def test_upward_document_is_recognised(broken):
    results = broken["upward_document"]
    assert [(r.rule, r.status) for r in results if r.rule.startswith("number.")] == [
        ("number.syntax", "PASS"), ("number.upward", "PASS"), ("number.signer-line", "PASS"),
        ("number.signer-right", "PASS"), ("number.gap", "PASS")]
    assert [r.line() for r in results if r.status == FAIL] == []


def test_unbroken_sources_pass(broken):
    for name in ("original-seed", "original-rich", "original-alone", "original-short", "original-letter"):
        assert [r.line() for r in broken[name] if r.status == FAIL] == [], name


@pytest.mark.parametrize("source,edit,expected", CASES, ids=[c[1].__name__ for c in CASES])
def test_defect_fails_exactly_its_rule(broken, source, edit, expected):
    results = broken[edit.__name__]
    failed = {r.rule for r in results if r.status == FAIL}
    for r in results:
        if r.status == FAIL:
            print(r.line())
    assert failed == expected
