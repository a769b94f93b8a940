"""git integration: .docx files diff as element-labelled text."""

from __future__ import annotations

import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

from ..errors import CircularError, Where, display_path

ATTRIBUTE = "*.docx diff=circular"


def readable(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise CircularError(Where(display_path(path)), "不是有效的 Word（.docx）文件", "请在 Word 中另存为 .docx")


def setup(repo: Path) -> list[str]:
    """Add the attribute line and the textconv command (this Python, so it works inside .venv)."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True)
    if top.returncode != 0:
        raise CircularError(None, "当前目录不在 git 仓库中", "请在仓库目录中运行")
    root = Path(top.stdout.strip())
    attributes = root / ".gitattributes"
    lines = attributes.read_text(encoding="utf-8").splitlines() if attributes.exists() else []
    done = []
    if ATTRIBUTE not in lines:
        attributes.write_text("\n".join([*lines, ATTRIBUTE]) + "\n", encoding="utf-8")
        done.append(f"已在 {attributes} 中加入：{ATTRIBUTE}")
    command = f"{shlex.quote(sys.executable)} -m circular text"
    for key, value in (("diff.circular.textconv", command), ("diff.circular.cachetextconv", "true")):
        subprocess.run(["git", "config", key, value], cwd=root, check=True)
        done.append(f"git config {key} {value}")
    return done
