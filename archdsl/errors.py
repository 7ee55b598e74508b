"""Exceptions that cross module boundaries; each carries the findings that explain it."""

from __future__ import annotations

from .diagnostics import Finding


class ArchError(Exception):
    """Base of every error archdsl raises on purpose; the CLI turns it into exit 2 or 1."""

    exit_code = 2


class SpecError(ArchError):
    """A spec could not be loaded: syntax, references, unreadable files."""

    exit_code = 1

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        first = findings[0] if findings else None
        text = f"{first.span}: {first.code} {first.message}" if first else "invalid spec"
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(text + more)


class ConfigError(ArchError):
    """Bad settings or command-line usage."""
