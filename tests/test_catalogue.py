"""The catalogue of bad inputs: one row per mistake an office writer (or a broken machine) can make.

Each row: what is changed in a copy of the project, the command, the exit code, where the message
must point and words it must contain. Every failing case prints exactly one Chinese line, no
traceback, and leaves out/ exactly as the previous build left it. Rows that must *work* (XML
specials, Jinja in data, BOM/CRLF, huge inputs) check the output instead.
"""

from __future__ import annotations

import io
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import copy_project, run_cli

N = "data/2013-07/notice.yaml"
S = "data/2013-07/schedule.yaml"
W = "data/2013-07/workpoints.md"
R = "data/regions.yaml"
O = "data/organs.yaml"
G = "data/register.yaml"
T = "templates/invitation.md.j2"
F = "templates/回执.docx"


def rep(file, old, new):
    return ("replace", file, old, new)


def write(file, content):
    return ("write", file, content)


def delete(file):
    return ("delete", file)


def entity_bomb() -> bytes:
    """The 回执 template with a "billion laughs" DTD in its document.xml."""
    laughs = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefg", "bcdefgh")) + "]>"
    source = zipfile.ZipFile(Path(__file__).resolve().parent.parent / "templates" / "回执.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                text = data.decode()
                head = text.index("?>") + 2
                data = (text[:head] + laughs + text[head:]).replace("会议名称：", "会议名称：&h;").encode()
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/zeros.bin", b"\0" * (30 * 1024 * 1024))
    return buf.getvalue()


NOTICE_RECIPIENTS = "recipients:\n  - 各区县（自治县）委教育工委\n  - 高等学校党委\n  - 委直属中小学党组织\n"

# (id, edits, command, exit code, where: prefix or (file, text on the line, column), words)
CASES = [
    # YAML syntax
    ("yaml-unclosed-bracket", [rep(N, "recipients:\n", "recipients: [\n")], "build", 2, N, "YAML 语法错误"),
    ("yaml-unclosed-quote", [rep(N, "title: 关于", 'title: "关于')], "build", 2, N, "YAML 语法错误"),
    ("yaml-tab-indent", [rep(N, "  - 高等学校党委", "\t- 高等学校党委")], "build", 2, N, "Tab"),
    ("yaml-colon-in-value", [rep(S, "title: 会议与活动计划安排", "title: 会议: 活动")], "build", 2, S, "冒号"),
    ("yaml-bad-indent", [rep(O, "    code: 渝教工委办", "   code: 渝教工委办")], "build", 2, O, "YAML 语法错误"),
    ("yaml-duplicate-key", [rep(N, "date: 2013年3月1日\n", "date: 2013年3月1日\ndate: 2013年3月2日\n")], "build", 2,
     (N, "date: 2013年3月2日", 1), "重复"),
    # wrong types
    ("type-recipients-text", [rep(N, NOTICE_RECIPIENTS, "recipients: 各单位\n")], "build", 2,
     (N, "recipients:", 13), "应为列表"),
    ("type-title-list", [rep(N, "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知",
                             "title:\n  - 关于")], "build", 2, N, "应为文字"),
    ("type-agenda-text", [rep(S, "          agenda:\n            - 交流2013年以来关工委工作的做法和经验\n"
                                 "            - 研讨深化“五好关工委”创建活动的措施\n            - 部署下一阶段重点工作\n",
                              "          agenda: 交流\n")], "build", 2, (S, "agenda: 交流", 19), "应为列表"),
    ("type-imprint-text", [rep(N, "imprint:\n  date: 2013年3月5日", "imprint: 2013年3月5日")], "build", 2,
     (N, "imprint:", 10), "映射"),
    ("type-numbering", [rep(W, "\nnumbering: continuous", "\nnumbering: 3")], "build", 2,
     (W, "numbering: 3", 12), "取值不在允许范围内"),
    # missing required fields
    ("missing-title", [rep(N, "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知\n", "")], "build", 2,
     N, "缺少必填字段“title”"),
    ("missing-organ", [rep(N, "organ: 中共重庆市委教育工委\n", "")], "build", 2, N, "缺少必填字段“organ”"),
    ("missing-place", [rep(S, "        place: 江北区\n", "")], "build", 2, (S, "- id: zhucheng", 9), "缺少必填字段“place”"),
    ("missing-front-title", [rep(W, "title: 重庆市教委关心下一代工作委员会2013年工作要点\n", "")], "build", 2, W,
     "缺少必填字段“title”"),
    ("missing-reply-by", [rep(S, "          reply_by: 2013年5月10日\n", "")], "build", 2, S, "缺少必填字段“reply_by”"),
    # unknown keys
    ("typo-title", [rep(N, "title: 关于", "titel: 关于")], "build", 2, (N, "titel:", 1), "是否应为“title”"),
    ("typo-recipients", [rep(N, "recipients:\n", "recipents:\n")], "build", 2, (N, "recipents:", 1), "是否应为“recipients”"),
    ("typo-venue", [rep(S, "          venue: 教委五楼", "          venu: 教委五楼")], "build", 2, (S, "venu:", 11),
     "是否应为“venue”"),
    ("typo-mark", [rep(O, "    mark:", "    mrak:")], "build", 2, (O, "mrak:", 5), "是否应为“mark”"),
    # 发文字号
    ("number-brackets-zero", [rep(N, "doc_number: 渝教工委办〔2013〕7号", "doc_number: 渝教工委办[2013]07号")], "build", 2, (N, "doc_number:", 13),
     "应为 渝教工委办〔2013〕7号"),
    ("number-di", [rep(N, "doc_number: 渝教工委办〔2013〕7号", "doc_number: 渝教工委办〔2013〕第7号")], "build", 2, (N, "doc_number:", 13), "“第”"),
    ("number-short-year", [rep(N, "doc_number: 渝教工委办〔2013〕7号", "doc_number: 渝教工委办〔13〕7号")], "build", 2, (N, "doc_number:", 13), "四位"),
    ("number-no-hao", [rep(N, "doc_number: 渝教工委办〔2013〕7号", "doc_number: 渝教工委办〔2013〕7")], "build", 2, (N, "doc_number:", 13), "“号”"),
    ("register-duplicate", [rep(G, "    document: 2013-07/yuxi\n", "    document: 2013-07/yuxi\n"
                                "  - number: 渝教工委办函〔2013〕2号\n    document: 2013-07/other\n")], "build", 2, G,
     "不能重复使用"),
    ("register-clash-with-notice", [rep(G, "document: 2013-07/notice", "document: 2013-06/其他")], "build", 2,
     (N, "doc_number:", 13), "已登记给 2013-06/其他"),
    # dates
    ("date-nonexistent", [rep(N, "date: 2013年3月1日", "date: 2013年2月30日")], "build", 2, (N, "date: 2013年2月30日", 7),
     "不存在"),
    ("date-padded", [rep(N, "  date: 2013年3月5日", "  date: 2013年03月05日")], "build", 2, (N, "date: 2013年03", 9),
     "补零"),
    ("date-month-13", [rep(S, "date: 2013年5月16日", "date: 2013年13月16日")], "build", 2, S, "不存在"),
    ("date-chinese-numerals", [rep(N, "date: 2013年3月1日", "date: 二〇一三年三月一日")], "build", 2, N, "格式不正确"),
    # regions
    ("unknown-region", [rep(S, "region: 主城区", "region: 主城")], "build", 2, (S, "- id: zhucheng", 9), "是否应为“主城区”"),
    ("unknown-group", [rep(S, "group: 高等学校", "group: 高校")], "build", 2, S, "未知的参会名单"),
    ("district-twice", [rep(R, "    - name: 合川区\n", "    - name: 江北区\n      recipient: 江北区教委关工委\n"
                            "    - name: 合川区\n")], "build", 2, R, "同时属于"),
    ("meeting-without-scope", [rep(S, "        region: 主城区\n", "")], "build", 2, S, "参会范围"),
    # empty body
    ("empty-notice-body", [rep(N, "body: |\n  现将", "body: ''\nx: |\n  现将")], "build", 2, N, "body"),
    ("empty-workpoints-body", [write(W, "---\ntitle: 空\n---\n")], "build", 2, W, "正文为空"),
    # control and XML-illegal characters
    ("control-char-title", [rep(N, "title: 关于", "title: 关\x01于")], "build", 2, (N, "title:", 9), "控制字符"),
    ("control-char-body", [rep(W, "着力抓好", "着力\x0b抓好")], "build", 2, W, "控制字符"),
    # encodings
    ("gbk-file", [("gbk", N)], "build", 2, N, "GBK"),
    # paths
    ("path-outside-data", [rep(N, "  - workpoints.md", "  - ../../etc/passwd")], "build", 2, (N, "../../etc", 5),
     "数据目录之外"),
    ("missing-transmitted", [rep(N, "  - workpoints.md", "  - nosuch.md")], "build", 2, (N, "nosuch.md", 5), "找不到文件"),
    ("missing-seal", [rep(N, "date: 2013年3月1日\n", "date: 2013年3月1日\nseal: 印章.png\n")], "build", 2,
     (N, "seal:", 7), "找不到文件"),
    # templates
    ("template-syntax", [rep(T, "{% if inv.duration %}", "{% if inv.duration %")], "build", 2, T, "模板语法错误"),
    ("template-undefined", [rep(T, "# 会议地点", "住宿：{{ inv.hotel }}\n\n# 会议地点")], "build", 2, T, "hotel"),
    ("template-include", [rep(T, "# 会议地点", "{% include '/etc/passwd' %}\n\n# 会议地点")], "build", 2, T,
     "不能引用其他文件"),
    ("template-missing", [delete(T)], "build", 2, T, "文件不存在"),
    ("receipt-missing", [delete(F)], "build", 2, F, "找不到参会回执模板"),
    ("receipt-not-zip", [write(F, b"not a zip file")], "build", 2, F, "不是有效的 Word"),
    ("receipt-zip-bomb", [write(F, zip_bomb())], "build", 2, F, "解压后过大"),
    ("receipt-entity-bomb", [write(F, entity_bomb())], "build", 2, F, "DTD"),
    ("receipt-sandbox-escape", [("receipt", "{{ ''.__class__.__mro__ }}")], "build", 2, F, "模板"),
    # LibreOffice
    ("soffice-missing", [("env", "PATH", "/nonexistent"), ("env", "CIRCULAR_SOFFICE", "")], "pdf", 2, "", "找不到 LibreOffice"),
    ("soffice-crashes", [("fake-soffice", "exit 1")], "pdf", 2, "", "没有生成 PDF"),
    ("soffice-hangs", [("fake-soffice", "sleep 30"), ("env", "CIRCULAR_SOFFICE_TIMEOUT", "2")], "pdf", 2, "", "超时"),
]

# rows that must work
WORKING = [
    ("xml-specials", [rep(N, "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知",
                          "title: '关于&<>\"印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知'")], "关于&<>\"印发"),
    ("jinja-in-data", [rep(N, "请结合本地区", "请结合{{ 7*7 }}{% if x %}本地区")], "请结合{{ 7*7 }}{% if x %}本地区"),
    ("bom-crlf", [("bom-crlf", W)], "把学习宣传贯彻党的十八大精神"),
    ("region-name-with-path", [rep(R, "  主城区:", "  ../../主城区:"), rep(S, "region: 主城区", "region: ../../主城区")],
     "江北区教委关工委"),
]


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("baseline"))
    result = run_cli("build", "--no-paginate", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def prepare(baseline: Path, tmp: Path, edits) -> tuple[Path, dict]:
    shutil.copytree(baseline, tmp / "p")
    project, env = tmp / "p", {}
    for edit in edits:
        kind = edit[0]
        if kind == "replace":
            path = project / edit[1]
            text = path.read_text(encoding="utf-8")
            assert edit[2] in text, edit[2]
            path.write_text(text.replace(edit[2], edit[3], 1), encoding="utf-8")
        elif kind == "write":
            content = edit[2]
            (project / edit[1]).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        elif kind == "delete":
            (project / edit[1]).unlink()
        elif kind == "gbk":
            path = project / edit[1]
            path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
        elif kind == "bom-crlf":
            path = project / edit[1]
            path.write_bytes("\ufeff".encode() + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
        elif kind == "receipt":
            import docx

            document = docx.Document()
            document.add_paragraph(edit[1])
            document.save(project / F)
        elif kind == "env":
            env[edit[1]] = edit[2]
        elif kind == "fake-soffice":
            fake = tmp / "soffice"
            fake.write_text(f"#!/bin/sh\n{edit[1]}\n", encoding="utf-8")
            fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
            env["CIRCULAR_SOFFICE"] = str(fake)
    return project, env


def locate(project: Path, where) -> str:
    if not isinstance(where, tuple):
        return where
    path, marker, column = where
    line = next(i for i, text in enumerate((project / path).read_text(encoding="utf-8", errors="replace").splitlines(), 1)
                if marker in text)
    return f"{path}:{line}:{column}"


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(baseline, tmp_path, monkeypatch, case):
    name, edits, command, code, where, words = case
    project, env = prepare(baseline, tmp_path, edits)
    for key, value in env.items():
        if value:
            monkeypatch.setenv(key, value)
        else:
            monkeypatch.delenv(key, raising=False)
    before = snapshot(project / "out")
    args = ["build", "--no-paginate"] if command == "build" else [command]
    result = run_cli(*args, cwd=project)
    print(result.stderr)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(locate(project, where)), (lines[0], locate(project, where))
    assert re.search(r"错误: ", lines[0]) and words in lines[0], lines[0]
    assert snapshot(project / "out") == before
    assert not (project / ".out.staging").exists()


@pytest.mark.parametrize("case", WORKING, ids=[c[0] for c in WORKING])
def test_input_that_must_work(baseline, tmp_path, case):
    name, edits, expected = case
    project, _ = prepare(baseline, tmp_path, edits)
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0, result.stderr
    from circular.review.text import labelled

    text = "".join(e.text for doc in (project / "out").rglob("*.docx") for e in labelled(doc))
    assert expected in text
    for doc in (project / "out").rglob("*"):
        assert doc.resolve().is_relative_to((project / "out").resolve())


def test_catalogue_size():
    print(f"坏输入目录：{len(CASES)} 例必须清楚地报错，{len(WORKING)} 例必须正常生成")
    assert len(CASES) >= 40


def test_huge_inputs_work(tmp_path):
    """A 10 MB Markdown body and 10,000 recipients build (no pagination pass: it is LibreOffice's time)."""
    project = copy_project(tmp_path)
    paragraph = "为做好本年度工作，各单位要认真落实各项要求，确保工作取得实效。" * 10
    body = "\n\n".join(f"1. 第{i}项工作：{paragraph}" for i in range(11000))
    assert len(body.encode("utf-8")) > 10 * 1024 * 1024
    (project / W).write_text((project / W).read_text(encoding="utf-8").split("---\n\n", 1)[0] + "---\n\n" + body,
                             encoding="utf-8")
    names = "".join(f"    - name: 区县{i}\n      recipient: 区县{i}教委关工委\n" for i in range(10000))
    regions = (project / R).read_text(encoding="utf-8").replace("  主城区:\n", "  主城区:\n" + names, 1)
    (project / R).write_text(regions, encoding="utf-8")
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0, result.stderr[-2000:]
    from circular.review.text import labelled

    invitation = next((project / "out").rglob("会议通知_主城区_*.docx"))
    recipients = next(e.text for e in labelled(invitation) if e.element == "主送")
    assert recipients.count("教委关工委") == 10009
    workpoints = next((project / "out").rglob("*工作要点.docx"))
    items = [e for e in labelled(workpoints) if e.element == "正文" and e.text.startswith("11000.第10999项工作")]
    assert len(items) == 1  # the last of 11,000 numbered items, numbered by the structure
