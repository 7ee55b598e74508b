"""A team's own rules as data: a `constraint` block, its statements and their selectors.

    constraint ui-not-data "The UI never talks to a data store directly" {
      severity error
      forbid layer:edge -> layer:data
      only layer:edge -> layer:gateway, kind:cdn unless tag:legacy
      require kind:database { replication >= 2; owner }
      max fan-out 8 for layer:services
      no cycles among layer:services
    }

A constraint written in a system holds for that system; one written at the top of a file is a
shared policy, and holds for every system of the files that import that file (and of the file
itself). The rules CT901-CT905 check them (rules/ct900_constraints.py, by way of
analysis/policy.py).
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import Field

from .nodes import Node

# The kinds of selector term: `api` (an element id), `layer:ID`, `kind:K`, `tag:T`, `state:S`,
# `system:ID`, `actor` (every actor), `*` (every element).
SCOPES = ("layer", "kind", "tag", "state", "system")
TermKind = Literal["id", "layer", "kind", "tag", "state", "system", "actor", "any"]
VERBS = ("forbid", "only", "require", "max", "no")
SEVERITIES = ("error", "warning", "info")
COMPARISONS = ("=", "!=", ">=", "<=", ">", "<")
# The rule that checks each kind of statement (rules/ct900_constraints.py).
CODES = {"forbid": "CT901", "only": "CT902", "require": "CT903", "fan-out": "CT904", "fan-in": "CT904",
         "cycles": "CT905"}


class Term(Node):
    """One selector term: its kind and value (`layer:edge` is kind `layer`, value `edge`)."""

    kind: TermKind
    value: str = ""


class Selector(Node):
    """Elements chosen by terms: any one of the groups (`,`), where a group is every one of its
    terms (`&`), less what `unless` chooses."""

    groups: list[list[Term]] = Field([])
    unless: Optional[Selector] = None
    text: str = Field("", description="the selector as written")


class Requirement(Node):
    """`replication >= 2` or `owner` (is set) in a `require` block."""

    attribute: str = Field(description="the attribute as written in a component: replication, owner…")
    field: str = Field(description="the model field it reads")
    op: Optional[str] = None
    value: Any = None
    text: str = ""


class Clause(Node):
    """One statement of a constraint."""

    verb: Literal["forbid", "only", "require", "fan-out", "fan-in", "cycles"]
    subject: Selector = Field(description="forbid/only: where relations start; the others: the elements")
    target: Optional[Selector] = Field(None, description="forbid/only: where relations end")
    limit: Optional[int] = Field(None, description="max fan-out/fan-in")
    requirements: list[Requirement] = Field([])
    text: str = Field("", description="the statement as written, for hints")

    def words(self) -> str:
        """What the statement checks, in a sentence."""
        subject = _said(self.subject.text)
        target = _said(self.target.text) if self.target is not None else ""
        if self.verb == "forbid":
            return f"no relation may go from {subject} to {target}"
        if self.verb == "only":
            return f"relations from {subject} may reach only {target}"
        if self.verb == "require":
            return f"every component of {subject} has " + ", ".join(
                r.text if r.op else f"{r.attribute} set" for r in self.requirements)
        if self.verb in ("fan-out", "fan-in"):
            way = "calls" if self.verb == "fan-out" else "is called by"
            return f"no element of {subject} {way} more than {self.limit} others"
        return f"no cycle of on-path relations among {subject}"


class Constraint(Node):
    """`constraint ID "title" { … }`: a team's rule, in a system or shared at the top of a file."""

    id: str
    title: str = ""
    description: str = ""
    severity: Literal["error", "warning", "info"] = "warning"
    file: str = ""
    system: Optional[str] = Field(None, description="the system it stands in; None: a shared policy")
    clauses: list[Clause] = Field([])
    applies_to: list[str] = Field([], description="the systems it holds for")

    def codes(self) -> list[str]:
        """The rules that check its statements (CT901…), each once, in order."""
        return sorted({CODES[c.verb] for c in self.clauses})

    def where(self) -> str:
        """Where it stands and whom it binds, in words."""
        if self.system:
            return f"{self.file}:{self.span.line}, in system {self.system}"
        holds = ", ".join(self.applies_to) or "no system checked here"
        return f"{self.file}:{self.span.line}, shared with the files that import it (holds for: {holds})"

    def markdown(self) -> str:
        """The constraint explained: title, place, severity, and what each statement checks."""
        lines = [f"# {self.id}: {self.title or self.id}", "", self.description, "",
                 f"Where: {self.where()}  ", f"Severity: **{self.severity}**", "", "## What it checks", ""]
        for clause in self.clauses:
            lines.append(f"- {CODES[clause.verb]}: {clause.words()} (line {clause.span.line}: `{clause.text}`)")
        return "\n".join(line for i, line in enumerate(lines) if line or lines[i - 1]) + "\n"


def distinct(constraints) -> list[Constraint]:
    """Each constraint once, in file and line order: a shared policy that several spec roots
    import is one constraint; two systems' own constraints of one id are two."""
    seen: dict[tuple[str, int, str], Constraint] = {}
    for constraint in constraints:
        seen.setdefault((constraint.file, constraint.span.line, constraint.id), constraint)
    return [seen[key] for key in sorted(seen)]


def _said(selector: str) -> str:
    return "every element" if selector == "*" else selector
