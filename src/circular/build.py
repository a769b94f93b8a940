"""build: every document under data/ -> out/, atomically, with out/manifest.json."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .errors import CircularError, ToolError, Where, display_path
from .layout import Layout
from .load import HOUSE_FILE, Register, load_all, load_layout
from .load.invitations import REGISTER_FILE
from .model import Gongwen
from .outdir import MANIFEST, dump_manifest, publish, recover, safe_name, sha256, staging_dir
from .render import ImprintPlacement, render


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


def manifest_entry(item: Planned, path: Path, extra_sources: list[str]) -> dict[str, Any]:
    gw = item.document
    entry: dict[str, Any] = {"kind": gw.kind, "docx": item.relpath}
    if gw.header:
        entry["doc_number"] = str(gw.header.doc_number)
    entry["title"] = gw.title
    entry.update(dict(gw.extra))
    entry["sources"] = list(gw.sources) + [s for s in extra_sources if s not in gw.sources]
    entry["sha256"] = sha256(path)
    return entry


def settle_imprints(stage: Path, planned: list[Planned], layout: Layout,
                    warn: Callable[[str], None]) -> dict[str, ImprintPlacement]:
    """Render the documents that carry a 版记 and move it to an even page where it is not."""
    from .convert import soffice, to_pdf
    from .paginate import imprint_placement

    placements: dict[str, ImprintPlacement] = {}
    with_imprint = [item for item in planned if item.document.imprint]
    if not with_imprint:
        return placements
    try:
        soffice()
    except ToolError:
        warn("警告: 未找到 LibreOffice，无法确认版记位于偶数页；安装 libreoffice-writer-nogui 后重新构建")
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
          warn: Callable[[str], None] = lambda msg: None) -> dict[str, Any]:
    """Render every document into a staging folder, then swap it in as out/."""
    recover(out_dir)
    layout = load_layout(data_dir)
    house = data_dir / HOUSE_FILE
    extra = [display_path(house)] if house.exists() else []
    register = Register.load(data_dir / REGISTER_FILE)
    planned = plan(data_dir, register)
    stage = staging_dir(out_dir)
    try:
        for item in planned:
            target = stage / item.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render(item.document, layout, ImprintPlacement.FLOW))
        if paginate:
            settle_imprints(stage, planned, layout, warn)
        documents = [manifest_entry(item, stage / item.relpath, extra) for item in planned]
        manifest = {"generator": f"circular {__version__}", "documents": documents}
        (stage / MANIFEST).write_text(dump_manifest(manifest), encoding="utf-8")
        publish(stage, out_dir)
        for document, number in register.added:
            warn(f"已登记发文字号 {number}（{document}）")
        register.save()
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return manifest
