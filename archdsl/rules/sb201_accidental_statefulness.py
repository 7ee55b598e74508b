"""SB201: state kept in the local memory of a scaled-out stateless component."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.copies import local_precious
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class AccidentalStatefulness(Rule):
    """A stateless component with several instances keeps user data or sessions locally.

    **What it does**
    Looks at every stateless component that runs more than one instance (autoscaled,
    serverless, or `replicas` above one) and reports each `keeps "…" in local-memory` or
    `in local-disk` whose kind is `user-data` or `session` (a `keeps` without `as` and
    without a `ttl` is `user-data`). A `cache` (derived, rebuilt from a source of truth)
    and `reference` data (read-only, the same on every instance, such as a catalog baked
    into the image) are never reported: every instance may hold its own copy of them.
    Sessions on a tier with neither affinity nor sharding are SB206's finding, not repeated
    here: one problem, one finding.

    **Why is this bad?**
    Each instance ends up with its own copy of the state. A rate limiter that counts in
    memory is the classic case: a user who hits one server fifty times and another fifty
    times is never limited, because each instance has its own count (framework § Accidental
    statefulness). A local cache whose source of truth is elsewhere is fine
    (`as cache`, or a `ttl`), and so is read-only reference data (`as reference`).

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
          keeps "product catalog" as reference in local-memory
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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.components:
            if c.effective_state != "stateless" or not c.multi_instance:
                continue
            for keep in local_precious(c):
                if keep.kind == "session" and c.scaling not in ("affinity", "sharded"):
                    continue  # SB206 reports sessions on such a tier, more precisely: one finding
                yield self.finding(
                    c,
                    f"'{c.id}' runs several instances but keeps \"{keep.what}\" ({keep.kind}) in"
                    f" {keep.where}: each instance has its own copy",
                    f'keep it in a shared store (keeps "{keep.what}" in redis); if it is derived or'
                    " read-only, say so: `as cache` or `as reference`",
                    span=keep.span, detail=keep.what,
                )
