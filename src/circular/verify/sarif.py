"""SARIF 2.1.0 for layout checks, so CI can annotate the files that fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__
from .rules import FAIL, Result

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def layout_sarif(report: list[tuple[Path, list[Result]]]) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for path, checked in report:
        for r in checked:
            rules.setdefault(r.rule, {
                "id": r.rule,
                "shortDescription": {"text": r.name},
                "properties": {"clause": f"GB/T 9704—2012 {r.clause}".strip()},
            })
            if r.status != FAIL:
                continue
            where = f"第{r.page}页：" if r.page else ""
            results.append({
                "ruleId": r.rule,
                "level": "error",
                "message": {"text": f"{where}{r.name}：实测 {r.measured}；要求 {r.expected}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": Path(path).as_posix()}}}],
            })
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "circular", "version": __version__, "rules": list(rules.values())}},
            "results": results,
        }],
    }
