"""Runs a check over spec paths and returns sorted findings with the files they cover."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Finding, Severity


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    workspaces: list = field(default_factory=list)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)


def check_paths(paths: list[Path]) -> CheckResult:
    """Load each path as its own spec root and collect every finding, sorted."""
    from . import load

    result = CheckResult()
    findings: list[Finding] = []
    for path in paths:
        workspace = load(path, strict=False)
        result.workspaces.append(workspace)
        result.files += len(workspace.files)
        findings.extend(workspace.findings)
    result.findings = sorted(set(findings), key=lambda f: f.sort_key)
    return result
