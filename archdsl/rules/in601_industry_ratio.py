"""IN601: the stateless share is well below the industry benchmark."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.ratio import INDUSTRY, TOLERANCE, stateless_share
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class IndustryRatio(Rule):
    """The system's stateless share is more than 15 points below its industry's.

    **What it does**
    Counts the system's stateless components against its stateless and stateful ones
    (managed data systems are not counted) and compares the share with the framework's
    benchmark for the system's `industry`: e-commerce ~85 %, banking ~75 %, social ~80 %,
    gaming ~60 %, SaaS/B2B ~90 %, IoT ~70 %. Only a share more than 15 points below the
    benchmark is reported: being more stateless than the industry is what the framework
    advises ("when in doubt, start stateless").

    **Why is this bad?**
    Industries settle at different balances because their requirements differ (framework
    § Industry benchmarks). A share far from the benchmark is not
    wrong in itself, but a share well below it is worth a second look: either the system
    is unusual, or state crept in where the industry keeps none.

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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            share = stateless_share(system)
            if share.departure is None or share.departure >= -TOLERANCE:
                continue
            _, label, uses = INDUSTRY[system.industry]
            yield self.finding(
                system,
                f"'{system.id}' is {share.percent:.0f}% stateless, {-share.departure:.0f} points"
                f" below the {label} benchmark of {share.benchmark}%",
                f"{label} systems are usually stateful only for {uses}",
                span=system.span_of("industry"),
            )
