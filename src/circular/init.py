"""circular init: an office's own data repository, with circular installed as a pinned package.

The skeleton ships inside the package (circular/defaults/project), with the default templates
(circular/defaults/templates): data/ with a commented example set, templates/, a small Makefile,
the CI workflow, a README. requirements.txt names circular; constraints.txt pins every package
at the version this circular runs with, so the office's outputs do not change under it.
"""

from __future__ import annotations

import shutil
from importlib import metadata, resources
from pathlib import Path

from packaging.requirements import Requirement

from . import __version__
from .errors import CircularError, Where, display_path

DEFAULTS = resources.files("circular") / "defaults"


def default_template(name: str) -> Path:
    """A template as circular ships it (used where a project's templates/ lacks the file)."""
    return Path(str(DEFAULTS / "templates" / name))


def init(target: Path, source: str | None = None) -> list[Path]:
    """Write the skeleton into ``target`` (absent or empty); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CircularError(Where(display_path(target)), "目标目录已存在且不是空的",
                            "请换一个新目录，circular init 不会改动已有的文件")
    staging = target.with_name(f".{target.name}.init")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _copy(Path(str(DEFAULTS / "project")), staging)
        _copy(Path(str(DEFAULTS / "templates")), staging / "templates")
        (staging / "requirements.txt").write_text(
            f"# circular 的版本：升级时改这一行并重新生成 constraints.txt\n{source or f'circular=={__version__}'}\n",
            encoding="utf-8")
        (staging / "constraints.txt").write_text(_constraints(), encoding="utf-8")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in target.rglob("*") if p.is_file())


def _copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)


def _constraints() -> str:
    """Every package circular needs (its dependencies, theirs …) at the version installed here."""
    pins: dict[str, str] = {}
    todo = ["circular"]
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = dist.metadata["Name"].lower()
        if key in pins:
            continue
        pins[key] = dist.version
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    pins.pop("circular", None)
    lines = [f"{name}=={version}" for name, version in sorted(pins.items())]
    header = "# circular 运行所用的确切版本（由 circular init 生成）：同样的数据总得到同样的文件\n"
    return header + "\n".join(lines) + "\n"
