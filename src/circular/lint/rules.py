"""The lint rules. Each yields (where, message, fix); the engine adds id and severity."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import pairwise

from ..errors import DataError, Where
from ..grammar import CN_NUMERAL_DATE, DOC_NUMBER_CITED, TYPED_MARKER, Kind
from ..load.yamlsrc import parse_yaml
from ..model import DocNumber, Heading, ValueProblem
from ..project import REGISTER_FILE
from .corpus import ERROR, NOTE, WARNING, Corpus, RuleSpec

CJK = "\u4e00-\u9fff"
WIDE_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】…—"

# --- 发文字号 cited in text --------------------------------------------------------------------

_CITATION = re.compile(r"（([^（）]{2,30}?号)）")


def citations(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in _CITATION.finditer(unit.text):
            cited = m.group(1)
            if not DOC_NUMBER_CITED.match(cited):
                continue
            try:
                DocNumber.parse(cited)
            except ValueProblem as exc:
                missing = "缺少〔年份〕" if not re.search(r"\d{4}", cited) else "格式不正确"
                yield (unit.at(m.start(1)), f"引用的发文字号“{cited}”{missing}：{exc.message.split('：', 1)[-1]}",
                       "核对原文号，写成 代字〔年份〕序号号")


# --- dates ---------------------------------------------------------------------------------------

_DATE = re.compile(r"(?<!\d)(\d{2,4})年(\d{1,2})月(\d{1,2})日")
_WEEKDAY = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日[（(]?(?:星期|周)([一二三四五六日天])")


def date_format(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in _DATE.finditer(unit.text):
            year, month, day = m.groups()
            where = unit.at(m.start())
            if len(year) != 4:
                yield where, f"日期“{m.group()}”的年份不全", "年份写全四位，如 2013年"
                continue
            if month.startswith("0") or day.startswith("0"):
                yield where, f"日期“{m.group()}”的月、日不应补零", f"应为 {int(year)}年{int(month)}月{int(day)}日"
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                yield where, f"日期“{m.group()}”不存在", "请核对年、月、日"


# 二〇一〇年三月五日 in the text: the standard writes dates in Arabic numerals (7.3.5.4); a circle
# typed as ○ (U+25CB, a geometric shape) or 0 instead of 〇 (U+3007) is a second slip in the same date
_CN_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0}



def _cn_number(text: str) -> int:
    """一 … 三十一 (month and day) as an int."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def chinese_dates(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in CN_NUMERAL_DATE.finditer(unit.text):
            year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
            try:
                arabic = f"{int(year)}年{_cn_number(m.group(2))}月{_cn_number(m.group(3))}日"
            except KeyError:  # 二十十 and the like: not a date we can read
                continue
            circle = "（其中“○”是几何图形符号，汉字零应为“〇”）" if "○" in m.group(1) else ""
            yield (unit.at(m.start()), f"日期“{m.group()}”用了汉字数字{circle}",
                   f"公文中的日期用阿拉伯数字：{arabic}")


def weekday(corpus: Corpus) -> Iterator:
    names = "一二三四五六日"
    for unit in corpus.units:
        for m in _WEEKDAY.finditer(unit.text):
            y, mo, d, w = m.groups()
            try:
                actual = names[dt.date(int(y), int(mo), int(d)).weekday()]
            except ValueError:
                continue
            if w.replace("天", "日") != actual:
                yield unit.at(m.start()), f"{y}年{mo}月{d}日是星期{actual}，不是星期{w}", f"改为星期{actual}"


def date_order(corpus: Corpus) -> Iterator:
    for doc_set in corpus.sets:
        notice = next((gw for gw in doc_set.documents if gw.kind is Kind.CIRCULAR), None)
        if notice and notice.imprint and notice.signature and notice.imprint.date < notice.signature.date:
            yield (notice.main.where, f"印发日期 {notice.imprint.date} 早于成文日期 {notice.signature.date}",
                   "印发日期不能早于成文日期")
        for meeting, where in _meetings(corpus, doc_set.name):
            inv = meeting.invitation
            if inv is None:
                continue
            if notice and notice.signature and inv.date <= notice.signature.date:
                yield where, f"会议“{meeting.text}”的日期 {inv.date} 不晚于通知的成文日期 {notice.signature.date}", \
                    "会议应在宣布它的文件之后召开，请核对日期"
            if inv.issued >= inv.date:
                yield where, f"会议通知的成文日期 {inv.issued} 不早于会议日期 {inv.date}", "请核对 issued 和 date"
            if not inv.issued <= inv.reply_by < inv.date:
                yield where, f"回执截止日期 {inv.reply_by} 应在发通知（{inv.issued}）之后、开会（{inv.date}）之前", \
                    "请核对 reply_by"


def _meetings(corpus: Corpus, set_name: str):
    from ..load import read_schedule
    from ..load.schema import Meeting

    for path in sorted((corpus.data_dir / set_name).glob("*.yaml")):
        if "quarters" not in parse_yaml(path).data:
            continue
        for _, item, where in read_schedule(path)[2]:
            if isinstance(item, Meeting):
                yield item, where


# --- punctuation ---------------------------------------------------------------------------------

_HALF = re.compile(rf"(?<=[{CJK}{WIDE_PUNCT}])[,;:?!()]|[,;:?!()](?=[{CJK}{WIDE_PUNCT}])|(?<=[{CJK}])\.(?=[{CJK}])")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}


def halfwidth(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in _HALF.finditer(unit.text):
            yield unit.at(m.start()), f"中文中用了半角“{m.group()}”", f"改为全角“{_FULL[m.group()]}”"


_PAIRS = {"（": "）", "“": "”", "‘": "’", "《": "》", "〈": "〉", "【": "】"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def pairs(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(unit.text):
            if ch in _PAIRS:
                stack.append((ch, i))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                elif any(open_ == _CLOSERS[ch] for open_, _ in stack):
                    while stack and stack[-1][0] != _CLOSERS[ch]:
                        opener, at = stack.pop()
                        yield unit.at(at), f"“{opener}”没有配对的“{_PAIRS[opener]}”", f"请补上“{_PAIRS[opener]}”"
                    stack.pop()
                else:
                    yield unit.at(i), f"“{ch}”前面没有配对的“{_CLOSERS[ch]}”", f"请补上“{_CLOSERS[ch]}”或删去“{ch}”"
        for opener, at in stack:
            yield unit.at(at), f"“{opener}”没有配对的“{_PAIRS[opener]}”", f"请补上“{_PAIRS[opener]}”"


def nesting(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        depth = 0
        for i, ch in enumerate(unit.text):
            if ch == "《":
                if depth:
                    yield unit.at(i), "书名号内又用了“《》”", "内层改用单书名号“〈〉”"
                depth += 1
            elif ch == "》":
                depth = max(0, depth - 1)


_REPEAT = re.compile(r"([，。、；：？！])\1+")


def repeat(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in _REPEAT.finditer(unit.text):
            yield unit.at(m.start()), f"标点“{m.group()}”重复", f"只保留一个“{m.group(1)}”"


_SPACE = re.compile(rf"(?<=[{CJK}{WIDE_PUNCT}])[ \u3000\t]+|[ \u3000\t]+(?=[{CJK}{WIDE_PUNCT}])")


def spaces(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in _SPACE.finditer(unit.text):
            context = unit.text[max(0, m.start() - 2):m.end() + 3]
            yield unit.at(m.start()), f"中文中有多余的空格：“{context}”", "删去空格"


_TITLE_PUNCT = re.compile(r"[，。；：？！,.;:?!]")


def title_punct(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        if unit.kind in ("title", "heading"):
            m = _TITLE_PUNCT.search(unit.text)
            if m and unit.kind == "title":
                yield unit.at(m.start()), f"标题中不用“{m.group()}”", "标题除书名号、引号、顿号外一般不用标点"
            elif unit.kind == "heading" and re.search(r"[。；：]$", unit.text):
                yield unit.at(len(unit.text) - 1), "标题末尾不加标点", "删去末尾的标点"


def attachment_names(corpus: Corpus) -> Iterator:
    for doc_set in corpus.sets:
        for gw in doc_set.documents:
            for text in (gw.main, *gw.transmitted):
                for att in text.attachments:
                    if re.search(rf"[{WIDE_PUNCT}.,;:]$", att.title) and not att.title.endswith(("》", "”")):
                        yield att.where, f"附件名称“{att.title}”末尾有标点", "附件说明中的名称后不加标点"


# --- 序号 ----------------------------------------------------------------------------------------



def typed_numbers(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        if unit.kind == "body" and unit.where.path.endswith(".md") and TYPED_MARKER.match(unit.text):
            typed = TYPED_MARKER.match(unit.text).group()  # type: ignore[union-attr]  # matched just above
            yield unit.at(0), f"段首手写了序号“{typed}”", "改用 # 标题或有序列表，序号由程序生成"


def skipped_levels(corpus: Corpus) -> Iterator:
    for doc_set in corpus.sets:
        for gw in doc_set.documents:
            for text in (gw.main, *gw.transmitted):
                level = 0
                for block in text.body:
                    if isinstance(block, Heading):
                        if block.level > level + 1:
                            yield block.where, f"“{block.marker}{block.text}”跳过了上一级标题", \
                                f"在它之前加 {'#' * (level + 1)} 级标题，或改为 {'#' * (level + 1)}"
                        level = block.level


# --- across documents ----------------------------------------------------------------------------


def typed_attachment_notes(corpus: Corpus) -> Iterator:
    for doc_set in corpus.sets:
        for gw in doc_set.documents:
            for text in (gw.main, *gw.transmitted):
                titles = [a.title for a in text.attachments]
                for block in text.body:
                    body = getattr(block, "text", "")
                    if body.startswith("附件："):
                        names = [re.sub(r"^\d+[.．]", "", n) for n in re.split(r"\s+|(?=\d+[.．])", body[3:]) if n]
                        if names != titles:
                            yield block.where, f"正文中手写的附件说明“{body}”与附件 {titles or '（无）'} 不一致", \
                                "删去手写的附件说明：程序按 attachments 自动生成"


def meetings_have_invitations(corpus: Corpus) -> Iterator:
    for doc_set in corpus.sets:
        invited = {dict(gw.extra).get("meeting"): gw for gw in doc_set.documents if gw.kind is Kind.INVITATION}
        for meeting, where in _meetings(corpus, doc_set.name):
            if meeting.invitation is None:
                yield where, f"会议“{meeting.text}”有地点但没有会议通知", "如需发通知，请补上 id、参会范围和 invitation"
                continue
            gw = invited.get(meeting.id)
            if gw is not None and not gw.recipients:
                yield where, f"会议“{meeting.text}”的参会范围没有任何单位", "请在 regions.yaml 中补上名单"


def register_order(corpus: Corpus) -> Iterator:
    dated: dict[tuple[str, int], list[tuple[int, dt.date, str]]] = {}
    for doc_set in corpus.sets:
        for gw in doc_set.documents:
            if gw.header and gw.header.doc_number and gw.date:
                n = gw.header.doc_number
                dated.setdefault((n.code, n.year), []).append((n.seq, gw.date.value, str(n)))
    where = Where(str(corpus.data_dir / REGISTER_FILE))
    for numbers in dated.values():
        numbers.sort()
        for (_, date_a, a), (_, date_b, b) in pairwise(numbers):
            if date_b < date_a:
                yield (where, f"{b} 的成文日期（{date_b:%Y-%m-%d}）早于 {a}（{date_a:%Y-%m-%d}）",
                       "序号应随成文日期递增，请核对")


def number_code(corpus: Corpus) -> Iterator:
    """A 公文's 发文字号 uses the 主办机关's 机关代字 (7.2.5), 信函 its letter code; 渝府发 and 渝府办
    extend 渝府, so a code that begins with the organ's passes."""
    from ..load import NOTICE_FILE, load_organs

    try:
        organs = load_organs(corpus.data_dir)
    except DataError:
        return  # build reports it
    for doc_set in corpus.sets:
        gw = doc_set.documents[0] if doc_set.documents else None
        organ = organs.get(gw.author) if gw else None
        if gw is None or organ is None or gw.header is None or gw.header.doc_number is None:
            continue
        code = organ.letter_code if gw.format == "letter" else organ.code
        number = gw.header.doc_number
        if not number.code.startswith(code):
            path = corpus.data_dir / doc_set.name / NOTICE_FILE
            yield (parse_yaml(path).where(("doc_number",)),
                   f"发文字号“{number}”的机关代字不是主办机关“{organ.name}”的“{code}”",
                   f"应为 {code}〔{number.year}〕{number.seq}号，或核对 organs.yaml")


def contacts(corpus: Corpus) -> Iterator:
    phones: dict[str, tuple[str, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for doc_set in corpus.sets:
        for meeting, where in _meetings(corpus, doc_set.name):
            if meeting.invitation is None:
                continue
            c = meeting.invitation.contact
            if c.name in phones and phones[c.name][0] != c.phone:
                yield where, f"联系人{c.name}的电话在各处不一致（{phones[c.name][0]}、{c.phone}）", "请统一"
            if c.phone in names and names[c.phone][0] != c.name:
                yield where, f"电话{c.phone}对应的联系人不一致（{names[c.phone][0]}、{c.name}）", "请统一"
            phones.setdefault(c.name, (c.phone, meeting.text))
            names.setdefault(c.phone, (c.name, meeting.text))


# --- leftovers -----------------------------------------------------------------------------------

_LEFTOVER = re.compile(r"XX+|xx+|××+|TODO|FIXME|待定|待补充|待填|【\s*】|？？+")


def leftovers(corpus: Corpus) -> Iterator:
    for unit in corpus.units:
        for m in _LEFTOVER.finditer(unit.text):
            yield unit.at(m.start()), f"文中留有占位符“{m.group()}”", "请补上实际内容"


# every rule, in the order `circular lint --list` shows them
RULES: tuple[RuleSpec, ...] = (
    RuleSpec("docnumber.citation", WARNING, "引用的发文字号格式", citations),
    RuleSpec("date.format", ERROR, "日期格式与真实性", date_format),
    RuleSpec("date.chinese", WARNING, "用汉字数字写的日期", chinese_dates),
    RuleSpec("date.weekday", ERROR, "星期与日期相符", weekday),
    RuleSpec("date.order", ERROR, "日期先后", date_order),
    RuleSpec("punct.halfwidth", WARNING, "中文中的半角标点", halfwidth),
    RuleSpec("punct.pairs", WARNING, "成对标点", pairs),
    RuleSpec("punct.nesting", WARNING, "书名号嵌套", nesting),
    RuleSpec("punct.repeat", WARNING, "重复标点", repeat),
    RuleSpec("punct.space", WARNING, "中文中的多余空格", spaces),
    RuleSpec("punct.title", WARNING, "标题中的标点", title_punct),
    RuleSpec("punct.attachment", WARNING, "附件名称", attachment_names),
    RuleSpec("numbering.typed", NOTE, "手写的序号", typed_numbers),
    RuleSpec("numbering.skip", WARNING, "标题层级跳级", skipped_levels),
    RuleSpec("crossdoc.attachment-note", ERROR, "附件说明与附件一致", typed_attachment_notes),
    RuleSpec("crossdoc.invitations", WARNING, "会议与会议通知", meetings_have_invitations),
    RuleSpec("register.order", WARNING, "发文字号随成文日期递增", register_order),
    RuleSpec("docnumber.organ", WARNING, "发文字号用主办机关代字", number_code),
    RuleSpec("crossdoc.contacts", WARNING, "联系人和电话一致", contacts),
    RuleSpec("leftover", ERROR, "未完成的占位符", leftovers),
)
