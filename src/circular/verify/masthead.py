"""版头 rules (GB/T 9704 7.2, 10.1–10.3): the mark, the numbers above it, the 发文字号 or 签发人, the red
lines, the title and 主送 under them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..grammar import SECRECY, length_in_chars
from ..layout import CALIBRATION
from ..model import DocNumber, ValueProblem
from ..standard import PT_PER_MM
from .elements import Rendered, within
from .pdf import Row
from .result import FAIL, PASS, SKIP, Result, color_name, is_red, mm


def mark(doc: Rendered) -> Iterator[Result]:
    if doc.mark is None:
        yield Result("mark.present", "发文机关标志", SKIP, "首页发文字号上方无大号文字")
        return
    rows = doc.mark_rows
    red = all(is_red(r.color) for r in rows)
    yield Result("mark.color", "发文机关标志套红", PASS if red else FAIL,
                 "、".join(sorted({color_name(r.color) for r in rows})), "红色", 1, "7.2.4")
    x0, _, x1, _ = doc.mark_box
    middle, centre = (x0 + x1) / 2, (doc.box[0] + doc.box[2]) / 2
    yield Result("mark.centre", "发文机关标志居中", PASS if within(middle, centre, doc.std.centring_pt) else FAIL,
                 f"中心 x={middle:.2f} pt", f"{centre:.2f} pt ±{doc.std.centring_pt:g}", 1, "7.2.4")
    top = doc.mark_ink()[0]
    if doc.is_letter:
        target, name, measured = doc.std.letter_mark_top, "信函标志上边缘距上页边", top
    elif doc.is_order:
        target, name, measured = doc.std.order_mark_top, "命令标志上边缘距版心上边缘", top - doc.box[1]
    else:
        target, name, measured = doc.std.mark_top, "标志上边缘距版心上边缘", top - doc.box[1]
    key = "letter.mark-top" if doc.is_letter else "mark.top"
    yield Result(key, f"{name} {target.value:g} mm", PASS if target.holds(measured / PT_PER_MM) else FAIL,
                 mm(measured), target.text(), 1, target.clause)
    if len(rows) > 1:
        yield from _stacked(doc, rows)


def _stacked(doc: Rendered, rows: list[Row]) -> Iterator[Result]:
    """联合行文 (7.2.4): names stacked, the host first, "文件" to their right centred on them."""
    suffix = max(rows, key=lambda r: r.size)
    names = [r for r in rows if r is not suffix]
    lefts = max(abs(r.x0 - names[0].x0) for r in names)
    yield Result("mark.joint-names", "联合发文机关名称上下排列、左端对齐", PASS if lefts <= 1.5 else FAIL,
                 f"{len(names)} 行，左端最大相差 {lefts:.2f} pt", "±1.5 pt", 1, "7.2.4")
    names_mid = (min(r.top for r in names) + max(r.baseline for r in names)) / 2
    suffix_mid = (suffix.top + suffix.baseline) / 2
    tol = doc.std.joint_suffix_centring_pt * 3
    yield Result("mark.joint-suffix", "“文件”二字置于名称右侧、上下居中",
                 PASS if suffix.x0 > max(r.x1 for r in names) and within(suffix_mid, names_mid, tol) else FAIL,
                 f"中线 y={suffix_mid:.1f} pt", f"{names_mid:.1f} pt ±{tol:g}", 1, "7.2.4")


def header_numbers(doc: Rendered) -> Iterator[Result]:
    """份号 (6 digits), 密级和保密期限, 紧急程度: 顶格 in the 版心's top rows, in that order (7.2.1–7.2.3)."""
    rows = doc.header_numbers
    if not rows:
        return
    flush = max(abs(r.x0 - doc.box[0]) for r in rows)
    yield Result("header.flush-left", "份号、密级、紧急程度顶格编排", PASS if flush <= 1.5 else FAIL,
                 f"左缩进最大 {flush:.2f} pt", "0 pt ±1.5", 1, "7.2.1")
    order = [_header_kind(r.plain) for r in rows]
    known = [k for k in order if k is not None]
    ok = None not in order and known == sorted(known) and len(set(known)) == len(known)
    yield Result("header.order", "份号、密级和保密期限、紧急程度依次自上而下", PASS if ok else FAIL,
                 " / ".join(r.plain for r in rows), "份号（6 位）/ 密级★期限 / 紧急程度", 1, "7.2.1")


def _header_kind(text: str) -> int | None:
    if re.fullmatch(r"\d{6}", text):
        return 0
    if SECRECY.fullmatch(text):
        return 1
    if text in ("特急", "加急"):
        return 2
    return None


def doc_number(doc: Rendered) -> Iterator[Result]:
    row = doc.number
    if row is None:
        yield Result("number.present", "发文字号", SKIP, "首页无发文字号")
        return
    try:
        DocNumber.parse(doc.number_text)
        yield Result("number.syntax", "发文字号格式", PASS, doc.number_text, "代字〔年份〕序号号", 1, "7.2.5")
    except ValueProblem as exc:
        yield Result("number.syntax", "发文字号格式", FAIL, doc.number_text, exc.fix, 1, "7.2.5")
    if doc.is_letter:
        yield from _letter_number(doc, row)
        return
    if doc.signer_rows:
        yield from _upward(doc, row)
    else:
        centre = (doc.box[0] + doc.box[2]) / 2
        yield Result("number.centre", "发文字号居中", PASS if within(row.centre, centre, doc.std.centring_pt) else FAIL,
                     f"中心 x={row.centre:.2f} pt", f"{centre:.2f} pt ±{doc.std.centring_pt:g}", 1, "7.2.5")
    if doc.mark:
        first = doc.signer_rows[0] if doc.signer_rows else row
        gap = (doc.ink(doc.first, first)[0] - doc.mark_ink()[1]) / doc.pitch
        target = doc.std.number_gap
        yield Result("number.gap", "标志下空二行", PASS if target.holds(gap) else FAIL,
                     f"{gap:.2f} 行", target.text() + "（两空行）", 1, target.clause)


def _letter_number(doc: Rendered, row: Row) -> Iterator[Result]:
    right = doc.box[2] - row.x1
    yield Result("letter.number-right", "信函发文字号顶格居版心右边缘",
                 PASS if within(right, 0, doc.std.letter_number_right_pt) else FAIL,
                 f"距右缘 {right:.2f} pt", f"0 pt ±{doc.std.letter_number_right_pt:g}", 1, "10.1")
    lines = sorted(r.y for r in doc.letter_rules if r.y < row.top)
    if lines:
        gap = row.top - lines[-1]
        target = doc.std.letter_number_gap
        yield Result("letter.number-gap", "发文字号距双线 3号字高的 7/8", PASS if target.holds(gap) else FAIL,
                     f"{gap:.2f} pt", target.text(), 1, target.clause)


def _upward(doc: Rendered, row: Row) -> Iterator[Result]:
    """上行文 (7.2.5, 7.2.6): 发文字号 左空一字 on the line of the last 签发人; 签发人 右空一字."""
    space, tol = doc.std.body_pt, doc.std.position_pt
    signers = doc.signer_rows
    left = row.x0 - doc.box[0]
    yield Result("number.upward", "上行文：发文字号居左空一字", PASS if within(left, space, tol) else FAIL,
                 f"{left:.1f} pt", f"{space:.1f} pt ±{tol:g}", 1, "7.2.5")
    same_line = within(signers[-1].baseline, row.baseline, 1)
    yield Result("number.signer-line", "发文字号与最后一个签发人姓名处在同一行", PASS if same_line else FAIL,
                 f"相差 {abs(signers[-1].baseline - row.baseline):.1f} pt", "同一行", 1, "7.2.6")
    right = doc.box[2] - max(r.x1 for r in signers if "签发人" in r.plain)
    yield Result("number.signer-right", "签发人右空一字", PASS if within(right, space, tol) else FAIL,
                 f"{right:.1f} pt", f"{space:.1f} pt ±{tol:g}", 1, "7.2.6")


def order_number(doc: Rendered) -> Iterator[Result]:
    """命令 (10.2): 令号 居中 two lines under the mark, the text two lines under the 令号."""
    if not doc.is_order:
        return
    row = doc.order_number
    if row is None:
        yield Result("order.number", "令号", FAIL, "标志下未找到“第N号”", "标志下空二行居中编排令号", 1, "10.2")
        return
    centre = (doc.box[0] + doc.box[2]) / 2
    yield Result("order.number-centre", "令号居中", PASS if within(row.centre, centre, doc.std.centring_pt) else FAIL,
                 f"中心 x={row.centre:.2f} pt", f"{centre:.2f} pt ±{doc.std.centring_pt:g}", 1, "10.2")
    gap = (doc.ink(doc.first, row)[0] - doc.mark_ink()[1]) / doc.pitch
    target = doc.std.order_number_gap
    yield Result("order.number-gap", "标志下空二行编排令号", PASS if target.holds(gap) else FAIL,
                 f"{gap:.2f} 行", target.text(), 1, target.clause)
    below = [r for r in doc.body_rows(doc.pages[0]) if r.top > row.baseline]
    if below:
        lines = (below[0].baseline - row.baseline) / doc.pitch
        target = doc.std.order_text_gap
        yield Result("order.text-gap", "令号下空二行编排正文", PASS if target.holds(lines) else FAIL,
                     f"基线相距 {lines:.2f} 行", target.text() + "（两空行）", 1, target.clause)


def letter_lines(doc: Rendered) -> Iterator[Result]:
    """信函: red double lines, 170 mm, thick over thin 4 mm under the mark, thin over thick 20 mm from the bottom."""
    if not doc.is_letter:
        return
    std = doc.std
    rules = sorted(doc.letter_rules, key=lambda r: r.y)
    centre = (doc.box[0] + doc.box[2]) / 2
    length = std.letter_line_length
    ok = all(length.holds((r.x1 - r.x0) / PT_PER_MM) and within((r.x0 + r.x1) / 2, centre, std.centring_pt)
             for r in rules)
    yield Result("letter.lines", f"红色双线长 {length.value:g} mm、居中", PASS if ok and len(rules) == 4 else FAIL,
                 f"{len(rules)} 条，长 " + "、".join(f"{(r.x1 - r.x0) / PT_PER_MM:.1f}" for r in rules) + " mm",
                 f"上下各一组双线，{length.text()}", 1, length.clause)
    if len(rules) != 4:
        return
    top, bottom = rules[:2], rules[2:]
    order = top[0].width > top[1].width and bottom[0].width < bottom[1].width
    yield Result("letter.line-weights", "上双线上粗下细，下双线上细下粗", PASS if order else FAIL,
                 " / ".join(f"{r.width:.2f}" for r in rules) + " pt", "粗/细 … 细/粗", 1, "10.1")
    edge = doc.pages[0].height - bottom[1].y
    target = std.letter_bottom_line
    yield Result("letter.bottom-line", f"下双线距下页边 {target.value:g} mm",
                 PASS if target.holds(edge / PT_PER_MM) else FAIL, mm(edge), target.text(), 1, target.clause)
    if doc.mark:
        gap = top[0].y - doc.mark_ink()[1]
        target = std.letter_line_gap
        yield Result("letter.line-gap", f"上双线在标志下 {target.value:g} mm",
                     PASS if target.holds(gap / PT_PER_MM) else FAIL, mm(gap), target.text(), 1, target.clause)


def red_line(doc: Rendered) -> Iterator[Result]:
    rule_ = doc.red_rule
    if doc.is_letter:
        return
    if rule_ is None:
        yield Result("redline.present", "版头红色分隔线", SKIP, "首页无红线")
        return
    x0, _, x1, _ = doc.box
    tol = doc.std.centring_pt
    ok = within(rule_.x0, x0, tol) and within(rule_.x1, x1, tol)
    yield Result("redline.width", "红色分隔线与版心等宽", PASS if ok else FAIL,
                 f"x={rule_.x0:.2f}–{rule_.x1:.2f} pt", f"{x0:.2f}–{x1:.2f} pt ±{tol:g}", 1, "7.2.7")
    if doc.number:
        gap = rule_.y - doc.ink(doc.first, doc.number)[1]
        target = doc.std.red_line_gap
        yield Result("redline.gap", f"发文字号下 {target.value:g} mm", PASS if target.holds(gap / PT_PER_MM) else FAIL,
                     mm(gap), target.text(), 1, target.clause)


def title(doc: Rendered) -> Iterator[Result]:
    rows = doc.title_rows
    if not rows:
        yield Result("title.present", "标题", SKIP, "首页无二号标题")
        return
    sizes = sorted({r.size for r in rows})
    yield Result("title.size", "标题二号字", PASS if sizes == [doc.title_pt] else FAIL,
                 "、".join(f"{x:g}" for x in sizes) + " pt", f"{doc.title_pt:g} pt", 1, "7.3.1")
    centre = (doc.box[0] + doc.box[2]) / 2
    worst = max(abs(r.centre - centre) for r in rows)
    tol = doc.std.centring_pt
    yield Result("title.centre", "标题居中", PASS if worst <= tol else FAIL, f"最大偏离 {worst:.2f} pt", f"±{tol:g} pt",
                 1, "7.3.1")
    widths = [length_in_chars(r.plain) for r in rows]
    most = doc.std.title_max_chars
    # a row filled to the 版心's edge with more after it is a line the renderer had to wrap: the
    # title was not broken by meaning (梯形或菱形, 7.3.1) but by the margin
    wrapped = [r.plain for r, width in zip(rows[:-1], widths, strict=False) if width >= most - 0.5]
    ok = max(widths) <= most and not wrapped
    yield Result("title.width", f"标题每行不超过 {most:g} 字、不因排满而自动回行", PASS if ok else FAIL,
                 f"最长 {max(widths):g} 字" + (f"，“{wrapped[0][:8]}…”排满后回行" if wrapped else ""),
                 f"≤{most:g} 字", 1, "7.3.1")
    if doc.red_rule:
        gap = (doc.ink(doc.first, rows[0])[0] - doc.red_rule.y) / doc.pitch
        expected = CALIBRATION.title_gap_lines
        yield Result("title.gap", "红线下空二行", PASS if within(gap, expected, 0.3) else FAIL,
                     f"{gap:.2f} 行", f"{expected} 行 ±0.3（校准值）", 1, "7.3.1")
    elif doc.is_letter and doc.number:
        gap = (doc.ink(doc.first, rows[0])[0] - doc.ink(doc.first, doc.number)[1]) / doc.pitch
        expected = CALIBRATION.letter_title_gap_lines
        yield Result("letter.title-gap", "标题在发文字号下空二行", PASS if within(gap, expected, 0.3) else FAIL,
                     f"{gap:.2f} 行", f"{expected} 行 ±0.3（校准值）", 1, "10.1")


def recipients(doc: Rendered) -> Iterator[Result]:
    rows = doc.recipients
    if not rows:
        yield Result("recipients.form", "主送机关", SKIP, "标题后无顶格的主送行")
        if doc.title_rows:
            after = [r for r in doc.body_rows(doc.pages[0]) if r.top > doc.title_rows[-1].baseline]
            yield Result("page1.body", "首页显示正文", PASS if after else FAIL, f"{len(after)} 行", "≥1 行", 1,
                         "7.3.3")
        return
    left = max(abs(r.x0 - doc.box[0]) for r in rows)
    yield Result("recipients.form", "主送机关居左顶格", PASS if left <= 1 else FAIL,
                 f"左缩进 {left:.2f} pt", "0 pt ±1", 1, "7.3.2")
    colon = rows[-1].plain.endswith("：")
    yield Result("recipients.colon", "主送机关末尾用全角冒号", PASS if colon else FAIL,
                 f"“…{rows[-1].plain[-6:]}”", "以“：”结尾", 1, "7.3.2")
    after = [r for r in doc.body_rows(doc.pages[0]) if r.top > rows[-1].baseline]
    yield Result("page1.body", "首页显示正文", PASS if after else FAIL, f"{len(after)} 行", "≥1 行", 1, "7.3.3")
