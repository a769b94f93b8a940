"""What a rendered PDF shows: rows of glyphs, rules, ink extents (PDF points, origin top-left).

pdfplumber (MIT) reads text and vector drawings; pypdfium2 (Apache/BSD) rasterises clips for ink
measurements, which glyph boxes cannot give (a glyph box is not its ink).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber
import pypdfium2

from ..errors import CircularError, Where, display_path

HANGING = set("，。、；：？！”’）》」』")


@dataclass(frozen=True)
class Row:
    """Glyphs sharing a baseline and size: one printed line (or part of one)."""

    baseline: float
    size: float
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    fonts: tuple[str, ...]
    color: tuple[float, ...]
    glyphs: tuple[tuple[str, float, float], ...] = ()  # (character, x0, x1)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def wide_count(self) -> int:
        """Full-width characters, the unit of "28 per line" (quotes and dashes count in Chinese text)."""
        return sum(1 for c in self.plain if unicodedata.east_asian_width(c) in "WFA" and not c.isascii())

    @property
    def ink_x1(self) -> float:
        """Right end without a hanging line-end punctuation mark."""
        if len(self.glyphs) > 1 and self.glyphs[-1][0] in HANGING:
            return self.glyphs[-2][2]
        return self.x1

    @property
    def plain(self) -> str:
        """Text without the renderer's CJK-Latin spacing."""
        return re.sub(r"\s+", "", self.text)

    def segments(self, gap: float) -> list[Row]:
        """The row cut where glyphs stand more than ``gap`` apart: the 署名 of one line of a joint
        signature, each under its own seal."""
        if not self.glyphs:
            return [self]
        groups: list[list[tuple[str, float, float]]] = [[self.glyphs[0]]]
        for glyph in self.glyphs[1:]:
            if glyph[1] - groups[-1][-1][2] > gap:
                groups.append([])
            groups[-1].append(glyph)
        if len(groups) == 1:
            return [self]
        return [replace(self, x0=g[0][1], x1=g[-1][2], text="".join(c for c, _, _ in g), glyphs=tuple(g))
                for g in groups]


@dataclass(frozen=True)
class Rule:
    """A horizontal stroke (line, thin rectangle or table border)."""

    x0: float
    x1: float
    y: float
    width: float
    color: tuple[float, ...]

    @property
    def is_red(self) -> bool:
        return len(self.color) == 3 and self.color[0] > 0.8 and self.color[1] < 0.3 and self.color[2] < 0.3

    @property
    def is_black(self) -> bool:
        return all(c < 0.3 for c in self.color) if self.color else True


@dataclass
class PageView:
    index: int  # 0-based, in the PDF file
    width: float
    height: float
    number: int = 0  # 1-based, within the document being checked (a print file binds several)
    rows: list[Row] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    tables: list[tuple[float, float, float, float]] = field(default_factory=list)  # boxes of ruled tables

    def in_table(self, x: float, y: float) -> bool:
        return any(x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x0, top, x1, bottom in self.tables)


def _color(value: object) -> tuple[float, ...]:
    if value is None:
        return (0.0,)
    if isinstance(value, (int, float)):
        return (float(value),)
    return tuple(float(v) for v in value)  # type: ignore[attr-defined]  # a colour tuple


def _rows(page: pdfplumber.page.Page) -> list[Row]:
    groups: dict[tuple[float, float], list[dict]] = {}
    for c in page.chars:
        if not c["text"].strip():
            continue
        baseline = round(page.height - c["matrix"][5], 1)
        groups.setdefault((baseline, round(c["size"], 1)), []).append(c)
    rows = []
    for (baseline, size), chars in sorted(groups.items()):
        chars.sort(key=lambda c: c["x0"])
        text = "".join(c["text"] for c in chars)
        rows.append(
            Row(
                baseline=baseline,
                size=size,
                x0=min(c["x0"] for c in chars),
                x1=max(c["x1"] for c in chars),
                top=min(c["top"] for c in chars),
                bottom=max(c["bottom"] for c in chars),
                text=text,
                fonts=tuple(sorted({c["fontname"].split("+", 1)[-1] for c in chars})),
                color=_color(chars[0].get("non_stroking_color")),
                glyphs=tuple((c["text"], c["x0"], c["x1"]) for c in chars),
            )
        )
    return rows


def _line_width(obj: dict) -> float:
    """A stroke's width. A PDF that never sets one (no ``w`` operator, as Word's do for 1 pt rules)
    strokes with the default 1.0, which pdfminer reports as 0."""
    return float(obj.get("linewidth") or 1.0)


def _rules(page: pdfplumber.page.Page) -> list[Rule]:
    rules = []
    for line in page.lines:
        if abs(line["top"] - line["bottom"]) < 0.5:
            rules.append(Rule(line["x0"], line["x1"], (line["top"] + line["bottom"]) / 2,
                              _line_width(line), _color(line.get("stroking_color"))))
    for rect in page.rects:
        height = rect["bottom"] - rect["top"]
        if 0 < height < 3 and rect["x1"] - rect["x0"] > 20:  # table borders come as filled thin rects
            colour = rect.get("non_stroking_color") if rect.get("fill") else rect.get("stroking_color")
            rules.append(Rule(rect["x0"], rect["x1"], (rect["top"] + rect["bottom"]) / 2, height, _color(colour)))
        elif height < 0.5 and rect["x1"] - rect["x0"] > 20:
            rules.append(Rule(rect["x0"], rect["x1"], rect["top"], _line_width(rect),
                              _color(rect.get("stroking_color"))))
    return sorted(rules, key=lambda r: r.y)


def _tables(page: pdfplumber.page.Page) -> list[tuple[float, float, float, float]]:
    """Boxes of ruled tables: clusters of vertical strokes (a 版记 has none, a table has them)."""
    verticals = []
    for obj in [*page.lines, *page.rects]:
        width, height = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if width < 3 and height > 5:
            verticals.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    boxes: list[list[float]] = []
    for x0, top, x1, bottom in sorted(verticals, key=lambda v: v[1]):
        for box in boxes:
            if top <= box[3] + 3 and bottom >= box[1] - 3:
                box[0], box[1], box[2], box[3] = min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)
                break
        else:
            boxes.append([x0, top, x1, bottom])
    return [(b[0], b[1], b[2], b[3]) for b in boxes]


class PdfView:
    """A rendered document, page by page; keep it open while measuring ink."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.pages: list[PageView] = []
        self.producer = ""  # the program that wrote the PDF (LibreOffice's renders need allowances)
        try:
            with pdfplumber.open(self.path) as pdf:
                self.producer = str(pdf.metadata.get("Producer") or "")
                for i, page in enumerate(pdf.pages):
                    view = PageView(i, float(page.width), float(page.height), i + 1, _rows(page), _rules(page))
                    view.images = [(im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images]
                    view.tables = _tables(page)
                    self.pages.append(view)
            self._raster = pypdfium2.PdfDocument(str(self.path))
        except Exception:  # noqa: BLE001 - pdfminer raises a dozen kinds on a broken file; all mean the same
            raise CircularError(Where(display_path(self.path)), "PDF 无法解析（已损坏、不完整或已加密）",
                                "请重新导出 PDF") from None

    def close(self) -> None:
        self._raster.close()

    def __enter__(self) -> PdfView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ink_extent(self, page: int, box: tuple[float, float, float, float], dpi: int = 600,
                   threshold: int = 128) -> tuple[float, float] | None:
        """Top and bottom (pt) of dark pixels inside ``box`` = (x0, y0, x1, y1), or None if blank."""
        scale = dpi / 72
        pdf_page = self._raster[page]
        x0, y0, x1, y1 = box
        height = pdf_page.get_height()
        width = pdf_page.get_width()
        bitmap = pdf_page.render(
            scale=scale, grayscale=True,
            crop=(max(0, x0), max(0, height - y1), max(0, width - x1), max(0, y0)),
        )
        image = bitmap.to_pil().convert("L")
        pixels = image.load()
        w_px, h_px = image.size
        dark_rows = [y for y in range(h_px) if any(pixels[x, y] < threshold for x in range(0, w_px, 2))]
        if not dark_rows:
            return None
        return y0 + dark_rows[0] / scale, y0 + (dark_rows[-1] + 1) / scale
