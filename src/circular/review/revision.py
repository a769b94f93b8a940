"""Build a git revision's documents in a temporary worktree, to compare with the working tree."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import CircularError, Where, display_path


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@contextlib.contextmanager
def checkout(rev: str, repo: Path) -> Iterator[Path]:
    """A detached worktree of ``rev``, removed afterwards."""
    top = _git("rev-parse", "--show-toplevel", cwd=repo)
    if top.returncode != 0:
        raise CircularError(None, "当前目录不在 git 仓库中", "--rev 只能在仓库中使用")
    root = Path(top.stdout.strip())
    if _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=root).returncode != 0:
        raise CircularError(None, f"找不到版本“{rev}”", "请用 git log 查看可用的提交，例如 HEAD~1")
    tmp = Path(tempfile.mkdtemp(prefix="circular-rev-"))
    tree = tmp / "tree"
    try:
        added = _git("worktree", "add", "--detach", "--quiet", str(tree), rev, cwd=root)
        if added.returncode != 0:
            raise CircularError(None, f"无法检出版本“{rev}”：{added.stderr.strip()}")
        yield tree
    finally:
        _git("worktree", "remove", "--force", str(tree), cwd=root)
        shutil.rmtree(tmp, ignore_errors=True)


def relative_to_repo(path: Path, repo: Path) -> Path:
    """``path`` (e.g. data/) relative to the root of the repository at ``repo``, to find it inside a
    worktree of that repository."""
    where = Where(display_path(path))
    if not path.is_dir():
        raise CircularError(where, "数据目录不存在", "请用 --data 指定仓库中的数据目录")
    top = _git("rev-parse", "--show-toplevel", cwd=repo)
    if top.returncode != 0:
        raise CircularError(None, "当前目录不在 git 仓库中", "--rev 只能在仓库中使用")
    root = Path(top.stdout.strip()).resolve()
    if not path.resolve().is_relative_to(root):
        raise CircularError(where, "数据目录不在当前 git 仓库中，无法取出它的历史版本",
                            "请在数据所在的仓库中运行，或去掉 --rev")
    return path.resolve().relative_to(root)
