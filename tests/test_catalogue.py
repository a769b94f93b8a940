"""The catalogue of bad inputs: one row per mistake an office writer (or a broken machine) can make.

Each row: what is changed in a copy of the project, the command, the exit code, where the message
must point and words it must contain. Every failing case prints exactly one Chinese line, no
traceback, and leaves out/ exactly as the previous build left it. Rows that must *work* (XML
specials, Jinja in data, BOM/CRLF, huge inputs) check the output instead.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from circular.names import INVISIBLE, is_reserved
from conftest import copy_project, english_fragments, run_cli
from docset import meeting_item

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


def pdf_bytes() -> bytes:
    import pypdfium2

    doc = pypdfium2.PdfDocument.new()
    doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF under the standard security handler whose user password is not empty."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               "<< /Filter /Standard /V 1 /R 2 /O <" + "11" * 32 + "> /U <" + "22" * 32 + "> /P -4 >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return out


def word_form(paragraph_xml: str = "", text: str = "") -> bytes:
    """A Word form (回执) with one extra paragraph: raw run XML (a footnote reference, an object)."""
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    p = document.add_paragraph(text or "单位：{{ organ }}")
    if paragraph_xml:
        p._p.append(parse_xml(f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                              f"{paragraph_xml}</w:r>"))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def png(size=(40, 40), kind="PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (230, 0, 0)).save(buf, kind)
    return buf.getvalue()


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["笑", "笑", "笑", "笑", "笑", "笑", "笑", "笑", "笑"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


SCHEDULE2 = """title: 补充安排
quarters:
  - name: 四季度
    items:
""" + meeting_item("zhucheng", "召开主城区补充会议", place="渝中区")
TITLE = "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知"
LONG_TITLE = ("关于转发教育部办公厅关于进一步加强和改进新形势下全国教育系统关心下一代工作委员会组织建设"
              "和队伍建设以及深入开展“五好关工委”创建活动有关事项的通知的通知")
TRANSMITS = "transmits:\n  - workpoints.md\n"
ATTACH = "attachments:\n  - schedule.yaml\n"
TEMPLATE_MARK = "# 会议地点"


def in_template(source: str):
    """The invitation wording template with ``source`` inserted before a heading."""
    return rep(T, TEMPLATE_MARK, source + "\n\n" + TEMPLATE_MARK)


def at(source: str):
    """Where a template error must point: the line of the inserted ``source`` (templates have no columns)."""
    return (T, source.splitlines()[0], None)


NOTICE_RECIPIENTS = "recipients:\n  - 各区县（自治县）委教育工委\n  - 高等学校党委\n  - 委直属中小学党组织\n"

# (id, edits, command, exit code, where: prefix or (file, text on the line, column), words)
CASES = [
    # YAML syntax
    ("yaml-unclosed-bracket", [rep(N, "recipients:\n", "recipients: [\n")], "build", 2, (N, "  - 各区县", 3),
     "YAML 语法错误"),
    ("yaml-unclosed-quote", [rep(N, "title: 关于", 'title: "关于')], "build", 2, (N, 'title: "关于', 8), "引号"),
    ("yaml-tab-indent", [rep(N, "  - 高等学校党委", "\t- 高等学校党委")], "build", 2, (N, "\t- 高等学校党委", 1), "Tab"),
    ("yaml-colon-in-value", [rep(S, "title: 会议与活动计划安排", "title: 会议: 活动")], "build", 2,
     (S, "title: 会议: 活动", 10), "冒号"),
    ("yaml-bad-indent", [rep(O, "    code: 渝教工委办", "   code: 渝教工委办")], "build", 2, (O, "   code: 渝教工委办", 4),
     "YAML 语法错误"),
    ("yaml-duplicate-key", [rep(N, "date: 2013年3月1日\n", "date: 2013年3月1日\ndate: 2013年3月2日\n")], "build", 2,
     (N, "date: 2013年3月2日", 1), "重复"),
    # wrong types
    ("type-recipients-text", [rep(N, NOTICE_RECIPIENTS, "recipients: 各单位\n")], "build", 2,
     (N, "recipients:", 13), "应为列表"),
    ("type-title-list", [rep(N, "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知",
                             "title:\n  - 关于")], "build", 2, (N, "  - 关于", 3), "应为文字"),
    ("type-agenda-text", [rep(S, "          agenda:\n            - 交流2013年以来关工委工作的做法和经验\n"
                                 "            - 研讨深化“五好关工委”创建活动的措施\n            - 部署下一阶段重点工作\n",
                              "          agenda: 交流\n")], "build", 2, (S, "agenda: 交流", 19), "应为列表"),
    ("type-imprint-text", [rep(N, "imprint:\n  date: 2013年3月5日", "imprint: 2013年3月5日")], "build", 2,
     (N, "imprint:", 10), "映射"),
    ("type-numbering", [rep(W, "\nnumbering: continuous", "\nnumbering: 3")], "build", 2,
     (W, "numbering: 3", 12), "取值不在允许范围内（可选：continuous、by-section、by-list）"),
    # missing required fields
    ("missing-title", [rep(N, "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知\n", "")], "build", 2,
     (N, "organ:", 1), "缺少必填字段“title”"),
    ("missing-organ", [rep(N, "organ: 中共重庆市委教育工委\n", "")], "build", 2, (N, "doc_number:", 1),
     "缺少必填字段“organ”"),
    ("missing-place", [rep(S, "        place: 江北区\n", "")], "build", 2, (S, "- id: zhucheng", 9), "缺少必填字段“place”"),
    ("missing-front-title", [rep(W, "title: 重庆市教委关心下一代工作委员会2013年工作要点\n", "")], "build", 2,
     (W, "kind: workpoints", 1), "缺少必填字段“title”"),
    ("missing-reply-by", [rep(S, "          reply_by: 2013年5月10日\n", "")], "build", 2, (S, "issued: 2013年4月22日", 11),
     "缺少必填字段“reply_by”"),
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
                                "  - {number: 渝教工委办函〔2013〕2号, document: 2013-07/other}\n")], "build", 2,
     (G, "2013-07/other", 5), "不能重复使用"),
    ("register-clash-with-notice", [rep(G, "document: 2013-07/notice", "document: 2013-06/其他")], "build", 2,
     (N, "doc_number:", 13), "已登记给 2013-06/其他"),
    # dates
    ("date-nonexistent", [rep(N, "date: 2013年3月1日", "date: 2013年2月30日")], "build", 2, (N, "date: 2013年2月30日", 7),
     "不存在"),
    ("date-padded", [rep(N, "  date: 2013年3月5日", "  date: 2013年03月05日")], "build", 2, (N, "date: 2013年03", 9),
     "补零"),
    ("date-month-13", [rep(S, "date: 2013年5月16日", "date: 2013年13月16日")], "build", 2, (S, "date: 2013年13月", 17),
     "不存在"),
    ("date-chinese-numerals", [rep(N, "date: 2013年3月1日", "date: 二〇一三年三月一日")], "build", 2,
     (N, "date: 二〇一三", 7), "格式不正确"),
    # regions
    ("unknown-region", [rep(S, "region: 主城区", "region: 主城")], "build", 2, (S, "- id: zhucheng", 9), "是否应为“主城区”"),
    ("unknown-group", [rep(S, "group: 高等学校", "group: 高校")], "build", 2, (S, "- id: gaoxiao19", 9), "未知的参会名单"),
    ("district-twice", [rep(R, "    - name: 合川区\n", "    - name: 江北区  # 重复\n      recipient: 江北区教委关工委\n"
                            "    - name: 合川区\n")], "build", 2, (R, "# 重复", 7), "同时属于"),
    ("meeting-without-scope", [rep(S, "        region: 主城区\n", "")], "build", 2, (S, "- id: zhucheng", 9), "参会范围"),
    # empty body
    ("empty-notice-body", [rep(N, "body: |\n  现将《重庆市教委关心下一代工作委员会2013年工作要点》印发给你们，请结合本地区，本单位实际，认真贯彻落实。\n",
                               "body: ''\n")], "build", 2, (N, "body: ''", 7), "“body”不能为空"),
    ("empty-workpoints-body", [write(W, "---\ntitle: 空\n---\n")], "build", 2, (W, "---", 1), "正文为空"),
    # control and XML-illegal characters
    ("control-char-title", [rep(N, "title: 关于", "title: 关\x01于")], "build", 2, (N, "title:", 9), "控制字符"),
    ("control-char-body", [rep(W, "着力抓好", "着力\x0b抓好")], "build", 2, (W, "着力\x0b抓好", "\x0b"), "控制字符"),
    # encodings
    ("gbk-file", [("gbk", N)], "build", 2, N + ":1: ", "GBK"),
    # paths
    ("path-outside-data", [rep(N, "  - workpoints.md", "  - ../../etc/passwd")], "build", 2, (N, "../../etc", 5),
     "数据目录之外"),
    ("missing-transmitted", [rep(N, "  - workpoints.md", "  - nosuch.md")], "build", 2, (N, "nosuch.md", 5), "找不到文件"),
    ("missing-seal", [rep(N, "date: 2013年3月1日\n", "date: 2013年3月1日\nseal: 印章.png\n")], "build", 2,
     (N, "seal:", 7), "找不到文件"),
    # templates
    ("template-syntax", [rep(T, "{% if inv.duration %}", "{% if inv.duration %")], "build", 2,
     (T, "{% if inv.duration %", None), "模板语法错误"),
    ("template-undefined", [rep(T, "# 会议地点", "住宿：{{ inv.hotel }}\n\n# 会议地点")], "build", 2,
     (T, "inv.hotel", None), "hotel"),
    ("template-include", [rep(T, "# 会议地点", "{% include '/etc/passwd' %}\n\n# 会议地点")], "build", 2,
     (T, "include", None), "不能引用其他文件"),
    ("receipt-not-zip", [write(F, b"not a zip file")], "build", 2, F, "不是有效的 Word"),
    ("receipt-zip-bomb", [write(F, zip_bomb())], "build", 2, F, "解压后过大"),
    ("receipt-entity-bomb", [write(F, entity_bomb())], "build", 2, F, "DTD"),
    ("receipt-sandbox-escape", [("receipt", "{{ ''.__class__.__mro__ }}")], "build", 2, F, "模板"),
    # LibreOffice
    ("soffice-missing", [("env", "PATH", "/nonexistent"), ("env", "CIRCULAR_SOFFICE", "")], "pdf", 2, "", "找不到 LibreOffice"),
    ("soffice-crashes", [("fake-soffice", "exit 1")], "pdf", 2, "", "没有生成 PDF"),
    ("soffice-hangs", [("fake-soffice", "sleep 30"), ("env", "CIRCULAR_SOFFICE_TIMEOUT", "2")], "pdf", 2, "", "超时"),
]

CASES += [
    # --- templates run no code and stay bounded (issue 12.1, 12.10) ---
    ("template-parse-raw-pickle", [in_template("{{ meeting.parse_raw('x', proto='pickle', allow_pickle=True) }}")],
     "build", 2, at("{{ meeting.parse_raw('x', proto='pickle', allow_pickle=True) }}"), "数据中没有的变量“parse_raw”"),
    ("template-parse-file-under-lint", [in_template("{{ meeting.parse_file('/etc/passwd') }}")], ["lint"], 2, at("{{ meeting.parse_file('/etc/passwd') }}"),
     "“parse_file”"),
    ("template-model-dump", [in_template("{{ inv.model_dump() }}")], "build", 2, at("{{ inv.model_dump() }}"), "“model_dump”"),
    ("template-organ-class", [in_template("{{ organ.__class__ }}")], "build", 2, at("{{ organ.__class__ }}"), "不允许的操作"),
    ("template-str-center", [in_template("{{ 'x'.center(10**9) }}")], "build", 2, at("{{ 'x'.center(10**9) }}"), "不允许的操作"),
    ("template-center-filter", [in_template("{{ 'x'|center(10**9) }}")], "build", 2, at("{{ 'x'|center(10**9) }}"), "不允许的过滤器"),
    ("template-str-format", [in_template("{{ '{:>999999999}'.format(1) }}")], "build", 2, at("{{ '{:>999999999}'.format(1) }}"), "不允许的操作"),
    ("template-percent-format", [in_template("{{ '%0999999999d' % 1 }}")], "build", 2, at("{{ '%0999999999d' % 1 }}"), "不能用 % 格式化"),
    ("template-concat-doubling", [in_template("{% set x = 'ab' * 50000 %}" + "{% set x = x ~ x %}" * 6 + "{{ x }}")],
     "build", 2, at("{% set x = 'ab' * 50000 %}" + "{% set x = x ~ x %}" * 6 + "{{ x }}"), "文字过长"),
    ("template-nested-range", [in_template("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
                                           "{% endfor %}")], "build", 2, (T, "range(99999)", None), "循环次数过多"),
    ("template-nested-data-loops", [in_template("{% for a in inv.agenda %}{% for b in range(99999) %}"
                                                "{% for c in inv.agenda %}{% for d in inv.agenda %}{% endfor %}"
                                                "{% endfor %}{% endfor %}{% endfor %}")], "build", 2,
     (T, "for a in inv.agenda", None), "循环次数过多"),
    ("template-divide-by-zero", [in_template("{{ 1/0 }}")], "build", 2, at("{{ 1/0 }}"), "除以零"),
    ("template-recursion", [in_template("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}")], "build", 2, at("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}"),
     "递归"),
    ("template-lipsum", [in_template("{{ lipsum(100000) }}")], "build", 2, at("{{ lipsum(100000) }}"), "“lipsum”"),
    ("template-big-number", [in_template("{{ " + " * ".join(["(9**99)"] * 15) + " }}")],
     "build", 2, (T, "(9**99)", None), "数值过大"),
    ("receipt-str-format", [write(F, word_form(text="{{ '{:>999999999}'.format(1) }}"))], "build", 2, F, "不允许的操作"),
    ("receipt-nested-range", [write(F, word_form(text="{% for i in range(99999) %}{% for j in range(99999) %}"
                                                      "{% endfor %}{% endfor %}"))], "build", 2, F, "循环次数过多"),
    ("receipt-divide-by-zero", [write(F, word_form(text="{{ 1/0 }}"))], "build", 2, F, "除以零"),
    # --- the output folder (issue 12.2) ---
    ("out-is-data", [], ["build", "--no-paginate", "--out", "data"], 2, "data: ", "数据目录"),
    ("out-is-templates", [], ["build", "--no-paginate", "--out", "templates"], 2, "templates: ", "模板目录"),
    ("out-is-project", [], ["build", "--no-paginate", "--out", "."], 2, ".: ", "数据目录"),
    ("out-is-parent", [], ["build", "--no-paginate", "--out", ".."], 2, "", "数据目录"),
    ("out-inside-data", [], ["build", "--no-paginate", "--out", "data/2013-07/out"], 2, "data/2013-07/out: ", "位于数据目录"),
    ("out-user-folder", [("mkdir", "文件夹"), write("文件夹/工作总结.docx", b"mine")],
     ["build", "--no-paginate", "--out", "文件夹"], 2, "文件夹: ", "不是 circular 生成的"),
    ("out-is-a-file", [write("成品", b"user's file")], ["build", "--no-paginate", "--out", "成品"], 2, "成品: ", "同名文件"),
    ("out-is-a-symlink", [("mkdir", "别处"), ("symlink", "链接", "别处")], ["build", "--no-paginate", "--out", "链接"], 2,
     "链接: ", "符号链接"),
    ("out-has-a-foreign-file", [write("out/备注.txt", "mine")], "build", 2, "out/备注.txt: ", "不是 circular 生成的文件"),
    ("staging-name-taken", [("mkdir", ".out.staging"), write(".out.staging/我的.txt", "mine")], "build", 2,
     ".out.staging: ", "临时目录"),
    ("out-lock-is-a-folder", [("mkdir", ".out.lock")], "build", 2, ".out.lock: ", "锁文件"),
    ("project-lock-is-a-folder", [("mkdir", ".circular.lock")], "build", 2, ".circular.lock: ", "锁文件"),
    ("pdf-out-not-circular", [("mkdir", "文件夹"), write("文件夹/a.txt", "mine")], ["pdf", "--out", "文件夹"], 2,
     "文件夹: ", "不是 circular 生成的"),
    ("pdf-out-missing", [], ["pdf", "--out", "没有"], 2, "没有/manifest.json: ", "找不到构建清单"),
    # --- numbers (issue 12.3) ---
    ("meeting-id-twice-in-a-set", [write("data/2013-07/schedule2.yaml", SCHEDULE2),
                                   rep(W, ATTACH, ATTACH + "  - schedule2.yaml\n")], "build", 2,
     ("data/2013-07/schedule2.yaml", "- id: zhucheng", 9), "重复"),
    ("meeting-id-notice", [rep(S, "- id: zhucheng", "- id: notice")], "build", 2, (S, "- id: notice", 13),
     "不能是“notice”"),
    ("meeting-id-pattern", [rep(S, "- id: zhucheng", "- id: ZhuCheng")], "build", 2, (S, "- id: ZhuCheng", 13),
     "小写字母"),
    ("invitations-same-file", [rep(S, "        place: 合川区\n        region: 渝西片区",
                                   "        place: 江北区\n        region: 主城区")], "build", 2, (S, "- id: yuxi", 9),
     "file_name"),
    # --- what Word would show wrong (issue 12.7, 12.8) ---
    ("seal-empty-file", [write("data/2013-07/印章.png", b""), rep(N, "date: 2013年3月1日\n",
                                                                 "date: 2013年3月1日\nseal: 印章.png\n")],
     "build", 2, (N, "seal:", 7), "是空的"),
    ("seal-not-an-image", [write("data/2013-07/印章.png", "这不是图片"), rep(N, "date: 2013年3月1日\n",
                                                                       "date: 2013年3月1日\nseal: 印章.png\n")],
     "build", 2, (N, "seal:", 7), "不是可用的图片"),
    ("seal-webp", [write("data/2013-07/印章.webp", png(kind="WEBP")), rep(N, "date: 2013年3月1日\n",
                                                                        "date: 2013年3月1日\nseal: 印章.webp\n")],
     "build", 2, (N, "seal:", 7), "WEBP"),
    ("seal-is-a-fifo", [("fifo", "data/2013-07/印章.png"), rep(N, "date: 2013年3月1日\n",
                                                                "date: 2013年3月1日\nseal: 印章.png\n")],
     "build", 2, (N, "seal:", 7), "找不到文件"),
    ("receipt-footnote", [write(F, word_form('<w:footnoteReference w:id="1"/>'))], "build", 2, F, "脚注"),
    ("receipt-embedded-object", [write(F, word_form("<w:object/>"))], "build", 2, F, "嵌入对象"),
    ("body-front-matter", [rep(N, "body: |\n  现将", "body: |\n  ---\n  附注: x\n  ---\n  现将")], "build", 2,
     (N, "  ---", 1), "分隔线"),
    ("body-image", [rep(N, "body: |\n  现将", "body: |\n  ![印章](seal.png)\n\n  现将")], "build", 2,
     (N, "![印章]", 1), "图片"),
    ("body-footnote", [rep(N, "认真贯彻落实。", "认真贯彻落实[^1]。\n\n  [^1]: 见附件")], "build", 2, (N, "[^1]: 见附件", 1),
     "脚注"),
    ("body-link-definition", [rep(N, "认真贯彻落实。", "认真贯彻落实。\n\n  [平台]: https://example.org")], "build", 2,
     (N, "[平台]:", 1), "链接定义"),
    ("workpoints-image", [rep(W, "# 突出重点工作", "![图](x.png)\n\n# 突出重点工作")], "build", 2, (W, "![图]", 1), "图片"),
    ("workpoints-footnote", [rep(W, "# 突出重点工作", "[^a]: 说明\n\n# 突出重点工作")], "build", 2, (W, "[^a]:", 1), "脚注"),
    # --- resources (issue 12.10) ---
    ("yaml-alias-bomb-build", [write(O, alias_bomb() + (Path(__file__).parent.parent / O).read_text(encoding="utf-8"))],
     "build", 2, (O, "a6: &a6", 45), "别名"),
    ("yaml-alias-bomb-lint", [write("data/lint.yaml", alias_bomb())], ["lint"], 2, "data/lint.yaml:", "别名"),
    ("yaml-deep-nesting", [rep(N, "date: 2013年3月1日\n", "date: 2013年3月1日\nx: " + "[" * 100 + "]" * 100 + "\n")],
     "build", 2, (N, "x: [[[[", 67), "嵌套层数过多"),
    ("yaml-deep-nesting-lint", [write("data/2013-07/extra.yaml", "x: " + "{a: " * 100 + "1" + "}" * 100 + "\n")],
     ["lint"], 2, "data/2013-07/extra.yaml:1:", "嵌套层数过多"),
    ("fifo-as-workpoints", [delete(W), ("fifo", W)], "build", 2, (N, "workpoints.md", 5), "找不到文件"),
    ("dev-zero-as-schedule", [delete(S), ("symlink", S, "/dev/zero")], "build", 2, (W, "- schedule.yaml", 5),
     "数据目录之外"),
    ("fifo-yaml-under-lint", [("fifo", "data/2013-07/pipe.yaml")], ["lint"], 2, "data/2013-07/pipe.yaml: ", "不是普通文件"),
    ("huge-data-file", [rep(N, TRANSMITS, TRANSMITS + "  - huge.md\n"), ("sparse", "data/2013-07/huge.md", 70 << 20)],
     "build", 2, "data/2013-07/huge.md: ", "文件过大"),
    ("notice-yaml-is-a-folder", [("mkdir", "data/2014-01/notice.yaml")], "build", 2, "data/2014-01/notice.yaml: ",
     "不是普通文件"),
    # --- every failure one Chinese line (issue 12.11) ---
    ("attachment-cycle-self", [rep(W, ATTACH, ATTACH + "  - workpoints.md\n")], "build", 2, (W, "  - workpoints.md", 5),
     "循环"),
    ("attachment-cycle-two", [rep(W, ATTACH, ATTACH + "  - other.md\n"),
                              write("data/2013-07/other.md", "---\ntitle: 其他\nattachments:\n  - workpoints.md\n---\n\n正文。\n")],
     "build", 2, ("data/2013-07/other.md", "  - workpoints.md", 5), "workpoints.md → other.md → workpoints.md"),
    ("house-huge-number", [write("data/house.yaml", "layout:\n  header:\n    red_line_weight_pt: 1e308\n")], "build", 2,
     ("data/house.yaml", "red_line_weight_pt", 25), "过大（最大 6）"),
    ("house-changes-the-standard", [write("data/house.yaml", "layout:\n  page:\n    width: 12240\n")], "build", 2,
     ("data/house.yaml", "page:", 3), "不能修改“page”"),
    ("house-nan", [write("data/house.yaml", "layout:\n  header:\n    red_line_weight_pt: .nan\n")], "build", 2,
     ("data/house.yaml", "red_line_weight_pt", 25), "有限的数值"),
    ("house-colour-word", [write("data/house.yaml", "layout:\n  header:\n    red_line_color: red\n")], "build", 2,
     ("data/house.yaml", "red_line_color", 21), "六位十六进制"),
    ("house-not-a-mapping", [write("data/house.yaml", "layout: 5\n")], "build", 2, ("data/house.yaml", "layout", 9),
     "映射"),
    ("lint-rules-as-list", [write("data/lint.yaml", "rules:\n  - punct.space\n")], ["lint"], 2,
     ("data/lint.yaml", "- punct.space", 3), "映射"),
    ("lint-gbk-markdown", [("gbk", W)], ["lint"], 2, W + ":2: ", "GBK"),
    ("check-empty-pdf", [write("空.pdf", b"")], ["check", "空.pdf"], 2, "空.pdf: ", "0 字节"),
    ("check-garbage-pdf", [write("乱码.pdf", "%PDF-1.4 这不是 PDF" * 20)], ["check", "乱码.pdf"], 2, "乱码.pdf: ", "PDF"),
    ("check-truncated-pdf", [write("半截.pdf", pdf_bytes()[:300])], ["check", "半截.pdf"], 2, "半截.pdf: ", "损坏"),
    ("check-encrypted-pdf", [write("加密.pdf", encrypted_pdf())], ["check", "加密.pdf"], 2, "加密.pdf: ", "加密"),
    ("check-empty-docx", [write("空.docx", b"")], ["check", "空.docx"], 2, "空.docx: ", "0 字节"),
    ("check-zip-not-docx", [write("包.docx", zip_bomb()[:0] or b"PK\x05\x06" + b"\0" * 18)], ["check", "包.docx"], 2,
     "包.docx: ", "不是"),
    ("text-zip-not-docx", [write("包.docx", b"PK\x05\x06" + b"\0" * 18)], ["text", "包.docx"], 2, "包.docx: ", "不是"),
    ("diff-not-docx", [write("甲.docx", b"x"), write("乙.docx", b"y")], ["diff", "甲.docx", "乙.docx"], 2, "甲.docx: ",
     "不是有效的 Word"),
    ("diff-rev-outside-repo", [("git",), ("mkdir", "../elsewhere-data")],
     ["diff", "--rev", "HEAD", "--data", "../elsewhere-data"], 2, "", "不在当前 git 仓库中"),
    ("diff-rev-not-a-repo", [], ["diff", "--rev", "HEAD"], 2, "", "不在 git 仓库中"),
    ("git-setup-attributes-folder", [("git",), ("mkdir", ".gitattributes")], ["git-setup"], 2, ".gitattributes: ",
     "目录"),
    ("env-jobs-garbage", [("env", "CIRCULAR_JOBS", "很多")], "build", 2, "环境变量 CIRCULAR_JOBS: ", "不正确"),
    ("env-timeout-garbage", [("env", "CIRCULAR_SOFFICE_TIMEOUT", "nan"), ("fake-soffice", "exit 0")], ["pdf"], 2,
     "环境变量 CIRCULAR_SOFFICE_TIMEOUT: ", "不正确"),
    ("env-soffice-missing", [("env", "CIRCULAR_SOFFICE", "/没有/soffice")], ["pdf"], 2, "环境变量 CIRCULAR_SOFFICE: ",
     "不存在"),
    ("new-empty-title", [], ["new", "2014-01", "--title", " "], 2, "", "标题（--title）不能为空"),
    ("new-title-newline", [], ["new", "2014-01", "--title", "关于\n通知"], 2, "", "换行"),
    ("new-folder-newline", [], ["new", "2014\n01", "--title", "关于召开会议的通知"], 2, "", "不合适"),
    ("new-folder-too-long", [], ["new", "长" * 100, "--title", "关于召开会议的通知"], 2, "", "过长"),
    ("new-folder-reserved", [], ["new", "CON", "--title", "关于召开会议的通知"], 2, "", "保留"),
    ("new-folder-bidi", [], ["new", "2014\u202e01", "--title", "关于召开会议的通知"], 2, "", "不可见"),
    ("data-folder-missing", [], ["build", "--data", "没有"], 2, "没有: ", "数据目录不存在"),
    ("check-before-pdf", [], ["check"], 2, "out/manifest.json: ", "还没有生成 PDF"),
    ("unknown-organ", [rep(N, "organ: 中共重庆市委教育工委", "organ: 重庆市教育工委")], "build", 2, (N, "organ:", 8),
     "未知的发文机关"),
    ("empty-recipients", [rep(N, NOTICE_RECIPIENTS, "recipients: []\n")], "build", 2, (N, "recipients:", 13), "不能为空"),
    ("cli-unknown-option", [], ["build", "--bogus"], 2, "错误: 没有选项", "--help"),
    ("cli-option-without-value", [], ["build", "--out"], 2, "错误: ", "需要一个取值"),
    ("cli-bad-choice", [], ["lint", "--format", "xml"], 2, "错误: ", "可选值"),
    ("cli-missing-argument", [], ["text"], 2, "错误: ", "缺少参数"),
    ("cli-unknown-command", [], ["bulid"], 2, "错误: ", "没有命令“bulid”"),
    ("cli-missing-file", [], ["check", "没有.pdf"], 2, "错误: ", "不存在"),
    ("seal-is-a-folder", [("mkdir", "data/2013-07/印章"), rep(N, "date: 2013年3月1日\n",
                                                               "date: 2013年3月1日\nseal: 印章\n")],
     "build", 2, (N, "seal:", 7), "找不到文件"),
]

# rows that must work
WORKING = [
    ("xml-specials", [rep(N, "title: 关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知",
                          "title: '关于&<>\"印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知'")], "关于&<>\"印发"),
    ("jinja-in-data", [rep(N, "请结合本地区", "请结合{{ 7*7 }}{% if x %}本地区")], "请结合{{ 7*7 }}{% if x %}本地区"),
    ("bom-crlf", [("bom-crlf", W)], "把学习宣传贯彻党的十八大精神"),
    ("region-name-with-path", [rep(R, "  主城区:", "  ../../主城区:"), rep(S, "region: 主城区", "region: ../../主城区")],
     "江北区教委关工委"),
    ("title-75-characters", [rep(N, TITLE, "title: " + LONG_TITLE[:75])], LONG_TITLE[:75]),
    ("title-300-characters", [rep(N, TITLE, "title: " + (LONG_TITLE * 5)[:300])], (LONG_TITLE * 5)[:300]),
    ("region-named-con", [rep(R, "  主城区:", "  CON:"), rep(S, "region: 主城区", "region: CON")], "江北区教委关工委"),
    ("place-with-bidi-override", [rep(S, "place: 江北区", "place: 江北\u202e区")], "江北\u202e区"),
    ("same-scope-and-place-with-file-name", [rep(S, "        place: 合川区\n        region: 渝西片区",
                                                 "        place: 江北区\n        region: 主城区"),
                                             rep(S, "          venue: 教委三楼会议室",
                                                 "          venue: 教委三楼会议室\n          file_name: 会议通知_主城区_第二次")],
     "召开渝西片区教育系统关工委工作研讨会"),
    # a project without its own templates uses the ones circular ships (circular init keeps only edited ones)
    ("template-missing", [delete(T)], "召开渝西片区教育系统关工委工作研讨会"),
    ("receipt-missing", [delete(F)], "召开渝西片区教育系统关工委工作研讨会"),
]


LOCKS = {".out.lock", ".circular.lock"}  # circular's own lock files may appear; nothing else may change


def snapshot(folder: Path) -> dict:
    """Every file and folder under ``folder`` (without following links): what it is and holds."""
    state = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in dirs + files:
            path = Path(root) / name
            rel = path.relative_to(folder)
            if name in LOCKS and path.parent == folder:
                continue
            if path.is_symlink():
                state[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(path.lstat().st_mode):
                state[rel] = ("file", path.read_bytes() if path.stat().st_size < 1 << 20 else path.stat().st_size)
            else:
                state[rel] = ("dir" if path.is_dir() else "other",)
    return state


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
        elif kind == "mkdir":
            if (project / edit[1]).is_file():
                (project / edit[1]).unlink()
            (project / edit[1]).mkdir(parents=True, exist_ok=True)
        elif kind == "symlink":
            (project / edit[1]).symlink_to(edit[2])
        elif kind == "fifo":
            os.mkfifo(project / edit[1])
        elif kind == "sparse":
            with open(project / edit[1], "wb") as fh:
                fh.truncate(edit[2])
        elif kind == "git":
            git = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.org"]
            for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "初始"]):
                subprocess.run(git + args, cwd=project, check=True, capture_output=True)
        elif kind == "fake-soffice":
            fake = tmp / "soffice"
            fake.write_text(f"#!/bin/sh\n{edit[1]}\n", encoding="utf-8")
            fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
            env["CIRCULAR_SOFFICE"] = str(fake)
    return project, env


def locate(project: Path, where) -> str:
    """The file:line[:column] a message must start with. ``where`` is a prefix, or (file, text on the
    line, column) where column is a number, the text whose column it is, or None (the line only)."""
    if not isinstance(where, tuple):
        return where
    path, marker, column = where
    lines = (project / path).read_text(encoding="utf-8", errors="replace").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if marker in text)
    if column is None:
        return f"{path}:{line}: "
    if isinstance(column, str):
        column = lines[line - 1].index(column) + 1
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
    before = snapshot(project)
    args = ["build", "--no-paginate"] if command == "build" else command if isinstance(command, list) else [command]
    result = run_cli(*args, cwd=project)
    print(result.stderr)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(locate(project, where)), (lines[0], locate(project, where))
    assert re.search(r"错误: ", lines[0]) and words in lines[0], lines[0]
    assert not english_fragments(lines[0].split("错误: ", 1)[1]), lines[0]
    assert snapshot(project) == before  # data/, templates/, out/ and the user's own files untouched


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
        assert len(doc.name.encode("utf-8")) <= 255 and not INVISIBLE.search(doc.name), doc.name
        assert not is_reserved(doc.name), doc.name


def test_catalogue_size():
    print(f"坏输入目录：{len(CASES)} 例必须清楚地报错，{len(WORKING)} 例必须正常生成")
    assert len(CASES) >= 110
    assert len({c[0] for c in CASES}) == len(CASES), "two rows share an id"


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
