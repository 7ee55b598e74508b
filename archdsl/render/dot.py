"""A scene as Graphviz DOT, built with the `graphviz` package: never by pasting strings.

Ranks follow the layers: a relation inside a layer, or back to an earlier one, does not
constrain the ranking (`constraint=false`).  Otherwise relations inside a layer chain
components into hundreds of ranks, and dot takes minutes on a thousand components.
Above `theme.BANDED` nodes a full view is drawn as bands by `osage` instead of ranked by dot.
This module, and so graphviz, is loaded only when a view is drawn (render/__init__.py).
"""

from __future__ import annotations

import graphviz

from ..model import format_ms
from ..safetext import xml_safe
from ..wording import plural
from . import ranks, theme
from .views import (
    LONE,
    OTHER_SYSTEM,
    STATE_GROUP,
    Scene,
    overview_group,
    relations_label,
)

_HIGHLIGHT = {
    "added": {"color": "#2F855A", "penwidth": "3", "xlabel": "+ added"},
    "removed": {"color": "#C53030", "penwidth": "3", "style": "filled,dashed", "xlabel": "− removed"},
    "changed": {"color": "#6B46C1", "penwidth": "3", "xlabel": "~ changed"},
}


def text(value: str) -> str:
    """Spec text made literal for a DOT label: line breaks flattened, control characters spelled
    out (XML cannot hold them), `&` as `&amp;` (Graphviz decodes entities such as `&#1;`), and
    backslashes doubled."""
    return graphviz.escape(xml_safe(" ".join(str(value).split())).replace("&", "&amp;"))


def lines(*parts: str) -> str:
    """A label of several lines, each already escaped; `\\n` is DOT's centred line break."""
    return graphviz.nohtml("\\n".join(p for p in parts if p))


def component_label(c, *, with_keeps: bool = False) -> str:
    kind = f"«{c.kind}»" + (f" · {text(c.tech)}" if c.tech else "")
    parts = [text(c.label), kind, theme.STATE_LABEL[c.effective_state]]
    if with_keeps:
        parts += [f"keeps {keep.describe(text)}" for keep in c.keeps]
    return lines(*parts)


def relation_label(r) -> str:
    detail = " · ".join(p for p in (text(r.protocol) if r.protocol else "",
                                    format_ms(r.latency_ms) if r.latency_ms is not None else "",
                                    r.how if r.how != "sync" else "") if p)
    return lines(text(r.label) if r.label else "", detail)


# How a full view is laid out: as designed (ranked), and, when Graphviz fails on that, the
# layouts that avoid each failure, in the order they are tried (render.drawing).
RANKED, STRAIGHT, PLAIN, PACKED = "ranked", "straight", "plain", "packed"
LAYOUTS = (RANKED, STRAIGHT, PLAIN, PACKED)


def first_layout(scene: Scene) -> str:
    """The layout a view is drawn with first: bands above `theme.BANDED` nodes, else ranked."""
    return PACKED if len(scene.nodes) > theme.BANDED and not scene.overview else RANKED


def to_dot(scene: Scene, graph, links=None, layout: str | None = None, legend: bool = True):
    """The `graphviz.Digraph` of a scene; `links(qid)`, when given, is where each component
    links to. `layout`: RANKED (layers in order, wide layers folded into rows, calls inside a
    small layer ranked, curved lines); STRAIGHT (the same with straight lines); PLAIN (the layers
    in order, but nothing ordering the nodes inside them: no rows, no ranks inside a layer;
    straight lines); PACKED (each layer a grid
    in written order, laid out by osage: the bands every view above `theme.BANDED` nodes is drawn
    as; see `first_layout`).
    `legend`: a legend drawn below the diagram (a file on its own); the site shows its legend in
    the page instead, so that the drawing holds the architecture only."""
    layout = layout or first_layout(scene)
    dot = graphviz.Digraph(name=_id(scene.system.id), strict=False)
    dot.attr("graph", **theme.GRAPH, label=text(scene.title))
    dot.attr("node", **theme.NODE)
    dot.attr("edge", **theme.EDGE)
    if scene.overview:
        _overview(dot, scene, graph, legend)
        if layout != RANKED:
            dot.attr("graph", splines="line")
        return dot
    if layout in (STRAIGHT, PLAIN):
        dot.attr("graph", splines="line")
    dot.attr("graph", **(theme.BANDS_LAYOUT if layout == PACKED else theme.ROOMY))
    drawing = _Full(dot, scene, graph, links, layout == PACKED)
    drawing.boxes()
    drawing.loose_nodes()
    if layout == PACKED:
        _packed_edges(dot, scene)
        if legend:
            _legend(dot, context=bool(scene.context), packed=True)
        return dot
    drawing.ranked_relations(ordered=layout != PLAIN)  # PLAIN keeps the layers in order, not the nodes in them
    if scene.migration is not None:
        _migration(dot, scene.migration)
    if legend:
        _legend(dot, drawing.groups[-1][-1] if drawing.groups else None, context=bool(scene.context))
    return dot


class _Full:
    """The writer of a full (not overview) view: its boxes and nodes, then its relations, ranked
    or packed. `bands` are the boxes top to bottom (a layer; in the state map, a layer inside a
    state) and `rank_group` the band of each node (-1 above them all: the people who call in)."""

    def __init__(self, dot, scene: Scene, graph, links, packed: bool):
        self.dot, self.scene, self.graph, self.links, self.packed = dot, scene, graph, links, packed
        self.with_keeps = scene.name == "state"
        self.largest = max((len(members) for *_, members in scene.groups), default=1)
        self.rank_group: dict[str, int] = {}
        self.bands: list[list[str]] = []
        self.grouped: set[str] = set()

    @property
    def groups(self) -> list[list[str]]:
        """The bands, in order, as the DOT names their nodes."""
        return [[_overview_id(m) for m in members] for members in self.bands]

    def packing(self, members: list[str]) -> str:
        """A box of a packed diagram: a grid as wide as the others."""
        return theme.grid(self.largest, max(_width(self.graph, self.scene, m, self.with_keeps) for m in members))

    def place(self, spot: int) -> int | None:  # a packed diagram places each box and node in order
        return spot if self.packed else None

    def boxes(self) -> None:
        for index, (group_id, label, state, members) in enumerate(self.scene.groups):
            with self.dot.subgraph(name=f"cluster_{index}_{_id(group_id)}") as sub:
                sub.attr(**theme.LAYER, label=text(label))
                if self.scene.name == "state":
                    sub.attr(fillcolor=theme.GROUP[state])
                if self.packed:
                    sub.attr(sortv=str(index + 1),
                             packmode="array_u1" if self.scene.name == "state" else self.packing(members))
                self.grouped.update(members)
                if self.scene.name == "state":
                    self.state_box(sub, index, group_id, members)
                    continue
                self.band(members)
                for spot, member in enumerate(members):
                    _any_node(sub, self.graph, member, self.scene, self.with_keeps, self.links, self.place(spot))

    def band(self, members: list[str]) -> None:
        self.rank_group.update(dict.fromkeys(members, len(self.bands)))
        self.bands.append(members)

    def state_box(self, sub, index: int, group_id: str, members: list[str]) -> None:
        """The state map: inside each state, a box per layer, in the layers' order."""
        by_layer: dict[str | None, list[str]] = {}
        for member in members:
            by_layer.setdefault(self.graph.nodes[member]["layer"], []).append(member)
        order = self.scene.system.layer_order()
        for place, layer_id in enumerate(sorted(by_layer, key=lambda i: (i is None, order.get(i, len(order))
                                                                          if i else 0))):
            self.band(by_layer[layer_id])
            if layer_id is None:
                for member in by_layer[layer_id]:
                    _node(sub, self.graph, member, self.scene, self.with_keeps, self.links, self.place(place))
                continue
            layer = self.scene.system.layer(layer_id)
            with sub.subgraph(name=f"cluster_{index}_{_id(group_id)}_{_id(layer_id)}") as inner:
                inner.attr(**theme.SUBLAYER, label=text(layer.label if layer else layer_id))
                if self.packed:
                    inner.attr(sortv=str(place), packmode=self.packing(by_layer[layer_id]))
                for spot, member in enumerate(by_layer[layer_id]):
                    _node(inner, self.graph, member, self.scene, self.with_keeps, self.links, self.place(spot))

    def loose_nodes(self) -> None:
        """What no box holds: components removed by a change (struck out), actors, other systems."""
        for ghost in self.scene.ghosts:
            attrs = dict(theme.STATE[ghost.effective_state])
            attrs.update(_HIGHLIGHT["removed"], shape=theme.SHAPE.get(ghost.kind, "box"),
                         label=component_label(ghost), tooltip=text(f"removed: {ghost.label}"))
            self.dot.node(ghost.qid, **attrs)
        callers = {r.source for r in self.scene.relations}
        for node in self.scene.nodes:
            if node in self.grouped:
                continue
            actor = node not in self.scene.collapsed and self.graph.nodes[node]["type"] == "actor"
            # people who call the system stand above it; outside systems it only calls, below
            above = actor and node in callers
            _any_node(self.dot, self.graph, node, self.scene, self.with_keeps, self.links,
                      self.place(0 if above else len(self.scene.groups) + 1))
            if actor:
                self.rank_group[node] = -1 if above else len(self.bands)

    def ranked_relations(self, ordered: bool) -> None:
        """The bands in order top to bottom; with `ordered`, calls inside a small band ranked and
        wide bands folded into rows; then every relation, each ranked as its ends' bands say."""
        scene, rank_group = self.scene, self.rank_group
        ranks.rank_groups(self.dot, self.groups)
        ranked_inside = ranks.calls_inside_small_groups(scene, rank_group, self.bands) if ordered else set()
        if ordered:
            ranked = {rank_group[r.source] for r in scene.relations if id(r) in ranked_inside}
            linked = {frozenset((r.source, r.target)) for r in scene.relations}
            ranks.wrap_wide_groups(self.dot, [b for i, b in enumerate(self.bands) if i not in ranked],
                                   lambda n: _width(self.graph, scene, n, self.with_keeps), linked, _overview_id)
        for r in scene.relations:
            self.relation(r, id(r) in ranked_inside)
        for source, target, n in scene.counted:  # to and from the neighbours drawn as one node per layer
            style = {"color": theme.CONTEXT_EDGE, "style": "solid"}
            above, below = rank_group.get(source), rank_group.get(target)
            if above is not None and below is not None and below <= above and above >= 0:
                style["constraint"] = "false"
            self.dot.edge(_overview_id(source), _overview_id(target), label=relations_label(n), **style)

    def relation(self, r, ranks: bool) -> None:
        style, tip = _relation_style(r, self.scene)
        a, b = self.rank_group.get(r.source), self.rank_group.get(r.target)
        ends = (r.source, r.target)
        if a is not None and b is not None and a >= 0 and b < a:
            # back to an earlier layer (a queue delivering to its worker): drawn downwards,
            # arrow at the top, so that it ranks like the layers and its label stays beside it
            ends = (r.target, r.source)
            style["dir"] = "back"
        elif a is not None and a == b and a >= 0 and not ranks:
            style["constraint"] = "false"
        label = relation_label(r)
        if label:  # an empty label still takes a rank of its own beside a call inside a layer
            style["label"] = label
        self.dot.edge(*ends, tooltip=text(tip), **style)


def _relation_style(r, scene: Scene) -> tuple[dict[str, str], str]:
    """A relation's line (sync, async, optional or background; faded to a neighbour) and its tooltip."""
    style = dict(theme.RELATION[r.how])
    if r.source in scene.context or r.target in scene.context:
        style["color"] = theme.CONTEXT_EDGE
    return style, f"{r.source} → {r.target}" + (f": {r.label}" if r.label else "")


def _packed_edges(dot, scene: Scene) -> None:
    """The relations of a huge diagram: straight lines in their relation's style, the words
    in the tooltip (on ten thousand lines, labels would cover the picture)."""
    for r in scene.relations:
        style, tip = _relation_style(r, scene)
        dot.edge(r.source, r.target, tooltip=text(tip), **style)
    for source, target, n in scene.counted:
        dot.edge(_overview_id(source), _overview_id(target), color=theme.CONTEXT_EDGE, tooltip=relations_label(n))


def _migration(dot, migration) -> None:
    """What a migration moves (a bold arrow from the old home to the new) and its phases, in
    order, with the share of traffic each carries."""
    if migration.source and migration.target:
        label = "migrates" + (f" ({migration.strategy})" if migration.strategy else "")
        dot.edge(migration.source, migration.target, label=label, **theme.MIGRATION, constraint="false")
    if not migration.phases:
        return
    with dot.subgraph(name="cluster_zy_phases") as phases:
        phases.attr(**theme.LAYER, label="Phases")
        with phases.subgraph(name="phase_row") as row:
            row.attr(rank="same")
            names = []
            for number, phase in enumerate(migration.phases, 1):
                name = f"@phase/{number}"
                traffic = f"{phase.traffic:g}% of traffic" if phase.traffic is not None else ""
                row.node(name, label=lines(f"{number}. {text(phase.name)}", traffic, text(phase.date or "")),
                         shape="note", fontsize="10", style="filled", fillcolor="#FFFFF0", color="#B7791F",
                         tooltip=text(phase.exit or phase.name))
                names.append(name)
            for left, right in zip(names, names[1:]):
                row.edge(left, right, color="#B7791F", arrowsize="0.6")
    anchor = migration.target or migration.source
    if anchor:
        dot.edge(anchor, "@phase/1", style="invis", weight="0")


def _width(graph, scene: Scene, node: str, with_keeps: bool) -> float:
    """About how wide a node is drawn, in pixels, from the longest line of its label."""
    if node in scene.collapsed or node not in graph:
        return 150.0
    element = graph.nodes[node]["element"]
    lines_of = [element.label, f"«{getattr(element, 'kind', '')}» · {getattr(element, 'tech', '')}"]
    if with_keeps:
        lines_of += [f"keeps {k.describe()}" for k in getattr(element, "keeps", ())]
    return max(len(line) for line in lines_of) * 6.5 + 24


def _any_node(dot, graph, node: str, scene: Scene, with_keeps: bool, links=None, order: int | None = None) -> None:
    """A component or actor, or a faded node standing for the neighbours in one layer; `order`:
    its place in a packed (huge) diagram."""
    if node not in scene.collapsed:
        _node(dot, graph, node, scene, with_keeps, links, order)
        return
    title, description, members = overview_group(scene, node)
    place = {"sortv": str(order)} if order is not None else {}
    dot.node(_overview_id(node), label=lines(text(title), f"{len(members)} neighbours"), shape="box3d",
             tooltip=text(description), **theme.CONTEXT, **place)


def _node(dot, graph, qid: str, scene: Scene, with_keeps: bool, links=None, order: int | None = None) -> None:
    data = graph.nodes[qid]
    element = data["element"]
    attrs: dict[str, str] = {"tooltip": text(element.description or element.label)}
    if order is not None:
        attrs["sortv"] = str(order)
    if data["type"] == "actor" and element.kind == "system":  # an outside party: a system, not a person
        attrs.update(theme.ACTOR_SYSTEM, label=lines(text(element.label), "«external system»"))
    elif data["type"] == "actor":
        attrs.update(theme.ACTOR, label=lines(theme.ACTOR_GLYPH, text(element.label)))
    else:
        attrs.update(theme.STATE[element.effective_state])
        attrs["shape"] = theme.SHAPE.get(element.kind, "box")
        if element.kind in theme.PERIPHERIES:
            attrs["peripheries"] = theme.PERIPHERIES[element.kind]
        if element.kind == "external":
            attrs.update(theme.EXTERNAL_STYLE)
        if attrs["shape"] in theme.MARGIN:
            attrs["margin"] = theme.MARGIN[attrs["shape"]]
        if element.kind in theme.EXTRA_STYLE:
            attrs["style"] += "," + theme.EXTRA_STYLE[element.kind]
        if attrs["shape"] not in ("box", "rect", "rectangle"):
            attrs["style"] = attrs["style"].replace(",rounded", "")
        attrs["label"] = component_label(element, with_keeps=with_keeps)
        if links is not None:
            attrs["URL"] = text(links(qid))
            attrs["target"] = "_top"
        elif element.link:
            attrs["URL"] = text(element.link)
            attrs["target"] = "_blank"
    if qid in scene.context:
        attrs.update(theme.CONTEXT)
    if qid in scene.highlight:
        attrs.update(_HIGHLIGHT[scene.highlight[qid]])
    if qid in scene.flags:  # a new finding: said beside the element, in red
        attrs["xlabel"] = " ".join(p for p in (attrs.get("xlabel", ""), text(scene.flags[qid])) if p)
        attrs["fontcolor"] = "#C53030" if qid not in scene.highlight else attrs.get("fontcolor", "#1A202C")
        attrs.setdefault("color", "#C53030")
    dot.node(qid, **attrs)


def _overview(dot, scene: Scene, graph, legend: bool = True) -> None:
    def draw(where, node: str) -> None:
        group = overview_group(scene, node)
        if group is None:
            _node(where, graph, node, scene, False)
            return
        title, description, members = group
        states = {graph.nodes[m]["element"].effective_state for m in members}
        state = states.pop() if len(states) == 1 else None
        mixed = len({graph.nodes[m]["element"].effective_state for m in members}) > 1
        label = lines(text(title), plural(len(members), "component"),
                      "mixed state" if mixed else theme.STATE_LABEL[state])
        where.node(_overview_id(node), label=label, shape="box3d", tooltip=text(description),
                   **(theme.MIXED if mixed else theme.STATE[state]))

    grouped = set()
    for index, (group_id, label, state, members) in enumerate(scene.groups):  # the state map's boxes
        with dot.subgraph(name=f"cluster_{index}_{_id(group_id)}") as sub:
            sub.attr(**{**theme.LAYER, "fillcolor": theme.GROUP[state]}, label=text(label))
            for member in members:
                draw(sub, member)
                grouped.add(member)
    for node in scene.nodes:
        if node not in grouped:
            draw(dot, node)
    ranks.rank_groups(dot, [[_overview_id(m) for m in members] for *_, members in scene.groups])
    for a, b, n in scene.relations:
        dot.edge(_overview_id(a), _overview_id(b), label=relations_label(n))
    system = scene.system
    last: str | None
    if scene.landscape:
        last = scene.nodes[-1] if scene.nodes else None
    elif scene.groups:
        last = scene.groups[-1][3][-1]
    else:
        last = f"layer:{system.layers[-1].id}" if system.layers else (scene.nodes[-1] if scene.nodes else None)
    if legend:
        _legend(dot, _overview_id(last) if last else None)


def _overview_id(node: str) -> str:
    return "@" + node.replace(":", "/") if node.startswith(("layer:", LONE, STATE_GROUP, OTHER_SYSTEM)) else node


def _legend(dot, above: str | None = None, context: bool = False, packed: bool = False) -> None:
    """A one-row legend below the diagram: the three states, a neighbour outside the view when
    there is one, and the two relation styles. `packed`: for osage, which places by `sortv`."""
    with dot.subgraph(name="cluster_zz_legend") as legend:
        legend.attr(**theme.LEGEND)
        if packed:
            legend.attr(sortv="1000000", packmode="array_u8")
        with legend.subgraph(name="legend_row") as row:
            row.attr(rank="same")
            boxes = ["stateless", "stateful", "managed"]
            place = iter(range(8))
            order = (lambda: {"sortv": str(next(place))}) if packed else dict
            for state in boxes:
                row.node(f"@legend/{state}", label=theme.STATE_LABEL[state], shape="box", fontsize="9",
                         width="0.9", height="0.3", **theme.STATE[state], **order())
            if context:
                row.node("@legend/context", label="neighbour", shape="box", fontsize="9", width="0.9",
                         height="0.3", **theme.CONTEXT, **order())
                boxes.append("context")
            if packed:  # osage draws every line straight, its label on top: the styles in words
                row.node("@legend/lines", label="dashed line: async · dotted line: optional",
                         shape="plaintext", fontsize="9", **order())
                return
            for name in ("a", "b", "c", "d"):
                row.node(f"@legend/{name}", label="", shape="point", width="0.05", **order())
            for left, right in zip(boxes, boxes[1:]):
                row.edge(f"@legend/{left}", f"@legend/{right}", style="invis")
            row.edge(f"@legend/{boxes[-1]}", "@legend/a", style="invis")
            row.edge("@legend/a", "@legend/b", label="async", style="dashed", fontsize="8", minlen="2")
            row.edge("@legend/b", "@legend/c", style="invis")
            row.edge("@legend/c", "@legend/d", label="optional", style="dotted", fontsize="8", minlen="2")
    if above:
        dot.edge(above, "@legend/stateless", style="invis", weight="0")


def _id(value: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in value)
