"""References between elements: qualified, checked, reported when unknown or duplicated."""

from __future__ import annotations

from .. import model as m
from ..diagnostics import (
    Finding,
    Severity,
    Span,
    Suggester,
    did_you_mean,
    structure_finding,
)


def resolve(systems: list[m.System], findings: list[Finding]) -> None:
    """Qualify the references of systems still being loaded (no workspace holds them yet) and
    report duplicate and unknown ids."""

    def report(code, message, span, hint="", **extra):
        findings.append(structure_finding(code, message, span, hint, **extra))

    seen_systems: dict[str, m.System] = {}
    for system in systems:
        first = seen_systems.get(system.id)
        if first:
            report("AD102", f"duplicate system id '{system.id}' (first at {first.span_of('id')})",
                   system.span_of("id"), "give each system its own id", element=system.id,
                   related=(first.span_of("id"),))
        else:
            seen_systems[system.id] = system

    # every system's elements, so that `other.id` resolves across systems
    elements: dict[str, dict[str, m.Element]] = {}
    for system in seen_systems.values():
        elements[system.id] = _index(system, report)

    suggest_system = Suggester(elements)
    suggesters: dict[str, Suggester] = {}  # built once per system, on its first unknown name

    def suggest(system_id: str, word: str) -> str:
        if system_id not in suggesters:
            suggesters[system_id] = Suggester(elements[system_id])
        return suggesters[system_id](word)

    for system in seen_systems.values():

        def lookup(text: str, span: Span, what: str) -> str | None:
            sys_id, _, elem = text.rpartition(".")
            scope = elements.get(sys_id or system.id)
            if scope is not None and elem in scope:
                return scope[elem].qid
            if sys_id and scope is None:
                report("AD101", f"unknown system '{sys_id}' in {what} '{text}'", span,
                       suggest_system(sys_id), element=system.id)
            else:
                report("AD101", f"unknown {what} '{text}'", span,
                       suggest(sys_id if scope is not None and sys_id else system.id, elem),
                       element=system.id)
            return None

        resolved = []
        for relation in system.relations:
            source = lookup(relation.source, relation.source_span, "element")
            target = lookup(relation.target, relation.target_span, "element")
            if source and source == target:
                report("AD105", f"'{relation.source}' has a relation to itself", relation.span,
                       "a component's calls to itself are not relations: remove it",
                       element=source)
            elif source and target:
                relation.source, relation.target = source, target
                resolved.append(relation)
        system.relations = resolved  # the graph holds only relations between known elements

        for component in system.components:
            for keep in component.keeps:
                if not keep.local:
                    keep.target = lookup(keep.where, keep.span_of("where"), "component")
        for migration in system.migrations:
            for attr in ("source", "target"):
                value = getattr(migration, attr)
                if value is not None:
                    setattr(migration, attr, lookup(value, migration.span_of(attr), "component"))
        for view in system.views:
            for kind in ("include", "exclude"):
                for item in getattr(view, kind):
                    span = view.spans.get(f"{kind}:{item}", view.span)
                    if item.startswith("layer:"):
                        if system.layer(item[6:]) is None:
                            report("AD101", f"unknown layer '{item[6:]}' in view '{view.id}'", span,
                                   did_you_mean(item[6:], [layer.id for layer in system.layers]))
                    else:
                        lookup(item, span, "element")

        if not system.components:
            report("AD111", f"system '{system.id}' has no components", system.span_of("id"),
                   "add the components it is made of", element=system.id,
                   severity=Severity.WARNING)


def _index(system: m.System, report) -> dict[str, m.Element]:
    """Components and actors share one namespace per system; layers and records have theirs."""
    found: dict[str, m.Element] = {}
    for element in [*system.actors, *system.components]:
        _unique(found, element, "element", report)
    for group, what in ((system.layers, "layer"), (system.decisions, "decision"),
                        (system.migrations, "migration"), (system.views, "view")):
        names: dict[str, m.Element] = {}
        for element in group:
            _unique(names, element, what, report)
    return found


def _unique(names: dict, element: m.Element, what: str, report) -> None:
    first = names.get(element.id)
    if first is None:
        names[element.id] = element
        return
    report("AD102", f"duplicate {what} id '{element.id}' (first at {first.span_of('id')})",
           element.span_of("id"), f"rename one of the two {what}s", element=element.qid,
           related=(first.span_of("id"),))
