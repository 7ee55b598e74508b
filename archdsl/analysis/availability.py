"""Availability composed over hard synchronous dependencies (seed, criterion 3 and its SLA table).

A service is up only when it and everything it calls synchronously and cannot do
without are up: the product of their availabilities (each component's own `sla`).
A router (a load balancer, gateway or CDN, or any component of an edge or gateway
layer) sends each request down ONE of its routes, so its routes are alternatives:
the figure of an entry point is that of its worst route.  Async relations, `optional`
ones (soft dependencies) and calls to actors (outside parties) are left out.

A component without an `sla` has no figure: it is named as missing, not guessed, and
the product over the others is then an upper bound ("at most").  The target every
entry point must meet is its system's `sla`; a component's own `sla` is never a target.

One pass over the strongly connected components in reverse topological order; each
component's dependencies are a bitset, so shared dependencies count once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import entry_points, is_router

HOURS_PER_YEAR = 365.25 * 24


@dataclass(frozen=True)
class Composition:
    entry: str
    system: str
    availability: float | None  # percent, over the members with an sla; None when none has one
    members: tuple[str, ...]  # the entry and the components its worst route needs, sorted
    weakest: tuple[tuple[str, float], ...]  # lowest slas first, at most three
    missing: tuple[str, ...]  # members without an sla
    target: float | None

    @property
    def below_target(self) -> bool:
        return (self.target is not None and self.availability is not None
                and self.availability < self.target - 1e-9)

    @property
    def upper_bound(self) -> bool:
        """Whether members without an sla make the figure a ceiling rather than an estimate."""
        return bool(self.missing)

    @property
    def figure(self) -> str:
        """`99.850%`, or `at most 99.990%` when some members have no sla."""
        if self.availability is None:
            return "unknown"
        return ("at most " if self.upper_bound else "") + f"{self.availability:.3f}%"

    @property
    def unknowns(self) -> str:
        """`9 of 11 parts have no sla`, or '' when every member has one."""
        if not self.missing:
            return ""
        n, total = len(self.missing), len(self.members)
        return f"{n} of {total} part{'s' if total != 1 else ''} {'have' if n != 1 else 'has'} no sla"

    @property
    def downtime(self) -> str:
        if self.availability is None:
            return "unknown"
        return ("at least " if self.upper_bound else "") + downtime_per_year(self.availability)


def downtime_per_year(percent: float) -> str:
    """Yearly downtime of an availability, in the units of the seed's SLA table."""
    hours = (1 - percent / 100) * HOURS_PER_YEAR
    if hours >= 1:
        return f"{hours:.1f} h/yr"
    minutes = hours * 60
    if minutes >= 1:
        return f"{minutes:.0f} min/yr"
    return f"{minutes * 60:.0f} s/yr"


def _hard(relation) -> bool:
    return not (relation.is_async or relation.optional)


def hard_dependencies(graph, starts) -> list[str]:
    """The components in `starts` and every component they reach over synchronous,
    non-optional relations, on any route."""
    seen = {s for s in starts if graph.nodes[s]["type"] == "component"}
    todo = list(seen)
    while todo:
        node = todo.pop()
        for _, target, data in graph.out_edges(node, data=True):
            if target in seen or not _hard(data["relation"]) or graph.nodes[target]["type"] != "component":
                continue
            seen.add(target)
            todo.append(target)
    return sorted(seen)


def compose(graph) -> list[Composition]:
    """The composed availability of every entry point of every system (its worst route)."""
    import networkx as nx

    components = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "component")
    bit = {n: 1 << i for i, n in enumerate(components)}
    sla = {n: graph.nodes[n]["element"].sla for n in components}
    hard = nx.DiGraph()
    hard.add_nodes_from(components)
    for u, v, data in graph.edges(data=True):
        if u in bit and v in bit and _hard(data["relation"]):
            hard.add_edge(u, v)

    def members_of(mask: int) -> list[str]:
        """The components of a bitset, in sorted order: one step per member, not per bit."""
        found = []
        while mask:
            low = mask & -mask
            found.append(components[low.bit_length() - 1])
            mask ^= low
        return found

    def product(mask: int) -> float:
        value = 1.0
        for member in members_of(mask):
            if sla[member] is not None:
                value *= sla[member] / 100
        return value

    dag = nx.condensation(hard)
    scc_of = dag.graph["mapping"]
    need: dict[str, int] = {}  # node -> bitset of what its worst route needs, itself included
    for scc in reversed(list(nx.topological_sort(dag))):
        members = dag.nodes[scc]["members"]
        if len(members) == 1:
            [node] = members
            callees = [v for v in hard.successors(node)]
            if callees and is_router(graph, node):
                worst = min(callees, key=lambda v: (product(need[v]), v))
                need[node] = bit[node] | need[worst]
            else:
                found = bit[node]
                for v in callees:
                    found |= need[v]
                need[node] = found
            continue
        # a loop: every member needs every other, and all that any of them calls
        found = 0
        for node in members:
            found |= bit[node]
            for v in hard.successors(node):
                if scc_of[v] != scc:
                    found |= need[v]
        for node in members:
            need[node] = found

    results = []
    systems = graph.graph.get("systems", {})
    for system_id in sorted(systems):
        target = systems[system_id].sla
        for entry in entry_points(graph, system_id):
            mask = need[entry]
            members = tuple(members_of(mask))
            figures = [(n, sla[n]) for n in members if sla[n] is not None]
            missing = tuple(n for n in members if sla[n] is None)
            weakest = tuple(sorted(figures, key=lambda f: (f[1], f[0]))[:3])
            availability = product(mask) * 100 if figures else None
            results.append(Composition(entry, system_id, availability, members, weakest, missing, target))
    return results
