"""build: every document under data/ -> out/, atomically, with out/manifest.json."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .cache import file_hash, input_files, inputs_key
from .errors import CircularError, DataError, ToolError, Where, display_path, env_int
from .names import safe_name
from .outdir import MANIFEST, publish, sha256, staging_dir, write_manifest, writing
from .project import Project, project_lock

# The writer's modules (python-docx, docxtpl, pydantic, jieba) take a quarter of a second to
# import: they are imported where used, so a build with nothing to do answers at once.
if TYPE_CHECKING:
    from .layout import Layout
    from .load import Register
    from .load.invitations import PendingInvitation
    from .model import Gongwen
    from .render import ImprintPlacement


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Planned:
    """One output file: which document, where it goes under out/."""

    source: Gongwen | PendingInvitation
    relpath: str

    def document(self) -> Gongwen:
        """The model; a pending invitation is written now (and not kept)."""
        from .model import Gongwen

        return self.source if isinstance(self.source, Gongwen) else self.source.build()


def plan(data_dir: Path, register: Register) -> list[Planned]:
    """Load and validate all data first: a data error stops the build before anything renders."""
    from .load import load_all

    planned: list[Planned] = []
    seen: dict[str, Gongwen | PendingInvitation] = {}
    for doc_set in load_all(data_dir, register):
        folder = safe_name(doc_set.name)
        for source in doc_set.planned():
            rel = f"{folder}/{safe_name(source.slug or source.title)}.docx"
            if rel in seen:
                raise CircularError(*_collision(source, rel))
            seen[rel] = source
            planned.append(Planned(source, rel))
    return planned


def _collision(source: Gongwen | PendingInvitation, rel: str) -> tuple[Where, str, str]:
    """Where two documents would write one file, and what the writer can change to tell them apart."""
    from .load.invitations import PendingInvitation

    message = f"两份文件会写到同一个输出文件“{rel}”"
    if isinstance(source, PendingInvitation):
        return source.where, message, ("会议通知的文件名取自参会范围和地点，这两个会议相同；"
                                       "请在其中一个会议的 invitation 下写 file_name: 另取文件名")
    return source.main.where or Where(source.sources[-1]), message, "文件名取自标题，请修改其中一份的标题"


CARRIED = ("pdf", "previews", "long_preview", "pdf_of")  # rendered files that stay valid with their .docx


def describe(gw: Gongwen, relpath: str, extra_sources: list[str]) -> dict[str, Any]:
    """What the manifest says about a document's content (its file hash and key come later)."""
    entry: dict[str, Any] = {"kind": gw.kind, "docx": relpath}
    if gw.header:
        entry["doc_number"] = str(gw.header.doc_number)
    entry["title"] = gw.title
    entry.update(dict(gw.extra))
    entry["sources"] = list(gw.sources) + [s for s in extra_sources if s not in gw.sources]
    return entry


def manifest_entry(described: dict[str, Any], path: Path, key: str,
                   placement: ImprintPlacement | None) -> dict[str, Any]:
    from .render import ImprintPlacement

    entry = {**described, "sha256": sha256(path), "key": key}
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


def jobs() -> int:
    """Worker processes: CIRCULAR_JOBS, or one per CPU."""
    return env_int("CIRCULAR_JOBS", 0, 0, 256) or os.cpu_count() or 1


Job = tuple["Gongwen", "Layout", "ImprintPlacement"]
RENDER_WINDOW = 64  # jobs handed to the workers at a time


def _render_job(job: Job) -> bytes:
    from .render import render

    return render(*job)


def render_all(jobs: Iterable[tuple[T, Job]], workers: int | None = None) -> Iterator[tuple[T, bytes]]:
    """Render documents in order, over all cores when there are enough of them; same bytes as one by one.

    Takes (tag, job) pairs and yields (tag, bytes). Jobs are drawn a window at a time, so only a
    window of models and documents is ever held, whatever the number of documents."""
    workers = workers if workers is not None else jobs()
    jobs = iter(jobs)
    window = list(islice(jobs, RENDER_WINDOW))
    if workers <= 1 or len(window) < 4:
        for tag, job in chain(window, jobs):
            yield tag, _render_job(job)
        return
    from .titles import load_dictionary

    load_dictionary()  # once, before the workers fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        while window:
            tags = [tag for tag, _ in window]
            chunk = max(1, len(window) // (4 * workers))
            yield from zip(tags, pool.map(_render_job, [job for _, job in window], chunksize=chunk))
            window = list(islice(jobs, RENDER_WINDOW))


def settle_imprints(stage: Path, with_imprint: dict[str, Gongwen], layout: Layout,
                    warn: Callable[[str], None]) -> dict[str, ImprintPlacement] | None:
    """Render the documents that print a 版记 (by relpath) and move it to an even page where it is not.

    None when LibreOffice is missing (the pass could not run)."""
    from .convert import soffice, to_pdf
    from .paginate import imprint_placement
    from .render import render

    placements: dict[str, ImprintPlacement] = {}
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
        for n, relpath in enumerate(with_imprint):
            copy = Path(tmp) / f"{n}.docx"
            shutil.copyfile(stage / relpath, copy)
            copies[copy] = relpath
        for docx, pdf in to_pdf(list(copies)).items():
            placement = imprint_placement(pdf)
            if placement is not None:
                relpath = copies[docx]
                placements[relpath] = placement
                (stage / relpath).write_bytes(render(with_imprint[relpath], layout, placement))
    return placements


def build(data_dir: Path, out_dir: Path, paginate: bool = True,
          warn: Callable[[str], None] = lambda msg: None, workers: int | None = None) -> dict[str, Any]:
    """Render every changed document into a staging folder, carry the unchanged ones over, swap in.

    The manifest records each document's content key; ``rebuilt`` lists what this build rendered.
    """
    if not data_dir.is_dir():
        raise DataError(Where(display_path(data_dir)), "数据目录不存在", "请在项目根目录运行，或用 --data 指定目录")
    workers = workers if workers is not None else jobs()  # a garbage setting is refused even with nothing to do
    project = Project.of(data_dir)

    def waiting() -> None:
        warn(f"另一个 circular 进程正在写 {display_path(out_dir)} 或发文登记，等它结束后继续…")

    with project_lock(project, waiting), writing(out_dir, project, waiting):
        return _build(project, out_dir, paginate, warn, workers)


def _registered(manifest: dict[str, Any], register: Path) -> bool:
    """Every 发文字号 printed in out/ stands in the 发文登记 (a build stopped between the two
    would otherwise leave a number printed but not registered, and every later build a no-op)."""
    numbers = [e["doc_number"] for e in manifest.get("documents", []) if "doc_number" in e]
    if not numbers:
        return True
    try:
        text = register.read_text(encoding="utf-8")
    except OSError:
        return False
    return all(number in text for number in numbers)


def _build(project: Project, out_dir: Path, paginate: bool, warn: Callable[[str], None],
           workers: int | None) -> dict[str, Any]:
    from .load.invitations import REGISTER_FILE

    data_dir = project.data
    digests = input_files(data_dir, project.templates)
    previous = _previous(out_dir)
    if previous and previous.get("inputs") == inputs_key(digests) and (previous.get("paginated") or not paginate) \
            and _intact(out_dir, previous) and _registered(previous, data_dir / REGISTER_FILE):
        return {**previous, "rebuilt": []}  # nothing changed: not even the data is loaded
    from .load import Register

    register = Register.load(data_dir / REGISTER_FILE)
    planned = plan(data_dir, register)
    # numbers are registered before anything is published: a number printed is a number registered
    added = list(register.added)
    register.save()
    for document, number in added:
        warn(f"已登记发文字号 {number}（{document}）")
    if (data_dir / REGISTER_FILE).is_file():
        digests["0:" + REGISTER_FILE] = file_hash(data_dir / REGISTER_FILE)
    stage = staging_dir(out_dir)
    try:
        manifest = _build_stage(data_dir, out_dir, stage, planned, previous, inputs_key(digests), paginate, warn,
                                workers)
        write_manifest(stage / MANIFEST, manifest)
        publish(stage, out_dir, warn)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return manifest


def _build_stage(data_dir: Path, out_dir: Path, stage: Path, planned: list[Planned], previous: dict[str, Any] | None,
                 inputs: str, paginate: bool, warn: Callable[[str], None], workers: int | None) -> dict[str, Any]:
    """Plan, render the changed documents into ``stage``, copy the unchanged ones; the manifest."""
    from .cache import document_key
    from .load import HOUSE_FILE, load_layout
    from .render import ImprintPlacement
    from .render import draws_imprint

    layout = load_layout(data_dir)
    house = data_dir / HOUSE_FILE
    extra = [display_path(house)] if house.exists() else []
    old = {e["docx"]: e for e in (previous or {}).get("documents", []) if "docx" in e}
    reusable = previous.get("paginated") or not paginate if previous else False
    described: dict[str, tuple[dict[str, Any], str]] = {}  # relpath -> (entry so far, key)
    carried: dict[str, dict[str, Any]] = {}
    placements: dict[str, ImprintPlacement] = {}
    with_imprint: dict[str, Gongwen] = {}  # rendered now and printing a 版记: pagination pass

    def changed() -> Iterator[tuple[str, Job]]:
        """Each document's model, written one at a time; yields those whose key changed."""
        for item in planned:
            gw = item.document()
            key = document_key(gw, layout)
            described[item.relpath] = describe(gw, item.relpath, extra), key
            before, source = old.get(item.relpath), out_dir / item.relpath
            if reusable and before and before.get("key") == key and source.exists() \
                    and sha256(source) == before["sha256"]:
                carried[item.relpath] = _carry(out_dir, stage, before)
                if "placement" in before:
                    placements[item.relpath] = ImprintPlacement(before["placement"])
                continue
            if draws_imprint(gw):
                with_imprint[item.relpath] = gw
            yield item.relpath, (gw, layout, ImprintPlacement.FLOW)

    rebuilt = []
    for relpath, data in render_all(changed(), workers):
        target = stage / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        rebuilt.append(relpath)
    paginated = False
    if paginate:
        settled = settle_imprints(stage, with_imprint, layout, warn)
        paginated = settled is not None
        placements.update(settled or {})
    documents = []
    for item in planned:
        content, key = described[item.relpath]
        entry = manifest_entry(content, stage / item.relpath, key, placements.get(item.relpath))
        entry.update(carried.get(item.relpath, {}))
        documents.append(entry)
    return {"generator": f"circular {__version__}", "inputs": inputs, "paginated": paginated,
            "documents": documents, "rebuilt": rebuilt}


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
