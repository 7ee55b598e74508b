"""The stateless share of a system against its industry's benchmark (framework § Industry benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass

# Framework § Industry benchmarks: the typical stateless share of each industry and the
# places where its systems are stateful.
INDUSTRY = {
    "ecommerce": (85, "E-Commerce", "shopping cart, flash sale counters"),
    "banking": (75, "Banking", "trading sessions, real-time positions"),
    "social": (80, "Social Media", "messaging, presence, notifications"),
    "gaming": (60, "Gaming", "game servers, voice chat, lobbies"),
    "saas": (90, "SaaS/B2B", "collaboration cursors, presence"),
    "iot": (70, "IoT", "device connections, real-time telemetry"),
}
TOLERANCE = 15  # points either way before the share is worth a look


@dataclass(frozen=True)
class Share:
    system: str
    stateless: tuple[str, ...]
    stateful: tuple[str, ...]
    managed: tuple[str, ...]  # data systems: not counted
    industry: str | None
    benchmark: float | None

    @property
    def counted(self) -> int:
        return len(self.stateless) + len(self.stateful)

    @property
    def percent(self) -> float | None:
        return 100 * len(self.stateless) / self.counted if self.counted else None

    @property
    def departure(self) -> float | None:
        """Points above (positive) or below the benchmark."""
        if self.percent is None or self.benchmark is None:
            return None
        return self.percent - self.benchmark


def stateless_share(system) -> Share:
    """Stateless components over stateless and stateful ones; managed data systems left out."""
    groups: dict[str, list[str]] = {"stateless": [], "stateful": [], "managed": []}
    for component in system.components:
        if component.effective_state in groups:
            groups[component.effective_state].append(component.qid)
    bench = INDUSTRY.get(system.industry or "")
    return Share(system.id, tuple(sorted(groups["stateless"])), tuple(sorted(groups["stateful"])),
                 tuple(sorted(groups["managed"])), system.industry, bench[0] if bench else None)
