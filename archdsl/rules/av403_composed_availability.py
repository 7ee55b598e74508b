"""AV403: availability composed over hard dependencies falls below the target."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.availability import downtime_per_year
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class ComposedAvailability(Rule):
    """The availability composed over an entry point's hard dependencies is below the target.

    **What it does**
    For every entry point, multiplies the `sla` (each component's own availability) of
    the entry and of everything it needs synchronously (async and `optional` relations
    left out) and compares the product with the system's `sla`, the target. A router (a
    load balancer, gateway or CDN, or a component of an edge or gateway layer) sends each
    request down one of its routes: its routes are alternatives, and the entry's figure
    is that of its worst route, while a service needs all of its hard calls. The weakest
    links are named, with the downtime a year the product allows. Components without an
    `sla` have no figure: they are counted, not guessed, and the product over the others
    is an upper bound ("at most"), which still fails the target when it is below it.

    **Why is this bad?**
    Availability multiplies along hard dependencies: three 99.95 % services in a chain are
    a 99.85 % service, 13 hours of downtime a year instead of 4.4 (framework § Availability,
    and its table of downtime).

    **Example**
    ```arch
    system shop {
      sla 99.9%
      actor buyer
      component api { sla 99.95% }
      component db { kind database; sla 99.95% }
      component search { kind search; sla 99.9% }
      buyer -> api
      api -> db
      api -> search
    }
    ```

    **Use instead**
    ```arch
    system shop {
      sla 99.9%
      actor buyer
      component api { sla 99.95% }
      component db { kind database; sla 99.99% }
      component search { kind search; sla 99.9% }
      buyer -> api
      api -> db
      api -> search { optional }
    }
    ```
    """

    code = "AV403"
    name = "composed-availability"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for comp in ctx.availability:
            if not comp.below_target:
                continue
            entry = ctx.element(comp.entry)
            weakest = ", ".join(f"{node.split('.', 1)[1]} ({sla:g}%)" for node, sla in comp.weakest)
            unknowns = f"; {comp.unknowns}" if comp.unknowns else ""
            yield self.finding(
                entry,
                f"'{entry.id}' and its hard dependencies compose to {comp.figure}"
                f" ({comp.downtime} of downtime), below the {comp.target:g}% target"
                f" ({downtime_per_year(comp.target)}); weakest: {weakest}{unknowns}",
                "raise the weakest links' availability, or make their relations optional or async",
            )
