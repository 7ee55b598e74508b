"""CK801-CK808: the framework's checklist (framework § The checklist), one rule a question.

The answers are computed once per system by `analysis.checklist`; each rule reports
the components that keep its question from the passing answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.checklist import QUESTIONS
from ..analysis.copies import local_precious
from ..diagnostics import Finding, Severity
from .base import Context, Rule


class _Question(Rule):
    severity = Severity.INFO
    hint = ""

    def __init_subclass__(cls, **kwargs):
        """Its documentation opens with its question, as analysis.checklist asks it (one home)."""
        super().__init_subclass__(**kwargs)
        question = QUESTIONS[cls.code][0]
        cls.__doc__ = f"Checklist: {question[0].lower()}{question[1:]}\n" + (cls.__doc__ or "")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            answer = next(a for a in ctx.checklists[system.id] if a.code == self.code)
            for qid in answer.offenders:
                element = ctx.element(qid)
                yield self.finding(element, f"{answer.question} Not for '{element.id}'.", self.hint)


class KillAnyInstance(_Question):
    """
    **What it does**
    Names the components that keep user data or sessions in their own memory or disk
    with neither replication, failover nor a recovery plan; the stateful ones that do not
    say what they keep and have none of the three; and the stores declared to hold the
    only copy of user data (`replication 1` or `failover none`). A `cache`, `reference`
    or `connection` kept locally loses nothing when an instance dies. Not repeated where
    SB201, SB206 or AV404 already reports the component.

    **Why is this bad?**
    "A failed server loses no customer data" is the first promise of the architecture to
    the business (framework § The checklist, § Explaining the decision).

    **Example**
    ```arch
    system chat {
      component rooms { state stateful; connection websocket }
    }
    ```

    **Use instead**
    ```arch
    system chat {
      component rooms {
        state stateful
        connection websocket
        failover auto
        recovery "Clients reconnect and rejoin; history is in the database"
      }
    }
    ```
    """

    code, name = "CK801", "instance-loss"
    repeats = ("SB201", "SB206", "AV404")
    hint = "replicate the state, add failover, or write the `recovery` plan"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for system in ctx.systems:
            answer = next(a for a in ctx.checklists[system.id] if a.code == self.code)
            singles = {single.store: single for single in ctx.single_copies[system.id]}
            for qid in answer.offenders:
                element = ctx.element(qid)
                yield self.finding(element, f"{answer.question} Not for '{element.id}': "
                                            f"{_lost(element, singles.get(qid))}.", self.hint)


def _lost(component, single) -> str:
    """What losing one instance of a component loses, in the words of the kinds it keeps."""
    local = local_precious(component)
    if local:
        kinds = " and ".join(dict.fromkeys("sessions" if k.kind == "session" else "user data" for k in local))
        whats = ", ".join(f"'{k.what}'" for k in local)
        return f"an instance that dies takes the {kinds} it keeps in its own memory or disk with it ({whats})"
    if single is not None:
        return f"it holds the only copy ({single.why})"
    return "it keeps state, does not say what, and has no second copy or recovery plan"


class AddInstances(_Question):
    """
    **What it does**
    Names the components whose `scaling` is `fixed` or `manual`.

    **Why is this bad?**
    "Ten times the users without rebuilding" only holds when capacity can be added without
    touching configuration (framework § The checklist, § Scale).

    **Example**
    ```arch
    system shop {
      component api { state stateless; scaling manual }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api { state stateless; scaling autoscale }
    }
    ```
    """

    code, name = "CK802", "fixed-capacity"
    hint = "use autoscale, serverless, or sharding with automatic rebalancing"


class SameInstance(_Question):
    """
    **What it does**
    Names stateless components that need affinity: `scaling affinity`, or server-side
    sessions not kept in a shared store. The passing answer is "no". Not repeated where
    SB206 already reports the component.

    **Why is this bad?**
    Affinity outside the stateful tier brings the stateful tier's scaling and failover
    problems to components that were meant to be free of them (framework § The checklist).

    **Example**
    ```arch
    system shop {
      component api { state stateless; scaling affinity }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component api { state stateless; scaling autoscale }
    }
    ```
    """

    code, name = "CK803", "instance-affinity"
    repeats = ("SB206",)
    hint = "move what ties the request to an instance into a shared store"


class StatefulDocumented(_Question):
    """
    **What it does**
    Names the stateful components without a `justification` or without a decision record
    that `affects` them. Not repeated where DM502 already reports the component.

    **Why is this bad?**
    Where a requirement truly needs state, the requirement is named and the stateful part
    shown to be small and apart: stateful components need their reasons said out loud
    (framework § Explaining the decision).

    **Example**
    ```arch
    system chat {
      component rooms { state stateful; connection websocket }
      decision adr-1 "Rooms hold connections" { status accepted; affects rooms }
    }
    ```

    **Use instead**
    ```arch
    system chat {
      component rooms {
        state stateful
        connection websocket
        justification "Messages are pushed over open connections"
      }
      decision adr-1 "Rooms hold connections" { status accepted; affects rooms }
    }
    ```
    """

    code, name = "CK804", "stateful-documented"
    repeats = ("DM502",)
    hint = "add a `justification` and a decision record that affects it"


class StatePlaced(_Question):
    """
    **What it does**
    Names the stateful components that say nothing about what state they keep and where
    (`keeps "…" in …`).

    **Why is this bad?**
    Hidden state is how accidental statefulness starts (framework § Accidental
    statefulness); naming
    each piece of state and its place lets the checker reason about it.

    **Example**
    ```arch
    system chat {
      component rooms { state stateful; connection websocket }
    }
    ```

    **Use instead**
    ```arch
    system chat {
      component rooms {
        state stateful
        connection websocket
        keeps "open connections" in local-memory
      }
    }
    ```
    """

    code, name = "CK805", "state-placed"
    hint = 'name each piece of state: keeps "what" in local-memory|local-disk|COMPONENT'


class RecoveryPlan(_Question):
    """
    **What it does**
    Names the stateful components without `recovery "…"`, and the data stores declared to
    keep the only copy of user data or sessions (`replication 1`, `failover none`, or
    `storage ephemeral`) without one. Not repeated where AV404 already reports the store.

    **Why is this bad?**
    State that must be recovered needs recovery logic of its own (framework § The decision
    matrix, "Failure handling"); a plan written before the failure is one that can be
    rehearsed.

    **Example**
    ```arch
    system chat {
      component rooms { state stateful; connection websocket }
    }
    ```

    **Use instead**
    ```arch
    system chat {
      component rooms {
        state stateful
        connection websocket
        recovery "Clients reconnect to another instance and resubscribe"
      }
    }
    ```
    """

    code, name = "CK806", "recovery-plan"
    repeats = ("AV404",)
    hint = 'write what happens when an instance dies: recovery "…"'


class SessionsExternalised(_Question):
    """
    **What it does**
    Names stateless components with server or rich sessions that keep them in no shared
    store, and components that keep sessions (`keeps "…" as session in local-memory`) on
    several instances with neither affinity nor sharding (a game server pinned to its
    players keeps its matches on purpose). Not repeated where SB206 already reports the
    component.

    **Why is this bad?**
    The framework's worked examples keep sessions out of the servers: tokens, with
    revocable sessions in Redis, or tokens alone (framework § Worked examples).

    **Example**
    ```arch
    system shop {
      component web { state stateless; session server }
    }
    ```

    **Use instead**
    ```arch
    system shop {
      component web { state stateless; session server; keeps "sessions" as session in redis }
      component redis { kind cache }
    }
    ```
    """

    code, name = "CK807", "sessions-externalised"
    repeats = ("SB206",)
    hint = 'use tokens, or keep sessions in a shared store: keeps "sessions" as session in redis'


class ConcernsSeparated(_Question):
    """
    **What it does**
    Names the components that serve client-facing request-response calls and long-lived
    connections (see SB203, which it does not repeat).

    **Why is this bad?**
    A mixed component cannot be scaled either way: its connections need affinity, its
    requests do not (framework § Ignoring state boundaries).

    **Example**
    ```arch
    system social {
      actor user
      component users { connection websocket }
      user -> users { protocol https }
    }
    ```

    **Use instead**
    ```arch
    system social {
      actor user
      component users { connection websocket }
      user -> users { protocol wss }
    }
    ```
    """

    code, name = "CK808", "concerns-separated"
    repeats = ("SB203",)
    hint = "split the component along its state boundary"
