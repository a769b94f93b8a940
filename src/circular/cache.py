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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layout import Layout

_SKIP = {"where", "sources"}  # provenance, not content


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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_key(document: Any, layout: Layout) -> str:
    """Fingerprint of one document: its model, the layout, the code and the files it embeds."""
    embedded = []
    for form in _forms(document):
        embedded.append(file_hash(Path(form)))
    seal = getattr(getattr(document, "signature", None), "seal", "")
    if seal:
        embedded.append(file_hash(Path(seal)))
    payload = json.dumps([_plain(document), layout.model_dump(mode="json"), code_version(), embedded],
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _forms(document: Any) -> list[str]:
    texts = [document.main, *document.transmitted]
    return [att.form.template for text in texts for att in text.attachments if att.form]


def inputs_key(*folders: Path) -> str:
    """Fingerprint of every file under ``folders`` plus the code: equal means nothing to do."""
    digest = hashlib.sha256(code_version().encode())
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(file_hash(path).encode())
    return digest.hexdigest()
