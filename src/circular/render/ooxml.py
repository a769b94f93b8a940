"""A thin raw-OOXML layer for what python-docx has no API for.

Every element is inserted in schema order (ECMA-376 sequences below), East Asian fonts are
always explicit, and drawings get unique ids from the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from copy import deepcopy

from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import oxml_parser, parse_xml
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V_NS = "urn:schemas-microsoft-com:vml"

# Child sequences of the elements we touch (ECMA-376 Part 1, as python-docx declares them).
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
TCPR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
).split()
TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden"
).split()
SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings"
).split()

# clark name of a parent -> rank of each child's clark name in the parent's sequence
_RANKS = {
    f"{{{W_NS}}}{parent}": {f"{{{W_NS}}}{child}": rank for rank, child in enumerate(order)}
    for parent, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER), ("tblPr", TBLPR_ORDER), ("tcPr", TCPR_ORDER),
                          ("trPr", TRPR_ORDER), ("sectPr", SECTPR_ORDER))
}

WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


_W_NSMAP = {"w": W_NS}


@functools.cache
def _w_name(local: str) -> str:
    return f"{{{W_NS}}}{local}"


def w(tag: str, **attrs: object) -> etree._Element:
    """A w: element with w: attributes (``w("spacing", line=579, lineRule="exact")``).

    The same element python-docx's OxmlElement makes (its parser, so its element classes),
    without re-parsing the prefixed names on every call: the writer makes thousands of these."""
    el = oxml_parser.makeelement(_w_name(tag), nsmap=_W_NSMAP)
    for name, value in attrs.items():
        el.set(_w_name(name), _attr(value))
    return el


def _attr(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def put(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Insert ``child`` into ``parent`` in schema order, replacing an existing one of its tag."""
    ranks = _RANKS[parent.tag]
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = ranks[child.tag]
    for i, sibling in enumerate(parent):
        if ranks.get(sibling.tag, -1) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def props(owner: etree._Element, tag: str) -> etree._Element:
    """The w:pPr / w:rPr / w:tblPr / … child of ``owner``, created first if absent."""
    found = owner.find(qn(f"w:{tag}"))
    if found is None:
        found = w(tag)
        owner.insert(0, found)
    return found


def fonts(latin: str, east_asia: str, hint_east_asia: bool = False) -> etree._Element:
    """Explicit fonts in all four slots; theme attributes never appear."""
    attrs = {"ascii": latin, "hAnsi": latin, "eastAsia": east_asia, "cs": latin}
    if hint_east_asia:
        attrs["hint"] = "eastAsia"
    return w("rFonts", **attrs)


def strip_theme_fonts(root: etree._Element) -> None:
    """Theme font attributes override explicit names (黑体 silently becomes 等线): remove them all."""
    theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in theme_attrs:
            rfonts.attrib.pop(attr, None)


def run(text: str, rpr: Iterable[etree._Element] = ()) -> etree._Element:
    """A w:r with optional properties and text (``\\n`` becomes a line break)."""
    r = w("r")
    rpr = list(rpr)
    if rpr:
        rp = w("rPr")
        for child in rpr:
            put(rp, child)
        r.append(rp)
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(w("br"))
        for j, part in enumerate(line.split("\t")):
            if j:  # a tab is an element: a tab character inside w:t is not one in Word
                r.append(w("tab"))
            if part:
                t = w("t")
                t.text = part
                if part != part.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)
    return r


def field_runs(instruction: str, placeholder: str, rpr: Iterable[etree._Element]) -> list[etree._Element]:
    """A complex field (begin / instrText / separate / cached result / end)."""
    rpr = list(rpr)

    def with_rpr(r: etree._Element) -> etree._Element:
        if rpr:
            rp = w("rPr")
            for child in rpr:
                put(rp, _copy(child))
            r.insert(0, rp)
        return r

    begin = with_rpr(w("r"))
    begin.append(w("fldChar", fldCharType="begin"))
    instr = with_rpr(w("r"))
    it = w("instrText")
    it.text = f" {instruction} "
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.append(it)
    sep = with_rpr(w("r"))
    sep.append(w("fldChar", fldCharType="separate"))
    result = with_rpr(w("r"))
    t = w("t")
    t.text = placeholder
    result.append(t)
    end = with_rpr(w("r"))
    end.append(w("fldChar", fldCharType="end"))
    return [begin, instr, sep, result, end]


def _copy(el: etree._Element) -> etree._Element:
    return parse_xml(etree.tostring(el))


def fixed_table(width: int, borders: dict[str, int], margins: dict[str, int],
                *more: etree._Element) -> etree._Element:
    """A w:tbl with its w:tblPr: fixed layout ``width`` tw wide, a border size per side (eighths
    of a point, 0 for none), a cell margin per side, and ``more`` properties (jc, tblpPr …)."""
    tbl = w("tbl")
    tp = w("tblPr")
    for el in more:
        put(tp, el)
    put(tp, w("tblW", w=width, type="dxa"))
    lines = w("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        lines.append(border(side, borders.get(side, 0)))
    put(tp, lines)
    put(tp, w("tblLayout", type="fixed"))
    cell = w("tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        cell.append(w(side, w=margins.get(side, 0), type="dxa"))
    put(tp, cell)
    tbl.append(tp)
    return tbl


def border(side: str, size: int, color: str = "000000") -> etree._Element:
    """A single border line; ``size`` in eighths of a point, 0 for none."""
    if size <= 0:
        return w(side, val="nil")
    return w(side, val="single", sz=size, space=0, color=color)


def _anchor(doc_pr_id: int, name: str, graphic: str, *, h_from: str, v_from: str, x_emu: int, y_emu: int,
            cx: int, cy: int, effect: int = 0, behind: bool = False, ns: tuple[str, ...] = ()) -> etree._Element:
    """A run holding a floating drawing (``wrapNone``: takes no room in the text flow)."""
    xml = f"""
<w:r {nsdecls("w", "wp", "a", *ns)} xmlns:wps="{WPS_NS}">
 <w:drawing>
  <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{251659264 + doc_pr_id}"
             behindDoc="{int(behind)}" locked="1" layoutInCell="1" allowOverlap="1">
   <wp:simplePos x="0" y="0"/>
   <wp:positionH relativeFrom="{h_from}"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>
   <wp:positionV relativeFrom="{v_from}"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>
   <wp:extent cx="{cx}" cy="{cy}"/>
   <wp:effectExtent l="0" t="{effect}" r="0" b="{effect}"/>
   <wp:wrapNone/>
   <wp:docPr id="{doc_pr_id}" name="{name}"/>
   <wp:cNvGraphicFramePr/>
   <a:graphic>{graphic}</a:graphic>
  </wp:anchor>
 </w:drawing>
</w:r>"""
    return parse_xml(xml)


def anchored_line(
    doc_pr_id: int,
    name: str,
    *,
    x_emu: int,
    y_emu: int,
    length_emu: int,
    weight_emu: int,
    color: str,
    relative_h: str = "margin",
    relative_v: str = "paragraph",
) -> etree._Element:
    """A horizontal DrawingML line (the red separator, the 信函 double lines)."""
    graphic = f"""<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
     <wps:wsp>
      <wps:cNvCnPr/>
      <wps:spPr>
       <a:xfrm><a:off x="0" y="0"/><a:ext cx="{length_emu}" cy="0"/></a:xfrm>
       <a:prstGeom prst="line"><a:avLst/></a:prstGeom>
       <a:ln w="{weight_emu}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln>
      </wps:spPr>
      <wps:bodyPr/>
     </wps:wsp>
    </a:graphicData>"""
    r = _anchor(doc_pr_id, name, graphic, h_from=relative_h, v_from=relative_v, x_emu=x_emu, y_emu=y_emu,
                cx=length_emu, cy=0, effect=weight_emu // 2)
    line = (f'<v:line xmlns:v="{V_NS}" from="0,0" to="{_pt(length_emu)},0" strokecolor="#{color}" '
            f'strokeweight="{_pt(weight_emu)}" style="{_vml_position(x_emu, y_emu, relative_h, relative_v)}"/>')
    return _with_vml_fallback(r, line)


def anchored_picture(
    doc_pr_id: int, name: str, rel_id: str, *, x_emu: int, y_emu: int, cx: int, cy: int, behind: bool = True
) -> etree._Element:
    """A picture anchored to the column and paragraph, text over it (印章: 黑字透红)."""
    graphic = f"""<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
     <pic:pic>
      <pic:nvPicPr><pic:cNvPr id="{doc_pr_id}" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>
      <pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
      <pic:spPr>
       <a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
       <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
      </pic:spPr>
     </pic:pic>
    </a:graphicData>"""
    return _anchor(doc_pr_id, name, graphic, h_from="column", v_from="paragraph", x_emu=x_emu, y_emu=y_emu,
                   cx=cx, cy=cy, behind=behind, ns=("pic", "r"))


def anchored_text_box(
    doc_pr_id: int, name: str, paragraph: etree._Element, *, x_emu: int, y_emu: int, cx: int, cy: int
) -> etree._Element:
    """A borderless page-anchored text box holding one paragraph (no insets)."""
    graphic = f"""<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
     <wps:wsp>
      <wps:cNvSpPr txBox="1"/>
      <wps:spPr>
       <a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
       <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
       <a:noFill/><a:ln><a:noFill/></a:ln>
      </wps:spPr>
      <wps:txbx><w:txbxContent/></wps:txbx>
      <wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0">
       <a:noAutofit/>
      </wps:bodyPr>
     </wps:wsp>
    </a:graphicData>"""
    r = _anchor(doc_pr_id, name, graphic, h_from="page", v_from="page", x_emu=x_emu, y_emu=y_emu, cx=cx, cy=cy)
    r.find(f".//{{{W_NS}}}txbxContent").append(paragraph)
    style = f"{_vml_position(x_emu, y_emu, 'page', 'page')};width:{_pt(cx)};height:{_pt(cy)}"
    box = parse_xml(f"""<v:shape {nsdecls("w")} xmlns:v="{V_NS}" type="#_x0000_t202" style="{style}"
     filled="f" stroked="f"><v:textbox inset="0,0,0,0"><w:txbxContent/></v:textbox></v:shape>""")
    box.find(f".//{{{W_NS}}}txbxContent").append(deepcopy(paragraph))
    return _with_vml_fallback(r, etree.tostring(box, encoding=str))


_VML_RELATIVE = {"page": "page", "margin": "margin", "column": "text", "paragraph": "text"}


def _with_vml_fallback(r: etree._Element, shape: str) -> etree._Element:
    """A DrawingML shape as Word writes it: ``mc:AlternateContent`` choosing it, with ``shape`` (VML)
    as the fallback, so readers without DrawingML shapes (pandoc, indexers, old Word) still get it."""
    drawing = r.find(f"{{{W_NS}}}drawing")
    fallback = parse_xml(f"""<mc:Fallback {nsdecls("w")} xmlns:mc="{MC_NS}" xmlns:v="{V_NS}">
 <w:pict>{shape}</w:pict></mc:Fallback>""")
    alternate = parse_xml(f'<mc:AlternateContent xmlns:mc="{MC_NS}" xmlns:wps="{WPS_NS}">'
                          '<mc:Choice Requires="wps"/></mc:AlternateContent>')
    r.remove(drawing)
    alternate[0].append(drawing)
    alternate.append(fallback)
    r.append(alternate)
    return r


def _pt(emu: int) -> str:
    return f"{emu / 12700:.2f}pt"


def _vml_position(x_emu: int, y_emu: int, h_from: str, v_from: str) -> str:
    return (f"position:absolute;margin-left:{_pt(x_emu)};margin-top:{_pt(y_emu)};"
            f"mso-position-horizontal-relative:{_VML_RELATIVE[h_from]};"
            f"mso-position-vertical-relative:{_VML_RELATIVE[v_from]}")
