"""DM503: decision records that point at nothing, or a broken supersedes chain."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity, did_you_mean
from .base import Context, Rule


class DecisionIntegrity(Rule):
    """A decision affects an unknown element, supersedes a missing one, or is superseded by none.

    **What it does**
    Checks each decision record: every id in `affects` names a component or actor (or
    `system.id`); `supersedes` names a decision of the same system; a decision with
    `status superseded` is superseded by some decision.

    **Why is this bad?**
    Decision records are how the reasons behind the architecture reach the next person
    (framework § Explaining the decision). A record about nothing, or a chain of records
    that breaks, publishes a history that is not true.

    **Example**
    ```arch
    system shop {
      component api
      decision adr-2 "Move sessions to Redis" {
        status accepted
        affects apii
        supersedes adr-1
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api
      decision adr-1 "Sessions in memory" { status superseded; affects api }
      decision adr-2 "Move sessions to Redis" {
        status accepted
        affects api
        supersedes adr-1
      }
    }
    ```
    """

    code = "DM503"
    name = "decision-integrity"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            ids = {d.id for d in system.decisions}
            superseded = {d.supersedes for d in system.decisions if d.supersedes}
            local = [n.split(".", 1)[1] for n, d in ctx.graph.nodes(data=True) if d["system"] == system.id]
            for decision in system.decisions:
                for ref, span in zip(decision.affects, decision.affects_spans):
                    if system.qualify(ref) not in ctx.graph:
                        yield self.finding(
                            decision, f"decision '{decision.id}' affects '{ref}', which does not exist",
                            did_you_mean(ref, local), span=span,
                        )
                if decision.supersedes and decision.supersedes not in ids:
                    yield self.finding(
                        decision,
                        f"decision '{decision.id}' supersedes '{decision.supersedes}', which does not exist",
                        did_you_mean(decision.supersedes, ids - {decision.id}),
                        span=decision.span_of("supersedes"),
                    )
                if decision.status == "superseded" and decision.id not in superseded:
                    yield self.finding(
                        decision,
                        f"decision '{decision.id}' is superseded, but no decision supersedes it",
                        f"add `supersedes {decision.id}` to the decision that replaced it",
                        span=decision.span_of("status"),
                    )
