"""Findings in, text out: one module per output format."""

from __future__ import annotations

FORMATS = ("text", "json")


def summary_counts(findings) -> dict[str, int]:
    """How many findings of each severity."""
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for finding in findings:
        counts[finding.severity.value + "s"] += 1
    return counts
