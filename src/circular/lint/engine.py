"""The lint engine: runs the rules in order over a corpus, with the house's severities."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import DataError
from ..load.schema import LintFile
from ..load.yamlsrc import parse_yaml, validate
from .corpus import HOUSE_FILE, SEVERITIES, WARNING, Finding, corpus, forget_sources
from .rules import RULES


def house_rules(data_dir: Path) -> dict[str, str | None]:
    """data/lint.yaml: {rule id: 错误 | 警告 | 提示 | off}."""
    path = data_dir / HOUSE_FILE
    if not path.exists():
        return {}
    doc = parse_yaml(path)
    rules = validate(LintFile, doc).rules
    known = [r.id for r in RULES]
    out: dict[str, str | None] = {}
    for rule_id, value in rules.items():
        if rule_id not in known:
            close = difflib.get_close_matches(str(rule_id), known, n=1)
            raise DataError(doc.key_where(("rules",), rule_id), f"未知的检查规则“{rule_id}”",
                            f"是否应为“{close[0]}”？" if close else "规则名见 circular lint --list")
        value = str(value)
        if value not in (*SEVERITIES, "off"):
            raise DataError(doc.where(("rules", rule_id)), f"规则“{rule_id}”的级别“{value}”不正确",
                            "只能是 错误、警告、提示 或 off")
        out[rule_id] = None if value == "off" else value
    return out


def lint(data_dir: Path) -> list[Finding]:
    forget_sources()
    found = corpus(data_dir)
    overrides = house_rules(data_dir)
    findings = []
    for spec in RULES:
        severity = overrides.get(spec.id, spec.severity)
        if severity is None:
            continue
        for where, message, fix in spec.check(found):
            findings.append(Finding(spec.id, severity, where, message, fix))
    unique = {(f.rule, str(f.where), f.message): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.where.path, f.where.line, f.where.column, f.rule))




def placeholders(data_dir: Path) -> list[Finding]:
    """The 待填 and other placeholders left in the data (what a build warns about)."""
    forget_sources()
    spec = next(r for r in RULES if r.id == "leftover")
    return [Finding(spec.id, WARNING, where, message, fix) for where, message, fix in spec.check(corpus(data_dir))]
