"""SB203: one component serves both request-response and long-lived connections."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.checklist import boundary_mix
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class MixedStateBoundary(Rule):
    """A component serves request-response calls and holds long-lived connections.

    **What it does**
    Collects how each component is reached: its own `connection` list and the protocols
    of the synchronous relations into it (`http`, `https`, `rest`, `grpc`, `graphql` are
    request-response; `ws`, `wss`, `websocket`, `sse`, `grpc-stream`, `tcp`, `udp`,
    `mqtt` are long-lived). Request-response counts only when it faces clients: a call
    from an actor, from another system, or from an edge or gateway component. A
    component that serves client requests and long-lived connections is reported.
    Async relations (a push through a queue into a gateway) and internal queries (a
    service asking presence "is this user online?") are not a boundary, and a router (a
    load balancer, gateway or CDN, or a component of an edge or gateway layer) that
    passes both kinds of traffic on to the components serving them is never reported.

    **Why is this bad?**
    The two halves cannot scale apart: the connections need affinity, the requests do not
    (framework § Ignoring state boundaries). Split the component
    into a stateless API and a stateful real-time service.

    **Example**
    ```arch
    system social {
      actor user
      component users { connection websocket }
      user -> users "GET /profile" { protocol https }
      user -> users "subscribes" { protocol wss }
    }
    ```

    **Use instead**
    ```arch
    system social {
      actor user
      component profile_api { connection request-response }
      component realtime { connection websocket }
      user -> profile_api "GET /profile" { protocol https }
      user -> realtime "subscribes" { protocol wss }
    }
    ```
    """

    code = "SB203"
    name = "mixed-state-boundary"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            request, long_lived = boundary_mix(ctx.graph, c)
            if request and long_lived:
                yield self.finding(
                    c,
                    f"'{c.id}' serves request-response ({', '.join(sorted(request))}) and long-lived"
                    f" connections ({', '.join(sorted(long_lived))}) in one component",
                    "split it: a stateless API for requests, a stateful service for connections",
                )
