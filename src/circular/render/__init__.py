"""render: model -> .docx. One module per document format; each registers itself in FORMATS."""

from . import letter  # noqa: F401  (registers 信函格式)
from .gongwen import FORMATS, ImprintPlacement, render

__all__ = ["FORMATS", "ImprintPlacement", "render"]
