"""CN902: a flow writes user data on the strength of a read from a copy that can lag."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.flows import touches
from ..diagnostics import Finding, Severity
from ..vocabulary import PRECIOUS_KEEPS
from .base import Context, Rule


class DecisionOnStaleRead(Rule):
    """A flow reads from a cache, then writes user data without a guard on the write.

    **What it does**
    Follows each `flow` in order: a step that `reads` WHAT from a copy that can lag (a
    component of kind cache, CDN or edge function, or WHAT kept `as cache`) followed by a
    step that `writes` user data or sessions without `atomic` is reported at the read, naming
    the write it feeds. An `atomic` write (a transaction that re-reads, a compare-and-set, a
    conditional update) checks the truth where it is written, so it is never reported.

    **Why is this bad?**
    A cache answers from a copy close to the caller (framework § Latency), and a copy lags
    its source of truth. A decision taken on it (a balance that allows a payment, a count of
    free rooms) is taken on data that may already be wrong; with state moved out of the
    instances into shared stores, many requests take such decisions at once
    (framework § Consistency).

    **Example**
    ```arch
    system bank {
      component payments
      component balances { kind cache }
      component ledger { kind database }
      payments -> balances
      payments -> ledger
      flow pay {
        step payments -> balances "check the balance" { reads "balance" }
        step payments -> ledger "book the payment" { writes "transactions" }
      }
    }
    ```

    **Use instead**
    ```arch
    system bank {
      component payments
      component balances { kind cache }
      component ledger { kind database }
      payments -> balances
      payments -> ledger
      flow pay {
        step payments -> balances "check the balance" { reads "balance" }
        step payments -> ledger "book the payment if the balance allows" { writes "transactions"; atomic }
      }
    }
    ```
    """

    code = "CN902"
    name = "decision-on-stale-read"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            for flow in system.flows:
                writes = [w for w in touches(ctx.graph, flow, "writes")
                          if w.kind in PRECIOUS_KEEPS and not w.step.atomic]
                for read in touches(ctx.graph, flow, "reads"):
                    if not read.cached:
                        continue
                    fed = next((w for w in writes if w.index > read.index), None)
                    if fed is None:
                        continue
                    holder = read.holder.split(".", 1)[1]
                    yield self.finding(
                        flow,
                        f"flow '{flow.id}' reads '{read.what}' from {holder}, a copy that can lag"
                        f" ('{read.step.name}'), and then writes '{fed.what}' ('{fed.step.name}') on the strength of it",
                        "make the write check the truth where it is written (a transaction, a conditional"
                        " update: `atomic`), or read from the source of truth",
                        span=read.step.span, detail=f"{read.step.arrow}:{read.what}",
                    )
