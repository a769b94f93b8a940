"""Property tests: arbitrary input gives a model or a clean DataError, never a traceback;
parse(format(x)) == x for 发文字号 and dates; text extraction returns what was written."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circular.errors import DataError
from circular.load.markdown import split_front_matter, to_blocks
from circular.load.schema import NoticeFile
from circular.load.yamlsrc import parse_yaml, validate
from circular.model import DocNumber, Heading, IssueDate, Paragraph, Table, ValueProblem
from circular.review.text import labelled

# fixed examples locally (a failure reproduces), fresh ones on every CI run (more ground covered)
VARY = bool(os.environ.get("CI"))
PROFILE = settings(max_examples=150, deadline=None, derandomize=not VARY,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
CODE = st.text(alphabet=st.sampled_from("渝教工委办发函国办厅市区县党政"), min_size=1, max_size=6)
TEXTISH = st.text(alphabet=st.sampled_from("渝教工委办〔〕[]【】()（）0123456789第号年月日-/ 　:：,，\n\t#*-|>`{}"), max_size=40)


@PROFILE
@given(CODE, st.integers(1000, 9999), st.integers(1, 99999))
def test_doc_number_round_trips(code, year, seq):
    number = DocNumber(code, year, seq)
    assert DocNumber.parse(str(number)) == number


@PROFILE
@given(TEXTISH)
def test_doc_number_parse_is_total(text):
    try:
        DocNumber.parse(text)
    except ValueProblem as exc:
        assert exc.message and exc.fix


@PROFILE
@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
def test_date_round_trips(date):
    value = IssueDate(date)
    assert IssueDate.parse(str(value)) == value


@PROFILE
@given(TEXTISH)
def test_date_parse_is_total(text):
    try:
        IssueDate.parse(text)
    except ValueProblem as exc:
        assert exc.message


YAML_PIECES = st.sampled_from([
    "organ: 中共重庆市委教育工委\n", "doc_number: 渝教工委办〔2013〕7号\n", "title: 关于通知\n", "recipients:\n",
    "  - 各单位\n", "recipients: 各单位\n", "body: |\n  正文。\n", "date: 2013年3月1日\n", "date: 2013-02-30\n",
    "imprint:\n  date: 2013年3月5日\n", "imprint: {date: x}\n", "titel: x\n", "- a\n", ": b\n", "a: [\n", "\t", "'",
    "x: &a 1\ny: *a\n", "x: *b\n", "{", "? k\n", "date: 2013年3月1日\ndate: 2013年3月1日\n", "!!python/object:os.system x\n",
    "m: &m {title: 甲}\n", "<<: *m\n", "<<: 5\n", "<<: [*m]\n", "---\n", "...\n", "n: !!int x\n", "? [a]\n: 1\n",
    "%YAML 1.2\n", "k: !custom v\n",
])


@PROFILE
@given(st.lists(YAML_PIECES, max_size=10).map("".join))
def test_yaml_loader_gives_a_model_or_a_data_error(source):
    try:
        validate(NoticeFile, parse_yaml(Path("data/x/notice.yaml"), source))
    except DataError as exc:
        line = exc.line()
        assert line.startswith("data/x/notice.yaml") and "错误: " in line


MARKDOWN_PIECES = st.sampled_from([
    "# 标题\n", "## 二级\n", "### 三级\n", "#### 四级\n", "##### 五级\n", "1. 条目\n", "- 要点\n", "  - 嵌套\n",
    "正文段落。\n", "\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\ncode\n```\n", "> 引用\n", "---\n", "<div>x</div>\n",
    "一、手写序号\n", "1. 1.手写\n", "**加粗**", "\\*", "[链接](http://x)", "    缩进代码\n", "1) 括号\n",
])


@PROFILE
@given(st.lists(MARKDOWN_PIECES, max_size=12).map("".join))
def test_markdown_mapping_gives_blocks_or_a_data_error(source):
    try:
        blocks = to_blocks(split_front_matter(source)[2], "x.md", continuous=True)
    except DataError as exc:
        assert exc.line().startswith("x.md")
        return
    lines = source.count("\n") + 1
    for block in blocks:  # each block is one of the three kinds, with text, pointing at its source line
        assert isinstance(block, (Heading, Paragraph, Table))
        assert block.where is not None and block.where.path == "x.md" and 1 <= block.where.line <= lines
        assert (block.rows if isinstance(block, Table) else block.text.strip())
    heading_levels = [b.level for b in blocks if isinstance(b, Heading)]
    assert all(1 <= level <= 4 for level in heading_levels)



PARAGRAPH = st.text(alphabet=st.one_of(CJK, st.sampled_from("，。、；：“”《》（）0123456789")), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None, derandomize=not VARY,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_text_extraction_returns_what_was_written(tmp_path, paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "p.docx"
    document.save(path)
    assert [e.text for e in labelled(path)] == [t.strip() for t in paragraphs if t.strip()]


@PROFILE
@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=1, max_value=16))
def test_pdf_batches_cover_every_document_within_libreoffice_limit(count, workers):
    from circular.convert import MAX_DOCUMENTS_PER_PROCESS, _chunks

    docs = [Path(f"{n}.docx") for n in range(count)]
    batches = _chunks(docs, workers)
    assert [d for batch in batches for d in batch] == docs
    sizes = [len(b) for b in batches]
    assert max(sizes) <= MAX_DOCUMENTS_PER_PROCESS and min(sizes) >= 1
    assert max(sizes) - min(sizes) <= 1  # each worker gets the same share
    if count >= workers:
        assert len(batches) % workers == 0
