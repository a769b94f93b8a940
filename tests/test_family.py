"""The 公文 family (issue 14): joint notices, 请示 with 签发人, 纪要, 命令, 信函 replies, attachments,
份号/密级/紧急程度, sealed joint 落款. Each kind is built from tests/fixtures/family, opened as .docx,
and rendered and measured against GB/T 9704."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from circular.build import build
from circular.review.text import body_lines
from circular.verify.rules import FAIL, PASS
from conftest import render_and_check
from docset import family_project, seal_png

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MANY_SEALS = """\
organ:
  - 重庆市教育委员会
  - 共青团重庆市委员会
  - 重庆市妇女联合会
  - 重庆市关心下一代工作委员会
  - 重庆市科学技术协会
doc_number: 渝教〔2014〕36号
title: 关于联合开展2014年青少年科技创新大赛的通知
recipients:
  - 各区县（自治县）教委
body: |
  为激发青少年科学兴趣，培养创新精神和实践能力，五家单位决定联合开展2014年青少年科技创新大赛。现将有关事项通知如下。

  大赛面向全市中小学生，设科技创新成果、科学幻想绘画和科技实践活动三类项目，由各区县组织初赛后择优推荐。

  请各地高度重视，认真组织，于9月30日前报送推荐项目。
date: 2014年4月12日
seal: [印章1.png, 印章2.png, 印章3.png, 印章4.png, 印章5.png]
imprint:
  date: 2014年4月14日
"""


@pytest.fixture(scope="module")
def family(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("family")
    data = family_project(root)
    many = data / "many-seals"
    many.mkdir()
    (many / "notice.yaml").write_text(MANY_SEALS, encoding="utf-8")
    for n in range(1, 6):
        seal_png(many / f"印章{n}.png")
    build(data, root / "out")
    manifest = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))
    docs = {Path(d["docx"]).parts[0]: root / "out" / d["docx"] for d in manifest["documents"]}
    return root, docs


def xml(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read("word/document.xml"))


def texts(docx: Path, style: str) -> list[str]:
    return [line.text for line in body_lines(docx) if line.style == style]


def test_every_kind_is_built(family):
    _, docs = family
    assert set(docs) == {"attachments", "date-shorter", "joint", "joint-sealed", "minutes", "order", "reply",
                         "request", "signature-shorter", "many-seals"}
    assert docs["order"].name == "重庆市人民政府令第278号.docx"


def test_joint_mark_stacks_names_beside_wenjian(family):
    _, docs = family
    table = xml(docs["joint"]).find(f".//{W}body/{W}tbl")
    cells = [["".join(c.itertext()) for c in tr.findall(f"{W}tc")] for tr in table.findall(f"{W}tr")]
    assert cells == [["重庆市教育委员会", "文件"], ["共青团重庆市委员会", ""]]
    assert texts(docs["joint"], "发文机关署名") == ["重庆市教育委员会", "共青团重庆市委员会"]


def test_request_puts_signers_on_the_number_line(family):
    _, docs = family
    lines = texts(docs["request"], "发文字号")
    assert lines == ["\t签发人：张明华\u3000李国强", "渝教工委〔2014〕9号\t王小平"]


def test_header_numbers_in_order(family):
    _, docs = family
    doc = docs["attachments"]
    assert [texts(doc, s) for s in ("份号", "密级和保密期限", "紧急程度")] == [["000023"], ["秘密★1年"], ["特急"]]


def test_minutes_and_order_heads(family):
    _, docs = family
    assert texts(docs["minutes"], "发文机关标志") == ["重庆市教委关工委主任办公会议纪要"]
    assert texts(docs["minutes"], "发文机关署名") == []  # 纪要 are not signed
    assert texts(docs["order"], "发文机关标志") == ["重庆市人民政府令"]
    assert texts(docs["order"], "发文字号") == ["第278号"]
    assert b"\xe7\xba\xa2\xe8\x89\xb2\xe5\x88\x86\xe9\x9a\x94\xe7\xba\xbf" not in zipfile.ZipFile(
        docs["order"]).read("word/document.xml")  # no 红色分隔线 in a 命令


def test_five_seals_stand_in_rows_of_at_most_three(family):
    _, docs = family
    anchors = xml(docs["many-seals"]).findall(f".//{W}drawing")
    seals = [a for a in anchors if a.find(".//{*}docPr").get("name") == "印章"]
    assert len(seals) == 5
    per_row = [len(p.findall(f".//{W}drawing")) for p in xml(docs["many-seals"]).iter(f"{W}p")
               if p.find(f"{W}pPr/{W}pStyle[@{W}val='GwSignature']") is not None]
    # names too wide for three 42 mm columns: two per row, columns aligned on the date's centre
    assert per_row == [2, 2, 1]
    assert texts(docs["many-seals"], "发文机关署名")[:2] == ["\t重庆市教育委员会\t共青团重庆市委员会",
                                                        "\t重庆市妇女联合会\t重庆市关心下一代工作委员会"]


@pytest.fixture(scope="module")
def measured(family) -> dict[str, list]:
    return render_and_check(family[1])


# what each kind must have been measured on, beyond the common rules
KIND_RULES = {
    "joint": {"mark.joint-names", "mark.joint-suffix", "mark.top", "number.gap", "signature.names",
              "signature.unsealed"},
    "joint-sealed": {"mark.joint-names", "seal.centred", "seal.press", "seal.apart", "seal.inside", "seal.top"},
    "many-seals": {"seal.centred", "seal.press", "seal.apart", "seal.inside"},
    "request": {"number.upward", "number.signer-line", "number.signer-right", "number.gap"},
    "attachments": {"header.flush-left", "header.order", "attachment.note-align", "attachment.label"},
    "minutes": {"minutes.attendance", "mark.top", "number.gap"},
    "order": {"mark.top", "order.number-centre", "order.number-gap", "order.text-gap", "stamp.right",
              "stamp.title", "stamp.date-right", "stamp.date-gap"},
    "reply": {"letter.mark-top", "letter.lines", "letter.number-right"},
    "date-shorter": {"signature.unsealed", "signature.date-offset"},
    "signature-shorter": {"signature.unsealed", "signature.date-offset"},
}


@pytest.mark.render
@pytest.mark.parametrize("name", sorted(KIND_RULES))
def test_kind_passes_gbt9704(measured, name):
    results = measured[name]
    for r in results:
        print(r.line())
    passed = {r.rule for r in results if r.status == PASS}
    assert KIND_RULES[name] <= passed, KIND_RULES[name] - passed
    assert [r.line() for r in results if r.status == FAIL] == []


@pytest.mark.render
def test_order_mark_is_20mm_down(measured):
    top = next(r for r in measured["order"] if r.rule == "mark.top")
    assert "20 mm" in top.name and top.status == PASS


@pytest.mark.render
@pytest.mark.parametrize(("name", "rule_name"), [("date-shorter", "不加盖印章：署名右空二字"),
                                                 ("signature-shorter", "不加盖印章：成文日期长于署名，日期右空二字")])
def test_signature_rule_follows_the_longer_of_date_and_name(measured, name, rule_name):
    """7.3.5.2: "市教委" is shorter than "2010年3月26日", so the date is 右空二字 and the 署名 moves
    left; "重庆市教育委员会" is longer, so the 署名 is 右空二字 and the date starts 2 字 right of it."""
    rule = next(r for r in measured[name] if r.rule == "signature.unsealed")
    assert (rule.name, rule.status) == (rule_name, PASS), rule.line()
