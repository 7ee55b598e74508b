"""LT302: a stateless 1-10 ms target with a network hop on the hot path."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..vocabulary import HOT_PATH_MS, IN_PROCESS_MS
from .base import Context, Rule


class ChallengingLatency(Rule):
    """A stateless component targets 1–10 ms and calls over the network on its hot path.

    **What it does**
    Reports a stateless component whose `latency` is at least 1 ms and under 10 ms and
    that has a synchronous relation to another element.

    **Why is this bad?**
    Between 1 and 10 ms a stateless component hardly keeps its promise: the work usually has
    to be done in memory (framework § Latency). One network round trip can take the whole
    budget.

    **Example**
    ```arch
    system ads {
      component bidder { state stateless; latency 5ms }
      component profiles { kind database }
      bidder -> profiles "reads the profile"
    }
    ```

    **Use instead**
    ```arch
    system ads {
      component bidder { state stateless; latency 5ms }
      component profiles { kind database }
      bidder -> profiles "refreshes profiles" { async }
    }
    ```
    """

    code = "LT302"
    name = "challenging-latency"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.effective_state != "stateless" or c.latency_ms is None or not IN_PROCESS_MS <= c.latency_ms < HOT_PATH_MS:
                continue
            hops = sorted({v for _, v, d in ctx.graph.out_edges(c.qid, data=True) if not d["relation"].off_path})
            if hops:
                yield self.finding(
                    c,
                    f"'{c.id}' targets {c.latency_ms:g}ms and calls {', '.join(hops)} synchronously on its hot path",
                    "keep the hot data in process (a cache with a ttl), make the call async, or relax the target",
                    span=c.span_of("latency_ms"),
                )
