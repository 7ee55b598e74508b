"""The rule registry: every rule of every module in this package, found when rules are first
needed. A rule is a `Rule` subclass that sets its `code`; adding one is adding its file."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType

from ..config import Settings
from ..diagnostics import STRUCTURE, did_you_mean
from ..errors import ConfigError
from .base import Context, Rule

__all__ = ["Context", "Rule", "all_rules", "check_codes", "check_settings", "get", "known_codes", "modules",
           "rules_in"]


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


def check_codes(codes: list[str], where: str, *, prefixes: bool = True) -> list[str]:
    """`codes` unchanged when each is a known code (or, with `prefixes`, begins one); else a
    ConfigError naming the first that is not, with the closest known code."""
    known = known_codes()
    for entry in codes:
        code, named, ident = entry.partition(":")
        if named and (not prefixes or not ident or not code.startswith("CT")):
            raise ConfigError(f"{where}: '{entry}' names no constraint; write CT:ID or CT901:ID, "
                              "with the id of a constraint")
        if code and (code in known or (prefixes and any(k.startswith(code) for k in known))):
            continue
        what = "an empty code" if not code else f"'{code}'"
        raise ConfigError(f"{where}: {what} is no rule code{' or prefix' if prefixes else ''}"
                          f"; {did_you_mean(code, known) or 'see `archdsl rules`'}")
    return codes


def check_settings(settings: Settings) -> Settings:
    """`settings` unchanged when every code it names is a rule's (or the loader's); else a
    ConfigError that names the settings file and the key."""
    source = settings.source
    check_codes(settings.select, f"{source}: 'select'")
    check_codes(settings.ignore, f"{source}: 'ignore'")
    check_codes([k for k in settings.severity if ":" not in k], f"{source}: 'severity'", prefixes=False)
    check_codes([k for k in settings.severity if ":" in k], f"{source}: 'severity'")  # CT:ID, CT901:ID
    return settings
