"""LT305: one request, as a flow says it runs, costs more than its target."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..model import format_ms
from .base import Context, Rule


class FlowLatencyBudget(Rule):
    """A flow's synchronous cost exceeds its latency target.

    **What it does**
    Adds up what one request costs as its `flow` says it runs: the steps in written order,
    each at its own `latency`, else its relation's (else the default for the kind of its
    target); a `parallel` group at its slowest step; `async` steps and steps over `async` or
    `background` relations at nothing, since no one waits for them. It compares the total with
    the flow's `latency`, else the system's, and names the slowest steps with their costs.

    **Why is this bad?**
    Latency targets decide what can stay stateless (framework § Latency), and a target is
    about a request: adding up every call a component can make overstates it, and missing a
    sequential chain understates it. A request that already costs more than its target on
    paper will not meet it in production.

    **Example**
    ```arch
    system shop {
      actor buyer
      component web
      component orders
      component payments { kind external }
      buyer -> web
      web -> orders { latency 40ms }
      web -> payments { latency 300ms }
      flow checkout "Check out" {
        latency 250ms
        step buyer -> web "submits the order"
        step web -> orders "creates the order"
        step web -> payments "charges the card"
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      actor buyer
      component web
      component orders
      component payments { kind external }
      buyer -> web
      web -> orders { latency 40ms }
      web -> payments { latency 300ms }
      flow checkout "Check out" {
        latency 250ms
        step buyer -> web "submits the order"
        step web -> orders "creates the order"
        step web -> payments "charges the card" { async }
      }
    }
    ```
    """

    code = "LT305"
    name = "flow-latency-budget"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for cost in ctx.flows:
            if not cost.over:
                continue
            flow = cost.flow
            assert cost.target_ms is not None  # `over` needs a target
            whose = "its" if flow.latency_ms is not None else "the system's"
            slowest = ", ".join(f"{s.step.name} ({format_ms(s.cost_ms)})" for s in cost.slowest())
            yield self.finding(
                flow,
                f"flow '{flow.id}' costs {format_ms(cost.total_ms)}, over {whose} {format_ms(cost.target_ms)}"
                f" target; slowest steps: {slowest}",
                "make a step async if the request need not wait for it, run independent steps in a"
                " `parallel` group, cache what a step reads, or raise the target",
                span=flow.span_of("latency_ms") if flow.latency_ms is not None else None,
            )
