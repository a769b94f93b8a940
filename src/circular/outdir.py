"""out/: written whole or not at all, with a manifest describing every file in it."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import CircularError, Where, display_path

MANIFEST = "manifest.json"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_name(text: str, limit: int = 120) -> str:
    """A file-name stem from data text: no separators, no control characters, never '..'."""
    name = _UNSAFE.sub("_", text).strip(" .")
    name = name[:limit].rstrip(" .")
    return name or "_"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST
    if not path.exists():
        raise CircularError(Where(display_path(path)), "找不到构建清单", "请先运行 make circular（或 circular build）")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CircularError(Where(display_path(path)), f"构建清单已损坏：{exc}", "请重新运行 make circular") from None


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Replace out/manifest.json in place (a reader sees the old or the new one), streamed:
    10,000 entries never become one string."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@contextmanager
def writing(out_dir: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """One writer of out/ at a time per checkout: builds share the staging folder, and two
    builds allocating 发文字号 at once would both append to the register. A second writer calls
    ``waiting`` and waits its turn; the lock goes with the process, even when it is killed."""
    lock = out_dir.parent / f".{out_dir.name}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def staging_dir(out_dir: Path) -> Path:
    """A fresh folder beside out/ (same file system, so it can be swapped in)."""
    stage = out_dir.parent / f".{out_dir.name}.staging"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    return stage


def publish(stage: Path, out_dir: Path) -> None:
    """Make ``stage`` the new out/ in one step; the previous out/ is removed afterwards."""
    _fsync_tree(stage)
    if out_dir.exists() and _exchange(stage, out_dir):
        shutil.rmtree(stage)  # now holds the previous build
        return
    old = out_dir.parent / f".{out_dir.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(stage, out_dir)
    if old.exists():
        shutil.rmtree(old)


def recover(out_dir: Path) -> None:
    """Clean up after a killed build: finish a half-done swap (systems without RENAME_EXCHANGE)
    and remove its staging folder, even when this build turns out to have nothing to do."""
    old = out_dir.parent / f".{out_dir.name}.old"
    if not out_dir.exists() and old.exists():
        os.rename(old, out_dir)
    stage = out_dir.parent / f".{out_dir.name}.staging"
    if stage.exists():
        shutil.rmtree(stage)


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


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
