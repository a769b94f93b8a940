"""The writer's settings: derived from GB/T 9704 (standard.py), calibrated on renderers, and the
few house rules an office may set in data/house.yaml.

Three kinds of number live here, kept apart:

* derived — arithmetic on the standard (the 579 tw line, the −5 tw character spacing, 35 mm in twips);
* calibrated — measured on a render, each with what it was measured on (``CALIBRATION``);
* house — font names, the red line's weight and colour (``House``: the only schema house.yaml is
  validated against; page, grid, sizes and positions are not house rules).

Units: twips (tw, 1/20 pt) for OOXML, points (pt) for the PDF checker.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .standard import PT_PER_MM, STANDARD, TW_PER_MM, TW_PER_PT

EMU_PER_PT = 12700

Color = Annotated[str, StringConstraints(pattern=r"^[0-9A-Fa-f]{6}$")]  # RRGGBB, as OOXML writes it
FontName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=31,
                                            pattern=r"^[^\x00-\x1f<>&\"]+$")]


def tw_to_pt(tw: float) -> float:
    return tw / TW_PER_PT


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


# --- calibrations: measured on renders, not in the standard ------------------------------------


class Calibration(_Frozen):
    """Numbers measured on LibreOffice 7.4 renders (tests/test_render_pdf.py holds them); Word and WPS
    may differ by about a point. Changing a renderer or a substitute font means measuring again."""

    # ink top of the 42 pt 小标宋 mark below the top of its exact two-line line box, in tw, as the
    # writer places it: 35 mm - 247 tw gives space-before 1737 tw, measured ink top 34.3 mm (±1)
    mark_ink_drop_tw: int = 247
    # the same for a joint mark's stacked names in exact rows of their own (measured 0.3 mm)
    joint_mark_ink_drop_tw: int = 17
    # red line below the 发文字号 paragraph's top: 4 mm under its glyphs (measured 3.99 mm)
    red_line_offset_pt: float = 37.7
    # LibreOffice adds 0.22 em between CJK and Latin/digits whatever autoSpaceDN says
    autospace_em: float = 0.22
    # checker: glyph-box gap from the red line to the title, and from a 信函's 发文字号 to its
    # title, with two blank lines between (the standard says 空二行; glyph boxes make it less)
    title_gap_lines: float = 1.85
    letter_title_gap_lines: float = 2.25
    # 信函: ink top of the 30 pt mark below the top of its text box; ink height of a CJK glyph in em
    letter_mark_ink_offset_pt: float = 20.64
    letter_mark_ink_em: float = 0.94
    # footer distance putting the page number's dash ink 7 mm below the 版心 (docs/layout.md §5)
    footer_tw: int = 1451
    # seal top relative to the 署名 paragraph top, in grid lines: the seal centre just above the
    # 署名/date pair and its top within one line of the text above
    seal_offset_lines: float = -1.6


CALIBRATION = Calibration()


# --- the writer's settings ------------------------------------------------------------------------


class Page(_Frozen):
    """A4 with the 156 x 225 mm 版心 at 37 mm (天头) / 28 mm (订口) (standard 5.1, 5.2.1)."""

    width: int = STANDARD.paper_width_tw
    height: int = STANDARD.paper_height_tw
    top: int = STANDARD.top_tw
    bottom: int = STANDARD.bottom_tw
    left: int = STANDARD.left_tw
    right: int = STANDARD.right_tw
    footer: int = CALIBRATION.footer_tw

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right


class Grid(_Frozen):
    """22 rows x 28 characters of 3号 text (docs/layout.md §1.2/§1.3)."""

    line: int = STANDARD.line_tw  # exact line pitch: 579 tw, the largest whole-twip pitch giving 22 rows
    rows: int = STANDARD.rows
    chars: int = STANDARD.chars
    # tw added after each glyph: 16 pt -> 15.75 pt advance, the widest that fits 28 (15.79 pt)
    char_spacing: int = -5
    autospace_em: float = CALIBRATION.autospace_em


class Fonts(_Frozen):
    """Font family names written into the .docx, per role (house rule)."""

    latin: FontName = "Times New Roman"
    body: FontName = "仿宋"  # 仿宋: body, 发文字号, 署名, 日期, 版记, headings 3-4
    heading1: FontName = "黑体"  # 黑体: heading 1, 密级, 紧急程度, 附件 label
    heading2: FontName = "楷体"  # 楷体: heading 2, 签发人 names
    title: FontName = "方正小标宋简体"  # 小标宋: title and organ mark
    page_number: FontName = "宋体"


class Sizes(_Frozen):
    """Font sizes in half-points (w:sz)."""

    body: int = STANDARD.body_size  # 三号 16 pt
    title: int = STANDARD.title_size  # 二号 22 pt
    # organ mark: size not fixed by the standard. 初号 42 pt puts the 发文字号 2.5 lines below the
    # mark's ink on the 579 tw grid (30 pt gives 2.9 lines); long names are scaled, not shrunk.
    mark: int = 84
    joint_mark: int = 52  # 一号 26 pt: the stacked names of a joint mark, one grid line each
    imprint: int = STANDARD.small_size  # 四号 14 pt: 版记
    page_number: int = STANDARD.small_size  # 四号 14 pt
    table: int = STANDARD.small_size  # 四号 in body tables


class Header(_Frozen):
    """版头 geometry."""

    # mark block = space before + exact line + space after, a whole number of grid lines
    mark_lines: int = 2  # exact line height of the mark, in grid lines
    mark_block_lines: int = 5
    joint_mark_min_row_lines: float = Field(default=0.8, ge=0.6, le=2)  # 联合行文: a stacked name's row
    blank_lines_before_number: int = STANDARD.blank_lines_before_number
    red_line_offset_pt: float = CALIBRATION.red_line_offset_pt
    red_line_weight_pt: float = Field(default=1.5, ge=0.25, le=6)  # house: 0.35 mm, 0.5 mm, 1 pt, 1.5 pt in use
    red_line_color: Color = "FF0000"
    mark_color: Color = "FF0000"
    blank_lines_before_title: int = STANDARD.blank_lines_before_title


class Letter(_Frozen):
    """信函格式 (standard 10.1)."""

    mark_top_mm: float = STANDARD.letter_mark_top.value  # ink top of the mark, from the paper's top edge
    mark_size: int = 60  # w:sz; 30 pt
    mark_ink_em: float = CALIBRATION.letter_mark_ink_em  # to place the line under the mark's ink
    line_gap_mm: float = STANDARD.letter_line_gap.value  # double line below the mark
    line_length_mm: float = STANDARD.letter_line_length.value
    bottom_line_mm: float = STANDARD.letter_bottom_line.value  # bottom double line above the paper's bottom edge
    thick_pt: float = 1.0  # 0.35 mm
    thin_pt: float = 0.75  # 0.25 mm
    pair_gap_pt: float = 3.0  # between the centres of the two lines of a pair
    mark_ink_offset_pt: float = CALIBRATION.letter_mark_ink_offset_pt
    number_line: int = 2  # the 发文字号 sits on grid line 2: its glyphs 14 pt (7/8 of 3号) under the line


class Body(_Frozen):
    first_line_chars: int = STANDARD.indent_chars
    title_max_chars: float = STANDARD.title_max_chars
    blank_lines_after_title: int = 1
    blank_lines_before_attachment_note: int = 1
    blank_lines_before_signature: int = 1
    signature_right_chars: int = STANDARD.signature_right_chars
    date_offset_chars: int = STANDARD.date_offset_chars
    sealed_date_right_chars: int = STANDARD.sealed_date_right_chars
    attachment_title_line: int = STANDARD.attachment_title_line
    # sealed layout (standard 7.3.5.1): date 右空四字, 署名 centred over it, seal pressing on both
    blank_lines_before_sealed_signature: int = 2
    seal_size_mm: float = 42.0
    seal_offset_lines: float = CALIBRATION.seal_offset_lines
    seal_gap_mm: float = 2.0  # 联合行文: space between two seals of a row (they may not touch)
    seal_row_lines: int = 5  # 联合行文: lines from one row of 署名 to the next (a 42 mm seal is 4.1 lines)
    stamp_height_mm: float = 15.0  # 命令: 签发人签名章


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

    @classmethod
    def for_house(cls, house: House) -> Layout:
        """The default layout with an office's house rules applied."""
        return cls(fonts=house.fonts, header=Header(**house.header.model_dump(exclude_unset=True)))

    # --- derived numbers, shared by writer and checker -------------------------------------
    @property
    def mark_space_before(self) -> int:
        """Space above the 文件格式 mark so its ink top lies STANDARD.mark_top below the 版心 top."""
        return round(STANDARD.mark_top.value * TW_PER_MM) - CALIBRATION.mark_ink_drop_tw

    @property
    def joint_mark_top(self) -> int:
        """Space above a joint mark's stacked names so their ink top lies STANDARD.mark_top down."""
        return round(STANDARD.mark_top.value * TW_PER_MM) - CALIBRATION.joint_mark_ink_drop_tw

    @property
    def order_mark_space_before(self) -> int:
        """Space above a 命令's mark so its ink top lies at STANDARD.order_mark_top."""
        return round(STANDARD.order_mark_top.value * TW_PER_MM) - CALIBRATION.mark_ink_drop_tw

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


# --- house rules ------------------------------------------------------------------------------------


class HouseHeader(_Frozen):
    red_line_weight_pt: float = Field(default=1.5, ge=0.25, le=6)
    red_line_color: Color = "FF0000"
    mark_color: Color = "FF0000"


class House(_Frozen):
    """What data/house.yaml may set under ``layout:`` — and nothing of the standard."""

    fonts: Fonts = Fonts()
    header: HouseHeader = HouseHeader()


DEFAULT = Layout()
__all__ = ["CALIBRATION", "DEFAULT", "EMU_PER_PT", "PT_PER_MM", "House", "Layout", "tw_to_pt"]
