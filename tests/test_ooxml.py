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
        out = build(data, tmp_path / "out", paginate=False)
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
