"""After the text (GB/T 9704 7.3.4–7.3.5, 10.2, 10.3): 附件说明, 署名 and 成文日期, seals, 签名章, attendance."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..grammar import length_in_chars
from ..model import IssueDate, ValueProblem
from .elements import Box, Closing, Rendered, within
from .pdf import Row
from .result import FAIL, PASS, SKIP, Result

ITEM = re.compile(r"^(附件：)?\d+[.．]")
ATTENDANCE = re.compile(r"^(出席|请假|列席)：")


def attachment_note(doc: Rendered) -> Iterator[Result]:
    """附件说明: 左空二字 "附件："; items 1. 2. with their numbers in one column and every line of a
    name starting under the name's first character (7.3.4)."""
    indent = doc.box[0] + doc.std.indent_pt
    for page in doc.pages:
        rows = doc.paragraph_rows(page)
        start = next((n for n, r in enumerate(rows) if r.plain.startswith("附件：")), None)
        if start is None:
            continue
        head = rows[start]
        ok = within(head.x0, indent, 1.5) and not re.search(r"[，。；、.]$", head.plain)
        yield Result("attachment.note", "附件说明左空二字、名称后无标点", PASS if ok else FAIL,
                     f"x={head.x0 - doc.box[0]:.1f} pt，“{head.plain[:16]}”",
                     f"{indent - doc.box[0]:.1f} pt，无末尾标点", page.number, "7.3.4")
        block = [head]
        for row in rows[start + 1:]:
            if not within(row.baseline - block[-1].baseline, doc.pitch, 1) or row.x0 < indent + doc.std.char_pt:
                break
            block.append(row)
        yield from _note_columns(doc, block, page.number)
        return


def _note_columns(doc: Rendered, block: list[Row], page: int) -> Iterator[Result]:
    label = len("附件：")
    numbered = bool(ITEM.match(block[0].plain))
    number_x = block[0].glyphs[label][1] if numbered else None
    name_x = _name_start(block[0], label)
    worst = 0.0
    for row in block[1:]:
        if numbered and ITEM.match(row.plain):
            worst = max(worst, abs(row.x0 - (number_x or 0)))
            name_x = _name_start(row, 0)
        else:  # a wrapped line of a name
            worst = max(worst, abs(row.x0 - name_x))
    if len(block) > 1:
        yield Result("attachment.note-align", "附件序号上下对齐、名称回行与名称首字对齐",
                     PASS if worst <= 1.5 else FAIL, f"{len(block)} 行，最大偏差 {worst:.2f} pt", "±1.5 pt",
                     page, "7.3.4")


def _name_start(row: Row, skip: int) -> float:
    """x of the first character of an attachment's name: after "附件：" (skip) and any "1." number."""
    glyphs = row.glyphs[skip:]
    text = "".join(c for c, _, _ in glyphs)
    found = re.match(r"^\d+[.．]", text)
    return glyphs[len(found.group(0)) if found else 0][1]


def signature(doc: Rendered) -> Iterator[Result]:
    found = doc.closing
    if found is None:
        yield Result("signature.layout", "署名与成文日期", SKIP, "未找到成文日期行")
        return
    number = doc.pages[found.page].number
    try:
        IssueDate.parse(found.date.plain)
        yield Result("date.format", "成文日期格式", PASS, found.date.plain, "2013年3月1日式", number, "7.3.5.4")
    except ValueProblem as exc:
        yield Result("date.format", "成文日期格式", FAIL, found.date.plain, exc.fix, number, "7.3.5.4")
    if found.seals or found.stamps:
        return  # sealed layouts and 签名章 have rules of their own
    yield from _unsealed(doc, found, number)


def _unsealed(doc: Rendered, found: Closing, number: int) -> Iterator[Result]:
    """7.3.5.2: the 署名 (the widest, when several stand one under another) 右空二字, the date's first
    character 2 字 right of the 署名's; a date longer than the 署名 is 右空二字 instead."""
    std, names, date = doc.std, found.names, found.date
    tol, space, shift = std.position_pt, std.signature_right_chars * std.char_pt, std.date_offset_chars * std.char_pt
    left = min(r.x0 for r in names)
    if len(names) > 1:
        spread = max(r.x0 for r in names) - left
        yield Result("signature.names", "联合行文署名依次向下、首字对齐", PASS if spread <= tol else FAIL,
                     f"{len(names)} 行，首字最大相差 {spread:.2f} pt", f"±{tol:g} pt", number, "7.3.5.2")
    longer_date = length_in_chars(date.plain) > max(length_in_chars(r.plain) for r in names)
    right = doc.box[2] - (date.x1 if longer_date else max(r.x1 for r in names))
    what = "成文日期长于署名，日期右空二字" if longer_date else "署名右空二字"
    yield Result("signature.unsealed", f"不加盖印章：{what}", PASS if within(right, space, tol) else FAIL,
                 f"{right:.2f} pt", f"{space:.2f} pt ±{tol:g}", number, "7.3.5.2")
    # the date is set from the right: where LibreOffice spaces digits apart it grows leftwards
    offset = date.x0 + doc.word_width_excess(date) - left
    yield Result("signature.date-offset", "成文日期首字比署名首字右移二字",
                 PASS if within(offset, shift, tol) else FAIL, f"{offset:.2f} pt", f"{shift:.2f} pt ±{tol:g}",
                 number, "7.3.5.2")


def seal(doc: Rendered) -> Iterator[Result]:
    """7.3.5.1: date 右空四字; each seal centred on its 署名, the last also on the date and pressing
    on both; seals apart and inside the 版心; the first row's top within a line of the text."""
    found = doc.closing
    if found is None or not found.seals:
        yield Result("seal.present", "印章", SKIP, "署名处无印章图像")
        return
    number, date, tol = doc.pages[found.page].number, found.date, doc.std.position_pt
    space = doc.std.sealed_date_right_chars * doc.std.char_pt
    right = doc.box[2] - date.x1
    yield Result("seal.date-right", "加盖印章：成文日期右空四字", PASS if within(right, space, tol) else FAIL,
                 f"{right:.2f} pt", f"{space:.2f} pt ±{tol:g}", number, "7.3.5.1")
    names = [seg for row in found.names for seg in row.segments(doc.std.char_pt)]
    pairs = [(name, _nearest_seal(name, found.seals)) for name in names]
    off = [name.plain for name, box in pairs if not within((box[0] + box[2]) / 2, name.centre, 2)]
    one_each = not off and len({box for _, box in pairs}) == len(names) == len(found.seals)
    yield Result("seal.centred", "印章一一对应、居中于署名", PASS if one_each else FAIL,
                 f"{len(found.seals)} 枚印章，{len(names)} 个署名" + (f"，“{off[0]}”未居中" if off else ""),
                 "每个署名上居中一枚，中心相差 ≤2 pt", number, "7.3.5.1")
    last_name = pairs[-1][0]
    date_centre = date.centre + doc.word_width_excess(date) / 2  # right-aligned: as Word sets it
    yield Result("seal.name-centred", "最后一个署名以成文日期为准居中",
                 PASS if within(last_name.centre, date_centre, tol) else FAIL,
                 f"署名中心 {last_name.centre:.2f} pt，日期中心 {date_centre:.2f} pt", f"相差 ≤{tol:g} pt", number,
                 "7.3.5.1")
    yield _presses(pairs, date, number)
    yield from _seals_apart(doc, found.seals, number)
    first_top = min(box[1] for box in found.seals)
    if found.above is not None:
        gap = (first_top - found.above.baseline) / doc.pitch
        yield Result("seal.top", "首排印章顶端距正文（或附件说明）一行之内",
                     PASS if 0 <= gap <= doc.std.seal_top_lines else FAIL,
                     f"{gap:.2f} 行", f"0–{doc.std.seal_top_lines:g} 行", number, "7.3.5.1")


def _nearest_seal(name: Row, seals: list[Box]) -> Box:
    """The seal meant for a 署名: of those level with it, the one whose centre is nearest its centre."""
    middle = (name.top + name.baseline) / 2
    return min(seals, key=lambda b: (abs((b[1] + b[3]) / 2 - middle) > (b[3] - b[1]) / 2,
                                     abs((b[0] + b[2]) / 2 - name.centre)))


def _presses(pairs: list[tuple[Row, Box]], date: Row, number: int) -> Result:
    """Each seal presses on its 署名; the last also on the date, which lies in its lower half
    (上不压正文、下压成文日期)."""
    def inside(row: Row, box: Box) -> bool:
        return box[1] < (row.top + row.baseline) / 2 < box[3]

    name, box = pairs[-1]
    date_mid, name_mid = (date.top + date.baseline) / 2, (name.top + name.baseline) / 2
    pressed = all(inside(n, b) for n, b in pairs) and inside(date, box) and date_mid > (box[1] + box[3]) / 2
    return Result("seal.press", "印章下压署名，最后一枚下压署名和日期、日期居印章中心偏下", PASS if pressed else FAIL,
                  f"印章 y={box[1]:.1f}–{box[3]:.1f}，署名中线 {name_mid:.1f}，日期中线 {date_mid:.1f}",
                  "署名、日期在印章内，日期在中心之下", number, "7.3.5.1")


def _seals_apart(doc: Rendered, seals: list[Box], number: int) -> Iterator[Result]:
    if len(seals) < 2:
        return
    touching = [(a, b) for i, a in enumerate(seals) for b in seals[i + 1:]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]]
    yield Result("seal.apart", "印章之间互不相交或相切", PASS if not touching else FAIL,
                 f"{len(touching)} 对相交", "0 对", number, "7.3.5.1")
    tol = doc.std.margin_tolerance_mm * 72 / 25.4
    outside = [b for b in seals if b[0] < doc.box[0] - tol or b[2] > doc.box[2] + tol]
    yield Result("seal.inside", "每排印章两端不超出版心", PASS if not outside else FAIL,
                 f"{len(outside)} 枚越界", "0 枚", number, "7.3.5.1")


def signed_by(doc: Rendered) -> Iterator[Result]:
    """7.3.5.3 and 10.2: 签名章 右空四字, the 职务 左空二字 from it and centred on it, the date one line
    below, 右空四字."""
    found = doc.closing
    if found is None or not found.stamps:
        return
    number, tol = doc.pages[found.page].number, doc.std.position_pt
    four, two = doc.std.sealed_date_right_chars * doc.std.char_pt, 2 * doc.std.char_pt
    for stamp in found.stamps:
        right = doc.box[2] - stamp[2]
        yield Result("stamp.right", "签名章右空四字", PASS if within(right, four, tol) else FAIL,
                     f"{right:.2f} pt", f"{four:.2f} pt ±{tol:g}", number, "7.3.5.3")
        middle = (stamp[1] + stamp[3]) / 2
        title = min(found.names, key=lambda r: abs((r.top + r.baseline) / 2 - middle))
        gap, off = stamp[0] - title.x1, (title.top + title.baseline) / 2 - middle
        ok = within(gap, two, tol) and abs(off) <= doc.std.body_pt / 2
        yield Result("stamp.title", "签发人职务在签名章左空二字、上下居中", PASS if ok else FAIL,
                     f"左距 {gap:.2f} pt，中线相差 {off:.2f} pt", f"{two:.2f} pt ±{tol:g}，中线相差 ≤8 pt", number,
                     "7.3.5.3")
    right = doc.box[2] - found.date.x1
    yield Result("stamp.date-right", "成文日期右空四字", PASS if within(right, four, tol) else FAIL,
                 f"{right:.2f} pt", f"{four:.2f} pt ±{tol:g}", number, "7.3.5.3")
    below = (found.date.top - max(s[3] for s in found.stamps)) / doc.pitch
    yield Result("stamp.date-gap", "签名章下空一行编排成文日期", PASS if 0 < below <= 1.5 else FAIL,
                 f"{below:.2f} 行", "一行之内", number, "7.3.5.3")


def attendance(doc: Rendered) -> Iterator[Result]:
    """纪要 (10.3): 出席、请假、列席 左空二字, the names after the colon, wrapped lines under the first name."""
    indent = doc.box[0] + doc.std.indent_pt
    for page in doc.pages:
        rows = doc.paragraph_rows(page)
        for n, row in enumerate(rows):
            if not ATTENDANCE.match(row.plain):
                continue
            after_colon = row.glyphs[3][1] if len(row.glyphs) > 3 else row.x1
            wrapped: list[Row] = []
            for nxt in rows[n + 1:]:
                if ATTENDANCE.match(nxt.plain) or not within(nxt.baseline - (wrapped or [row])[-1].baseline,
                                                             doc.pitch, 1):
                    break
                wrapped.append(nxt)
            worst = max([abs(r.x0 - after_colon) for r in wrapped], default=0.0)
            ok = within(row.x0, indent, 1.5) and worst <= 1.5
            yield Result("minutes.attendance", f"“{row.plain[:2]}”左空二字，回行与冒号后首字对齐",
                         PASS if ok else FAIL, f"x={row.x0 - doc.box[0]:.1f} pt，回行偏差 {worst:.2f} pt",
                         f"{indent - doc.box[0]:.1f} pt ±1.5，回行 ±1.5 pt", page.number, "10.3")
