"""A workspace as a CALM 1.0 document (the mapping is in this package's docstring)."""

from __future__ import annotations

import json

from ...errors import ArchError
from ...version import __version__
from . import SCHEMA_URL, validation_errors

NODE_TYPES = {"database": "database", "object-store": "database", "frontend": "webclient", "identity": "ldap"}
PROTOCOLS = ("HTTP", "HTTPS", "FTP", "SFTP", "JDBC", "WebSocket", "SocketIO", "LDAP", "AMQP", "TLS", "mTLS", "TCP")


def export_calm(workspace) -> str:
    """The CALM document of every system of a workspace, as JSON text (validated against CALM 1.0)."""
    nodes: list[dict] = []
    relationships: list[dict] = []
    for system in workspace.systems:
        nodes.append(_node(system.id, "system", system, {
            "sla": system.sla, "latency_ms": system.latency_ms, "industry": system.industry,
            "layers": {layer.id: {"kind": layer.kind or "custom", "title": layer.title or layer.id}
                       for layer in system.layers} or None}))
        members = [a.qid for a in system.actors] + [c.qid for c in system.components]
        if members:
            relationships.append({"unique-id": f"{system.id}-is-composed-of", "relationship-type": {
                "composed-of": {"container": system.id, "nodes": members}}})
        for actor in system.actors:
            nodes.append(_node(actor.qid, "actor", actor, {"kind": actor.kind}))
        for c in system.components:
            nodes.append(_node(c.qid, NODE_TYPES.get(c.kind, "service"), c, _component_facts(c)))
        kinds = {a.qid: "actor" for a in system.actors}
        for index, relation in enumerate(system.relations):
            relationships.append(_relationship(system.id, index, relation, kinds))
    document = {"$schema": SCHEMA_URL, "metadata": {"generator": f"archdsl {__version__}"},
                "nodes": nodes, "relationships": relationships}
    problems = validation_errors(document)
    if problems:  # a bug of this writer, never the spec's: say so rather than write it
        raise ArchError("the CALM export is not valid CALM 1.0: " + "; ".join(problems[:3]))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _node(uid: str, node_type: str, element, facts: dict) -> dict:
    node = {"unique-id": uid, "node-type": node_type, "name": element.title or element.id,
            "description": element.description or ""}
    kept = {k: v for k, v in facts.items() if v is not None}
    if kept:
        node["metadata"] = {"archdsl": kept}
    return node


def _component_facts(c) -> dict:
    declared = "state" in c.spans
    return {
        "kind": c.kind, "layer": c.layer, "state": c.state if declared else None,
        "tech": c.tech or None, "replication": c.replication, "scaling": c.scaling, "failover": c.failover,
        "replicas": [c.replicas.min, c.replicas.max] if c.replicas else None, "sla": c.sla,
        "latency_ms": c.latency_ms,
        "keeps": [{"what": k.what, "kind": k.kind, "where": k.where,
                   **({"ttl_ms": k.ttl_ms} if k.ttl_ms is not None else {})} for k in c.keeps] or None,
    }


def _relationship(system: str, index: int, relation, kinds: dict) -> dict:
    if kinds.get(relation.source) == "actor":
        shape: dict = {"interacts": {"actor": relation.source, "nodes": [relation.target]}}
    else:
        shape = {"connects": {"source": {"node": relation.source}, "destination": {"node": relation.target}}}
    out: dict = {"unique-id": f"{system}-{index}-{relation.source}-{relation.target}", "relationship-type": shape}
    if relation.label:
        out["description"] = relation.label
    protocol = next((p for p in PROTOCOLS if p.lower() == relation.protocol.lower()), None)
    if protocol:
        out["protocol"] = protocol
    facts = {"protocol": relation.protocol if relation.protocol and not protocol else None,
             "latency_ms": relation.latency_ms, "tech": relation.tech or None,
             "async": relation.is_async or None, "optional": relation.optional or None,
             "background": relation.background or None}
    kept = {k: v for k, v in facts.items() if v is not None}
    if kept:
        out["metadata"] = {"archdsl": kept}
    return out
