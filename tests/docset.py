"""Build small house-made document sets for tests (a copy of data/ with one notice changed)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from ruamel.yaml import YAML

from conftest import DATA, TEMPLATES


def seal_png(path: Path, size: int = 400) -> Path:
    """A red ring with a star, transparent outside: a stand-in seal (we ship no seal images)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=(230, 0, 0, 255), width=size // 25)
    c, r = size / 2, size / 7
    star = []
    for i in range(10):
        radius = r if i % 2 == 0 else 0.4 * r
        angle = math.radians(-90 + 36 * i)
        star.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(star, fill=(230, 0, 0, 255))
    image.save(path)
    return path


def meeting_item(id: str, text: str, place: str = "北碚区", issued: str = "2013年10月8日",
                 date: str = "2013年10月24日", venue: str = "会议室", participants: str = "各区县教委关工委主任",
                 agenda: str = "交流经验", reply_by: str = "2013年10月18日") -> str:
    """One 主城区 片区 meeting with an invitation, as a schedule file lists it under a quarter's items."""
    return f"""      - id: {id}
        text: {text}
        place: {place}
        region: 主城区
        invitation:
          issued: {issued}
          date: {date}
          time: 上午9:00
          venue: {venue}
          participants: {participants}
          agenda: [{agenda}]
          reply_by: {reply_by}
          contact: {{name: 刘立新, phone: 023-63854123}}
"""


def make_set(root: Path, notice: dict | None = None, workpoints: str | None = None, name: str = "2013-07",
             files: dict[str, str] | None = None) -> Path:
    """data/ with organs.yaml and one set whose notice.yaml is the seed's with ``notice`` merged in."""
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    for shared in ("organs.yaml", "regions.yaml", "register.yaml"):
        shutil.copy(DATA / shared, data)
    if not (root / "templates").exists():
        shutil.copytree(TEMPLATES, root / "templates")
    folder = data / name
    shutil.copytree(DATA / "2013-07", folder)
    yaml = YAML()
    doc = yaml.load((folder / "notice.yaml").read_text(encoding="utf-8"))
    for key, value in (notice or {}).items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    with open(folder / "notice.yaml", "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    if workpoints is not None:
        (folder / "workpoints.md").write_text(workpoints, encoding="utf-8")
    for rel, text in (files or {}).items():
        (folder / rel).write_text(text, encoding="utf-8")
    return data


FAMILY = Path(__file__).resolve().parent / "fixtures" / "family"
SEALS = {"印章甲.png": (230, 0, 0), "印章乙.png": (220, 20, 20), "印章丙.png": (200, 0, 30)}


def stamp_png(path: Path) -> Path:
    """A red rectangular 签名章 stand-in (a name in a frame), wider than tall."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 354, 154), outline=(220, 0, 0, 255), width=10)
    draw.line((40, 80, 320, 80), fill=(220, 0, 0, 255), width=14)
    image.save(path)
    return path


def family_project(root: Path, *names: str) -> Path:
    """A project holding the example data sets ``names`` of tests/fixtures/family (all by default),
    with stand-in seal and 签名章 images; returns its data/ folder."""
    data = root / "data"
    data.mkdir(parents=True)
    shutil.copy(FAMILY / "organs.yaml", data)
    shutil.copy(FAMILY / "register.yaml", data)
    if not (root / "templates").exists():
        shutil.copytree(TEMPLATES, root / "templates")
    for name in names or sorted(p.name for p in FAMILY.iterdir() if p.is_dir()):
        folder = data / name
        shutil.copytree(FAMILY / name, folder)
        text = (folder / "notice.yaml").read_text(encoding="utf-8")
        for seal in SEALS:
            if seal in text:
                seal_png(folder / seal)
        if "签名章.png" in text:
            stamp_png(folder / "签名章.png")
    return data
