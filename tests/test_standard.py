"""The standard vs the house: GB/T 9704's numbers live in standard.py, the checker reads only them,
house.yaml can set fonts and the red line and nothing else."""

from __future__ import annotations

import io

import pytest

from circular.errors import DataError
from circular.layout import CALIBRATION, Layout
from circular.load import load_layout
from circular.standard import STANDARD, TW_PER_MM, Standard, Target
from conftest import copy_project, run_cli


@pytest.mark.parametrize("house, words", [
    ("layout:\n  header:\n    mark_top_mm: 30\n", "未知字段“mark_top_mm”"),
    ("layout:\n  page:\n    width: 12240\n    height: 15840\n", "不能修改“page”"),
    ("layout:\n  grid:\n    line: 600\n", "不能修改“grid”"),
    ("layout:\n  sizes:\n    body: 30\n", "不能修改“sizes”"),
])
def test_house_cannot_change_the_standard(tmp_path, house, words):
    (tmp_path / "house.yaml").write_text(house, encoding="utf-8")
    with pytest.raises(DataError, match=words):
        load_layout(tmp_path)


def test_house_rules_that_are_allowed(tmp_path):
    (tmp_path / "house.yaml").write_text("layout:\n  fonts:\n    body: 仿宋_GB2312\n  header:\n"
                                         "    red_line_weight_pt: 1.0\n    red_line_color: E60012\n", encoding="utf-8")
    layout = load_layout(tmp_path)
    assert layout.fonts.body == "仿宋_GB2312" and layout.header.red_line_weight_pt == 1.0
    assert layout.header.red_line_color == "E60012" and layout.page == Layout().page


def test_writer_and_checker_read_one_mark_position(monkeypatch):
    """The mark's space-before is the standard's 35 mm less a calibrated ink drop: moving the
    standard's target moves the writer with it, so the two cannot disagree."""
    import circular.layout as layout_module

    assert Layout().mark_space_before == round(35 * TW_PER_MM) - CALIBRATION.mark_ink_drop_tw == 1737
    moved = Standard(mark_top=Target(36.0, 1.0, "mm", "7.2.4"))
    monkeypatch.setattr(layout_module, "STANDARD", moved)
    assert Layout().mark_space_before - 1737 == round(36 * TW_PER_MM) - round(35 * TW_PER_MM)


def test_check_of_a_letter_size_pdf_fails_whatever_the_house_says(tmp_path):
    """check measures against the standard only: a US Letter file fails page.paper, even run in a
    project whose data/ has a house.yaml."""
    import pypdfium2

    project = copy_project(tmp_path)
    (project / "data" / "house.yaml").write_text("layout:\n  fonts:\n    body: 仿宋_GB2312\n", encoding="utf-8")
    doc = pypdfium2.PdfDocument.new()
    doc.new_page(612, 792)
    buf = io.BytesIO()
    doc.save(buf)
    (project / "letter.pdf").write_bytes(buf.getvalue())
    result = run_cli("check", "letter.pdf", cwd=project)
    assert result.returncode == 1
    assert "FAIL  page.paper" in result.stdout and "595.3×841.9 pt" in result.stdout


@pytest.mark.render
def test_check_messages_print_the_numbers_they_test(results):
    """Expected values in check output come from standard.py, not from retyped text."""
    by_rule = {r.rule: r for r in results["circular"]}
    assert by_rule["mark.top"].expected == STANDARD.mark_top.text()
    assert by_rule["redline.gap"].expected == STANDARD.red_line_gap.text()
    assert by_rule["number.gap"].expected.startswith(STANDARD.number_gap.text())
    dash = next(r for r in results["circular"] if r.rule == "pagenum.dash")
    assert dash.expected == STANDARD.page_number_dash.text()


def test_standard_is_not_a_house_rule():
    """Nothing in standard.py is reachable from house.yaml's schema."""
    from circular.layout import House

    assert set(House.model_fields) == {"fonts", "header"}
    assert set(House.model_fields["header"].annotation.model_fields) == {"red_line_weight_pt", "red_line_color",
                                                                         "mark_color"}
