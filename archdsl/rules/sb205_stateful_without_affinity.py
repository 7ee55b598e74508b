"""SB205: a stateful component with several instances and no affinity or sharding."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from .base import Context, Rule


class StatefulWithoutAffinity(Rule):
    """A stateful component runs several instances with no affinity or sharding.

    **What it does**
    Reports a stateful component that runs more than one instance (`replicas` above one,
    or autoscaled) whose `scaling` is neither `affinity` nor `sharded`.

    **Why is this bad?**
    State on an instance is only useful when the next request reaches that instance. The
    real-time layer of the hybrid default scales out with affinity for exactly this reason
    (framework § The hybrid default); without it, requests land on instances that do not
    hold their state.

    **Example**
    ```arch
    system chat {
      component rooms {
        state stateful
        connection websocket
        scaling autoscale
      }
    }
    ```

    **Use instead**
    ```arch
    system chat {
      component rooms {
        state stateful
        connection websocket
        scaling affinity
        replicas 2..10
      }
    }
    ```
    """

    code = "SB205"
    name = "stateful-without-affinity"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.effective_state != "stateful" or not c.multi_instance:
                continue
            if c.scaling in ("affinity", "sharded"):
                continue
            how = f"scaling {c.scaling}" if c.scaling else f"{c.replicas.max} replicas"
            yield self.finding(
                c,
                f"'{c.id}' is stateful and runs several instances ({how}) with no affinity or sharding",
                "use `scaling affinity` (sticky connections) or `scaling sharded` (state partitioned by key)",
                span=c.span_of("scaling") if c.scaling else c.span_of("replicas"),
            )
