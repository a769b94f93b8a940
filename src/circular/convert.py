"""convert: .docx -> .pdf with headless LibreOffice (docs/layout.md §9.4).

Batched (LibreOffice starts in ~1 s, then ~0.2 s per document), one user profile per process
(shared profiles make processes exit silently without output), blank pages kept, our fontconfig
file in force, and every PDF checked to exist and have pages: rc=0 proves nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pypdfium2

from . import fonts
from .errors import ToolError, Where, display_path, env_float, os_error
from .progress import step, watching

PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
INSTALL_HINT = "请安装 LibreOffice：Debian/Ubuntu 上运行 sudo apt-get install libreoffice-writer-nogui"
BATCH_TIMEOUT_S = 60  # start-up allowance per batch
PER_DOCUMENT_TIMEOUT_S = 20
# LibreOffice 7.4 converts the first 245 files named on one command line, skips the rest and
# exits 0 (measured with 1,000 invitations; others report ~247 for --convert-to png)
MAX_DOCUMENTS_PER_PROCESS = 200


def batch_timeout(documents: int) -> float:
    """Seconds a batch may take; CIRCULAR_SOFFICE_TIMEOUT overrides it (tests, slow machines)."""
    override = env_float("CIRCULAR_SOFFICE_TIMEOUT", None, 0.1, 86400)
    return override if override is not None else BATCH_TIMEOUT_S + PER_DOCUMENT_TIMEOUT_S * documents


def soffice() -> str:
    override = os.environ.get("CIRCULAR_SOFFICE", "").strip()
    if override:
        if not (os.path.isfile(override) and os.access(override, os.X_OK)):
            raise ToolError(Where("环境变量 CIRCULAR_SOFFICE"), f"指向的程序“{override}”不存在或不能执行",
                            "请改正该变量，或删去它以使用系统中的 soffice")
        return override
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ToolError(None, "找不到 LibreOffice（soffice），无法生成 PDF", INSTALL_HINT)
    return found


def page_count(pdf: Path) -> int:
    try:
        doc = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError:
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def _run_batch(binary: str, docs: list[Path], out_dir: Path, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="circular-lo-") as tmp:
        profile = Path(tmp) / "profile"
        produced = Path(tmp) / "pdf"
        produced.mkdir()
        env = dict(os.environ, FONTCONFIG_FILE=str(fonts.conf_path()), HOME=tmp)
        cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", PDF_FILTER, "--outdir", str(produced), *map(str, docs)]
        try:
            # own process group: LibreOffice forks soffice.bin, which must die with it on a timeout
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise ToolError(Where(binary), f"无法启动 LibreOffice：{os_error(exc).message}", INSTALL_HINT) from None
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ToolError(None, f"LibreOffice 转换超时（{timeout:g} 秒）",
                            "请检查文档是否过大，或关闭其他 LibreOffice 进程后重试") from None
        for doc in docs:
            pdf = produced / (doc.stem + ".pdf")
            if pdf.exists() and page_count(pdf) > 0:
                shutil.move(str(pdf), out_dir / pdf.name)


def _chunks(items: list[Path], workers: int) -> list[list[Path]]:
    """``items`` in consecutive batches of (nearly) equal size, none over what one LibreOffice
    process converts, in a multiple of ``workers`` so that every worker gets the same share."""
    needed = -(-len(items) // MAX_DOCUMENTS_PER_PROCESS)
    count = min(len(items), -(-needed // workers) * workers)
    size, extra = divmod(len(items), count)
    bounds = [k * size + min(k, extra) for k in range(count + 1)]
    return [items[a:b] for a, b in pairwise(bounds)]


def to_pdf(docs: list[Path], workers: int | None = None, font_gate: str = "strict",
           warn=print, label: str = "LibreOffice 生成 PDF", font_origin=None) -> dict[Path, Path]:
    """Convert each .docx to a .pdf beside it; returns docx -> pdf. Fails if any PDF is missing.

    ``font_gate``: "strict" stops when a requested font would fall back to another typeface
    class, "warn" reports it, "off" skips the check.
    """
    if not docs:
        return {}
    binary = soffice()
    if font_gate != "off":
        fonts.enforce(docs, strict=font_gate == "strict", warn=warn, origin=font_origin)
    workers = max(1, min(workers or os.cpu_count() or 1, len(docs)))
    by_dir: dict[Path, list[Path]] = {}
    for doc in docs:
        by_dir.setdefault(doc.parent, []).append(doc)
    batches = [(chunk, folder) for folder, items in by_dir.items() for chunk in _chunks(items, workers)]

    def run(batch: tuple[list[Path], Path]) -> None:
        chunk, folder = batch
        timeout = batch_timeout(len(chunk))
        _run_batch(binary, chunk, folder, timeout)
        missing = [d for d in chunk if not (folder / (d.stem + ".pdf")).exists()]
        if missing:  # LibreOffice sometimes exits without output: one more try, alone
            _run_batch(binary, missing, folder, timeout)

    stale = [doc.with_suffix(".pdf") for doc in docs]
    for pdf in stale:
        pdf.unlink(missing_ok=True)
    with step(label, len(docs)) as progress, watching(lambda: sum(p.exists() for p in stale), progress), \
            ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, batches))
    result = {}
    for doc in docs:
        pdf = doc.with_suffix(".pdf")
        if not pdf.exists():
            raise ToolError(Where(display_path(doc)), "LibreOffice 没有生成 PDF",
                            "请用 LibreOffice 打开该文件检查是否损坏，或重试")
        result[doc] = pdf
    return result
