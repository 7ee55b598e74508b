"""The words of the language, block by block: the statements each block takes (CHILDREN), the
attributes with the model field each sets and the reader of its value (ATTRS), the words of a
`keeps` statement, and the model each block builds (MODELS).

The builder reads a file by these tables; the highlighters (lexer.py), the formatter and the
language server's completion and hover read the same ones, so none of them knows a word the
parser does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import model, policy
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
    industry=Attr("industry", enum(model.INDUSTRIES)),
    sla=Attr("sla", percent),
    latency=Attr("latency_ms", duration),
    owner=Attr("owner", text),
    link=Attr("link", url),
)}
LAYER = {**COMMON, **_attrs(
    kind=Attr("kind", enum(model.LAYER_KINDS)),
    state=Attr("state", enum(model.STATES)),
)}
ACTOR = {**COMMON, "kind": Attr("kind", enum(model.ACTOR_KINDS))}
COMPONENT = {**COMMON, **_attrs(
    kind=Attr("kind", enum(model.COMPONENT_KINDS)),
    state=Attr("state", enum(model.STATES)),
    tech=Attr("tech", text),
    owner=Attr("owner", text),
    link=Attr("link", url),
    connection=Attr("connection", enums(model.CONNECTIONS)),
    latency=Attr("latency_ms", duration),
    sla=Attr("sla", percent),
    access=Attr("access", enum(model.ACCESS)),
    growth=Attr("growth", growth),
    team=Attr("team", enum(model.TEAMS)),
    deploy=Attr("deploy", enum(model.DEPLOYS)),
    failure=Attr("failure", enum(model.FAILURES)),
    session=Attr("session", enum(model.SESSIONS)),
    scaling=Attr("scaling", enum(model.SCALINGS)),
    replicas=Attr("replicas", replicas),
    replication=Attr("replication", count),
    failover=Attr("failover", enum(model.FAILOVERS)),
    recovery=Attr("recovery", text),
    justification=Attr("justification", text),
    calls=Attr("calls", enum(model.CALLS)),
    storage=Attr("storage", enum(model.STORAGES)),
)}
RELATION = {**COMMON, **_attrs(
    protocol=Attr("protocol", word),
    latency=Attr("latency_ms", duration),
    is_async=Attr("is_async", flag),
    optional=Attr("optional", flag),
    background=Attr("background", flag),
    tech=Attr("tech", text),
)}
PEER = _attrs(
    protocol=Attr("protocol", word),
    latency=Attr("latency_ms", duration),
    description=Attr("description", text),
    tech=Attr("tech", text),
)
DECISION = {**COMMON, **_attrs(
    status=Attr("status", enum(model.DECISION_STATUSES)),
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
    strategy=Attr("strategy", enum(model.STRATEGIES)),
    rollback=Attr("rollback", text),
)}
PHASE = _attrs(
    traffic=Attr("traffic", percent),
    description=Attr("description", text),
    date=Attr("date", date),
    exit=Attr("exit", text),
)
VIEW = dict(COMMON)
FLOW = {**COMMON, "latency": Attr("latency_ms", duration)}
STEP = _attrs(
    reads=Attr("reads", strings, repeat=True),
    writes=Attr("writes", strings, repeat=True),
    is_async=Attr("is_async", flag),
    optional=Attr("optional", flag),
    atomic=Attr("atomic", flag),
    compensate=Attr("compensate", text),
    latency=Attr("latency_ms", duration),
    description=Attr("description", text),
)
CONSTRAINT = _attrs(
    severity=Attr("severity", enum(policy.SEVERITIES)),
    description=Attr("description", text),
)

# Statements that are not plain attributes, by the block they may stand in.
CHILDREN = {
    "file": ("import", "system", "constraint"),
    "system": ("actor", "layer", "component", "->", "decision", "migration", "view", "flow", "constraint",
               "allow"),
    "layer": ("component", "->", "allow"),
    "component": ("keeps", "peers", "allow"),
    "actor": ("allow",),
    "relation": ("allow",),
    "peers": (),
    "decision": ("affects", "supersedes", "option", "allow"),
    "option": (),
    "migration": ("from", "to", "phase", "allow"),
    "phase": (),
    "view": ("include", "exclude", "allow"),
    "flow": ("from", "step", "parallel", "allow"),
    "parallel": ("step",),
    "step": (),
    "constraint": policy.VERBS,
    "require": (),  # a component's attributes, compared: `replication >= 2`, `owner`
}
ATTRS = {
    "file": {}, "system": SYSTEM, "layer": LAYER, "component": COMPONENT, "actor": ACTOR,
    "relation": RELATION, "decision": DECISION, "option": OPTION, "migration": MIGRATION,
    "phase": PHASE, "view": VIEW, "peers": PEER, "flow": FLOW, "parallel": {}, "step": STEP,
    "constraint": CONSTRAINT, "require": {},
}

# The words inside a `keeps` statement: keeps "WHAT" [as KIND] in WHERE [ttl D].
KEEP_WORDS = ("as", "in", "ttl")

# The model each kind of block builds (its fields' descriptions are the hover's words).
MODELS: dict[str, type[model.Element] | type[model.Option] | type[model.Phase] | type[model.Relation]
             | type[model.Peer] | type[model.Flow] | type[model.Step] | type[policy.Constraint]] = {
    "system": model.System, "layer": model.Layer, "component": model.Component, "actor": model.Actor,
    "relation": model.Relation, "decision": model.Decision, "option": model.Option, "migration": model.Migration,
    "phase": model.Phase, "view": model.View, "peers": model.Peer, "flow": model.Flow, "step": model.Step,
    "constraint": policy.Constraint,
}
