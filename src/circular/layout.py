"""Every GB/T 9704-2012 number the writer and the checker use, in one place.

Units: twips (tw, 1/20 pt) for OOXML, points (pt) for the PDF checker; converters below.
An office changes house rules (font names, red-line weight, mark size) in ``data/house.yaml``
under ``layout:``; the standard's numbers themselves are not meant to be overridden, but
the same mechanism reaches them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from .model import ValueProblem

TW_PER_PT = 20
PT_PER_MM = 72 / 25.4
EMU_PER_PT = 12700


def tw_to_pt(tw: float) -> float:
    return tw / TW_PER_PT


Color = Annotated[str, StringConstraints(pattern=r"^[0-9A-Fa-f]{6}$")]  # RRGGBB, as OOXML writes it
MAX_MAGNITUDE = 100_000  # no layout number (twips, points, half-points, percent) comes near this


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _sane_numbers(self) -> "_Frozen":
        for name, value in self:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_MAGNITUDE:
                raise ValueProblem(f"{name} 的取值 {value:g} 超出合理范围", "请核对该数值及其单位")
        return self


class Page(_Frozen):
    """A4 with the 156 x 225 mm 版心 at 37 mm (天头) / 28 mm (订口)."""

    width: int = 11906
    height: int = 16838
    top: int = 2098
    bottom: int = 1984
    left: int = 1588
    right: int = 1474
    # footer distance calibrated so the page number's dash ink is 7 mm below the 版心 (gbt9704.md §5)
    footer: int = 1451

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right


class Grid(_Frozen):
    """22 rows x 28 characters of 3号 text (gbt9704.md §1.2/§1.3)."""

    line: int = 579  # exact line pitch, tw: the largest whole-twip pitch giving 22 rows
    rows: int = 22
    chars: int = 28
    char_spacing: int = -5  # tw added after each glyph: 16 pt -> 15.75 pt advance
    # space renderers add between CJK and Latin/digits (Word autoSpaceDE/DN; LibreOffice ignores
    # the switch-off): 0.22 em measured on LibreOffice 7.4, used when widths of dates must be known
    autospace_em: float = 0.22


class Fonts(_Frozen):
    """Font family names written into the .docx, per role (house rule)."""

    latin: str = "Times New Roman"
    body: str = "仿宋"  # 仿宋: body, 发文字号, 署名, 日期, 版记, headings 3-4
    heading1: str = "黑体"  # 黑体: heading 1, 密级, 紧急程度, 附件 label
    heading2: str = "楷体"  # 楷体: heading 2, 签发人 names
    title: str = "方正小标宋简体"  # 小标宋: title and organ mark
    page_number: str = "宋体"


class Sizes(_Frozen):
    """Font sizes in half-points (w:sz)."""

    body: int = 32  # 三号 16 pt
    title: int = 44  # 二号 22 pt
    # organ mark: size not fixed by the standard. 初号 42 pt puts the 发文字号 2.5 lines below the
    # mark's ink on the 579 tw grid (30 pt gives 2.9 lines); long names are scaled, not shrunk.
    mark: int = 84
    imprint: int = 28  # 四号 14 pt: 版记
    page_number: int = 28  # 四号 14 pt
    table: int = 28  # 四号 in body tables


class Header(_Frozen):
    """版头 geometry."""

    # ink top of the organ mark lies 35 mm below the 版心 top (standard 7.2.4)
    mark_top_mm: float = 35.0
    # mark block = space before + exact line + space after, a whole number of grid lines,
    # calibrated on a LibreOffice render (tests/test_render_pdf.py holds the numbers).
    mark_lines: int = 2  # exact line height of the mark, in grid lines
    mark_space_before: int = 1737
    mark_block_lines: int = 5
    blank_lines_before_number: int = 2
    red_line_offset_pt: float = 37.7  # below the 发文字号 paragraph top: 4 mm under its glyphs
    red_line_weight_pt: float = 1.5
    red_line_color: Color = "FF0000"
    mark_color: Color = "FF0000"
    blank_lines_before_title: int = 2
    # checker: red line -> title ink, in lines, as rendered with two blank lines (calibrated)
    title_gap_lines: float = 1.85


class Letter(_Frozen):
    """信函格式 (standard 10.1)."""

    mark_top_mm: float = 30.0  # ink top of the mark, from the paper's top edge
    mark_size: int = 60  # w:sz; 30 pt
    mark_ink_em: float = 0.94  # ink height of a CJK mark glyph, in em (to place the line under it)
    line_gap_mm: float = 4.0  # double line below the mark
    line_length_mm: float = 170.0
    bottom_line_mm: float = 20.0  # bottom double line above the paper's bottom edge
    thick_pt: float = 1.0  # 0.35 mm
    thin_pt: float = 0.75  # 0.25 mm
    pair_gap_pt: float = 3.0  # between the centres of the two lines of a pair
    # calibrated on a LibreOffice render: ink top of the mark below the top of its text box
    mark_ink_offset_pt: float = 20.64
    number_line: int = 2  # the 发文字号 sits on grid line 2: its glyphs 14 pt (7/8 of 3号) under the line
    number_gap_pt: float = 14.0  # 7/8 of a 3号 character height
    # checker: 发文字号 ink -> title ink, in lines, as rendered with two blank lines (calibrated)
    title_gap_lines: float = 2.25


class Body(_Frozen):
    first_line_chars: int = 2
    title_max_chars: float = 20  # 二号 characters per title line (442.2 pt / 22 pt)
    blank_lines_after_title: int = 1
    blank_lines_before_attachment_note: int = 1
    blank_lines_before_signature: int = 1
    signature_right_chars: int = 2  # unsealed 署名 右空二字
    date_offset_chars: int = 2  # date starts 2 字 right of the 署名
    sealed_date_right_chars: int = 4  # sealed: date 右空四字
    attachment_title_line: int = 3
    # sealed layout (standard 7.3.5.1): date 右空四字, 署名 centred over it, seal pressing on both
    blank_lines_before_sealed_signature: int = 2
    seal_size_mm: float = 42.0
    # seal top relative to the 署名 paragraph top, in grid lines: puts the seal centre just above the
    # 署名/date pair (they sit below its centre) and its top within one line of the text above
    seal_offset_lines: float = -1.6


class Imprint(_Frozen):
    """版记 (standard 7.4): 4号 text, 0.35/0.25 mm black rules."""

    thick_rule: int = 8  # w:sz in eighths of a point -> 1 pt (0.35 mm)
    thin_rule: int = 6  # 0.75 pt (0.25 mm)
    indent_chars: int = 1  # 左右各空一字 (4号 字 = 280 tw)


class PageNumber(_Frozen):
    dash: str = "\u2014"  # 一字线, never a hyphen
    side_space: int = 320  # 一字 of 3号: calibrated 16.1 pt from the 版心 edge
    line: int = 280  # exact 14 pt footer line


class Layout(_Frozen):
    page: Page = Page()
    grid: Grid = Grid()
    fonts: Fonts = Fonts()
    sizes: Sizes = Sizes()
    header: Header = Header()
    letter: Letter = Letter()
    body: Body = Body()
    imprint: Imprint = Imprint()
    page_number: PageNumber = PageNumber()

    # --- derived numbers, shared by writer and checker -------------------------------------
    @property
    def char_width(self) -> int:
        """Advance of one 3号 CJK character in tw (16 pt + spacing)."""
        return self.sizes.body * 10 + self.grid.char_spacing

    @property
    def body_indent(self) -> int:
        """First-line indent of body paragraphs: 2 字 of nominal 3号 (640 tw)."""
        return self.body.first_line_chars * self.sizes.body * 10

    def chars_tw(self, n: float, size: int | None = None) -> int:
        """Width of n nominal characters at half-point size ``size`` (default body)."""
        return round(n * (size or self.sizes.body) * 10)

    @property
    def text_box_pt(self) -> tuple[float, float, float, float]:
        """版心 as (x0, y0, x1, y1) in PDF points, origin top-left."""
        p = self.page
        return (
            tw_to_pt(p.left),
            tw_to_pt(p.top),
            tw_to_pt(p.width - p.right),
            tw_to_pt(p.height - p.bottom),
        )

    @property
    def line_pt(self) -> float:
        return tw_to_pt(self.grid.line)

    @property
    def paper_pt(self) -> tuple[float, float]:
        return tw_to_pt(self.page.width), tw_to_pt(self.page.height)


DEFAULT = Layout()
