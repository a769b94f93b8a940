"""circular import: Word drafts (typed the way offices type them) and our own .docx into data/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from ruamel.yaml import YAML

from circular.review.text import labelled
from conftest import copy_project, run_cli

ORGAN = "中共重庆市委教育工委"


def draft(path: Path, lines: list, table: list[list[str]] | None = None, table_after: int = -1) -> Path:
    """A .docx as an office types it: ``lines`` are str (a paragraph), ("b", text) bold, ("c", text)
    centred bold, ("br", [lines]) one paragraph with manual line breaks, ("list", text) an item of
    Word's numbered list; the table goes after line ``table_after``."""
    document = docx.Document()
    for n, line in enumerate(lines):
        kind, text = line if isinstance(line, tuple) else ("", line)
        if kind == "list":
            document.add_paragraph(text, style="List Number")
        elif kind == "br":
            p = document.add_paragraph()
            for k, part in enumerate(text):
                run = p.add_run(part)
                if k < len(text) - 1:
                    run.add_break()
        else:
            p = document.add_paragraph()
            p.add_run(text).bold = kind in ("b", "c")
            if kind == "c":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if table and n == table_after:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
    document.save(path)
    return path


def imported(project: Path, path: Path, name: str) -> dict:
    result = run_cli("import", str(path), name, cwd=project)
    assert result.returncode == 0, result.stderr
    return YAML(typ="safe").load((project / "data" / name / "notice.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


def lint_rules(project: Path) -> set[str]:
    result = run_cli("lint", "--format", "json", cwd=project)
    return {f["rule"] for f in json.loads(result.stdout)} if result.stdout.strip() else set()


def test_typed_numbers_bold_headings_and_space_indents(project, tmp_path):
    path = draft(tmp_path / "a.docx", [
        ORGAN, "渝教工委办〔2013〕21号",
        ("c", "关于开展2013年关心下一代工作检查的通知"),
        "各区县（自治县）委教育工委，高等学校党委：",
        "    为推动工作落实，经研究，决定开展检查。现将有关事项通知如下。",
        ("b", "一、检查内容"),
        "\u3000\u3000（一）组织建设情况。",
        "\u3000\u30001.领导班子和五老队伍的建设情况，以及各项制度的执行情况。",
        "\u3000\u30002.工作经费的保障和使用情况。",
        ("b", "二、工作要求"),
        "    请各单位认真做好自查。",
        "中共重庆市委教育工委", "2013年6月3日",
    ])
    notice = imported(project, path, "2013-21")
    assert notice["organ"] == ORGAN and notice["doc_number"] == "渝教工委办〔2013〕21号"
    assert notice["title"] == "关于开展2013年关心下一代工作检查的通知"
    assert notice["recipients"] == ["各区县（自治县）委教育工委", "高等学校党委"]
    assert notice["body"].split("\n\n") == [
        "为推动工作落实，经研究，决定开展检查。现将有关事项通知如下。", "# 检查内容", "## 组织建设情况。",
        "1. 领导班子和五老队伍的建设情况，以及各项制度的执行情况。\n1. 工作经费的保障和使用情况。",
        "# 工作要求", "请各单位认真做好自查。\n"]
    assert notice["date"] == "2013年6月3日" and "signature" not in notice
    assert run_cli("build", "--no-paginate", cwd=project).returncode == 0
    built = next((project / "out" / "2013-21").glob("*.docx"))
    texts = [e.text for e in labelled(built)]
    assert "一、检查内容" in texts and "（一）组织建设情况。" in texts and "2.工作经费的保障和使用情况。" in texts


def test_two_line_title_and_manual_line_breaks(project, tmp_path):
    path = draft(tmp_path / "b.docx", [
        ORGAN, "渝教工委办〔2013〕22号",
        ("c", "关于进一步加强全市教育系统"), ("c", "关心下一代工作的意见"),
        "各区县（自治县）委教育工委：",
        ("br", ["\u3000\u3000近年来，各地认真贯彻中央和市委部署，", "关心下一代工作取得明显成效。"]),
        "中共重庆市委教育工委", "2013年6月4日",
    ])
    seed_findings = lint_rules(project)
    notice = imported(project, path, "2013-22")
    assert notice["title"] == "关于进一步加强全市教育系统关心下一代工作的意见"
    assert notice["title_lines"] == ["关于进一步加强全市教育系统", "关心下一代工作的意见"]
    assert notice["body"] == "近年来，各地认真贯彻中央和市委部署，关心下一代工作取得明显成效。\n"
    assert lint_rules(project) <= seed_findings  # the imported set adds no finding


def test_word_numbered_list_and_table(project, tmp_path):
    path = draft(tmp_path / "c.docx", [
        ORGAN, "渝教工委办〔2013〕23号", ("c", "关于报送工作总结的通知"), "各高等学校党委：",
        "    请报送以下材料：",
        ("list", "年度工作总结；"), ("list", "典型经验材料。"),
        "    各校联系人如下表。",
        "中共重庆市委教育工委", "2013年6月5日",
    ], table=[["学校", "联系人"], ["重庆大学", "王明"]], table_after=7)
    notice = imported(project, path, "2013-23")
    assert notice["body"].split("\n\n") == ["请报送以下材料：", "1. 年度工作总结；\n1. 典型经验材料。",
                                            "各校联系人如下表。", "| 学校 | 联系人 |\n|---|---|\n| 重庆大学 | 王明 |\n"]
    assert run_cli("build", "--no-paginate", cwd=project).returncode == 0


def test_attachments_and_imprint(project, tmp_path):
    path = draft(tmp_path / "d.docx", [
        ORGAN, "渝教工委办〔2013〕24号", ("c", "关于做好暑期安全工作的通知"), "委直属中小学党组织：",
        "    请认真做好暑期安全工作。",
        "    附件：1.暑期安全责任书", "          2.安全检查表",
        "中共重庆市委教育工委", "2013年6月6日",
        "附件1", ("c", "暑期安全责任书"), "    学校与家长签订责任书。",
        "附件2", ("c", "安全检查表"), "    检查校舍、食堂和交通安全。",
        "抄送：市教委办公室，市关工委办公室。", "中共重庆市委教育工委办公室    2013年6月7日印发",
    ])
    notice = imported(project, path, "2013-24")
    assert notice["attachments"] == ["暑期安全责任书.md", "安全检查表.md"]
    folder = project / "data" / "2013-24"
    assert (folder / "暑期安全责任书.md").read_text(encoding="utf-8") == \
        "---\ntitle: 暑期安全责任书\n---\n学校与家长签订责任书。\n"
    assert notice["imprint"] == {"date": "2013年6月7日", "copy_to": ["市教委办公室", "市关工委办公室"]}
    assert run_cli("build", "--no-paginate", cwd=project).returncode == 0


def test_request_with_signers_and_note(project, tmp_path):
    path = draft(tmp_path / "e.docx", [
        ORGAN, "渝教工委办〔2013〕25号\u3000\u3000\u3000\u3000签发人：张明华\u3000李国强",
        ("c", "关于召开全市教育系统关工委工作会议的请示"), "中共重庆市委：",
        "    拟于2013年7月召开全市教育系统关工委工作会议。", "    妥否，请批示。",
        "中共重庆市委教育工委", "2013年6月8日", "（联系人：刘立新，电话：023-63854123）",
    ])
    notice = imported(project, path, "2013-25")
    assert notice["doc_number"] == "渝教工委办〔2013〕25号" and notice["signers"] == ["张明华", "李国强"]
    assert notice["note"] == "（联系人：刘立新，电话：023-63854123）"
    assert run_cli("build", "--no-paginate", cwd=project).returncode == 0


def test_what_the_draft_lacks_is_left_to_fill_and_reported(project, tmp_path):
    path = draft(tmp_path / "f.docx", ["    各单位要高度重视，认真落实。", "    特此通知。"])
    result = run_cli("import", str(path), "2013-26", cwd=project)
    assert result.returncode == 0
    text = (project / "data" / "2013-26" / "notice.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "待填" in line]
    assert any(line.startswith("organ: 待填") and "# 草稿《f.docx》的发文机关标志" in line for line in lines)
    assert any(line.startswith("date: 待填") and "末尾未找到" in line for line in lines)
    build = run_cli("build", "--no-paginate", cwd=project)
    assert build.returncode == 2 and "data/2013-26/notice.yaml:" in build.stderr and "Traceback" not in build.stderr
    # an existing folder is never overwritten
    again = run_cli("import", str(path), "2013-26", cwd=project)
    assert again.returncode == 2 and "已经存在" in again.stderr


@pytest.mark.parametrize("kind", ["circular", "workpoints", "invitation"])
def test_round_trip_of_our_own_documents(tmp_path, kind):
    """Import a .docx the seed build made, build again: every labelled element is equal."""
    seed = copy_project(tmp_path / "seed")
    assert run_cli("build", "--no-paginate", cwd=seed).returncode == 0
    manifest = json.loads((seed / "out" / "manifest.json").read_text(encoding="utf-8"))
    original = seed / "out" / next(d["docx"] for d in manifest["documents"] if d["kind"] == kind)
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    for name in ("organs.yaml", "regions.yaml"):
        shutil.copy(seed / "data" / name, project / "data")
    shutil.copytree(seed / "templates", project / "templates")
    (project / "data" / "register.yaml").write_text("entries: []\n", encoding="utf-8")
    assert run_cli("import", str(original), "set", cwd=project).returncode == 0
    notice = project / "data" / "set" / "notice.yaml"
    if kind == "workpoints":  # a text on its own: the notice that carries it is the writer's to fill
        text = notice.read_text(encoding="utf-8")
        for old, new in (("organ: 待填", f"organ: {ORGAN}"), ("doc_number: 待填", "doc_number: 渝教工委办〔2013〕9号"),
                         ("title: 待填", "title: 关于印发工作要点的通知"), ("- 待填", "- 各区县教委"),
                         ("body: 待填", "body: 现将工作要点印发给你们。"), ("date: 待填", "date: 2013年3月1日")):
            text = "\n".join(line.split("  #")[0].split(" #")[0] if line.lstrip().startswith(old) else line
                             for line in text.splitlines()).replace(old, new) + "\n"
        notice.write_text(text, encoding="utf-8")
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0, result.stderr
    expected = [e.line() for e in labelled(original)]
    title = next(line for line in expected if line.startswith("[标题]"))
    rebuilt = [p for p in (project / "out" / "set").glob("*.docx")
               if next(e.line() for e in labelled(p) if e.element == "标题") == title]
    assert len(rebuilt) == 1
    assert [e.line() for e in labelled(rebuilt[0])] == expected
