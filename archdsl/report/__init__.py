"""Findings in, text out: one module per output format."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..checker import CheckResult



def summary_counts(findings) -> dict[str, int]:
    """How many findings of each severity."""
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for finding in findings:
        counts[finding.severity.value + "s"] += 1
    return counts


class Reporter(Protocol):
    """What every report format provides: a check's result in, the text to print out."""

    def __call__(self, result: CheckResult, *, colour: bool = False) -> str: ...


# format -> the module whose `report` writes it (imported when the format is asked for, so
# that `check` loads only the reporter it uses)
REPORTERS = {"text": "text", "json": "jsonfmt", "sarif": "sarif", "github": "github", "junit": "junit"}
FORMATS = tuple(REPORTERS)


def reporter(fmt: str) -> Reporter:
    return importlib.import_module(f"{__name__}.{REPORTERS[fmt]}").report


def render(fmt: str, result: CheckResult, *, colour: bool = False) -> str:
    """The report of a check in one of `FORMATS`."""
    return reporter(fmt)(result, colour=colour)
