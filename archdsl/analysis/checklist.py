"""The framework's checklist (framework § The checklist), answered for each system.

Every question names the components that keep it from its passing answer, so the
site can show a yes/no table and the CK8xx rules can point at each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import client_facing, is_router
from ..model import LONG_LIVED_CONNECTIONS
from .state import SingleCopy, local_precious, single_copies

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
        if relation.is_async:
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

    def ids(items) -> tuple[str, ...]:
        return tuple(sorted({c.qid for c in items}))

    return [
        Answer("CK801", *QUESTIONS["CK801"], ids(
            [c for c in parts if local_precious(c) and not protected(c)]
            + [c for c in stateful if not c.keeps and not protected(c)]
            + [graph.nodes[single.store]["element"] for single in singles]
        )),
        Answer("CK802", *QUESTIONS["CK802"], ids(
            c for c in parts if c.scaling in ("fixed", "manual") and c.effective_state != "managed"
        )),
        Answer("CK803", *QUESTIONS["CK803"], ids(
                   c for c in parts if c.effective_state == "stateless"
                   and (c.scaling == "affinity" or (c.session in ("server", "rich") and not shared_sessions(c)))
               )),
        Answer("CK804", *QUESTIONS["CK804"], ids(
            c for c in stateful if not c.justification or c.qid not in documented
        )),
        Answer("CK805", *QUESTIONS["CK805"], ids(
            c for c in stateful if not c.keeps
        )),
        Answer("CK806", *QUESTIONS["CK806"], ids(
            c for c in stateful if not c.recovery
        )),
        Answer("CK807", *QUESTIONS["CK807"], ids(
            c for c in parts if c.effective_state != "managed" and (
                (c.session in ("server", "rich") and c.effective_state == "stateless" and not shared_sessions(c))
                or (local_sessions(c) and c.multi_instance and c.scaling not in ("affinity", "sharded"))
            )
        )),
        Answer("CK808", *QUESTIONS["CK808"], ids(
            c for c in parts if is_mixed(graph, c)
        )),
    ]
