"""build: every document under data/ -> out/, atomically, with out/manifest.json."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .cache import document_key, inputs_key
from .errors import CircularError, ToolError, Where, display_path
from .layout import Layout
from .load import HOUSE_FILE, Register, load_all, load_layout
from .load.invitations import REGISTER_FILE
from .model import Gongwen
from .outdir import MANIFEST, dump_manifest, publish, recover, safe_name, sha256, staging_dir
from .render import ImprintPlacement, render
from .titles import load_dictionary


@dataclass(frozen=True)
class Planned:
    """One output file: which document, where it goes under out/."""

    document: Gongwen
    relpath: str


def plan(data_dir: Path, register: Register) -> list[Planned]:
    """Load and validate all data first: a data error stops the build before out/ is touched."""
    planned: list[Planned] = []
    seen: dict[str, Gongwen] = {}
    for doc_set in load_all(data_dir, register):
        folder = safe_name(doc_set.name)
        for gw in doc_set.documents:
            rel = f"{folder}/{safe_name(gw.slug or gw.title)}.docx"
            if rel in seen:
                where = gw.main.where or Where(gw.sources[-1])
                raise CircularError(where, f"两份文件会写到同一个输出文件“{rel}”", "请修改其中一份的标题")
            seen[rel] = gw
            planned.append(Planned(gw, rel))
    return planned


CARRIED = ("pdf", "previews", "long_preview", "pdf_of")  # rendered files that stay valid with their .docx


def manifest_entry(item: Planned, path: Path, extra_sources: list[str], key: str,
                   placement: ImprintPlacement | None) -> dict[str, Any]:
    gw = item.document
    entry: dict[str, Any] = {"kind": gw.kind, "docx": item.relpath}
    if gw.header:
        entry["doc_number"] = str(gw.header.doc_number)
    entry["title"] = gw.title
    entry.update(dict(gw.extra))
    entry["sources"] = list(gw.sources) + [s for s in extra_sources if s not in gw.sources]
    entry["sha256"] = sha256(path)
    entry["key"] = key
    if placement is not None and placement is not ImprintPlacement.FLOW:
        entry["placement"] = placement.value
    return entry


def _previous(out_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _intact(out_dir: Path, manifest: dict[str, Any]) -> bool:
    """Every file the manifest lists is there, and every .docx unmodified."""
    for entry in manifest.get("documents", []):
        if "docx" in entry and (not (out_dir / entry["docx"]).exists()
                                or sha256(out_dir / entry["docx"]) != entry["sha256"]):
            return False
        rendered = [entry.get("pdf"), entry.get("long_preview"), *entry.get("previews", [])]
        if any(rel and not (out_dir / rel).exists() for rel in rendered):
            return False
    return True


def _render_job(job: tuple[Gongwen, Layout, ImprintPlacement]) -> bytes:
    return render(*job)


def render_all(jobs: list[tuple[Gongwen, Layout, ImprintPlacement]], workers: int | None = None) -> Iterator[bytes]:
    """Render documents in order, over all cores when there are enough of them; same bytes as one by one.

    A generator: each document can be written before the next is held in memory."""
    workers = workers if workers is not None else int(os.environ.get("CIRCULAR_JOBS", "0")) or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < 4:
        yield from (_render_job(job) for job in jobs)
        return
    load_dictionary()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_render_job, jobs, chunksize=min(16, max(1, len(jobs) // (4 * workers))))


def settle_imprints(stage: Path, planned: list[Planned], layout: Layout,
                    warn: Callable[[str], None]) -> dict[str, ImprintPlacement] | None:
    """Render the documents that carry a 版记 and move it to an even page where it is not.

    None when LibreOffice is missing (the pass could not run)."""
    from .convert import soffice, to_pdf
    from .paginate import imprint_placement

    placements: dict[str, ImprintPlacement] = {}
    with_imprint = [item for item in planned if item.document.imprint]
    try:
        soffice()
    except ToolError:
        if with_imprint:
            warn("警告: 未找到 LibreOffice，无法确认版记位于偶数页；安装 libreoffice-writer-nogui 后重新构建")
        return None
    if not with_imprint:
        return placements
    with tempfile.TemporaryDirectory(prefix="circular-paginate-") as tmp:
        copies = {}
        for n, item in enumerate(with_imprint):
            copy = Path(tmp) / f"{n}.docx"
            shutil.copyfile(stage / item.relpath, copy)
            copies[copy] = item
        for docx, pdf in to_pdf(list(copies)).items():
            placement = imprint_placement(pdf, layout)
            if placement is not None:
                item = copies[docx]
                placements[item.relpath] = placement
                (stage / item.relpath).write_bytes(render(item.document, layout, placement))
    return placements


def build(data_dir: Path, out_dir: Path, paginate: bool = True,
          warn: Callable[[str], None] = lambda msg: None, workers: int | None = None) -> dict[str, Any]:
    """Render every changed document into a staging folder, carry the unchanged ones over, swap in.

    The manifest records each document's content key; ``rebuilt`` lists what this build rendered.
    """
    recover(out_dir)
    templates = data_dir.resolve().parent / "templates"
    inputs = inputs_key(data_dir, templates)
    previous = _previous(out_dir)
    if previous and previous.get("inputs") == inputs and (previous.get("paginated") or not paginate) \
            and _intact(out_dir, previous):
        return {**previous, "rebuilt": []}  # nothing changed: not even the data is loaded
    layout = load_layout(data_dir)
    house = data_dir / HOUSE_FILE
    extra = [display_path(house)] if house.exists() else []
    register = Register.load(data_dir / REGISTER_FILE)
    planned = plan(data_dir, register)
    old = {e["docx"]: e for e in (previous or {}).get("documents", []) if "docx" in e}
    stage = staging_dir(out_dir)
    try:
        keys = {item.relpath: document_key(item.document, layout) for item in planned}
        placements: dict[str, ImprintPlacement] = {}
        carried: dict[str, dict[str, Any]] = {}
        to_render = []
        for item in planned:
            before = old.get(item.relpath)
            source = out_dir / item.relpath
            if before and before.get("key") == keys[item.relpath] and source.exists() \
                    and sha256(source) == before["sha256"] and (previous.get("paginated") or not paginate):
                carried[item.relpath] = _carry(out_dir, stage, before)
                if "placement" in before:
                    placements[item.relpath] = ImprintPlacement(before["placement"])
            else:
                to_render.append(item)
        for item, data in zip(to_render, render_all([(i.document, layout, ImprintPlacement.FLOW) for i in to_render],
                                                     workers)):
            target = stage / item.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        paginated = False
        if paginate:
            settled = settle_imprints(stage, to_render, layout, warn)
            paginated = settled is not None
            placements.update(settled or {})
        documents = []
        for item in planned:
            entry = manifest_entry(item, stage / item.relpath, extra, keys[item.relpath], placements.get(item.relpath))
            entry.update(carried.get(item.relpath, {}))
            documents.append(entry)
        manifest = {"generator": f"circular {__version__}", "inputs": inputs, "paginated": paginated,
                    "documents": documents, "rebuilt": [i.relpath for i in to_render]}
        (stage / MANIFEST).write_text(dump_manifest(manifest), encoding="utf-8")
        publish(stage, out_dir)
        for document, number in register.added:
            warn(f"已登记发文字号 {number}（{document}）")
        register.save()
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return manifest


def _carry(out_dir: Path, stage: Path, entry: dict[str, Any]) -> dict[str, Any]:
    """Copy an unchanged document, and its PDF and previews while they still match it, into stage."""
    files = [entry["docx"]]
    kept: dict[str, Any] = {}
    if entry.get("pdf_of") == entry["sha256"] and "pdf" in entry:
        kept = {k: entry[k] for k in CARRIED if k in entry}
        files += [entry["pdf"], *entry.get("previews", [])] + ([entry["long_preview"]] if "long_preview" in entry else [])
    for rel in files:
        if (out_dir / rel).exists():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(out_dir / rel, stage / rel)
        else:
            return {}
    return kept
