"""Synthetic specs for benchmarks: a five-layer system with N components, two relations each."""

from __future__ import annotations

import random

LAYERS = (("edge", "edge"), ("gateway", "gateway"), ("api", "compute"), ("realtime", "realtime"), ("data", "data"))


def synthetic_spec(n: int, seed: int = 7, decisions: int = 0) -> str:
    """A valid spec of `n` components spread over five layers; relations go to the same or a later layer."""
    rng = random.Random(seed)
    per_layer = max(1, n // len(LAYERS))
    names: list[list[str]] = []
    out = [f'system big "Synthetic system of {n} components" {{', "  industry saas", "  sla 99.9%",
           "  latency 500ms", '  actor user "User"']
    count = 0
    for index, (layer_id, kind) in enumerate(LAYERS):
        members = []
        out.append(f'  layer {layer_id} "{layer_id.title()}" {{')
        out.append(f"    kind {kind}")
        size = per_layer if index < len(LAYERS) - 1 else n - count
        for i in range(size):
            cid = f"{layer_id}_{i}"
            members.append(cid)
            count += 1
            if kind == "data":
                out.append(f'    component {cid} {{ kind database; sla 99.99%; replication 2; failover auto }}')
            elif kind == "realtime":
                out.append(f'    component {cid} {{ connection websocket; scaling affinity; replicas 2..4; '
                           f'failover auto; recovery "reconnect"; justification "push"; keeps "conns" in local-memory }}')
            else:
                out.append(f'    component {cid} {{ connection request-response; latency 200ms; scaling autoscale; sla 99.99% }}')
        out.append("  }")
        names.append(members)
    for i in range(min(3, len(names[0]))):
        out.append(f"  user -> {names[0][i]}")
    for index, members in enumerate(names):
        later = [c for group in names[index:] for c in group]
        for cid in members:
            for _ in range(2):
                target = rng.choice(later)
                if target != cid:
                    out.append(f"  {cid} -> {target} {{ latency 1ms }}")
    for index, members in enumerate(names):
        out.append(f'  decision adr-{index} "Layer {index}" {{ status accepted; affects {", ".join(members[:50])} }}')
    flat = [c for group in names for c in group]
    for index in range(decisions):
        picked = ", ".join(rng.sample(flat, min(2, len(flat))))
        out.append(f'  decision rec-{index:03d} "Decision {index}" {{\n    status accepted\n    date 2026-01-{1 + index % 28:02d}'
                   f'\n    affects {picked}\n    context """Why decision {index} was needed."""\n'
                   f'    decision """What was decided, with **emphasis**."""\n  }}')
    out.append("}")
    return "\n".join(out) + "\n"
