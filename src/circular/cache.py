"""Content fingerprints for incremental builds.

Two levels: one hash over every input file and the code, to skip a no-op build before loading
anything; and one per document over its *model* (what it says, not where in the data files it
came from), the layout, the code and the files it embeds, so a change to one meeting rebuilds
that invitation and the documents quoting the schedule, and not the other invitations.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layout import Layout

# provenance, not content; and file paths, which differ between checkouts (the files' own hashes
# are part of the key instead: see ``document_key``)
_SKIP = {"where", "sources", "template", "seals", "stamp"}


def _plain(value: Any) -> Any:
    from .model import DocNumber, IssueDate

    if isinstance(value, (DocNumber, IssueDate)):  # before the dataclass branch: they are dataclasses too
        return str(value)
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in _SKIP}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's own files: another writer may write other bytes."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".conf") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def document_key(document: Any, layout: Layout) -> str:
    """Fingerprint of one document: its model, the layout, the code and the files it embeds."""
    embedded = []
    for form in _forms(document):
        embedded.append(file_hash(Path(form)))
    for image in [*getattr(getattr(document, "signature", None), "seals", ()),
                  *(s.stamp for s in getattr(document, "signed_by", ()) if s.stamp)]:
        embedded.append(file_hash(Path(image)))
    payload = json.dumps([_plain(document), layout.model_dump(mode="json"), code_version(), embedded],
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _forms(document: Any) -> list[str]:
    texts = [document.main, *document.transmitted]
    return [att.form.template for text in texts for att in text.attachments if att.form]


def input_files(*folders: Path) -> dict[str, str]:
    """sha256 of every regular file the loader could read under ``folders``, by folder index and
    path inside it. Symlinked folders are followed (the loader follows them too); FIFOs, devices
    and broken links are not files and are never opened; paths are relative, so a moved checkout
    has the same fingerprint."""
    digests: dict[str, str] = {}
    for n, folder in enumerate(folders):
        seen: set[str] = set()
        for root, dirs, files in os.walk(folder, followlinks=True):
            real = os.path.realpath(root)
            if real in seen:  # a symlink loop
                dirs[:] = []
                continue
            seen.add(real)
            dirs.sort()
            for name in dirs:  # a folder appearing where the loader expects a file counts too
                digests[f"{n}:{(Path(root) / name).relative_to(folder).as_posix()}/"] = "folder"
            for name in sorted(files):
                path = Path(root) / name
                key = f"{n}:{path.relative_to(folder).as_posix()}"
                try:
                    mode = path.stat().st_mode
                except OSError:
                    digests[key] = "broken link"
                    continue
                digests[key] = file_hash(path) if stat.S_ISREG(mode) else f"not a file {stat.S_IFMT(mode)}"
    return digests


def inputs_key(digests: dict[str, str]) -> str:
    """Fingerprint of the input files plus the code: equal means nothing to do."""
    digest = hashlib.sha256(code_version().encode())
    for name in sorted(digests):
        digest.update(name.encode())
        digest.update(digests[name].encode())
    return digest.hexdigest()
