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
from ..structurizr.writing import actors_once, parents
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
    people, names = actors_once(workspace)
    fqn = {a.qid: names[a.id] for s in workspace.systems for a in s.actors}
    for system in workspace.systems:
        fqn.update(_fqns(system))
    model: list[str] = []
    for actor_id, actor in people.items():
        kind = "actor" if actor.kind == "person" else "outside"
        body = [f"description {_s(actor.description)}"] if actor.description else []
        model += _block(f"{names[actor_id]} = {kind} {_s(actor.title or actor_id)}", body, 1)
    relations: list[str] = []
    for system in workspace.systems:
        model += _system(system)
        for relation in system.relations:
            relations += _relation(relation, fqn)
    lines = [f"// LikeC4, exported by archdsl {__version__}", "", "specification {", *_specification(workspace), "}",
             "", "model {", *model, *relations, "}", "", "views {", *_views(workspace, fqn), "}"]
    return "\n".join(lines) + "\n"


def _specification(workspace) -> list[str]:
    """The kinds the spec uses (with LikeC4's shape for stores, queues and front ends), people
    and outside parties, the relationship kinds archdsl draws apart, and the tags."""
    kinds = sorted({c.kind for s in workspace.systems for c in s.components})
    tags = sorted({_tag(t) for s in workspace.systems for c in [*s.components, *s.relations] for t in c.tags
                   if not t.startswith("part-of:")})
    out = [*_block("element actor", ["notation 'Person'", "style {", f"{INDENT}shape person", "}"], 1),
           *_block("element outside", ["notation 'Outside system'"], 1), f"{INDENT}element system"]
    for kind in kinds:
        shape = SHAPES.get(kind)
        out += _block(f"element {kind}", ["style {", f"{INDENT}shape {shape}", "}"] if shape else [], 1)
    out += [*_block("relationship async", ["line dashed"], 1), *_block("relationship background", ["line dotted"], 1)]
    return out + [f"{INDENT}tag {t}" for t in tags]


def _views(workspace, fqn: dict[str, str]) -> list[str]:
    """The landscape, each system, each `view` block (its elements as archdsl draws them), each
    flow as a dynamic view."""
    out = _block("view index", ["title 'Landscape'", "include *"], 1)
    for system in workspace.systems:
        out += _block(f"view {system.id} of {system.id}", [f"title {_s(system.title or system.id)}", "include *"], 1)
        for view in system.views:
            shown = [fqn[q] for q in build_scene(workspace, system, view.id).nodes if q in fqn]
            out += _block(f"view {system.id}-{view.id} of {system.id}",
                          [f"title {_s(view.title or view.id)}", f"include {', '.join(shown)}"], 1)
        for flow in system.flows:
            steps = [f"{fqn[s.source]} -> {fqn[s.target]}" + (f" {_s(s.label)}" if s.label else "") for s in flow.steps]
            out += _block(f"dynamic view {flow.id}", [f"title {_s(flow.title or flow.id)}", *steps], 1)
    return out


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


def _fqns(system) -> dict[str, str]:
    """Each component's full name in the model: `shop.api`, `shop.api.signin`."""
    up = parents(system)
    return {c.qid: ".".join([system.id, *([up[c.id]] if c.id in up else []), c.id]) for c in system.components}


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
    own = [_tag(t) for t in c.tags if not t.startswith("part-of:")]
    body = [", ".join(f"#{t}" for t in dict.fromkeys(own))] if own else []  # a body opens with its tags
    if c.tech:
        body.append(f"technology {_s(c.tech)}")
    if c.description:
        body.append(f"description {_s(c.description)}")
    if c.link:
        body.append(f"link {c.link}")
    body += _metadata(component_facts(c))
    for part in system.components:
        if up.get(part.id) == c.id:
            body += _component(part, system, up)
    return _block(f"{c.id} = {c.kind} {_s(c.title or c.id)}", body, 0)


def _relation(relation, fqn: dict[str, str]) -> list[str]:
    arrow = "-[async]->" if relation.is_async else "-[background]->" if relation.background else "->"
    label = f" {_s(relation.label)}" if relation.label else ""
    own = [_tag(t) for t in relation.tags]
    body = [", ".join(f"#{t}" for t in dict.fromkeys(own))] if own else []  # a body opens with its tags
    body += [f"technology {_s(relation.tech or relation.protocol)}"] if relation.tech or relation.protocol else []
    body += _metadata(relation_facts(relation))
    return _block(f"{fqn[relation.source]} {arrow} {fqn[relation.target]}{label}", body, 1)
