"""The built notice says exactly what the seed says, in the same order (whitespace aside)."""

import re

from circular.review.text import body_lines
from conftest import FIXTURES, docx_of


def squash(text):
    return re.sub(r"\s+", "", text)


def test_circular_text_equals_seed(built, manifest):
    lines = body_lines(docx_of(built, manifest, "circular"))
    ours = [line.text for line in lines if line.text.strip()]
    # The seed is text extracted from the issued document; two differences are known and deliberate:
    # 1. the extraction lists the 发文字号 before the 发文机关标志, which is printed above it;
    assert [line.style for line in lines[:4:3]] == ["发文机关标志", "发文字号"]
    ours[0], ours[1] = ours[1], ours[0]
    # 2. its 版记 ends "…3月5日印"; GB/T 9704 7.4.3 prints the 印发日期 as "…印发", which we write.
    seed = squash((FIXTURES / "seed.txt").read_text(encoding="utf-8"))
    assert seed.endswith("2013年3月5日印")
    assert squash("".join(ours)) == seed + "发"


def test_workpoints_alone_is_the_transmitted_text(built, manifest):
    text = squash("".join(line.text for line in body_lines(docx_of(built, manifest, "workpoints"))))
    seed = squash((FIXTURES / "seed.txt").read_text(encoding="utf-8"))
    start = seed.index("重庆市教委关心下一代工作委员会2013年工作要点2013年")
    end = seed.index("中共重庆市委教育工委办公室")
    assert text == seed[start:end]


def test_seed_slips_are_kept(built, manifest):
    text = "".join(line.text for line in body_lines(docx_of(built, manifest, "circular")))
    for slip in ("（以下简称《实施意见》，认真", "（教思政厅2号）", "用 “三个倡导”", "做好 “青蓝工程”", "离退休老同担任"):
        assert slip in text, slip


def test_items_are_numbered_continuously_across_sections(built, manifest):
    lines = body_lines(docx_of(built, manifest, "circular"))
    items = [int(m.group(1)) for line in lines if line.style == "公文正文"
             and (m := re.match(r"^(\d+)\.", line.text))]
    # 1-13 in the 工作要点, then the annex restarts per quarter
    assert items[:13] == list(range(1, 14))
    headings = [line.text[:2] for line in lines if line.style == "一级标题"]
    assert headings[:3] == ["一、", "二、", "三、"]
