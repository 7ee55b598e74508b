"""AV401: a stateful component on a ≥ 99.99 % path with no replication or failover."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.availability import hard_dependencies
from ..diagnostics import Finding, Severity
from ..graph import entry_points
from ..vocabulary import FOUR_NINES
from .base import Context, Rule

HIGH = FOUR_NINES


class UnprotectedStatefulSla(Rule):
    """A stateful component on a path with a ≥ 99.99 % target has no replication or failover.

    **What it does**
    Finds every stateful or managed component that an entry point depends on (over
    synchronous, non-optional relations, on any route) when the system's `sla` is
    99.99 % or more, and reports those with neither `replication` (two or more) nor
    `failover auto|manual`. A component's own `sla` is its availability, not a target:
    it never makes a path "promise" anything. Not repeated where AV404 already reports the
    component's single copy (`replication 1`): one problem, one finding.

    **Why is this bad?**
    At 99.99 % (52 minutes of downtime a year) a stateful component is high complexity, and
    reaching a target with state is roughly two to three times the work of reaching it
    without (framework § Availability). A single copy of the state cannot fail over within
    that budget.

    **Example**
    ```arch
    system bank {
      sla 99.99%
      actor customer
      component ledger_api { state stateless }
      component ledger { kind database }
      customer -> ledger_api
      ledger_api -> ledger
    }
    ```

    **Use instead**
    ```arch
    system bank {
      sla 99.99%
      actor customer
      component ledger_api { state stateless }
      component ledger { kind database; replication 3; failover auto }
      customer -> ledger_api
      ledger_api -> ledger
    }
    ```
    """

    code = "AV401"
    name = "unprotected-stateful-sla"
    severity = Severity.WARNING
    repeats = ("AV404",)  # a store declared to keep one copy: AV404 names what it holds

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            if system.sla is None or system.sla < HIGH:
                continue
            for node in hard_dependencies(ctx.graph, entry_points(ctx.graph, system.id)):
                c = ctx.element(node)
                if c.effective_state not in ("stateful", "managed"):
                    continue
                if (c.replication or 0) >= 2 or c.failover in ("auto", "manual"):
                    continue
                yield self.finding(
                    c,
                    f"'{c.id}' holds state on a path of '{system.id}', which promises {system.sla:g}%,"
                    " but has no replication or failover",
                    "add `replication 2` (or more) and `failover auto`",
                )
