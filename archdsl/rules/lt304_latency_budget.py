"""LT304: the synchronous calls below a component cost more than its latency target."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.flows import cost_below, entry_of
from ..diagnostics import Finding, Severity
from ..model import format_ms
from .base import Context, Rule


class LatencyBudget(Rule):
    """The synchronous calls below a component cost more than its latency target.

    **What it does**
    Adds up what each component's synchronous calls cost below it. A hop costs its
    relation's `latency` (that hop's own cost: network plus the callee's own work), else
    a default for the kind of its target (a cache 1 ms, a database 5 ms, a service
    10 ms, a search 20 ms, an outside service 100 ms; see `hop-latency` in the settings).
    A component's calls run in parallel unless it says `calls sequential`: the cost below
    it is the slowest of them, or their sum. Every component with a `latency` target is
    compared with the cost below it, and every entry point without one with the system's
    `latency`. Async and background relations are not on the path. A synchronous cycle has
    no bound: it is reported once, as information, and the costs above it are lower bounds.
    Where flows enter by a component, one request is what they say, not every call the
    component can make: its own target is compared with the worst of those flows, and the
    system's `latency` is left to LT305, flow by flow.

    **Why is this bad?**
    Latency targets decide what can stay stateless (framework § Latency); a target that the
    call chain already exceeds on paper will not hold
    in production.

    **Example**
    ```arch
    system shop {
      actor buyer
      component checkout { latency 50ms; calls sequential }
      component stock
      component payments { kind external }
      buyer -> checkout
      checkout -> stock "reserves the items" { latency 20ms }
      checkout -> payments "charges the card" { latency 40ms }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      actor buyer
      component checkout { latency 50ms }
      component stock
      component payments { kind external }
      buyer -> checkout
      checkout -> stock "reserves the items" { latency 20ms }
      checkout -> payments "charges the card" { latency 40ms }
    }
    ```
    """

    code = "LT304"
    name = "latency-budget"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        report = ctx.latency
        by_entry: dict[str, list] = {}
        for cost in ctx.flows:
            entry = entry_of(ctx.graph, cost.flow)
            if entry is not None:
                by_entry.setdefault(entry, []).append(cost)
        for path in report.paths:
            element = ctx.element(path.component)
            if path.component in by_entry:
                yield from self._flows(element, path, by_entry[path.component], ctx)
                continue
            if not path.over_budget:
                continue
            how = "add up to" if path.sequential else "take"
            bound = "" if path.bounded else "at least "
            yield self.finding(
                element,
                f"the synchronous calls below '{element.id}' {how} {bound}{format_ms(path.total_ms)},"
                f" over its {format_ms(path.target_ms)} target; slowest: {_steps(path)}",
                "make a call async if the caller need not wait for it, cache its answer, run the calls"
                " in parallel, or raise the target",
            )
        for cycle in report.cycles:
            first = ctx.element(cycle.nodes[0])
            yield self.finding(
                first,
                f"{_names(cycle.nodes)} call each other synchronously: the latency below them cannot"
                " be bounded",
                "if one request never goes round this loop, model the two directions apart (two"
                " components, or the relations that really happen per request); if it may, bound"
                " the depth in the code",
                severity=Severity.INFO, detail="cycle",
            )


    def _flows(self, element, path, costs, ctx) -> Iterator[Finding]:
        """An entry that flows start at: its own target against the worst of them."""
        if element.latency_ms is None:
            return  # the system's latency: LT305 compares each flow with it
        worst = max(costs, key=lambda cost: (cost_below(ctx.graph, cost), cost.flow.id))
        below = cost_below(ctx.graph, worst)
        if below <= element.latency_ms:
            return
        yield self.finding(
            element,
            f"flow '{worst.flow.id}', the slowest that enters by '{element.id}', costs {format_ms(below)} below it,"
            f" over its {format_ms(element.latency_ms)} target; slowest steps: "
            + ", ".join(f"{s.step.name} ({format_ms(s.cost_ms)})" for s in worst.slowest()),
            "make a step async if the request need not wait for it, run steps in parallel, cache, or raise"
            " the target",
        )


SHOWN = 6  # hops of a path spelled out in a message; the rest are counted


def _steps(path) -> str:
    """`a → b (10ms) → c (5ms)`, the rest counted past SHOWN hops (never walked: a long chain
    costs its message no more than a short one)."""
    nodes, hops, length = path.head(SHOWN + 1)
    names = [node.split(".", 1)[1] for node in nodes]
    steps = [names[0]] + [f"{name} ({format_ms(hop)})" for name, hop in zip(names[1:], hops)]
    if length > len(nodes):
        steps.append(f"… {length - len(nodes)} more")
    return " → ".join(steps)


def _names(nodes) -> str:
    shown = [f"'{n.split('.', 1)[1]}'" for n in nodes[:SHOWN]]
    if len(nodes) > SHOWN:
        shown.append(f"{len(nodes) - SHOWN} more")
    return ", ".join(shown[:-1]) + " and " + shown[-1]
