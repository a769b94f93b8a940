"""Every .docx we write validates as OOXML and is predicted to open in Word without repair.

Validator: openxml-audit (PyPI, MIT, pure Python: no .NET on CI machines), which checks the
schemas and Word's known app-compatibility traps. It found two real defects when introduced:
python-docx's stale stylesWithEffects.xml part and an out-of-order tblBorders in our 回执 template.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from circular.build import build
from docset import make_set, seal_png

AUDIT = Path(sys.executable).with_name("openxml-audit")


def audit(paths: list[Path]) -> list[dict]:
    reports = []
    for path in paths:
        result = subprocess.run([str(AUDIT), "-o", "json", "-m", "0", str(path)],
                                capture_output=True, text=True, timeout=600)
        reports.extend(json.loads(result.stdout))
    return reports


def test_every_built_document_validates(built, manifest):
    docs = [built / d["docx"] for d in manifest["documents"] if "docx" in d]
    reports = audit(docs)
    for report in reports:
        assert report["valid"], (report["file"], report["errors"][:3])
        assert report["verdict"]["prediction"] == "opens-clean", report["verdict"]
    assert len(reports) == 8


@pytest.mark.parametrize("variant", ["sealed", "even-section"])
def test_variants_validate(tmp_path, variant):
    if variant == "sealed":
        data = make_set(tmp_path, notice={"seal": "seal.png", "transmits": None})
        seal_png(data / "2013-07" / "seal.png")
        out = build(data, tmp_path / "out", paginate=False).to_json()
        docs = [tmp_path / "out" / d["docx"] for d in out["documents"] if d["kind"] == "circular"]
    else:
        from circular.load import load_all
        from circular.layout import Layout
        from circular.render import ImprintPlacement, render

        data = make_set(tmp_path, notice={"transmits": None, "body": "正文。"})
        gw = load_all(data)[0].documents[0]
        docs = [tmp_path / "even.docx"]
        docs[0].write_bytes(render(gw, Layout(), ImprintPlacement.EVEN_SECTION))
    report = audit(docs)[0]
    assert report["valid"] and report["verdict"]["prediction"] == "opens-clean", report["errors"][:3]


def test_receipt_template_validates():
    report = audit([Path(__file__).resolve().parent.parent / "templates" / "回执.docx"])[0]
    assert report["valid"] and report["verdict"]["prediction"] == "opens-clean", report["errors"][:3]


def form_with_picture_and_link(path: Path) -> None:
    """The repository's 回执 with what an office adds in Word: a logo picture and a hyperlink."""
    import io

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm
    from PIL import Image

    document = docx.Document(str(path))
    logo = io.BytesIO()
    Image.new("RGB", (60, 30), (200, 0, 0)).save(logo, "PNG")
    logo.seek(0)
    document.add_paragraph("会徽：").add_run().add_picture(logo, width=Mm(20))
    paragraph = document.add_paragraph("网上报名：")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), document.part.relate_to("https://example.org/baoming", RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "报名网站"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    document.save(str(path))


def test_form_with_picture_and_hyperlink_validates(tmp_path):
    """A picture or hyperlink added to the Word form is carried into every invitation (its
    relationship ids once pointed at the footer) and each invitation still validates."""
    import zipfile

    data = make_set(tmp_path)
    form_with_picture_and_link(tmp_path / "templates" / "回执.docx")
    out = build(data, tmp_path / "out", paginate=False).to_json()
    docs = [tmp_path / "out" / d["docx"] for d in out["documents"] if d["kind"] == "invitation"]
    for report in audit(docs[:2]):
        assert report["valid"] and report["verdict"]["prediction"] == "opens-clean", report["errors"][:3]
    with zipfile.ZipFile(docs[0]) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        assert "media/image" in rels and "https://example.org/baoming" in rels
        assert any(n.startswith("word/media/") for n in z.namelist())
