"""User-facing errors: one Chinese line, editor-clickable, never a traceback."""

from __future__ import annotations

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
    """Paths in messages are relative to the working directory when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
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


class ToolError(CircularError):
    """A tool we depend on (LibreOffice, fonts) is missing or failed."""
