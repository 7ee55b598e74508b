"""What a preview shows about the element clicked in a drawing: its state and why, what it keeps,
what it calls and what calls it, and the findings about it; plain data for a page to show."""

from __future__ import annotations

from typing import Any


def element_facts(workspace, findings, qid: str) -> dict[str, Any] | None:
    """The facts of element `qid` (a component or an actor), or None when there is none."""
    element = next((e for s in workspace.systems for e in s.elements() if e.qid == qid), None)
    if element is None:
        return None
    facts: dict[str, Any] = {
        "id": qid, "title": element.label, "description": getattr(element, "description", ""),
        "file": element.span.file, "line": element.span.line, "column": element.span.column,
    }
    if hasattr(element, "effective_state"):
        facts.update(kind=element.kind, layer=element.layer or "",
                     state=element.effective_state or "unknown", state_source=element.state_source,
                     keeps=[keep.describe() for keep in element.keeps])
    else:
        facts.update(kind=getattr(element, "kind", "") or "actor")
    relations = [r for s in workspace.systems for r in s.relations]
    facts["calls"] = [_relation(r, r.target) for r in relations if r.source == qid]
    facts["called_by"] = [_relation(r, r.source) for r in relations if r.target == qid]
    facts["findings"] = [{"code": f.code, "severity": f.severity.value, "message": f.message, "hint": f.hint,
                          "line": f.span.line, "column": f.span.column}
                         for f in findings if f.element == qid]
    return facts


def _relation(relation, other: str) -> dict[str, str]:
    return {"id": other, "label": relation.label, "how": relation.how}
