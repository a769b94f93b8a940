"""out/: written whole or not at all, with a manifest describing every file in it.

circular replaces its output folder as a whole on every build, so it must be sure the folder is
its own: empty, or a previous circular output holding nothing but what its manifest lists. A data
folder, the project, the repository, home, a file, a symlink, a mount point are refused before
anything is touched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import manifest as manifests
from .errors import CircularError, Where, display_path, os_error
from .project import Project, locked

STAGING_MARK = ".circular-staging"  # inside a staging folder until it is published


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- may circular write here? ----------------------------------------------------------------------


def guard(out_dir: Path, project: Project | None = None, need_manifest: bool = False) -> None:
    """Refuse, before anything is touched, an output folder circular must not replace."""
    name = display_path(out_dir)
    fix = "请用 --out 指定一个新的或空的目录（例如 out）"
    if out_dir.is_symlink():
        raise CircularError(Where(name), "输出目录是一个符号链接；circular 会整体替换输出目录，不能替换链接指向的位置",
                            fix)
    if out_dir.exists() and not out_dir.is_dir():
        raise CircularError(Where(name), "输出位置已有一个同名文件，不是目录", "请移走该文件，或用 --out 换一个目录")
    resolved = out_dir.resolve()
    if project is not None:
        for folder, what in project.protected():
            if resolved == folder or folder.is_relative_to(resolved) or resolved.is_relative_to(folder):
                raise CircularError(Where(name), f"输出目录不能是、包含或位于{what}（每次构建会整体替换输出目录）", fix)
        for folder, what in project.roots():
            if resolved == folder:
                raise CircularError(Where(name), f"输出目录不能是{what}（每次构建会整体替换输出目录）", fix)
    if not out_dir.exists():
        if need_manifest:
            raise CircularError(Where(display_path(out_dir / manifests.MANIFEST)), "找不到构建清单",
                                "请先运行 make circular（或 circular build）")
        _writable(out_dir.parent if str(out_dir.parent) else Path("."), "输出目录的上级目录")
        return
    if os.path.ismount(out_dir):
        raise CircularError(Where(name), "输出目录是一个挂载点，不能整体替换", fix)
    manifest = manifests.load(out_dir)
    if manifest is None and (need_manifest or any(out_dir.iterdir())):
        raise CircularError(Where(name),
                            "输出目录不是空的，也不是 circular 生成的（其中没有 circular 的 manifest.json）；"
                            "circular 不会删除其中的文件", fix)
    if manifest is not None:
        foreign = _foreign(out_dir, manifest.owned())
        if foreign:
            raise CircularError(Where(display_path(out_dir / foreign)), "输出目录中有不是 circular 生成的文件；"
                                "每次构建会整体替换输出目录，它会丢失", "请把它移到输出目录之外再构建")
    _writable(out_dir, "输出目录")
    _writable(out_dir.parent if str(out_dir.parent) else Path("."), "输出目录的上级目录")


def _foreign(out_dir: Path, owned: set[str]) -> str | None:
    """The first file under ``out_dir`` that the manifest does not list (folders are circular's)."""
    for root, dirs, files in os.walk(out_dir):
        dirs.sort()
        for file in sorted(files):
            rel = (Path(root) / file).relative_to(out_dir).as_posix()
            if rel not in owned:
                return rel
    return None


def _writable(folder: Path, what: str) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CircularError(Where(display_path(folder)), f"{what}不可写（没有权限或只读）",
                            "请检查权限，或换一个输出目录")


# --- staging and publishing ------------------------------------------------------------------------


def out_lock(out_dir: Path, waiting: Callable[[], None]):
    """One writer of an out/ at a time (build, pdf): they share its staging folder."""
    return locked(out_dir.parent / f".{out_dir.name}.lock", waiting)


@contextmanager
def writing(out_dir: Path, project: Project | None, waiting: Callable[[], None],
            need_manifest: bool = False) -> Iterator[None]:
    """Hold the out/ lock, check the folder may be written, finish a killed build's clean-up.

    Checked before the lock too: no lock file is left beside a folder that is refused."""
    guard(out_dir, project, need_manifest)
    with out_lock(out_dir, waiting):
        guard(out_dir, project, need_manifest)
        recover(out_dir)
        yield


def _ours(folder: Path) -> bool:
    """A staging folder (or a previous out/ moved aside) that circular made."""
    return (folder / STAGING_MARK).exists() or manifests.load(folder) is not None or not any(folder.iterdir())


def _remove_ours(folder: Path) -> None:
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_symlink() or not folder.is_dir() or not _ours(folder):
        raise CircularError(Where(display_path(folder)),
                            "这个名字是 circular 的临时目录，但其中的内容不是 circular 生成的",
                            "请移走或改名它，circular 不会删除它")
    try:
        _remove_marked_last(folder)
    except OSError as exc:
        raise os_error(exc, folder) from None


def staging_dir(out_dir: Path) -> Path:
    """A fresh folder beside out/ (same file system, so it can be swapped in), marked as ours."""
    stage = out_dir.parent / f".{out_dir.name}.staging"
    _remove_ours(stage)
    stage.mkdir(parents=True)
    (stage / STAGING_MARK).touch()
    return stage


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (files in out/ are never modified in place, only
    replaced), or a copy where the file system has no hard links."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def staged_copy(out_dir: Path) -> Path:
    """A staging folder holding out/ as it is (hard links): a stage that adds to a build."""
    stage = staging_dir(out_dir)
    for root, _, files in os.walk(out_dir):
        for name in files:
            source = Path(root) / name
            link_or_copy(source, stage / source.relative_to(out_dir))
    return stage


def publish(stage: Path, out_dir: Path, warn: Callable[[str], None] = lambda m: None) -> None:
    """Make ``stage`` the new out/ in one step; the previous out/ is removed afterwards."""
    (stage / STAGING_MARK).unlink()
    _fsync_tree(stage)
    if out_dir.exists() and _exchange(stage, out_dir):
        _discard(stage, warn)  # now holds the previous build
        return
    old = out_dir.parent / f".{out_dir.name}.old"
    _remove_ours(old)
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(stage, out_dir)
    _discard(old, warn)


def _discard(previous: Path, warn: Callable[[str], None]) -> None:
    """Remove the previous build; the new one is in place already, so a failure only warns."""
    if not previous.exists():
        return  # the first build: there was none
    try:
        _remove_marked_last(previous)
    except OSError:
        warn(f"警告: 无法删除上一次构建的结果 {display_path(previous)}（新结果已就位；下次构建会再试）")


def _remove_marked_last(folder: Path) -> None:
    """Remove a folder of ours so that a kill at any point leaves it recognisably ours: it is marked
    first and the mark goes last (rmtree's order could take the manifest, our other sign, first)."""
    mark = folder / STAGING_MARK
    mark.touch()
    for entry in sorted(folder.iterdir()):
        if entry == mark:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    mark.unlink()
    folder.rmdir()


def recover(out_dir: Path) -> None:
    """Clean up after a killed build: finish a half-done swap (systems without RENAME_EXCHANGE)
    and remove its staging folder, even when this build turns out to have nothing to do."""
    old = out_dir.parent / f".{out_dir.name}.old"
    if not out_dir.exists() and old.is_dir() and manifests.load(old) is not None:
        os.rename(old, out_dir)
    _remove_ours(old)
    _remove_ours(out_dir.parent / f".{out_dir.name}.staging")


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> Any:
    """Linux's renameat2, or None where the C library has none (macOS, Windows, old glibc)."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
    except OSError:
        return None
    return getattr(libc, "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False if unsupported:
    then publishing falls back to two renames, which recover() completes after a crash."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise os_error(OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno())), b)
