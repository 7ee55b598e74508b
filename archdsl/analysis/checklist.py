"""The framework's checklist (framework § The checklist), answered for each system.

Every question names the components that keep it from its passing answer, so the
site can show a yes/no table and the CK8xx rules can point at each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import client_facing, is_router
from ..model import LONG_LIVED_CONNECTIONS
from .copies import SingleCopy, local_precious, single_copies

# Protocol words on relations, by the connection model they imply.
LONG_LIVED_PROTOCOLS = frozenset({"ws", "wss", "websocket", "sse", "grpc-stream", "udp", "tcp", "mqtt", "webrtc"})
REQUEST_PROTOCOLS = frozenset({"http", "https", "rest", "graphql", "grpc", "soap"})


# The framework's checklist (framework § The checklist): each question, and the answer a sound
# design gives. The CK8xx rules take their summaries from here.
QUESTIONS = {
    "CK801": ("Can any instance be killed without losing user data?", "yes"),
    "CK802": ("Can instances be added without configuration changes?", "yes"),
    "CK803": ("Does any request depend on reaching the same instance outside the stateful tier?", "no"),
    "CK804": ("Is every stateful component justified and documented by a decision?", "yes"),
    "CK805": ("Is the place of every piece of state named?", "yes"),
    "CK806": ("Does every stateful component have a recovery plan?", "yes"),
    "CK807": ("Is session state externalised?", "yes"),
    "CK808": ("Are stateful and stateless concerns in separate components?", "yes"),
}


@dataclass(frozen=True)
class Answer:
    code: str
    question: str
    passing: str  # "yes", or "no" for the question asked the other way round
    offenders: tuple[str, ...]  # qualified ids that make the answer fail

    @property
    def passed(self) -> bool:
        return not self.offenders

    @property
    def answer(self) -> str:
        if self.passed:
            return self.passing
        return "no" if self.passing == "yes" else "yes"


def boundary_mix(graph, component) -> tuple[set[str], set[str]]:
    """The client-facing request-response and the long-lived ways a component serves.

    Request-response counts when the component declares it, or when an actor, another
    system or an edge/gateway component calls it synchronously over a request protocol:
    internal queries ("is this user online?") are not a boundary.  Long-lived counts when
    declared or when a synchronous relation opens such a connection.  Async relations
    (pushes through a queue) never count, and neither does a router (a load balancer,
    gateway or CDN, or a component of an edge or gateway layer): it passes both kinds of
    traffic on to the components that serve them and holds neither.
    """
    request: set[str] = set()
    long_lived: set[str] = set()
    if is_router(graph, component.qid):
        return request, long_lived
    for kind in component.connection:
        if kind in ("request-response", "graphql"):
            request.add(kind)
        elif kind in LONG_LIVED_CONNECTIONS:
            long_lived.add(kind)
    for source, _, data in graph.in_edges(component.qid, data=True):
        relation = data["relation"]
        if relation.off_path:
            continue
        protocol = relation.protocol.lower()
        if protocol in REQUEST_PROTOCOLS and client_facing(graph, source, component.qid):
            request.add(protocol)
        elif protocol in LONG_LIVED_PROTOCOLS:
            long_lived.add(protocol)
    return request, long_lived


def is_mixed(graph, component) -> bool:
    request, long_lived = boundary_mix(graph, component)
    return bool(request and long_lived)


def shared_sessions(component) -> bool:
    """Whether the component keeps its sessions in another component (a shared store)."""
    return any(k.kind == "session" and k.target for k in component.keeps)


def local_sessions(component) -> list:
    return [k for k in component.keeps if k.local and k.kind == "session"]


def protected(component) -> bool:
    """A second copy or a written plan: replication, failover, or `recovery`."""
    return bool((component.replication or 0) >= 2 or component.failover in ("auto", "manual")
                or component.recovery)


def decided(system) -> set[str]:
    """Qualified ids of the components some decision record affects."""
    return set(system.decisions_affecting())


def answers(graph, system, singles: list[SingleCopy] | None = None) -> list[Answer]:
    """The eight questions for one system, in the framework's order; `singles` are its stores that
    hold the only copy of user data (the rules' `Context` passes the ones it computed once)."""
    if singles is None:
        singles = single_copies([system])
    parts = sorted(system.components, key=lambda c: c.qid)
    stateful = [c for c in parts if c.effective_state == "stateful"]
    documented = decided(system)
    stores = [graph.nodes[single.store]["element"] for single in singles]
    offenders = {
        "CK801": _losable(parts, stateful) + stores,
        "CK802": list(filter(_fixed_capacity, parts)),
        "CK803": list(filter(_needs_its_instance, parts)),
        "CK804": [c for c in stateful if _undocumented(c, documented)],
        "CK805": [c for c in stateful if not c.keeps],
        # the data stores count too: one declared to keep a single copy needs its plan as much
        "CK806": [c for c in stateful + stores if not c.recovery],
        "CK807": list(filter(_sessions_inside, parts)),
        "CK808": [c for c in parts if is_mixed(graph, c)],
    }
    return [Answer(code, *QUESTIONS[code], tuple(sorted({c.qid for c in found})))
            for code, found in offenders.items()]


def _losable(parts, stateful) -> list:
    """CK801: user data or sessions kept locally, or a stateful component that does not say what
    it keeps, with neither replication, failover nor a recovery plan."""
    return ([c for c in parts if local_precious(c) and not protected(c)]
            + [c for c in stateful if not c.keeps and not protected(c)])


def _undocumented(c, documented: set[str]) -> bool:
    """CK804: a stateful component with no justification, or no decision that affects it."""
    return not c.justification or c.qid not in documented


def _fixed_capacity(c) -> bool:
    """CK802: instances are added by hand (never for a managed data system)."""
    return c.scaling in ("fixed", "manual") and c.effective_state != "managed"


def _needs_its_instance(c) -> bool:
    """CK803: a stateless component that needs the same instance: affinity, or server sessions
    it does not keep in a shared store."""
    return c.effective_state == "stateless" and (
        c.scaling == "affinity" or (c.session in ("server", "rich") and not shared_sessions(c)))


def _sessions_inside(c) -> bool:
    """CK807: sessions that live in the servers, not in a shared store."""
    if c.effective_state == "managed":
        return False
    server_sessions = c.session in ("server", "rich") and c.effective_state == "stateless" and not shared_sessions(c)
    scattered = bool(local_sessions(c)) and c.multi_instance and c.scaling not in ("affinity", "sharded")
    return server_sessions or scattered
