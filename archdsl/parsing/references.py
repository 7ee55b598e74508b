"""References between elements: qualified, checked, reported when unknown or duplicated.

`references(system)` is the one walk over every place a spec names an element; the resolver
reads it here, and the language server reads it for find-references and rename.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import model
from ..diagnostics import (
    Finding,
    Severity,
    Span,
    Suggester,
    did_you_mean,
    structure_finding,
)


def resolve(systems: list[model.System], findings: list[Finding]) -> None:
    """Qualify the references of systems still being loaded (no workspace holds them yet) and
    report duplicate and unknown ids."""

    def report(code, message, span, hint="", **extra):
        findings.append(structure_finding(code, message, span, hint, **extra))

    seen_systems: dict[str, model.System] = {}
    for system in systems:
        first = seen_systems.get(system.id)
        if first:
            report("AD102", f"duplicate system id '{system.id}' (first at {first.span_of('id')})",
                   system.span_of("id"), "give each system its own id", element=system.id,
                   related=(first.span_of("id"),))
        else:
            seen_systems[system.id] = system

    # every system's elements, so that `other.id` resolves across systems
    elements: dict[str, dict[str, model.Element]] = {}
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

        ends: dict[str, str | None] = {}
        resolved: list[model.Relation] = []
        for ref in references(system):
            if isinstance(ref.holder, model.View) and ref.what == "layer":
                if system.layer(ref.text) is None:
                    report("AD101", f"unknown layer '{ref.text}' in view '{ref.holder.id}'", ref.span,
                           did_you_mean(ref.text, [layer.id for layer in system.layers]))
            elif ref.field == "affects":
                continue  # a decision's own rule (DM503) checks what it affects, with its advice
            elif isinstance(ref.holder, model.Relation):
                ends[ref.field] = lookup(ref.text, ref.span, ref.what)
                if ref.field == "target":
                    _settle(ref.holder, ends["source"], ends["target"], resolved, report)
            elif isinstance(ref.holder, model.Keep):
                ref.holder.target = lookup(ref.text, ref.span, ref.what)
                _settle_kind(ref.holder, elements)
            elif isinstance(ref.holder, (model.Migration, model.Flow, model.Step)):
                found = lookup(ref.text, ref.span, ref.what)
                if found is not None or not isinstance(ref.holder, model.Step):
                    setattr(ref.holder, ref.field, found)
            else:  # a view names elements as written; the view's scene selects them
                lookup(ref.text, ref.span, ref.what)
        system.relations = resolved  # the graph holds only relations between known elements
        _steps_follow_relations(system, report)

        if not system.components:
            report("AD111", f"system '{system.id}' has no components", system.span_of("id"),
                   "add the components it is made of", element=system.id,
                   severity=Severity.WARNING)


def _settle(relation: model.Relation, source: str | None, target: str | None, resolved: list, report) -> None:
    """A relation whose ends both name elements, qualified; one to itself is reported."""
    if source and source == target:
        report("AD105", f"'{relation.source}' has a relation to itself", relation.span,
               "a component's calls to itself are not relations: remove it, or say how its instances talk to"
               ' one another with `peers "replication" { protocol …; latency … }` inside it', element=source)
    elif source and target:
        relation.source, relation.target = source, target
        resolved.append(relation)


def _steps_follow_relations(system: model.System, report) -> None:
    """Each step of a flow follows a relation that exists: a flow says in which order calls the
    design already has are made, it never adds one."""
    keys = {relation.key for relation in system.relations}
    for flow in system.flows:
        for step in flow.steps:
            if "." not in step.source or "." not in step.target:
                continue  # an end that names nothing: AD101 said so
            if f"{step.source}->{step.target}" not in keys:  # the key of the relation it follows
                report("AD113", f"step '{step.arrow}' of flow '{flow.id}' follows no relation", step.span,
                       f"add the relation `{step.arrow}` to the system, or correct the step", element=flow.qid)


def _settle_kind(keep: model.Keep, elements: dict[str, dict[str, model.Element]]) -> None:
    """A `keeps` without `as` in a registry holds reference data about the system itself (service
    addresses, configuration), never user data: the kind its place gives it."""
    if keep.target is None or "kind" in keep.spans:
        return
    system_id, _, element_id = keep.target.partition(".")
    store = elements.get(system_id, {}).get(element_id)
    if isinstance(store, model.Component) and store.kind in model.REFERENCE_KINDS:
        keep.kind = "reference"


@dataclass(frozen=True, slots=True)
class Reference:
    """A place in a system that names an element: what holds it, in which field, the text (a
    qualified id once resolved, for relation and migration ends), where, and what it names."""

    holder: model.Relation | model.Keep | model.Decision | model.Migration | model.View | model.Flow | model.Step
    field: str  # source, target, where, affects, include, exclude, start
    text: str
    span: Span
    what: str  # element (a component or actor), component, or layer


def references(system: model.System) -> Iterator[Reference]:
    """Every reference of a system, in the order of its kinds (relations, keeps, decisions,
    migrations, views, flows) and as written within each."""
    for relation in system.relations:
        yield Reference(relation, "source", relation.source, relation.source_span, "element")
        yield Reference(relation, "target", relation.target, relation.target_span, "element")
    for component in system.components:
        for keep in component.keeps:
            if not keep.local:
                yield Reference(keep, "where", keep.where, keep.span_of("where"), "component")
    for decision in system.decisions:
        for ref, span in zip(decision.affects, decision.affects_spans):
            yield Reference(decision, "affects", ref, span, "element")
    for migration in system.migrations:
        for attr in ("source", "target"):
            value = getattr(migration, attr)
            if value is not None:
                yield Reference(migration, attr, value, migration.span_of(attr), "component")
    for view in system.views:
        for kind in ("include", "exclude"):
            for item in getattr(view, kind):
                span = view.spans.get(f"{kind}:{item}", view.span)
                if item.startswith("layer:"):
                    yield Reference(view, kind, item[len("layer:"):], span, "layer")
                else:
                    yield Reference(view, kind, item, span, "element")
    for flow in system.flows:
        if flow.start is not None:
            yield Reference(flow, "start", flow.start, flow.span_of("start"), "element")
        for step in flow.steps:
            yield Reference(step, "source", step.source, step.source_span, "element")
            yield Reference(step, "target", step.target, step.target_span, "element")


def _index(system: model.System, report) -> dict[str, model.Element]:
    """Components and actors share one namespace per system; layers and records have theirs."""
    found: dict[str, model.Element] = {}
    for element in [*system.actors, *system.components]:
        _unique(found, element, "element", report)
    for group, what in ((system.layers, "layer"), (system.decisions, "decision"),
                        (system.migrations, "migration"), (system.views, "view")):
        names: dict[str, model.Element] = {}
        for element in group:
            _unique(names, element, what, report)
    return found


def _unique(names: dict, element: model.Element, what: str, report) -> None:
    first = names.get(element.id)
    if first is None:
        names[element.id] = element
        return
    report("AD102", f"duplicate {what} id '{element.id}' (first at {first.span_of('id')})",
           element.span_of("id"), f"rename one of the two {what}s", element=element.qid,
           related=(first.span_of("id"),))
