"""What lint rules read: every prose value of the data as a text unit with its position, and the
loaded documents. Rules (rules.py) and the engine (engine.py) both build on this module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Where
from ..grammar import Kind
from ..load import DocumentSet, load_all
from ..load.yamlsrc import parse_yaml, read_text

ERROR, WARNING, NOTE = "错误", "警告", "提示"
SEVERITIES = (ERROR, WARNING, NOTE)
HOUSE_FILE = "lint.yaml"

# prose keys of the YAML files (ids, file names, codes and phones are not prose)
PROSE_KEYS = {"title", "title_lines", "recipients", "signature", "note", "text", "place", "venue", "participants",
              "agenda", "purpose", "check_in", "copy_to", "name", "mark", "imprint_organ", "recipient"}


@dataclass(frozen=True)
class Unit:
    """A piece of prose and where it stands: file, line, the column of its first character."""

    text: str
    where: Where
    kind: str = "body"  # body / title / recipient / attachment-title / heading

    def at(self, offset: int) -> Where:
        """Where the character ``offset`` of this text stands in the file."""
        return locate(self.where, self.text, offset)


_SOURCE_LINES: dict[str, list[str]] = {}


def locate(where: Where, text: str, offset: int) -> Where:
    """Find ``text`` on its source line and point at its ``offset``-th character."""
    if not where.line:
        return where
    if where.path not in _SOURCE_LINES:
        try:
            _SOURCE_LINES[where.path] = read_text(Path(where.path)).splitlines()
        except DataError:
            _SOURCE_LINES[where.path] = []
    lines = _SOURCE_LINES[where.path]
    for line_no in range(where.line, min(where.line + 3, len(lines) + 1)):
        source = lines[line_no - 1]
        probe = text[max(0, offset - 6):offset + 6]
        found = source.find(probe) if probe else -1
        if found >= 0:
            return Where(where.path, line_no, found + (offset - max(0, offset - 6)) + 1)
    return Where(where.path, where.line, where.column or 1)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    where: Where
    message: str
    fix: str = ""

    def line(self) -> str:
        fix = f"（{self.fix}）" if self.fix else ""
        return f"{self.where}: {self.severity}: {self.message}{fix} [{self.rule}]"


@dataclass
class Corpus:
    sets: list[DocumentSet]
    units: list[Unit] = field(default_factory=list)
    data_dir: Path = Path("data")


Rule = Callable[[Corpus], Iterator[tuple[Where, str, str]]]


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: str
    title: str
    check: Rule


def _yaml_units(path: Path) -> Iterator[Unit]:
    doc = parse_yaml(path)

    def walk(node, loc, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, (*loc, k), k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, (*loc, i), key)
        elif isinstance(node, str) and key in PROSE_KEYS:
            kind = "title" if key in ("title", "title_lines") else "recipient" if key in ("recipients", "recipient") \
                else "body"
            yield Unit(str(node), doc.where(loc), kind)

    yield from walk(doc.data, ())


def _block_units(sets: list[DocumentSet]) -> Iterator[Unit]:
    from ..model import Heading, Paragraph, Table

    seen = set()
    for doc_set in sets:
        for gw in doc_set.documents:
            if gw.kind is Kind.INVITATION:
                continue  # its wording is the template's; its data values are linted from the YAML
            texts = [gw.main, *gw.transmitted]
            for text in texts:
                blocks = list(text.body) + [b for att in text.attachments for b in att.blocks]
                for block in blocks:
                    cells = [c for row in block.rows for c in row] if isinstance(block, Table) else [block.text]
                    kind = "heading" if isinstance(block, Heading) else "body"
                    if block.where is None or (block.where.path.endswith((".yaml", ".yml")) and \
                            not block.where.path.endswith("notice.yaml")):
                        continue  # values of schedule files are walked from the YAML itself
                    for cell in cells:
                        key = (cell, block.where)
                        if key not in seen and isinstance(block, (Heading, Paragraph, Table)):
                            seen.add(key)
                            yield Unit(cell, block.where, kind)


def corpus(data_dir: Path) -> Corpus:
    sets = load_all(data_dir)
    units = list(_block_units(sets))
    for path in sorted(data_dir.rglob("*.yaml")):
        if path.name != HOUSE_FILE:
            units.extend(_yaml_units(path))
    for path in sorted(data_dir.rglob("*.md")):
        from ..load.markdown import split_front_matter

        fm_text, offset, _ = split_front_matter(read_text(path))
        if fm_text:
            doc = parse_yaml(path, fm_text, line_offset=offset)
            if isinstance(doc.data.get("title"), str):
                units.append(Unit(doc.data["title"], doc.where(("title",)), "title"))
    return Corpus(sets, units, data_dir)


def forget_sources() -> None:
    """Drop the source lines cached for locating findings (a new lint run reads files afresh)."""
    _SOURCE_LINES.clear()
