"""Fonts: which typeface a name stands for, and what fontconfig will really use for it.

The .docx names Windows fonts (仿宋, 黑体 …); LibreOffice resolves them through fontconfig with our
fonts.conf. A name that resolves to a face of another class (仿宋 -> a sans face) would silently
set the body in 黑体, so the gate resolves every requested family before converting.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from ..errors import ToolError, Where, display_path

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")

# typeface classes of the standard (docs/layout.md §8), by keywords of requested or installed names
# Windows and 方正 PostScript names included, so PDFs made by Word are read too (FZXBSJW--GB1-0 is
# 方正小标宋简体, FZFSK 方正仿宋, FZKTK 方正楷体, FZHTK 方正黑体, FZSSK 方正书宋)
_CLASSES = (
    ("小标宋", ("小标宋", "xiaobiaosong", "fzxbs", "中宋", "zhongsong")),
    ("仿宋", ("仿宋", "fangsong", "fang", "fzfs")),
    ("楷体", ("楷", "kai", "fzkt")),
    ("黑体", ("黑", "hei", "sans", "fzht", "yahei")),
    ("宋体", ("宋", "song", "sun", "ming", "serif", "times", "fzss")),
)


def conf_path() -> Path:
    """The project's fontconfig file: Windows font names -> free Debian fonts."""
    return Path(str(resources.files("circular") / "fonts" / "fonts.conf"))


def typeface_class(name: str) -> str:
    low = name.lower()
    for cls, keys in _CLASSES:
        if any(k in low for k in keys):
            return cls
    return ""


def _compatible(requested: str, resolved: str, style: str) -> bool:
    """Does the face fontconfig picked belong to the class the document asked for?"""
    if requested == "小标宋":  # no free 小标宋: a bold serif CJK face stands in
        return resolved == "宋体" and "bold" in style.lower()
    return requested == resolved


@dataclass(frozen=True)
class Resolution:
    requested: str
    family: str
    style: str
    file: str

    @property
    def ok(self) -> bool:
        wanted = typeface_class(self.requested)
        return not wanted or _compatible(wanted, typeface_class(self.family), self.style)

    def line(self) -> str:
        return f"“{self.requested}” → {self.family} {self.style}（{Path(self.file).name}）"


def requested_families(docx: Path) -> list[str]:
    """Every font family a .docx names in its styles, body, headers and footers."""
    names: set[str] = set()
    with zipfile.ZipFile(docx) as z:
        for part in z.namelist():
            if part.startswith("word/") and part.endswith(".xml") and not part.startswith("word/_rels"):
                root = etree.fromstring(z.read(part), parser=etree.XMLParser(resolve_entities=False))
                for fonts in root.iter(f"{_W}rFonts"):
                    names.update(v for slot in _SLOTS if (v := fonts.get(f"{_W}{slot}")))
    return sorted(names)


def resolve(family: str) -> Resolution:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        raise ToolError(None, "找不到 fc-match，无法确认字体", "请安装 fontconfig：sudo apt-get install fontconfig")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf_path()))
    out = subprocess.run([fc_match, "-f", "%{family[0]}|%{style[0]}|%{file}", family], env=env,
                         capture_output=True, text=True, timeout=30, check=False).stdout
    name, style, file = [*out.split("|"), "", "", ""][:3]
    return Resolution(family, name, style, file)


def gate(docs: list[Path]) -> list[tuple[Path, Resolution]]:
    """Resolve every requested family; return the ones that would fall back to another class."""
    cache: dict[str, Resolution] = {}
    bad = []
    for doc in docs:
        for family in requested_families(doc):
            if family not in cache:
                cache[family] = resolve(family)
            if not cache[family].ok:
                bad.append((doc, cache[family]))
    return bad


FontOrigin = Callable[[str], Where | None]


def enforce(docs: list[Path], strict: bool = True, warn=print, origin: FontOrigin | None = None) -> None:
    """Stop (or warn) before converting when a requested font would be replaced by another class.

    The message names where the font was asked for (``origin``: data/house.yaml and its line) and
    the font, never the .docx being converted (often a temporary copy)."""
    reported = set()
    for _, res in gate(docs):
        if res.requested in reported:
            continue
        reported.add(res.requested)
        error = font_problem(res, origin(res.requested) if origin else None)
        if strict:
            raise error
        warn(error.line().replace("错误: ", "警告: ", 1))


def font_problem(res: Resolution, where: Where | None) -> ToolError:
    got = typeface_class(res.family) or "未知"
    message = (f"字体“{res.requested}”在本机会被替换为 {res.family} {res.style}，属于“{got}”类，"
               f"不是所要求的“{typeface_class(res.requested)}”")
    fix = ("请安装该字体，或在 house.yaml 中改用本机已有的同类字体（fc-list :lang=zh 列出中文字体）" if where
           else f"请安装该字体（字体映射见 {display_path(conf_path())}）")
    return ToolError(where, message, fix)


def house_origin(house: Path) -> FontOrigin:
    """Where data/house.yaml names a font family (file:line), for messages about that font."""
    def origin(family: str) -> Where | None:
        if not house.is_file():
            return None
        from ..load.yamlsrc import parse_yaml

        doc = parse_yaml(house)
        fonts = ((doc.data or {}).get("layout") or {}).get("fonts") or {}
        for role, value in fonts.items() if isinstance(fonts, dict) else ():
            if value == family:
                return doc.where(("layout", "fonts", role))
        return None

    return origin
