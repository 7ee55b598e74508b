"""DM502: a stateful component that no decision record covers."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.checklist import decided
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class UndocumentedStateful(Rule):
    """A stateful component is affected by no decision record.

    **What it does**
    Reports every stateful component that no `decision` lists in `affects`.

    **Why is this bad?**
    State should be added surgically, where a real-time feature needs it (framework § Worked
    examples), and justified to the people who will run it (framework § Explaining the
    decision). A decision
    record keeps the context, the options weighed and the consequences next to the
    component.

    **Example**
    ```arch
    system chat {
      component rooms { state stateful; connection websocket }
    }
    ```

    **Use instead**
    ```arch
    system chat {
      component rooms { state stateful; connection websocket }
      decision adr-1 "Chat rooms hold connections" {
        status accepted
        affects rooms
        context "Messages are pushed to everyone in a room as they are sent."
        decision "A stateful WebSocket service, scaled with affinity."
      }
    }
    ```
    """

    code = "DM502"
    name = "undocumented-stateful"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            covered = decided(system)
            for c in system.components:
                if c.effective_state == "stateful" and c.qid not in covered:
                    yield self.finding(
                        c, f"stateful component '{c.id}' is affected by no decision record",
                        f"add a decision with `affects {c.id}`: its context, the options and the consequences",
                    )
