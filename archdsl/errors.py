"""The exceptions archdsl raises on purpose and the exit status each ends a command with; a
SpecError carries the findings that explain it. Bad input inside a spec is a finding, not an
exception (diagnostics.py)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagnostics import Finding


class ExitCode(enum.IntEnum):
    """What every command's exit status means."""

    CLEAN = 0  # nothing at or above --fail-on
    FINDINGS = 1  # findings at or above --fail-on, or a spec that cannot be loaded
    USAGE = 2  # a usage, configuration or internal error, or an output that cannot be written
    INTERRUPTED = 130  # SIGINT or SIGTERM, after cleaning up (128 + SIGINT)
    BROKEN_PIPE = 141  # the reader of the output went away, as for any Unix tool (128 + SIGPIPE)


class ArchError(Exception):
    """Base of every error archdsl raises on purpose; the CLI turns it into its exit code."""

    exit_code = ExitCode.USAGE


class SpecError(ArchError):
    """A spec could not be loaded: syntax, references, unreadable files."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        first = findings[0] if findings else None
        text = f"{first.span}: {first.code} {first.message}" if first else "invalid spec"
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(text + more)


class ConfigError(ArchError):
    """Bad settings or command-line usage."""
