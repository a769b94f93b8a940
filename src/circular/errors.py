"""User-facing errors: one Chinese line, editor-clickable, never a traceback."""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a source file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


def display_path(path: Path | str) -> str:
    """Paths in messages are relative to the working directory when possible. A symlink is named
    as the user wrote it, not as what it points to."""
    p = Path(path)
    for absolute, cwd in ((Path(os.path.abspath(p)), Path(os.path.abspath(Path.cwd()))),
                          (p.resolve(), Path.cwd().resolve())):
        try:
            return str(absolute.relative_to(cwd))
        except ValueError:
            continue
    return str(p)


class CircularError(Exception):
    """A mistake the user can fix: bad data, a missing file, a broken template."""

    exit_code = EXIT_USAGE

    def __init__(self, where: Where | str | None, message: str, fix: str = ""):
        self.where = where
        self.message = message
        self.fix = fix
        super().__init__(self.line())

    def __reduce__(self):
        # raised in a worker process of a parallel build, it must cross back intact
        return (self.__class__, (self.where, self.message, self.fix))

    def line(self) -> str:
        text = self.message
        if self.fix:
            text += f"（{self.fix}）"
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}错误: {text}"


class DataError(CircularError):
    """The data under data/ is wrong."""


class DataErrors(DataError):
    """Several mistakes in the data, reported together sorted by file:line, so one run shows them all."""

    CAP = 20

    def __init__(self, errors: list[CircularError]):
        unique = {e.line(): e for e in errors}
        self.errors = sorted(unique.values(), key=_position)
        first = self.errors[0]
        super().__init__(first.where, first.message, first.fix)

    def __reduce__(self):
        return (self.__class__, (self.errors,))

    def line(self) -> str:
        shown = [e.line() for e in self.errors[:self.CAP]]
        if len(self.errors) > self.CAP:
            shown.append(f"……另有 {len(self.errors) - self.CAP} 处错误未列出（请先改正以上各处）")
        return "\n".join(shown)


def _position(error: CircularError) -> tuple[str, int, int]:
    where = error.where
    if isinstance(where, Where):
        return where.path, where.line, where.column
    return str(where or ""), 0, 0


class Gather:
    """Collect the data errors of independent steps and raise them together at the end:
    ``with bag.step(): …`` for each step, then ``bag.check()``."""

    def __init__(self) -> None:
        self.errors: list[CircularError] = []

    @contextmanager
    def step(self) -> Iterator[None]:
        try:
            yield
        except DataErrors as exc:
            self.errors.extend(exc.errors)
        except DataError as exc:
            self.errors.append(exc)

    def check(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DataErrors(self.errors)


class ToolError(CircularError):
    """A tool we depend on (LibreOffice, fonts) is missing or failed."""


# errno -> (what happened, how to fix it), in the user's words rather than the C library's
_OS_ERRORS = {
    errno.ENOSPC: ("磁盘空间不足", "请清理磁盘后重试；上一次完整构建的结果没有改动"),
    errno.EDQUOT: ("超出磁盘配额", "请清理磁盘后重试"),
    errno.EACCES: ("没有权限", "请检查该文件或目录的权限"),
    errno.EPERM: ("操作不被允许", "请检查该文件或目录的权限"),
    errno.EROFS: ("所在的文件系统是只读的", "请换一个可写的位置"),
    errno.ENOENT: ("文件或目录不存在", "请检查路径"),
    errno.EISDIR: ("这里应是文件，却是一个目录", "请移走或改名该目录"),
    errno.ENOTDIR: ("路径中有一段是文件，不是目录", "请检查路径"),
    errno.ENAMETOOLONG: ("文件名过长", "请缩短名称"),
    errno.EEXIST: ("文件已存在", "请换一个名称"),
    errno.ENOTEMPTY: ("目录不是空的", "请检查该目录"),
    errno.EBUSY: ("文件或目录正被占用", "请关闭占用它的程序后重试"),
    errno.EMFILE: ("同时打开的文件过多", "请关闭其他程序后重试"),
    errno.EIO: ("读写出错（磁盘或网络故障）", "请检查磁盘后重试"),
    errno.ELOOP: ("符号链接形成了循环", "请检查该路径上的符号链接"),
    errno.EXDEV: ("不能跨文件系统移动", "请把输出目录放在项目所在的磁盘上"),
}


def os_error(exc: OSError, path: Path | str | None = None) -> CircularError:
    """An OSError as one Chinese line naming the file (never the C library's English text)."""
    what, fix = _OS_ERRORS.get(exc.errno or 0, ("无法读写文件", "请检查磁盘和权限后重试"))
    target = path if path is not None else exc.filename
    where = Where(display_path(target)) if isinstance(target, (str, Path)) and str(target) else None
    return ToolError(where, what, fix)


def _env_number(name: str, parse, low: float, high: float, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or not low <= value <= high:
        raise CircularError(Where(f"环境变量 {name}"), f"取值“{raw[:40]}”不正确",
                            f"应为 {low:g}–{high:g} 之间的数，或不设置")
    return value


def env_int(name: str, default: int, low: int, high: int) -> int:
    """An integer setting from the environment (CIRCULAR_JOBS …), refused in Chinese when garbage."""
    return _env_number(name, int, low, high, default)


def env_float(name: str, default: float | None, low: float, high: float) -> float | None:
    return _env_number(name, float, low, high, default)
