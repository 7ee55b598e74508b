"""Which elements a diagram shows: the system, the state map, a layer, a decision, a `view` block."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import ArchError
from ..wording import plural
from .theme import OVERVIEW_THRESHOLD

if TYPE_CHECKING:
    from ..model import System


class ViewError(ArchError):
    """A view that does not exist, or a spec with more than one system and no --system."""


@dataclass
class Scene:
    """What one diagram draws; everything in a stable order."""

    system: System
    name: str  # system, state, layer:api, decision:adr-1, or a view id
    title: str
    nodes: list[str]  # qualified ids, focus and context
    context: set[str] = field(default_factory=set)  # drawn faded: neighbours outside the view
    groups: list[tuple[str, str, str | None, list[str]]] = field(default_factory=list)  # (id, label, state, members)
    relations: list = field(default_factory=list)
    overview: bool = False
    migration: Any = None  # the migration a `migration:ID` view draws: its move and its phases
    landscape: dict = field(default_factory=dict)  # system id -> system, in the landscape view
    highlight: dict[str, str] = field(default_factory=dict)  # qid -> added/changed (diff)
    flags: dict[str, str] = field(default_factory=dict)  # qid -> words beside it: its new findings (diff)
    ghosts: list = field(default_factory=list)  # removed components, drawn from the base model (diff)
    # many neighbours: one faded node per layer (or other system) stands for those in it
    collapsed: dict[str, list[str]] = field(default_factory=dict)  # group node -> its members
    counted: list[tuple[str, str, int]] = field(default_factory=list)  # relations to and from them

    def file_stem(self) -> str:
        return self.name.replace(":", "-")


def view_names(system) -> list[str]:
    """Every view of a system, in the order `render --all` writes them."""
    names = ["system", "state"]
    names += [f"layer:{layer.id}" for layer in system.layers]
    names += [f"decision:{d.id}" for d in system.decisions]
    names += [f"migration:{m.id}" for m in system.migrations]
    names += [v.id for v in system.views]
    names += [f"flow:{f.id}" for f in system.flows]
    return names


LANDSCAPE = "landscape"  # every system of a spec and the relations between them


def pick_system(workspace, system_id: str | None, defined_in: str | None = None):
    """The system to draw: the one named, else the only one, else the one defined in the file
    the command named (`defined_in`, as findings show paths) when that file defines just one:
    a file that imports other systems draws its own, with theirs as context."""
    if system_id:
        system = workspace.system(system_id)
        if system is None:
            raise ViewError(f"no system '{system_id}'; systems: {', '.join(s.id for s in workspace.systems)}")
        return system
    if len(workspace.systems) == 1:
        return workspace.systems[0]
    if not workspace.systems:
        raise ViewError("the spec describes no system")
    own = [s for s in workspace.systems if defined_in is not None and s.file == defined_in]
    if len(own) == 1:
        return own[0]
    raise ViewError("the spec has several systems; choose one with --system: "
                    + ", ".join(s.id for s in workspace.systems))


def build_scene(workspace, system, name: str, *, overview_threshold: int = OVERVIEW_THRESHOLD) -> Scene:
    """The scene of view `name` of `system`."""
    graph = workspace.graph
    if name == LANDSCAPE:
        return _landscape(workspace, graph)
    if name in ("system", "state"):
        return _whole(graph, system, name, overview_threshold)
    for prefix, scene_of in (("layer:", _layer_scene), ("decision:", _decision_scene),
                             ("migration:", _migration_scene)):
        if name.startswith(prefix):
            return scene_of(graph, system, name, name[len(prefix):])
    view = next((v for v in system.views if v.id == name), None)
    if view is None:
        _no_such(system, f"view '{name}'")
    own = _own_nodes(graph, system.id)
    focus = _select(system, own, view.include) if view.include else list(own)
    dropped = set(_select(system, own, view.exclude))
    focus = [n for n in focus if n not in dropped]
    return _scene(graph, system, name, view.title or view.id, focus, set(), by="layer")


def _no_such(system, what: str) -> NoReturn:
    raise ViewError(f"no {what} in {system.id}; views: {', '.join(view_names(system))}")


def _whole(graph, system, name: str, overview_threshold: int) -> Scene:
    """The system view or the state map: an overview above `overview_threshold` components."""
    own = _own_nodes(graph, system.id)
    overview = sum(1 for n in own if graph.nodes[n]["type"] == "component") > overview_threshold
    if name == "state":
        if overview:
            return _overview(graph, system, by="state")
        return _scene(graph, system, name, f"{system.label}: state map", own, set(), by="state")
    if overview:
        return _overview(graph, system)
    # what it uses of other systems (imported), drawn faded beside it
    outside = {n for n in _neighbours(graph, own) if graph.nodes[n]["system"] != system.id}
    return _scene(graph, system, name, system.label, own, outside, by="layer")


def _layer_scene(graph, system, name: str, layer_id: str) -> Scene:
    layer = system.layer(layer_id)
    if layer is None:
        _no_such(system, f"layer '{layer_id}'")
    focus = list(layer.components)
    return _scene(graph, system, name, f"{system.label}: {layer.label}", focus, _neighbours(graph, focus), by="layer")


def _decision_scene(graph, system, name: str, decision_id: str) -> Scene:
    decision = next((d for d in system.decisions if d.id == decision_id), None)
    if decision is None:
        _no_such(system, f"decision '{decision_id}'")
    focus = [q for q in map(system.qualify, decision.affects) if q in graph]
    return _scene(graph, system, name, f"{decision.id}: {decision.title}", focus, _neighbours(graph, focus),
                  by="layer")


def _migration_scene(graph, system, name: str, migration_id: str) -> Scene:
    migration = next((m for m in system.migrations if m.id == migration_id), None)
    if migration is None:
        _no_such(system, f"migration '{migration_id}'")
    focus = [q for q in (migration.source, migration.target) if q and q in graph]
    scene = _scene(graph, system, name, f"Migration: {migration.label}", focus, _neighbours(graph, focus),
                   by="layer")
    scene.migration = migration
    return scene


def _own_nodes(graph, system_id: str) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d["system"] == system_id)


def _select(system, own: list[str], items: list[str]) -> list[str]:
    chosen: list[str] = []
    for item in items:
        if item.startswith("layer:"):
            layer = system.layer(item[6:])
            chosen += layer.components if layer else []
        else:
            chosen.append(system.qualify(item))
    return [n for n in dict.fromkeys(chosen)]


def _neighbours(graph, focus: list[str]) -> set[str]:
    found = set()
    for node in focus:
        found.update(graph.predecessors(node))
        found.update(graph.successors(node))
    return found - set(focus)


CONTEXT_LIMIT = 40  # neighbours drawn one by one; above it, one node per layer stands for them


def _scene(graph, system, name, title, focus, context, *, by: str) -> Scene:
    """The nodes, relations and groups of one view: work in proportion to what it shows."""
    nodes = sorted(set(focus) | context)
    shown, neighbours = set(nodes), set(context)
    home = {n: n for n in nodes}  # where a node is drawn: itself, or the group standing for it
    collapsed: dict[str, list[str]] = {}
    if len(context) > CONTEXT_LIMIT:
        collapsed = _collapse(graph, system, context, home)
        context = {n for n in context if home[n] == n} | set(collapsed)
        nodes = sorted({home[n] for n in nodes})
    relations, counts = _relations_between(graph, shown, neighbours, home)
    scene = Scene(system, name, title, nodes, set(context), relations=relations, collapsed=collapsed,
                  counted=sorted((a, b, n) for (a, b), n in counts.items()))
    scene.groups = _layer_groups(graph, system, nodes, collapsed) if by == "layer" else _state_groups(graph, nodes)
    return scene


def _collapse(graph, system, context: set[str], home: dict[str, str]) -> dict[str, list[str]]:
    """Many neighbours: one group per layer (or other system) stands for the components in it;
    `home` learns where each is drawn."""
    collapsed: dict[str, list[str]] = {}
    for n in sorted(context):
        data = graph.nodes[n]
        if data["type"] != "component":
            continue
        if data["system"] != system.id:
            group = f"{OTHER_SYSTEM}{data['system']}"
        else:
            group = f"layer:{data['layer']}" if data["layer"] is not None else LONE
        collapsed.setdefault(group, []).append(n)
        home[n] = group
    return collapsed


def _relations_between(graph, shown: set[str], neighbours: set[str], home: dict[str, str]):
    """The relations a view draws (none between two neighbours), and how many run between the
    groups that stand for collapsed neighbours."""
    relations = []
    counts: dict[tuple[str, str], int] = {}
    for u in sorted(shown):
        for _, v, d in graph.out_edges(u, data=True):
            if v not in shown or (u in neighbours and v in neighbours):
                continue
            if home[u] == u and home[v] == v:
                relations.append(d["relation"])
            else:
                counts[(home[u], home[v])] = counts.get((home[u], home[v]), 0) + 1
    relations.sort(key=lambda r: (r.source, r.target, r.label, r.span.line))
    return relations, counts


def _layer_groups(graph, system, nodes: list[str], collapsed) -> list:
    """A box per layer of the system, in the layers' order, its members in written order."""
    by_layer: dict[str, set[str]] = {}
    for n in nodes:
        if n.startswith("layer:"):
            by_layer.setdefault(n[6:], set()).add(n)
            continue
        if n in collapsed:
            continue
        data = graph.nodes[n]
        if data["layer"] is not None and data["system"] == system.id:
            by_layer.setdefault(data["layer"], set()).add(n)
    order = system.layer_order()
    groups = []
    for layer_id in sorted(by_layer, key=lambda i: order.get(i, len(order))):
        layer = system.layer(layer_id)
        members = [n for n in layer.components if n in by_layer[layer_id]]
        members += sorted(n for n in by_layer[layer_id] if n in collapsed)
        groups.append((layer.id, layer.label, layer.default_state, members))
    return groups


def _state_groups(graph, nodes: list[str]) -> list:
    """A box per state, its components in the view's order."""
    groups = []
    for state, label in _STATE_GROUPS:
        members = [n for n in nodes if graph.nodes[n]["type"] == "component"
                   and graph.nodes[n]["element"].effective_state == state]
        if members:
            groups.append((state or "unknown", label, state, members))
    return groups


_STATE_GROUPS = (("stateless", "Stateless"), ("stateful", "Stateful"), ("managed", "Managed data"),
                 (None, "State unknown"))

LONE = "lone:"  # the overview's one node for every component outside the layers


def _overview(graph, system, by: str = "layer") -> Scene:
    """A node per layer, one for all the components outside layers, one per actor; relations
    counted between them. However large the system, the layout sees a handful of nodes.

    The state map's overview (`by="state"`) splits each of those nodes by state, and groups
    them in one box per state, as the full state map does."""
    if by == "layer":
        scene = Scene(system, "system", f"{system.label} (overview)", [], overview=True)
    else:
        scene = Scene(system, "state", f"{system.label}: state map (overview)", [], overview=True)
    home = {}
    for layer in system.layers:
        for member in layer.components:
            home[member] = f"layer:{layer.id}"
    for node in _own_nodes(graph, system.id):
        data = graph.nodes[node]
        if data["type"] != "component":
            home.setdefault(node, node)
            continue
        place = home.setdefault(node, LONE)
        if by == "state":
            home[node] = f"{STATE_GROUP}{data['element'].effective_state or 'unknown'}/{place}"
    scene.nodes = sorted(set(home.values()))
    if by == "state":
        for state, label in _STATE_GROUPS:
            members = [n for n in scene.nodes if n.startswith(f"{STATE_GROUP}{state or 'unknown'}/")]
            if members:
                scene.groups.append((state or "unknown", label, state, members))
    counts: dict[tuple[str, str], int] = {}
    for u, v in graph.edges():
        if u in home and v in home and home[u] != home[v]:
            key = (home[u], home[v])
            counts[key] = counts.get(key, 0) + 1
    scene.relations = [(a, b, n) for (a, b), n in sorted(counts.items())]
    return scene


OTHER_SYSTEM = "system:"  # a neighbour group: the components of another system next to a view
def _landscape(workspace, graph) -> Scene:
    """A node per system, relations between systems counted: how the systems of a spec fit."""
    first = workspace.systems[0]
    scene = Scene(first, LANDSCAPE, "Landscape", [f"{OTHER_SYSTEM}{s.id}" for s in workspace.systems],
                  overview=True)
    counts: dict[tuple[str, str], int] = {}
    for u, v in graph.edges():
        a, b = graph.nodes[u]["system"], graph.nodes[v]["system"]
        if a != b:
            counts[(a, b)] = counts.get((a, b), 0) + 1
    scene.relations = [(f"{OTHER_SYSTEM}{a}", f"{OTHER_SYSTEM}{b}", n) for (a, b), n in sorted(counts.items())]
    scene.landscape = {s.id: s for s in workspace.systems}
    return scene


STATE_GROUP = "state:"  # the state overview's nodes: state:STATE/layer:ID or state:STATE/lone:


def overview_group(scene: Scene, node: str):
    """(label, description, members) of an overview node that stands for several components,
    or None for a node that is one element."""
    if scene.landscape and node.startswith(OTHER_SYSTEM):
        other = scene.landscape[node[len(OTHER_SYSTEM):]]
        return other.label, other.description or other.label, [c.qid for c in other.components]
    if node in scene.collapsed:
        label = _collapsed_label(scene.system, node)
        members = scene.collapsed[node]
        return label, f"{len(members)} neighbours in {label}", list(members)
    if node.startswith(STATE_GROUP):
        return _state_part(scene, node)
    if node.startswith("layer:"):
        layer = scene.system.layer(node[6:])
        return (layer.label, layer.description or layer.label, list(layer.components)) if layer else None
    if node == LONE:
        members = [c.qid for c in scene.system.components if c.layer is None]
        return "Outside layers", "Components that stand in no layer", members
    return None


def _collapsed_label(system, node: str) -> str:
    """What a node that stands for a view's many neighbours is called: their system or layer."""
    if node.startswith(OTHER_SYSTEM):
        return node[len(OTHER_SYSTEM):]
    if node == LONE:
        return "Outside layers"
    layer = system.layer(node[6:])
    return layer.label if layer else node[6:]


def _state_part(scene: Scene, node: str):
    """A node of the state overview: the components of one layer (or none) in one state."""
    state, _, place = node[len(STATE_GROUP):].partition("/")
    found = overview_group(scene, place)
    if found is None:
        return None
    label, description, members = found
    by_id = {c.qid: c for c in scene.system.components}
    kept = [m for m in members if (by_id[m].effective_state or "unknown") == state]
    return label, f"{description} ({state})", kept


def relations_label(n: int) -> str:
    """What a line standing for `n` relations says."""
    return plural(n, "relation")


def overview_label(scene: Scene, graph, node: str) -> str:
    group = overview_group(scene, node)
    return group[0] if group else graph.nodes[node]["element"].label
