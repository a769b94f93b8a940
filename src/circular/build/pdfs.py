"""The PDF stage: .docx in out/ -> PDF, page previews and the invitations' print file.

Staged and published like the .docx stage: out/ is linked into a staging folder, what is stale is
rendered there, and the folder replaces out/ in one step; a failure leaves out/ as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .. import manifest as manifests
from ..grammar import Kind
from ..manifest import Bound, Entry, Manifest
from ..outdir import publish, staged_copy, writing
from ..progress import step

PRINT_NAME = "会议通知合订本（双面打印）.pdf"


def _stale(out_dir: Path, entry: Entry) -> bool:
    """A document whose PDF is missing or was made from another .docx."""
    return entry.pdf_of != entry.sha256 or not entry.pdf or not (out_dir / entry.pdf).is_file()


def render_pdfs(out_dir: Path, workers: int | None = None, font_gate: str = "strict", previews: bool = True,
                warn: Callable[[str], None] = lambda msg: None) -> tuple[Manifest, list[Path]]:
    """Render what is stale; returns the new manifest and the PDFs made (as paths under out/)."""

    def waiting() -> None:
        warn(f"另一个 circular 进程正在写 {out_dir}，等它结束后继续…")

    with writing(out_dir, None, waiting, need_manifest=True):
        manifest = manifests.read(out_dir)
        documents = [e for e in manifest.documents if e.docx]
        stale = [e for e in documents if _stale(out_dir, e)]
        unpreviewed = [e for e in documents if previews and not e.long_preview and e not in stale]
        books = manifest.entries(Kind.INVITATIONS_PRINT)
        if not stale and not unpreviewed and (books or not manifest.entries(Kind.INVITATION)):
            return manifest, []
        stage = staged_copy(out_dir)
        try:
            made = _render(stage, manifest, stale, workers, font_gate, previews, warn)
            if unpreviewed:
                _previews(stage, unpreviewed, workers)
            made += _bind(stage, manifest)
            manifests.write(stage / manifests.MANIFEST, manifest)
            publish(stage, out_dir, warn)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    return manifest, [out_dir / p.relative_to(stage) for p in made]


def _render(stage: Path, manifest: Manifest, stale: list[Entry], workers: int | None, font_gate: str,
            previews: bool, warn: Callable[[str], None]) -> list[Path]:
    from ..convert import to_pdf

    for entry in stale:  # a stale document's old renderings go (a page fewer leaves no orphan image)
        for rel in entry.rendered():
            (stage / rel).unlink(missing_ok=True)
        entry.forget_rendering()
    from .. import fonts

    # the house rules that name fonts live beside out/, in data/house.yaml (where messages point)
    origin = fonts.house_origin(stage.parent / "data" / "house.yaml")
    pdfs = to_pdf([stage / e.docx_file for e in stale], workers, font_gate=font_gate, warn=warn, font_origin=origin)
    made = []
    for entry in stale:
        pdf = pdfs[stage / entry.docx_file]
        entry.pdf, entry.pdf_of = pdf.relative_to(stage).as_posix(), entry.sha256
        made.append(pdf)
    if previews:
        _previews(stage, stale, workers)
    return made


def _previews(stage: Path, entries: list[Entry], workers: int | None) -> None:
    """Page images and the long image of each entry's PDF, documents in parallel (PNG encoding is
    most of their cost)."""
    from concurrent.futures import ProcessPoolExecutor

    from ..preview import previews as make_previews
    from .workers import jobs

    if not entries:
        return
    pdfs = [stage / e.pdf_file for e in entries]
    count = max(1, min(workers or jobs(), len(pdfs)))
    made = []
    with step("生成预览图", len(pdfs)) as progress:
        if count == 1:
            for pdf in pdfs:
                made.append(make_previews(pdf))
                progress.advance(current=pdf.name)
        else:
            with ProcessPoolExecutor(count) as pool:
                for pdf, result in zip(pdfs, pool.map(make_previews, pdfs), strict=True):
                    made.append(result)
                    progress.advance(current=pdf.name)
    for entry, (pages, long_image) in zip(entries, made, strict=True):
        entry.previews = [p.relative_to(stage).as_posix() for p in pages]
        entry.long_preview = long_image.relative_to(stage).as_posix()


def _bind(stage: Path, manifest: Manifest) -> list[Path]:
    """The invitations of each folder bound for double-sided printing, each from an odd page;
    returns the print files."""
    from ..printbook import bind

    for book in manifest.entries(Kind.INVITATIONS_PRINT):
        manifest.documents.remove(book)
        if book.pdf:
            (stage / book.pdf).unlink(missing_ok=True)
    folders: dict[str, list[Entry]] = {}
    for entry in manifest.entries(Kind.INVITATION):
        folders.setdefault(entry.docx_file.rsplit("/", 1)[0], []).append(entry)
    books = []
    for folder, entries in folders.items():
        target = stage / folder / PRINT_NAME
        books.append(target)
        parts = bind([stage / e.pdf_file for e in entries], target)
        manifest.documents.append(Entry(
            kind=Kind.INVITATIONS_PRINT, title=PRINT_NAME.removesuffix(".pdf"),
            sources=sorted({s for e in entries for s in e.sources}), pdf=target.relative_to(stage).as_posix(),
            contains=[Bound(e.docx_file, first, pages) for e, (first, pages) in zip(entries, parts, strict=True)]))
    return books
