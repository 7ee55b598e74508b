"""Machine-readable findings: the JSON shape other tools and the tests rely on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..checker import CheckResult

import json

from . import summary_counts


def render(findings, files: int) -> str:
    """`{"findings": [...], "summary": {"files", "errors", "warnings", "infos"}}`."""
    document = {
        "findings": [f.to_dict() for f in findings],
        "summary": {"files": files, **summary_counts(findings)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def report(result: CheckResult, *, colour: bool = False) -> str:
    return render(result.findings, result.files)
