"""render: model -> .docx. An engine (engine.py, pages.py, measure.py, ooxml.py, package.py), the
parts of a 公文 (parts/), and formats that list their parts in order (formats/, one registry)."""

from __future__ import annotations

from ..layout import Layout
from ..model import Gongwen
from .engine import ImprintPlacement, write
from .formats import FORMATS


def render(gw: Gongwen, layout: Layout, placement: ImprintPlacement = ImprintPlacement.FLOW) -> bytes:
    """The whole .docx of ``gw`` as reproducible bytes."""
    return write(FORMATS[gw.format], gw, layout, placement)


def draws_imprint(gw: Gongwen) -> bool:
    """Does ``gw`` print a 版记 (which the pagination pass must put on an even page)?"""
    return FORMATS[gw.format].draws_imprint(gw)


__all__ = ["FORMATS", "ImprintPlacement", "draws_imprint", "render"]
