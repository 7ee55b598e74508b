"""`archdsl recommend`: the decision matrix's answer for every component, with its reasons."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .analysis.matrix import explain, recommend
from .workspaces import load


@dataclass(frozen=True)
class Row:
    component: str
    title: str
    recommended: str
    declared: str | None
    effective: str | None
    reasons: tuple[str, ...]
    summary: str
    votes: tuple


def recommend_paths(paths: list[Path]) -> tuple[list[Row], list]:
    """Rows for every component under the paths, and the load errors met on the way."""
    rows, errors = [], []
    for path in paths:
        ws = load(path, strict=False)
        errors.extend(ws.errors)
        for system in ws.systems:
            for c in system.components:
                rec = recommend(c)
                rows.append(Row(c.qid, c.label, rec.recommended, c.state, c.effective_state,
                                tuple(rec.reasons), explain(rec), rec.votes))
    return sorted(rows, key=lambda r: r.component), errors


def render_json(rows: list[Row]) -> str:
    document = {"recommendations": [
        {
            "component": r.component,
            "recommended": r.recommended,
            "declared": r.declared,
            "effective": r.effective,
            "summary": r.summary,
            "reasons": list(r.reasons),
            "votes": [{"criterion": v.criterion, "vote": v.vote, "reason": v.reason} for v in r.votes],
        }
        for r in rows
    ]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def shown_state(r: Row) -> str:
    """`stateless (declared stateless)`, `managed (data system)`, `stateful (declared stateless) <- disagrees`."""
    if r.effective == "managed" or r.declared == "managed":
        return "managed (declared)" if r.declared == "managed" else "managed (data system)"
    declared = f"declared {r.declared}" if r.declared else f"{r.effective or 'unknown'} by default"
    agree = "" if not r.declared or r.declared == r.recommended else "  <- disagrees"
    return f"{r.recommended} ({declared}){agree}"


def render_text(rows: list[Row]) -> str:
    out = []
    for r in rows:
        out.append(f"{r.component}: {shown_state(r)}")
        out.append(f"    {r.summary}")
        for v in r.votes:
            if v.vote:
                out.append(f"    {'+' if v.vote == 'stateless' else '*'} {v.criterion}: {v.vote} - {v.reason}")
        out.append("")
    out.append(f"{len(rows)} components.")
    return "\n".join(out) + "\n"
