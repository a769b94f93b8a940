"""git integration: .docx files diff as element-labelled text."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from ..errors import CircularError, Where, display_path

ATTRIBUTE = "*.docx diff=circular"


def setup(repo: Path) -> list[str]:
    """Add the attribute line and the textconv command (this Python, so it works inside .venv)."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True)
    if top.returncode != 0:
        raise CircularError(None, "当前目录不在 git 仓库中", "请在仓库目录中运行")
    root = Path(top.stdout.strip())
    attributes = root / ".gitattributes"
    if attributes.exists() and not attributes.is_file():
        raise CircularError(Where(display_path(attributes)), "这里应是 git 的属性文件，却是一个目录",
                            "请移走或改名该目录后重试")
    lines = attributes.read_text(encoding="utf-8").splitlines() if attributes.exists() else []
    done = []
    if ATTRIBUTE not in lines:
        attributes.write_text("\n".join([*lines, ATTRIBUTE]) + "\n", encoding="utf-8")
        done.append(f"已在 {display_path(attributes)} 中加入：{ATTRIBUTE}")
    command = f"{shlex.quote(sys.executable)} -m circular text"
    for key, value in (("diff.circular.textconv", command), ("diff.circular.cachetextconv", "true")):
        subprocess.run(["git", "config", key, value], cwd=root, check=True)
        done.append(f"git config {key} {value}")
    # git diff --word-diff splits at spaces, which Chinese has none of: a word is a run of ASCII
    # letters and digits, or any one other character (a UTF-8 lead byte and its continuation bytes)
    subprocess.run([b"git", b"config", b"diff.circular.wordRegex", WORD_REGEX], cwd=root, check=True)
    done.append("git config diff.circular.wordRegex（中文按字比较）")
    return done


WORD_REGEX = b"[A-Za-z0-9_]+|[^\x80-\xbf[:space:]][\x80-\xbf]*"
