"""The rule registry: one module per rule, imported only when rules are needed."""

from __future__ import annotations

import functools
import importlib

from ..diagnostics import STRUCTURE
from .base import Context, Rule

__all__ = ["Context", "Rule", "all_rules", "get", "known_codes", "MODULES"]

MODULES = (
    "structure",
    "sb201_accidental_statefulness", "sb202_premature_statefulness", "sb203_mixed_state_boundary",
    "sb204_layer_state_mismatch", "sb205_stateful_without_affinity", "sb206_local_sessions",
    "lt301_infeasible_latency", "lt302_challenging_latency", "lt303_needs_caching", "lt304_latency_budget",
    "av401_unprotected_stateful_sla", "av402_impractical_sla", "av403_composed_availability", "av404_single_copy_state",
    "dm501_matrix_disagreement", "dm502_undocumented_stateful", "dm503_decision_integrity",
    "in601_industry_ratio", "mg701_big_bang_migration", "checklist",
)


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    found: list[type[Rule]] = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        found.extend(getattr(module, "RULES", ()))
    return tuple(sorted(found, key=lambda r: r.code))


def known_codes() -> list[str]:
    """Every code a finding can have: the rules' and the loader's (AD1xx)."""
    return sorted({r.code for r in all_rules()} | set(STRUCTURE))


def get(code: str) -> type[Rule] | None:
    code = code.upper()
    return next((r for r in all_rules() if r.code == code), None)
