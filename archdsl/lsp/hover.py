"""Hover: a finding's rule, an element (its kind, state and why, what it keeps, the decisions
that affect it), or an attribute keyword (what it means in its block, the values it takes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..parsing.statements import ATTRS, MODELS
from ..rules import all_rules
from . import constraints
from .text import context, name_at

if TYPE_CHECKING:
    from ..diagnostics import Finding
    from .analyses import Analysis


def hover_text(analysis: Analysis, path: Path, lines: list[str], line: int, column: int) -> str | None:
    """What to show on hovering at code point `column` of `line` (0-based) of a document."""
    finding = _finding_at(analysis.findings.get(path.resolve(), []), line, column)
    if finding is not None:
        return _about_finding(finding)
    found = name_at(lines[line], column) if line < len(lines) else None
    if found is not None:  # a word of a constraint: its statement, selector or id
        word, start = found
        block, words, _ = context("\n".join(lines[:line] + [lines[line][:start]]))
        policy = constraints.hover(analysis, block, _selector_at(lines[line], start, word), words)
        if policy is not None:
            return policy
    element = analysis.element_at(path, lines[line] if line < len(lines) else "", column)
    if element is not None:
        return _about_element(analysis, element)
    return _about_attribute(lines, line, column)


def _finding_at(findings: list[Finding], line: int, column: int) -> Finding | None:
    for f in findings:
        span = f.span
        if span.line - 1 <= line <= span.end_line - 1 and (span.line - 1 < line or column >= span.column - 1):
            return f
    return None


def _about_finding(finding: Finding) -> str:
    rule = next((r for r in all_rules() if r.code == finding.code), None)
    about = (rule.__doc__ or "").strip().split("\n\n")[0] if rule else ""
    return f"**{finding.code}** {finding.message}\n\n{about}".strip()


def _about_element(analysis: Analysis, element) -> str:
    lines = [f"**{element.label}** `{getattr(element, 'qid', element.id)}`"]
    kind = getattr(element, "kind", None)
    if kind:
        lines.append(f"kind: {kind}")
    if hasattr(element, "effective_state"):
        lines.append(f"state: {element.effective_state or 'unknown'} ({element.state_source})")
        lines += [f"keeps {keep.describe()}" for keep in element.keeps]
        system = analysis.elements[element.qid.split(".")[0]]
        lines += [f"decision {d.id}: {d.title} ({d.status})"
                  for d in system.decisions_affecting().get(element.qid, [])]
    if getattr(element, "description", ""):
        lines.append(element.description)
    return "\n\n".join(lines)


def _selector_at(line: str, start: int, word: str) -> str:
    """`layer:edge` when the name at `start` is either half of one, else the name itself."""
    if line[start + len(word): start + len(word) + 1] == ":":
        after = name_at(line, start + len(word) + 1)
        return f"{word}:{after[0]}" if after else word
    if start > 0 and line[start - 1] == ":":
        before = name_at(line, start - 1)
        return f"{before[0]}:{word}" if before else word
    return word


def _about_attribute(lines: list[str], line: int, column: int) -> str | None:
    """What an attribute keyword means in the block it stands in, and the values it takes."""
    if line >= len(lines):
        return None
    found = name_at(lines[line], column)
    if found is None:
        return None
    word, start = found
    block, words, _ = context("\n".join(lines[:line] + [lines[line][:start]]))
    attr = ATTRS.get(block, {}).get(word)
    if attr is None or words:
        return None
    owner = MODELS.get(block)
    info = owner.model_fields.get(attr.field) if owner is not None else None
    text = [f"**{word}** ({block})"]
    if info is not None and info.description:
        text.append(info.description)
    choices = getattr(attr.read, "choices", ())
    if choices:
        text.append("values: " + ", ".join(f"`{c}`" for c in choices))
    return "\n\n".join(text)
