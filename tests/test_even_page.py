"""The 版记 lands on an even page: text ending on an odd page, on an even page with room, without room."""

import pytest

from circular.build import build
from circular.convert import to_pdf
from circular.layout import DEFAULT as L
from circular.load import load_all
from circular.paginate import imprint_placement
from circular.render import ImprintPlacement, render
from circular.verify.pdf import PdfView
from circular.verify.rules import PASS, SKIP, check
from conftest import need_soffice
from docset import make_set

pytestmark = pytest.mark.render

LINE = "本段是测试正文，占一行。"
# body lengths (one-line paragraphs) around each case; the first that shows it is used
CANDIDATES = {
    ImprintPlacement.NEW_PAGE: [1, 2, 30],  # text and 版记 end on odd page 1 (or 3)
    None: [10, 12],  # text ends on page 2 with room for the 版记
    ImprintPlacement.EVEN_SECTION: list(range(24, 30)),  # text fills page 2, 版记 alone on page 3
}


def data_with(root, n):
    return make_set(root / f"n{n}", notice={"transmits": None, "body": "\n\n".join([LINE] * n)})


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    need_soffice()
    root = tmp_path_factory.mktemp("even")
    sizes = sorted({n for ns in CANDIDATES.values() for n in ns})
    docs = {}
    for n in sizes:
        gw = load_all(data_with(root, n))[0].documents[0]
        docs[n] = root / f"flow{n}.docx"
        docs[n].write_bytes(render(gw, L))
    pdfs = to_pdf(list(docs.values()))
    found = {}
    for case, ns in CANDIDATES.items():
        for n in ns:
            if imprint_placement(pdfs[docs[n]]) == case:
                found[case] = n
                break
    assert set(found) == set(CANDIDATES), f"not every case occurred: {found}"
    built = {}
    for case, n in found.items():
        out = root / f"out{n}"
        build(data_with(root, n), out)
        docx = next(out.rglob("*.docx"))
        built[case] = to_pdf([docx])[docx]
    return built


@pytest.mark.parametrize("case", list(CANDIDATES), ids=["odd-page", "even-with-room", "even-without-room"])
def test_imprint_on_even_page(cases, case):
    with PdfView(cases[case]) as view:
        results = check(view)
        pages = view.pages
    for r in results:
        print(r.line())
    assert len(pages) % 2 == 0
    assert [r.status for r in results if r.rule == "imprint.even"] == [PASS]
    assert [r.line() for r in results if r.status not in (PASS, SKIP)] == []
    absent = [r for r in results if r.rule == "pagenum.absent"]
    if case is ImprintPlacement.EVEN_SECTION:
        assert not pages[-2].rows and not pages[-2].rules  # the blank page
        assert [(r.page, r.status) for r in absent] == [(len(pages) - 1, PASS), (len(pages), PASS)]
    else:
        assert absent == []
        numbers = [r for r in results if r.rule == "pagenum.value"]
        assert len(numbers) == len(pages)
