"""CT901-CT905: a team's own `constraint` blocks, checked like the built-in rules.

The five rules are the five kinds of constraint statement; each finding names the constraint
(its id and title), carries its id as the finding's `detail` (so baselines and SARIF
fingerprints stay stable when a title or a figure changes), takes the constraint's severity,
and quotes the statement it breaks, with its line, as the hint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from ..analysis.policy import Breach
from ..diagnostics import Finding, Severity
from ..policy import CODES
from .base import Context, Rule, header_span


class _ConstraintRule(Rule):
    verbs: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        assert all(CODES[verb] == cls.code for verb in cls.verbs), cls  # one table of which rule checks what

    def check(self, ctx: Context) -> Iterator[Finding]:
        for breach in ctx.policy:
            if breach.clause.verb in self.verbs:
                yield self._finding(breach)

    def _finding(self, breach: Breach) -> Finding:
        constraint, clause, subject = breach.constraint, breach.clause, breach.subject
        named = f"'{constraint.id}'" + (f" ({constraint.title})" if constraint.title else "")
        if clause.verb in ("forbid", "only"):
            about = f"{_short(subject.source)} -> {_short(subject.target)}"
            span = subject.span
        else:
            about = f"'{subject.id}'"
            span = header_span(subject)
        message = f"{about} breaks constraint {named}: {breach.what}"
        hint = f"line {clause.span.line}: {clause.text}"
        return self.finding(subject, message, hint, span, detail=constraint.id,
                            severity=Severity(constraint.severity))


def _short(qid: str) -> str:
    return qid.split(".", 1)[1] if "." in qid else qid


class ForbiddenRelation(_ConstraintRule):
    """A relation that a constraint's `forbid` statement rules out.

    **What it does**
    For each `forbid A -> B` of a `constraint`, reports every relation from an element that `A`
    selects to one that `B` selects, in the systems the constraint holds for.

    **Why is this bad?**
    A team's layering rule is how it keeps state behind its boundary: an edge function that
    reads a database directly crosses the boundary that the stateless tiers exist to keep
    (framework § Ignoring state boundaries). Written in the spec, the rule is checked on every
    change instead of living in a wiki.

    **Example**
    ```arch
    system shop "Shop" {
      constraint ui-not-data "The UI never talks to a data store directly" {
        forbid layer:edge -> kind:database
      }
      layer edge "Edge" { kind edge; component web "Web" { state stateless } }
      component db "Orders DB" { kind database; state stateful; replication 3 }
      web -> db "reads orders"
    }
    ```

    **Use instead**
    ```arch
    system shop "Shop" {
      constraint ui-not-data "The UI never talks to a data store directly" {
        forbid layer:edge -> kind:database
      }
      layer edge "Edge" { kind edge; component web "Web" { state stateless } }
      component api "Orders API" { state stateless }
      component db "Orders DB" { kind database; state stateful; replication 3 }
      web -> api "reads orders"
      api -> db "queries"
    }
    ```
    """

    code = "CT901"
    name = "constraint-forbid"
    severity = Severity.WARNING
    verbs = ("forbid",)


class RelationOutsideOnly(_ConstraintRule):
    """A relation that leaves what a constraint's `only` statement allows.

    **What it does**
    For each `only A -> B` of a `constraint`, reports every relation from an element that `A`
    selects to an element that `B` does not select.

    **Why is this bad?**
    "The edge calls only the gateway" is how a team keeps one door into its stateful tiers, so
    that sessions, limits and authentication live in one place (framework § Ignoring state
    boundaries). A relation around the door is a second, unguarded way in.

    **Example**
    ```arch
    system shop "Shop" {
      constraint one-door "The edge calls only the gateway" {
        only layer:edge -> layer:gateway
      }
      layer edge "Edge" { kind edge; component web "Web" { state stateless } }
      layer gateway "Gateway" { kind gateway; component gw "Gateway" { kind gateway } }
      component api "API" { state stateless }
      web -> gw "routes"
      web -> api "calls directly"
      gw -> api "forwards"
    }
    ```

    **Use instead**
    ```arch
    system shop "Shop" {
      constraint one-door "The edge calls only the gateway" {
        only layer:edge -> layer:gateway
      }
      layer edge "Edge" { kind edge; component web "Web" { state stateless } }
      layer gateway "Gateway" { kind gateway; component gw "Gateway" { kind gateway } }
      component api "API" { state stateless }
      web -> gw "routes"
      gw -> api "forwards"
    }
    ```
    """

    code = "CT902"
    name = "constraint-only"
    severity = Severity.WARNING
    verbs = ("only",)


class UnmetRequirement(_ConstraintRule):
    """A component that lacks what a constraint's `require` statement asks of it.

    **What it does**
    For each `require A { ATTR [OP VALUE]; … }` of a `constraint`, reports every component that
    `A` selects and that leaves an attribute unset or has a value the comparison refuses; one
    finding a component, naming each requirement it misses.

    **Why is this bad?**
    "Every store of user data is replicated" is the team's answer to the framework's point that
    a single copy of state is lost with its machine (framework § Availability). A store that
    quietly skips it is where the next outage loses data.

    **Example**
    ```arch
    system shop "Shop" {
      constraint replicated "Every database is replicated and owned" {
        require kind:database { replication >= 2; owner }
      }
      component db "Orders DB" { kind database; state stateful; replication 1 }
    }
    ```

    **Use instead**
    ```arch
    system shop "Shop" {
      constraint replicated "Every database is replicated and owned" {
        require kind:database { replication >= 2; owner }
      }
      component db "Orders DB" { kind database; state stateful; replication 3; owner "orders team" }
    }
    ```
    """

    code = "CT903"
    name = "constraint-require"
    severity = Severity.WARNING
    verbs = ("require",)


class FanLimit(_ConstraintRule):
    """An element that calls, or is called by, more elements than a constraint's `max` allows.

    **What it does**
    For each `max fan-out N for A` (or `fan-in`) of a `constraint`, reports every element that
    `A` selects with relations to (or from) more than N distinct elements.

    **Why is this bad?**
    Each synchronous call is a hop on the request's latency budget (framework § Latency) and a
    dependency whose availability multiplies into the caller's (framework § Availability): a
    service that calls a dozen others is slow and fragile at once.

    **Example**
    ```arch
    system shop "Shop" {
      constraint small-fan "A service calls at most two others" {
        max fan-out 2 for *
      }
      component api "API" { state stateless }
      component a "A" { state stateless }
      component b "B" { state stateless }
      component c "C" { state stateless }
      api -> a
      api -> b
      api -> c
    }
    ```

    **Use instead**
    ```arch
    system shop "Shop" {
      constraint small-fan "A service calls at most two others" {
        max fan-out 2 for *
      }
      component api "API" { state stateless }
      component a "A" { state stateless }
      component b "B" { state stateless }
      component c "C" { state stateless }
      api -> a
      api -> b
      b -> c
    }
    ```
    """

    code = "CT904"
    name = "constraint-fan"
    severity = Severity.WARNING
    verbs = ("fan-out", "fan-in")


class ForbiddenCycle(_ConstraintRule):
    """A cycle of calls among elements a constraint's `no cycles among` statement covers.

    **What it does**
    For each `no cycles among A` of a `constraint`, finds the cycles of relations on the request
    path (`async` and `background` ones are left out) between elements that `A` selects; one
    finding a cycle, at its first element, naming every member.

    **Why is this bad?**
    A cycle of synchronous calls has no latency bound and deploys as one unit: each member waits
    for the others (framework § Latency), so none of them can be changed or scaled on its own.

    **Example**
    ```arch
    system shop "Shop" {
      constraint no-loops "No cycles among services" {
        no cycles among *
      }
      component orders "Orders" { state stateless }
      component stock "Stock" { state stateless }
      orders -> stock "reserves"
      stock -> orders "confirms"
    }
    ```

    **Use instead**
    ```arch
    system shop "Shop" {
      constraint no-loops "No cycles among services" {
        no cycles among *
      }
      component orders "Orders" { state stateless }
      component stock "Stock" { state stateless }
      orders -> stock "reserves"
      stock -> orders "confirms" { async }
    }
    ```
    """

    code = "CT905"
    name = "constraint-cycle"
    severity = Severity.WARNING
    verbs = ("cycles",)
