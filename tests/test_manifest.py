"""out/manifest.json: its documented schema holds for what build and pdf write; the PDF stage is
staged and published like the .docx stage."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from circular.cli import main
from circular.manifest import Manifest
from conftest import ROOT, copy_project, need_soffice
from test_catalogue import snapshot

SCHEMA = json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8"))


def validate(out: Path) -> dict:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    return data


def test_build_manifest_follows_the_schema(built):
    data = validate(built)
    assert Manifest.from_json(data).to_json() == data  # read and written back, nothing lost


def test_schema_rejects_what_it_should():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"generator": "circular 0.1.0", "documents": [{"kind": "circular", "title": "x",
                                                                        "sources": [], "docx": "../x.docx"}]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"generator": "other", "documents": []}, SCHEMA)


@pytest.mark.render
def test_pdf_stage_manifest_and_atomicity(tmp_path, monkeypatch):
    """After pdf, the manifest (with PDFs, previews and the print file) follows the schema and lists
    every file in out/; a pdf run that fails midway leaves out/ exactly as it was."""
    need_soffice()
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--no-paginate"]).exit_code == 0
    before = snapshot(project / "out")

    import circular.build.pdfs as pdfs

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "x")

    monkeypatch.setattr(pdfs, "_bind", full_disk)
    result = runner.invoke(main, ["pdf", "--no-previews"])
    assert result.exit_code == 2 and "磁盘空间不足" in result.stderr
    assert snapshot(project / "out") == before and not (project / ".out.staging").exists()
    monkeypatch.undo()
    monkeypatch.chdir(project)
    result = runner.invoke(main, ["pdf"])
    assert result.exit_code == 0, result.stderr
    data = validate(project / "out")
    listed = Manifest.from_json(data).owned()
    on_disk = {p.relative_to(project / "out").as_posix() for p in (project / "out").rglob("*") if p.is_file()}
    assert on_disk == listed
    assert any(d["kind"] == "invitations-print" for d in data["documents"])
    assert all(d.get("pdf_of") == d["sha256"] and d["previews"] for d in data["documents"] if "docx" in d)
