"""The decision matrix (framework § The decision matrix): a recommended state from requirements.

Eight rows, each a requirement that votes stateless or stateful, or abstains when
the spec does not say.  A long-lived connection or a target under 1 ms forces
stateful ("only in-process computation is fast enough"); queue and batch workers
are stateless ("workers pull from queue, process, and exit"); a tie goes to
stateless ("when in doubt, start stateless").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import DATA_KINDS, LONG_LIVED_CONNECTIONS, Component, format_ms
from ..vocabulary import HOT_PATH_MS, IN_PROCESS_MS, ROOMY_MS

STATELESS, STATEFUL = "stateless", "stateful"



@dataclass(frozen=True)
class Vote:
    """One row of the matrix: the criterion, its vote (or None) and why."""

    criterion: str
    vote: str | None
    reason: str


@dataclass(frozen=True)
class Recommendation:
    component: str
    recommended: str
    votes: tuple[Vote, ...]
    forced_by: str = ""  # the criterion that decided alone, if any
    tally: dict = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        return [v.reason for v in self.votes if v.vote is not None]

    @property
    def informed(self) -> bool:
        """Whether any requirement voted: without one the stateless default is a guess."""
        return any(v.vote for v in self.votes) or bool(self.forced_by)


def _connection(c: Component) -> Vote:
    if not c.connection:
        return Vote("connection model", None, "no connection model given")
    held = [kind for kind in c.connection if kind in LONG_LIVED_CONNECTIONS]
    if held:
        return Vote("connection model", STATEFUL,
                    f"{held[0]} is a long-lived connection: it lives on one server")
    if all(kind in ("queue", "batch") for kind in c.connection):
        return Vote("connection model", STATELESS,
                    f"{c.connection[0]} workers pull work, process it and exit")
    shown = ", ".join(c.connection)
    return Vote("connection model", STATELESS, f"{shown} calls hold no connection between requests")


def _latency(c: Component) -> Vote:
    ms = c.latency_ms
    if ms is None:
        return Vote("latency model", None, "no latency target given")
    shown = format_ms(ms)
    if ms < IN_PROCESS_MS:
        return Vote("latency model", STATEFUL, f"{shown} is under 1 ms: only in-process computation is that fast")
    if ms < HOT_PATH_MS:
        return Vote("latency model", STATEFUL, f"{shown} is sub-10 ms on the hot path")
    if ms >= ROOMY_MS:
        return Vote("latency model", STATELESS, f"{shown} leaves room for database round-trips")
    return Vote("latency model", STATELESS, f"{shown} is reachable with caching")


def _access(c: Component) -> Vote:
    if c.access in ("read-heavy", "write-once"):
        return Vote("data access", STATELESS, f"{c.access} access needs no in-memory state")
    if c.access == "iterative":
        return Vote("data access", STATEFUL, "iterative in-memory computation")
    return Vote("data access", None, "mixed access" if c.access else "no data access pattern given")


def _scale(c: Component) -> Vote:
    if c.growth_fixed:
        return Vote("scale trajectory", STATEFUL, "a fixed, known capacity ceiling")
    if c.growth is not None and c.growth >= 10:
        return Vote("scale trajectory", STATELESS, f"expecting {c.growth:g}x growth")
    if c.growth is not None:
        return Vote("scale trajectory", None, f"{c.growth:g}x growth is modest")
    return Vote("scale trajectory", None, "no growth given")


def _team(c: Component) -> Vote:
    if c.team == "web":
        return Vote("team expertise", STATELESS, "a standard web development team")
    if c.team == "distributed":
        return Vote("team expertise", STATEFUL, "a team with distributed systems experience")
    return Vote("team expertise", None, "no team given")


def _deployment(c: Component) -> Vote:
    if c.deploy in ("containers", "serverless"):
        return Vote("deployment model", STATELESS, f"deployed as {c.deploy}")
    if c.deploy == "dedicated":
        return Vote("deployment model", STATEFUL, "dedicated infrastructure")
    if c.scaling in ("autoscale", "serverless"):
        return Vote("deployment model", STATELESS, f"{c.scaling} scaling is needed")
    if c.scaling in ("manual", "fixed"):
        return Vote("deployment model", STATEFUL, f"{c.scaling} scaling is acceptable")
    return Vote("deployment model", None, "no deployment model given")


def _failure(c: Component) -> Vote:
    if c.failure == "retry":
        return Vote("failure handling", STATELESS, "simple retries are enough")
    if c.failure == "compensation":
        return Vote("failure handling", STATEFUL, "complex recovery or compensation")
    return Vote("failure handling", None, "no failure handling given")


def _session(c: Component) -> Vote:
    if c.session in ("none", "token"):
        return Vote("session requirements", STATELESS,
                    "no sessions" if c.session == "none" else "token-based sessions")
    if c.session == "rich":
        return Vote("session requirements", STATEFUL, "rich in-memory session state")
    if c.session == "server":
        return Vote("session requirements", None, "server sessions can live in a shared store")
    return Vote("session requirements", None, "no session model given")


ROWS = (_connection, _latency, _access, _scale, _team, _deployment, _failure, _session)


def recommend(component: Component) -> Recommendation:
    """The matrix's recommendation for one component, with each row's vote."""
    votes = tuple(row(component) for row in ROWS)
    tally = {STATELESS: 0, STATEFUL: 0}
    for vote in votes:
        if vote.vote:
            tally[vote.vote] += 1
    if component.kind in DATA_KINDS:
        return Recommendation(component.qid, STATEFUL, votes, "data system", tally)
    if component.long_lived:
        return Recommendation(component.qid, STATEFUL, votes, "connection model", tally)
    if component.latency_ms is not None and component.latency_ms < IN_PROCESS_MS:
        return Recommendation(component.qid, STATEFUL, votes, "latency model", tally)
    if component.connection and all(kind in ("queue", "batch") for kind in component.connection):
        return Recommendation(component.qid, STATELESS, votes, "connection model", tally)
    choice = STATEFUL if tally[STATEFUL] > tally[STATELESS] else STATELESS
    return Recommendation(component.qid, choice, votes, "", tally)


def explain(rec: Recommendation) -> str:
    """One sentence: why the recommendation came out as it did."""
    if rec.forced_by == "data system":
        return "a data system holds state by definition"
    if rec.forced_by:
        vote = next(v for v in rec.votes if v.criterion == rec.forced_by)
        return f"{vote.reason} (decides alone)"
    n_less, n_ful = rec.tally[STATELESS], rec.tally[STATEFUL]
    if n_less == n_ful == 0:
        return "no requirement votes either way: when in doubt, start stateless"
    if n_less == n_ful:
        return f"a tie, {n_less} votes each way: when in doubt, start stateless"
    return f"{max(n_less, n_ful)} of {n_less + n_ful} requirements favour {rec.recommended}"
