"""What the lint and layout SARIF logs share: the log around the results, and file locations as
paths relative to the repository root (what code scanning matches against its checkout)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder up from ``start`` (the working directory) holding .git; else ``start``."""
    here = Path(os.path.abspath(start or Path.cwd()))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def artifact(path: Path | str) -> dict[str, str]:
    """An artifactLocation: the file relative to the repository root, "/" separated."""
    absolute = Path(os.path.abspath(path))
    root = repository_root()
    try:
        return {"uri": absolute.relative_to(root).as_posix()}
    except ValueError:
        return {"uri": Path(path).as_posix()}


def log(tool: str, rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": tool, "version": __version__, "rules": rules}}, "results": results}],
    }
