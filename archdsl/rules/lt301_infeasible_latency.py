"""LT301: a stateless component that targets under 1 ms."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..model import format_ms
from ..vocabulary import IN_PROCESS_MS
from .base import Context, Rule


class InfeasibleLatency(Rule):
    """A stateless component targets a latency under 1 ms.

    **What it does**
    Reports a stateless component whose `latency` is below 1 ms.

    **Why is this bad?**
    Under 1 ms a stateless component cannot keep its promise: only computation inside the
    process is fast enough (framework § Latency). Any call to an outside store already
    costs more. Either the target is wrong, or the component must keep its data in
    process, and then it is stateful.

    **Example**
    ```arch
    system trading {
      component pricer { state stateless; latency 500us }
    }
    ```

    **Use instead**
    ```arch
    system trading {
      component pricer {
        state stateful
        latency 500us
        justification "Prices are computed in process from the order book held in memory"
      }
    }
    ```
    """

    code = "LT301"
    name = "infeasible-latency"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.effective_state == "stateless" and c.latency_ms is not None and c.latency_ms < IN_PROCESS_MS:
                yield self.finding(
                    c,
                    f"'{c.id}' is stateless but targets {format_ms(c.latency_ms)}: under 1 ms only"
                    " in-process computation is fast enough",
                    "make it stateful with its data in process, or relax the target",
                    span=c.span_of("latency_ms"),
                )
