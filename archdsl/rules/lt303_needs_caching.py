"""LT303: a stateless 10-50 ms target with no cache, replica or edge on the path."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import Rule

_CACHING_KINDS = ("cache", "cdn", "edge-function")


class NeedsCaching(Rule):
    """A stateless component targets 10–50 ms with no cache, replica or edge on its path.

    **What it does**
    Reports a stateless component whose `latency` is at least 10 ms and under 50 ms when
    it is not itself at the edge, keeps no local cache with a ttl, and calls no cache,
    CDN or replicated store synchronously.

    **Why is this bad?**
    10–50 ms "requires careful optimization: local caches, read replicas, edge
    deployment" (seed, "Criterion 1"). Without any of them the target holds only while
    the database is idle.

    **Example**
    ```arch
    system shop {
      component catalog { state stateless; latency 30ms }
      component db { kind database }
      catalog -> db "reads products"
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component catalog { state stateless; latency 30ms }
      component cache { kind cache }
      component db { kind database }
      catalog -> cache "reads products"
      catalog -> db "reads on a miss" { optional }
    }
    ```
    """

    code = "LT303"
    name = "needs-caching"
    severity = Severity.INFO

    def check(self, ctx):
        for c in ctx.components:
            if c.effective_state != "stateless" or c.latency_ms is None or not 10 <= c.latency_ms < 50:
                continue
            if c.kind in _CACHING_KINDS or _layer_kind(ctx, c) == "edge":
                continue
            if any(k.local and k.ttl_ms is not None for k in c.keeps):
                continue
            if any(_helps(ctx, v) for _, v, d in ctx.graph.out_edges(c.qid, data=True) if not d["relation"].is_async):
                continue
            yield self.finding(
                c,
                f"'{c.id}' targets {c.latency_ms:g}ms with no cache, read replica or edge on its path",
                "add a cache (a relation to a cache, or keeps … in local-memory ttl …) or a replicated store",
                span=c.span_of("latency_ms"),
            )


def _layer_kind(ctx, component) -> str | None:
    system = ctx.workspace.system(component.system)
    layer = system.layer(component.layer) if system and component.layer else None
    return layer.kind if layer else None


def _helps(ctx, node) -> bool:
    data = ctx.graph.nodes[node]
    if data["type"] != "component":
        return False
    target = data["element"]
    return target.kind in _CACHING_KINDS or (target.replication or 0) >= 2


RULES = (NeedsCaching,)
