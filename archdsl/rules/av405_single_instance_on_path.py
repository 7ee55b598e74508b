"""AV405: a component declared to run one instance on the path of a system that promises 99.9 %."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.availability import hard_dependencies
from ..diagnostics import Finding, Severity
from ..graph import entry_points
from ..vocabulary import THREE_NINES
from .base import Context, Rule


class SingleInstanceOnPath(Rule):
    """One instance on a path that promises 99.9 %: a restart takes the path down.

    **What it does**
    Finds every component an entry point depends on (over synchronous, non-optional
    relations, on any route; `async` and `background` relations do not count), and every
    component a `flow` of the system waits for (a step neither `async` nor `optional`), when the
    system's `sla` is 99.9 % or more, and reports those declared to run a single instance
    (`replicas 1`). Only what is written counts: a component that does not say how many
    instances it runs is never reported.

    **Why is this bad?**
    A failed stateless instance is replaced by any other (framework § Availability), but
    only if there is another: with one instance every deploy, node drain, crash or
    out-of-memory kill is downtime for every request that needs it. 99.9 % allows about
    8.7 hours a year (framework § Availability), which a few restarts a week of a slow-starting
    service use up.

    **Example**
    ```arch
    system shop {
      sla 99.9%
      actor customer
      component web { kind frontend; replicas 2..10 }
      component orders { kind service; replicas 1 }
      customer -> web
      web -> orders
    }
    ```

    **Use instead**
    ```arch
    system shop {
      sla 99.9%
      actor customer
      component web { kind frontend; replicas 2..10 }
      component orders { kind service; replicas 2 }
      customer -> web
      web -> orders
    }
    ```
    """

    code = "AV405"
    name = "single-instance-on-path"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            if system.sla is None or system.sla < THREE_NINES:
                continue
            on_path = set(hard_dependencies(ctx.graph, entry_points(ctx.graph, system.id)))
            for cost in ctx.flows:
                if cost.system == system.id:
                    on_path.update(s.step.target for s in cost.steps if s.waited and not s.step.optional)
            for node in sorted(on_path):
                c = ctx.element(node)
                if ctx.graph.nodes[node]["type"] != "component":
                    continue
                if not c.single_instance:
                    continue
                yield self.finding(
                    c,
                    f"'{c.id}' runs one instance (replicas 1) on a synchronous path of '{system.id}',"
                    f" which promises {system.sla:g}%: a restart or a crash takes the path down",
                    "run two or more (`replicas 2`), or take it off the path (an `async` relation)",
                    span=c.span_of("replicas"), detail=system.id,
                )
