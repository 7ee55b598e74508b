"""A workspace as C4-PlantUML: one diagram per view, in one file of `@startuml … @enduml` blocks.

Each system's whole view and each of its `view` blocks is a container diagram (layers are
boundaries, neighbours from other systems are external containers, each component tagged with
its state, which the legend explains); each flow is a dynamic diagram, its steps numbered; a
spec of several systems also gets a landscape. The diagrams are drawn from the scenes `render`
draws, so they show what archdsl's own diagrams show.

Spec text is made inert for PlantUML: its preprocessor expands `%function()` and `$variable`
anywhere, and creole reads `<img:…>` and `[[…]]` in a label, so those characters (and `"`, `\\`)
are written as look-alikes that draw the same and mean nothing to it."""

from __future__ import annotations

from ..render.exports import safe_ids
from ..render.views import LANDSCAPE, build_scene
from ..safetext import xml_safe
from ..version import __version__

INERT = str.maketrans({'"': "\u201d", "\\": "\uff3c", "%": "\uff05", "$": "\uff04", "<": "\u2039", ">": "\u203a",
                       "[": "\uff3b", "]": "\uff3d", "{": "\uff5b", "}": "\uff5d"})
STORES = ("database", "object-store", "search", "cache")
QUEUES = ("queue", "stream")
LEGEND = [
    'AddElementTag("stateful", $borderColor="#b03a2e", $legendText="stateful: keeps state in its instances")',
    'AddElementTag("stateless", $borderColor="#2874a6", $legendText="stateless: any instance serves any request")',
    'AddElementTag("managed", $borderColor="#7d3c98", $legendText="managed: a store or service that keeps it")',
    'AddRelTag("async", $lineStyle=DashedLine(), $legendText="async: no one waits")',
    'AddRelTag("background", $lineStyle=DottedLine(), $legendText="background: off every request path")',
]


def text(value) -> str:
    """Spec text as a PlantUML string's inside: one line, nothing PlantUML would read."""
    return " ".join(xml_safe(str(value)).split()).translate(INERT)


def export_plantuml(workspace, source: str) -> str:
    """Every diagram of the workspace, in the order `render --all` draws them."""
    out = [f"' C4-PlantUML exported by archdsl {__version__} from {text(source)}: one diagram per view"]
    graph = workspace.graph
    if len(workspace.systems) > 1:
        out += _landscape(workspace, graph)
    for system in workspace.systems:
        for name in ["system", *(v.id for v in system.views)]:
            out += _containers(build_scene(workspace, system, name), graph, f"{system.id}-{name}")
        for flow in system.flows:
            out += _dynamic(system, flow, graph)
    return "\n".join(out) + "\n"


def _start(name: str, library: str, title: str) -> list[str]:
    alias = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in name)
    return ["", f"@startuml {alias}", f"!include <C4/{library}>", "", f'title "{text(title)}"', *LEGEND, ""]


def _element(graph, qid: str, alias: str, external: bool = False) -> str:
    data = graph.nodes[qid]
    element = data["element"]
    label, description = text(element.label), text(element.description or "")
    if data["type"] == "actor":
        macro = "Person" if element.kind == "person" else "System_Ext"
        return f'{macro}({alias}, "{label}", "{description}")'
    macro = "ContainerDb" if element.kind in STORES else "ContainerQueue" if element.kind in QUEUES else "Container"
    if external:
        macro += "_Ext"
    technology = text(" · ".join(p for p in (element.tech, element.kind) if p))
    state = element.effective_state
    tags = f', $tags="{state}"' if state in ("stateful", "stateless", "managed") else ""
    return f'{macro}({alias}, "{label}", "{technology}", "{description}"{tags})'


def _relation(r, ids: dict[str, str]) -> str:
    label = text(r.label or r.description or "")
    technology = text(r.tech or r.protocol or "")
    tags = f', $tags="{r.how}"' if r.how in ("async", "background") else ""
    return f'Rel({ids[r.source]}, {ids[r.target]}, "{label}", "{technology}"{tags})'


def _containers(scene, graph, name: str) -> list[str]:
    system = scene.system
    out = _start(name, "C4_Container", scene.title)
    ids = safe_ids(scene.nodes)
    own = [n for n in scene.nodes if n not in scene.collapsed and graph.nodes[n].get("system") == system.id]
    inside = [n for n in own if graph.nodes[n]["type"] == "component"]
    outside = [n for n in scene.nodes if n not in inside]
    for node in outside:
        if node in scene.collapsed:
            members = scene.collapsed[node]
            out.append(f'Container_Ext({ids[node]}, "{text(node)}", "", "{len(members)} components")')
        else:
            out.append(_element(graph, node, ids[node], external=graph.nodes[node]["type"] == "component"))
    out += _boundary(scene, graph, ids, inside)
    out += [_relation(r, ids) for r in scene.relations]
    out += [f'Rel({ids[a]}, {ids[b]}, "{n} relations")' for a, b, n in scene.counted]
    return out + ["", "SHOW_LEGEND()", "@enduml"]


def _boundary(scene, graph, ids: dict[str, str], inside: list[str]) -> list[str]:
    """The system's own components, in a boundary, each layer a boundary inside it."""
    system = scene.system
    groups = safe_ids([g[0] for g in scene.groups], "g_")
    out = [f'System_Boundary(g_system, "{text(system.title or system.id)}") {{']
    placed = set()
    for group_id, label, _state, members in scene.groups:
        mine = [m for m in members if m in inside]
        if mine:
            out.append(f'  Boundary({groups[group_id]}, "{text(label)}", "layer") {{')
            out += [f"    {_element(graph, m, ids[m])}" for m in mine]
            out.append("  }")
            placed.update(mine)
    out += [f"  {_element(graph, n, ids[n])}" for n in inside if n not in placed]
    return out + ["}"]


def _dynamic(system, flow, graph) -> list[str]:
    out = _start(f"{system.id}-flow-{flow.id}", "C4_Dynamic", f"{flow.title or flow.id} (flow)")
    nodes = list(dict.fromkeys(q for step in flow.steps for q in (step.source, step.target)))
    ids = safe_ids(nodes)
    out += [_element(graph, n, ids[n]) for n in nodes if n in graph]
    for step in flow.steps:
        words = [step.label or step.description or ""]
        if step.group is not None:
            words.append(f"(parallel group {step.group})")
        if step.is_async:
            words.append("(async)")
        out.append(f'Rel({ids[step.source]}, {ids[step.target]}, "{text(" ".join(w for w in words if w))}")')
    return out + ["", "SHOW_LEGEND()", "@enduml"]


def _landscape(workspace, graph) -> list[str]:
    scene = build_scene(workspace, workspace.systems[0], LANDSCAPE)
    out = _start("landscape", "C4_Context", "Landscape")
    ids = safe_ids(scene.nodes)
    for node in scene.nodes:
        system = scene.landscape.get(node)
        if system is not None:
            out.append(f'System({ids[node]}, "{text(system.title or system.id)}", "{text(system.description)}")')
        elif node in graph:
            out.append(_element(graph, node, ids[node]))
    for a, b, n in scene.counted:
        if a in ids and b in ids:
            out.append(f'Rel({ids[a]}, {ids[b]}, "{n} relations")')
    return out + ["", "SHOW_LEGEND()", "@enduml"]
