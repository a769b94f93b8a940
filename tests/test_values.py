"""发文字号 and dates are parsed types with Chinese messages that say how to fix them."""

import datetime as dt

import pytest

from circular.model import DocNumber, IssueDate, ValueProblem


@pytest.mark.parametrize("text,code,year,seq", [
    ("渝教工委办〔2013〕7号", "渝教工委办", 2013, 7),
    ("国办发〔2012〕14号", "国办发", 2012, 14),
    ("渝委办发〔2013〕3号", "渝委办发", 2013, 3),
])
def test_doc_number_parses_and_round_trips(text, code, year, seq):
    number = DocNumber.parse(text)
    assert (number.code, number.year, number.seq) == (code, year, seq)
    assert str(number) == text


@pytest.mark.parametrize("text,reason,fix", [
    ("渝教工委办[2013]07号", "六角括号", "渝教工委办〔2013〕7号"),
    ("渝教工委办〔2013〕07号", "不编虚位", "渝教工委办〔2013〕7号"),
    ("渝教工委办〔2013〕第7号", "第", "渝教工委办〔2013〕7号"),
    ("渝教工委办（2013）7号", "六角括号", "渝教工委办〔2013〕7号"),
    ("渝教工委办【2013】7号", "六角括号", "渝教工委办〔2013〕7号"),
    ("渝教工委办〔13〕7号", "四位", "格式为"),
    ("渝教工委办〔2013〕7", "号", "渝教工委办〔2013〕7号"),
    ("教思政厅2号", "六角括号", "格式为"),
])
def test_doc_number_rejects_with_reason_and_fix(text, reason, fix):
    with pytest.raises(ValueProblem) as err:
        DocNumber.parse(text)
    assert reason in err.value.message
    assert fix in err.value.fix


@pytest.mark.parametrize("raw,expected", [
    ("2013年3月1日", dt.date(2013, 3, 1)),
    ("2013年12月31日", dt.date(2013, 12, 31)),
    ("2013-03-05", dt.date(2013, 3, 5)),
    (dt.date(2013, 3, 5), dt.date(2013, 3, 5)),
])
def test_date_parses_and_prints_without_padding(raw, expected):
    date = IssueDate.parse(raw)
    assert date.value == expected
    assert str(date) == f"{expected.year}年{expected.month}月{expected.day}日"


@pytest.mark.parametrize("raw,words", [
    ("2013年03月01日", "补零"),
    ("2013年2月30日", "不存在"),
    ("13年3月1日", "格式不正确"),
    ("二〇一三年三月一日", "格式不正确"),
    ("2013/3/1", "格式不正确"),
])
def test_date_rejects(raw, words):
    with pytest.raises(ValueProblem) as err:
        IssueDate.parse(raw)
    assert words in err.value.message
