"""The export stage: each document of out/ also as a web page (HTML) or Markdown, from the model.

Staged and published like the other stages. The exports are made from the data the .docx were
built from: a document whose data changed since the build is refused (build first), so a web
page never says something the issued .docx does not.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .. import manifest as manifests
from ..errors import CircularError, Where, display_path
from ..manifest import Manifest
from ..outdir import publish, staged_copy, writing


def export(data_dir: Path, out_dir: Path, formats: tuple[str, ...], sets: tuple[str, ...] = (),
           warn: Callable[[str], None] = lambda msg: None) -> tuple[Manifest, list[Path]]:
    """Write ``formats`` (html, md) of every document (of ``sets``, when given); returns the new
    manifest and the files written (as paths under out/)."""
    from ..cache import document_key
    from ..export import FORMATS, write
    from ..load import Register, load_layout
    from ..project import REGISTER_FILE
    from .documents import plan

    def waiting() -> None:
        warn(f"另一个 circular 进程正在写 {display_path(out_dir)}，等它结束后继续…")

    with writing(out_dir, None, waiting, need_manifest=True):
        manifest = manifests.read(out_dir)
        register = Register.load(data_dir / REGISTER_FILE)
        planned = plan(data_dir, register)  # the register is read, never saved here
        layout = load_layout(data_dir)
        known = {item.relpath.split("/")[0] for item in planned}
        for name in sets:
            if name not in known:
                raise CircularError(Where(display_path(data_dir / name)), f"没有名为“{name}”的公文目录",
                                    "可用的目录：" + "、".join(sorted(known)))
        entries = {e.docx: e for e in manifest.documents if e.docx}
        chosen = [item for item in planned if not sets or item.relpath.split("/")[0] in sets]
        stage = staged_copy(out_dir)
        made = []
        try:
            for item in chosen:
                document = item.document()
                entry = entries.get(item.relpath)
                if register.added or entry is None or entry.key != document_key(document, layout):
                    raise CircularError(Where(display_path(out_dir / item.relpath)),
                                        "数据在上次生成之后改过，out/ 中的这份文件已不是最新",
                                        "请先运行 make circular（或 circular build），再导出")
                for fmt in formats:
                    rel = Path(item.relpath).with_suffix(FORMATS[fmt][1]).as_posix()
                    (stage / rel).write_bytes(write(document, fmt))
                    entry.exports[fmt] = rel
                    made.append(out_dir / rel)
            manifests.write(stage / manifests.MANIFEST, manifest)
            publish(stage, out_dir, warn)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    return manifest, made
