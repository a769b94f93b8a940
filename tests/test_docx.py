"""The .docx XML carries the GB/T 9704 recipe (gbt9704.md §11) — checked on the built files."""

import zipfile

import pytest
from lxml import etree

from circular.layout import DEFAULT as L
from conftest import docx_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1], "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


@pytest.fixture(scope="module", params=["circular", "workpoints"])
def package(request, built, manifest):
    with zipfile.ZipFile(docx_of(built, manifest, request.param)) as z:
        yield request.param, {n: z.read(n) for n in z.namelist()}, z.infolist()


def xml(package, name):
    return etree.fromstring(package[1][name])


def test_page_and_grid(package):
    sect = xml(package, "word/document.xml").find(f".//{W}body/{W}sectPr")
    size, margins, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert {k: margins.get(f"{W}{k}") for k in ("top", "bottom", "left", "right", "footer")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474", "footer": "1451"}
    assert grid.get(f"{W}linePitch") == "579" and grid.get(f"{W}type") is None
    # docGrid is the last child circular writes in sectPr (schema order)
    assert [etree.QName(c).localname for c in sect][-1] == "docGrid"


def test_run_defaults_and_no_theme_fonts(package):
    styles = xml(package, "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = rpr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == L.fonts.body and fonts.get(f"{W}ascii") == "Times New Roman"
    assert rpr.find(f"{W}spacing").get(f"{W}val") == "-5"
    assert rpr.find(f"{W}sz").get(f"{W}val") == "32"
    assert rpr.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    for part in ("word/styles.xml", "word/document.xml"):
        assert b"Theme=" not in package[1][part] and b"cstheme" not in package[1][part]
    settings = xml(package, "word/settings.xml")
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    assert settings.find(f"{W}evenAndOddHeaders") is not None


def test_every_used_style_has_explicit_east_asian_font(package):
    styles = xml(package, "word/styles.xml")
    used = set(xml(package, "word/document.xml").xpath("//w:pStyle/@w:val", namespaces=NS))
    for style_id in used:
        style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        assert style is not None, style_id
        fonts = style.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia"), style_id
        spacing = style.find(f"{W}pPr/{W}spacing")
        if style_id not in ("GwMark", "GwPageNumber"):
            assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact"), style_id


def test_body_indent_has_both_forms(package):
    styles = xml(package, "word/styles.xml")
    ind = styles.find(f"{W}style[@{W}styleId='GwBody']/{W}pPr/{W}ind")
    assert (ind.get(f"{W}firstLineChars"), ind.get(f"{W}firstLine")) == ("200", "640")


def test_header_elements(built, manifest):
    with zipfile.ZipFile(docx_of(built, manifest, "circular")) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    paragraphs = doc.findall(f".//{W}body/{W}p")
    styles = [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in paragraphs]
    assert styles[:7] == ["GwMark", "GwBlank", "GwBlank", "GwDocNumber", "GwBlank", "GwBlank", "GwTitle"]
    mark = paragraphs[0]
    spacing = mark.find(f"{W}pPr/{W}spacing")
    total = sum(int(spacing.get(f"{W}{k}")) for k in ("before", "line", "after"))
    assert total % 579 == 0 and spacing.get(f"{W}lineRule") == "exact"
    assert "".join(mark.itertext()) == "中共重庆市委教育工委"
    number = paragraphs[3]
    assert "".join(number.xpath(".//w:t/text()", namespaces=NS)) == "渝教工委办〔2013〕7号"
    anchor = number.find(".//wp:anchor", NS)
    assert anchor.find("wp:positionH", NS).get("relativeFrom") == "margin"
    assert anchor.find("wp:positionV", NS).get("relativeFrom") == "paragraph"
    assert anchor.find("wp:wrapNone", NS) is not None
    assert int(anchor.find("wp:extent", NS).get("cx")) == 8844 * 635  # 156 mm
    line = anchor.find(".//a:ln", NS)
    assert line.get("w") == "19050" and line.find(".//a:srgbClr", NS).get("val") == "FF0000"
    assert anchor.find(".//a:prstGeom", NS).get("prst") == "line"
    assert not doc.findall(f".//{W}pBdr")  # never a paragraph border for the red line


def test_footers_carry_page_field_with_em_dashes(package):
    footers = [n for n in package[1] if n.startswith("word/footer")]
    assert len(footers) == 2
    sides = set()
    for name in footers:
        root = xml(package, name)
        text = "".join(root.itertext())
        assert text.replace(" ", "") == "—PAGE1—" and "-" not in text
        assert root.find(f".//{W}instrText").text.strip() == "PAGE"
        jc = root.find(f".//{W}jc").get(f"{W}val")
        ind = root.find(f".//{W}ind")
        assert ind.get(f"{W}{jc}") == "320"
        sides.add(jc)
    assert sides == {"left", "right"}


def test_imprint_is_a_bottom_anchored_table(built, manifest):
    with zipfile.ZipFile(docx_of(built, manifest, "circular")) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    tbl = doc.findall(f".//{W}body/{W}tbl")[-1]
    pos = tbl.find(f"{W}tblPr/{W}tblpPr")
    assert {k: pos.get(f"{W}{k}") for k in ("vertAnchor", "horzAnchor", "tblpX", "tblpYSpec")} == {
        "vertAnchor": "margin", "horzAnchor": "page", "tblpX": "1588", "tblpYSpec": "bottom"}
    borders = tbl.find(f"{W}tblPr/{W}tblBorders")
    assert borders.find(f"{W}top").get(f"{W}sz") == "8" and borders.find(f"{W}bottom").get(f"{W}sz") == "8"
    assert borders.find(f"{W}top").get(f"{W}color") == "000000"
    assert "".join(tbl.itertext()) == "中共重庆市委教育工委办公室2013年3月5日印发"


def test_drawing_ids_unique(package):
    ids = xml(package, "word/document.xml").xpath("//wp:docPr/@id", namespaces=NS)
    assert len(ids) == len(set(ids))


def test_core_properties_come_from_data(package):
    core = package[1]["docProps/core.xml"].decode()
    assert "2013-03-01T00:00:00Z" in core
    assert "中共重庆市委教育工委" in core


def test_zip_is_normalised(package):
    """[Content_Types].xml first, the shared parts sorted, then the document's own two parts."""
    infos = package[2]
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert names[-2:] == ["docProps/core.xml", "word/document.xml"]
    assert names[1:-2] == sorted(names[1:-2])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in names  # python-docx's blank-page thumbnail
