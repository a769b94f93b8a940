"""circular export: each built document as a web page (HTML) and as Markdown, made from the model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest

from circular.review.text import labelled
from conftest import copy_project, run_cli
from docset import family_project

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}


def html_blocks(path: Path) -> list[str]:
    """The text of every block of the page, in order (a cell's paragraphs are the cell)."""
    tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    texts = []

    def walk(node, inside=False):
        if node.tag in BLOCKS and not inside:
            texts.append(re.sub(r"\s+", "", "".join(node.itertext())))
            inside = True
        for child in node:
            walk(child, inside)

    walk(tree.find("body"))
    return [t for t in texts if t]


def docx_blocks(path: Path) -> list[str]:
    return [re.sub(r"\s+", "", e.text) for e in labelled(path) if not e.element.startswith("页码")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict]:
    project = copy_project(tmp_path_factory.mktemp("export"))
    assert run_cli("build", "--no-paginate", cwd=project).returncode == 0
    result = run_cli("export", "--to", "html", "--to", "md", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # pandoc's own (English) warnings never reach the user
    manifest = json.loads((project / "out" / "manifest.json").read_text(encoding="utf-8"))
    return project, manifest


def test_every_document_is_exported_and_listed(exported):
    project, manifest = exported
    documents = [d for d in manifest["documents"] if d.get("docx")]
    assert len(documents) == 8
    for d in documents:
        assert set(d["exports"]) == {"html", "md"}
        for rel in d["exports"].values():
            assert (project / "out" / rel).is_file()
            assert Path(rel).stem == Path(d["docx"]).stem


@pytest.mark.parametrize("kind", ["circular", "workpoints", "invitation"])
def test_html_text_equals_docx_text_element_by_element(exported, kind):
    project, manifest = exported
    entry = next(d for d in manifest["documents"] if d["kind"] == kind)
    html = project / "out" / entry["exports"]["html"]
    assert html_blocks(html) == docx_blocks(project / "out" / entry["docx"])


def test_html_is_semantic_chinese_and_carries_no_layout(exported):
    project, manifest = exported
    entry = next(d for d in manifest["documents"] if d["kind"] == "circular")
    source = (project / "out" / entry["exports"]["html"]).read_bytes()
    tree = html5lib.parse(source, namespaceHTMLElements=False)
    assert tree.get("lang") == "zh-CN"
    assert tree.find("head/style") is None and b"style=" not in source and b"px" not in source
    body = tree.find("body")
    classes = [el.get("class") for el in body.iter() if el.get("class")]
    for expected in ("mark", "doc-number", "title", "recipients", "signature", "date", "heading-1",
                     "attachment-note", "attachment", "attachment-label", "transmitted"):
        assert expected in classes, expected
    headings = [("".join(h.itertext())) for h in body.iter("h2")]
    assert headings[0].startswith("一、深入学习贯彻")  # 序号 as printed


def test_markdown_keeps_elements_as_fenced_divs(exported):
    import pypandoc

    project, manifest = exported
    entry = next(d for d in manifest["documents"] if d["kind"] == "invitation")
    md = (project / "out" / entry["exports"]["md"]).read_text(encoding="utf-8")
    assert "::: signature" in md and "## 一、会议时间" in md
    again = pypandoc.convert_text(md, "html5", format="markdown", extra_args=["--quiet"])
    assert '<div class="signature">' in again


def test_stale_output_is_refused_and_out_untouched(exported, tmp_path):
    project = copy_project(tmp_path)
    assert run_cli("build", "--no-paginate", cwd=project).returncode == 0
    notice = project / "data" / "2013-07" / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("认真贯彻落实。", "认真落实。"), encoding="utf-8")
    before = sorted(p.name for p in (project / "out").rglob("*"))
    result = run_cli("export", cwd=project)
    assert result.returncode == 2 and "请先运行 make circular" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "out").rglob("*")) == before
    assert run_cli("export", "2099-01", cwd=project).returncode == 2


def test_exports_follow_their_document_through_builds(tmp_path):
    data = family_project(tmp_path, "joint", "request")
    assert run_cli("build", "--no-paginate", cwd=tmp_path).returncode == 0
    assert run_cli("export", "--to", "html", cwd=tmp_path).returncode == 0
    path = data / "request" / "notice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("妥否，请批示。", "妥否，请指示。"), encoding="utf-8")
    assert run_cli("build", "--no-paginate", cwd=tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    exports = {Path(d["docx"]).parts[0]: d.get("exports", {}) for d in manifest["documents"]}
    assert set(exports["joint"]) == {"html"}  # unchanged: its page is still true
    assert exports["request"] == {}  # changed: the old page is gone with it
    assert not list((tmp_path / "out" / "request").glob("*.html"))
