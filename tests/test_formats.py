"""House-made documents: sealed 落款, four heading levels, tables, lists, several attachments."""

import re
import zipfile

import pytest
from lxml import etree

from circular.build import build
from circular.review.text import body_lines
from circular.verify.rules import PASS, SKIP
from conftest import render_and_check
from docset import make_set, seal_png

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

RICH = """---
kind: workpoints
title: 关于做好2013年关心下一代工作的意见
attachments:
  - a.md
  - b.md
---
为做好今年的工作，提出如下意见。

# 总体要求

## 指导思想

#### 坚持以人为本

坚持以人为本的说明。

### 基本原则

1. 第一项工作要求，内容较长，需要回行以检查回行顶格的效果是否符合公文格式的要求。
1. 第二项工作要求。

- 不编号的要点一。
- 不编号的要点二。

| 片区 | 区县 | 人数 |
|---|---|---|
| 主城区 | 江北区 | 2 |
| 渝西片区 | 合川区 | 3 |

# 工作措施

## 加强领导

各单位要加强领导。
"""
ATTACHMENT = "---\ntitle: {title}\n---\n{title}的内容。\n"


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    root = tmp_path_factory.mktemp("rich")
    data = make_set(root, notice={"seal": "seal.png"}, workpoints=RICH, files={
        "a.md": ATTACHMENT.format(title="2013年工作任务分解表"),
        "b.md": ATTACHMENT.format(title="各片区联系人名单"),
    })
    seal_png(data / "2013-07" / "seal.png")
    build(data, root / "out")
    docs = {p.name.split("_")[0]: p for p in (root / "out" / "2013-07").glob("*.docx")}
    return root / "out", docs


def test_headings_lists_and_table_in_docx(rich):
    out, docs = rich
    lines = body_lines(next(p for n, p in docs.items() if "关于做好" in n))
    by_style = [(line.style, line.text) for line in lines if line.text]

    def has(style, prefix):
        return any(s == style and t.startswith(prefix) for s, t in by_style)

    assert has("一级标题", "一、总体要求") and has("一级标题", "二、工作措施")
    assert has("二级标题", "（一）指导思想") and has("二级标题", "（一）加强领导")
    assert has("四级标题", "（1）坚持以人为本")
    assert has("三级标题", "1.基本原则")
    items = [line.text for line in lines if re.match(r"^（\d）第", line.text)]
    assert [i[:5] for i in items] == ["（1）第一", "（2）第二"]
    assert has("公文正文", "不编号的要点一") and has("公文正文", "不编号的要点二")
    with zipfile.ZipFile(next(p for n, p in docs.items() if "关于做好" in n)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    table = doc.find(f".//{W}body/{W}tbl")
    rows = [["".join(c.itertext()) for c in tr.findall(f"{W}tc")] for tr in table.findall(f"{W}tr")]
    assert rows == [["片区", "区县", "人数"], ["主城区", "江北区", "2"], ["渝西片区", "合川区", "3"]]
    assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    notes = [line.text for line in lines if line.style == "附件说明"]
    # number and name apart by a tab to the hanging indent: the name column does not hang on glyph widths
    assert notes == ["附件：1.\t2013年工作任务分解表", "2.\t各片区联系人名单"]
    labels = [line.text for line in lines if line.style == "附件标识"]
    assert labels == ["附件1", "附件2"]


def test_seal_is_anchored_behind_text(rich):
    out, docs = rich
    with zipfile.ZipFile(docs["渝教工委办〔2013〕7号"]) as z:
        names = z.namelist()
        doc = z.read("word/document.xml").decode()
    assert any(n.startswith("word/media/") for n in names)
    assert 'behindDoc="1"' in doc and 'name="印章"' in doc


@pytest.fixture(scope="module")
def rich_results(rich):
    return render_and_check(rich[1])


@pytest.mark.render
def test_sealed_layout_measures(rich_results):
    results = rich_results["渝教工委办〔2013〕7号"]
    for r in results:
        print(r.line())
    measured = {r.rule for r in results if r.status != SKIP}
    assert {"seal.date-right", "seal.name-centred", "seal.centred", "seal.press", "seal.top"} <= measured
    assert "signature.unsealed" not in measured
    assert [r.line() for r in results if r.status not in (PASS, SKIP)] == []


@pytest.mark.render
def test_rich_body_measures(rich_results):
    results = next(v for k, v in rich_results.items() if "关于做好" in k)
    for r in results:
        print(r.line())
    measured = {r.rule for r in results if r.status != SKIP}
    assert {"heading.font", "body.indent", "attachment.note", "attachment.note-align", "attachment.label",
            "attachment.title"} <= measured
    assert [r.line() for r in results if r.status not in (PASS, SKIP)] == []
