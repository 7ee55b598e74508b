"""A workspace as a CALM 1.0 document (the mapping is in this package's docstring)."""

from __future__ import annotations

import json

from ...errors import ArchError
from ...version import __version__
from ..facts import component_facts, relation_facts, system_facts
from . import SCHEMA_URL, validation_errors

NODE_TYPES = {"database": "database", "object-store": "database", "frontend": "webclient", "identity": "ldap"}
PROTOCOLS = ("HTTP", "HTTPS", "FTP", "SFTP", "JDBC", "WebSocket", "SocketIO", "LDAP", "AMQP", "TLS", "mTLS", "TCP")


def export_calm(workspace) -> str:
    """The CALM document of every system of a workspace, as JSON text (validated against CALM 1.0)."""
    nodes: list[dict] = []
    relationships: list[dict] = []
    for system in workspace.systems:
        nodes.append(_node(system.id, "system", system, system_facts(system)))
        members = [a.qid for a in system.actors] + [c.qid for c in system.components]
        if members:
            relationships.append({"unique-id": f"{system.id}-is-composed-of", "relationship-type": {
                "composed-of": {"container": system.id, "nodes": members}}})
        for actor in system.actors:
            nodes.append(_node(actor.qid, "actor", actor, {"kind": actor.kind}))
        for c in system.components:
            nodes.append(_node(c.qid, NODE_TYPES.get(c.kind, "service"), c, component_facts(c)))
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
    facts = relation_facts(relation)
    if protocol:  # said by CALM's own field
        del facts["protocol"]
    if facts:
        out["metadata"] = {"archdsl": facts}
    return out
