"""The change as a picture: a Mermaid flowchart of what a diff added, removed and changed, the
direct neighbours faded around it and each new finding marked on its element. GitHub draws
Mermaid in pull-request comments, so a reviewer sees the change, not only reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..render.exports import mermaid_text

MAX_NODES = 60  # a picture larger than this is the changed elements only, and a count of the rest

CLASSES = {
    "added": "fill:#E6F6EC,stroke:#2F855A,stroke-width:3px,color:#1A202C",
    "removed": "fill:#FFF5F5,stroke:#C53030,stroke-width:2px,stroke-dasharray:5 3,color:#742A2A",
    "changed": "fill:#FAF5FF,stroke:#6B46C1,stroke-width:3px,color:#1A202C",
    "context": "fill:#F7FAFC,stroke:#CBD5E0,color:#718096",
}
LINKS = {"added": "stroke:#2F855A,stroke-width:3px", "removed": "stroke:#C53030,stroke-width:2px,stroke-dasharray:5 3",
         "changed": "stroke:#6B46C1,stroke-width:3px", "context": "stroke:#CBD5E0"}
MARK = {"added": "+ added", "removed": "− removed", "changed": "~ changed"}
KEY = ("green: added · red, dashed: removed · purple: changed · grey: unchanged neighbours · "
       "⚠: a new finding")


@dataclass
class Picture:
    """The Mermaid source of the change, and what it leaves out (said under it)."""

    source: str = ""
    left_out: str = ""
    marks: dict[str, str] = field(default_factory=dict)  # qid -> added / removed / changed
    findings: dict[str, list[str]] = field(default_factory=dict)  # qid -> codes of its new findings
    context: set[str] = field(default_factory=set)  # the unchanged neighbours drawn
    focus: set[str] = field(default_factory=set)  # what the change touches: marked, ends of changed relations


def flag(codes: list[str]) -> str:
    """The new findings of an element, as the picture marks it: the three worst, and how many more."""
    more = f" +{len(codes) - 3}" if len(codes) > 3 else ""
    return "⚠ " + " ".join(codes[:3]) + more


def change_picture(diff, base, head, relations_before: dict, relations_after: dict) -> Picture:
    """The picture of `diff` (an ArchDiff of `base` to `head`); `relations_*` are the two
    workspaces' relations by their diff key (`a -> b`, `a -> b #2`)."""
    picture = Picture()
    marks = picture.marks
    for entry in diff.added:
        marks[entry.id] = "added"
    for entry in diff.removed:
        marks[entry.id] = "removed"
    for change in diff.changed:
        marks.setdefault(change.id, "changed")
    added = set(relations_after.keys() - relations_before.keys())
    removed = set(relations_before.keys() - relations_after.keys())
    changed = {c.id for c in diff.relations_changed}
    ends = [relations_after[k] for k in sorted(added | changed)] + [relations_before[k] for k in sorted(removed)]
    focus = dict.fromkeys(q for q in marks)
    for relation in ends:
        focus.update(dict.fromkeys((relation.source, relation.target)))
    for finding in sorted(diff.new_findings, key=lambda f: (-f.severity.rank, f.code)):  # the worst first
        if finding.element in head.graph:
            codes = picture.findings.setdefault(finding.element, [])
            if finding.code not in codes:
                codes.append(finding.code)
            focus.setdefault(finding.element)
    if not focus:
        return picture
    picture.focus = set(focus)
    drawn = _bounded(picture, list(focus), _neighbours(focus, marks, base.graph, head.graph))
    picture.source = _mermaid(picture, sorted(drawn), base, head, relations_before, relations_after,
                              added, removed, changed)
    return picture


def _neighbours(focus: dict[str, None], marks: dict[str, str], before, after) -> list[str]:
    """The unchanged elements next to what the change touches, in the graph each one lives in."""
    found: dict[str, None] = {}
    for qid in focus:
        graph = before if marks.get(qid) == "removed" else after
        if qid in graph:
            for other in (*graph.predecessors(qid), *graph.successors(qid)):
                if other not in focus:
                    found.setdefault(other)
    return list(found)


def _bounded(picture: Picture, drawn: list[str], neighbours: list[str]) -> list[str]:
    """What is drawn within MAX_NODES: the change with its neighbours, else the change alone, else
    the first of the change; what is left out is said under the picture."""
    if len(drawn) + len(neighbours) <= MAX_NODES:
        picture.context = set(neighbours)
        return drawn + neighbours
    if len(drawn) <= MAX_NODES:
        picture.left_out = f"{len(neighbours)} unchanged neighbours are not drawn (more than {MAX_NODES} elements)."
        return drawn
    picture.left_out = (f"{len(drawn) - MAX_NODES} more changed elements and their neighbours are not drawn "
                        f"(more than {MAX_NODES} elements).")
    return sorted(drawn)[:MAX_NODES]


def _element(qid: str, base, head, removed: bool):
    for workspace in ((base, head) if removed else (head, base)):
        if qid in workspace.graph:
            return workspace.graph.nodes[qid]
    return None


def _label(qid: str, data, picture: Picture) -> str:
    mark = picture.marks.get(qid)
    parts = []
    if data is None:
        parts.append(qid)
    elif data["type"] == "actor":
        parts.append(f"☺ {data['element'].label}")
    else:
        element = data["element"]
        parts += [element.label, f"{element.kind} · {element.effective_state or 'state unknown'}"]
    if mark:
        parts.append(MARK[mark])
    if qid in picture.findings:
        parts.append(flag(picture.findings[qid]))
    return "<br/>".join(mermaid_text(part) for part in parts)


def _mermaid(picture: Picture, drawn: list[str], base, head, relations_before, relations_after,
             added: set[str], removed: set[str], changed: set[str]) -> str:
    ids = {qid: f"n{index}" for index, qid in enumerate(drawn)}
    out = ["flowchart TB"]
    out += [f"  classDef {name} {style}" for name, style in CLASSES.items()]
    for qid in drawn:
        data = _element(qid, base, head, picture.marks.get(qid) == "removed")
        out.append(f'  {ids[qid]}["{_label(qid, data, picture)}"]')
    links: list[tuple[str, str, str, str]] = []  # (source, target, label, style)
    def shown(r) -> bool:  # between two drawn elements, one of them what the change touches
        return r.source in ids and r.target in ids and (r.source in picture.focus or r.target in picture.focus)

    for key in sorted(relations_after):
        r = relations_after[key]
        if shown(r):
            how = "added" if key in added else "changed" if key in changed else "context"
            links.append((r.source, r.target, r.label, how))
    for key in sorted(removed):
        r = relations_before[key]
        if shown(r):
            links.append((r.source, r.target, r.label, "removed"))
    styles = []
    for index, (source, target, label, how) in enumerate(links):
        arrow = "-.->" if how == "removed" else "-->"
        words = " · ".join(w for w in (label, {"added": "added", "removed": "removed", "changed": "changed"}.get(how, ""))
                           if w)
        text = f'|"{mermaid_text(words)}"|' if words else ""
        out.append(f"  {ids[source]} {arrow}{text} {ids[target]}")
        styles.append(f"  linkStyle {index} {LINKS[how]}")
    out += styles
    by_class: dict[str, list[str]] = {}
    for qid in drawn:
        name = picture.marks.get(qid) or ("context" if qid in picture.context else None)
        if name:
            by_class.setdefault(name, []).append(ids[qid])
    out += [f"  class {','.join(members)} {name}" for name, members in sorted(by_class.items())]
    return "\n".join(out) + "\n"
