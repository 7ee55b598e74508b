"""One request, end to end: each flow's steps as they run, what each costs, and the running total
against the flow's target (framework § Latency), plus who takes part.

A step costs its own `latency`, else its relation's hop cost (`latency.hop_cost`); an `async`
step, or one over an `async` or `background` relation, costs nothing: no one waits for it. The
steps of a `parallel` group overlap, so the group costs its slowest.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Flow, Step, System
from ..vocabulary import CACHING_KINDS
from .latency import hop_cost


@dataclass(frozen=True)
class StepCost:
    step: Step
    cost_ms: float  # its own cost: 0 when no one waits for it
    running_ms: float  # the flow's cost once its stage (it, or its parallel group) has run
    waited: bool  # whether the flow waits for it (not async, not over an async or background relation)


@dataclass(frozen=True)
class FlowCost:
    flow: Flow
    system: str
    total_ms: float
    target_ms: float | None  # the flow's `latency`, else its system's
    steps: tuple[StepCost, ...]

    @property
    def over(self) -> bool:
        return self.target_ms is not None and self.total_ms > self.target_ms

    def slowest(self, count: int = 3) -> list[StepCost]:
        """The dearest steps the flow waits for, dearest first (written order among equals)."""
        waited = [s for s in self.steps if s.waited and s.cost_ms > 0]
        return sorted(waited, key=lambda s: -s.cost_ms)[:count]


def relation_of(graph, step: Step):
    """The relation a step follows (the first written, when two join the same ends), or None."""
    edges = graph.get_edge_data(step.source, step.target) if step.source in graph else None
    return next(iter(edges.values()))["relation"] if edges else None


def flow_cost(graph, system: System, flow: Flow, defaults: dict[str, float] | None = None) -> FlowCost:
    running = 0.0
    costs: list[StepCost] = []
    for stage in flow.stages():
        priced = []
        for step in stage:
            relation = relation_of(graph, step)
            waited = not (step.is_async or (relation is not None and relation.off_path))
            if not waited:
                cost = 0.0
            elif step.latency_ms is not None:
                cost = step.latency_ms
            else:
                cost = hop_cost(graph, relation, defaults) if relation is not None else 0.0
            priced.append((step, cost, waited))
        running += max(cost for _, cost, _ in priced)
        costs += [StepCost(step, cost, running, waited) for step, cost, waited in priced]
    target = flow.latency_ms if flow.latency_ms is not None else system.latency_ms
    return FlowCost(flow, system.id, running, target, tuple(costs))


def entry_of(graph, flow: Flow) -> str | None:
    """The component a flow's request enters by: its first step's source when that is a
    component, else (an actor starts it) the first step's target."""
    if not flow.steps:
        return None
    first = flow.steps[0]
    if first.source in graph and graph.nodes[first.source]["type"] == "component":
        return first.source
    return first.target


def cost_below(graph, cost: FlowCost) -> float:
    """What a flow costs below the component it enters by: without the actor's call into it."""
    first = cost.flow.steps[0] if cost.flow.steps else None
    if first is not None and first.source in graph and graph.nodes[first.source]["type"] == "actor":
        return cost.total_ms - cost.steps[0].running_ms
    return cost.total_ms


def flow_costs(graph, defaults: dict[str, float] | None = None) -> list[FlowCost]:
    """The cost of every flow of every system of the graph, in written order."""
    systems = graph.graph.get("systems", {})
    return [flow_cost(graph, systems[sid], flow, defaults) for sid in sorted(systems) for flow in systems[sid].flows]


@dataclass(frozen=True)
class Touch:
    """A piece of state a step reads or writes: what, where it lives, and what kind it is."""

    index: int  # the step's place in the flow
    step: Step
    what: str
    holder: str  # qualified id of the component that holds it
    kind: str  # user-data, session, cache, reference, connection
    cached: bool  # a copy that can lag: kept `as cache`, or in a cache no `keeps` says holds the original


def touches(graph, flow: Flow, field: str) -> list[Touch]:
    """What the flow's steps read (`field` "reads") or write ("writes"), in order. WHAT lives
    where a `keeps` of that name says (the step's target keeps it in a store: the store), else in
    the step's target; its kind is that `keeps`' kind, else user-data (the language's safe
    guess), or cache in a cache component."""
    out = []
    for index, step in enumerate(flow.steps):
        if step.target not in graph or graph.nodes[step.target]["type"] != "component":
            continue
        target = graph.nodes[step.target]["element"]
        for what in getattr(step, field):
            holder, kind = _where(graph, target, what)
            out.append(Touch(index, step, what, holder, kind, kind == "cache"))
    return out


def _where(graph, target, what: str) -> tuple[str, str]:
    """(holder, kind) of WHAT reached through the component `target`."""
    for keep in target.keeps:
        if keep.what == what:
            return (keep.target or target.qid), keep.kind
    for _, _, data in graph.in_edges(target.qid, data=True):  # someone keeps WHAT in the target
        source = graph.nodes[data["relation"].source]["element"]
        for keep in getattr(source, "keeps", ()):
            if keep.what == what and keep.target == target.qid:
                return target.qid, keep.kind
    return target.qid, "cache" if target.kind in CACHING_KINDS else "user-data"
