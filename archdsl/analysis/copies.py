"""Where user data and sessions live, and which stores hold the only copy of them (not to be
confused with `states.py`, which settles each component's stateless/stateful state).

A component holds user data when some `keeps "…" as user-data|session in COMPONENT`
names it, when it keeps some in its own memory or disk, or when it is a store whose
contents are the records themselves (a database, object store, queue or stream) and
no `keeps` says it holds only caches or reference data.  It holds the only copy when it is declared
`replication 1` or `failover none` (one failure loses what it holds), or `storage ephemeral` with no
second copy (any restart loses it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import STORE_KINDS


@dataclass(frozen=True)
class Held:
    """One piece of precious state in a store: what it is and who keeps it there."""

    what: str
    kind: str
    keeper: str  # qualified id of the component whose `keeps` names the store


@dataclass(frozen=True)
class SingleCopy:
    """A store that holds the only copy of user data or sessions."""

    store: str  # qualified id
    held: tuple[Held, ...]  # empty when it is a store by kind and no `keeps` names it
    why: str  # "storage ephemeral", "replication 1" or "failover none"
    attribute: str  # the model field that says so: storage, replication or failover

    @property
    def lost_on_restart(self) -> bool:
        """Not even a failure: any restart of its instance loses what it holds."""
        return self.attribute == "storage"

    @property
    def whats(self) -> tuple[str, ...]:
        """What it holds, each piece once, in the order the specs name them."""
        return tuple(dict.fromkeys(h.what for h in self.held))

    def describe(self) -> str:
        """`'orders' (kept by orders), 'carts' (kept by carts)`, or what its kind holds."""
        if not self.held:
            return ""
        keepers: dict[str, list[str]] = {}
        for h in self.held:
            keepers.setdefault(h.what, []).append(h.keeper.split(".", 1)[1])
        return ", ".join(f"'{what}' (kept by {', '.join(dict.fromkeys(who))})" for what, who in keepers.items())


def local_precious(component) -> list:
    """The user data and sessions a component keeps in its own memory or disk."""
    return [k for k in component.keeps if k.local and k.precious]


def held_in(systems) -> dict[str, list[Held]]:
    """Qualified store id -> the user data and sessions other components keep in it."""
    found: dict[str, list[Held]] = {}
    for system in systems:
        for component in system.components:
            for keep in component.keeps:
                if keep.target and keep.precious:
                    found.setdefault(keep.target, []).append(Held(keep.what, keep.kind, component.qid))
    return found


def single_copies(systems) -> list[SingleCopy]:
    """Every store of user data or sessions declared to keep a single copy, by qualified id."""
    systems = list(systems)
    held = held_in(systems)
    named = {k.target for system in systems for c in system.components for k in c.keeps if k.target}
    out = []
    components = [c for system in systems for c in system.components]
    for component in sorted(components, key=lambda c: c.qid):
        mine = tuple(held.get(component.qid, ()))
        own = local_precious(component)
        # a store counts by its kind unless the `keeps` that name it say it holds only
        # caches or reference data
        by_kind = component.kind in STORE_KINDS and component.qid not in named
        if not (mine or own or by_kind):
            continue
        if component.storage == "ephemeral" and (component.replication or 1) < 2:
            why, attribute = "storage ephemeral, so any restart loses it", "storage"
        elif component.replication == 1:
            why, attribute = "replication 1", "replication"
        elif component.failover == "none":
            why, attribute = "failover none", "failover"
        else:
            continue
        mine += tuple(Held(k.what, k.kind, component.qid) for k in own)
        out.append(SingleCopy(component.qid, mine, why, attribute))
    return out


def single_copies_by_system(systems) -> dict[str, list[SingleCopy]]:
    """`single_copies` over every system at once (a `keeps` may name another system's store),
    grouped by the system of the store; every system has an entry."""
    systems = list(systems)
    found: dict[str, list[SingleCopy]] = {system.id: [] for system in systems}
    for single in single_copies(systems):
        found[single.store.split(".", 1)[0]].append(single)
    return found
