"""SB201: state kept in the local memory of a scaled-out stateless component."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import Rule


class AccidentalStatefulness(Rule):
    """A stateless component with several instances keeps state locally with no ttl.

    **What it does**
    Looks at every stateless component that runs more than one instance (autoscaled,
    serverless, or `replicas` above one) and reports each `keeps "…" in local-memory` or
    `in local-disk` without a `ttl`.

    **Why is this bad?**
    Each instance ends up with its own copy of the state. The seed's rate limiter is the
    classic case: a user who hits server-1 fifty times and server-2 fifty times is never
    limited, because "different instances have different counts" (seed, "Anti-Pattern 1:
    Accidental Statefulness"). A short-lived local cache whose source of truth is
    elsewhere is fine: give it a `ttl`.

    **Example**
    ```arch
    system shop {
      layer api { kind compute
        component api {
          scaling autoscale
          keeps "rate-limit counters" in local-memory
        }
      }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      layer api { kind compute
        component api {
          scaling autoscale
          keeps "rate-limit counters" in redis
        }
      }
      layer data { kind data
        component redis { kind cache }
      }
    }
    ```
    """

    code = "SB201"
    name = "accidental-statefulness"
    severity = Severity.ERROR

    def check(self, ctx):
        for c in ctx.components:
            if c.effective_state != "stateless" or not c.multi_instance:
                continue
            for keep in c.keeps:
                if keep.local and keep.ttl_ms is None:
                    yield self.finding(
                        c,
                        f"'{c.id}' runs several instances but keeps \"{keep.what}\" in {keep.where}:"
                        " each instance has its own copy",
                        f'keep it in a shared store (keeps "{keep.what}" in redis), or add a ttl'
                        " if it is only a cache",
                        span=keep.span,
                    )


RULES = (AccidentalStatefulness,)
