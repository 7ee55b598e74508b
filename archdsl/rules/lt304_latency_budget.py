"""LT304: the slowest synchronous path from an entry point exceeds its target."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import Rule


class LatencyBudget(Rule):
    """The slowest synchronous path from an entry point costs more than its target.

    **What it does**
    From every entry point (the components an actor calls; else the edge and gateway
    layers), follows synchronous relations and adds up the cost of each hop: the
    relation's `latency`, else a default for the kind of its target (a cache 1 ms, a
    database 5 ms, a service 10 ms, a search 20 ms, an outside service 100 ms; see
    `archdsl explain LT304` and `hop-latency` in the settings). The slowest path is
    compared with the entry point's `latency`, else the system's. Async relations are
    not on the path. A synchronous cycle is reported and not followed.

    **Why is this bad?**
    Latency targets decide what can stay stateless (seed, "Criterion 1: Latency
    Requirements"); a target that the call chain already exceeds on paper will not hold
    in production.

    **Example**
    ```arch
    system shop {
      actor buyer
      component checkout { latency 50ms }
      component payments { kind external }
      buyer -> checkout
      checkout -> payments "charges the card" { latency 80ms }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      actor buyer
      component checkout { latency 50ms }
      component payments { kind external }
      buyer -> checkout
      checkout -> payments "charges the card" { latency 80ms; async }
    }
    ```
    """

    code = "LT304"
    name = "latency-budget"
    severity = Severity.ERROR

    def check(self, ctx):
        report = ctx.latency
        for path in report.paths:
            if not path.over_budget:
                continue
            entry = ctx.element(path.entry)
            steps = " → ".join(
                [path.path[0]] + [f"{node} ({hop:g}ms)" for node, hop in zip(path.path[1:], path.hops)]
            )
            yield self.finding(
                entry,
                f"the slowest synchronous path from '{entry.id}' takes {path.total_ms:g}ms,"
                f" over its {path.target_ms:g}ms target: {steps}",
                "make a slow call async or optional, cache its answer, or raise the target",
            )
        for cycle in report.cycles:
            relation = cycle.relation
            yield self.finding(
                relation,
                "synchronous cycle: " + " → ".join(cycle.nodes),
                "a request that can come back to where it started has no latency bound: make one call async",
            )


RULES = (LatencyBudget,)
