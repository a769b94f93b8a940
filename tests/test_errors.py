"""Bad data: one Chinese line naming file:line:col and the fix, exit 2, no traceback, out/ untouched."""

import re

import pytest

from conftest import copy_project, run_cli

NOTICE = "data/2013-07/notice.yaml"


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    copy_project(tmp_path)
    result = run_cli("build", "--no-paginate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


CASES = [
    # (file, old, new, expected location, words in the message)
    (NOTICE, "doc_number: 渝教工委办〔2013〕7号", "doc_number: 渝教工委办[2013]07号", f"{NOTICE}:4:13",
     "应为 渝教工委办〔2013〕7号"),
    (NOTICE, "date: 2013年3月1日", "date: 2013年2月30日", f"{NOTICE}:12:7", "不存在"),
    (NOTICE, "  date: 2013年3月5日", "  date: 2013年03月05日", f"{NOTICE}:16:9", "不应补零"),
    (NOTICE, "organ: 中共重庆市委教育工委", "organ: 中共重庆市委教育工委员会", f"{NOTICE}:3:8",
     "是否应为“中共重庆市委教育工委”"),
    (NOTICE, "title: 关于", "titel: 关于", f"{NOTICE}:5:1", "是否应为“title”"),
    (NOTICE, "date: 2013年3月1日\n", "", f"{NOTICE}:3:1", "缺少必填字段“date”"),
    (NOTICE, "recipients:\n", "recipients: [\n", f"{NOTICE}:", "YAML 语法错误"),
    (NOTICE, "date: 2013年3月1日\n", "date: 2013年3月1日\ndate: 2013年3月2日\n", f"{NOTICE}:13:1", "重复"),
    (NOTICE, "  - workpoints.md", "  - ../../etc/passwd", f"{NOTICE}:14:5", "数据目录之外"),
    (NOTICE, "  - workpoints.md", "  - nosuch.md", f"{NOTICE}:14:5", "找不到文件"),
    ("data/2013-07/schedule.yaml", "        place: 江北区\n", "", ("data/2013-07/schedule.yaml", "- id: zhucheng", 9),
     "缺少必填字段“place”"),
    ("data/2013-07/workpoints.md", "# 突出重点工作", "# 二、突出重点工作", "data/2013-07/workpoints.md:", "不要手写"),
    ("data/2013-07/workpoints.md", "\nnumbering: continuous", "\nnumbering: continous",
     "data/2013-07/workpoints.md:7:12", "取值不在允许范围内"),
]


@pytest.mark.parametrize("file,old,new,where,words", CASES, ids=[c[4][:12] for c in CASES])  # noqa: E501
def test_bad_data(project, file, old, new, where, words):
    if isinstance(where, tuple):  # (file, text on the line, column): robust to edits elsewhere in the file
        path, marker, column = where
        line = next(i for i, text in enumerate((project / path).read_text(encoding="utf-8").splitlines(), 1)
                    if marker in text)
        where = f"{path}:{line}:{column}"
    before = snapshot(project / "out")
    replace(project / file, old, new)
    result = run_cli("build", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(where), lines[0]
    assert re.match(r"^\S+:\d+(:\d+)?: 错误: ", lines[0]), lines[0]
    assert words in lines[0]
    assert snapshot(project / "out") == before
    assert not (project / ".out.staging").exists()


def test_gbk_file_is_named(project):
    path = project / NOTICE
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result = run_cli("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{NOTICE}:") and "GBK" in result.stderr and "UTF-8" in result.stderr


def test_bom_and_crlf_just_work(project):
    path = project / NOTICE
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr


def test_missing_soffice_is_a_clear_message(project, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CIRCULAR_SOFFICE", raising=False)
    result = run_cli("pdf", cwd=project)
    assert result.returncode == 2
    assert "找不到 LibreOffice" in result.stderr and "apt-get install" in result.stderr


def test_the_installed_command_in_its_own_process(tmp_path):
    """Everything else runs the CLI in-process: once through `python -m circular` as CI and users do,
    a success and a failure, each one line on the right stream with the right exit code."""
    from conftest import copy_project, run_process

    project = copy_project(tmp_path)
    version = run_process("--version", cwd=project)
    assert version.returncode == 0 and version.stdout.startswith("circular ")
    (project / "data" / "2013-07" / "notice.yaml").write_text("title: [", encoding="utf-8")
    failed = run_process("build", "--no-paginate", cwd=project)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert failed.stderr.count("\n") == 1 and failed.stderr.startswith("data/2013-07/notice.yaml:")


def test_a_first_build_says_only_what_it_made(tmp_path):
    """No warning on a clean first build (one once claimed it could not remove a previous out/)."""
    from conftest import copy_project, run_cli

    project = copy_project(tmp_path)
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0 and "警告" not in result.stderr, result.stderr


def test_every_mistake_of_a_run_is_reported_at_once(tmp_path):
    """Three mistakes in two sets and one attachment: one run names all of them, sorted by file:line,
    and out/ is not created."""
    from docset import family_project

    data = family_project(tmp_path, "joint", "attachments")
    edits = [("joint/notice.yaml", "date: 2014年6月20日", "date: 2014年13月20日"),
             ("joint/notice.yaml", "doc_number: 渝教〔2014〕21号", "doc_number: 渝教[2014]21号"),
             ("attachments/notice.yaml", 'copy_number: "000023"', 'copy_number: "23"'),
             ("attachments/应急值守安排.yaml", "title:", "titel:")]
    for rel, old, new in edits:
        path = data / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("build", "--no-paginate", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    places = [line.split(": 错误", 1)[0] for line in lines]
    assert [p.rsplit(":", 2)[0] for p in places] == ["data/attachments/notice.yaml", "data/attachments/应急值守安排.yaml",
                                                   "data/joint/notice.yaml", "data/joint/notice.yaml"], lines
    assert "份号" in lines[0] and "titel" in lines[1] and "六角括号" in lines[2] and "不存在" in lines[3]
    assert not (tmp_path / "out").exists()


def test_the_list_of_mistakes_is_capped(tmp_path):
    from circular.errors import DataError, DataErrors, Where

    errors = [DataError(Where("data/a.yaml", n), f"第{n}处") for n in range(30, 0, -1)]
    text = DataErrors(errors).line().splitlines()
    assert len(text) == DataErrors.CAP + 1 and text[0].startswith("data/a.yaml:1: ")
    assert text[-1] == f"……另有 {30 - DataErrors.CAP} 处错误未列出（请先改正以上各处）"
