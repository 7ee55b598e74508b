"""A CALM document as a spec (the mapping is in this package's docstring)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..facts import (
    component_lines,
    kind_of,
    layer_of,
    layers,
    relation_parts,
    system_lines,
)
from ..foreign import Imported
from ..spectext import comment, ident, quoted
from . import SCHEMA_URL, read_document

KINDS = {"service": "service", "database": "database", "webclient": "frontend", "ldap": "identity",
         "data-asset": "database"}
SYSTEM_TYPES = ("system", "ecosystem")
NO_PLACE = ("network",)  # deployment targets: the language has no place for them
OWN_KEYS = {"unique-id", "node-type", "name", "description", "metadata"}


@dataclass
class _System:
    node: dict
    id: str
    members: list[str] = field(default_factory=list)  # unique-ids
    notes: list[str] = field(default_factory=list)


def import_calm(path: Path) -> Imported:
    """The spec of the CALM document at `path`."""
    return _Reader(read_document(path), path.name).spec()


class _Reader:
    def __init__(self, document: dict, source: str):
        self.doc, self.source = document, source
        self.nodes = {n["unique-id"]: n for n in document.get("nodes", [])}
        self.taken: set[str] = set()
        self.ids: dict[str, str] = {}  # unique-id -> archdsl id
        self.system_of: dict[str, _System] = {}
        self.systems: list[_System] = []
        self.notes: list[str] = []  # document-level things without a place
        self.counts = {"components": 0, "relations": 0, "states": 0, "targets": 0}

    # -- structure

    def spec(self) -> Imported:
        declared = self.doc.get("$schema")
        if declared != SCHEMA_URL:
            self.notes.append(f"written to {declared or 'no stated schema'}: checked as CALM 1.0 nodes and "
                              "relationships")
        for key, value in self.doc.items():
            if key not in ("$schema", "nodes", "relationships"):
                self.notes.append(f"{key} (not imported): {_shown(value)}")
        self._systems()
        self._members()
        body = [self._system(s) for s in self.systems]
        c = self.counts
        head = (f"// Imported from FINOS CALM ({self.source}): {c['components']} components, {c['relations']} "
                f"relations; {c['states']} states and {c['targets']} system targets to fill in (TODO comments).")
        extra = [comment(n) for n in self.notes]
        text = "\n".join([head, *extra, "", *body]) + "\n"
        # lazy: the formatter writes the spec as every other spec is written
        from ...fmt import format_source

        return Imported(format_source(text, "import.arch"), c["components"], c["relations"], c["states"],
                        c["targets"])

    def _systems(self) -> None:
        containers = [r["relationship-type"]["composed-of"] for r in self.doc.get("relationships", [])
                      if "composed-of" in r["relationship-type"]]
        for part in containers:
            node = self.nodes.get(part["container"])
            if node is None:
                self.notes.append(f"composed-of names an unknown container '{part['container']}'")
                continue
            system = self._system_for(node)
            system.members += [n for n in part["nodes"] if n not in system.members and n in self.nodes]
        for node in self.nodes.values():
            if node["node-type"] in SYSTEM_TYPES and node["unique-id"] not in self.system_of:
                self._system_for(node)
        if not self.systems:  # no system node: one system for the document
            name = Path(self.source).stem
            self._system_for({"unique-id": name, "node-type": "system", "name": name, "description": ""})

    def _system_for(self, node: dict) -> _System:
        uid = node["unique-id"]
        if uid not in self.system_of:
            system = _System(node, ident(uid, self.taken))
            self.system_of[uid] = system
            self.systems.append(system)
        return self.system_of[uid]

    def _members(self) -> None:
        for system in self.systems:
            for uid in system.members:
                self.system_of.setdefault(uid, system)
        first = self.systems[0]
        for uid, node in self.nodes.items():
            if uid in self.system_of or node["node-type"] in SYSTEM_TYPES:
                continue
            if node["node-type"] in NO_PLACE:
                self.notes.append(f"{node['node-type']} '{uid}' ({node['name']}): no place in the language")
                continue
            first.members.append(uid)
            self.system_of[uid] = first
            if node["node-type"] != "actor":
                first.notes.append(f"'{uid}' is in no system's composed-of: placed in {first.id}")
        for system in self.systems:
            local: set[str] = set()
            for uid in system.members:
                wanted = uid.removeprefix(f"{system.node['unique-id']}.")
                self.ids[uid] = ident(wanted, local)

    # -- writing

    def _system(self, system: _System) -> str:
        node = system.node
        facts = _facts(node)
        out = [f"system {system.id} {quoted(node['name'])} {{"]
        if node.get("description"):
            out.append(f"  description {quoted(node['description'])}")
        said = system_lines(facts)
        out += [f"  {line}" for line in said]
        if not any(line.startswith(("sla ", "latency ")) for line in said):
            out.append("  // TODO(sla, latency): the availability and latency its users are promised")
            self.counts["targets"] += 1
        out += [f"  {comment(n)}" for n in system.notes]
        out += [f"  {comment(n)}" for n in _other_properties(node, scalars=True)]
        by_layer: dict[str, list[str]] = {}
        for uid in system.members:
            by_layer.setdefault(layer_of(_facts(self.nodes[uid])) or "", []).append(uid)
        known = layers(facts)
        for layer, members in by_layer.items():
            inner = [self._element(self.nodes[uid]) for uid in members]
            if layer:
                kind, title, state = known.get(layer, ("custom", layer, None))
                out.append(f"  layer {layer} {quoted(title)} {{\n    kind {kind}" + (f"\n    state {state}" if state else ""))
                out += ["\n".join("  " + line for line in text.splitlines()) for text in inner]
                out.append("  }")
            else:
                out += inner
        out += self._relations(system)
        out.append("}")
        return "\n".join(out)

    def _element(self, node: dict) -> str:
        uid, facts = node["unique-id"], _facts(node)
        if node["node-type"] == "actor":
            kind = kind_of(facts) if kind_of(facts) in ("person", "system") else "person"
            return f"  actor {self.ids[uid]} {quoted(node['name'])} {{ kind {kind} }}"
        self.counts["components"] += 1
        kind = kind_of(facts) or KINDS.get(node["node-type"], "service")
        out = [f"  component {self.ids[uid]} {quoted(node['name'])} {{", f"    kind {kind}"]
        if node["node-type"] not in KINDS and "kind" not in facts:
            out.append(f"    // node-type {node['node-type']}")
        if node.get("description"):
            out.append(f"    description {quoted(node['description'])}")
        known = {*self.ids.values(),
                 *(f"{self.system_of[u].id}.{i}" for u, i in self.ids.items() if u in self.system_of)}
        said = component_lines(facts, known)
        out += [f"    {line}" for line in said]
        if not facts:  # (an archdsl export's facts say the state where the spec said it)
            out.append("    // TODO(state): stateless or stateful? what does it keep, and where?")
            self.counts["states"] += 1
        tags = [f"{k}: {v}" for k, v in node.items() if k not in OWN_KEYS and isinstance(v, (str, int, float))]
        if tags:
            out.append("    tags " + ", ".join(quoted(t) for t in tags))
        out += [f"    {comment(n)}" for n in _other_properties(node, scalars=False)]
        out.append("  }")
        return "\n".join(out)

    def _relations(self, system: _System) -> list[str]:
        out = []
        for rel in self.doc.get("relationships", []):
            kind, body = next(iter(rel["relationship-type"].items()))
            facts = _facts(rel)
            if kind == "connects":
                pairs = [(body["source"]["node"], body["destination"]["node"])]
            elif kind == "interacts":
                pairs = [(body["actor"], target) for target in body["nodes"]]
            else:
                if kind != "composed-of" and system is self.systems[0]:  # said once, in the first system
                    said = f"{kind} {rel['unique-id']}: {json.dumps(body, sort_keys=True)}"
                    out.append(f"  {comment(said)}")
                continue
            for source, target in pairs:
                if self.system_of.get(source) is not system:
                    continue
                if source not in self.ids or target not in self.ids:
                    said = f"{rel['unique-id']}: {source} -> {target}, an end with no place"
                    out.append(f"  {comment(said)}")
                    continue
                out.append(self._relation(system, rel, source, target, facts))
        return out

    def _relation(self, system: _System, rel: dict, source: str, target: str, facts: dict) -> str:
        self.counts["relations"] += 1
        there = self.system_of[target]
        end = self.ids[target] if there is system else f"{there.id}.{self.ids[target]}"
        label = f" {quoted(rel['description'])}" if rel.get("description") else ""
        inner = relation_parts(facts)
        protocol = rel.get("protocol")
        if protocol and not any(part.startswith("protocol ") for part in inner):
            inner.insert(0, f"protocol {ident(str(protocol).lower(), set())}")
        block = f" {{ {'; '.join(inner)} }}" if inner else ""
        return f"  {self.ids[source]} -> {end}{label}{block}"


def _facts(item: dict) -> dict:
    """archdsl's own facts kept in `metadata.archdsl` by an export (checked where they are used)."""
    meta = item.get("metadata")
    found = meta.get("archdsl") if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def _other_properties(node: dict, *, scalars: bool) -> list[str]:
    """A node's properties the language has no place for, each as `key: value` (JSON); plain
    values only with `scalars` (a component keeps those as tags)."""
    return [f"{key}: {_shown(value)}" for key, value in node.items()
            if key not in OWN_KEYS and (scalars or not isinstance(value, (str, int, float)))]


def _shown(value, limit: int = 4000) -> str:
    """A value as JSON on one line; past `limit` characters, cut, saying how much was left out."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters in the source)"
