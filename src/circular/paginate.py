"""paginate: decide where the 版记 goes from a render, so it lands on an even page (docs/layout.md §4).

Printed double-sided, the last rule of the 版记 must close the document's last face: the 版记 page
is even. Where it fell on an odd page sharing it with text, it moves to the next page; where it
stood alone on an odd page, a blank page goes before it and neither page is numbered.
"""

from __future__ import annotations

from pathlib import Path

from .render import ImprintPlacement
from .verify.elements import Rendered
from .verify.pdf import PdfView


def imprint_placement(pdf: Path) -> ImprintPlacement | None:
    """The placement that puts the 版记 on an even page, or None when it already is (or is absent)."""
    with PdfView(pdf) as view:
        doc = Rendered(view)
        rules = doc.imprint_rules
        if len(rules) < 2:
            return None
        last = doc.pages[-1]
        if last.number % 2 == 0:
            return None
        text_above = [r for r in last.rows if r.baseline < rules[0].y and not doc.is_page_number(r)]
        return ImprintPlacement.NEW_PAGE if text_above else ImprintPlacement.EVEN_SECTION
