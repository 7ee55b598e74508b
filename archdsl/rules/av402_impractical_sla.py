"""AV402: a stateful component that promises 99.9999 % or more."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..vocabulary import SIX_NINES
from .base import Context, Rule


class ImpracticalSla(Rule):
    """A stateful component promises 99.9999 % availability or more.

    **What it does**
    Reports a stateful component whose `sla` is 99.9999 % or higher.

    **Why is this bad?**
    99.9999 % allows 32 seconds of downtime a year; for a stateful service that is extreme
    and rarely practical (framework § Availability). A failover alone takes longer.

    **Example**
    ```arch
    system trading {
      component positions { state stateful; connection tcp; sla 99.9999% }
    }
    ```

    **Use instead**
    ```arch
    system trading {
      component positions { state stateful; connection tcp; sla 99.99% }
    }
    ```
    """

    code = "AV402"
    name = "impractical-sla"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.effective_state == "stateful" and c.sla is not None and c.sla >= SIX_NINES:
                yield self.finding(
                    c,
                    f"'{c.id}' is stateful and promises {c.sla:g}% (32 s of downtime a year):"
                    " impractical for a stateful service",
                    "promise 99.99% or less, or move the state to a managed store and make this stateless",
                    span=c.span_of("sla"),
                )
