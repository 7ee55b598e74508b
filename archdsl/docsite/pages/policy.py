"""The policy page: each of the team's own constraints, what it checks, where it is broken and
where a breach is allowed."""

from __future__ import annotations

from ... import markup
from ...policy import CODES
from .common import front_matter, severity_badge


def policy_page(constraints, findings, allowed, rules_link: str) -> str:
    """`constraints` each once; `findings` the CT findings of the site; `allowed` (element or
    relation key, Allow) of each `allow CT9xx` written in the specs."""
    out = [front_matter("Policy"), "# Policy: the team's own rules\n\n",
           "The constraints written in the specs, checked like the built-in "
           f"[rules]({rules_link}/index.md) on every change: what each one checks, where it is broken, "
           "and where a breach is allowed, with the reason given.\n\n",
           "| Constraint | Severity | Holds for | Broken |\n", "|---|---|---|---|\n"]
    by_place: dict[tuple[str, str], list] = {}  # (constraint id, system): two systems may share an id
    for f in findings:
        by_place.setdefault((f.detail, f.element.split(".")[0]), []).append(f)
    broken_by = {id(c): [f for sid in c.applies_to for f in by_place.get((c.id, sid), ())] for c in constraints}
    for c in constraints:
        broken = len(broken_by[id(c)])
        out.append(f"| [{markup.inline(c.title or c.id)}](#{_anchor(c)}) | {severity_badge(c.severity)} | "
                   f"{markup.inline(', '.join(c.applies_to) or '—')} | {broken or 'nowhere'} |\n")
    for c in constraints:
        out.append(_section(c, broken_by[id(c)], allowed, rules_link))
    return "".join(out)


def _section(c, findings, allowed, rules_link: str) -> str:
    shared = "shared at the top of the file" if c.system is None else f"in system `{markup.esc(c.system)}`"
    out = [f"\n## {markup.inline(c.title or c.id)} {{#{_anchor(c)}}}\n\n",
           f"`{markup.esc(c.id)}` · {severity_badge(c.severity)} · "
           f"{markup.literal(f'{c.file}:{c.span.line}')}, {shared}\n\n"]
    if c.description:
        out.append(f"{markup.prose(c.description)}\n\n")
    out.append("| Rule | Checks | Written |\n|---|---|---|\n")
    for clause in c.clauses:
        code = CODES[clause.verb]
        out.append(f"| [{code}]({rules_link}/{code}.md) | {markup.inline(clause.words())} | "
                   f"{markup.literal(clause.text)} (line {clause.span.line}) |\n")
    if findings:
        out.append("\n**Broken at**\n\n| Where | What |\n|---|---|\n")
        for f in findings:
            out.append(f"| {markup.literal(f'{f.span.file}:{f.span.line}')} | {markup.inline(f.message)} |\n")
    else:
        out.append("\nBroken nowhere.\n")
    codes = set(c.codes())
    excused = [(key, allow) for key, allow in allowed if allow.code in codes and _holds(c, key)]
    if excused:
        out.append("\n**Allowed at**\n\n| Where | Rule | Why |\n|---|---|---|\n")
        for key, allow in excused:
            out.append(f"| {markup.literal(key)} | {allow.code} | {markup.inline(allow.reason)} |\n")
    return "".join(out)


def _holds(constraint, key: str) -> bool:
    return key.split(".", 1)[0] in constraint.applies_to


def _anchor(constraint) -> str:
    """The section's anchor: the constraint's id and where it stands (two systems may share an id)."""
    ident = f"{constraint.id}-{constraint.system or constraint.file}"
    return "policy-" + "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in ident.lower())
