"""A workspace as Structurizr DSL (the mapping is in this package's docstring).

Systems are software systems with hierarchical identifiers (`shop.api`), layers groups, components
containers (a component tagged `part-of:X`, X a component of its system, a component of X);
actors people, or software systems for outside parties, once by id however many systems name
them. Views: the system landscape, each system's containers, each flow as a dynamic view.
Decisions are Markdown ADRs (adr-tools' form) in a folder beside the file, named by `!adrs`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...render.views import build_scene
from ...version import __version__
from ..facts import component_facts, flatten, flow_facts, relation_facts, system_facts
from ..tospec import KIND_TAGS

INDENT = "    "


@dataclass
class Written:
    text: str
    records: dict[str, dict[str, str]] = field(default_factory=dict)  # system id -> file name -> Markdown


def _s(text: str) -> str:
    """A Structurizr string: on one line, its quotes escaped as the DSL's tokenizer reads them."""
    return '"' + " ".join(str(text).split()).replace('"', '\\"') + '"'


def export_structurizr(workspace, adrs_folder: str) -> Written:
    """The DSL of every system of `workspace`; decisions go to `adrs_folder`/SYSTEM/ (relative to
    the file), returned as text for the caller to write."""
    people, names = actors_once(workspace)
    refs = {a.qid: names[a.id] for s in workspace.systems for a in s.actors}
    for system in workspace.systems:
        refs.update({f"{system.id}.{local}": path for local, path in _paths(system).items()})
    written = Written("")
    model: list[str] = []
    for actor_id, actor in people.items():
        keyword = "person" if actor.kind == "person" else "softwareSystem"
        tags = ["External"] if keyword == "softwareSystem" else []
        model.append(_line(f"{names[actor_id]} = {keyword}", actor.title or actor_id, actor.description,
                           ", ".join([*actor.tags, *tags])))
    relations: list[str] = []
    for system in workspace.systems:
        model += _system(system, adrs_folder)
        if system.decisions:
            files = {d.id: _record_name(i, d) for i, d in enumerate(system.decisions, 1)}
            written.records[system.id] = {files[d.id]: _record(d, files) for d in system.decisions}
        relations += [_relation(relation, refs) for relation in system.relations]
    name = workspace.systems[0].title if len(workspace.systems) == 1 else "Architecture"
    lines = [f"workspace {_s(name)} {_s(f'Exported by archdsl {__version__}')} {{", "",
             f"{INDENT}!identifiers hierarchical", "", f"{INDENT}model {{",
             *[INDENT * 2 + line if line else "" for line in model], "",
             *[INDENT * 2 + line for line in relations], f"{INDENT}}}", "", f"{INDENT}views {{",
             *_views(workspace, refs), f"{INDENT * 2}styles {{",
             f'{INDENT * 3}element "Person" {{', f"{INDENT * 4}shape Person", f"{INDENT * 3}}}",
             f'{INDENT * 3}element "Database" {{', f"{INDENT * 4}shape Cylinder", f"{INDENT * 3}}}",
             f"{INDENT * 2}}}", f"{INDENT}}}", "}"]
    written.text = "\n".join(lines) + "\n"
    return written


def actors_once(workspace) -> tuple[dict, dict[str, str]]:
    """Each actor once by id (systems name the same person each in their own way), and the name
    each goes by in a model where systems' names are taken (`shop` the actor is `shop-actor`)."""
    people: dict = {}
    for system in workspace.systems:
        for actor in system.actors:
            people.setdefault(actor.id, actor)
    system_ids = {s.id for s in workspace.systems}
    return people, {a: (f"{a}-actor" if a in system_ids else a) for a in people}


def _views(workspace, refs: dict[str, str]) -> list[str]:
    """The landscape, each system's containers and `view` blocks, each flow as a dynamic view."""
    out = [f'{INDENT * 2}systemLandscape "landscape" {{', f"{INDENT * 3}include *", f"{INDENT * 3}autoLayout lr",
           f"{INDENT * 2}}}", ""]
    for system in workspace.systems:
        out += [f"{INDENT * 2}container {system.id} {_s(f'{system.id}-containers')} {{", f"{INDENT * 3}include *",
                f"{INDENT * 3}autoLayout lr", f"{INDENT * 2}}}", ""]
        for view in system.views:  # its elements one by one, as archdsl draws the view
            shown = [refs[q] for q in build_scene(workspace, system, view.id).nodes if q in refs]
            out += [f"{INDENT * 2}container {system.id} {_s(f'{system.id}-{view.id}')} {_s(view.title or view.id)} {{",
                    f"{INDENT * 3}include {' '.join(shown)}", f"{INDENT * 3}autoLayout lr", f"{INDENT * 2}}}", ""]
    for system in workspace.systems:
        for flow in system.flows:
            steps = [f"{INDENT * 3}{refs[step.source]} -> {refs[step.target]}"
                     + (f" {_s(step.label)}" if step.label else "") for step in flow.steps]
            out += [f"{INDENT * 2}dynamic {system.id} {_s(flow.id)} {_s(flow.title or flow.id)} {{", *steps,
                    f"{INDENT * 3}autoLayout lr", f"{INDENT * 2}}}", ""]
    return [line.rstrip() for line in out]


def _line(head: str, *texts: str) -> str:
    """A statement: the head, then its strings, the trailing empty ones left out."""
    values = list(texts)
    while values and not values[-1]:
        values.pop()
    return " ".join([head, *(_s(v) for v in values)])


def parents(system) -> dict[str, str]:
    """component id -> the component it is part of (`part-of:` tags naming a component that is
    itself part of nothing)."""
    ids = {c.id for c in system.components}
    found = {c.id: t.removeprefix("part-of:") for c in system.components for t in c.tags
             if t.startswith("part-of:") and t.removeprefix("part-of:") in ids}
    return {child: parent for child, parent in found.items() if parent not in found and parent != child}


def _paths(system) -> dict[str, str]:
    up = parents(system)
    return {c.id: ".".join([system.id, *([up[c.id]] if c.id in up else []), c.id]) for c in system.components}


def _properties(facts: dict, indent: str) -> list[str]:
    flat = flatten(facts)
    if not flat:
        return []
    return [f"{indent}properties {{", *(f"{indent}{INDENT}{_s(k)} {_s(v)}" for k, v in flat.items()), f"{indent}}}"]


def _system(system, adrs_folder: str) -> list[str]:
    up = parents(system)
    inner: list[str] = []
    facts = system_facts(system)
    flows = {flow.id: found for flow in system.flows if (found := flow_facts(flow))}
    if flows:
        facts["flows"] = flows
    inner += _properties(facts, INDENT)
    if system.link:
        inner.append(f"{INDENT}url {system.link}")
    if system.decisions:
        inner.append(f"{INDENT}!adrs {_s(f'{adrs_folder}/{system.id}')}")
    by_layer: dict[str | None, list] = {}
    for c in system.components:
        if c.id not in up:
            by_layer.setdefault(c.layer, []).append(c)
    layers = {layer.id: layer for layer in system.layers}
    for layer_id, members in by_layer.items():
        indent = INDENT * (2 if layer_id else 1)
        body = [line for c in members for line in _container(c, system, up, indent)]
        if layer_id:
            title = layers[layer_id].title or layer_id if layer_id in layers else layer_id
            inner += [f"{INDENT}group {_s(title)} {{", *body, f"{INDENT}}}"]
        else:
            inner += body
    return [_line(f"{system.id} = softwareSystem", system.title or system.id, system.description,
                  ", ".join(system.tags)) + " {", *inner, "}", ""]


def _container(c, system, up: dict[str, str], indent: str) -> list[str]:
    parts = [p for p in system.components if up.get(p.id) == c.id]
    body = _element_body(c, indent + INDENT)
    for part in parts:
        part_body = _element_body(part, indent + INDENT * 2)
        head = _line(f"{indent}{INDENT}{part.id} = component", part.title or part.id, part.description, part.tech,
                     ", ".join(_tags(part)))
        body += [head + " {", *part_body, f"{indent}{INDENT}}}"] if part_body else [head]
    head = _line(f"{indent}{c.id} = container", c.title or c.id, c.description, c.tech, ", ".join(_tags(c)))
    return [head + " {", *body, f"{indent}}}"] if body else [head]


def _tags(c) -> list[str]:
    tags = [t for t in c.tags if not t.startswith("part-of:")]
    return tags + ([_drawn_as(c)] if _drawn_as(c) else [])


def _drawn_as(c) -> str | None:
    """The tag Structurizr's styles draw the component's kind by, when its own tags lack it."""
    found = KIND_TAGS.get(c.kind)
    return found if found and found not in c.tags else None


def _element_body(c, indent: str) -> list[str]:
    facts = component_facts(c)
    if _drawn_as(c):
        facts["drawn_as"] = _drawn_as(c)
    out = _properties(facts, indent)
    if c.link:
        out.append(f"{indent}url {c.link}")
    return out


def _relation(relation, refs: dict[str, str]) -> str:
    head = _line(f"{refs[relation.source]} -> {refs[relation.target]}", relation.label or relation.description,
                 relation.tech or relation.protocol.upper(),
                 ", ".join([*relation.tags, *(["Asynchronous"] if relation.is_async else [])]))
    body = _properties(relation_facts(relation), INDENT)
    return "\n".join([head + " {", *(INDENT * 2 + line for line in body), INDENT * 2 + "}"]) if body else head


def _record_name(number: int, decision) -> str:
    """`adr-007` is `007-title.md` (its id comes back from the number); any other id is numbered
    in order and says its id in the record."""
    slug = re.sub(r"[^a-z0-9]+", "-", (decision.title or decision.id).lower()).strip("-")[:60] or "decision"
    found = re.fullmatch(r"adr-(\d+)", decision.id)
    return f"{found.group(1) if found else f'{number:04d}'}-{slug}.md"


def _record(decision, names: dict[str, str]) -> str:
    """A decision in adr-tools' Markdown form (which `!adrs` reads)."""
    out = [f"# {decision.title or decision.id}", ""]
    if not re.fullmatch(r"adr-\d+", decision.id):
        out += [f"Id: {decision.id}", ""]
    if decision.date:
        out += [f"Date: {decision.date}", ""]
    status = decision.status.capitalize()
    if decision.supersedes:
        status += f"\n\nSupersedes [{decision.supersedes}]({names.get(decision.supersedes, '')})"
    out += ["## Status", "", status, ""]
    for heading, text in (("Context", decision.context), ("Decision", decision.decision),
                          ("Consequences", decision.consequences)):
        if text:
            out += [f"## {heading}", "", text.strip(), ""]
    if decision.affects:
        out += ["## Affects", "", ", ".join(decision.affects), ""]
    return "\n".join(out)
