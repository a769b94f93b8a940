"""render: model -> .docx. One writer module per document format (文件格式 first)."""

from .gongwen import ImprintPlacement, render, write

__all__ = ["ImprintPlacement", "render", "write"]
