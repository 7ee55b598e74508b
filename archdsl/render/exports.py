"""A scene as Mermaid, D2 or JSON (networkx node-link), every spec string escaped for its target."""

from __future__ import annotations

import json

from ..safetext import xml_safe
from . import theme
from .views import Scene, overview_group, overview_label, relations_label


def safe_ids(names: list[str], prefix: str = "n_") -> dict[str, str]:
    """Identifiers safe in Mermaid and D2 (letters, digits, `_`), unique, stable; nodes are
    `n_…` and groups `g_…`, so that a node and a group never share one."""
    found: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = prefix + "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate)
        found[name] = candidate
    return found


# ---------------------------------------------------------------- Mermaid

_MERMAID = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "`": "#96;", "&": "#amp;",
            "|": "#124;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", "\\": "#92;"}


def mermaid_text(value: str) -> str:
    """Spec text inside a Mermaid quoted label: entity codes for everything Mermaid reads,
    control characters spelled out."""
    flat = " ".join(xml_safe(str(value)).split())
    return "".join(_MERMAID.get(ch, ch) for ch in flat)


def to_mermaid(scene: Scene, graph) -> str:
    if scene.overview:
        return _mermaid_overview(scene, graph)
    ids = safe_ids(scene.nodes)
    out = ["---", f'title: "{mermaid_text(scene.title)}"', "---", "flowchart TB"]
    for name, style in theme.MERMAID_CLASSES.items():
        out.append(f"  classDef {name} {style}")
    grouped = set()
    groups = safe_ids([g[0] for g in scene.groups], "g_")
    for group_id, label, _state, members in scene.groups:
        out.append(f'  subgraph {groups[group_id]}["{mermaid_text(label)}"]')
        for member in members:
            out.append("    " + _mermaid_node(graph, member, ids, scene))
            grouped.add(member)
        out.append("  end")
    for node in scene.nodes:
        if node not in grouped:
            out.append("  " + _mermaid_node(graph, node, ids, scene))
    out += _mermaid_relations(scene, ids)
    out += _mermaid_classes(scene, graph, ids)
    return "\n".join(out) + "\n"


def _mermaid_relations(scene: Scene, ids: dict[str, str]) -> list[str]:
    """The relations (async dashed, optional and background dotted), then the counted ones to
    collapsed groups."""
    out, styles = [], []
    for index, r in enumerate(scene.relations):
        arrow = "-->" if r.how == "sync" else "-.->"
        parts = [p for p in (r.label, r.protocol, r.how if r.how != "sync" else "") if p]
        label = f'|"{mermaid_text(" · ".join(parts))}"|' if parts else ""
        out.append(f"  {ids[r.source]} {arrow}{label} {ids[r.target]}")
        if r.how == "async":
            styles.append(f"  linkStyle {index} stroke-dasharray:6 4")
        elif r.how != "sync":
            styles.append(f"  linkStyle {index} stroke-dasharray:2 3")
    out += [f'  {ids[a]} -->|"{relations_label(n)}"| {ids[b]}' for a, b, n in scene.counted]
    return out + styles


def _mermaid_classes(scene: Scene, graph, ids: dict[str, str]) -> list[str]:
    """Each node's colour by its state (actors and collapsed groups their own)."""
    classes: dict[str, list[str]] = {}
    for node in scene.nodes:
        if node in scene.collapsed:
            classes.setdefault("unknown", []).append(ids[node])
            continue
        data = graph.nodes[node]
        key = "actor" if data["type"] == "actor" else (data["element"].effective_state or "unknown")
        classes.setdefault(key, []).append(ids[node])
    return [f"  class {','.join(classes[key])} {key}" for key in sorted(classes)]


def _mermaid_node(graph, qid: str, ids: dict[str, str], scene: Scene) -> str:
    if qid in scene.collapsed:
        title, _, members = overview_group(scene, qid)
        return f'{ids[qid]}["{mermaid_text(title)}<br/>{len(members)} neighbours"]'
    data = graph.nodes[qid]
    element = data["element"]
    if data["type"] == "actor":
        return f'{ids[qid]}(["{mermaid_text(element.label)}"])'
    label = f"{mermaid_text(element.label)}<br/>«{element.kind}» {element.effective_state or 'unknown'}"
    shapes = {"database": ('[("', '")]'), "cache": ('[("', '")]'), "queue": ('[/"', '"/]'),
              "stream": ('[/"', '"/]'), "gateway": ('{{"', '"}}')}
    left, right = shapes.get(element.kind, ('["', '"]'))
    return f"{ids[qid]}{left}{label}{right}"


def _mermaid_overview(scene: Scene, graph) -> str:
    ids = safe_ids(scene.nodes)
    out = ["flowchart TB"]
    for node in scene.nodes:
        out.append(f'  {ids[node]}["{mermaid_text(overview_label(scene, graph, node))}"]')
    for a, b, n in scene.relations:
        out.append(f'  {ids[a]} -->|"{n}"| {ids[b]}')
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- D2


def d2_text(value: str) -> str:
    """Spec text as a D2 double-quoted string, control characters spelled out."""
    flat = " ".join(xml_safe(str(value)).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


_D2_FILL = {"stateless": ("#EBF4FF", "#2B6CB0", 1), "stateful": ("#FFEBD6", "#C05621", 3),
            "managed": ("#E6F6EC", "#2F855A", 2), None: ("#F7FAFC", "#718096", 1)}


def to_d2(scene: Scene, graph) -> str:
    ids = safe_ids(scene.nodes)
    path: dict[str, str] = {}
    out = [f"title: {d2_text(scene.title)} {{near: top-center; shape: text; style.font-size: 20}}", "direction: down", ""]
    grouped = set()
    if scene.overview:
        for node in scene.nodes:
            out.append(f"{ids[node]}: {d2_text(overview_label(scene, graph, node))}")
        for a, b, n in scene.relations:
            out.append(f"{ids[a]} -> {ids[b]}: {d2_text(f'{n} relations')}")
        return "\n".join(out) + "\n"
    groups = safe_ids([g[0] for g in scene.groups], "g_")
    for group_id, label, _state, members in scene.groups:
        group = groups[group_id]
        out.append(f"{group}: {d2_text(label)} {{")
        for member in members:
            out += ["  " + line for line in _d2_node(graph, member, ids[member], scene)]
            path[member] = f"{group}.{ids[member]}"
            grouped.add(member)
        out.append("}")
    for node in scene.nodes:
        if node not in grouped:
            out += _d2_node(graph, node, ids[node], scene)
            path[node] = ids[node]
    for r in scene.relations:
        parts = [p for p in (r.label, r.protocol) if p]
        label = f": {d2_text(' · '.join(parts))}" if parts else ""
        style = {"sync": "", "async": " {style.stroke-dash: 4}"}.get(r.how, " {style.stroke-dash: 1}")
        out.append(f"{path[r.source]} -> {path[r.target]}{label}{style}")
    for a, b, n in scene.counted:
        out.append(f"{path[a]} -> {path[b]}: {d2_text(f'{n} relations')} {{style.stroke-dash: 1}}")
    return "\n".join(out) + "\n"


def _d2_node(graph, qid: str, ident: str, scene: Scene) -> list[str]:
    if qid in scene.collapsed:
        title, _, members = overview_group(scene, qid)
        return [f"{ident}: {d2_text(f'{title} ({len(members)} neighbours)')} {{shape: page}}"]
    data = graph.nodes[qid]
    element = data["element"]
    if data["type"] == "actor":
        return [f"{ident}: {d2_text(element.label)} {{shape: person}}"]
    fill, stroke, width = _D2_FILL[element.effective_state]
    shape = theme.D2_SHAPE.get(element.kind, "rectangle")
    label = d2_text(f"{element.label} ({element.effective_state or 'state unknown'})")
    return [f"{ident}: {label} {{",
            f"  shape: {shape}",
            f'  style: {{fill: "{fill}"; stroke: "{stroke}"; stroke-width: {width}}}',
            "}"]


# ---------------------------------------------------------------- JSON


def to_json(scene: Scene, graph) -> str:
    """The view as networkx node-link JSON, each node and edge with its model."""
    # lazy: networkx takes ~0.1 s to import; only a graph needs it
    import networkx as nx

    view = nx.MultiDiGraph(name=scene.name, system=scene.system.id, title=scene.title)
    if scene.overview:
        for node in scene.nodes:
            view.add_node(node, type=("layer" if node.startswith("layer:") else "group") if overview_group(scene, node)
                          else graph.nodes[node]["type"])
        for a, b, n in scene.relations:
            view.add_edge(a, b, relations=n)
    else:
        for node in scene.nodes:
            if node in scene.collapsed:
                view.add_node(node, type="neighbours", context=True, members=scene.collapsed[node])
                continue
            data = graph.nodes[node]
            view.add_node(node, type=data["type"], system=data["system"], layer=data["layer"],
                          context=node in scene.context,
                          element=data["element"].model_dump(mode="json", by_alias=True, exclude={"span", "spans"}))
        for index, r in enumerate(scene.relations):
            view.add_edge(r.source, r.target, key=index,
                          relation=r.model_dump(mode="json", by_alias=True,
                                                exclude={"span", "spans", "source_span", "target_span"}))
        for a, b, n in scene.counted:
            view.add_edge(a, b, key=f"{a}->{b}", relations=n)
    document = nx.node_link_data(view, edges="links")
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
