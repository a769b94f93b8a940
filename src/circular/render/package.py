"""Reproducible .docx packages: same model, same bytes (gbt9704.md §9.6)."""

from __future__ import annotations

import io
import zipfile

from docx.document import Document

_EPOCH = (1980, 1, 1, 0, 0, 0)  # what Word writes; the zip format's earliest date
_FIRST = "[Content_Types].xml"


def reproducible_zip(document: Document) -> bytes:
    """Save, then re-zip: [Content_Types].xml first, the rest sorted, fixed dates and modes."""
    raw = io.BytesIO()
    document.save(raw)
    return rezip(raw.getvalue())


def rezip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(src.namelist(), key=lambda n: (n != _FIRST, n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()
