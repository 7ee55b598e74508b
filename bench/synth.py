"""Synthetic specs for benchmarks: a five-layer system with N components, two relations each.

One model, written in archdsl's language and, for the comparison with peers, in LikeC4's and
D2's: the same components, layers and relations in each.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

LAYERS = (("edge", "edge"), ("gateway", "gateway"), ("api", "compute"), ("realtime", "realtime"), ("data", "data"))


@dataclass
class Model:
    layers: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (id, kind, members)
    relations: list[tuple[str, str]] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # what the user calls


def synthetic_model(n: int, seed: int = 7) -> Model:
    """N components over five layers; each calls two components of its own or a later layer."""
    rng = random.Random(seed)
    per_layer = max(1, n // len(LAYERS))
    model = Model()
    count = 0
    for index, (layer_id, kind) in enumerate(LAYERS):
        size = per_layer if index < len(LAYERS) - 1 else n - count
        members = [f"{layer_id}_{i}" for i in range(size)]
        count += size
        model.layers.append((layer_id, kind, members))
    model.entries = model.layers[0][2][:3]
    for index, (_, _, members) in enumerate(model.layers):
        later = [c for _, _, group in model.layers[index:] for c in group]
        for cid in members:
            for _ in range(2):
                target = rng.choice(later)
                if target != cid:
                    model.relations.append((cid, target))
    return model


def synthetic_spec(n: int, seed: int = 7, decisions: int = 0) -> str:
    """A valid spec of `n` components spread over five layers; relations go to the same or a later layer."""
    rng = random.Random(seed + 1)
    model = synthetic_model(n, seed)
    out = [f'system big "Synthetic system of {n} components" {{', "  industry saas", "  sla 99.9%",
           "  latency 500ms", '  actor user "User"']
    for layer_id, kind, members in model.layers:
        out.append(f'  layer {layer_id} "{layer_id.title()}" {{')
        out.append(f"    kind {kind}")
        for cid in members:
            if kind == "data":
                out.append(f'    component {cid} {{ kind database; sla 99.99%; replication 2; failover auto }}')
            elif kind == "realtime":
                out.append(f'    component {cid} {{ connection websocket; scaling affinity; replicas 2..4; '
                           f'failover auto; recovery "reconnect"; justification "push"; keeps "conns" in local-memory }}')
            else:
                out.append(f'    component {cid} {{ connection request-response; latency 200ms; scaling autoscale; sla 99.99% }}')
        out.append("  }")
    for cid in model.entries:
        out.append(f"  user -> {cid}")
    for source, target in model.relations:
        out.append(f"  {source} -> {target} {{ latency 1ms }}")
    for index, (_, _, members) in enumerate(model.layers):
        out.append(f'  decision adr-{index} "Layer {index}" {{ status accepted; affects {", ".join(members[:50])} }}')
    flat = [c for _, _, group in model.layers for c in group]
    for index in range(decisions):
        picked = ", ".join(rng.sample(flat, min(2, len(flat))))
        out.append(f'  decision rec-{index:03d} "Decision {index}" {{\n    status accepted\n    date 2026-01-{1 + index % 28:02d}'
                   f'\n    affects {picked}\n    context """Why decision {index} was needed."""\n'
                   f'    decision """What was decided, with **emphasis**."""\n  }}')
    out.append("}")
    return "\n".join(out) + "\n"


def likec4_spec(n: int, seed: int = 7) -> str:
    """The same model in LikeC4: an element kind per layer kind, a container per layer."""
    model = synthetic_model(n, seed)
    kinds = sorted({kind for _, kind, _ in model.layers})
    out = ["specification {", "  element actor", "  element layer"]
    out += [f"  element {kind}" for kind in kinds]
    out += ["}", "", "model {", "  user = actor 'User'"]
    for layer_id, kind, members in model.layers:
        out.append(f"  {layer_id} = layer '{layer_id.title()}' {{")
        out += [f"    {cid} = {kind} '{cid}'" for cid in members]
        out.append("  }")
    home = {cid: layer_id for layer_id, _, members in model.layers for cid in members}
    for cid in model.entries:
        out.append(f"  user -> {home[cid]}.{cid}")
    for source, target in model.relations:
        out.append(f"  {home[source]}.{source} -> {home[target]}.{target} '1ms'")
    out += ["}", "", "views {", "  view index {", "    include *", "  }", "}"]
    return "\n".join(out) + "\n"


def d2_spec(n: int, seed: int = 7) -> str:
    """The same model in D2: a container per layer."""
    model = synthetic_model(n, seed)
    out = ["user: User {shape: person}"]
    home = {}
    for layer_id, _, members in model.layers:
        out.append(f"{layer_id}: {layer_id.title()} {{")
        out += [f"  {cid}" for cid in members]
        out.append("}")
        home.update(dict.fromkeys(members, layer_id))
    for cid in model.entries:
        out.append(f"user -> {home[cid]}.{cid}")
    for source, target in model.relations:
        out.append(f"{home[source]}.{source} -> {home[target]}.{target}: 1ms")
    return "\n".join(out) + "\n"


def synthetic_policy(count: int, seed: int = 7) -> str:
    """`count` shared constraints over the synthetic system's layers, a mix of every statement:
    what a large organisation's policy file might hold (most hold, a few are broken)."""
    rng = random.Random(seed + 2)
    layers = [layer_id for layer_id, _ in LAYERS]
    out = []
    for index in range(count):
        a, b = sorted(rng.sample(range(len(layers)), 2))  # relations only go to the same or a later layer
        onward = ", ".join(f"layer:{layer}" for layer in layers[a:])
        statement = (
            f"forbid layer:{layers[b]} -> layer:{layers[a]}",
            f"only layer:{layers[a]} -> {onward} unless tag:legacy",
            f"require layer:data & kind:database {{ replication >= {1 + index % 2}; sla >= 99.9% }}",
            f"max fan-out {4 + index % 5} for layer:{layers[a]} unless kind:gateway",
            f"no cycles among layer:{layers[a]}, layer:{layers[b]}",
        )[index % 5]
        out.append(f'constraint rule-{index:03d} "Rule {index}" {{\n  {statement}\n}}')
    return "\n".join(out) + "\n"
