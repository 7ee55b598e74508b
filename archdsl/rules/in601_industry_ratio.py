"""IN601: the stateless share departs from the industry benchmark."""

from __future__ import annotations

from ..analysis.ratio import INDUSTRY, TOLERANCE, stateless_share
from ..diagnostics import Severity
from .base import Rule


class IndustryRatio(Rule):
    """The system's stateless share departs from its industry's by more than 15 points.

    **What it does**
    Counts the system's stateless components against its stateless and stateful ones
    (managed data systems are not counted) and compares the share with the seed's
    benchmark for the system's `industry`: e-commerce ~85 %, banking ~75 %, social ~80 %,
    gaming ~60 %, SaaS/B2B ~90 %, IoT ~70 %.

    **Why is this bad?**
    "Different industries have evolved distinct patterns based on their unique
    requirements" (seed, "industry patterns"). A share far from the benchmark is not
    wrong in itself, but it is worth a second look: either the system is unusual, or
    state crept in where the industry keeps none.

    **Example**
    ```arch
    system shop {
      industry ecommerce
      component cart { state stateful; connection websocket }
      component api { state stateless }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      industry ecommerce
      component cart { state stateful; connection websocket }
      component api { state stateless }
      component catalog { state stateless }
      component search { state stateless }
      component checkout { state stateless }
    }
    ```
    """

    code = "IN601"
    name = "industry-ratio"
    severity = Severity.INFO

    def check(self, ctx):
        for system in ctx.systems:
            share = stateless_share(system)
            if share.departure is None or abs(share.departure) <= TOLERANCE:
                continue
            _, label, uses = INDUSTRY[system.industry]
            direction = "above" if share.departure > 0 else "below"
            yield self.finding(
                system,
                f"'{system.id}' is {share.percent:.0f}% stateless, {abs(share.departure):.0f} points"
                f" {direction} the {label} benchmark of {share.benchmark}%",
                f"{label} systems are usually stateful only for {uses}",
                span=system.span_of("industry"),
            )


RULES = (IndustryRatio,)
