"""Where a workspace breaks its own constraints (`archdsl.policy`): the relations a `forbid` or
an `only` rules out, the elements a `require` finds wanting, the fans above a `max`, the cycles
a `no cycles among` rules out.

Linear in elements and relations for each constraint: the elements are indexed once by layer,
kind, tag, state and system, a selector is sets from that index joined, and a relation is
looked up in the two sets of its statement; never a selector evaluated per pair of elements.
Cycles are the strongly connected sets of the chosen elements' on-path relations, one a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..graph import condensed
from ..policy import Clause, Constraint, Requirement, Selector, Term
from ..vocabulary import format_ms


@dataclass(frozen=True)
class Breach:
    """One place a constraint is broken: the clause, and the element or relation it is about."""

    constraint: Constraint
    clause: Clause
    subject: Any  # the relation (forbid, only) or the element (require, fan-out, fan-in, cycles)
    what: str  # what is wrong, in words
    members: tuple[str, ...] = ()  # a cycle's elements


@dataclass
class _Index:
    """Qualified ids of the workspace's components and actors, by what selectors ask."""

    every: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    by: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    elements: dict[str, Any] = field(default_factory=dict)

    def add(self, element, *keys: tuple[str, str]) -> None:
        self.every.add(element.qid)
        self.elements[element.qid] = element
        for key in keys:
            self.by.setdefault(key, set()).add(element.qid)


def index(systems) -> _Index:
    found = _Index()
    for system in systems:
        for actor in system.actors:
            found.add(actor, ("kind", actor.kind), ("system", system.id), *(("tag", t) for t in actor.tags))
            found.actors.add(actor.qid)
        for c in system.components:
            keys = [("kind", c.kind), ("system", system.id), *(("tag", t) for t in c.tags)]
            if c.layer:
                keys.append(("layer", c.layer))
            if c.effective_state:
                keys.append(("state", c.effective_state))
            found.add(c, *keys)
    return found


class _Selection:
    """Selectors of one constraint in one system, each evaluated once."""

    def __init__(self, found: _Index, system):
        self.found, self.system = found, system
        self.memo: dict[int, frozenset[str]] = {}

    def of(self, selector: Selector) -> frozenset[str]:
        key = id(selector)
        if key not in self.memo:
            chosen: set[str] = set()
            for group in selector.groups:
                sets = sorted((self._term(t) for t in group), key=len)
                chosen |= set.intersection(*sets) if sets else set()
            if selector.unless is not None:
                chosen -= self.of(selector.unless)
            self.memo[key] = frozenset(chosen)
        return self.memo[key]

    def _term(self, term: Term) -> set[str]:
        if term.kind == "any":
            return self.found.every
        if term.kind == "actor":
            return self.found.actors
        if term.kind == "id":
            qid = self.system.qualify(term.value)
            return {qid} if qid in self.found.every else set()
        return self.found.by.get((term.kind, term.value), set())


def breaches(workspace) -> list[Breach]:
    """Every breach of every constraint, in the order the constraints and systems are written."""
    constraints = workspace.constraints()
    if not constraints:
        return []
    found = index(workspace.systems)
    systems = {s.id: s for s in workspace.systems}
    out: list[Breach] = []
    for constraint in constraints:
        for system_id in constraint.applies_to:
            system = systems.get(system_id)
            if system is not None:
                out.extend(_breaches(constraint, system, found, workspace.graph))
    return out


def _breaches(constraint: Constraint, system, found: _Index, graph) -> list[Breach]:
    chosen = _Selection(found, system)
    own = found.by.get(("system", system.id), set())  # its elements, from the index made once
    out: list[Breach] = []
    for clause in constraint.clauses:
        subject = chosen.of(clause.subject)
        if clause.verb in ("forbid", "only"):
            assert clause.target is not None
            target = chosen.of(clause.target)
            for relation in system.relations:
                if relation.source not in subject:
                    continue
                if (relation.target in target) == (clause.verb == "forbid"):
                    what = ("it forbids relations from here to there" if clause.verb == "forbid" else
                            "relations from here may go only where it says, and this one goes elsewhere")
                    out.append(Breach(constraint, clause, relation, what))
        elif clause.verb == "require":
            for qid in sorted((subject & own) - found.actors):  # components: actors have none of these
                element = found.elements[qid]
                missing = [r for r in clause.requirements if not _meets(element, r)]
                if missing:
                    out.append(Breach(constraint, clause, element, "; ".join(_wanting(element, r) for r in missing)))
        elif clause.verb in ("fan-out", "fan-in"):
            out.extend(_fans(constraint, clause, sorted(subject & own), found, graph))
        else:
            out.extend(_cycles(constraint, clause, subject & own, system, found))
    return out


def _fans(constraint, clause, members: list[str], found: _Index, graph) -> list[Breach]:
    out = []
    limit = clause.limit or 0
    for qid in members:
        if qid not in graph:
            continue
        around = graph.successors(qid) if clause.verb == "fan-out" else graph.predecessors(qid)
        others = {n for n in around if n != qid}
        if len(others) > limit:
            word = "calls" if clause.verb == "fan-out" else "is called by"
            out.append(Breach(constraint, clause, found.elements[qid],
                              f"{word} {len(others)} elements, more than {limit}"))
    return out


def _cycles(constraint, clause, members: frozenset[str], system, found: _Index) -> list[Breach]:
    """One breach a cycle: a strongly connected set of the members' on-path relations."""
    calls: dict[str, list[str]] = {m: [] for m in sorted(members)}
    loops = set()
    for relation in system.relations:
        if relation.off_path or relation.source not in members or relation.target not in members:
            continue
        calls[relation.source].append(relation.target)
        if relation.source == relation.target:
            loops.add(relation.source)
    sets, _ = condensed(calls)
    out = []
    for group in sets:
        if len(group) > 1 or group[0] in loops:
            names = tuple(sorted(group))
            ids = [found.elements[n].id for n in (*names, names[0])]
            out.append(Breach(constraint, clause, found.elements[names[0]],
                              f"a cycle of calls among {clause.subject.text}: " + " -> ".join(ids), names))
    return out


# -- require


def _value(element, requirement: Requirement):
    if requirement.field == "state":
        return element.effective_state
    value = getattr(element, requirement.field, None)
    if requirement.attribute == "replicas" and value is not None:
        return value.min
    return value


def _meets(element, requirement: Requirement) -> bool:
    if requirement.field not in element.spans and requirement.field != "state":
        return False  # not set in the spec
    value = _value(element, requirement)
    if requirement.op is None:
        return value not in (None, "", [])
    if value is None:
        return False
    wanted = requirement.value
    if isinstance(value, list):  # connection: several words
        return (wanted in value) == (requirement.op == "=")
    return {"=": value == wanted, "!=": value != wanted, ">=": value >= wanted, "<=": value <= wanted,
            ">": value > wanted, "<": value < wanted}[requirement.op]


def _wanting(element, requirement: Requirement) -> str:
    if requirement.field not in element.spans and requirement.field != "state":
        return f"{requirement.attribute} is not set"
    shown = _shown(requirement.field, _value(element, requirement))
    return f"{requirement.attribute} is {shown}, where the constraint wants {requirement.text}"


def _shown(field: str, value) -> str:
    if field == "latency_ms":
        return format_ms(value)
    if field == "sla":
        return f"{value:g}%"
    if isinstance(value, float):
        return f"{value:g}"
    return ", ".join(value) if isinstance(value, list) else str(value)
