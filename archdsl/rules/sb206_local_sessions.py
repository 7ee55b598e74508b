"""SB206: server sessions in the local memory of a horizontally scaled tier."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.checklist import local_sessions, shared_sessions
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class LocalSessions(Rule):
    """Server-side sessions kept in the local memory of a horizontally scaled tier.

    **What it does**
    Reports a component with `session server` or `session rich` that runs several
    instances without affinity or sharding and does not keep its sessions in another
    component (`keeps "sessions" as session in redis`); and any `keeps "…" as session in
    local-memory` (or `local-disk`) on such a component. Only the `as session` kind
    counts: the words of a `keeps` text are never read.

    **Why is this bad?**
    A session that lives on one instance is lost when the next request lands on another,
    or when that instance dies: "a failed server logs no one out" is what stateless buys
    (framework § Explaining the decision). The framework's worked examples use tokens, or
    sessions in Redis (framework § Worked examples).

    **Example**
    ```arch
    system shop {
      component web {
        session server
        scaling autoscale
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component web {
        session server
        scaling autoscale
        keeps "sessions" as session in redis
      }
      component redis { kind cache; replication 2; failover auto }
    }
    ```
    """

    code = "SB206"
    name = "local-sessions"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if not c.multi_instance or c.scaling in ("affinity", "sharded"):
                continue
            local = local_sessions(c)
            for keep in local:
                yield self.finding(
                    c, f"'{c.id}' keeps \"{keep.what}\" in {keep.where} on every one of its instances",
                    f'keep sessions in a shared store: keeps "{keep.what}" as session in redis',
                    span=keep.span, detail=keep.what,
                )
            if not local and c.session in ("server", "rich") and not shared_sessions(c):
                yield self.finding(
                    c,
                    f"'{c.id}' has {c.session} sessions on a horizontally scaled tier with no shared session store",
                    'use tokens (session token), or keep sessions in a shared store:'
                    ' keeps "sessions" as session in redis',
                    span=c.span_of("session"),
                )
