"""circular new: a new notice numbered with the next free 发文字号, registered, buildable, linted."""

from __future__ import annotations

import json

import pytest
from conftest import copy_project, run_cli
from ruamel.yaml import YAML

from circular.build import build


def registered(project):
    return {e["document"]: e["number"] for e in YAML(typ="safe").load(project / "data" / "register.yaml")["entries"]}


def test_new_notice_takes_the_next_number_and_builds(tmp_path):
    project = copy_project(tmp_path)
    result = run_cli("new", "2013-08", "--title", "关于召开2013年关工委工作会议的通知", "--date", "2013年8月1日",
                     "--recipient", "各区县（自治县）委教育工委", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "渝教工委办〔2013〕8号" in result.stdout
    assert registered(project)["2013-08/notice"] == "渝教工委办〔2013〕8号"
    notice = (project / "data" / "2013-08" / "notice.yaml").read_text(encoding="utf-8")
    assert notice.startswith("# 渝教工委办〔2013〕8号") and "title: 关于召开2013年关工委工作会议的通知" in notice
    manifest = build(project / "data", project / "out", paginate=False).to_json()
    new = [d for d in manifest["documents"] if d.get("doc_number") == "渝教工委办〔2013〕8号"]
    assert len(new) == 1 and new[0]["title"] == "关于召开2013年关工委工作会议的通知"
    # the placeholder body is an error until it is written
    lint = run_cli("lint", "--format", "json", cwd=project)
    findings = json.loads(lint.stdout)
    assert lint.returncode == 1
    assert any(f["rule"] == "leftover" and "2013-08/notice.yaml" in f["file"] for f in findings)


def test_a_number_typed_in_data_is_not_handed_out_again(tmp_path):
    """A notice copied by hand with a number the register has not seen yet still holds its number."""
    project = copy_project(tmp_path)
    assert run_cli("new", "2013-08", "--title", "甲", "--date", "2013年8月1日", cwd=project).returncode == 0
    typed = project / "data" / "2013-10" / "notice.yaml"
    typed.parent.mkdir()
    typed.write_text((project / "data" / "2013-08" / "notice.yaml").read_text(encoding="utf-8")
                     .replace("〔2013〕8号", "〔2013〕20号"), encoding="utf-8")
    result = run_cli("new", "2013-11", "--title", "乙", "--date", "2013年9月1日", cwd=project)
    assert result.returncode == 0 and "渝教工委办〔2013〕21号" in result.stdout, result.stderr
    other_year = run_cli("new", "2014-01", "--title", "丙", "--date", "2014年1月2日", cwd=project)
    assert "渝教工委办〔2014〕1号" in other_year.stdout


@pytest.mark.parametrize("args, words", [
    (["2013-07", "--title", "x"], "该目录已存在"),
    (["../x", "--title", "x"], "目录名“../x”不合适"),
    (["2013-09", "--title", "x", "--organ", "重庆市教委"], "是否应为“中共重庆市委教育工委”"),
    (["2013-09", "--title", "x", "--date", "2013年2月30日"], "不存在"),
])
def test_mistakes_change_nothing(tmp_path, args, words):
    project = copy_project(tmp_path)
    before = sorted(p.relative_to(project).as_posix() for p in (project / "data").rglob("*"))
    register = (project / "data" / "register.yaml").read_bytes()
    result = run_cli("new", *args, cwd=project)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in (project / "data").rglob("*")) == before
    assert (project / "data" / "register.yaml").read_bytes() == register
