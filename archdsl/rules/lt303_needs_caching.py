"""LT303: a stateless 10-50 ms target with no cache, replica or edge on the path."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..graph import layer_of
from ..model import format_ms
from ..vocabulary import CAREFUL_MS, HOT_PATH_MS
from .base import Context, Rule


class NeedsCaching(Rule):
    """A stateless component targets 10–50 ms with no cache, replica or edge on its path.

    **What it does**
    Reports a stateless component whose `latency` is at least 10 ms and under 50 ms when
    it is not itself at the edge (a CDN, an edge function, a component of an edge layer),
    keeps no local `cache` or `reference` copy (`keeps "…" as cache in local-memory`, or
    any `keeps` with a `ttl`), and reaches nothing anywhere on its synchronous path that
    answers from a nearby copy: no cache, CDN or edge function, no store with
    `replication` of two or more, no service that keeps a local cache.

    **Why is this bad?**
    10–50 ms is reachable without state only with care: a local cache, read replicas or
    deployment at the edge (framework § Latency). Without any of them the
    target holds only while the database is idle.

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
      component products { state stateless }
      component cache { kind cache }
      component db { kind database }
      catalog -> products "gets products"
      products -> cache "reads products"
      products -> db "reads on a miss" { optional }
    }
    ```
    """

    code = "LT303"
    name = "needs-caching"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Finding]:
        cached = ctx.latency.cached
        for c in ctx.components:
            if c.effective_state != "stateless" or c.latency_ms is None or not HOT_PATH_MS <= c.latency_ms < CAREFUL_MS:
                continue
            layer = layer_of(ctx.graph, c.qid)
            if c.qid in cached or (layer is not None and layer.kind == "edge"):
                continue
            yield self.finding(
                c,
                f"'{c.id}' targets {format_ms(c.latency_ms)} with no cache, read replica or edge"
                " on its synchronous path",
                "add a cache (a relation to a cache, or keeps … as cache in local-memory) or a replicated store",
                span=c.span_of("latency_ms"),
            )
