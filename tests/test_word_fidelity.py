"""Word-faithful output (issue 15): every document passes `circular check` in LibreOffice AND in the
Word-emulating engine; the 版记 ends on an even page wherever the text ends; the .docx says what
Word needs (font table, headings, a mark readers without DrawingML shapes can read)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from circular.build import build
from circular.verify.pdf import PdfView
from circular.verify.rules import FAIL, PASS, check
from conftest import copy_project, need_soffice, render_wordlike, run_cli
from docset import family_project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LINE = "为检验版记页码的奇偶，本段正文恰好排满一整行的文字。"  # 26 字 + 2 字 indent: one full line
SWEEP = range(1, 61)  # bodies of 1..60 lines: the text ends on every line of pages 1-3

SWEEP_NOTICE = """\
organ: 重庆市教育委员会
doc_number: 渝教〔2015〕{seq}号
title: 关于版记页码奇偶检验的通知
recipients:
  - 各区县（自治县）教委
body: |
{body}
date: 2015年3月2日
imprint:
  date: 2015年3月3日
  copy_to:
    - 市委办公厅
"""


def failures(pdf: Path) -> list[str]:
    with PdfView(pdf) as view:
        return [r.line() for r in check(view) if r.status == FAIL]


def rule(pdf: Path, name: str) -> list:
    with PdfView(pdf) as view:
        return [r for r in check(view) if r.rule == name]


# --- what the .docx says -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def family(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fidelity")
    data = family_project(root)
    build(data, root / "out", paginate=False)
    manifest = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))
    return {Path(d["docx"]).parts[0]: root / "out" / d["docx"] for d in manifest["documents"]}


def part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


def test_font_table_declares_our_fonts_for_substitution(family):
    fonts = {f.get(f"{{{W}}}name"): f for f in part(family["joint"], "word/fontTable.xml").findall("w:font", NS)}
    assert set(fonts) == {"Times New Roman", "仿宋", "黑体", "楷体", "方正小标宋简体", "宋体"}
    for name, alt in (("仿宋", "FangSong"), ("黑体", "SimHei"), ("楷体", "KaiTi"), ("宋体", "SimSun"),
                      ("方正小标宋简体", "FZXiaoBiaoSong-B05S")):
        font = fonts[name]
        assert font.find("w:altName", NS).get(f"{{{W}}}val") == alt
        assert font.find("w:charset", NS).get(f"{{{W}}}val") == "86"
        assert re.fullmatch(r"[0-9A-F]{20}", font.find("w:panose1", NS).get(f"{{{W}}}val"))
        assert font.find("w:sig", NS) is not None
    assert "Cambria" not in fonts and "ＭＳ 明朝" not in fonts


def _style_chain(styles: etree._Element, style_id: str) -> list[etree._Element]:
    chain = []
    while style_id:
        found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        if found is None:
            break
        chain.append(found)
        based = found.find("w:basedOn", NS)
        style_id = based.get(f"{{{W}}}val") if based is not None else ""
    return chain


def test_direct_indents_reset_the_chars_they_inherit(family):
    """Word applies an inherited firstLineChars/leftChars/hangingChars over a direct twips indent
    (附件说明 five characters too far right): every paragraph that sets an indent in twips also sets
    the *Chars attributes its style chain carries."""
    offenders = []
    for name, docx in family.items():
        styles = part(docx, "word/styles.xml")
        for p in part(docx, "word/document.xml").iter(f"{{{W}}}p"):
            ind = p.find("w:pPr/w:ind", NS)
            style = p.find("w:pPr/w:pStyle", NS)
            if ind is None or style is None:
                continue
            inherited = set()
            for s in _style_chain(styles, style.get(f"{{{W}}}val")):
                s_ind = s.find("w:pPr/w:ind", NS)
                if s_ind is not None:  # Word writes 0 itself to reset one: only a non-zero value acts
                    inherited |= {k.split("}")[1] for k, v in s_ind.attrib.items()
                                  if k.endswith("Chars") and v != "0"}
            own = {k.split("}")[1] for k in ind.attrib}
            if own - {a for a in own if a.endswith("Chars")} and inherited - own:
                offenders.append((name, "".join(p.itertext())[:12], sorted(inherited - own)))
    assert offenders == []


def test_headings_are_word_headings(family):
    import pypandoc

    markdown = pypandoc.convert_file(str(family["joint"]), "markdown")
    assert re.search(r"^# 一、活动时间", markdown, re.M) and re.search(r"^# 二、活动内容", markdown, re.M)
    styles = part(family["joint"], "word/styles.xml")
    chain = [s.get(f"{{{W}}}styleId") for s in _style_chain(styles, "GwHeading1")]
    assert chain[:2] == ["GwHeading1", "Heading1"]
    assert styles.find("w:style[@w:styleId='Heading1']/w:name", NS).get(f"{{{W}}}val") == "heading 1"


def test_letter_mark_reaches_readers_without_drawingml(family):
    import pypandoc

    text = pypandoc.convert_file(str(family["reply"]), "plain")
    assert text.splitlines()[0] == "重庆市教育委员会"  # the 信函 mark, from the VML fallback
    doc = part(family["reply"], "word/document.xml")
    alternates = doc.findall(".//{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent")
    assert alternates and all(len(a) == 2 for a in alternates)  # Choice and Fallback


# --- both renders ----------------------------------------------------------------------------------


@pytest.mark.render
def test_seed_and_family_pass_in_both_renders(tmp_path):
    """The seed's documents, a sealed notice, joint ones, a 署名 shorter than its date, 请示, 纪要,
    命令 and 函: no rule fails, laid out by LibreOffice or by the Word-emulating engine."""
    need_soffice()
    project = copy_project(tmp_path / "seed")
    assert run_cli("build", cwd=project).returncode == 0
    assert run_cli("pdf", cwd=project).returncode == 0
    family_data = family_project(tmp_path / "family")
    build(family_data, tmp_path / "family" / "out")
    assert run_cli("pdf", cwd=tmp_path / "family").returncode == 0
    docs = sorted((project / "out").rglob("*.docx")) + sorted((tmp_path / "family" / "out").rglob("*.docx"))
    assert len(docs) == 8 + 9
    word = render_wordlike(docs, tmp_path / "word")
    report = {}
    for docx in docs:
        for engine, pdf in (("LibreOffice", docx.with_suffix(".pdf")), ("Word-like", word[docx])):
            report[f"{engine} {docx.name}"] = failures(pdf)
    assert {k: v for k, v in report.items() if v} == {}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> tuple[Path, dict]:
    need_soffice()
    root = tmp_path_factory.mktemp("sweep")
    data = family_project(root, "joint")  # organs.yaml, register, templates
    for lines in SWEEP:
        folder = data / f"sweep-{lines:02d}"
        folder.mkdir()
        body = "\n\n".join(f"  {LINE}" for _ in range(lines))
        (folder / "notice.yaml").write_text(SWEEP_NOTICE.format(seq=lines, body=body), encoding="utf-8")
    build(data, root / "out")
    assert run_cli("pdf", "--no-previews", cwd=root).returncode == 0
    manifest = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))
    return root / "out", {d["docx"]: d for d in manifest["documents"] if d["docx"].startswith("sweep-")}


@pytest.mark.render
def test_sweep_uses_every_placement(sweep):
    _, documents = sweep
    placements = {d.get("placement", "flow") for d in documents.values()}
    assert placements == {"flow", "new-page", "even-section"}, placements


@pytest.mark.render
def test_imprint_even_wherever_the_text_ends_libreoffice(sweep):
    out, documents = sweep
    odd = {}
    for relpath in documents:
        results = rule(out / Path(relpath).with_suffix(".pdf"), "imprint.even")
        if [r.status for r in results] != [PASS]:
            odd[relpath] = [r.line() for r in results]
    assert odd == {}


@pytest.mark.render
def test_imprint_even_wherever_the_text_ends_wordlike(sweep, tmp_path):
    out, documents = sweep
    word = render_wordlike([out / relpath for relpath in documents], tmp_path)
    odd = {}
    for docx, pdf in word.items():
        results = rule(pdf, "imprint.even") + rule(pdf, "pagenum.value") + rule(pdf, "pagenum.absent")
        bad = [r.line() for r in results if r.status != PASS]
        if bad:
            odd[docx.name] = bad
    assert odd == {}
