"""archdsl's own facts in another tool's model, and back: what an export keeps beside the
format's own fields (CALM `metadata.archdsl`, Structurizr and LikeC4 properties named
`archdsl.…`) so that an import of it gives the spec back — the state and the kinds of state, the
requirements the decision matrix reads, targets, replication, suppressions, and each flow's steps.

Reading checks every word and value against the language: a fact that is not one the language
accepts is not taken (a model from elsewhere is text from a stranger)."""

from __future__ import annotations

import math
import re

from .. import vocabulary as v
from ..vocabulary import format_ms
from .spectext import quoted

PREFIX = "archdsl."  # of the properties (Structurizr, LikeC4) that hold the facts

# component attributes written only where the spec writes them, and the words each may be
COMPONENT_WORDS = {"state": v.STATES, "scaling": v.SCALINGS, "failover": v.FAILOVERS, "access": v.ACCESS,
                   "team": v.TEAMS, "deploy": v.DEPLOYS, "failure": v.FAILURES, "session": v.SESSIONS,
                   "calls": v.CALLS, "storage": v.STORAGES}
COMPONENT_TEXTS = ("tech", "owner", "recovery", "justification")
BOOLEANS = ("async", "optional", "background", "atomic", "growth_fixed")
NUMBERS = ("sla", "latency_ms", "ttl_ms", "growth")
CODE = re.compile(r"^[A-Z]{2}\d{3}(:[A-Za-z0-9_.-]+)?$")


# -- what an export keeps

def system_facts(system) -> dict:
    """A system's facts (targets, industry, owner, its layers' kinds and titles)."""
    return _kept({"sla": system.sla, "latency_ms": system.latency_ms, "industry": system.industry,
                   "owner": system.owner or None,
                   "layers": {layer.id: _kept({"kind": layer.kind or "custom", "title": layer.title or layer.id,
                                               "state": layer.state}) for layer in system.layers} or None})


def component_facts(c) -> dict:
    """A component's facts: each attribute only where the spec says it (never a default, never
    the recommendation)."""
    said = set(c.spans)
    facts = {"kind": c.kind, "layer": c.layer, "replication": c.replication,
             "replicas": [c.replicas.min, c.replicas.max] if c.replicas else None, "sla": c.sla,
             "latency_ms": c.latency_ms, "connection": list(c.connection) or None,
             "growth": c.growth, "growth_fixed": c.growth_fixed or None}
    facts.update({key: getattr(c, key) for key in COMPONENT_WORDS if key in said})
    facts.update({key: getattr(c, key) or None for key in COMPONENT_TEXTS})
    facts["keeps"] = [_kept({"what": k.what, "kind": k.kind, "where": k.where, "ttl_ms": k.ttl_ms})
                      for k in c.keeps] or None
    facts["peers"] = [_kept({"label": p.label, "protocol": p.protocol or None, "latency_ms": p.latency_ms})
                      for p in c.peers] or None
    facts["allows"] = _allows(c)
    return _kept(facts)


def relation_facts(relation) -> dict:
    return _kept({"protocol": relation.protocol or None, "latency_ms": relation.latency_ms,
                  "tech": relation.tech or None, "async": relation.is_async or None,
                  "optional": relation.optional or None, "background": relation.background or None,
                  "allows": _allows(relation)})


def flow_facts(flow) -> dict:
    """What a format's dynamic view has no place for: who starts the flow, its target, and each
    step's reads, writes, guards, undo and parallel group."""
    steps = [_kept({"reads": list(s.reads) or None, "writes": list(s.writes) or None, "atomic": s.atomic or None,
                    "compensate": s.compensate or None, "async": s.is_async or None,
                    "optional": s.optional or None, "latency_ms": s.latency_ms,
                    "description": s.description or None, "group": s.group}) for s in flow.steps]
    return _kept({"from": flow.start.split(".", 1)[-1] if flow.start else None, "latency_ms": flow.latency_ms,
                  "steps": steps if any(steps) else None})


def _allows(element) -> list | None:
    return [{"code": a.code, "reason": a.reason} for a in element.allows] or None


def _kept(facts: dict) -> dict:
    return {k: val for k, val in facts.items() if val is not None}


# -- as properties of plain text

def flatten(facts: dict) -> dict[str, str]:
    """Facts as properties of plain text (Structurizr's and LikeC4's properties are strings, and
    shown to their users): `archdsl.state` = `stateful`, `archdsl.keeps.1.where` = `redis`."""
    out: dict[str, str] = {}

    def put(key: str, value) -> None:
        if isinstance(value, dict):
            for inner, item in value.items():
                put(f"{key}.{inner}", item)
        elif isinstance(value, list) and key.endswith(".replicas"):
            out[key] = f"{value[0]}..{value[1]}"
        elif isinstance(value, list):
            for number, item in enumerate(value, 1):
                put(f"{key}.{number}", item)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, float):
            out[key] = f"{value:g}"
        else:
            out[key] = str(value)

    for key, value in facts.items():
        put(f"{PREFIX}{key}", value)
    return out


def unflatten(properties: dict[str, str]) -> dict:
    """The facts of properties written by `flatten` (other properties are left alone;
    `spec_facts` checks every value)."""
    tree: dict = {}
    for key, text in properties.items():
        if not key.startswith(PREFIX):
            continue
        path = key[len(PREFIX):].split(".")
        if not all(path):
            continue
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[path[-1]] = _value(path[-1], text)
    return _lists(tree)


MAX_ITEMS = 10_000  # numbered properties: a list longer than this is no spec's


def _lists(node):
    """Dicts numbered 1, 2, … as lists, all the way down (a number left out, as `flatten`
    leaves out a step with no facts, is an empty item)."""
    if not isinstance(node, dict):
        return node
    inner = {k: _lists(item) for k, item in node.items()}
    if inner and all(k.isdigit() for k in inner):
        size = max(map(int, inner))
        return [inner.get(str(n), {}) for n in range(1, size + 1)] if size <= MAX_ITEMS else []
    return inner


def _value(key: str, text: str):
    if key in BOOLEANS:
        return text == "true"
    if key == "replicas":
        low, _, high = text.partition("..")
        return [int(low), int(high or low)] if (low + high).isdigit() else None
    if key in ("replication", "group"):
        return int(text) if text.isdigit() else None
    if key in NUMBERS:
        try:
            return float(text)
        except ValueError:
            return None
    return text


# -- as spec text, each value checked

def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _duration(value) -> str | None:
    return format_ms(value) if _number(value) and 0 < value < 1e12 else None


def _is_id(text) -> bool:
    return isinstance(text, str) and text[:1].isalpha() and text.replace("-", "").replace("_", "").isalnum()


def _texts(found: dict, key: str) -> list[str]:
    items = found.get(key)
    return [item for item in items if isinstance(item, str)] if isinstance(items, list) else []


def sla_lines(found: dict) -> list[str]:
    return [f"sla {found['sla']:g}%"] if _number(found.get("sla")) and 0 < found["sla"] <= 100 else []


def latency_lines(found: dict) -> list[str]:
    return [f"latency {_duration(found['latency_ms'])}"] if _duration(found.get("latency_ms")) else []


def system_lines(found) -> list[str]:
    """A system's statements from its facts."""
    found = found if isinstance(found, dict) else {}
    out = sla_lines(found) + latency_lines(found)
    if found.get("industry") in v.INDUSTRIES:
        out.append(f"industry {found['industry']}")
    if isinstance(found.get("owner"), str):
        out.append(f"owner {quoted(found['owner'])}")
    return out


def layers(found) -> dict[str, tuple[str, str, str | None]]:
    """A system's layers from its facts: id -> (kind, title, state or None)."""
    raw = found.get("layers") if isinstance(found, dict) else None
    if not isinstance(raw, dict):
        return {}
    return {k: (val["kind"], val["title"] if isinstance(val.get("title"), str) else k,
                val.get("state") if val.get("state") in v.STATES else None)
            for k, val in raw.items()
            if isinstance(val, dict) and val.get("kind") in v.LAYER_KINDS and _is_id(k)}


def kind_of(found) -> str | None:
    kind = found.get("kind") if isinstance(found, dict) else None
    return kind if kind in (*v.COMPONENT_KINDS, *v.ACTOR_KINDS) else None


def layer_of(found) -> str | None:
    layer = found.get("layer") if isinstance(found, dict) else None
    return layer if _is_id(layer) else None


def component_lines(found, known: set[str] | None = None) -> list[str]:
    """A component's statements from its facts (not its kind or layer). A `keeps … in WHERE`
    whose WHERE is no element of `known` (when given) is a comment."""
    found = found if isinstance(found, dict) else {}
    out = [f"{key} {found[key]}" for key, allowed in COMPONENT_WORDS.items() if found.get(key) in allowed]
    out += [f"{key} {quoted(found[key])}" for key in COMPONENT_TEXTS if isinstance(found.get(key), str)]
    return out + _figure_lines(found) + _keep_lines(found, known) + _peer_lines(found) + allow_lines(found)


def _figure_lines(found: dict) -> list[str]:
    out = []
    if isinstance(found.get("replication"), int) and found["replication"] >= 1:
        out.append(f"replication {found['replication']}")
    replicas = found.get("replicas")
    if isinstance(replicas, list) and len(replicas) == 2 and all(isinstance(n, int) and n >= 1 for n in replicas):
        out.append(f"replicas {replicas[0]}" if replicas[0] == replicas[1] else f"replicas {replicas[0]}..{replicas[1]}")
    out += sla_lines(found) + latency_lines(found)
    connection = [word for word in _texts(found, "connection") if word in v.CONNECTIONS]
    if connection:
        out.append("connection " + ", ".join(connection))
    if found.get("growth_fixed") is True:
        out.append("growth fixed")
    elif _number(found.get("growth")) and 0 < found["growth"] < 1e9:
        out.append(f"growth {found['growth']:g}x")
    return out


def _keep_lines(found: dict, known: set[str] | None) -> list[str]:
    out = []
    for keep in _items(found, "keeps"):
        said = _keep(keep)
        if said and (known is None or said[1] in known or said[1] in v.LOCAL_PLACES):
            out.append(f"keeps {said[0]}")
        elif said:
            out.append(f"// keeps {said[0]}: no element {said[1]} here")
    return out


def _peer_lines(found: dict) -> list[str]:
    out = []
    for peer in _items(found, "peers"):
        if isinstance(peer, dict) and isinstance(peer.get("label"), str):
            inner = [f"protocol {peer['protocol']}"] if _is_id(peer.get("protocol")) else []
            inner += [f"latency {_duration(peer['latency_ms'])}"] if _duration(peer.get("latency_ms")) else []
            out.append(f"peers {quoted(peer['label'])}" + (f" {{ {'; '.join(inner)} }}" if inner else ""))
    return out


def _items(found: dict, key: str) -> list:
    return found[key] if isinstance(found.get(key), list) else []


def allow_lines(found: dict) -> list[str]:
    return [f"allow {a['code']} {quoted(a['reason'])}" for a in found.get("allows") or []
            if isinstance(a, dict) and isinstance(a.get("code"), str) and CODE.match(a["code"])
            and isinstance(a.get("reason"), str)] if isinstance(found.get("allows"), list) else []


def relation_parts(found) -> list[str]:
    """A relation's inner statements from its facts."""
    found = found if isinstance(found, dict) else {}
    out = [f"protocol {found['protocol']}"] if _is_id(found.get("protocol")) else []
    out += latency_lines(found)
    if isinstance(found.get("tech"), str):
        out.append(f"tech {quoted(found['tech'])}")
    out += [word for word in ("async", "optional", "background") if found.get(word) is True]
    return out + allow_lines(found)


def step_parts(found) -> list[str]:
    """A flow step's inner statements from its facts."""
    found = found if isinstance(found, dict) else {}
    out = [f"{key} {quoted(what)}" for key in ("reads", "writes") for what in _texts(found, key)]
    out += [word for word in ("atomic", "async", "optional") if found.get(word) is True]
    if isinstance(found.get("compensate"), str):
        out.append(f"compensate {quoted(found['compensate'])}")
    out += latency_lines(found)
    if isinstance(found.get("description"), str):
        out.append(f"description {quoted(found['description'])}")
    return out


def _keep(keep) -> tuple[str, str] | None:
    if not (isinstance(keep, dict) and all(isinstance(keep.get(k), str) for k in ("what", "kind", "where"))):
        return None
    if keep["kind"] not in v.KEEP_KINDS or not _is_id(keep["where"].replace(".", "-")):  # an id, or system.id
        return None
    ttl = f" ttl {_duration(keep['ttl_ms'])}" if _duration(keep.get("ttl_ms")) else ""
    return f"{quoted(keep['what'])} as {keep['kind']} in {keep['where']}{ttl}", keep["where"]
