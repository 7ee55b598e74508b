"""archdsl's own facts in another tool's model, and back: what an export keeps beside the
format's own fields (CALM `metadata.archdsl`, a Structurizr or LikeC4 property `archdsl` holding
JSON) so that an import of it gives the spec back.

Reading checks every word and value against the language: a fact that is not one the language
accepts is not taken (a model from elsewhere is text from a stranger)."""

from __future__ import annotations

import json
import math

from .. import vocabulary
from ..vocabulary import format_ms
from .spectext import quoted

PROPERTY = "archdsl"  # the property (Structurizr, LikeC4) that holds the facts as JSON


def system_facts(system) -> dict:
    """A system's facts (targets, industry, its layers' kinds and titles)."""
    return _kept({"sla": system.sla, "latency_ms": system.latency_ms, "industry": system.industry,
                  "layers": {layer.id: {"kind": layer.kind or "custom", "title": layer.title or layer.id}
                             for layer in system.layers} or None})


def component_facts(c) -> dict:
    """A component's facts: its state only where the spec says it (never the recommendation)."""
    declared = "state" in c.spans
    return _kept({
        "kind": c.kind, "layer": c.layer, "state": c.state if declared else None,
        "tech": c.tech or None, "replication": c.replication, "scaling": c.scaling, "failover": c.failover,
        "replicas": [c.replicas.min, c.replicas.max] if c.replicas else None, "sla": c.sla,
        "latency_ms": c.latency_ms,
        "keeps": [{"what": k.what, "kind": k.kind, "where": k.where,
                   **({"ttl_ms": k.ttl_ms} if k.ttl_ms is not None else {})} for k in c.keeps] or None,
    })


def relation_facts(relation) -> dict:
    """A relation's facts."""
    return _kept({"protocol": relation.protocol or None,
                  "latency_ms": relation.latency_ms, "tech": relation.tech or None,
                  "async": relation.is_async or None, "optional": relation.optional or None,
                  "background": relation.background or None})


def as_property(facts: dict) -> str:
    """Facts as the one-line JSON of a property value."""
    return json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def from_property(text: str) -> dict:
    """The facts of a property value written by `as_property` (anything else: none)."""
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def _kept(facts: dict) -> dict:
    return {k: v for k, v in facts.items() if v is not None}


def spec_facts(found) -> dict:
    """Facts as spec text, each checked: only the words and values the language accepts."""
    if not isinstance(found, dict):
        return {}
    out = _words(found)
    out.update(_figures(found))
    out.update({word: True for word in ("async", "optional", "background") if found.get(word) is True})
    if isinstance(found.get("tech"), str):
        out["tech"] = quoted(found["tech"])
    if isinstance(found.get("keeps"), list):
        out["keeps"] = [kept for kept in map(_keep, found["keeps"]) if kept]
    if isinstance(found.get("layers"), dict):
        out["layers"] = {k: (v["kind"], v.get("title") if isinstance(v.get("title"), str) else k)
                         for k, v in found["layers"].items()
                         if isinstance(v, dict) and v.get("kind") in vocabulary.LAYER_KINDS and _is_id(k)}
    return out


WORDS = {  # the words an export writes, and what each may be (anything else is not taken)
    "state": vocabulary.STATES, "kind": (*vocabulary.COMPONENT_KINDS, *vocabulary.ACTOR_KINDS),
    "scaling": vocabulary.SCALINGS, "failover": vocabulary.FAILOVERS, "industry": vocabulary.INDUSTRIES,
}


def _is_id(text) -> bool:
    return isinstance(text, str) and text[:1].isalpha() and text.replace("-", "").replace("_", "").isalnum()


def _words(found: dict) -> dict:
    out = {key: found[key] for key, allowed in WORDS.items() if found.get(key) in allowed}
    for key in ("layer", "protocol"):  # an id and a word of the spec's own
        if _is_id(found.get(key)):
            out[key] = found[key]
    return out


def _figures(found: dict) -> dict:
    out = {}
    if isinstance(found.get("replication"), int) and found["replication"] >= 1:
        out["replication"] = str(found["replication"])
    replicas = found.get("replicas")
    if isinstance(replicas, list) and len(replicas) == 2 and all(isinstance(v, int) and v >= 1 for v in replicas):
        out["replicas"] = str(replicas[0]) if replicas[0] == replicas[1] else f"{replicas[0]}..{replicas[1]}"
    if _number(found.get("sla")) and 0 < found["sla"] <= 100:
        out["sla"] = f"{found['sla']:g}%"
    if _number(found.get("latency_ms")) and 0 < found["latency_ms"] < 1e12:
        out["latency"] = format_ms(found["latency_ms"])
    return out


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _keep(keep) -> tuple[str, str] | None:
    if not (isinstance(keep, dict) and all(isinstance(keep.get(k), str) for k in ("what", "kind", "where"))):
        return None
    if keep["kind"] not in vocabulary.KEEP_KINDS or not keep["where"][:1].isalpha() or not keep["where"].replace(
            "-", "").replace(".", "").replace("_", "").isalnum():
        return None
    ttl = f" ttl {format_ms(keep['ttl_ms'])}" if _number(keep.get("ttl_ms")) and 0 < keep["ttl_ms"] < 1e12 else ""
    return f"{quoted(keep['what'])} as {keep['kind']} in {keep['where']}{ttl}", keep["where"]
