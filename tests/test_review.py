"""Review: element-labelled text, character diffs between builds, git textconv, --rev, the bundle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from circular.build import build
from circular.review.diff import diff_folders
from circular.review.text import labelled
from conftest import ROOT, TEMPLATES, need_soffice, run_cli
from docset import make_set


def changes_of(results):
    """{document: [(element, removed chars, inserted chars, kind)]} of the documents that changed."""
    out = {}
    for doc in results:
        if doc.status == "same":
            continue
        items = []
        for c in doc.changes:
            if c.kind == "changed":
                removed = "".join(o for op, o, n in c.pieces if op != "equal")
                inserted = "".join(n for op, o, n in c.pieces if op != "equal")
                items.append((c.element, removed, inserted, c.kind))
            else:
                items.append((c.element, c.old, c.new, c.kind))
        out[doc.name.split("/")[-1].split("_")[0].removesuffix(".docx")] = items
    return out


@pytest.fixture
def base(tmp_path):
    data = make_set(tmp_path / "a")
    build(data, tmp_path / "out1", paginate=False)
    return data, tmp_path


def rebuild(base, edit):
    data, tmp = base
    edit(data)
    return diff_folders(tmp / "out1", build(data, tmp / "out2", paginate=False) and tmp / "out2")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_labelled_text_of_the_notice(built, manifest):
    docx = built / next(d["docx"] for d in manifest["documents"] if d["kind"] == "circular")
    lines = [e.line() for e in labelled(docx)]
    assert lines[:2] == ["[发文机关标志] 中共重庆市委教育工委", "[发文字号] 渝教工委办〔2013〕7号"]
    assert "[成文日期] 2013年3月1日" in lines
    assert any(line.startswith("[正文 二/7] 7.进一步加强职业院校关工委工作") for line in lines)
    assert "[附件1 标题] 会议与活动计划安排" in lines
    assert "[版记 印发日期] 2013年3月5日印发" in lines and "[版记 印发机关] 中共重庆市委教育工委办公室" in lines
    assert lines[-2:] == ["[页码 单页] — {PAGE} —", "[页码 双页] — {PAGE} —"]


def test_text_of_a_foreign_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某某局文件")
    document.add_paragraph("某发〔2024〕3号")
    document.add_paragraph("各科室：")
    document.add_paragraph("一、总体要求")
    document.add_paragraph("正文内容。")
    path = tmp_path / "foreign.docx"
    document.save(path)
    result = run_cli("text", str(path))
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["[正文] 某某局文件", "[发文字号] 某发〔2024〕3号", "[主送] 各科室：",
                                          "[正文 一] 一、总体要求", "[正文 一] 正文内容。"]


def test_one_date(base):
    results = rebuild(base, lambda d: replace_in(d / "2013-07" / "notice.yaml", "date: 2013年3月1日", "date: 2013年3月2日"))
    assert changes_of(results) == {"渝教工委办〔2013〕7号": [("成文日期", "1", "2", "changed")]}


def test_one_paragraphs_wording(base):
    results = rebuild(base, lambda d: replace_in(d / "2013-07" / "workpoints.md", "认真总结关工委工作经验", "全面总结关工委工作经验"))
    assert changes_of(results) == {
        "渝教工委办〔2013〕7号": [("正文 二/6", "认真", "全面", "changed")],
        "重庆市教委关心下一代工作委员会2013年工作要点": [("正文 二/6", "认真", "全面", "changed")],
    }


def test_order_of_two_districts(base):
    def swap(data):
        regions = data / "regions.yaml"
        text = regions.read_text(encoding="utf-8")
        a = "    - name: 渝中区\n      recipient: 渝中区教委关工委\n"
        b = "    - name: 大渡口区\n      recipient: 大渡口区教委关工委\n"
        regions.write_text(text.replace(a + b, b + a), encoding="utf-8")

    results = changes_of(rebuild(base, swap))
    assert list(results) == ["会议通知"]
    [(element, removed, inserted, kind)] = results["会议通知"]
    assert element == "主送" and kind == "changed"
    assert sorted(removed) == sorted(inserted) and set(removed) <= set("渝中大渡口区教委关工，")


def test_added_attachment(base):
    def add(data):
        folder = data / "2013-07"
        (folder / "list.md").write_text("---\ntitle: 联络员名单\n---\n各片区联络员另行通知。\n", encoding="utf-8")
        replace_in(folder / "workpoints.md", "  - schedule.yaml\n", "  - schedule.yaml\n  - list.md\n")

    results = changes_of(rebuild(base, add))
    expected = {("附件说明", "", "1.", "changed"), ("附件说明", "", "2.联络员名单", "added"),
                ("附件1", "", "1", "changed"), ("附件2", "", "附件2", "added"),
                ("附件2 标题", "", "联络员名单", "added"), ("附件2 正文", "", "各片区联络员另行通知。", "added")}
    for name in ("渝教工委办〔2013〕7号", "重庆市教委关心下一代工作委员会2013年工作要点"):
        assert set(results[name]) == expected and len(results[name]) == 6
    assert set(results) == {"渝教工委办〔2013〕7号", "重庆市教委关心下一代工作委员会2013年工作要点"}


def test_same_data_is_no_change(base):
    data, tmp = base
    build(data, tmp / "out2", paginate=False)
    result = run_cli("diff", str(tmp / "out1"), str(tmp / "out2"))
    assert result.returncode == 0 and result.stdout.strip() == "没有改动"


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin", "HOME": str(repo)})


def two_commit_repo(root: Path, change) -> Path:
    """A repository of an office: data/, templates/ and the Makefile; a second commit changes data."""
    repo = root / "repo"
    data = make_set(repo)
    shutil.copy(ROOT / "Makefile", repo / "Makefile")
    (repo / ".gitignore").write_text("/out/\n/review/\n/.out.staging/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    change(data)
    git(repo, "commit", "-q", "-am", "second")
    return repo


def test_git_diff_shows_labelled_text(tmp_path):
    repo = tmp_path / "g"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    result = run_cli("git-setup", cwd=repo)
    assert result.returncode == 0 and (repo / ".gitattributes").read_text().strip() == "*.docx diff=circular"
    data = make_set(tmp_path / "p")
    out = build(data, tmp_path / "p" / "out", paginate=False).to_json()
    notice = tmp_path / "p" / "out" / next(d["docx"] for d in out["documents"] if d["kind"] == "circular")
    shutil.copy(notice, repo / "notice.docx")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "notice")
    replace_in(data / "2013-07" / "notice.yaml", "date: 2013年3月1日", "date: 2013年3月2日")
    build(data, tmp_path / "p" / "out", paginate=False)
    shutil.copy(notice, repo / "notice.docx")
    shown = subprocess.run(["git", "diff", "--no-color"], cwd=repo, capture_output=True, text=True).stdout
    assert "-[成文日期] 2013年3月1日" in shown and "+[成文日期] 2013年3月2日" in shown


def change_meeting_date(data):
    replace_in(data / "2013-07" / "schedule.yaml", "date: 2013年6月13日", "date: 2013年6月14日")


def test_diff_rev_reports_the_meeting_date(tmp_path):
    repo = two_commit_repo(tmp_path, change_meeting_date)
    result = run_cli("diff", "--rev", "HEAD~1", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == ["== 2013-07/会议通知_渝西片区_合川区.docx（有改动）",
                                          "  正文 一：2013年6月1[-3-]{+4+}日上午9:00，…00在会场签到。"]


@pytest.mark.render
def test_review_sequence_and_bundle(tmp_path):
    """What the CI workflow runs (make review), on a repository whose last commit moved a meeting."""
    need_soffice()
    repo = two_commit_repo(tmp_path, change_meeting_date)
    shutil.copytree(TEMPLATES, repo / "templates", dirs_exist_ok=True)
    workflow = (ROOT / ".github" / "workflows" / "circular.yml").read_text(encoding="utf-8")
    assert "make review BASE=" in workflow
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(["make", "-s", "review", "BASE=HEAD~1", f"BIN={bin_dir}", "STAMP="], cwd=repo,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (repo / "review" / "summary.md").read_text(encoding="utf-8")
    assert "1 份公文有改动" in summary and "~~3~~**4**" in summary
    page = (repo / "review" / "index.html").read_text(encoding="utf-8")
    assert "第1页（有变化）" in page and "第2页：无变化" in page and "第3页：无变化" in page
    # lint findings of the files under review only: the 工作要点's known slips are not this change's
    assert "文字检查" in page and "教思政厅2号" not in page
    assert "docnumber.citation" in (repo / "review" / "lint.txt").read_text(encoding="utf-8")
    images = sorted(p.name for p in (repo / "review").glob("*.png"))
    assert images == ["文件5-原-第1页.png", "文件5-新-第1页.png"]
    assert "0 项不合格" in (repo / "review" / "check.txt").read_text(encoding="utf-8")


@pytest.mark.render
def test_page_movement_is_reported(rendered, built, manifest):
    """Where each element ends, found on the rendered PDF; a move is reported in words."""
    from circular.review.diff import element_pages, page_moves

    docx = built / next(d["docx"] for d in manifest["documents"] if d["kind"] == "circular")
    ends = element_pages(labelled(docx), rendered["circular"])
    assert ends["版头"] == ends["主送"] == ends["落款"] == 1
    assert ends["标题"] == 2  # the 工作要点's own title, not the notice title quoting it on page 1
    assert ends["正文"] == ends["附件说明"] == 6  # the 工作要点's last item; the annex counts as 附件
    assert ends["附件"] == ends["版记"] == 8
    moved = page_moves(ends, {**ends, "正文": 7, "版记": 10})
    assert moved == ["正文结束页：第6页 → 第7页", "版记结束页：第8页 → 第10页"]


def black_mark_and_a_new_notice(data):
    """A house rule that breaks the layout (the mark must be red) and a new document set."""
    (data / "house.yaml").write_text("layout:\n  header:\n    mark_color: \"000000\"\n", encoding="utf-8")
    folder = data / "2013-09"
    folder.mkdir()
    (folder / "notice.yaml").write_text(
        "organ: 中共重庆市委教育工委\ndoc_number: 渝教工委办〔2013〕30号\ntitle: 关于做好秋季开学工作的通知\n"
        "recipients:\n  - 各区县（自治县）委教育工委\nbody: |\n  请认真做好秋季开学各项工作。\n"
        "date: 2013年8月20日\nimprint:\n  date: 2013年8月21日\n", encoding="utf-8")


@pytest.mark.render
def test_review_bundle_is_written_when_layout_fails(tmp_path):
    """make review on a change that fails the layout check: summary.md and index.html are written,
    with the failures in them; a new document gets its pages and text; then the target fails."""
    need_soffice()
    repo = two_commit_repo(tmp_path, change_meeting_date)
    black_mark_and_a_new_notice(repo / "data")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "third")
    shutil.copytree(TEMPLATES, repo / "templates", dirs_exist_ok=True)
    done = subprocess.run(["make", "-s", "review", "BASE=HEAD~1", f"BIN={Path(sys.executable).parent}", "STAMP="],
                          cwd=repo, capture_output=True, text=True, timeout=900)
    assert done.returncode != 0  # the layout failed …
    summary = (repo / "review" / "summary.md").read_text(encoding="utf-8")
    page = (repo / "review" / "index.html").read_text(encoding="utf-8")  # … and the bundle is there
    assert "版式检查不合格" in summary and "mark.color" in summary
    assert "版式检查不合格" in page and "发文机关标志套红" in page
    assert "新增" in summary and "[标题]" not in summary and "关于做好秋季开学工作的通知" in summary
    new_pages = sorted(p.name for p in (repo / "review").glob("*-新-第*页.png"))
    assert any(name.endswith("-新-第1页.png") for name in new_pages)
    assert "<figcaption>新</figcaption>" in page and "<figcaption>原</figcaption>" in page
    assert "请认真做好秋季开学各项工作。" in page  # the new document's text
