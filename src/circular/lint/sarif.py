"""Lint findings as SARIF 2.1.0, so CI annotates the data lines that cause them."""

from __future__ import annotations

from typing import Any

from ..sarifbase import artifact, log
from .corpus import ERROR, NOTE, WARNING, Finding
from .rules import RULES

LEVELS = {ERROR: "error", WARNING: "warning", NOTE: "note"}


def lint_sarif(findings: list[Finding]) -> dict[str, Any]:
    rules = [{"id": r.id, "shortDescription": {"text": r.title},
              "defaultConfiguration": {"level": LEVELS[r.severity]}} for r in RULES]
    index = {r.id: i for i, r in enumerate(RULES)}
    results = []
    for f in findings:
        region = {"startLine": max(1, f.where.line)}
        if f.where.column:
            region["startColumn"] = f.where.column
        message = f.message + (f"（{f.fix}）" if f.fix else "")
        results.append({
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVELS[f.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact(f.where.path), "region": region}}],
        })
    return log("circular-lint", rules, results)
