"""GB/T 9704-2012 as numbers: what every 公文 is held to, with the tolerances the checker allows.

This is the standard, not a house rule: house.yaml cannot change anything here, and ``circular
check`` measures any document (ours or one made elsewhere) against exactly these numbers. The
writer derives its settings from them in layout.py. Clauses in brackets; see docs/layout.md.
"""

from __future__ import annotations

from dataclasses import dataclass

TW_PER_PT = 20
PT_PER_MM = 72 / 25.4
TW_PER_MM = TW_PER_PT * PT_PER_MM


@dataclass(frozen=True)
class Target:
    """A measured quantity's required value and how far a measurement may stray from it."""

    value: float
    tolerance: float
    unit: str  # "mm", "pt", "行" (lines of the 22-row grid), "字"
    clause: str

    def holds(self, measured: float) -> bool:
        return abs(measured - self.value) <= self.tolerance + 1e-9

    def text(self) -> str:
        """As check messages print it: "35 mm ±1"."""
        return f"{self.value:g} {self.unit} ±{self.tolerance:g}"


@dataclass(frozen=True)
class Standard:
    # --- page (5.1, 5.2.1): A4, 版心 156 x 225 mm at 37 mm (天头) and 28 mm (订口) -----------------
    paper_width_tw: int = 11906  # 210 mm
    paper_height_tw: int = 16838  # 297 mm
    top_tw: int = 2098  # 37 mm
    left_tw: int = 1588  # 28 mm
    right_tw: int = 1474  # 26 mm: 210 - 28 - 156
    bottom_tw: int = 1984  # 35 mm: 297 - 37 - 225
    margin_tolerance_mm: float = 1.0
    # --- density (5.2.3): 22 rows of 28 characters ----------------------------------------------
    rows: int = 22
    chars: int = 28
    # --- type sizes (5.2.2, 7.3.1, 7.4.2, 7.5), half-points -------------------------------------
    body_size: int = 32  # 三号
    title_size: int = 44  # 二号
    small_size: int = 28  # 四号: 版记, 页码
    title_max_chars: float = 20  # 二号 characters in the 版心 width
    # --- 版头 (7.2) --------------------------------------------------------------------------------
    mark_top: Target = Target(35.0, 1.0, "mm", "7.2.4")  # mark's upper edge below the 版心 top
    order_mark_top: Target = Target(20.0, 1.0, "mm", "10.2")  # 命令（令）: the mark's upper edge
    # 命令: 令号 空二行 under the mark, text 空二行 under the 令号. 20 mm leaves the mark half a line off
    # the text's grid, so the two gaps share that half line (docs/layout.md): a wider tolerance
    order_number_gap: Target = Target(2.5, 0.4, "行", "10.2")
    order_text_gap: Target = Target(3.0, 0.4, "行", "10.2")  # baseline to baseline
    joint_suffix_centring_pt: float = 2.0  # 联合行文: "文件" centred on the stacked names
    number_gap: Target = Target(2.5, 0.3, "行", "7.2.5")  # 空二行: two blank lines between glyph boxes
    red_line_gap: Target = Target(4.0, 1.0, "mm", "7.2.7")  # red line under the 发文字号
    blank_lines_before_number: int = 2
    blank_lines_before_title: int = 2
    centring_pt: float = 1.0
    # --- 主体 (7.3) --------------------------------------------------------------------------------
    indent_chars: int = 2  # 段首空二字
    signature_right_chars: int = 2  # unsealed 署名 右空二字 (7.3.5.2)
    date_offset_chars: int = 2  # date's first character 2 字 right of the 署名's
    sealed_date_right_chars: int = 4  # sealed: date 右空四字 (7.3.5.1)
    position_pt: float = 1.5  # tolerance of indents and signature positions
    seal_top_lines: float = 1.0  # seal top within one line of the text above
    attachment_title_line: int = 3  # 附件 title on line 3 of its page (7.3.7)
    # --- 版记 and 页码 (7.4, 7.5) --------------------------------------------------------------------
    imprint_thick: Target = Target(1.0, 0.15, "pt", "7.4.1")  # 0.35 mm recommended
    imprint_thin: Target = Target(0.75, 0.15, "pt", "7.4.1")  # 0.25 mm recommended
    imprint_bottom_pt: float = 2.0  # last rule on the 版心's bottom edge
    page_number_dash: Target = Target(7.0, 0.5, "mm", "7.5")  # 一字线 below the 版心
    page_number_side: Target = Target(16.0, 1.0, "pt", "7.5")  # 单页右空一字 / 双页左空一字
    # --- 信函格式 (10.1) ---------------------------------------------------------------------------
    letter_mark_top: Target = Target(30.0, 1.0, "mm", "10.1")  # from the paper's top edge
    letter_line_gap: Target = Target(4.0, 1.0, "mm", "10.1")  # top double line under the mark
    letter_bottom_line: Target = Target(20.0, 1.0, "mm", "10.1")  # bottom double line above the edge
    letter_line_length: Target = Target(170.0, 1.5 / PT_PER_MM, "mm", "10.1")
    letter_number_gap: Target = Target(14.0, 2.0, "pt", "10.1")  # 7/8 of a 三号 height
    letter_number_right_pt: float = 1.5  # 发文字号 顶格 at the 版心's right edge
    # --- measuring --------------------------------------------------------------------------------
    grid_tolerance_lines: float = 0.05

    # derived ------------------------------------------------------------------------------------
    @property
    def text_width_tw(self) -> int:
        return self.paper_width_tw - self.left_tw - self.right_tw

    @property
    def text_height_tw(self) -> int:
        return self.paper_height_tw - self.top_tw - self.bottom_tw

    @property
    def paper_pt(self) -> tuple[float, float]:
        return self.paper_width_tw / TW_PER_PT, self.paper_height_tw / TW_PER_PT

    @property
    def box_pt(self) -> tuple[float, float, float, float]:
        """版心 as (x0, y0, x1, y1) in PDF points, origin top-left."""
        return (self.left_tw / TW_PER_PT, self.top_tw / TW_PER_PT,
                (self.paper_width_tw - self.right_tw) / TW_PER_PT,
                (self.paper_height_tw - self.bottom_tw) / TW_PER_PT)

    @property
    def line_tw(self) -> int:
        """The largest whole-twip line pitch that gives ``rows`` rows (docs/layout.md §1.2): 579 tw."""
        return self.text_height_tw // self.rows

    @property
    def line_pt(self) -> float:
        return self.line_tw / TW_PER_PT

    @property
    def char_pt(self) -> float:
        """One 字 of body text when ``chars`` fill the 版心 width (15.79 pt)."""
        return self.text_width_tw / self.chars / TW_PER_PT

    @property
    def body_pt(self) -> float:
        return self.body_size / 2

    @property
    def title_pt(self) -> float:
        return self.title_size / 2

    @property
    def small_pt(self) -> float:
        return self.small_size / 2

    @property
    def indent_pt(self) -> float:
        """段首空二字 as the writer sets it: two nominal 三号 characters (640 tw)."""
        return self.indent_chars * self.body_size * 10 / TW_PER_PT


STANDARD = Standard()
