"""out/manifest.json: what a build wrote, typed, read and written here only.

The file's shape is documented by docs/manifest.schema.json (a test validates every manifest the
pipeline writes against it). Paths are relative to out/.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import CircularError, Where, display_path
from .grammar import Kind

MANIFEST = "manifest.json"
GENERATOR = "circular"


@dataclass
class Bound:
    """A document inside a print file: where it starts and how many pages it has."""

    docx: str
    first_page: int
    pages: int


@dataclass
class Entry:
    """One output file and what it is."""

    kind: Kind
    title: str
    sources: list[str]
    docx: str | None = None
    doc_number: str | None = None
    region: str | None = None  # invitations: the 片区 or list they are sent to
    location: str | None = None  # invitations: the meeting's place
    meeting: str | None = None  # invitations: the meeting's id
    sha256: str | None = None  # of the .docx
    key: str | None = None  # content fingerprint (cache.document_key)
    placement: str | None = None  # where the pagination pass put the 版记, when not in the flow
    pdf: str | None = None
    pdf_of: str | None = None  # sha256 of the .docx the PDF was rendered from
    previews: list[str] = field(default_factory=list)
    long_preview: str | None = None
    contains: list[Bound] = field(default_factory=list)  # print files: the documents bound in them
    exports: dict[str, str] = field(default_factory=dict)  # circular export: format (html, md) -> file

    @property
    def docx_file(self) -> str:
        """The .docx (every entry but a print file has one)."""
        if not self.docx:
            raise ValueError(f"{self.kind} entry without a .docx")
        return self.docx

    @property
    def pdf_file(self) -> str:
        """The PDF, once the PDF stage has run."""
        if not self.pdf:
            raise ValueError(f"{self.docx} has no PDF yet")
        return self.pdf

    def files(self) -> list[str]:
        """Every file of this entry under out/."""
        return [f for f in (self.docx, self.pdf, self.long_preview, *self.previews, *self.exports.values()) if f]

    def rendered(self) -> list[str]:
        """The files made from the .docx (PDF and previews): stale once the .docx changes."""
        return [f for f in (self.pdf, self.long_preview, *self.previews) if f]

    def forget_rendering(self) -> None:
        self.pdf = self.pdf_of = self.long_preview = None
        self.previews = []

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or (value in ([], {}) and f.name != "sources"):
                continue
            out[f.name] = [vars(b) for b in value] if f.name == "contains" else str(value) if f.name == "kind" \
                else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["kind"] = Kind(values["kind"])
        values["contains"] = [Bound(**b) for b in values.get("contains", [])]
        return cls(**values)


@dataclass
class Manifest:
    generator: str
    documents: list[Entry] = field(default_factory=list)
    inputs: str = ""  # fingerprint of every input file and the code (cache.inputs_key)
    paginated: bool = False  # the LibreOffice pagination pass ran
    rebuilt: list[str] = field(default_factory=list)  # .docx rendered by this build

    def entries(self, *kinds: Kind) -> list[Entry]:
        return [e for e in self.documents if not kinds or e.kind in kinds]

    def owned(self) -> set[str]:
        """Paths (relative to out/) of every file the manifest lists, the manifest included."""
        return {MANIFEST, *(f for e in self.documents for f in e.files())}

    def to_json(self) -> dict[str, Any]:
        return {"generator": self.generator, "inputs": self.inputs, "paginated": self.paginated,
                "documents": [e.to_json() for e in self.documents], "rebuilt": self.rebuilt}

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or not str(data.get("generator", "")).startswith(GENERATOR):
            raise ValueError("not a circular manifest")
        return cls(generator=data["generator"], documents=[Entry.from_json(d) for d in data.get("documents", [])],
                   inputs=data.get("inputs", ""), paginated=bool(data.get("paginated")),
                   rebuilt=list(data.get("rebuilt", [])))


def load(out_dir: Path) -> Manifest | None:
    """The manifest of ``out_dir``, or None when there is none or it is not circular's."""
    try:
        return Manifest.from_json(json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read(out_dir: Path) -> Manifest:
    """The manifest of ``out_dir``; a missing or broken one is the user's to fix (one line)."""
    path = out_dir / MANIFEST
    if not path.exists():
        raise CircularError(Where(display_path(path)), "找不到构建清单", "请先运行 make circular（或 circular build）")
    manifest = load(out_dir)
    if manifest is None:
        raise CircularError(Where(display_path(path)), "构建清单已损坏或不是 circular 写的", "请重新运行 make circular")
    return manifest


def write(path: Path, manifest: Manifest) -> None:
    """Replace a manifest in place (a reader sees the old or the new one), streamed: 10,000
    entries never become one string."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(manifest.to_json(), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
