"""会议通知: recipients, content, 回执, numbering, 信函 layout, print file, templates."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from ruamel.yaml import YAML

from circular.build import build
from circular.convert import to_pdf
from circular.printbook import bind
from circular.review.text import body_lines
from circular.verify.pdf import PdfView
from circular.verify.rules import FAIL, PASS, SKIP, check, check_print
from conftest import DATA, copy_project, need_soffice, run_cli
from docset import make_set, meeting_item

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_yaml(path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def invitations(built, manifest):
    return [d for d in manifest["documents"] if d["kind"] == "invitation"]


def meetings():
    schedule = load_yaml(DATA / "2013-07" / "schedule.yaml")
    return {item["id"]: item for q in schedule["quarters"] for item in q["items"]
            if isinstance(item, dict) and "invitation" in item}


def expected_recipients(meeting):
    regions = load_yaml(DATA / "regions.yaml")
    if "region" in meeting:
        return [d["recipient"] for d in regions["regions"][meeting["region"]]]
    return regions["groups"][meeting["group"]]


def text_of(path):
    return [line for line in body_lines(path)]


def test_six_invitations_with_region_and_location(invitations):
    assert len(invitations) == 6
    assert {(d["region"], d["location"]) for d in invitations} == {
        ("主城区", "江北区"), ("渝西片区", "合川区"), ("渝东北片区", "云阳县"), ("渝东南片区", "涪陵区"),
        ("高等学校", "重庆工贸职业技术学院"), ("委直属中小学", "人民小学")}


def test_recipients_content_and_receipt(built, invitations):
    by_id = meetings()
    for entry in invitations:
        meeting = by_id[entry["meeting"]]
        inv = meeting["invitation"]
        lines = text_of(built / entry["docx"])
        recipients = [line.text for line in lines if line.style == "主送机关"]
        assert recipients == ["，".join(expected_recipients(meeting)) + "："]
        text = "".join(line.text for line in lines)
        for value in (inv["date"], inv["time"], meeting["place"] + inv["venue"], inv["contact"]["name"],
                      inv["contact"]["phone"], inv["reply_by"]):
            assert value in text, (entry["docx"], value)
        assert entry["title"] == f"关于{meeting['text']}的通知"
        document = docx.Document(str(built / entry["docx"]))
        header = [c.text for c in document.tables[0].rows[0].cells]
        assert header == ["单位", "姓名", "职务", "性别", "联系电话", "备注"]
        assert "附件：参会回执" in text and meeting["text"].removeprefix("召开") in text


def test_district_grouping_covers_the_38_of_2013():
    regions = load_yaml(DATA / "regions.yaml")["regions"]
    names = [d["name"] for districts in regions.values() for d in districts]
    assert len(names) == len(set(names)) == 38
    assert sum(n.endswith("区") for n in names) == 19
    assert sum(n.endswith("自治县") for n in names) == 4


def test_numbers_unique_and_registered(invitations, manifest):
    register = {e["document"]: e["number"] for e in load_yaml(DATA / "register.yaml")["entries"]}
    numbers = [d["doc_number"] for d in manifest["documents"] if "doc_number" in d]
    assert len(numbers) == len(set(numbers))
    for entry in invitations:
        assert register[f"2013-07/{entry['meeting']}"] == entry["doc_number"]
        assert entry["doc_number"].startswith("渝教工委办函〔2013〕")


def test_numbers_are_stable_when_a_meeting_is_added(tmp_path):
    data = make_set(tmp_path)
    schedule = data / "2013-07" / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    extra = meeting_item("extra", "召开片区联络员会议", issued="2013年3月20日", date="2013年4月10日", venue="教委会议室",
                         participants="各区县联络员", agenda="交流信息", reply_by="2013年4月5日")
    schedule.write_text(text.replace("      - 参加教育部关工委领导干部培训班\n",
                                     "      - 参加教育部关工委领导干部培训班\n" + extra), encoding="utf-8")
    before = {e["document"]: e["number"] for e in load_yaml(data / "register.yaml")["entries"]}
    manifest = build(data, tmp_path / "out", paginate=False).to_json()
    after = {e["document"]: e["number"] for e in load_yaml(data / "register.yaml")["entries"]}
    assert {k: after[k] for k in before} == before
    assert after["2013-07/extra"] == "渝教工委办函〔2013〕7号"
    assert "渝教工委办函〔2013〕7号" in [d.get("doc_number") for d in manifest["documents"]]
    build(data, tmp_path / "out2", paginate=False)  # a rebuild allocates nothing new
    assert {e["document"]: e["number"] for e in load_yaml(data / "register.yaml")["entries"]} == after


@pytest.mark.parametrize("layout, appended, first", [
    (None, True, 7),  # the file as circular writes it: new lines appended, the rest untouched
    ("# 手工整理过\nentries: [{number: 渝教工委办〔2013〕7号, document: 2013-07/notice}]\n", False, 1),
])
def test_register_keeps_the_file_and_appends(tmp_path, layout, appended, first):
    from circular.load.invitations import Register
    from circular.model import DocNumber

    path = tmp_path / "register.yaml"
    seed = Path(__file__).resolve().parents[1] / "data" / "register.yaml"
    path.write_text(layout or seed.read_text(encoding="utf-8"), encoding="utf-8")
    before_text = path.read_text(encoding="utf-8")
    register = Register.load(path)
    old = {d: str(n) for d, n in register.numbers.items()}
    register.allocate("2013-07/new1", "渝教工委办函", 2013)
    register.allocate("2013-07/new2", "渝教工委办函", 2013)
    register.save()
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before_text) is appended
    assert text.startswith("# ")  # the comment survives either way
    again = Register.load(path)
    assert {d: str(n) for d, n in again.numbers.items()} == {
        **old, "2013-07/new1": str(DocNumber("渝教工委办函", 2013, first)),
        "2013-07/new2": str(DocNumber("渝教工委办函", 2013, first + 1))}


def test_changing_a_place_changes_invitation_and_annex(tmp_path):
    data = make_set(tmp_path)
    first = build(data, tmp_path / "out1", paginate=False).to_json()
    schedule = data / "2013-07" / "schedule.yaml"
    schedule.write_text(schedule.read_text(encoding="utf-8").replace("place: 合川区", "place: 铜梁县"), encoding="utf-8")
    second = build(data, tmp_path / "out2", paginate=False).to_json()
    new = {d["docx"]: d for d in second["documents"]}
    yuxi = next(d for d in second["documents"] if d.get("meeting") == "yuxi")
    assert yuxi["location"] == "铜梁县" and "铜梁县" in yuxi["docx"]
    text = "".join(line.text for line in text_of(tmp_path / "out2" / yuxi["docx"]))
    assert "铜梁县教委三楼会议室" in text and "合川区教委三楼会议室" not in text
    circular = next(d for d in second["documents"] if d["kind"] == "circular")
    annex = "".join(line.text for line in text_of(tmp_path / "out2" / circular["docx"]))
    assert "渝西片区教育系统关工委工作研讨会（地点：铜梁县）" in annex
    for old in first["documents"]:  # every other invitation is byte-identical
        if old["kind"] == "invitation" and old["meeting"] != "yuxi":
            assert new[old["docx"]]["sha256"] == old["sha256"]


def test_xml_specials_and_jinja_in_data_come_out_as_text(tmp_path):
    data = make_set(tmp_path)
    schedule = data / "2013-07" / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8").replace("venue: 教委三楼会议室", "venue: 'A&B<会议室>{{ 7*7 }}'")
    schedule.write_text(text, encoding="utf-8")
    manifest = build(data, tmp_path / "out", paginate=False).to_json()
    yuxi = next(d for d in manifest["documents"] if d.get("meeting") == "yuxi")
    body = "".join(line.text for line in text_of(tmp_path / "out" / yuxi["docx"]))
    assert "合川区A&B<会议室>{{ 7*7 }}。" in body and "49" not in body
    with zipfile.ZipFile(tmp_path / "out" / yuxi["docx"]) as z:
        etree.fromstring(z.read("word/document.xml"))  # still well-formed


def test_undefined_variable_names_template_line_and_variable(tmp_path):
    copy_project(tmp_path)
    template = tmp_path / "templates" / "invitation.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "住宿：{{ inv.hotel }}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", "--no-paginate", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("templates/invitation.md.j2:11: 错误:"), result.stderr
    assert "hotel" in result.stderr


def split_tag_receipt(path):
    """A 回执 template whose {{ meeting }} tag is split over three runs, as Word often saves it."""
    document = docx.Document()
    p = document.add_paragraph()
    for part in ("会议：{{ mee", "ting", " }}"):
        p.add_run(part)
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "姓名"
    table.rows[0].cells[1].text = "{{ contact_name }}"
    document.save(path)


def test_tag_split_across_runs_still_renders(tmp_path):
    data = make_set(tmp_path)
    split_tag_receipt(tmp_path / "templates" / "回执.docx")
    manifest = build(data, tmp_path / "out", paginate=False).to_json()
    zhishu = next(d for d in manifest["documents"] if d.get("meeting") == "zhishu")
    text = "".join(line.text for line in text_of(tmp_path / "out" / zhishu["docx"]))
    assert "会议：委直属中小学关工委工作研讨会" in text and "{{" not in text


def test_template_check_lists_variables_and_misplaced_tags(tmp_path):
    good = run_cli("template", "check", "templates/回执.docx")
    assert good.returncode == 0 and "contact_name" in good.stdout
    document = docx.Document()
    document.add_paragraph("{%tr for row in rows %}放错了{%tr endfor %}")
    document.add_paragraph("{{ unknown_field }}")
    bad = tmp_path / "bad.docx"
    document.save(bad)
    result = run_cli("template", "check", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "unknown_field" in result.stdout and "不在表格行中" in result.stdout and "放错了" in result.stdout


def test_broken_template_file_is_a_clear_error(tmp_path):
    data = make_set(tmp_path)
    (tmp_path / "templates" / "回执.docx").write_bytes(b"not a zip")
    result = run_cli("build", "--no-paginate", cwd=tmp_path)
    assert result.returncode == 2 and "不是有效的 Word" in result.stderr and "Traceback" not in result.stderr
    assert data.exists()


@pytest.mark.render
def test_invitations_pass_layout_checks_as_letters(built, invitations):
    need_soffice()
    pdfs = to_pdf([built / d["docx"] for d in invitations])
    for entry in invitations:
        with PdfView(pdfs[built / entry["docx"]]) as view:
            results = check(view)
        measured = {r.rule for r in results if r.status != SKIP}
        assert {"letter.mark-top", "letter.lines", "letter.line-weights", "letter.bottom-line", "letter.line-gap",
                "letter.number-right", "letter.number-gap", "letter.title-gap", "pagenum.absent"} <= measured
        assert [r.line() for r in results if r.status == FAIL] == [], entry["docx"]


@pytest.mark.render
def test_print_file_starts_each_on_odd_page_and_restarts_numbers(built, invitations, tmp_path):
    need_soffice()
    pdfs = to_pdf([built / d["docx"] for d in invitations])
    book = tmp_path / "book.pdf"
    parts = bind([pdfs[built / d["docx"]] for d in invitations], book)
    starts = [first for first, _ in parts]
    assert all(s % 2 == 1 for s in starts)
    with PdfView(book) as view:
        results = check_print(view, parts)
        assert [r.line() for r in results if r.status == FAIL] == []
        for n, start in enumerate(starts):
            end = starts[n + 1] - 1 if n + 1 < len(starts) else len(view.pages)
            numbers = []
            for page in view.pages[start - 1:end]:
                found = [r.plain for r in page.rows if re.match(r"^—\d+—$", r.plain)]
                numbers.append(found[0] if found else None)
            pages = len([p for p in view.pages[start - 1:end] if p.rows])
            assert numbers[0] is None  # 信函 page 1
            assert numbers[1:pages] == [f"—{k}—" for k in range(2, pages + 1)]
    assert [r.status for r in results if r.rule == "print.odd-start"] == [PASS] * 6


@pytest.mark.render
def test_document_format_invitation_is_selectable(tmp_path):
    need_soffice()
    data = make_set(tmp_path)
    schedule = data / "2013-07" / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8").replace(
        "          contact: {name: 刘立新, phone: 023-63854123}\n",
        "          contact: {name: 刘立新, phone: 023-63854123}\n          format: document\n", 1)
    schedule.write_text(text, encoding="utf-8")
    manifest = build(data, tmp_path / "out").to_json()
    zhucheng = next(d for d in manifest["documents"] if d.get("meeting") == "zhucheng")
    assert zhucheng["doc_number"] == "渝教工委办函〔2013〕1号"  # a registered number never moves
    pdf = to_pdf([tmp_path / "out" / zhucheng["docx"]])[tmp_path / "out" / zhucheng["docx"]]
    with PdfView(pdf) as view:
        results = check(view)
    measured = {r.rule for r in results if r.status != SKIP}
    assert {"mark.top", "redline.gap", "imprint.even", "pagenum.value"} <= measured
    assert [r.line() for r in results if r.status == FAIL] == []
    assert json.dumps(zhucheng, ensure_ascii=False)


@pytest.mark.render
def test_print_rules_catch_a_badly_bound_book(built, invitations, tmp_path):
    """Bound without padding, later invitations start on even pages; padding with text is not blank."""
    import pypdfium2

    need_soffice()
    pdfs = to_pdf([built / d["docx"] for d in invitations[:2]])
    parts = [pypdfium2.PdfDocument(str(pdfs[built / d["docx"]])) for d in invitations[:2]]
    unpadded, dirty = pypdfium2.PdfDocument.new(), pypdfium2.PdfDocument.new()
    for part in parts:
        unpadded.import_pages(part)
        dirty.import_pages(part)
        if len(part) % 2:
            dirty.import_pages(part, [len(part) - 1])  # "padding" that repeats the last page
    starts_unpadded = [(1, len(parts[0])), (len(parts[0]) + 1, len(parts[1]))]
    starts_dirty = [(1, len(parts[0])), (len(parts[0]) + len(parts[0]) % 2 + 1, len(parts[1]))]
    unpadded.save(str(tmp_path / "unpadded.pdf"))
    dirty.save(str(tmp_path / "dirty.pdf"))
    assert len(parts[0]) % 2 == 1  # a 3-page invitation: the case that needs padding
    with PdfView(tmp_path / "unpadded.pdf") as view:
        failed = {r.rule for r in check_print(view, starts_unpadded) if r.status == FAIL}
    assert "print.odd-start" in failed
    with PdfView(tmp_path / "dirty.pdf") as view:
        failed = {r.rule for r in check_print(view, starts_dirty) if r.status == FAIL}
    assert failed == {"print.padding"}
