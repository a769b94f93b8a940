"""Integrity under failure: numbers registered before they are printed, no number taken twice,
fingerprints that see what the loader reads, a full disk or read-only folder in one Chinese line.

Failures that root cannot set up on disk (a full disk, a read-only file system) are injected
in-process at the call that would fail; the command runs through click as a user runs it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from circular.cli import main
from circular.names import STEM_MAX_BYTES, folder_problem, is_reserved, safe_name
from conftest import copy_project, run_cli
from docset import meeting_item
from test_catalogue import snapshot

NEW_MEETING = meeting_item("xinhui", "召开新增片区会议")


def cli(project: Path, monkeypatch, *args: str):
    monkeypatch.chdir(project)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def with_new_meeting(project: Path) -> None:
    schedule = project / "data" / "2013-07" / "schedule.yaml"
    schedule.write_text(schedule.read_text(encoding="utf-8").replace("      - 总结全年关工委工作\n",
                                                                     NEW_MEETING + "      - 总结全年关工委工作\n"),
                        encoding="utf-8")


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "project")
    assert cli(root, monkeypatch, "build", "--no-paginate").exit_code == 0
    return root


def test_register_that_cannot_be_saved_publishes_nothing(project, monkeypatch):
    """12.4: the number is registered before out/ is published; if registering fails, nothing is."""
    from circular.load.invitations import Register

    with_new_meeting(project)
    before = snapshot(project / "out"), (project / "data" / "register.yaml").read_bytes()

    def full_disk(self):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    monkeypatch.setattr(Register, "save", full_disk)
    result = cli(project, monkeypatch, "build", "--no-paginate")
    assert result.exit_code == 2
    line = one_line(result)
    assert line.startswith("data/register.yaml: 错误: 磁盘空间不足"), line
    assert (snapshot(project / "out"), (project / "data" / "register.yaml").read_bytes()) == before
    assert not (project / ".out.staging").exists()

    monkeypatch.undo()
    assert cli(project, monkeypatch, "build", "--no-paginate").exit_code == 0
    register = (project / "data" / "register.yaml").read_text(encoding="utf-8")
    manifest = json.loads((project / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert "2013-07/xinhui" in register
    assert all(d["doc_number"] in register for d in manifest["documents"] if "doc_number" in d)


def test_noop_build_checks_printed_numbers_against_the_register(project, monkeypatch):
    """12.4: out/ printing a number the register lacks (left by a build stopped in between) is not
    a no-op, even when the input fingerprint says nothing changed."""
    from circular.cache import input_files, inputs_key

    register = project / "data" / "register.yaml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("  - number: 渝教工委办函〔2013〕2号\n    document: 2013-07/yuxi\n", ""),
                        encoding="utf-8")
    manifest_path = project / "out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["inputs"] = inputs_key(input_files(project / "data", project / "templates"))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    assert cli(project, monkeypatch, "build", "--no-paginate").exit_code == 0
    register_text = register.read_text(encoding="utf-8")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert "2013-07/yuxi" in register_text
    assert all(d["doc_number"] in register_text for d in manifest["documents"] if "doc_number" in d)


def test_full_disk_while_building(project, monkeypatch):
    """12.11: ENOSPC in the middle of writing the staging folder: one line, out/ as it was."""
    before = snapshot(project / "out")
    (project / "data" / "2013-07" / "notice.yaml").write_text(
        (project / "data" / "2013-07" / "notice.yaml").read_text(encoding="utf-8").replace("3月5日", "3月6日"),
        encoding="utf-8")
    real = Path.write_bytes

    def write_bytes(self, data):
        if ".out.staging" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    result = cli(project, monkeypatch, "build", "--no-paginate")
    assert result.exit_code == 2
    assert "错误: 磁盘空间不足" in one_line(result)
    assert snapshot(project / "out") == before and not (project / ".out.staging").exists()


def test_read_only_project(project, monkeypatch):
    """12.11: a read-only file system (EROFS) where the staging folder would go."""
    notice = project / "data" / "2013-07" / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("3月5日", "3月6日"), encoding="utf-8")
    before = snapshot(project)
    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name == ".out.staging":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = cli(project, monkeypatch, "build", "--no-paginate")
    assert result.exit_code == 2
    assert "只读" in one_line(result)
    after = snapshot(project)
    assert {k: v for k, v in after.items() if k.name not in (".out.lock", ".circular.lock")} == \
        {k: v for k, v in before.items() if k.name not in (".out.lock", ".circular.lock")}


def test_two_new_at_once_take_two_numbers(project):
    """12.5: `new` holds the project lock a build holds: two at once wait in turn, two numbers."""
    from circular.project import Project, project_lock

    with project_lock(Project.of(project / "data"), lambda: None):
        procs = [subprocess.Popen([str(Path(os.sys.executable)), "-m", "circular", "new", f"2013-1{n}",
                                   "--title", f"关于第{n}件事的通知", "--date", "2013年9月1日"],
                                  cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in (1, 2)]
        time.sleep(2)
        assert all(p.poll() is None for p in procs), "new did not wait for the lock"
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    numbers = [out.split("发文字号 ", 1)[1].split("，", 1)[0] for out, _ in outputs]
    assert len(set(numbers)) == 2, numbers
    register = (project / "data" / "register.yaml").read_text(encoding="utf-8")
    assert all(n in register for n in numbers)


def test_symlinked_data_set_is_fingerprinted(project, monkeypatch, tmp_path):
    """12.6: a set folder that is a symlink is read by the loader, so its edits must rebuild."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project / "data" / "2013-07", elsewhere)
    (elsewhere / "notice.yaml").write_text((elsewhere / "notice.yaml").read_text(encoding="utf-8").replace(
        "渝教工委办〔2013〕7号", "渝教工委办〔2013〕8号").replace("2013年3月5日", "2013年3月7日"), encoding="utf-8")
    for meeting in ("zhucheng", "yuxi", "yudongbei", "yudongnan", "gaoxiao19", "zhishu"):
        assert f"id: {meeting}" in (elsewhere / "schedule.yaml").read_text(encoding="utf-8")
    (project / "data" / "2013-08").symlink_to(elsewhere, target_is_directory=True)
    assert cli(project, monkeypatch, "build", "--no-paginate").exit_code == 0
    notice = elsewhere / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("2013年3月7日", "2013年3月8日"), encoding="utf-8")
    result = cli(project, monkeypatch, "build", "--no-paginate")
    assert result.exit_code == 0
    manifest = json.loads((project / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert any(r.startswith("2013-08/渝教工委办〔2013〕8号") for r in manifest["rebuilt"]), manifest["rebuilt"]


def test_moved_checkout_rebuilds_nothing(project, monkeypatch, tmp_path):
    """12.6: fingerprints and document keys hold no absolute path: a moved checkout is up to date,
    and a change that reloads the data still carries every document over."""
    moved = tmp_path / "moved"
    shutil.move(str(project), moved)
    result = cli(moved, monkeypatch, "build", "--no-paginate")
    assert result.exit_code == 0 and "沿用上次生成的结果" in result.stdout
    organs = moved / "data" / "organs.yaml"
    organs.write_text(organs.read_text(encoding="utf-8") + "# 注释\n", encoding="utf-8")
    assert cli(moved, monkeypatch, "build", "--no-paginate").exit_code == 0
    manifest = json.loads((moved / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rebuilt"] == []


def test_out_as_regular_file_never_breaks_later_builds(project, monkeypatch):
    """12.2: once a build refused an out that is a file, the file is where it was and every
    later build with a proper out works (the old code moved the file aside and crashed forever)."""
    (project / "成品").write_bytes(b"user's file")
    for _ in range(2):
        result = cli(project, monkeypatch, "build", "--no-paginate", "--out", "成品")
        assert result.exit_code == 2 and "同名文件" in one_line(result)
    assert (project / "成品").read_bytes() == b"user's file"
    assert cli(project, monkeypatch, "build", "--no-paginate").exit_code == 0


def test_file_names_from_long_and_odd_data():
    """12.9: names fit 255 bytes with their suffixes, cut names stay distinct and stable."""
    long_a, long_b = "关于" + "很长" * 200 + "甲的通知", "关于" + "很长" * 200 + "乙的通知"
    a, b = safe_name(long_a), safe_name(long_b)
    assert len(a.encode("utf-8")) <= STEM_MAX_BYTES and len((a + "-长图.png").encode("utf-8")) <= 255
    assert a != b and a == safe_name(long_a)
    assert safe_name("CON") == "_CON" and safe_name("lpt1.docx") == "_lpt1.docx" and is_reserved("Aux.txt")
    assert safe_name("会议\u202e通知\u200b") == "会议通知"
    assert safe_name("../..") == "_" and "/" not in safe_name("a/b")
    assert folder_problem("2013-08") is None
    for bad in ("", "a\nb", ".hidden", "x.", "NUL", "a/b", "长" * 90, "a\u200bb"):
        assert folder_problem(bad), bad


def test_a_75_character_title_builds_and_checks(tmp_path):
    """12.9: the realistic long title that crashed: a file name within limits, the title broken
    into lines of at most 20 characters."""
    from circular.review.text import labelled

    project = copy_project(tmp_path)
    title = ("关于转发教育部办公厅关于进一步加强和改进新形势下全国教育系统关心下一代工作委员会组织建设"
             "和队伍建设的通知的通知")[:75]
    notice = project / "data" / "2013-07" / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知", f"title: {title}"), encoding="utf-8")
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0, result.stderr
    docx = next((project / "out").rglob("渝教工委办*.docx"))
    assert len(docx.name.encode("utf-8")) <= 255
    lines = next(e.text for e in labelled(docx) if e.element == "标题")
    assert lines.replace("\n", "") == title


def test_mount_points_and_unwritable_folders_are_refused(tmp_path, monkeypatch):
    """12.2: the two output-folder cases a root test process cannot set up on disk."""
    from circular.errors import CircularError
    from circular.outdir import guard

    if os.path.ismount("/proc"):
        with pytest.raises(CircularError, match="挂载点"):
            guard(Path("/proc"))
    out = tmp_path / "out"
    out.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == out else real(path, mode))
    with pytest.raises(CircularError, match="不可写"):
        guard(out)
