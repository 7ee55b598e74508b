"""CN901: a flow writes user data in several components, and a failure halfway strands it."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.flows import touches
from ..diagnostics import Finding, Severity
from ..vocabulary import PRECIOUS_KEEPS
from .base import Context, Rule


class SagaWithoutCompensation(Rule):
    """A flow writes user data in two or more components and cannot undo a write halfway.

    **What it does**
    Follows each `flow` in order and collects its synchronous `writes` of user data or
    sessions (what a `keeps` names, in the component that holds it: a `keeps "orders" in
    orders_db` makes a write of "orders" through its keeper land in orders_db). When they land
    in two or more components, every write that a later step could fail after (a step the
    flow waits for and does not tolerate failing: neither `async` nor `optional`) is reported
    unless it says how it is undone (`compensate "…"`), or it and every write after it are
    `atomic` in the same component (one transaction). One finding a flow, at the first such
    write, naming them all.

    **Why is this bad?**
    Work that has to be undone in steps needs somewhere to remember how far it got
    (framework § Workload), and its failure handling needs logic of its own, not a retry
    (framework § The decision matrix, "Failure handling"). A booking that wrote the order and
    then failed to charge the card leaves an order nobody pays for, and a seat nobody can book.

    **Example**
    ```arch
    system trains {
      component booking
      component orders { kind database }
      component payments { kind database }
      booking -> orders
      booking -> payments
      flow book {
        step booking -> orders "create the order" { writes "orders" }
        step booking -> payments "charge" { writes "payments" }
      }
    }
    ```

    **Use instead**
    ```arch
    system trains {
      component booking
      component orders { kind database }
      component payments { kind database }
      booking -> orders
      booking -> payments
      flow book {
        step booking -> orders "create the order" { writes "orders"; compensate "cancel the order" }
        step booking -> payments "charge" { writes "payments" }
      }
    }
    ```
    """

    code = "CN901"
    name = "saga-without-compensation"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            for flow in system.flows:
                stranded = _stranded(flow, [w for w in touches(ctx.graph, flow, "writes")
                                            if w.kind in PRECIOUS_KEEPS and not w.step.is_async])
                if not stranded:
                    continue
                first, failing = stranded[0]
                left = ", ".join(f"'{w.what}' in {w.holder.split('.', 1)[1]} ('{w.step.name}')" for w, _ in stranded)
                after = ", ".join(dict.fromkeys(f"'{s.name}'" for s in failing))
                them = "them" if len(stranded) > 1 else "it"
                yield self.finding(
                    flow,
                    f"flow '{flow.id}' writes {left} and then waits for {after}: if that fails, nothing"
                    f" undoes {them}",
                    'say how each is undone (compensate "…" on its step), or make the writes that can'
                    " fail come first",
                    span=first.step.span, detail=flow.id,
                )


def _stranded(flow, writes: list) -> list:
    """(write, the later steps whose failure strands it) of each write nothing undoes, when the
    flow writes user data in two or more components."""
    if len({w.holder for w in writes}) < 2:
        return []
    out = []
    for position, write in enumerate(writes):
        failing = [s for s in flow.steps[write.index + 1:] if not (s.is_async or s.optional)]
        if not failing or write.step.compensate:
            continue
        later = writes[position + 1:]
        if write.step.atomic and all(w.step.atomic and w.holder == write.holder for w in later):
            continue  # one transaction with every write after it
        out.append((write, failing))
    return out
