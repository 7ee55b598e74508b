"""CN903: a flow reads and then writes the same state, and two requests can interleave."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.flows import touches
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class LostUpdate(Rule):
    """A flow reads a value and writes it back in the same component without a guard.

    **What it does**
    Follows each `flow` in order: a step that `reads` WHAT in a component, and the same or a
    later step that `writes` the same WHAT in the same component without `atomic`, is a
    read-modify-write; it is reported at the write. `atomic` says the write is guarded (a
    transaction, a compare-and-set, a lock, an increment the store does itself).

    **Why is this bad?**
    With state moved out of the instances into a shared store, concurrent requests meet in
    that store (framework § Consistency): two of them read 3 free rooms, each writes back 2,
    and one booking is lost; or both book the last room.

    **Example**
    ```arch
    system hotel {
      component reservations
      component rooms { kind cache }
      reservations -> rooms
      flow reserve {
        step reservations -> rooms "count free rooms" { reads "room counts" }
        step reservations -> rooms "take one" { writes "room counts" }
      }
    }
    ```

    **Use instead**
    ```arch
    system hotel {
      component reservations
      component rooms { kind cache }
      reservations -> rooms
      flow reserve {
        step reservations -> rooms "count free rooms" { reads "room counts" }
        step reservations -> rooms "take one if one is free" { writes "room counts"; atomic }
      }
    }
    ```
    """

    code = "CN903"
    name = "lost-update"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            for flow in system.flows:
                reads = touches(ctx.graph, flow, "reads")
                for write in touches(ctx.graph, flow, "writes"):
                    if write.step.atomic:
                        continue
                    read = next((r for r in reads if r.index <= write.index and r.what == write.what
                                 and r.holder == write.holder), None)
                    if read is None:
                        continue
                    holder = write.holder.split(".", 1)[1]
                    yield self.finding(
                        flow,
                        f"flow '{flow.id}' reads '{write.what}' in {holder} ('{read.step.name}') and writes it"
                        f" back ('{write.step.name}') with no guard: two requests at once lose one update",
                        "guard the write: a transaction, a compare-and-set or an increment in the store (`atomic`)",
                        span=write.step.span, detail=f"{write.step.arrow}:{write.what}",
                    )
