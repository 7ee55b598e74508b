"""The typed model of a workspace: pydantic v2, every node with its place in the source."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .diagnostics import Finding, Span
from .nodes import Node, trusted
from .policy import Constraint
from .vocabulary import (  # noqa: F401  (re-exported: the model's vocabulary)
    ACCESS,
    ACTOR_KINDS,
    CALLS,
    COMPONENT_KINDS,
    CONNECTIONS,
    DATA_KINDS,
    DECISION_STATUSES,
    DEPLOYS,
    EDGE_LAYER_KINDS,
    FAILOVERS,
    FAILURES,
    INDUSTRIES,
    KEEP_KINDS,
    LAYER_DEFAULT_STATE,
    LAYER_KINDS,
    LOCAL_PLACES,
    LONG_LIVED_CONNECTIONS,
    PRECIOUS_KEEPS,
    REFERENCE_KINDS,
    ROUTER_KINDS,
    SCALINGS,
    SESSIONS,
    STATES,
    STORAGES,
    STORE_KINDS,
    STRATEGIES,
    TEAMS,
    format_ms,
)

State = Literal[STATES]  # type: ignore[valid-type]


class Allow(Node):
    """`allow CODE "reason"`: silences one rule for the element it stands in."""

    code: str
    reason: str


class Keep(Node):
    """`keeps "WHAT" [as KIND] in WHERE [ttl D]`: a piece of state, what it is, and where it lives."""

    what: str
    kind: Literal[KEEP_KINDS] = Field(  # type: ignore[valid-type]
        "user-data", description="user-data, session, connection, cache or reference")
    where: str = Field(description="local-memory, local-disk, or a component id as written")
    target: Optional[str] = Field(None, description="qualified id when `where` is a component")
    ttl_ms: Optional[float] = None

    @property
    def local(self) -> bool:
        return self.where in LOCAL_PLACES

    @property
    def precious(self) -> bool:
        """User data or sessions: losing this copy loses what users gave or were doing."""
        return self.kind in PRECIOUS_KEEPS

    def describe(self, text=str) -> str:
        """How a piece of state reads in a diagram, a page or a hover: `carts (session) in redis,
        ttl 30min`; `text` makes the spec's words safe where they land (DOT, Markdown)."""
        ttl = f", ttl {format_ms(self.ttl_ms)}" if self.ttl_ms is not None else ""
        return f"{text(self.what)} ({self.kind}) in {text(self.where)}{ttl}"

    def statement(self) -> str:
        """The piece of state as the language writes it, but for the quotes: `carts as session in
        redis ttl 30min` (what `diff` compares and shows)."""
        ttl = f" ttl {format_ms(self.ttl_ms)}" if self.ttl_ms is not None else ""
        return f"{self.what} as {self.kind} in {self.where}{ttl}"


class Peer(Node):
    """`peers "LABEL" { protocol …; latency D }`: a component talks to its own other instances
    (replication, gossip, clustering); a relation to itself stays an error."""

    label: str = ""
    protocol: str = ""
    latency_ms: Optional[float] = None
    description: str = ""
    tech: str = ""


class Replicas(BaseModel):
    """An instance count: `replicas 3` or `replicas 2..20`."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    min: int
    max: int


class Element(Node):
    """Something with an id in a system."""

    id: str
    qid: str = Field(description="qualified id: system.element")
    system: str
    title: str = ""
    description: str = ""
    tags: list[str] = Field([])
    allows: list[Allow] = Field([])

    @property
    def label(self) -> str:
        return self.title or self.id


class Actor(Element):
    """A person or outside system that uses the system, or that it calls."""

    kind: Literal[ACTOR_KINDS] = Field(  # type: ignore[valid-type]
        "person", description="person, or system for an outside party such as a push provider")


class Component(Element):
    """A deployable part of the system and the requirements that decide its state."""

    layer: Optional[str] = Field(None, description="id of the layer it stands in")
    kind: Literal[COMPONENT_KINDS] = "service"  # type: ignore[valid-type]
    state: Optional[State] = Field(None, description="the declared state")
    effective_state: Optional[State] = None
    state_source: Literal["declared", "layer", "recommended", "unknown"] = "unknown"
    tech: str = ""
    owner: str = ""
    link: str = ""
    connection: list[Literal[CONNECTIONS]] = Field(  # type: ignore[valid-type]
        [], description="the connection models it serves")
    latency_ms: Optional[float] = None
    sla: Optional[float] = Field(None, description="its own availability in percent (never a path target)")
    access: Optional[Literal[ACCESS]] = None  # type: ignore[valid-type]
    growth: Optional[float] = Field(None, description="expected growth factor: 10 for `10x`")
    growth_fixed: bool = Field(False, description="`growth fixed`: a known capacity ceiling")
    team: Optional[Literal[TEAMS]] = None  # type: ignore[valid-type]
    deploy: Optional[Literal[DEPLOYS]] = None  # type: ignore[valid-type]
    failure: Optional[Literal[FAILURES]] = None  # type: ignore[valid-type]
    session: Optional[Literal[SESSIONS]] = None  # type: ignore[valid-type]
    scaling: Optional[Literal[SCALINGS]] = None  # type: ignore[valid-type]
    replicas: Optional[Replicas] = None
    replication: Optional[int] = None
    failover: Optional[Literal[FAILOVERS]] = None  # type: ignore[valid-type]
    recovery: str = ""
    calls: Literal[CALLS] = Field(  # type: ignore[valid-type]
        "parallel", description="how its synchronous calls add up: the slowest, or their sum")
    storage: Optional[Literal[STORAGES]] = Field(  # type: ignore[valid-type]
        None, description="persistent, or ephemeral: its data does not survive a restart of its instance")
    keeps: list[Keep] = Field([])
    peers: list[Peer] = Field([], description="how its instances talk to one another")
    justification: str = ""

    @property
    def long_lived(self) -> bool:
        return any(c in LONG_LIVED_CONNECTIONS for c in self.connection)

    @property
    def single_instance(self) -> bool:
        """Declared to run one instance (`replicas 1`): never guessed from what is not written."""
        return self.replicas is not None and self.replicas.max == 1

    @property
    def multi_instance(self) -> bool:
        """More than one instance: autoscaled, serverless, or replicas above one."""
        if self.replicas is not None:
            return self.replicas.max > 1
        return self.scaling in ("autoscale", "serverless", "sharded", "affinity")


class Relation(Node):
    """`a -> b "label" { … }`: a call or data flow between two elements."""

    system: str
    source: str = Field(description="qualified id")
    target: str = Field(description="qualified id")
    source_span: Span
    target_span: Span
    label: str = ""
    protocol: str = ""
    latency_ms: Optional[float] = None
    is_async: bool = Field(False, alias="async")
    optional: bool = False
    background: bool = Field(False, description="periodic, batch or scheduled: off every request path")
    tech: str = ""
    description: str = ""
    tags: list[str] = Field([])
    allows: list[Allow] = Field([])

    @property
    def key(self) -> str:
        return f"{self.source}->{self.target}"

    @property
    def off_path(self) -> bool:
        """Off the request path: nobody waits for it (async) or no request makes it (background)."""
        return self.is_async or self.background

    @property
    def how(self) -> str:
        """The kind of call, as the diagrams and pages name it."""
        return ("background" if self.background else "async" if self.is_async
                else "optional" if self.optional else "sync")


class Layer(Element):
    """A tier of the system; its kind gives its components a default state."""

    kind: Literal[LAYER_KINDS] = "custom"  # type: ignore[valid-type]
    state: Optional[State] = Field(None, description="overrides the kind's default")
    components: list[str] = Field([], description="qualified ids, in order")

    @property
    def default_state(self) -> Optional[str]:
        return self.state or LAYER_DEFAULT_STATE[self.kind]


class Option(Node):
    """An option weighed in a decision record."""

    name: str
    pros: list[str] = Field([])
    cons: list[str] = Field([])
    chosen: bool = False


class Decision(Element):
    """An architecture decision record (Nygard): context, decision, consequences."""

    status: Literal[DECISION_STATUSES] = "proposed"  # type: ignore[valid-type]
    date: Optional[str] = None
    affects: list[str] = Field([], description="element ids as written")
    affects_spans: list[Span] = Field([])
    supersedes: Optional[str] = None
    deciders: list[str] = Field([])
    context: str = ""
    decision: str = Field("", description="the decision text")
    consequences: str = ""
    link: str = ""
    options: list[Option] = Field([])


class Phase(Node):
    """One step of a migration and the share of traffic it carries."""

    name: str
    traffic: Optional[float] = None
    description: str = ""
    date: Optional[str] = None
    exit: str = Field("", description="the criteria for moving on to the next phase")


class Migration(Element):
    """A planned move of state from one component to another."""

    source: Optional[str] = Field(None, alias="from", description="qualified id")
    target: Optional[str] = Field(None, alias="to", description="qualified id")
    strategy: Optional[Literal[STRATEGIES]] = None  # type: ignore[valid-type]
    phases: list[Phase] = Field([])
    rollback: str = ""


class Step(Node):
    """`step a -> b "label" { … }`: one call of a flow, over the relation `a -> b`."""

    source: str = Field(description="qualified id once resolved")
    target: str = Field(description="qualified id once resolved")
    source_span: Span
    target_span: Span
    label: str = ""
    group: Optional[int] = Field(None, description="the parallel group it runs in, numbered in the flow")
    reads: list[str] = Field([], description="what it reads, as a `keeps` names it")
    writes: list[str] = Field([], description="what it writes, as a `keeps` names it")
    is_async: bool = Field(False, alias="async")
    optional: bool = False
    atomic: bool = Field(False, description="the write is guarded: a transaction, compare-and-set or lock")
    compensate: str = Field("", description="how the step is undone when a later one fails")
    latency_ms: Optional[float] = Field(None, description="this step's own cost, instead of its relation's")
    description: str = ""

    @property
    def arrow(self) -> str:
        """`a -> b` in the words of the spec: ids without their system."""
        return f"{self.source.split('.', 1)[-1]} -> {self.target.split('.', 1)[-1]}"

    @property
    def name(self) -> str:
        """How a message names the step: its label, else its arrow."""
        return self.label or self.arrow


class Flow(Element):
    """`flow ID "title" { from A; latency D; step …; parallel { step … } }`: one request, end to end."""

    start: Optional[str] = Field(None, alias="from", description="who starts it: an actor or component (qualified)")
    latency_ms: Optional[float] = Field(None, description="its p99 target; else the system's latency")
    steps: list[Step] = Field([], description="in written order; a parallel group's steps share a group")

    def stages(self) -> list[list[Step]]:
        """The steps as they run: one at a time, or a parallel group's together."""
        out: list[list[Step]] = []
        for step in self.steps:
            if step.group is not None and out and out[-1][0].group == step.group:
                out[-1].append(step)
            else:
                out.append([step])
        return out

    def participants(self) -> list[str]:
        """Qualified ids of who takes part, in the order they first appear."""
        return list(dict.fromkeys([*([self.start] if self.start else []),
                                   *(end for step in self.steps for end in (step.source, step.target))]))


class View(Element):
    """A named diagram: the elements it includes and excludes (ids or `layer:ID`)."""

    include: list[str] = Field([])
    exclude: list[str] = Field([])


class System(Element):
    """A system: its requirements, layers, components, relations and records."""

    file: str
    industry: Optional[Literal[INDUSTRIES]] = None  # type: ignore[valid-type]
    sla: Optional[float] = Field(None, description="the availability target its entry points must meet")
    latency_ms: Optional[float] = None
    owner: str = ""
    link: str = ""
    actors: list[Actor] = Field([])
    layers: list[Layer] = Field([])
    components: list[Component] = Field([])
    relations: list[Relation] = Field([])
    decisions: list[Decision] = Field([])
    migrations: list[Migration] = Field([])
    views: list[View] = Field([])
    flows: list[Flow] = Field([])
    constraints: list[Constraint] = Field([], description="the team's own rules written in this system")

    _layer_index: Optional[tuple] = PrivateAttr(default=None)  # (how many layers it indexes, index)

    def layer(self, layer_id: str) -> Optional[Layer]:
        """The layer with this id (the first, if two share it): a dict lookup, built on first use
        and again whenever layers were added."""
        if self._layer_index is None or self._layer_index[0] != len(self.layers):
            index: dict[str, Layer] = {}
            for layer in self.layers:
                index.setdefault(layer.id, layer)
            self._layer_index = (len(self.layers), index)
        return self._layer_index[1].get(layer_id)

    def layer_order(self) -> dict[str, int]:
        """Layer id -> its position in the spec (the first of a repeated id)."""
        order: dict[str, int] = {}
        for index, layer in enumerate(self.layers):
            order.setdefault(layer.id, index)
        return order

    def qualify(self, ref: str) -> str:
        """An element reference as a qualified id: `a` in this system, `other.a` as written."""
        return ref if "." in ref else f"{self.id}.{ref}"

    def elements(self) -> list[Element]:
        """Every element of the system: actors, layers, components, decisions, migrations, views, flows."""
        return [*self.actors, *self.layers, *self.components, *self.decisions, *self.migrations, *self.views,
                *self.flows]

    def decisions_affecting(self) -> dict[str, list[Decision]]:
        """Qualified id -> the decisions that affect it, in the order they are written."""
        found: dict[str, list[Decision]] = {}
        for decision in self.decisions:
            for qid in dict.fromkeys(map(self.qualify, decision.affects)):
                found.setdefault(qid, []).append(decision)
        return found


class Workspace(BaseModel):
    """Every system loaded from one spec root, with the graph that joins them."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    root: str
    files: list[str] = Field([])
    systems: list[System] = Field([])
    policies: list[Constraint] = Field([], description="constraints shared at the top of a file")

    _findings: list[Finding] = PrivateAttr([])
    _graph: Any = PrivateAttr(default=None)
    _graph_of: Any = PrivateAttr(default=None)  # how the stage above builds the graph, on first use
    _sources: dict[str, str] = PrivateAttr({})

    @classmethod
    def complete(cls, *, root: str, files: list[str], systems: list[System], findings: list[Finding],
                 sources: dict[str, str], graph, policies: list[Constraint] | None = None) -> Workspace:
        """The workspace, built once and complete: its systems with every reference resolved
        and every state set, the problems found loading them, the text of every file read, and
        `graph(workspace)`, which builds the graph that joins them when it is first asked for
        (the graph is the stage above this one: the model imports nothing of the pipeline)."""
        workspace = trusted(cls, root=root, files=files, systems=systems, policies=policies or [])
        workspace._findings = sorted(findings, key=lambda f: f.sort_key)
        workspace._sources = sources
        workspace._graph_of = graph
        return workspace

    @property
    def sources(self) -> dict[str, str]:
        """The text of every file the loader read, by the path findings show: the only spec
        text a reporter may quote (it never opens a file again)."""
        return self._sources

    @property
    def findings(self) -> list[Finding]:
        """Problems found while loading (the AD1xx family), sorted."""
        return self._findings

    @property
    def errors(self) -> list[Finding]:
        """The load findings of error severity: a spec with any cannot be trusted."""
        return [f for f in self._findings if f.severity.value == "error"]

    @property
    def graph(self):
        """The `networkx.MultiDiGraph` of components and actors (built on first use)."""
        if self._graph is None:
            self._graph = self._graph_of(self)
        return self._graph

    def components(self) -> list[Component]:
        return [c for s in self.systems for c in s.components]

    def constraints(self) -> list[Constraint]:
        """Every constraint: the shared policies, then each system's own."""
        return [*self.policies, *(c for s in self.systems for c in s.constraints)]

    def system(self, system_id: str) -> Optional[System]:
        return next((s for s in self.systems if s.id == system_id), None)
