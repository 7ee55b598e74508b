"""The synchronous cost below every component, against every latency target.

A relation's `latency` is that hop's own cost (network plus the callee's own work);
without one a hop costs a documented default for its target's kind (`DEFAULT_HOP_MS`).
The cost below a component is what its synchronous calls add up to: the slowest of
them (`calls parallel`, the default), or their sum (`calls sequential`).  Async
relations are off the path, and a call to an actor (an outside party) ends there.

Every component with a `latency` target is checked against the cost below it; an
entry point without one is checked against the system's `latency`.  The walk is one
pass over the strongly connected components in reverse topological order: linear in
nodes plus edges, never enumerating paths.  Calls inside a synchronous cycle have no
bound (a request may go round any number of times): the cycle is reported once, and
the costs above it are lower bounds (`bounded` is False), still worth comparing with a
target, since a lower bound over the target is a sure overrun.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import condensed, entry_points
from ..vocabulary import CACHING_KINDS, DEFAULT_HOP_MS


class _Chains:
    """The slowest callee of every component (`via`) and the length of the chain below it, so a
    path is walked only as far as someone reads it."""

    def __init__(self):
        self.via: dict[str, tuple[str, float] | None] = {}
        self.length: dict[str, int] = {}  # nodes on the slowest chain from here, this one included

    def walk(self, node: str, limit: int | None = None) -> tuple[tuple[str, ...], tuple[float, ...]]:
        nodes, hops = [node], []
        step = self.via.get(node)
        while step is not None and (limit is None or len(nodes) < limit):
            nodes.append(step[0])
            hops.append(step[1])
            step = self.via.get(step[0])
        return tuple(nodes), tuple(hops)


@dataclass(frozen=True)
class PathResult:
    """The synchronous cost below one component, and the slowest chain of calls in it."""

    component: str
    system: str
    total_ms: float
    target_ms: float | None
    entry: bool  # an entry point of its system
    sequential: bool  # its calls add up (`calls sequential`)
    bounded: bool = True  # False when a synchronous cycle lies below: total is a lower bound
    chains: _Chains | None = None

    @property
    def path(self) -> tuple[str, ...]:
        """The component, then the slowest callee at each step."""
        return self.chains.walk(self.component)[0] if self.chains else (self.component,)

    @property
    def hops(self) -> tuple[float, ...]:
        """The cost of each hop of `path`."""
        return self.chains.walk(self.component)[1] if self.chains else ()

    def head(self, limit: int) -> tuple[tuple[str, ...], tuple[float, ...], int]:
        """The first `limit` nodes of the path, their hops, and how many nodes the whole path has."""
        nodes, hops = self.chains.walk(self.component, limit) if self.chains else ((self.component,), ())
        return nodes, hops, self.chains.length.get(self.component, 1) if self.chains else 1

    @property
    def over_budget(self) -> bool:
        return self.target_ms is not None and self.total_ms > self.target_ms


@dataclass(frozen=True)
class Cycle:
    """A set of components that call each other synchronously, round and round."""

    system: str
    nodes: tuple[str, ...]  # sorted
    relation: object  # one relation of the loop, to point at


@dataclass(frozen=True)
class LatencyReport:
    paths: tuple[PathResult, ...]  # every component with a target, and every entry point
    cycles: tuple[Cycle, ...]
    cached: frozenset[str]  # components with a cache, replica or edge at or below them


def hop_cost(graph, relation, defaults: dict[str, float] | None = None) -> float:
    """The cost of one synchronous call: the relation's latency, else the default for its target."""
    if relation.latency_ms is not None:
        return relation.latency_ms
    data = graph.nodes[relation.target]
    kind = "actor" if data["type"] == "actor" else data["element"].kind
    for table in (defaults or {}, DEFAULT_HOP_MS):  # the settings' costs first, then the defaults
        if kind in table:
            return table[kind]
    return (defaults or {}).get("service", DEFAULT_HOP_MS["service"])


def caches(element) -> bool:
    """Whether a component answers from a nearby copy: a cache, CDN or edge function, a
    replicated store, or one that keeps a local cache or reference copy itself."""
    return (element.kind in CACHING_KINDS or (element.replication or 0) >= 2
            or any(k.local and k.kind in ("cache", "reference") for k in element.keeps))


def slowest_paths(graph, defaults: dict[str, float] | None = None) -> LatencyReport:
    """The cost below every component with a target, and below every entry point."""
    out = _synchronous_calls(graph, defaults)
    sets, scc_of = condensed({n: [v for v, _, _ in edges if v in out] for n, edges in out.items()})
    costs = _Costs(graph, out, scc_of)
    for scc, members in enumerate(sets):  # callees first: a set's costs read only those below it
        costs.add(scc, members)
    return LatencyReport(tuple(_results(graph, costs)), tuple(costs.cycles), frozenset(costs.cached))


def _synchronous_calls(graph, defaults) -> dict[str, list]:
    """Component -> its synchronous calls (callee, hop cost, relation), the dearest first per callee."""
    out: dict[str, list] = {n: [] for n, d in graph.nodes(data=True) if d["type"] == "component"}
    for u, v, data in graph.edges(data=True):
        relation = data["relation"]
        if relation.off_path or u not in out:
            continue  # async or background: off the path; actors only start requests
        out[u].append((v, hop_cost(graph, relation, defaults), relation))
    for edges in out.values():
        edges.sort(key=lambda e: (e[0], -e[1]))
    return out


class _Costs:
    """The slowest cost below each component, walked one strongly connected set at a time:
    whether it is a bound (no loop below), which call it goes through, whether a cache is below."""

    def __init__(self, graph, out: dict[str, list], scc_of: dict[str, int]):
        self.graph, self.out, self.scc_of = graph, out, scc_of
        self.cycles: list[Cycle] = []
        self.cost: dict[str, float] = {}
        self.chains = _Chains()
        self.bounded: dict[str, bool] = {}
        self.cached: set[str] = set()

    def add(self, scc: int, members: list[str]) -> None:
        members.sort()
        looped = len(members) > 1
        if looped:
            first = members[0]
            inside = next(relation for v, _, relation in self.out[first] if self.scc_of.get(v) == scc)
            self.cycles.append(Cycle(self.graph.nodes[first]["system"], tuple(members), inside))
        below_cached = False
        for node in members:
            below_cached = self._node(node, scc, looped) or below_cached
        if below_cached or any(caches(self.graph.nodes[n]["element"]) for n in members):
            self.cached.update(members)  # in a loop every member reaches what any member reaches

    def _node(self, node: str, scc: int, looped: bool) -> bool:
        """Cost the calls of one component; whether a caching callee is below it."""
        sequential = self.graph.nodes[node]["element"].calls == "sequential"
        total, step, sure, below_cached = 0.0, None, not looped, False
        for target, hop, _ in self.out[node]:
            if looped and self.scc_of.get(target) == scc:
                continue  # round the loop: no bound, left out of the lower bound
            below = hop + self.cost.get(target, 0.0)
            sure = sure and self.bounded.get(target, True)
            below_cached = below_cached or target in self.cached  # a caching callee is in `cached`
            if sequential:
                total += below
                if step is None or below > step[1] + self.cost.get(step[0], 0.0):
                    step = (target, hop)
            elif step is None or below > total:
                total, step = below, (target, hop)
        self.cost[node], self.chains.via[node], self.bounded[node] = total, step, sure
        self.chains.length[node] = 1 + (self.chains.length.get(step[0], 1) if step else 0)
        return below_cached


def _results(graph, costs: _Costs) -> list[PathResult]:
    """A path for every component with a target, and every entry point (the system's target)."""
    results = []
    systems = graph.graph.get("systems", {})
    for system_id in sorted(systems):
        system = systems[system_id]
        entries = set(entry_points(graph, system_id))
        for component in sorted(system.components, key=lambda c: c.qid):
            node = component.qid
            is_entry = node in entries
            target = component.latency_ms if component.latency_ms is not None or not is_entry else system.latency_ms
            if target is None and not is_entry:
                continue
            results.append(PathResult(node, system_id, costs.cost.get(node, 0.0), target, is_entry,
                                      component.calls == "sequential", costs.bounded.get(node, True), costs.chains))
    return results
