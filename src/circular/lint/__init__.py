"""lint: the slips reviewers catch by eye, found in the data, each tied to file:line:column.

Rules are small functions over a corpus of text units (every prose value of the data with its
position) and the loaded documents; severities come from the rule and a house-rules file
(data/lint.yaml) can switch rules off or change their severity.
"""

from __future__ import annotations

from .corpus import ERROR, NOTE, SEVERITIES, WARNING, Finding
from .engine import lint

__all__ = ["ERROR", "NOTE", "SEVERITIES", "WARNING", "Finding", "lint"]
