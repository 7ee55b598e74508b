"""The ranks of a diagram: layers kept in order top to bottom, calls inside a small layer
ranked caller above callee, and layers wider than the page folded into rows. Invisible
nodes and edges only; what is drawn is `dot.py`'s."""

from __future__ import annotations

from . import theme
from .views import Scene


def rank_groups(dot, groups: list[list[str]]) -> None:
    """Keep groups in their order, top to bottom: an invisible point between two groups sits
    below every member of the one and above every member of the next (two invisible edges
    per node: linear in the spec)."""
    for index, (upper, lower) in enumerate(zip(groups, groups[1:])):
        hub = f"@rank/{index}"
        dot.node(hub, label="", shape="point", style="invis", width="0", height="0")
        for member in upper:
            dot.edge(member, hub, style="invis", weight="0")
        for member in lower:
            dot.edge(hub, member, style="invis", weight="0")


def calls_inside_small_groups(scene: Scene, rank_group: dict[str, int], bands: list[list[str]]) -> set[int]:
    """The relations inside a small layer that may rank its members, caller above callee, so
    that they run down through the layer instead of arcing over it with their labels piled
    up: those of a depth-first walk that close no loop (ids of the relation objects)."""
    sizes = {index: len(members) for index, members in enumerate(bands)}
    inside: dict[str, list] = {}
    for r in scene.relations:
        group = rank_group.get(r.source)
        if group is not None and group >= 0 and group == rank_group.get(r.target) \
                and sizes.get(group, 0) <= theme.SMALL_GROUP and r.source != r.target:
            inside.setdefault(r.source, []).append(r)
    kept: set[int] = set()
    state: dict[str, int] = {}  # 1: on the walk, 2: done
    for start in sorted(inside):
        if start in state:
            continue
        state[start] = 1
        walk = [(start, iter(inside.get(start, ())))]
        while walk:
            node, edges = walk[-1]
            for r in edges:
                seen = state.get(r.target)
                if seen == 1:
                    continue  # closes a loop: left out of the ranking
                kept.add(id(r))
                if seen is None:
                    state[r.target] = 1
                    walk.append((r.target, iter(inside.get(r.target, ()))))
                    break
            else:
                state[node] = 2
                walk.pop()
    return kept


def wrap_wide_groups(dot, bands: list[list[str]], width, linked: set[frozenset[str]], node_id) -> None:
    """A layer wider than the page is folded into rows, in its written order: each row one
    rank, each row below the one before. At most `theme.ROW` members a row, fewer when their
    labels are long. (A layer whose own calls rank it is already folded by them.)

    Two neighbours of a row that a relation joins (`linked`) get no invisible edge: a labelled
    line beside an invisible one between the same two nodes of one rank is what Graphviz cannot
    route ("in routesplines, illegal values of prev", "lost edge": 55 of 192 layouts of synthetic
    systems of 40-300 components failed so). `node_id` names a member as the DOT names it."""
    for band, members in enumerate(bands):
        widest = max((width(m) for m in members), default=0)
        fits = max(1, min(theme.ROW, int(theme.PAGE_WIDTH // (widest + 30))))
        if len(members) <= fits:
            continue
        count = -(-len(members) // fits)
        per_row = -(-len(members) // count)
        ids = [node_id(m) for m in members]
        rows = [ids[i:i + per_row] for i in range(0, len(ids), per_row)]
        for index, row in enumerate(rows):
            with dot.subgraph(name=f"row_{band}_{index}") as line:
                line.attr(rank="same")
                for member in row:
                    line.node(member)
                for left, right in zip(row, row[1:]):  # in the written order, left to right
                    if frozenset((left, right)) not in linked:
                        line.edge(left, right, style="invis", weight="0")
        for upper, lower in zip(rows, rows[1:]):
            dot.edge(upper[0], lower[0], style="invis", weight="0")
