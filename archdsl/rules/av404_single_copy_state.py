"""AV404: the only copy of user data or sessions in one place."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding, Severity
from ..vocabulary import THREE_NINES
from .base import Context, Rule

STRICT = THREE_NINES  # from this system sla up, a single copy is an error


class SingleCopyState(Rule):
    """A store of user data or sessions keeps a single copy: one failure loses it.

    **What it does**
    Finds the components that hold user data or sessions: those that some `keeps "…"
    as user-data|session in COMPONENT` names (a `keeps` without `as` or `ttl` is
    user data), those that keep it in their own memory or disk, and every database,
    object store, queue and stream unless the `keeps` that name it say it holds only a
    `cache` or `reference` data (a catalogue loaded from the image). It reports each one declared `replication 1` or
    `failover none`, naming what is kept there and by whom. A warning; an error when the
    system's `sla` is 99.9 % or more. A store declared `storage ephemeral` (no volume: an
    `emptyDir`, tmpfs, the container's own disk) with no second copy is always an error: not
    a failure but any restart, a deploy or a rescheduled pod, loses what it holds. Caches, reference data and connection state are
    not user data: losing them costs a slower request or a reconnect, so they never count.

    **Why is this bad?**
    "A failed server loses no customer data and logs no one out" is the promise a stateless
    design makes to the business (framework § Explaining the decision); it holds only if
    the state the stateless tiers pushed down lives in more than one place. The data layer
    is stateful and managed: its state is handled by data systems built for it, with
    replication and failover (framework § The hybrid default). At a 99.9 % target a
    stateful component is already medium complexity (framework § Availability), and one
    pod holding every cart cannot meet it.

    **Example**
    ```arch
    system shop {
      sla 99.9%
      component orders { state stateless; keeps "orders" in orders_db }
      component orders_db { kind database; replication 1 }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      sla 99.9%
      component orders { state stateless; keeps "orders" in orders_db }
      component orders_db { kind database; replication 3; failover auto }
    }
    ```
    """

    code = "AV404"
    name = "single-copy-state"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            strict = system.sla is not None and system.sla >= STRICT
            for single in ctx.single_copies[system.id]:
                store = ctx.element(single.store)
                what = single.describe() or f"the records of a {store.kind}"
                yield self.finding(
                    store,
                    f"{store.id} holds the only copy of {what}: {single.why}",
                    ("give it a volume (`storage persistent`) and replicate it" if single.lost_on_restart
                     else "replicate it (`replication 3`, `failover auto`)")
                    + ", or use a managed service that does; if losing it is acceptable, say so with allow AV404",
                    span=store.span_of(single.attribute),
                    severity=Severity.ERROR if strict or single.lost_on_restart else None,
                )
