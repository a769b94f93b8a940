"""Titles break between words into 梯形 or 菱形 lines of at most 20 二号 characters."""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from circular.titles import break_title, width


def test_seed_titles():
    assert break_title("关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知") == [
        "关于印发《重庆市教委关心下一代", "工作委员会2013年工作要点》的通知"]
    assert break_title("重庆市教委关心下一代工作委员会2013年工作要点") == [
        "重庆市教委关心下一代", "工作委员会2013年工作要点"]
    assert break_title("会议与活动计划安排") == ["会议与活动计划安排"]


def test_numbers_and_closing_marks_never_start_or_split_a_line():
    lines = break_title("关于召开2013年全市教育系统关心下一代工作委员会第十九次研讨会（高校片区）的通知")
    assert "".join(lines).startswith("关于召开2013年")
    for line in lines:
        assert width(line) <= 20
        assert line[0] not in "》）" and not line[0].isdigit()


@settings(max_examples=60, deadline=None, derandomize=not os.environ.get("CI"))
@given(st.text(alphabet="关于印发重庆市教委关心下一代工作委员会要点的通知年度计划安排", min_size=1, max_size=70))
def test_lines_fit_and_keep_the_text(title):
    lines = break_title(title)
    assert "".join(lines) == title
    if width(title) > 20 and len(lines) > 1:
        assert all(width(line) <= 20 for line in lines)
