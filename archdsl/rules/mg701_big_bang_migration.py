"""MG701: a migration with no incremental phases or no rollback."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from .base import Context, Rule


class BigBangMigration(Rule):
    """A migration has no incremental phases, or no rollback.

    **What it does**
    Reports a migration whose strategy is `big-bang`, that has no phase carrying part of
    the traffic (more than 0 % and less than 100 %), or that has no `rollback`.

    **Why is this bad?**
    A critical system is never moved in one step: route traffic to the new system
    gradually, the strangler-fig way, and keep the old one until all traffic has moved and
    been verified (framework § Migrating).

    **Example**
    ```arch
    system shop {
      component api
      component redis { kind cache }
      migration sessions "Sessions to Redis" {
        from api; to redis
        phase "Switch" { traffic 100% }
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api
      component redis { kind cache }
      migration sessions "Sessions to Redis" {
        from api; to redis
        strategy strangler-fig
        phase "Canary" { traffic 5% }
        phase "Half" { traffic 50% }
        phase "All" { traffic 100% }
        rollback "Turn the redis-sessions flag off"
      }
    }
    ```
    """

    code = "MG701"
    name = "big-bang-migration"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            for mig in system.migrations:
                problems = []
                if mig.strategy == "big-bang":
                    problems.append("its strategy is big-bang")
                if not any(p.traffic is not None and 0 < p.traffic < 100 for p in mig.phases):
                    problems.append("no phase carries part of the traffic")
                if not mig.rollback:
                    problems.append("it has no rollback")
                if problems:
                    yield self.finding(
                        mig, f"migration '{mig.id}' is a big bang: {'; '.join(problems)}",
                        "move traffic in steps (phase \"Canary\" { traffic 5% } …) and write the `rollback`",
                    )
