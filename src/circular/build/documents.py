"""The .docx stage: every document under data/ -> out/, atomically, with out/manifest.json.

Steps, in order: check out/ may be replaced; skip everything when the fingerprint says nothing
changed; load and plan (this allocates new 发文字号); register them; fingerprint what was read;
render what changed into a staging folder, carry the rest over; the LibreOffice pagination pass
for documents with a 版记; publish the whole folder at once.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .. import manifest as manifests
from ..cache import file_hash, input_files, inputs_key
from ..errors import CircularError, DataError, ToolError, Where, display_path
from ..manifest import Entry, Manifest
from ..names import safe_name
from ..outdir import link_or_copy, publish, sha256, staging_dir, writing
from ..progress import step
from ..project import REGISTER_FILE, Project, project_lock
from .workers import Job, jobs, render_all

# The writer's modules (python-docx, docxtpl, pydantic, jieba) take a quarter of a second to
# import: they are imported where used, so a build with nothing to do answers at once.
if TYPE_CHECKING:
    from ..layout import Layout
    from ..load import Register
    from ..load.invitations import PendingInvitation
    from ..model import Gongwen
    from ..render import ImprintPlacement


@dataclass(frozen=True, slots=True)
class Planned:
    """One output file: which document, where it goes under out/."""

    source: Gongwen | PendingInvitation
    relpath: str

    def document(self) -> Gongwen:
        """The model; a pending invitation is written now (and not kept)."""
        from ..model import Gongwen

        return self.source if isinstance(self.source, Gongwen) else self.source.build()


def plan(data_dir: Path, register: Register) -> list[Planned]:
    """Load and validate all data first: a data error stops the build before anything renders."""
    from ..load import load_all
    from ..load.invitations import PendingInvitation

    planned: list[Planned] = []
    seen: dict[str, Gongwen | PendingInvitation] = {}
    for doc_set in load_all(data_dir, register):
        folder = safe_name(doc_set.name)
        for source in doc_set.planned():
            stem = source.slug if isinstance(source, PendingInvitation) else source.slug or source.title
            rel = f"{folder}/{safe_name(stem)}.docx"
            if rel in seen:
                raise CircularError(*_collision(source, rel))
            seen[rel] = source
            planned.append(Planned(source, rel))
    return planned


def _collision(source: Gongwen | PendingInvitation, rel: str) -> tuple[Where, str, str]:
    """Where two documents would write one file, and what the writer can change to tell them apart."""
    from ..load.invitations import PendingInvitation

    message = f"两份文件会写到同一个输出文件“{rel}”"
    if isinstance(source, PendingInvitation):
        return source.where, message, ("会议通知的文件名取自参会范围和地点，这两个会议相同；"
                                       "请在其中一个会议的 invitation 下写 file_name: 另取文件名")
    return source.main.where or Where(source.sources[-1]), message, "文件名取自标题，请修改其中一份的标题"


def describe(gw: Gongwen, relpath: str, extra_sources: list[str]) -> Entry:
    """What the manifest says about a document's content (its file hash and key come later)."""
    extra = dict(gw.extra)
    return Entry(kind=gw.kind, title=gw.title, docx=relpath,
                 doc_number=str(gw.header.doc_number) if gw.header else None,
                 region=extra.get("region"), location=extra.get("location"), meeting=extra.get("meeting"),
                 sources=list(gw.sources) + [s for s in extra_sources if s not in gw.sources])


def _intact(out_dir: Path, manifest: Manifest) -> bool:
    """Every file the manifest lists is there, and every .docx unmodified."""
    for entry in manifest.documents:
        if entry.docx and (not (out_dir / entry.docx).exists() or sha256(out_dir / entry.docx) != entry.sha256):
            return False
        if any(not (out_dir / rel).exists() for rel in entry.rendered()):
            return False
    return True


# a document is rendered at most this often to get its 版记 onto an even page
SETTLE_ROUNDS = 3


def settle_imprints(stage: Path, with_imprint: dict[str, Gongwen], layout: Layout,
                    warn: Callable[[str], None], also: tuple[str, ...] = (),
                    house: Path = Path("data/house.yaml")) -> Settled | None:
    """Render the documents that print a 版记 (by relpath), move it to an even page where it is not,
    and render again until the final .docx is seen with its 版记 on an even page.

    A placement can lay out differently from the render that chose it, so each new .docx is
    verified, and a 版记 still on an odd page falls back to the even-page section (a section break
    that starts on an even page, in every engine). The render that verified a .docx is its PDF:
    it goes into the stage beside it, as do those of ``also`` (documents rendered in the same
    batch so that the PDF stage has nothing left to do). None when LibreOffice is missing."""
    from .. import fonts
    from ..convert import soffice, to_pdf
    from ..paginate import imprint_placement
    from ..render import ImprintPlacement, render

    origin = fonts.house_origin(house)
    settled = Settled()
    try:
        soffice()
    except ToolError:
        if with_imprint:
            warn("警告: 未找到 LibreOffice，无法确认版记位于偶数页；安装 libreoffice-writer-nogui 后重新构建")
        return None
    pending: dict[str, Gongwen | None] = {**dict.fromkeys(also), **with_imprint}
    # fonts the machine lacks: the .docx is still written (it is right; the machine is not) and the
    # pass still runs, but its PDFs are not kept: the PDF stage refuses them with the same message
    faulty = fonts.gate([stage / relpath for relpath in pending]) if pending else []
    for _, res in {res.requested: (None, res) for _, res in faulty}.values():
        warn(fonts.font_problem(res, origin(res.requested)).line().replace("错误: ", "警告: ", 1))
    with tempfile.TemporaryDirectory(prefix="circular-paginate-") as tmp:
        for round_ in range(SETTLE_ROUNDS):
            if not pending:
                break
            copies = {}
            for n, relpath in enumerate(pending):
                copy = Path(tmp) / f"{round_}-{n}.docx"
                shutil.copyfile(stage / relpath, copy)
                copies[copy] = relpath
            moved: dict[str, Gongwen | None] = {}
            label = "试排（确认版记在偶数页）" if not round_ else f"第 {round_ + 1} 次试排"
            for docx, pdf in to_pdf(list(copies), font_gate="off", label=label).items():
                relpath = copies[docx]
                document = pending[relpath]
                wanted = imprint_placement(pdf) if document is not None else None
                if wanted is None:  # seen on an even page (or without a 版记): final, and so is its PDF
                    if not faulty:
                        shutil.copyfile(pdf, (stage / relpath).with_suffix(".pdf"))
                        settled.pdfs.append(relpath)
                    continue
                current = settled.placements.get(relpath, ImprintPlacement.FLOW)
                if current is not ImprintPlacement.FLOW:
                    wanted = ImprintPlacement.EVEN_SECTION  # a move that did not hold: the sure construct
                if current is ImprintPlacement.EVEN_SECTION:
                    raise _odd_imprint(relpath)
                settled.placements[relpath] = wanted
                assert document is not None
                (stage / relpath).write_bytes(render(document, layout, wanted))
                moved[relpath] = document
            pending = moved
    if pending:
        raise _odd_imprint(next(iter(pending)))
    return settled


@dataclass
class Settled:
    """What the pagination pass decided and rendered."""

    placements: dict[str, ImprintPlacement] = field(default_factory=dict)  # the 版记 moved off the flow
    pdfs: list[str] = field(default_factory=list)  # documents whose final PDF now stands beside them


def _odd_imprint(relpath: str) -> ToolError:
    return ToolError(Where(relpath), "版记排不到偶数页：调整版记位置后重新排版，仍落在奇数页",
                     "请把这份文件和数据报告给 circular 的维护者；out/ 保持上一次完整构建的内容")


def build(data_dir: Path, out_dir: Path, paginate: bool = True,
          warn: Callable[[str], None] = lambda msg: None, workers: int | None = None, pdfs: bool = False) -> Manifest:
    """Render every changed document into a staging folder, carry the unchanged ones over, swap in.

    The manifest records each document's content key; ``rebuilt`` lists what this build rendered.
    ``pdfs``: the pagination pass renders every changed document, so each gets its PDF from the
    one LibreOffice batch (make circular: the PDF stage then has only the print file to bind).
    """
    if not data_dir.is_dir():
        raise DataError(Where(display_path(data_dir)), "数据目录不存在", "请在项目根目录运行，或用 --data 指定目录")
    workers = workers if workers is not None else jobs()  # a garbage setting is refused even with nothing to do
    project = Project.of(data_dir)

    def waiting() -> None:
        warn(f"另一个 circular 进程正在写 {display_path(out_dir)} 或发文登记，等它结束后继续…")

    with project_lock(project, waiting), writing(out_dir, project, waiting):
        return _build(project, out_dir, paginate, warn, workers, pdfs)


def _registered(manifest: Manifest, register: Path) -> bool:
    """Every 发文字号 printed in out/ stands in the 发文登记 (a build stopped between the two
    would otherwise leave a number printed but not registered, and every later build a no-op)."""
    numbers = [e.doc_number for e in manifest.documents if e.doc_number]
    if not numbers:
        return True
    try:
        text = register.read_text(encoding="utf-8")
    except OSError:
        return False
    return all(number in text for number in numbers)


def _build(project: Project, out_dir: Path, paginate: bool, warn: Callable[[str], None],
           workers: int | None, pdfs: bool) -> Manifest:
    data_dir = project.data
    digests = input_files(data_dir, project.templates)
    previous = manifests.load(out_dir)
    if previous and previous.inputs == inputs_key(digests) and (previous.paginated or not paginate) \
            and _intact(out_dir, previous) and _registered(previous, project.register):
        previous.rebuilt = []
        return previous  # nothing changed: not even the data is loaded
    planned = _register_numbers(data_dir, warn)
    if project.register.is_file():  # the fingerprint holds the register as saved
        digests["0:" + project.register.name] = file_hash(project.register)
    stage = staging_dir(out_dir)
    try:
        manifest = _build_stage(data_dir, out_dir, stage, planned, previous, inputs_key(digests), paginate, warn,
                                workers, pdfs)
        manifests.write(stage / manifests.MANIFEST, manifest)
        publish(stage, out_dir, warn)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return manifest


def _register_numbers(data_dir: Path, warn: Callable[[str], None]) -> list[Planned]:
    """Load and plan every document, which gives new documents their 发文字号, and register those
    numbers before anything is rendered: a number printed is a number registered."""
    from ..load import Register

    register = Register.load(data_dir / REGISTER_FILE)
    planned = plan(data_dir, register)
    added = list(register.added)
    register.save()
    for document, number in added:
        warn(f"已登记发文字号 {number}（{document}）")
    return planned


def _build_stage(data_dir: Path, out_dir: Path, stage: Path, planned: list[Planned], previous: Manifest | None,
                 inputs: str, paginate: bool, warn: Callable[[str], None], workers: int | None,
                 pdfs: bool = False) -> Manifest:
    """Render the changed documents into ``stage``, link the unchanged ones; the manifest. The
    pagination render's PDFs are kept; with ``pdfs`` every changed document is rendered in it."""
    from ..cache import document_key
    from ..load import HOUSE_FILE, load_layout
    from ..render import ImprintPlacement, draws_imprint

    layout = load_layout(data_dir)
    house = data_dir / HOUSE_FILE
    extra = [display_path(house)] if house.exists() else []
    old = {e.docx: e for e in previous.documents if e.docx} if previous else {}
    reusable = bool(previous and (previous.paginated or not paginate))
    entries: dict[str, Entry] = {}
    with_imprint: dict[str, Gongwen] = {}  # rendered now and printing a 版记: pagination pass

    def changed() -> Iterator[tuple[str, Job]]:
        """Each document's model, written one at a time; yields those whose key changed."""
        for item in planned:
            gw = item.document()
            entry = entries[item.relpath] = describe(gw, item.relpath, extra)
            entry.key = document_key(gw, layout)
            before, source = old.get(item.relpath), out_dir / item.relpath
            if reusable and before and before.key == entry.key and source.exists() and sha256(source) == before.sha256:
                _carry(out_dir, stage, before, entry)
                continue
            if draws_imprint(gw):
                with_imprint[item.relpath] = gw
            yield item.relpath, (gw, layout, ImprintPlacement.FLOW)

    rebuilt = []
    with step("生成 .docx", len(planned)) as progress:
        for relpath, data in render_all(changed(), workers):
            target = stage / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            rebuilt.append(relpath)
            progress.set(len(entries), relpath)
    paginated = False
    settled = None
    if paginate:
        others = tuple(r for r in rebuilt if r not in with_imprint) if pdfs else ()
        settled = settle_imprints(stage, with_imprint, layout, warn, also=others, house=house)
        paginated = settled is not None
        for relpath, placement in (settled.placements if settled else {}).items():
            entries[relpath].placement = placement.value
    for item in planned:
        entries[item.relpath].sha256 = sha256(stage / item.relpath)
    for relpath in settled.pdfs if settled else ():
        entry = entries[relpath]
        entry.pdf, entry.pdf_of = Path(relpath).with_suffix(".pdf").as_posix(), entry.sha256
    return Manifest(generator=f"circular {__version__}", inputs=inputs, paginated=paginated,
                    documents=[entries[item.relpath] for item in planned], rebuilt=rebuilt)


def _carry(out_dir: Path, stage: Path, before: Entry, entry: Entry) -> None:
    """An unchanged document into stage (a hard link), with its placement, and its PDF and previews
    while they still match it."""
    entry.placement = before.placement
    rendered = before.rendered() if before.pdf and before.pdf_of == before.sha256 else []
    if not all((out_dir / rel).exists() for rel in rendered):
        rendered = []
    # an export is made from the model, which the key covers: it holds while the key does
    exports = {fmt: rel for fmt, rel in before.exports.items() if (out_dir / rel).exists()}
    for rel in [before.docx_file, *rendered, *exports.values()]:
        link_or_copy(out_dir / rel, stage / rel)
    entry.exports = exports
    if rendered:
        entry.pdf, entry.pdf_of, entry.previews, entry.long_preview = \
            before.pdf, before.pdf_of, before.previews, before.long_preview
