"""The workspace as a `networkx.MultiDiGraph`, and the named queries later stages use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .vocabulary import EDGE_LAYER_KINDS, ROUTER_KINDS

if TYPE_CHECKING:
    # lazy: networkx takes ~0.1 s to import; only a graph needs it
    import networkx as nx

    from .model import Workspace


def build_graph(workspace: Workspace) -> nx.MultiDiGraph:
    """A node per component and actor (qualified id), an edge per relation.

    Node attributes: `type` ("component" or "actor"), `system`, `layer` (id or None)
    and `element` (the model).  Edge attributes: `relation` (the model); edge keys
    are the relation's position in its system, so parallel relations stay apart.
    """
    # lazy: networkx takes ~0.1 s to import; only a graph needs it
    import networkx as nx

    graph = nx.MultiDiGraph(systems={s.id: s for s in workspace.systems})
    for system in workspace.systems:
        for actor in system.actors:
            graph.add_node(actor.qid, type="actor", system=system.id, layer=None, element=actor)
        for component in system.components:
            graph.add_node(component.qid, type="component", system=system.id,
                           layer=component.layer, element=component)
    for system in workspace.systems:
        for index, relation in enumerate(system.relations):
            if relation.source in graph and relation.target in graph:
                graph.add_edge(relation.source, relation.target, key=f"{system.id}#{index}",
                               relation=relation)
    return graph


def entry_points(graph: nx.MultiDiGraph, system: str) -> list[str]:
    """Where requests enter a system: components an actor calls, else its edge and gateway
    layers, else its components that no other component calls.  Linear in the system's size."""
    model = graph.graph["systems"][system]
    reached = sorted({
        target for actor in model.actors for target in graph.successors(actor.qid)
        if graph.nodes[target]["type"] == "component"
    })
    if reached:
        return reached
    edge_layers = {layer.id for layer in model.layers if layer.kind in ("edge", "gateway")}
    members = sorted(c.qid for c in model.components)
    at_edge = [n for n in members if graph.nodes[n]["layer"] in edge_layers]
    if at_edge:
        return at_edge
    return [n for n in members if not any(graph.nodes[u]["type"] == "component" for u in graph.predecessors(n))]


def is_router(graph: nx.MultiDiGraph, node: str) -> bool:
    """Whether a node passes each request down ONE of its routes: a load balancer, gateway or
    CDN, or any component of an edge or gateway layer."""
    data = graph.nodes[node]
    if data["type"] != "component":
        return False
    if data["element"].kind in ROUTER_KINDS:
        return True
    return _layer_kinds(graph).get((data["system"], data["layer"])) in EDGE_LAYER_KINDS


def _layer_kinds(graph: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """(system, layer id) -> the layer's kind, built once per graph: routers are asked about
    for every component by several analyses."""
    kinds = graph.graph.get("layer_kinds")
    if kinds is None:
        kinds = {}
        for system in graph.graph["systems"].values():
            for layer in system.layers:
                kinds.setdefault((system.id, layer.id), layer.kind)
        graph.graph["layer_kinds"] = kinds
    return kinds


def client_facing(graph: nx.MultiDiGraph, source: str, target: str) -> bool:
    """Whether a call from `source` into `target` comes from outside its system's interior:
    an actor, another system, or an edge or gateway layer."""
    data = graph.nodes[source]
    return (data["type"] == "actor" or data["system"] != graph.nodes[target]["system"]
            or is_router(graph, source))


def layer_of(graph: nx.MultiDiGraph, node: str):
    """The layer a component stands in, or None."""
    data = graph.nodes[node]
    if data["layer"] is None:
        return None
    return graph.graph["systems"][data["system"]].layer(data["layer"])


N = TypeVar("N", str, Path)  # a node: a component's id, or a spec file


def condensed(successors: dict[N, list[N]]) -> tuple[list[list[N]], dict[N, int]]:
    """The strongly connected sets of a graph given as node -> successors (every successor
    is a key), callees first: each set comes after every set it reaches. Also node -> index
    of its set. Tarjan's algorithm without recursion, linear in nodes + edges; the nodes are
    visited in sorted order, so the same graph gives the same order."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    scc_of: dict[N, int] = {}
    stack: list[N] = []
    sets: list[list[N]] = []
    for root in sorted(successors):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    work.append((target, iter(successors[target])))
                    break
                if target not in scc_of and index[target] < low[node]:
                    low[node] = index[target]  # still on the stack: part of this set
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        scc_of[member] = len(sets)
                        members.append(member)
                        if member == node:
                            break
                    sets.append(members)
    return sets, scc_of
