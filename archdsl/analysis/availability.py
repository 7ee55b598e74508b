"""Availability composed over hard synchronous dependencies (seed, criterion 3 and its SLA table).

An entry point is up only when it and everything it calls synchronously and cannot
do without are up: the product of their SLAs.  Async relations and `optional` ones
(soft dependencies) are left out.  A component without an `sla` has no figure: it is
named as missing instead of guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import entry_points

HOURS_PER_YEAR = 365.25 * 24


@dataclass(frozen=True)
class Composition:
    entry: str
    system: str
    availability: float | None  # percent, over the members with an sla; None when none has one
    members: tuple[str, ...]  # the entry and its hard dependencies, sorted
    weakest: tuple[tuple[str, float], ...]  # lowest slas first, at most three
    missing: tuple[str, ...]  # members without an sla
    target: float | None

    @property
    def below_target(self) -> bool:
        return (self.target is not None and self.availability is not None
                and self.availability < self.target - 1e-9)

    @property
    def downtime(self) -> str:
        return downtime_per_year(self.availability) if self.availability is not None else "unknown"


def downtime_per_year(percent: float) -> str:
    """Yearly downtime of an availability, in the units of the seed's SLA table."""
    hours = (1 - percent / 100) * HOURS_PER_YEAR
    if hours >= 1:
        return f"{hours:.1f} h/yr"
    minutes = hours * 60
    if minutes >= 1:
        return f"{minutes:.0f} min/yr"
    return f"{minutes * 60:.0f} s/yr"


def hard_dependencies(graph, start: str) -> list[str]:
    """`start` and every element it reaches over synchronous, non-optional relations."""
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        for _, target, data in graph.out_edges(node, data=True):
            relation = data["relation"]
            if relation.is_async or relation.optional or target in seen:
                continue
            seen.add(target)
            todo.append(target)
    return sorted(seen)


def compose(graph) -> list[Composition]:
    """The composed availability of every entry point of every system."""
    results = []
    systems = graph.graph.get("systems", {})
    for system_id in sorted(systems):
        target = systems[system_id].sla
        for entry in entry_points(graph, system_id):
            members = hard_dependencies(graph, entry)
            figures = []
            missing = []
            for member in members:
                data = graph.nodes[member]
                sla = getattr(data["element"], "sla", None) if data["type"] == "component" else None
                if data["type"] == "actor":
                    continue  # outside parties: their availability is not ours to compose
                if sla is None:
                    missing.append(member)
                else:
                    figures.append((member, sla))
            product = 1.0
            for _, sla in figures:
                product *= sla / 100
            weakest = tuple(sorted(figures, key=lambda f: (f[1], f[0]))[:3])
            availability = product * 100 if figures else None
            results.append(Composition(entry, system_id, availability, tuple(members), weakest,
                                       tuple(missing), target))
    return results
