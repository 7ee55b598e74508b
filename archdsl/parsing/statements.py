"""The words of the language, block by block: the statements each block takes (CHILDREN), the
attributes with the model field each sets and the reader of its value (ATTRS), the words of a
`keeps` statement, and the model each block builds (MODELS).

The builder reads a file by these tables; the highlighters (lexer.py), the formatter and the
language server's completion and hover read the same ones, so none of them knows a word the
parser does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import model as m
from .values import (
    Reader,
    count,
    date,
    duration,
    enum,
    enums,
    flag,
    growth,
    percent,
    replicas,
    strings,
    text,
    url,
    word,
)


@dataclass(frozen=True)
class Attr:
    field: str
    read: Reader
    repeat: bool = False  # lists that accumulate over several statements


def _attrs(**table) -> dict[str, Attr]:
    return {key.replace("_", "-") if key != "is_async" else "async": value for key, value in table.items()}


COMMON = {"description": Attr("description", text), "tags": Attr("tags", strings, repeat=True)}

SYSTEM = {**COMMON, **_attrs(
    industry=Attr("industry", enum(m.INDUSTRIES)),
    sla=Attr("sla", percent),
    latency=Attr("latency_ms", duration),
    owner=Attr("owner", text),
    link=Attr("link", url),
)}
LAYER = {**COMMON, **_attrs(
    kind=Attr("kind", enum(m.LAYER_KINDS)),
    state=Attr("state", enum(m.STATES)),
)}
ACTOR = {**COMMON, "kind": Attr("kind", enum(m.ACTOR_KINDS))}
COMPONENT = {**COMMON, **_attrs(
    kind=Attr("kind", enum(m.COMPONENT_KINDS)),
    state=Attr("state", enum(m.STATES)),
    tech=Attr("tech", text),
    owner=Attr("owner", text),
    link=Attr("link", url),
    connection=Attr("connection", enums(m.CONNECTIONS)),
    latency=Attr("latency_ms", duration),
    sla=Attr("sla", percent),
    access=Attr("access", enum(m.ACCESS)),
    growth=Attr("growth", growth),
    team=Attr("team", enum(m.TEAMS)),
    deploy=Attr("deploy", enum(m.DEPLOYS)),
    failure=Attr("failure", enum(m.FAILURES)),
    session=Attr("session", enum(m.SESSIONS)),
    scaling=Attr("scaling", enum(m.SCALINGS)),
    replicas=Attr("replicas", replicas),
    replication=Attr("replication", count),
    failover=Attr("failover", enum(m.FAILOVERS)),
    recovery=Attr("recovery", text),
    justification=Attr("justification", text),
    calls=Attr("calls", enum(m.CALLS)),
)}
RELATION = {**COMMON, **_attrs(
    protocol=Attr("protocol", word),
    latency=Attr("latency_ms", duration),
    is_async=Attr("is_async", flag),
    optional=Attr("optional", flag),
    tech=Attr("tech", text),
)}
DECISION = {**COMMON, **_attrs(
    status=Attr("status", enum(m.DECISION_STATUSES)),
    date=Attr("date", date),
    deciders=Attr("deciders", strings, repeat=True),
    context=Attr("context", text),
    decision=Attr("decision", text),
    consequences=Attr("consequences", text),
    link=Attr("link", url),
)}
OPTION = _attrs(
    pros=Attr("pros", lambda s: [text(s)], repeat=True),
    cons=Attr("cons", lambda s: [text(s)], repeat=True),
    chosen=Attr("chosen", flag),
)
MIGRATION = {**COMMON, **_attrs(
    strategy=Attr("strategy", enum(m.STRATEGIES)),
    rollback=Attr("rollback", text),
)}
PHASE = _attrs(
    traffic=Attr("traffic", percent),
    description=Attr("description", text),
    date=Attr("date", date),
    exit=Attr("exit", text),
)
VIEW = dict(COMMON)

# Statements that are not plain attributes, by the block they may stand in.
CHILDREN = {
    "file": ("import", "system"),
    "system": ("actor", "layer", "component", "->", "decision", "migration", "view", "allow"),
    "layer": ("component", "->", "allow"),
    "component": ("keeps", "allow"),
    "actor": ("allow",),
    "relation": ("allow",),
    "decision": ("affects", "supersedes", "option", "allow"),
    "option": (),
    "migration": ("from", "to", "phase", "allow"),
    "phase": (),
    "view": ("include", "exclude", "allow"),
}
ATTRS = {
    "file": {}, "system": SYSTEM, "layer": LAYER, "component": COMPONENT, "actor": ACTOR,
    "relation": RELATION, "decision": DECISION, "option": OPTION, "migration": MIGRATION,
    "phase": PHASE, "view": VIEW,
}

# The words inside a `keeps` statement: keeps "WHAT" [as KIND] in WHERE [ttl D].
KEEP_WORDS = ("as", "in", "ttl")

# The model each kind of block builds (its fields' descriptions are the hover's words).
MODELS: dict[str, type[m.Element] | type[m.Option] | type[m.Phase] | type[m.Relation]] = {
    "system": m.System, "layer": m.Layer, "component": m.Component, "actor": m.Actor,
    "relation": m.Relation, "decision": m.Decision, "option": m.Option, "migration": m.Migration,
    "phase": m.Phase, "view": m.View,
}
