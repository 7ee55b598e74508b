"""The rule registry: every rule of every module in this package, found when rules are first
needed. A rule is a `Rule` subclass that sets its `code`; adding one is adding its file."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType

from ..diagnostics import STRUCTURE
from .base import Context, Rule

__all__ = ["Context", "Rule", "all_rules", "get", "known_codes", "modules", "rules_in"]


def modules() -> list[str]:
    """The modules of this package that hold rules: every one but `base`, in name order."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if info.name != "base")


def rules_in(module: ModuleType) -> list[type[Rule]]:
    """The rules a module defines: its `Rule` subclasses that set a `code` of their own."""
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__
            and "code" in vars(obj)]


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    found: list[type[Rule]] = []
    for name in modules():
        found.extend(rules_in(importlib.import_module(f"{__name__}.{name}")))
    return tuple(sorted(found, key=lambda r: r.code))


def known_codes() -> list[str]:
    """Every code a finding can have: the rules' and the loader's (AD1xx)."""
    return sorted({r.code for r in all_rules()} | set(STRUCTURE))


def get(code: str) -> type[Rule] | None:
    code = code.upper()
    return next((r for r in all_rules() if r.code == code), None)
