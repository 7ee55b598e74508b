"""SB202: a stateful component with no concrete need for state."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..vocabulary import HOT_PATH_MS
from .base import Context, Rule


class PrematureStatefulness(Rule):
    """A stateful component with no concrete requirement that needs state.

    **What it does**
    Reports a component whose effective state is stateful although it has no long-lived
    connection, no latency target under 10 ms, no iterative in-memory access and no
    `justification`.

    **Why is this bad?**
    "We might need real-time features one day" is not a justification (framework
    § Premature statefulness). Build stateless first, add stateful components when a
    concrete requirement arrives, and isolate them. Statefulness costs affinity, harder
    failover and harder scaling from the first day.

    **Example**
    ```arch
    system social {
      component profiles {
        state stateful
        connection request-response
        latency 200ms
      }
    }
    ```

    **Use instead**
    ```arch
    system social {
      component profiles {
        state stateless
        connection request-response
        latency 200ms
      }
    }
    ```
    """

    code = "SB202"
    name = "premature-statefulness"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.effective_state != "stateful" or c.justification:
                continue
            fast = c.latency_ms is not None and c.latency_ms < HOT_PATH_MS
            if c.long_lived or fast or c.access == "iterative":
                continue
            yield self.finding(
                c,
                f"'{c.id}' is stateful with no concrete need: no long-lived connection,"
                " no sub-10 ms target, no iterative in-memory access, no justification",
                "make it stateless, or write the requirement that needs state in `justification`",
                span=c.span_of("state"),
            )
