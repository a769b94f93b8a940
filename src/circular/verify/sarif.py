"""SARIF 2.1.0 for layout checks, so CI can annotate the files that fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..sarifbase import artifact, log
from .rules import FAIL, Result


def layout_sarif(report: list[tuple[Path, list[Result]]]) -> dict[str, Any]:
    """A PDF has no lines: each failure's location names the page and the element (the rule's first
    word: mark, number, signature …) as a logical location and in the region's properties."""
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
            element = r.rule.split(".", 1)[0]
            region: dict[str, Any] = {"startLine": 1, "properties": {"element": element}}
            if r.page:
                region["properties"]["page"] = r.page
            results.append({
                "ruleId": r.rule,
                "level": "error",
                "message": {"text": f"{where}{r.name}：实测 {r.measured}；要求 {r.expected}"},
                "locations": [{
                    "physicalLocation": {"artifactLocation": artifact(path), "region": region},
                    "logicalLocations": [{"name": f"第{r.page}页/{element}" if r.page else element,
                                          "kind": "element"}],
                }],
            })
    return log("circular", list(rules.values()), results)
