"""The slowest synchronous path from each entry point, against its latency target.

Per-hop cost is the relation's `latency`, else a documented default for the kind of
its target (`DEFAULT_HOP_MS`).  Async relations are off the path.  The walk is one
depth-first pass over the synchronous graph: linear in its size, never enumerating
paths; a synchronous cycle is reported and its closing edge left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import entry_points

# What one synchronous call to a component of each kind costs when the relation does
# not say: typical in-region p99 round trips (a cache ~1 ms, a database query ~5 ms,
# a search query ~20 ms, an outside service ~100 ms).
DEFAULT_HOP_MS: dict[str, float] = {
    "cache": 1, "load-balancer": 1, "gateway": 2, "queue": 2, "stream": 2,
    "database": 5, "edge-function": 5, "websocket": 5,
    "service": 10, "worker": 10, "identity": 10, "frontend": 10, "scheduler": 10,
    "function": 15, "search": 20, "cdn": 20, "object-store": 30, "external": 100,
    "actor": 100,
}


@dataclass(frozen=True)
class PathResult:
    """The slowest synchronous path from one entry point."""

    entry: str
    system: str
    total_ms: float
    path: tuple[str, ...]
    hops: tuple[float, ...]
    target_ms: float | None

    @property
    def over_budget(self) -> bool:
        return self.target_ms is not None and self.total_ms > self.target_ms


@dataclass(frozen=True)
class Cycle:
    system: str
    nodes: tuple[str, ...]  # the cycle, first node repeated at the end
    relation: object  # the relation that closes it


@dataclass(frozen=True)
class LatencyReport:
    paths: tuple[PathResult, ...]
    cycles: tuple[Cycle, ...]


def hop_cost(graph, relation, defaults: dict[str, float] | None = None) -> float:
    """The cost of one synchronous call: the relation's latency, else the default for its target."""
    if relation.latency_ms is not None:
        return relation.latency_ms
    table = {**DEFAULT_HOP_MS, **(defaults or {})}
    data = graph.nodes[relation.target]
    kind = "actor" if data["type"] == "actor" else data["element"].kind
    return table.get(kind, table["service"])


def slowest_paths(graph, defaults: dict[str, float] | None = None) -> LatencyReport:
    """The slowest synchronous path from every entry point of every system."""
    # out-edges: node -> sorted [(target, cost, relation)] over synchronous relations
    out: dict[str, list] = {n: [] for n in graph.nodes}
    for u, v, data in graph.edges(data=True):
        relation = data["relation"]
        if not relation.is_async:
            out[u].append((v, hop_cost(graph, relation, defaults), relation))
    for edges in out.values():
        edges.sort(key=lambda e: (e[0], -e[1]))

    best: dict[str, float] = {}
    nxt: dict[str, tuple[str, float] | None] = {}
    cycles: list[Cycle] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in sorted(graph.nodes):
        if root in state:
            continue
        stack = [(root, iter(out[root]))]
        state[root] = 1
        path = [root]
        while stack:
            node, edges = stack[-1]
            advanced = False
            for target, cost, relation in edges:
                if state.get(target) == 1:  # a back edge closes a synchronous cycle
                    start = path.index(target)
                    cycles.append(Cycle(graph.nodes[node]["system"], tuple(path[start:]) + (target,), relation))
                    continue
                if target not in state:
                    state[target] = 1
                    path.append(target)
                    stack.append((target, iter(out[target])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            path.pop()
            state[node] = 2
            # post-order: every successor is final, and none of them reaches `node`
            # (an edge to a node still on the stack is a back edge, left out above)
            best[node], nxt[node] = 0.0, None
            for target, cost, _ in out[node]:
                if target in best and cost + best[target] > best[node]:
                    best[node], nxt[node] = cost + best[target], (target, cost)

    results = []
    systems = graph.graph.get("systems", {})
    for system_id in sorted(systems):
        system = systems[system_id]
        for entry in entry_points(graph, system_id):
            element = graph.nodes[entry]["element"]
            target = element.latency_ms if element.latency_ms is not None else system.latency_ms
            nodes, hops = [entry], []
            step = nxt.get(entry)
            while step is not None:
                nodes.append(step[0])
                hops.append(step[1])
                step = nxt.get(step[0])
            results.append(PathResult(entry, system_id, best.get(entry, 0.0), tuple(nodes), tuple(hops), target))
    return LatencyReport(tuple(results), tuple(cycles))
