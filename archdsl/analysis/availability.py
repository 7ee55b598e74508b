"""Availability composed over hard synchronous dependencies (framework § Availability).

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

from ..graph import condensed, entry_points, is_router
from ..wording import plural

HOURS_PER_YEAR = 365.25 * 24


class _Index:
    """The components of a graph numbered for bitsets, with their availabilities."""

    def __init__(self, names: list[str], sla: dict[str, float | None]):
        self.names = names
        self.sla = sla
        self.known = 0  # bitset of the components that have an sla
        for i, name in enumerate(names):
            if sla[name] is not None:
                self.known |= 1 << i

    def members(self, mask: int) -> tuple[str, ...]:
        """The components of a bitset, in sorted order: one step per member, not per bit."""
        found = []
        while mask:
            low = mask & -mask
            found.append(self.names[low.bit_length() - 1])
            mask ^= low
        return tuple(found)


@dataclass(frozen=True)
class Composition:
    entry: str
    system: str
    availability: float | None  # percent, over the members with an sla; None when none has one
    weakest: tuple[tuple[str, float], ...]  # lowest slas first, at most three
    target: float | None
    mask: int = 0  # the entry and the components its worst route needs, as a bitset
    index: _Index | None = None

    @property
    def members(self) -> tuple[str, ...]:
        """The entry and the components its worst route needs, sorted."""
        return self.index.members(self.mask) if self.index else ()

    @property
    def missing(self) -> tuple[str, ...]:
        """The members without an sla, sorted."""
        return self.index.members(self.mask & ~self.index.known) if self.index else ()

    @property
    def below_target(self) -> bool:
        return (self.target is not None and self.availability is not None
                and self.availability < self.target - 1e-9)

    @property
    def upper_bound(self) -> bool:
        """Whether members without an sla make the figure a ceiling rather than an estimate."""
        return bool(self.index and self.mask & ~self.index.known)

    @property
    def figure(self) -> str:
        """`99.850%`, or `at most 99.990%` when some members have no sla."""
        if self.availability is None:
            return "unknown"
        return ("at most " if self.upper_bound else "") + f"{self.availability:.3f}%"

    @property
    def unknowns(self) -> str:
        """`9 of 11 parts have no sla`, or '' when every member has one."""
        if not self.upper_bound:
            return ""
        known = self.index.known if self.index else 0
        n, total = (self.mask & ~known).bit_count(), self.mask.bit_count()
        return f"{n} of {plural(total, 'part')} {'have' if n != 1 else 'has'} no sla"

    @property
    def downtime(self) -> str:
        if self.availability is None:
            return "unknown"
        return ("at least " if self.upper_bound else "") + downtime_per_year(self.availability)


def downtime_per_year(percent: float) -> str:
    """Yearly downtime of an availability, in the units of the framework's availability table."""
    hours = (1 - percent / 100) * HOURS_PER_YEAR
    if hours >= 1:
        return f"{hours:.1f} h/yr"
    minutes = hours * 60
    if minutes >= 1:
        return f"{minutes:.0f} min/yr"
    return f"{minutes * 60:.0f} s/yr"


def _hard(relation) -> bool:
    return not (relation.off_path or relation.optional)


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
    """The composed availability of every entry point of every system (its worst route).

    One pass over the strongly connected components in reverse topological order. What a
    component needs is a bitset, so a dependency shared by two routes counts once; its
    product and weakest links are carried up from the callee that needs the most, and only
    what the other callees add beyond it is counted again (a tree of calls costs nothing
    extra, shared dependencies are never counted twice).
    """
    components = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "component")
    fold = _Fold(_Index(components, {n: graph.nodes[n]["element"].sla for n in components}))
    hard: dict[str, set[str]] = {n: set() for n in components}
    for u, v, data in graph.edges(data=True):
        if u in fold.bit and v in fold.bit and _hard(data["relation"]):
            hard[u].add(v)
    successors = {n: sorted(callees) for n, callees in hard.items()}
    sets, scc_of = condensed(successors)
    for scc, members in enumerate(sets):
        if len(members) > 1:  # a loop: every member needs every other, and all that any calls
            fold.loop(members, [v for n in members for v in successors[n] if scc_of[v] != scc])
            continue
        [node] = members
        callees = successors[node]
        if callees and is_router(graph, node):  # one route per request: the worst one
            callees = [min(callees, key=lambda v: (fold.product[v], v))]
        fold.settle(node, callees)

    results = []
    systems = graph.graph.get("systems", {})
    for system_id in sorted(systems):
        for entry in entry_points(graph, system_id):
            mask = fold.need[entry]
            availability = fold.product[entry] * 100 if mask & fold.index.known else None
            results.append(Composition(entry, system_id, availability, fold.weakest[entry],
                                       systems[system_id].sla, mask, fold.index))
    return results


class _Fold:
    """What each component's worst route needs, folded up from its callees."""

    def __init__(self, index: _Index):
        self.index = index
        self.bit = {n: 1 << i for i, n in enumerate(index.names)}
        self.need: dict[str, int] = {}  # what a component's worst route needs, itself included
        self.product: dict[str, float] = {}  # the availability of those with an sla, as a fraction
        self.weakest: dict[str, tuple] = {}  # their three lowest slas

    def own(self, node: str) -> tuple[float, tuple]:
        sla = self.index.sla[node]
        return (1.0, ()) if sla is None else (sla / 100, ((node, sla),))

    def recount(self, mask: int) -> tuple[float, tuple]:
        value, figures = 1.0, []
        for member in self.index.members(mask & self.index.known):
            sla = self.index.sla[member]
            assert sla is not None  # `known` holds only the members with an sla
            value *= sla / 100
            figures.append((member, sla))
        return value, _lowest(figures)

    def settle(self, node: str, callees: list[str]) -> None:
        """Small into large: start from the callee that needs the most, then add only what each
        other callee needs beyond that (all of it, with its product, when nothing is shared)."""
        need = self.need
        mask, value, low = self.bit[node], *self.own(node)
        for v in sorted(callees, key=lambda v: (-need[v].bit_count(), v)):
            added = need[v] & ~mask
            if added == need[v]:
                value *= self.product[v]
                low = _lowest(low + self.weakest[v])
            elif added:
                extra, figures = self.recount(added)
                value *= extra
                low = _lowest(low + figures)
            mask |= added
        need[node], self.product[node], self.weakest[node] = mask, value, low

    def loop(self, members: list[str], outside: list[str]) -> None:
        """Members of a cycle need one another and whatever any of them calls outside it."""
        mask = 0
        for node in members:
            mask |= self.bit[node]
        for v in outside:
            mask |= self.need[v]
        value, low = self.recount(mask)
        for node in members:
            self.need[node], self.product[node], self.weakest[node] = mask, value, low


def _lowest(figures) -> tuple:
    return tuple(sorted(figures, key=lambda f: (f[1], f[0]))[:3])
