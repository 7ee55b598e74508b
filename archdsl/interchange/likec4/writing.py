"""A workspace as a LikeC4 model (the mapping is in this package's docstring).

A specification of the kinds the spec uses (archdsl's component kinds, `actor` and `outside`
for people and outside parties, `system`), the model (a system's components inside it, a
component tagged `part-of:X` inside X), relations with their technology (`-[async]->` and
`-[background]->` for those), a view of the landscape, of each system and of each `view` block,
a dynamic view per flow; archdsl's facts, decisions included (LikeC4 has no place for them), as
metadata named `archdsl__…`, which an import reads back."""

from __future__ import annotations

import re

from ...render.views import build_scene
from ...version import __version__
from ..facts import component_facts, flatten, flow_facts, relation_facts, system_facts
from ..structurizr.writing import parents
from .reading import META_SEPARATOR

SHAPES = {"database": "storage", "object-store": "storage", "search": "storage", "cache": "storage",
          "queue": "queue", "stream": "queue", "frontend": "browser"}
INDENT = "  "


def _s(text) -> str:
    """A LikeC4 string: single quotes, its backslashes and quotes escaped (LikeC4 strings may
    span lines; Markdown keeps its line breaks)."""
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _tag(text: str) -> str:
    found = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return found if found[:1].isalpha() else f"t-{found}" if found else "tag"


def export_likec4(workspace) -> str:
    people: dict[str, object] = {}
    for system in workspace.systems:
        for actor in system.actors:
            people.setdefault(actor.id, actor)
    system_ids = {s.id for s in workspace.systems}
    names = {a: (f"{a}-actor" if a in system_ids else a) for a in people}
    kinds = sorted({c.kind for s in workspace.systems for c in s.components})
    tags = sorted({_tag(t) for s in workspace.systems for c in s.components for t in c.tags
                   if not t.startswith("part-of:")})
    spec = [f"{INDENT}element actor {{", f"{INDENT * 2}notation 'Person'", f"{INDENT * 2}style {{",
            f"{INDENT * 3}shape person", f"{INDENT * 2}}}", f"{INDENT}}}",
            f"{INDENT}element outside {{", f"{INDENT * 2}notation 'Outside system'", f"{INDENT}}}",
            f"{INDENT}element system"]
    for kind in kinds:
        shape = SHAPES.get(kind)
        spec += ([f"{INDENT}element {kind} {{", f"{INDENT * 2}style {{", f"{INDENT * 3}shape {shape}",
                  f"{INDENT * 2}}}", f"{INDENT}}}"] if shape else [f"{INDENT}element {kind}"])
    spec += [f"{INDENT}relationship async {{", f"{INDENT * 2}line dashed", f"{INDENT}}}",
             f"{INDENT}relationship background {{", f"{INDENT * 2}line dotted", f"{INDENT}}}"]
    spec += [f"{INDENT}tag {t}" for t in tags]
    model: list[str] = []
    for actor_id, actor in people.items():
        kind = "actor" if actor.kind == "person" else "outside"  # type: ignore[attr-defined]
        body = [f"description {_s(actor.description)}"] if actor.description else []  # type: ignore[attr-defined]
        model += _block(f"{names[actor_id]} = {kind} {_s(actor.title or actor_id)}", body, 1)  # type: ignore[attr-defined]
    relations: list[str] = []
    views = [f"{INDENT}view index {{", f"{INDENT * 2}title 'Landscape'", f"{INDENT * 2}include *", f"{INDENT}}}"]
    for system in workspace.systems:
        fqn = _fqns(system, names)
        model += _system(system)
        for relation in system.relations:
            relations += _relation(relation, fqn, workspace, names)
        views += [f"{INDENT}view {system.id} of {system.id} {{", f"{INDENT * 2}title {_s(system.title or system.id)}",
                  f"{INDENT * 2}include *", f"{INDENT}}}"]
        for view in system.views:
            shown = [fqn.get(q) or _fqn_elsewhere(workspace, q, names) for q in build_scene(workspace, system, view.id).nodes]
            views += [f"{INDENT}view {system.id}-{view.id} of {system.id} {{",
                      f"{INDENT * 2}title {_s(view.title or view.id)}",
                      f"{INDENT * 2}include {', '.join(q for q in shown if q)}", f"{INDENT}}}"]
        for flow in system.flows:
            steps = [f"{INDENT * 2}{fqn[s.source]} -> {fqn[s.target]}" + (f" {_s(s.label)}" if s.label else "")
                     for s in flow.steps]
            views += [f"{INDENT}dynamic view {flow.id} {{", f"{INDENT * 2}title {_s(flow.title or flow.id)}",
                      *steps, f"{INDENT}}}"]
    lines = [f"// LikeC4, exported by archdsl {__version__}", "", "specification {", *spec, "}", "",
             "model {", *model, *relations, "}", "", "views {", *views, "}"]
    return "\n".join(lines) + "\n"


def _block(head: str, body: list[str], depth: int) -> list[str]:
    pad = INDENT * depth
    if not body:
        return [pad + head]
    return [f"{pad}{head} {{", *(f"{INDENT * (depth + 1)}{line}" if line else "" for line in body), f"{pad}}}"]


def _metadata(facts: dict) -> list[str]:
    flat = flatten(facts)
    if not flat:
        return []
    return ["metadata {", *(f"{INDENT}{k.replace('.', META_SEPARATOR)} {_s(v)}" for k, v in flat.items()), "}"]


def _fqns(system, names: dict[str, str]) -> dict[str, str]:
    """Each element's full name in the model: `shop.api`, `shop.api.signin`; actors by name."""
    up = parents(system)
    out = {a.qid: names[a.id] for a in system.actors}
    for c in system.components:
        out[c.qid] = ".".join([system.id, *([up[c.id]] if c.id in up else []), c.id])
    return out


def _fqn_elsewhere(workspace, qid: str, names: dict[str, str]) -> str | None:
    here = workspace.system(qid.split(".", 1)[0])
    return _fqns(here, names).get(qid) if here is not None else None


def _system(system) -> list[str]:
    facts = system_facts(system)
    flows = {flow.id: found for flow in system.flows if (found := flow_facts(flow))}
    if flows:
        facts["flows"] = flows
    decisions = [_decision(d) for d in system.decisions]
    if decisions:
        facts["decisions"] = decisions
    up = parents(system)
    body = [f"description {_s(system.description)}"] if system.description else []
    body += _metadata(facts)
    for c in system.components:
        if c.id not in up:
            body += _component(c, system, up)
    return _block(f"{system.id} = system {_s(system.title or system.id)}", body, 1)


def _decision(d) -> dict:
    return {k: v for k, v in {"id": d.id, "title": d.title or None, "status": d.status, "date": d.date,
                               "context": d.context or None, "decision": d.decision or None,
                               "consequences": d.consequences or None, "supersedes": d.supersedes,
                               "affects": list(d.affects) or None}.items() if v is not None}


def _component(c, system, up: dict[str, str]) -> list[str]:
    body = []
    if c.tech:
        body.append(f"technology {_s(c.tech)}")
    if c.description:
        body.append(f"description {_s(c.description)}")
    own = [_tag(t) for t in c.tags if not t.startswith("part-of:")]
    if own:
        body.append(", ".join(f"#{t}" for t in dict.fromkeys(own)))
    if c.link:
        body.append(f"link {c.link}")
    body += _metadata(component_facts(c))
    for part in system.components:
        if up.get(part.id) == c.id:
            body += _component(part, system, up)
    return _block(f"{c.id} = {c.kind} {_s(c.title or c.id)}", body, 0)


def _relation(relation, fqn: dict[str, str], workspace, names) -> list[str]:
    source = fqn.get(relation.source) or _fqn_elsewhere(workspace, relation.source, names)
    target = fqn.get(relation.target) or _fqn_elsewhere(workspace, relation.target, names)
    arrow = "-[async]->" if relation.is_async else "-[background]->" if relation.background else "->"
    label = f" {_s(relation.label)}" if relation.label else ""
    body = [f"technology {_s(relation.tech or relation.protocol)}"] if relation.tech or relation.protocol else []
    body += _metadata(relation_facts(relation))
    return _block(f"{source} {arrow} {target}{label}", body, 1)
