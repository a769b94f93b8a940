"""The invitations' print file: every document as laid out alone, each starting on an odd page.

Made from the rendered PDFs, so each document keeps its own pagination and numbering (信函 page 1
unnumbered, numbers restart at 1); a blank page goes after a document with an odd page count.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2


def bind(pdfs: list[Path], target: Path) -> list[tuple[int, int]]:
    """Write ``target``; return (first page, page count) of each document in it."""
    book = pypdfium2.PdfDocument.new()
    starts = []
    try:
        for path in pdfs:
            source = pypdfium2.PdfDocument(str(path))
            try:
                starts.append((len(book) + 1, len(source)))
                book.import_pages(source)
                if len(source) % 2:
                    width, height = source[0].get_size()
                    book.new_page(width, height)
            finally:
                source.close()
        tmp = target.with_name(f".{target.name}.tmp")
        book.save(str(tmp))
        tmp.replace(target)
    finally:
        book.close()
    return starts
