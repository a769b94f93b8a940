"""Markdown -> 公文 body: four heading levels with generated 序号, lists, tables."""

import pytest

from circular.errors import DataError
from circular.load.markdown import split_front_matter, to_blocks
from circular.model import Paragraph, Table


def blocks(text, continuous=False):
    return to_blocks(split_front_matter(text)[2], "x.md", continuous=continuous)


def test_heading_levels_get_markers():
    out = blocks("# 甲\n\n## 乙\n\n### 丙\n\n#### 丁\n\n## 戊\n\n# 己\n\n## 庚\n")
    assert [(b.level, b.marker, b.text) for b in out] == [
        (1, "一、", "甲"), (2, "（一）", "乙"), (3, "1.", "丙"), (4, "（1）", "丁"),
        (2, "（二）", "戊"), (1, "二、", "己"), (2, "（一）", "庚"),
    ]


def test_ordered_items_number_by_section_or_continuously():
    text = "导语。\n\n# 甲\n\n1. 第一条。\n1. 第二条。\n\n# 乙\n\n1. 第三条。\n"
    by_section = [b.marker for b in blocks(text) if isinstance(b, Paragraph) and b.marker]
    continuous = [b.marker for b in blocks(text, continuous=True) if isinstance(b, Paragraph) and b.marker]
    assert by_section == ["1.", "2.", "1."]
    assert continuous == ["1.", "2.", "3."]


def test_items_under_level3_heading_are_level4():
    out = blocks("### 小标题\n\n1. 甲\n1. 乙\n")
    assert [(b.marker, b.level) for b in out[1:]] == [("（1）", 4), ("（2）", 4)]


def test_soft_breaks_join_chinese_without_space_and_bullets_are_plain():
    out = blocks("第一行\n第二行\n\n- 要点一\n- 要点二\n")
    assert out[0] == Paragraph("第一行第二行", where=out[0].where)
    assert [b.text for b in out[1:]] == ["要点一", "要点二"]
    assert all(b.marker == "" for b in out)


def test_table():
    out = blocks("| 单位 | 人数 |\n|---|---|\n| 江北区 | 2 |\n| 合川区 | 3 |\n")
    assert out == (Table((("单位", "人数"), ("江北区", "2"), ("合川区", "3")), 1, out[0].where),)


def test_lines_are_reported():
    out = blocks("\n\n# 甲\n\n正文。\n")
    assert out[0].where.line == 3 and out[1].where.line == 5


@pytest.mark.parametrize("text", ["# 一、总体要求\n", "1. 1.第一条\n", "## （一）工作目标\n"])
def test_typed_markers_are_rejected(text):
    with pytest.raises(DataError) as err:
        blocks(text)
    assert "不要手写" in err.value.line()


def test_unsupported_markdown_is_an_error_with_line():
    with pytest.raises(DataError) as err:
        blocks("正文。\n\n```\ncode\n```\n")
    assert ":3:" in err.value.line()


def test_no_numbered_list_below_level_four():
    with pytest.raises(DataError) as err:
        blocks("#### 小标题\n\n1. 甲\n")
    assert "只有四级" in err.value.line()
