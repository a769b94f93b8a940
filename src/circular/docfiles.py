""".docx and .pdf files given on the command line: refused in Chinese, naming them, when they are
not what they claim to be (empty, another kind of zip, truncated, encrypted)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import CircularError, Where, display_path

_WORD_FIX = "请在 Word 或 WPS 中打开后另存为 .docx"
_PDF_FIX = "请重新导出 PDF，或检查文件是否下载完整"


def require_docx(path: Path) -> None:
    """A Word package: a zip holding [Content_Types].xml and word/document.xml that parse."""
    from lxml import etree

    where = Where(display_path(path))
    if not path.is_file():
        raise CircularError(where, "不是文件", "请给出 .docx 文件的路径")
    if path.stat().st_size == 0:
        raise CircularError(where, "文件是空的（0 字节），不是有效的 Word 文件", _WORD_FIX)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                raise CircularError(where, "是压缩包，但不是 Word（.docx）文件", _WORD_FIX)
            etree.fromstring(z.read("word/document.xml"), parser=etree.XMLParser(resolve_entities=False))
    except CircularError:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError, EOFError):
        raise CircularError(where, "不是有效的 Word（.docx）文件（已损坏或不是 Word 格式）", _WORD_FIX) from None


def require_pdf(path: Path) -> None:
    """A PDF that opens without a password and has pages."""
    import pypdfium2

    where = Where(display_path(path))
    if not path.is_file():
        raise CircularError(where, "不是文件", "请给出 .pdf 文件的路径")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise CircularError(where, "文件是空的（0 字节），不是有效的 PDF", _PDF_FIX)
    if b"%PDF-" not in head:
        raise CircularError(where, "不是 PDF 文件", _PDF_FIX)
    try:
        doc = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise CircularError(where, "PDF 已加密，无法读取", "请导出未加密的 PDF") from None
        raise CircularError(where, "PDF 已损坏或不完整", _PDF_FIX) from None
    try:
        if len(doc) == 0:
            raise CircularError(where, "PDF 没有页面", _PDF_FIX)
    finally:
        doc.close()
