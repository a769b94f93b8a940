"""The built documents measured on LibreOffice renders (gbt9704.md §10)."""

import pytest

from circular.layout import DEFAULT as L
from circular.layout import PT_PER_MM
from circular.verify.pdf import PdfView
from circular.verify.rules import PASS

pytestmark = pytest.mark.render


def by_rule(results, rule):
    return [r for r in results if r.rule == rule]


EXPECTED = {
    "circular": ["page.paper", "page.text-area", "grid.pitch", "grid.rows", "grid.chars", "mark.centre", "mark.top",
                 "number.syntax", "number.centre", "number.gap", "redline.width", "redline.gap", "title.centre",
                 "title.width", "title.gap", "recipients.form", "recipients.colon", "page1.body", "date.format", "signature.unsealed",
                 "signature.date-offset", "pagenum.value", "pagenum.size", "pagenum.side", "pagenum.dash",
                 "imprint.bottom", "imprint.color", "imprint.weights", "attachment.label", "attachment.title"],
    "workpoints": ["page.paper", "page.text-area", "grid.pitch", "grid.rows", "grid.chars", "pagenum.value",
                   "pagenum.side", "pagenum.dash", "attachment.label", "attachment.title"],
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_every_rule_measured_and_passing(results, kind):
    found = results[kind]
    for line in found:
        print(line.line())
    measured = {r.rule for r in found if r.status != "SKIP"}
    assert set(EXPECTED[kind]) <= measured, set(EXPECTED[kind]) - measured
    failures = [r.line() for r in found if r.status not in (PASS, "SKIP")]
    assert not failures, "\n".join(failures)


def test_grid_and_page_numbers_on_every_page(results, rendered):
    with PdfView(rendered["circular"]) as view:
        pages = len(view.pages)
    for rule in ("grid.pitch", "pagenum.value", "pagenum.dash", "pagenum.side"):
        assert len(by_rule(results["circular"], rule)) == pages, rule


def test_raw_geometry_of_page_one(rendered):
    """Independent of the rule code: the numbers straight off the page."""
    x0, y0, x1, y1 = L.text_box_pt
    with PdfView(rendered["circular"]) as view:
        page = view.pages[0]
        mark = next(r for r in page.rows if r.color == (1.0, 0.0, 0.0))
        ink_top, ink_bottom = view.ink_extent(0, (mark.x0, mark.top - 5, mark.x1, mark.baseline + 15))
        assert abs(ink_top - (y0 + 35 * PT_PER_MM)) < PT_PER_MM
        assert abs(mark.centre - (x0 + x1) / 2) < 1
        number = next(r for r in page.rows if "〔" in r.text)
        assert number.plain == "渝教工委办〔2013〕7号"
        red = [r for r in page.rules if r.is_red]
        assert len(red) == 1 and abs(red[0].x0 - x0) < 1 and abs(red[0].x1 - x1) < 1
        assert abs(red[0].width - 1.5) < 0.1
        number_ink = view.ink_extent(0, (number.x0, number.top - 3, number.x1, number.baseline + 6))
        assert abs(red[0].y - number_ink[1] - 4 * PT_PER_MM) < PT_PER_MM
        body = [r for r in page.rows if r.size == 16 and r.baseline > red[0].y]
        pitches = {round(b.baseline - a.baseline, 1) for a, b in zip(body, body[1:])}
        assert pitches <= {28.9, 29.0, 57.9, 58.0}  # one or two grid lines apart
        last = view.pages[-1]
        rules = [r for r in last.rules if not r.is_red]
        assert abs(rules[-1].y - y1) < 2
        assert last.number % 2 == 0
