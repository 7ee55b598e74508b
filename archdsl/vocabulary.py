"""The words of the language and the numbers of the framework: one place that the parser, the
model, the rules, the analyses, the lexer and the command line all read.

Nothing here imports anything of archdsl's: every other module may import it.
"""

from __future__ import annotations

from typing import Optional

# The values each enumerated attribute accepts (site/docs/language.md).

# Industries: the framework benchmarks the first six (framework § Industry benchmarks); the others
# are known words with no benchmark, so the share is shown and never judged.
INDUSTRIES = ("ecommerce", "banking", "social", "gaming", "saas", "iot", "travel", "media", "healthcare",
              "logistics", "fintech", "other")
ACTOR_KINDS = ("person", "system")
LAYER_KINDS = ("edge", "gateway", "compute", "realtime", "data", "custom")
COMPONENT_KINDS = (
    "service", "worker", "cdn", "edge-function", "load-balancer", "gateway", "websocket",
    "database", "cache", "queue", "stream", "search", "object-store", "external",
    "frontend", "function", "identity", "scheduler", "registry",
)
STATES = ("stateless", "stateful", "managed")
CONNECTIONS = (
    "request-response", "graphql", "websocket", "grpc-stream", "sse", "tcp", "udp", "queue", "batch",
)
LONG_LIVED_CONNECTIONS = ("websocket", "grpc-stream", "sse", "tcp", "udp")
ACCESS = ("read-heavy", "write-once", "iterative", "mixed")
TEAMS = ("web", "distributed")
DEPLOYS = ("containers", "serverless", "dedicated")
FAILURES = ("retry", "compensation")
SESSIONS = ("none", "token", "server", "rich")
SCALINGS = ("autoscale", "fixed", "affinity", "sharded", "manual", "serverless")
FAILOVERS = ("auto", "manual", "none")
DECISION_STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
STRATEGIES = ("strangler-fig", "parallel-run", "big-bang")
LOCAL_PLACES = ("local-memory", "local-disk")
# Components that pass each request on down ONE of their routes, and the layers made of them.
ROUTER_KINDS = ("load-balancer", "gateway", "cdn")
EDGE_LAYER_KINDS = ("edge", "gateway")
# Data systems: they hold state by definition (framework § The hybrid default: the data layer).
DATA_KINDS = ("database", "cache", "queue", "stream", "search", "object-store", "registry")
# Service discovery and configuration (consul, eureka, zookeeper, etcd): state about the system
# itself, never user data, so a `keeps` without `as` in one is `reference`.
REFERENCE_KINDS = ("registry",)
# Data systems whose contents are the records themselves, not a copy of them.
STORE_KINDS = ("database", "object-store", "queue", "stream")
# What a piece of state is decides what losing one instance's copy costs (site/docs/language.md, "keeps").
KEEP_KINDS = ("user-data", "session", "connection", "cache", "reference")
# The kinds whose loss loses something a user gave or is in the middle of.
PRECIOUS_KEEPS = ("user-data", "session")
CALLS = ("parallel", "sequential")
# Whether a component's data survives a restart of its instance: `ephemeral` is no volume (an
# emptyDir, tmpfs, the container's own disk). Data kinds are persistent unless they say so.
STORAGES = ("persistent", "ephemeral")

# A layer's kind sets the default state of its components (framework § The hybrid default;
# five-layer hybrid template).
LAYER_DEFAULT_STATE: dict[str, Optional[str]] = {
    "edge": "stateless",
    "gateway": "stateless",
    "compute": "stateless",
    "realtime": "stateful",
    "data": "managed",
    "custom": None,
}


# Durations as the language writes them: milliseconds per unit, longest suffixes first
# ("ms" before "s", "min" before "m"), so a suffix test finds the right unit.
DURATION_MS = {
    "us": 0.001, "ms": 1.0, "min": 60_000.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0,
    "d": 86_400_000.0,
}


def duration_ms(text: str) -> float | None:
    """A duration as the language writes it (`250us`, `5ms`, `1.5s`, `60min`) in milliseconds;
    None when `text` is not one. The one reader: the parser's tokens and the settings' values.
    (`format_ms` is the one writer.)"""
    for unit, size in DURATION_MS.items():
        number = text[: -len(unit)]
        if text.endswith(unit) and number.replace(".", "", 1).isdigit() and not number.startswith("."):
            return float(number) * size
    return None


_UNITS_MS = (("d", 86_400_000.0), ("h", 3_600_000.0), ("min", 60_000.0), ("s", 1000.0), ("ms", 1.0),
             ("us", 0.001))


def format_ms(ms: float) -> str:
    """A duration in milliseconds as the language writes it, in the largest unit that holds it
    in whole tenths: `250us`, `5ms`, `120ms`, `1.5s`, `10s`, `1h`, `7d` (never `1e+06ms`). The one
    writer; `duration_ms` is the one reader."""
    for unit, size in _UNITS_MS:
        value = ms / size
        if unit == "us" and ms >= 1:
            break
        if value >= 1 and abs(value * 10 - round(value * 10)) < 1e-6 * max(1.0, value):
            return f"{_number(round(value, 1))}{unit}"
    return f"{_number(round(ms * 1000, 3))}us" if ms < 1 else f"{_number(round(ms, 2))}ms"


def _number(value: float) -> str:
    """A number as people write it: no exponent, no trailing zeros (`1.5`, `3600000`)."""
    return f"{value:f}".rstrip("0").rstrip(".")


# What one synchronous call to a component of each kind costs when the relation does
# not say: typical in-region p99 round trips (a cache ~1 ms, a database query ~5 ms,
# a search query ~20 ms, an outside service ~100 ms).
DEFAULT_HOP_MS: dict[str, float] = {
    "cache": 1, "load-balancer": 1, "gateway": 2, "queue": 2, "stream": 2, "registry": 2,
    "database": 5, "edge-function": 5, "websocket": 5,
    "service": 10, "worker": 10, "identity": 10, "frontend": 10, "scheduler": 10,
    "function": 15, "search": 20, "cdn": 20, "object-store": 30, "external": 100,
    "actor": 100,
}

# Components that answer from a copy close to the caller (framework § Latency: a local
# cache, read replicas, deployment at the edge).
CACHING_KINDS = ("cache", "cdn", "edge-function")

# The latency bands of framework § Latency, in milliseconds: under IN_PROCESS_MS only
# in-process computation is fast enough; under HOT_PATH_MS stateless is challenging; under
# CAREFUL_MS it needs caches, replicas or the edge; from ROOMY_MS there is room for round trips.
IN_PROCESS_MS = 1.0
HOT_PATH_MS = 10.0
CAREFUL_MS = 50.0
ROOMY_MS = 100.0

# The availability thresholds of framework § Availability (percent).
THREE_NINES = 99.9
FOUR_NINES = 99.99
SIX_NINES = 99.9999

# The lowest severity that fails a check, and the shipped examples `init` starts from (name ->
# spec inside the package or the source tree's specs/): choices the command line offers.
FAIL_ON = ("error", "warning", "info", "never")
TEMPLATES = {
    "hybrid": "hybrid-template.arch",
    "elearning": "scenarios/elearning.arch",
    "game": "scenarios/multiplayer-game.arch",
    "saas": "scenarios/b2b-saas.arch",
}
