"""Page-image diff: render both sides' pages, pair them, mark the regions that changed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image, ImageChops, ImageDraw

DPI = 60
INK_THRESHOLD = 48  # grey-level difference that counts as a change (anti-aliasing stays below)


def _pages(pdf: Path) -> list[Image.Image]:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.render(scale=DPI / 72).to_pil().convert("RGB") for page in doc]
    finally:
        doc.close()


def changed_box(old: Image.Image, new: Image.Image) -> tuple[int, int, int, int] | None:
    if old.size != new.size:
        return (0, 0, *new.size)
    diff = ImageChops.difference(old.convert("L"), new.convert("L")).point(lambda v: 255 if v > INK_THRESHOLD else 0)
    return diff.getbbox()


def page_diff(old_pdf: Path | None, new_pdf: Path, folder: Path, stem: str) -> list[dict]:
    """Write old/new PNGs of every page (changed regions boxed in red); one record per page. A new
    document (no ``old_pdf``) has every page new."""
    folder.mkdir(parents=True, exist_ok=True)
    old, new = (_pages(old_pdf) if old_pdf else []), _pages(new_pdf)
    blank = Image.new("RGB", (new or old)[0].size, "white")
    records = []
    for n in range(max(len(old), len(new))):
        a = old[n] if n < len(old) else blank
        b = new[n] if n < len(new) else blank
        box = changed_box(a, b)
        record: dict = {"page": n + 1, "changed": box is not None, "old": "", "new": ""}
        if box is not None:
            marked = b.copy()
            x0, y0, x1, y1 = box
            ImageDraw.Draw(marked).rectangle((x0 - 4, y0 - 4, x1 + 4, y1 + 4), outline=(230, 0, 0), width=3)
            record["new"] = f"{stem}-新-第{n + 1}页.png"
            marked.save(folder / record["new"])
            if old_pdf:
                record["old"] = f"{stem}-原-第{n + 1}页.png"
                a.save(folder / record["old"])
        records.append(record)
    return records
