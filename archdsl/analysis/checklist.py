"""The seed's post-implementation validation checklist, answered for each system.

Every question names the components that keep it from its passing answer, so the
site can show a yes/no table and the CK8xx rules can point at each one.
"""

from __future__ import annotations

from dataclasses import dataclass

# Protocol words on relations, by the connection model they imply.
LONG_LIVED_PROTOCOLS = frozenset({"ws", "wss", "websocket", "sse", "grpc-stream", "udp", "tcp", "mqtt", "webrtc"})
REQUEST_PROTOCOLS = frozenset({"http", "https", "rest", "graphql", "grpc", "soap"})


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
    """The request-response and long-lived ways a component is reached or serves."""
    request, long_lived = set(), set()
    if component.connection in ("request-response", "graphql"):
        request.add(component.connection)
    elif component.long_lived:
        long_lived.add(component.connection)
    for _, _, data in graph.in_edges(component.qid, data=True):
        protocol = data["relation"].protocol.lower()
        if protocol in REQUEST_PROTOCOLS:
            request.add(protocol)
        elif protocol in LONG_LIVED_PROTOCOLS:
            long_lived.add(protocol)
    return request, long_lived


def is_mixed(graph, component) -> bool:
    request, long_lived = boundary_mix(graph, component)
    return bool(request and long_lived)


def externalised_sessions(component) -> bool:
    """Whether some `keeps` puts session state in another component."""
    return any(k.target and "session" in k.what.lower() for k in component.keeps)


def local_state_without_ttl(component) -> list:
    return [k for k in component.keeps if k.local and k.ttl_ms is None]


def decided(system) -> set[str]:
    """Qualified ids of the components some decision record affects."""
    return {system.qualify(ref) for decision in system.decisions for ref in decision.affects}


def answers(graph, system) -> list[Answer]:
    """The eight questions for one system, in the seed's order."""
    parts = sorted(system.components, key=lambda c: c.qid)
    stateful = [c for c in parts if c.effective_state == "stateful"]
    documented = decided(system)

    def ids(items) -> tuple[str, ...]:
        return tuple(sorted({c.qid for c in items}))

    return [
        Answer("CK801", "Can any instance be killed without losing user data?", "yes", ids(
            [c for c in parts if local_state_without_ttl(c) and c.effective_state == "stateless"]
            + [c for c in stateful if not (c.recovery or c.replication or c.failover in ("auto", "manual"))]
        )),
        Answer("CK802", "Can instances be added without configuration changes?", "yes", ids(
            c for c in parts if c.scaling in ("fixed", "manual") and c.effective_state != "managed"
        )),
        Answer("CK803", "Does any request depend on reaching the same instance outside the stateful tier?",
               "no", ids(
                   c for c in parts if c.effective_state == "stateless"
                   and (c.scaling == "affinity" or (c.session in ("server", "rich") and not externalised_sessions(c)))
               )),
        Answer("CK804", "Is every stateful component justified and documented by a decision?", "yes", ids(
            c for c in stateful if not c.justification or c.qid not in documented
        )),
        Answer("CK805", "Is the place of every piece of state named?", "yes", ids(
            c for c in stateful if not c.keeps
        )),
        Answer("CK806", "Does every stateful component have a recovery plan?", "yes", ids(
            c for c in stateful if not c.recovery
        )),
        Answer("CK807", "Is session state externalised?", "yes", ids(
            c for c in parts if c.effective_state != "managed" and (
                (c.session in ("server", "rich") and c.effective_state == "stateless" and not externalised_sessions(c))
                or any(k.local and "session" in k.what.lower() and c.multi_instance for k in c.keeps)
            )
        )),
        Answer("CK808", "Are stateful and stateless concerns in separate components?", "yes", ids(
            c for c in parts if is_mixed(graph, c)
        )),
    ]
