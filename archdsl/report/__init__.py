"""Findings in, text out: one module per output format."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "junit")


def summary_counts(findings) -> dict[str, int]:
    """How many findings of each severity."""
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for finding in findings:
        counts[finding.severity.value + "s"] += 1
    return counts


def render(fmt: str, result, *, colour: bool = False) -> str:
    """The report of a check in one of `FORMATS`."""
    if fmt == "text":
        from . import text

        sources = {name: body for ws in result.workspaces for name, body in ws.sources.items()}
        return text.render(result.findings, result.files, colour=colour, suppressed=result.suppressed,
                           baselined=result.baselined, sources=sources)
    if fmt == "json":
        from . import jsonfmt

        return jsonfmt.render(result.findings, result.files)
    if fmt == "sarif":
        from . import sarif

        return sarif.render(result.findings, result.files)
    if fmt == "github":
        from . import github

        return github.render(result.findings, result.files)
    from . import junit

    files = sorted({f for ws in result.workspaces for f in ws.files})
    return junit.render(result.findings, result.files, files)
