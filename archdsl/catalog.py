"""What can be checked, listed and explained: the built-in rules, and a workspace's own
constraints (`archdsl rules [PATHS]`, `archdsl explain CODE|ID [PATHS]`)."""

from __future__ import annotations

import json
from pathlib import Path

from .diagnostics import did_you_mean
from .errors import ConfigError
from .rules import all_rules, get


def constraints_of(paths: list[Path]) -> list:
    """Every constraint of the specs at `paths`, each once, in file and line order."""
    from .policy import distinct
    from .workspaces import load

    return distinct(c for path in paths for c in load(path, strict=False).constraints())


def listing(paths: list[Path], fmt: str) -> str:
    """The rules, then the constraints of the specs at `paths`, as text or JSON."""
    rules = all_rules()
    constraints = constraints_of(paths) if paths else []
    if fmt == "json":
        return json.dumps([
            *({"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.doc().summary}
              for r in rules),
            *({"constraint": c.id, "title": c.title, "severity": c.severity, "codes": c.codes(), "file": c.file,
               "line": c.span.line, "systems": c.applies_to} for c in constraints),
        ], indent=2) + "\n"
    lines = [f"{r.code}  {r.name:<28} {r.severity.value:<8} {r.doc().summary}" for r in rules]
    if constraints:
        lines += ["", "Constraints of the specs (the team's own rules):"]
        width = max(len(c.id) for c in constraints)
        lines += [f"{c.id:<{width}}  {','.join(c.codes()):<12} {c.severity:<8} {c.title}  "
                  f"({c.file}:{c.span.line})" for c in constraints]
    return "\n".join(lines) + "\n"


def explanation(name: str, paths: list[Path]) -> str:
    """The documentation of a rule (by code), or of a constraint of the specs at `paths` (by id)."""
    rule = get(name)
    if rule is not None:
        return rule.markdown()
    constraints = constraints_of(paths) if paths else []
    found = [c for c in constraints if c.id == name]
    if found:
        return "\n".join(c.markdown() for c in found)
    known = [r.code for r in all_rules()] + [c.id for c in constraints]
    hint = did_you_mean(name if constraints else name.upper(), known)
    where = "" if paths else " (a constraint's id needs the specs that hold it: archdsl explain ID specs/)"
    raise ConfigError(f"no rule or constraint {name!r}{where}; {hint or 'see `archdsl rules`'}")
