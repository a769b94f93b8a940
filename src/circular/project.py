"""A project: the folder holding data/ and templates/ (an office's checkout), and its lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import CircularError, Where, display_path, os_error

LOCK_NAME = ".circular.lock"
REGISTER_FILE = "register.yaml"  # the 发文登记, in data/


@dataclass(frozen=True)
class Project:
    data: Path  # as given (relative paths stay relative: messages show them so)

    @classmethod
    def of(cls, data_dir: Path) -> Project:
        return cls(Path(data_dir))

    @property
    def root(self) -> Path:
        return self.data.resolve().parent

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def register(self) -> Path:
        return self.data / REGISTER_FILE

    def protected(self) -> list[tuple[Path, str]]:
        """Folders an output folder may never be, contain or sit inside, with their names."""
        found = [(self.data.resolve(), f"数据目录 {display_path(self.data)}"),
                 (self.templates.resolve(), f"模板目录 {display_path(self.templates)}")]
        return found

    def roots(self) -> list[tuple[Path, str]]:
        """Folders an output folder may never be (or contain): the project, the repository, home, /."""
        found = [(self.root, "项目根目录"), (Path.cwd().resolve(), "当前目录"), (Path.home().resolve(), "用户主目录"),
                 (Path(self.root.anchor), "根目录")]
        top = git_top(self.root)
        if top is not None:
            found.append((top, "git 仓库根目录"))
        return found


def git_top(start: Path) -> Path | None:
    """The working tree holding ``start`` (a folder with .git), without running git."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


@contextmanager
def locked(path: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the lock file ``path`` (portable: flock on POSIX, msvcrt on Windows, via filelock); a
    second holder calls ``waiting`` and waits its turn. The lock goes with the process, even killed."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            waiting()
            lock.acquire()
    except IsADirectoryError:
        raise CircularError(Where(display_path(path)), "锁文件的位置被一个目录占用",
                            "这是 circular 自己的锁文件名，请删去或改名该目录") from None
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        yield
    finally:
        lock.release()


def project_lock(project: Project, waiting: Callable[[], None]):
    """Everything that allocates 发文字号 (build, new) holds this: no number is taken twice."""
    return locked(project.root / LOCK_NAME, waiting)
